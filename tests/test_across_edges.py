"""Edges of the views across authorities and of the files they write, found by a user's pass.

A grade that is merely unknown (a later report mentions an inspection but not all of its
grades) is never counted or explained as a judgement the inspection did not make; a rules
file with absurd windows is a usage error, not a crash; ``--xlsx`` keeps the promises the
pictures keep (never over a file ofstl did not write, never inside the store, the umask);
only one thing goes to stdout; an empty ``--as-at`` is an error, never today.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

import pytest

from ofstl import across, cycle
from ofstl.store import Store
from ofstl.vocabulary import GRADE_NOT_STATED
from tests.fixture_store import _j, _record, make_store
from tests.test_cli import run


def _full(slug: str, framework: str, start: str, type_: str | None = None, role: str = "subject", **grades: str) -> dict:
    return _record(f"{slug}-{start[:7]}-{framework}", framework, start, type_=type_, role=role,
                   judgements={k: _j(g.replace("_", " ")) for k, g in grades.items()},
                   sources=[{"path": f"docs/{slug}-{start}.pdf", "sha256": start.replace("-", "") * 8, "kind": "ofsted-report", "role": role}])


def unknown_store(root: Path) -> Path:
    store = Store(root)
    # A 2024 ILACS known only from a later letter that gives the care leavers grade: it made an
    # overall judgement, which the store does not know.
    store.save("barnet", [_full("barnet", "ilacs", "2024-04-15", role="mentioned", care_leavers="requires_improvement")])
    # An ILACS from April 2026 makes no overall judgement at all.
    store.save("brent", [_full("brent", "ilacs", "2026-05-11", "short", leadership="good", help_and_protection="requires_improvement",
                               children_in_care="good", care_leavers="good")])
    return root


# --------------------------------------------------------------------------- not judged / not known


def test_national_tells_a_grade_not_known_from_a_judgement_not_made(tmp_path: Path) -> None:
    view = across.national(Store(unknown_store(tmp_path)).load_all(), "2026-11-30")
    overall = view["judgements"][0]
    assert overall["judgement"] == "overall"
    assert (overall["graded"], overall["not_judged"], overall["not_known"]) == (0, 1, 1)  # brent not judged; barnet not known
    leadership = view["judgements"][1]
    assert (leadership["graded"], leadership["not_judged"], leadership["not_known"]) == (1, 0, 1)
    rows = list(csv.reader(io.StringIO(run(tmp_path, "national", "--as-at", "2026-11-30", "-f", "csv").stdout)))
    assert ["England", "overall", "latest_grade", "not_judged", "1", "", "2026-11-30"] in rows
    assert ["England", "overall", "latest_grade", "not_known", "1", "", "2026-11-30"] in rows
    table = run(tmp_path, "national", "--as-at", "2026-11-30").stdout
    assert "grade not stated (judged, but no document in the store gives the grade): overall 1, leadership 1" in table


def test_due_never_stands_a_lower_judgement_in_for_an_overall_grade_not_known(tmp_path: Path) -> None:
    view = cycle.due(Store(unknown_store(tmp_path)).load_all(), "2026-11-30")
    rows = {r["authority"]: r for r in view["authorities"]}
    assert rows["barnet"]["grade"] is None and rows["barnet"]["next"] is None  # not "requires improvement, standard"
    assert rows["barnet"]["status"].startswith("grade unknown")
    # the April 2026 framework has no overall judgement: the lowest judgement decides
    assert (rows["brent"]["grade"], rows["brent"]["grade_basis"]) == ("requires improvement", "lowest judgement (no overall)")
    out = run(tmp_path, "due", "barnet", "--as-at", "2026-11-30").stdout
    assert "made no overall judgement" not in out and "grade not stated" in out


# --------------------------------------------------------------------------- rules that would overflow the calendar


@pytest.mark.parametrize("change", [("[30, 42]", "[30, 100000]"), ("from: 2020-03-17", "from: 0001-01-01"), ("to: 2021-04-11", "to: 2019-01-01")])
def test_rules_with_impossible_windows_or_pauses_are_a_usage_error(tmp_path: Path, change: tuple[str, str]) -> None:
    make_store(tmp_path / "store")
    packaged = (Path(cycle.__file__).parent / "data" / "inspection_cycle.yaml").read_text(encoding="utf-8")
    assert change[0] in packaged
    rules = tmp_path / "rules.yaml"
    rules.write_text(packaged.replace(change[0], change[1]), encoding="utf-8")
    for args in (["due"], ["due", "--backtest"]):
        err = run(tmp_path / "store", *args, "--rules", str(rules), code=2).stderr
        assert "not valid cycle rules" in err and "internal error" not in err


def test_empty_as_at_is_a_usage_error_not_today(tmp_path: Path) -> None:
    make_store(tmp_path)
    for command in (["national"], ["due"], ["compare", "hillingdon"]):
        assert "--as-at must be" in run(tmp_path, *command, "--as-at", "", code=2).stderr


# --------------------------------------------------------------------------- --xlsx files


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_store(tmp_path_factory.mktemp("store"))


XLSX_COMMANDS = [["export"], ["timeline", "hillingdon"], ["compare", "hillingdon"], ["national"], ["due"], ["due", "--backtest"]]


@pytest.mark.parametrize("args", XLSX_COMMANDS, ids=[" ".join(a) for a in XLSX_COMMANDS])
def test_xlsx_never_overwrites_a_file_ofstl_did_not_write(store: Path, tmp_path: Path, args: list[str]) -> None:
    notes = tmp_path / "notes.xlsx"
    notes.write_text("a person's notes\n", encoding="utf-8")
    err = run(store, "-q", *args, "--xlsx", str(notes), code=2).stderr
    assert "exists and is not a workbook ofstl wrote" in err
    assert notes.read_text(encoding="utf-8") == "a person's notes\n"
    run(store, "-q", *args, "--xlsx", str(notes), "--force")
    assert notes.read_bytes()[:2] == b"PK"
    run(store, "-q", *args, "--xlsx", str(notes))  # its own workbook: written again without --force


@pytest.mark.parametrize("args", XLSX_COMMANDS[:3], ids=[" ".join(a) for a in XLSX_COMMANDS[:3]])
def test_xlsx_is_never_written_inside_the_store_nor_to_a_file_named_dash(store: Path, tmp_path: Path, args: list[str],
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    inside = store / "authorities" / "book.xlsx"
    assert "inside the store" in run(store, "-q", *args, "--xlsx", str(inside), code=2).stderr
    assert not inside.exists()
    monkeypatch.chdir(tmp_path)
    assert "a workbook cannot go to stdout" in run(store, "-q", *args, "--xlsx", "-", code=2).stderr
    assert not (tmp_path / "-").exists()


def test_xlsx_honours_the_umask(store: Path, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        run(store, "export", "--xlsx", str(tmp_path / "book.xlsx"))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "book.xlsx").stat().st_mode) == 0o644


# --------------------------------------------------------------------------- one thing on stdout


@pytest.mark.parametrize("args", [["--svg", "-", "--html", "-"], ["--svg", "-", "-f", "json"], ["--html", "-", "-f", "csv"]])
def test_timeline_puts_one_thing_on_stdout(store: Path, args: list[str]) -> None:
    err = run(store, "timeline", "hillingdon", *args, code=2).stderr
    assert "only one" in err and "stdout" in err


def test_timeline_picture_on_stdout_alone_is_whole(store: Path) -> None:
    out = run(store, "timeline", "hillingdon", "--svg", "-").stdout
    assert out.lstrip().startswith("<?xml") and out.rstrip().endswith("</svg>")
    json.loads(run(store, "timeline", "hillingdon", "--svg", os.devnull, "-f", "json").stdout)
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)  # written into, not replaced by a file (as root it was)


@pytest.mark.parametrize("args", [["timeline", "hillingdon", "--svg"], ["timeline", "hillingdon", "--html"], ["export", "--xlsx"]])
def test_a_named_pipe_is_written_into_never_replaced(store: Path, tmp_path: Path, args: list[str]) -> None:
    """``--svg <(...)``-like targets: the atomic rename put an ordinary file where the pipe
    (or ``/dev/null``) was, and asking whose file it is first would have waited on the pipe."""
    import threading

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()), daemon=True)
    reader.start()
    run(store, *args, str(pipe))
    reader.join(timeout=30)
    assert stat.S_ISFIFO(os.stat(pipe).st_mode) and [p.name for p in tmp_path.iterdir()] == ["pipe"]
    assert got and got[0].startswith((b"<?xml", b"<!DOCTYPE html>", b"PK\x03\x04"))


# --------------------------------------------------------------------------- CSV columns = JSON fields


def test_due_and_backtest_csv_carry_every_field_of_the_json(store: Path) -> None:
    for args, key, nested in ((["due", "--as-at", "2026-11-29"], "authorities", {"last_full", "next", "visits_since"}),
                              (["due", "--backtest"], "pairs", set())):
        data = json.loads(run(store, *args, "-f", "json").stdout)[key]
        header = next(csv.reader(io.StringIO(run(store, *args, "-f", "csv").stdout)))
        scalar = {k for row in data for k in row} - nested - {"opens", "closes"}  # window: window_opens/window_closes
        assert scalar <= set(header), scalar - set(header)


# --------------------------------------------------------------------------- narrow terminals


NARROW = [(["compare", "hillingdon", "--with", "hounslow", "--region"], 80), (["compare", "hillingdon", "--with", "hounslow", "--region"], 60),
          (["national"], 80), (["national"], 60), (["national", "--by", "region"], 80), (["national", "--by", "region"], 60),
          (["national", "--by", "region"], 50)]  # below ~70 by region shows counts without their shares


@pytest.mark.parametrize("args,width", NARROW, ids=[f"{' '.join(a)}-{w}" for a, w in NARROW])
def test_tables_across_authorities_keep_their_rows_whole_in_a_narrow_terminal(store: Path, args: list[str], width: int) -> None:
    out = run(store, *args, "--as-at", "2026-11-29", env={"COLUMNS": str(width)}).stdout
    lines = out.splitlines()
    assert all(len(line) <= width for line in lines)
    # every table row is one line: a row never folds onto a continuation line of its own
    header = next(i for i, line in enumerate(lines) if line.startswith(("authority ", "judgement ", "region ")))
    for line in lines[header + 1:]:
        if not line or line.startswith(("left out", "O outstanding", GRADE_NOT_STATED)):
            break
        assert not line.startswith(" "), out  # a folded row's continuation
    assert any(line.startswith("left out to fit") for line in lines)


# --------------------------------------------------------------------------- one word for a grade not known


def test_a_graded_inspection_whose_grade_is_not_known_is_never_called_not_graded(tmp_path: Path) -> None:
    unknown_store(tmp_path)
    Store(tmp_path).save("camden", [_full("camden", "ilacs", "2019-03-04", role="mentioned"),
                                    _record("camden-2021-06-focused-visit", "focused-visit", "2021-06-01")])
    barnet = json.loads(run(tmp_path, "timeline", "barnet", "-f", "json").stdout)["inspections"]
    assert barnet[0]["headline"] == "grade not stated"  # an ILACS of 2024 made an overall judgement
    brent = json.loads(run(tmp_path, "timeline", "brent", "-f", "json").stdout)["inspections"]
    assert brent[0]["headline"] == "no overall grade"  # an ILACS from April 2026 makes none
    camden = json.loads(run(tmp_path, "timeline", "camden", "-f", "json").stdout)["inspections"]
    assert [i["headline"] for i in camden] == ["grade not stated", "not graded"]  # a visit is not graded
    assert "grade not stated" in run(tmp_path, "timeline", "camden").stdout
