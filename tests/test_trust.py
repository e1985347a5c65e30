"""The store as a trusted record (issue 11): one test per finding, each showing the problem
first (the input is what broke ofstl) and then that it is handled.

Findings: a nested-alias file that hung every command; hand edits silently lost; caches
trusted as truth; control characters reaching the terminal; ``ingest ""`` reading the
current folder; wrong types giving exit 3; bad ``--timeout`` values; a text naming a
council but no inspection stored as one; store path mistakes passing as success; files
ignoring the umask; pictures overwriting anything; one-off time-outs remembered for good;
an unquoted ``next:`` hint; a worker parsing other bytes than the parent hashed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import stat
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from ofstl.cli import app
from ofstl.ingest import Ingest, run_task
from ofstl.store import Store, dump_yaml
from tests import docgen
from tests.fixture_store import make_store

ENV = {"COLUMNS": "100", "NO_COLOR": "1"}
VIEWS = [["list"], ["export"], ["themes"], ["timeline", "hillingdon"], ["diff", "hillingdon"], ["show", "hillingdon"]]


def cli(*args: str, code: int | None = 0, env: dict[str, str] | None = None) -> Any:
    result = CliRunner().invoke(app, list(args), env={**ENV, **(env or {})})
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    if code is not None:
        assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    return result


def letters(folder: Path, count: int = 6, seed: int = 7) -> list[Path]:
    return docgen.good_documents(folder, count, seed=seed, names=[("hillingdon", "Hillingdon"), ("hounslow", "Hounslow")])


# --------------------------------------------------------------------------- aliases


def alias_bomb() -> str:
    """The 768-byte kind of file: each anchor a list of nine of the one before, nine deep."""
    lines = ["ofstl_store: 1", "authority: hillingdon", "name: Hillingdon", "gss_code: null", "a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 10):
        prev = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([prev] * 9)}]")
    lines.append("inspections: [*a9]")
    return "\n".join(lines) + "\n"


def expanded_size(node: Any) -> int:
    """How many leaves the parsed data has once its shared references are expanded (what
    writing it as JSON does), counted without expanding."""
    memo: dict[int, int] = {}

    def count(value: Any) -> int:
        if id(value) in memo:
            return memo[id(value)]
        if isinstance(value, list):
            total = sum(count(v) for v in value)
        elif isinstance(value, dict):
            total = sum(count(v) for v in value.values())
        else:
            total = 1
        memo[id(value)] = total
        return total

    return count(node)


def test_nested_aliases_are_refused_in_milliseconds(tmp_path: Path) -> None:
    text = alias_bomb()
    assert len(text) < 1024
    # The finding: the plain safe loader accepts it as shared references that expand to
    # 9**10 leaves (3.5 billion): writing the JSON copy ran until killed at 3 GB.
    assert expanded_size(yaml.load(text, Loader=yaml.CSafeLoader)["inspections"]) == 9**10
    store = make_store(tmp_path / "store")
    target = store / "authorities" / "hillingdon.yaml"
    target.write_text(text, encoding="utf-8")
    before = target.read_bytes()
    started = time.monotonic()
    result = cli("--store", str(store), "timeline", "hillingdon", code=1)
    assert time.monotonic() - started < 2
    assert "anchors and aliases" in result.stderr and "hillingdon.yaml" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    listing = cli("--store", str(store), "list", code=1)
    assert "hounslow" in listing.stdout and "warning" in listing.stderr
    docs = letters(tmp_path / "docs", 4)
    started = time.monotonic()
    ingest = cli("ingest", str(tmp_path / "docs"), "--store", str(store), "-j", "1", code=1)
    assert time.monotonic() - started < 60
    assert "anchors and aliases" in ingest.stderr
    assert target.read_bytes() == before
    assert docs


def test_a_huge_store_file_is_refused_unread(tmp_path: Path) -> None:
    store = make_store(tmp_path / "store")
    target = store / "authorities" / "hillingdon.yaml"
    with open(target, "ab") as fh:
        fh.truncate(17 * 1024 * 1024)
    result = cli("--store", str(store), "show", "hillingdon", code=1)
    assert "more than a store file can be" in result.stderr


# --------------------------------------------------------------------------- hand edits and corrections


def ingested(tmp_path: Path, count: int = 6) -> tuple[Path, Path]:
    docs = tmp_path / "docs"
    letters(docs, count)
    store = tmp_path / "store"
    cli("ingest", str(docs), "--store", str(store), "-j", "1")
    return docs, store


def test_a_hand_edit_is_never_overwritten_and_says_how_to_keep_it(tmp_path: Path) -> None:
    docs, store = ingested(tmp_path)
    target = store / "authorities" / "hillingdon.yaml"
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    record = data["inspections"][0]
    record["theme"] = "edited by a person"  # the finding: any such edit vanished on the next ingest
    target.write_text(dump_yaml(data), encoding="utf-8")
    edited = target.read_bytes()
    more = tmp_path / "more"
    docgen.good_documents(more, 2, seed=99, names=[("hillingdon", "Hillingdon")])
    result = cli("ingest", str(more), "--store", str(store), "-j", "1", code=1)
    assert target.read_bytes() == edited
    assert "hillingdon.yaml was edited by hand" in result.stderr
    assert "ofstl correct hillingdon" in result.stderr and "ingest --rebuild hillingdon" in result.stderr
    # one readable sentence (it read "... not stored until then. To keep the edit as a correction (...), then ...")
    assert "documents about hillingdon are not stored until it is rebuilt or the edit undone: keep the edit as a correction" in result.stderr
    # views still show the edit
    assert "edited by a person" in cli("--store", str(store), "show", "hillingdon", record["id"]).stdout
    # the person's say: rebuild from the sources, then the new documents go in
    rebuilt = cli("ingest", "--rebuild", "hillingdon", str(more), "--store", str(store), "-j", "1")
    assert "rebuilt" in rebuilt.stderr
    assert b"edited by a person" not in target.read_bytes()
    stored = {s["sha256"] for d in Store(store).load_all() for r in d["inspections"] for s in r["sources"]}
    assert {hashlib.sha256(p.read_bytes()).hexdigest() for p in more.iterdir()} <= stored


def test_a_store_without_written_hashes_is_recognised_by_its_content(tmp_path: Path) -> None:
    docs, store = ingested(tmp_path)
    shutil.rmtree(store / "written")
    more = tmp_path / "more"
    docgen.good_documents(more, 1, seed=98, names=[("hillingdon", "Hillingdon")])
    cli("ingest", str(more), "--store", str(store), "-j", "1")


def corrected_store(tmp_path: Path) -> tuple[Path, Path, str]:
    docs, store = ingested(tmp_path)
    data = Store(store).load("hillingdon")
    record = next(r for r in data["inspections"] if r["judgements"]) if any(r["judgements"] for r in data["inspections"]) else data["inspections"][0]
    return docs, store, record["id"]


def test_a_correction_survives_every_reingest_and_is_shown(tmp_path: Path) -> None:
    docs, store, rid = corrected_store(tmp_path)
    note = "the letter's first page names the wrong grade; see page 2"
    day_before = dt.datetime.now(dt.timezone.utc).date().isoformat()
    cli("correct", "hillingdon", rid, "overall", "inadequate", "--note", note, "--store", str(store))
    # The day the correction was made on, as stored: asking the clock again after the command
    # gives the next day when midnight (UTC) falls between the two.
    today = Store(store).load("hillingdon", raw=True)["corrections"][0]["date"]
    assert today in {day_before, dt.datetime.now(dt.timezone.utc).date().isoformat()}

    def check() -> None:
        record = next(r for r in Store(store).load("hillingdon")["inspections"] if r["id"] == rid)
        assert record["judgements"]["overall"]["grade"] == "inadequate"
        assert record["judgements"]["overall"]["method"] == "correction"
        shown = cli("--store", str(store), "show", "hillingdon", rid).stdout
        assert f"corrected by hand, {today}: {note}" in shown
        exported = json.loads(cli("--store", str(store), "export").stdout)
        row = next(r for r in exported["inspections"] if r["id"] == rid)
        assert row["judgements"]["overall"] == "inadequate"
        assert row["corrections"] == [{"field": "judgements.overall", "value": "inadequate", "note": note, "date": today}]
        timeline = cli("--store", str(store), "timeline", "hillingdon").stdout
        assert "corrected by hand" in timeline
        as_json = json.loads(cli("--store", str(store), "timeline", "hillingdon", "-f", "json").stdout)
        assert next(e for e in as_json["inspections"] if e["id"] == rid)["corrections"] == ["judgements.overall"]

    check()
    files = sorted(docs.iterdir())
    cli("ingest", str(docs), "--store", str(store), "-j", "1")  # everything again
    check()
    shutil.rmtree(store / "cache")
    for path in reversed(files):  # one by one, in another order, caches gone
        cli("ingest", str(path), "--store", str(store), "-j", "1", "--retry-failed")
    check()
    more = tmp_path / "more"
    docgen.good_documents(more, 2, seed=97, names=[("hillingdon", "Hillingdon")])
    cli("ingest", str(more), "--store", str(store), "-j", "1")  # new documents about it
    check()
    cli("ingest", "--rebuild", "hillingdon", "--store", str(store))  # a rebuild keeps it too
    check()
    # correcting again replaces, with the person's say
    again = cli("correct", "hillingdon", rid, "overall", "RI", "--note", "second look", "--store", str(store))
    assert "replaces the correction" in again.stderr
    record = next(r for r in Store(store).load("hillingdon")["inspections"] if r["id"] == rid)
    assert record["judgements"]["overall"]["grade"] == "requires improvement" and len(record["corrections"]) == 1


def _hand_write_corrections(store: Path, block: str) -> Path:
    """Put a corrections block into Hillingdon's file by hand, as a person would; the file."""
    target = store / "authorities" / "hillingdon.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("inspections:\n", block + "inspections:\n", 1), encoding="utf-8")
    return target


def test_a_hand_written_corrections_block_is_a_documented_edit(tmp_path: Path) -> None:
    docs, store, rid = corrected_store(tmp_path)
    target = _hand_write_corrections(store, f"corrections:\n- inspection: {rid}\n  field: start\n  value: '2019-01-07'\n"
                                   "  note: the fieldwork began a week later\n  date: '2026-11-29'\n")
    shown = cli("--store", str(store), "show", "hillingdon", rid).stdout
    assert "start 2019-01-07: corrected by hand, 2026-11-29: the fieldwork began a week later" in shown
    more = tmp_path / "more"
    docgen.good_documents(more, 1, seed=96, names=[("hillingdon", "Hillingdon")])
    result = cli("ingest", str(more), "--store", str(store), "-j", "1")
    assert "edited by hand" not in result.stderr
    assert "the fieldwork began a week later" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("args, words", [
    (["hillingdon", "2099", "overall", "good"], "no inspection matches"),
    (["hillingdon", "2020", "overal l", "good"], "cannot correct"),
    (["hillingdon", "2020", "overall", "great"], "is not a grade"),
    (["hillingdon", "2020", "start", "March"], "is not a date"),
    # what cannot be right for that inspection, as a typo makes it
    (["hillingdon", "2018", "overall", "adequate"], "is not on the ILACS grade scale"),
    (["hillingdon", "2009", "children_in_care", "RI"], "is not on the SLAC grade scale"),
    (["hillingdon", "2009", "overall", "good"], "made no overall judgement"),
    (["hillingdon", "2018", "type", "banana"], "is not a type of ILACS inspection"),
    (["hillingdon", "2013", "start", "2014-10-01"], "start 2014-10-01 would be after end 2013-12-18"),
    (["hillingdon", "2013", "end", "2013-10"], "start 2013-11-25 would be after end 2013-10"),
    (["hillingdon", "2013", "published", "2013-01-10"], "start 2013-11-25 would be after published 2013-01-10"),
    (["hillingdon", "2018", "framework", "Ofsted"], "is not a framework"),
    (["hillingdon", "2009", "framework", "ilacs"], "cannot be under ILACS: that framework was not in force then"),
    # The last child protection inspections were published in August 2013; the SIF began in November.
    (["hillingdon", "2013", "framework", "Child protection"], "hillingdon-2013-11-sif (2013-11-25) cannot be under Child protection: that framework was not in force then"),
    (["hillingdon", "2018", "framework", "FV"], "has grades (overall, leadership, help_and_protection, children_in_care), which a Focused visit never gives"),
])
def test_correct_refuses_what_it_cannot_store(tmp_path: Path, args: list[str], words: str) -> None:
    store = make_store(tmp_path / "store")
    before = (store / "authorities" / "hillingdon.yaml").read_bytes()
    result = cli("correct", *args, "--note", "why", "--store", str(store), code=2)
    assert words in result.stderr
    assert (store / "authorities" / "hillingdon.yaml").read_bytes() == before


def test_a_framework_correction_refuses_a_judgement_the_new_framework_never_made() -> None:
    from ofstl.corrections import check_fits
    from ofstl.errors import UsageError

    cpi = {"id": "x-2013-03-cpi", "framework": "cpi", "start": "2013-03", "judgements": {"help_and_protection": {"grade": "adequate"}}}
    with pytest.raises(UsageError, match="help_and_protection judgement \\(adequate\\) is one Looked after children never made"):
        check_fits(cpi, "framework", "lac")
    # An inspection left open (a CPI or a LAC inspection) has its whole grade as 'overall',
    # which is the settled framework's own: no refusal.
    open_one = {"id": "x-2013-cpi-or-lac", "framework": "cpi-or-lac", "start": "2013", "judgements": {"overall": {"grade": "adequate"}}}
    check_fits(open_one, "framework", "lac")
    check_fits(open_one, "framework", "cpi")


@pytest.mark.parametrize("when", ["", "2", "20", "13", "last", "2013-13", "2013-02-30"])  # no month 13, no 30 February
def test_a_when_that_is_no_year_date_or_id_is_refused_everywhere(tmp_path: Path, when: str) -> None:
    """An empty WHEN (an unset variable in a script) or a fragment matched every inspection,
    so `ofstl correct hillingdon "$YEAR" overall good` corrected whichever came first."""
    store = make_store(tmp_path / "store")
    before = (store / "authorities" / "hillingdon.yaml").read_bytes()
    result = cli("correct", "hillingdon", when, "overall", "good", "--note", "why", "--store", str(store), code=2)
    assert "is not a year, a date or an inspection id" in result.stderr
    assert (store / "authorities" / "hillingdon.yaml").read_bytes() == before
    for args in (["show", "hillingdon", when], ["diff", "hillingdon", when, "2018"], ["diff", "hillingdon", "2013", when], ["diff", "hillingdon", when]):
        assert "is not a year, a date or an inspection id" in cli(*args, "--store", str(store), code=2).stderr


@pytest.mark.parametrize("value, stored", [("Requires improvement to be good", "requires improvement"), ("RI", "requires improvement"),
                                           ("Good (Grade 2)", "good"), ("requires  Improvement", "requires improvement")])
def test_correct_takes_a_grade_as_reports_print_it(tmp_path: Path, value: str, stored: str) -> None:
    """The words as printed in the report's table are a grade too ("Requires improvement to be
    good" was refused as 'not a grade')."""
    store = make_store(tmp_path / "store")
    cli("correct", "hillingdon", "2018", "overall", value, "--note", "as printed", "--store", str(store))
    record = next(r for r in Store(store).load("hillingdon")["inspections"] if r["id"] == "hillingdon-2018-04-ilacs")
    assert record["judgements"]["overall"]["grade"] == stored


def test_correcting_both_ends_of_the_fieldwork_goes_in_either_order(tmp_path: Path) -> None:
    store = make_store(tmp_path / "store")
    cli("correct", "hillingdon", "2013", "end", "2014-10-31", "--note", "the dates were a year out", "--store", str(store))
    cli("correct", "hillingdon", "2013", "published", "2014-12-01", "--note", "the dates were a year out", "--store", str(store))
    cli("correct", "hillingdon", "2013", "start", "2014-10-01", "--note", "the dates were a year out", "--store", str(store))
    record = next(r for r in Store(store).load("hillingdon")["inspections"] if r["id"] == "hillingdon-2013-11-sif")
    assert (record["start"], record["end"], record["published"]) == ("2014-10-01", "2014-10-31", "2014-12-01")


def test_a_framework_read_wrongly_is_corrected_everywhere(tmp_path: Path) -> None:
    """A mention's framework is often ambiguous ("the child protection inspection in 2012"
    was a CPI, not a SLAC); it had no KEY. Its type goes with the framework it was read as."""
    store = make_store(tmp_path / "store")
    result = cli("correct", "hillingdon", "2018", "framework", "SIF", "--note", "fieldwork under the old framework", "--store", str(store))
    assert "corrected hillingdon-2018-04-ilacs framework: SIF (by hand" in result.stderr + result.stdout
    exported = json.loads(cli("--store", str(store), "export").stdout)
    row = next(r for r in exported["inspections"] if r["id"] == "hillingdon-2018-04-ilacs")
    assert (row["framework"], row["type"], row["judgements"]["overall"]) == ("sif", None, "good")
    shown = cli("--store", str(store), "show", "hillingdon", "2018").stdout
    assert "framework SIF: corrected by hand" in shown
    timeline = cli("--store", str(store), "timeline", "hillingdon").stdout
    assert "2018-04-16  SIF " in timeline and "corrected by hand" in timeline
    # a grade then checked against the corrected framework's judgements
    assert "made no capacity judgement" in cli("correct", "hillingdon", "2018", "capacity", "good", "--note", "x",
                                                  "--store", str(store), code=2).stderr


# --------------------------------------------------------------------------- caches


def test_a_tampered_json_copy_is_never_believed_or_written_back(tmp_path: Path) -> None:
    docs, store = ingested(tmp_path)
    cli("--store", str(store), "list")  # makes the copies
    copy_path = store / "cache" / "records" / "hillingdon.json"
    header, body = copy_path.read_text(encoding="utf-8").split("\n", 1)
    assert json.loads(header)["sha256"] == hashlib.sha256((store / "authorities" / "hillingdon.yaml").read_bytes()).hexdigest()
    data = json.loads(body)
    truth = [r["id"] for r in data["inspections"]]
    data["inspections"][0]["id"] = "forged"  # the YAML's hash still matches: the finding
    copy_path.write_text(header + "\n" + json.dumps(data), encoding="utf-8")
    assert [r["id"] for r in Store(store).load("hillingdon")["inspections"]] == truth
    more = tmp_path / "more"
    docgen.good_documents(more, 1, seed=95, names=[("hillingdon", "Hillingdon")])
    cli("ingest", str(more), "--store", str(store), "-j", "1")
    assert b"forged" not in (store / "authorities" / "hillingdon.yaml").read_bytes()


def test_a_tampered_text_cache_entry_is_dropped(tmp_path: Path) -> None:
    docs, store = ingested(tmp_path, 1)
    path = next(docs.iterdir())
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    entry_path = store / "cache" / f"{sha}.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    entry["pages"][0]["text"] = "Focused visit to Ealing local authority children's services\nForged."
    entry_path.write_text(json.dumps(entry), encoding="utf-8")
    assert Store(store).cached_text(sha) is None and not entry_path.exists()
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(path, other / "again.txt")
    fresh = tmp_path / "fresh"
    shutil.copytree(store / "cache", fresh / "cache")
    entry_path2 = fresh / "cache" / f"{sha}.json"
    entry_path2.write_text(json.dumps(entry), encoding="utf-8")
    cli("ingest", str(other), "--store", str(fresh), "-j", "1")
    assert Store(fresh).slugs() != ["ealing"]


# --------------------------------------------------------------------------- printing


def test_control_characters_never_reach_the_terminal(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    text = docgen.focused_visit_letter("Hillingdon", dt.date(2021, 3, 9), seed=4)
    first = next(line for line in text.splitlines() if line.strip().startswith("- "))
    poisoned = text.replace(first, first + " \x1b]0;pwned\x07\x1b[2J\x9b31m", 1)
    name = "evil\x1b[2Jname\nsecond line.txt"
    (docs / name).write_text(poisoned, encoding="utf-8")
    store = tmp_path / "store"
    outputs = [cli("-v", "ingest", str(docs), "--store", str(store), "-j", "1"),
               cli("ingest", str(docs), "--store", str(store), "-f", "json")]
    outputs += [cli("--store", str(store), "show", "hillingdon"), cli("--store", str(store), "show", "hillingdon", "-f", "markdown"),
                cli("--store", str(store), "timeline", "hillingdon"), cli("--store", str(store), "export", "-f", "csv")]
    for result in outputs:
        for stream in (result.stdout, result.stderr):
            assert "\x1b" not in stream and "\x07" not in stream and "\x9b" not in stream, stream
    assert "\\x1b[2J" in outputs[2].stdout  # shown, escaped
    assert json.loads(outputs[1].stdout.splitlines()[0])["status"] == "unchanged"
    assert len(outputs[1].stdout.splitlines()) == 1  # the newline in the name does not split the line
    exported = cli("--store", str(store), "export")
    assert "\x1b" not in exported.stdout and json.loads(exported.stdout)  # JSON stays JSON


# --------------------------------------------------------------------------- arguments


def test_an_empty_path_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    letters(tmp_path / "here", 1)  # the finding: these were read (the current folder)
    result = cli("ingest", "", "--store", str(tmp_path / "store"), code=2)
    assert "empty path" in result.stderr
    assert not (tmp_path / "store").exists()
    assert "no PATH" in cli("ingest", "--store", str(tmp_path / "store"), code=2).stderr


@pytest.mark.parametrize("value", ["inf", "nan", "0", "-1", "-inf"])
def test_timeout_must_be_finite_and_positive(tmp_path: Path, value: str) -> None:
    letters(tmp_path / "docs", 1)
    result = cli("ingest", str(tmp_path / "docs"), "--store", str(tmp_path / "store"), f"--timeout={value}", code=2)
    assert "--timeout" in result.stderr
    assert not (tmp_path / "store" / "cache" / "failed").exists()


def test_an_infinite_timeout_in_the_environment_falls_back_to_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    from ofstl.ingest.workers import PER_FILE_TIMEOUT, default_timeout

    for value in ("inf", "nan", "-3", "0"):
        monkeypatch.setenv("OFSTL_FILE_TIMEOUT", value)
        assert default_timeout() == PER_FILE_TIMEOUT


def test_store_path_mistakes_are_usage_errors(tmp_path: Path) -> None:
    nowhere = tmp_path / "nowhere"
    for view in VIEWS:
        result = cli("--store", str(nowhere), *view, code=2)
        assert f"no store at {nowhere}" in result.stderr
    assert not nowhere.exists()
    regular = tmp_path / "file"
    regular.write_text("x")
    assert "is a file, not a store folder" in cli("--store", str(regular), "list", code=2).stderr
    assert "is a file" in cli("ingest", str(regular), "--store", str(regular), code=2).stderr
    assert "--store is empty" in cli("--store", "", "list", code=2).stderr
    assert "--store is empty" in cli("list", "--store", "", code=2).stderr
    letters(tmp_path / "docs", 1)
    created = cli("ingest", str(tmp_path / "docs"), "--store", str(tmp_path / "new"), "-j", "1")
    assert created.exit_code == 0 and Store(tmp_path / "new").slugs()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_store_is_named_as_such(tmp_path: Path) -> None:
    store = make_store(tmp_path / "store")
    store.chmod(0o555)
    try:
        letters(tmp_path / "docs", 1)
        result = cli("ingest", str(tmp_path / "docs"), "--store", str(store), code=2)
        assert "not writable" in result.stderr
    finally:
        store.chmod(0o755)


# --------------------------------------------------------------------------- documents


def test_a_text_naming_a_council_but_no_inspection_is_skipped(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "library.txt").write_text("Hounslow Council news\n\nThe council has announced new opening hours for Hounslow library.\n"
                                      "From March the library opens on Sundays, 10am to 4pm.\n", encoding="utf-8")
    store = tmp_path / "store"
    result = cli("ingest", str(docs), "--store", str(store), "-f", "json")
    row = json.loads(result.stdout)
    assert row["status"] == "skipped" and "no inspection" in row["message"], row
    assert not Store(store).slugs()


def test_a_text_about_an_inspection_it_cannot_place_is_no_event_of_its_own(tmp_path: Path) -> None:
    """A short news item ("rated outstanding by Ofsted", no framework, date or grade read) became
    an "undated Other not graded" event in the authority's history; what such a text says of an
    earlier inspection is still kept."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "news.txt").write_text("Hounslow children's services praised by Ofsted\n\nHounslow Council's children's services have "
                                   "been praised by Ofsted inspectors. The council leader said staff had worked hard.\n", encoding="utf-8")
    store = tmp_path / "store"
    row = json.loads(cli("ingest", str(docs), "--store", str(store), "-f", "json").stdout)
    assert row["status"] == "skipped" and "names no framework, date, grade or finding" in row["message"], row
    assert not Store(store).slugs()
    (docs / "news.txt").write_text("Hounslow children's services praised by Ofsted\n\nHounslow Council's children's services have been "
                                   "praised by Ofsted inspectors. At the last inspection in October 2018, services were judged to be good.\n",
                                   encoding="utf-8")
    cli("ingest", str(docs), "--store", str(store))
    [record] = Store(store).load("hounslow")["inspections"]
    assert (record["framework"], record["start"], record["role"]) == ("ilacs", "2018-10", "mentioned")


# --------------------------------------------------------------------------- the rest


def test_store_files_honour_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o002)
    try:
        store = make_store(tmp_path / "store")
    finally:
        os.umask(old)
    mode = stat.S_IMODE((store / "authorities" / "hillingdon.yaml").stat().st_mode)
    assert mode == 0o664, oct(mode)  # was 0600 whatever the umask


def test_pictures_never_overwrite_a_store_file_or_a_stranger(tmp_path: Path) -> None:
    store = make_store(tmp_path / "store")
    target = store / "authorities" / "hounslow.yaml"
    before = target.read_bytes()
    result = cli("--store", str(store), "timeline", "hillingdon", "--svg", str(target), "--force", code=2)
    assert "inside the store" in result.stderr and target.read_bytes() == before
    notes = tmp_path / "notes.html"
    notes.write_text("my own notes")
    assert "not a picture ofstl wrote" in cli("--store", str(store), "timeline", "hillingdon", "--html", str(notes), code=2).stderr
    assert notes.read_text() == "my own notes"
    cli("--store", str(store), "timeline", "hillingdon", "--html", str(notes), "--force")
    assert "<svg" in notes.read_text()
    picture = tmp_path / "t.svg"
    cli("--store", str(store), "timeline", "hillingdon", "--svg", str(picture))
    cli("--store", str(store), "timeline", "hillingdon", "--svg", str(picture))  # its own: no --force needed


def test_a_remembered_failure_says_how_to_retry_and_retries(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "runaway.pdf").write_bytes(docgen.runaway_pdf())
    store = tmp_path / "store"
    first = cli("ingest", str(docs), "--store", str(store), "--timeout", "0.5", "-f", "json", code=1)
    assert "longer than" in json.loads(first.stdout)["message"]
    again = cli("ingest", str(docs), "--store", str(store), "--timeout", "0.5", "-f", "json", code=1)
    assert "--retry-failed" in json.loads(again.stdout)["message"]
    started = time.monotonic()
    retried = cli("ingest", str(docs), "--store", str(store), "--timeout", "0.5", "--retry-failed", "-f", "json", code=1)
    assert "unchanged since" not in json.loads(retried.stdout)["message"] and time.monotonic() - started >= 0.5


def test_the_next_hint_quotes_the_store_for_the_shell(tmp_path: Path) -> None:
    letters(tmp_path / "docs", 1)
    store = tmp_path / "my store; rm -rf ~"
    result = cli("ingest", str(tmp_path / "docs"), "--store", str(store), "-j", "1")
    assert f"--store '{store}'" in result.stderr


def test_the_worker_result_must_be_of_the_bytes_hashed(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    paths = letters(docs, 1)
    other = docgen.focused_visit_letter("Hounslow", dt.date(2022, 5, 3), seed=8)

    def swapping_task(path: str, cache_root: str | None, timeout: float | None) -> Any:
        Path(path).write_text(other, encoding="utf-8")  # the file changes after it was hashed
        return run_task(path, cache_root, timeout)

    run = Ingest(Store(tmp_path / "store"), jobs=1)
    run.task = swapping_task
    run.in_process = True
    [result] = run.run([paths[0]])
    assert result.status == "error" and "changed while it was being read" in result.message
    assert not Store(tmp_path / "store").slugs()


def test_comments_in_the_corrections_block_are_kept(tmp_path: Path) -> None:
    docs, store, rid = corrected_store(tmp_path)
    target = _hand_write_corrections(
        store, f"corrections:\n# checked against the paper copy in the council's archive\n- inspection: {rid}   # the first visit\n"
               "  field: theme\n  value: the front door\n  note: shortened\n  date: '2026-11-28'\n")
    more = tmp_path / "more"
    docgen.good_documents(more, 1, seed=94, names=[("hillingdon", "Hillingdon")])
    result = cli("ingest", str(more), "--store", str(store), "-j", "1")
    assert "edited by hand" not in result.stderr
    cli("correct", "hillingdon", rid, "start", "2019-01-07", "--note", "a week later", "--store", str(store))
    after = target.read_text(encoding="utf-8")
    assert "# checked against the paper copy in the council's archive" in after and "# the first visit" in after
    assert "a week later" in after
    record = next(r for r in Store(store).load("hillingdon")["inspections"] if r["id"] == rid)
    assert record["theme"] == "the front door" and record["start"] == "2019-01-07"


@pytest.mark.parametrize("old, new, words", [
    ("start: '2013-11-25'", "start: 2013-11-25", "inspection 3 (hillingdon-2013-11-sif): start: should be a date in quotes"),
    ("overall:\n      grade: requires improvement", "overall: requires improvement\n    overall_was:\n      grade: requires improvement",
     "inspection 3 (hillingdon-2013-11-sif): judgements.overall: should be a mapping, not text"),
    ("grade: outstanding", "grade: null", "judgements.leadership.grade: null is not a grade"),
    ("- id: hillingdon-2018-04-ilacs\n  framework", "- framework", "inspection 4: has no 'id'"),
    # a day no calendar has: stored, it made `due --backtest` end with an internal error
    ("start: '2013-11-25'", "start: '2013-02-30'", "inspection 3 (hillingdon-2013-11-sif): start: '2013-02-30' is not a day of the calendar"),
])
def test_a_hand_edit_with_a_wrong_type_is_one_line_not_an_internal_error(tmp_path: Path, old: str, new: str, words: str) -> None:
    store = make_store(tmp_path / "store")
    target = store / "authorities" / "hillingdon.yaml"
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    # The finding: each of these ended the views with "internal error", exit 3.
    for view in VIEWS:
        result = cli("--store", str(store), *view, code=1)
        assert "hillingdon.yaml" in result.stderr and words in result.stderr, result.stderr
        if view[0] in ("list", "export"):
            assert "hounslow" in result.stdout  # the rest, with a warning
        elif view[0] == "themes":
            assert "2 inspections and visits with weaknesses" in result.stdout  # Hounslow's two
        else:
            assert len(result.stderr.strip().splitlines()) == 1
    assert "Hounslow · 2 inspections" in cli("--store", str(store), "timeline", "hounslow").stdout


def test_a_correction_follows_its_inspection_or_is_kept_and_reported(tmp_path: Path) -> None:
    from ofstl.corrections import apply

    base = {"inspections": [{"id": "hillingdon-2019-01-ilacs", "framework": "ilacs", "judgements": {}},
                            {"id": "hillingdon-2020-03-ilacs", "framework": "ilacs", "judgements": {}}]}
    moved = {"inspection": "hillingdon-2019-01-ilacs-2", "field": "type", "value": "short", "note": "n", "date": "2026-11-29"}
    assert apply({**base, "corrections": [moved]})["inspections"][0]["type"] == "short"  # a "-2" taken away
    lost = dict(moved, inspection="hillingdon-2015-06-sif")
    applied = apply({**base, "corrections": [lost]})
    assert applied["unmatched_corrections"] == [lost] and "type" not in applied["inspections"][0]
    store = make_store(tmp_path / "store")
    _hand_write_corrections(store, "corrections:\n- inspection: hillingdon-2015-06-sif\n  field: type\n  value: short\n  note: n\n  date: '2026-11-29'\n")
    result = cli("--store", str(store), "timeline", "hillingdon")
    assert "correction of hillingdon-2015-06-sif type (2026-11-29) matches no inspection now; it is kept" in result.stderr


def test_a_folder_with_no_files_is_named_in_the_summary(tmp_path: Path) -> None:
    """`ofstl ingest ~/ofsted-docs` (an empty or mistyped new folder) said only "0 added, 0
    unchanged, 0 skipped, 0 failed"; it now names the folder that held nothing."""
    (tmp_path / "empty" / "sub").mkdir(parents=True)
    result = cli("ingest", str(tmp_path / "empty"), "--store", str(tmp_path / "store"))
    assert f"nothing read from {tmp_path / 'empty'}: the folder holds no files" in result.stderr
    letters(tmp_path / "docs", 1)
    full = cli("ingest", str(tmp_path / "docs"), "--store", str(tmp_path / "store"), "-j", "1")
    assert "nothing read" not in full.stderr


def test_a_hand_written_framework_correction_must_name_a_framework(tmp_path: Path) -> None:
    store = make_store(tmp_path / "store")
    _hand_write_corrections(store, "corrections:\n- inspection: hillingdon-2013-11-sif\n  field: framework\n  value: SIF2\n  note: n\n  date: '2026-11-29'\n")
    result = cli("--store", str(store), "timeline", "hillingdon", code=None)
    assert result.exit_code != 0 and "corrections[0].value: 'SIF2' is not one of apa, jar" in result.stderr
