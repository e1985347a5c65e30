"""The command line through typer's CliRunner: golden outputs, errors, terminal vs pipe.

Golden files live in tests/golden/ and are compared exactly, with a fixed width
(COLUMNS=100) and no colour. After an intended change in output, regenerate them with

    OFSTL_UPDATE_GOLDEN=1 make test

and review the diff before committing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ofstl.cli import app, complete_authority, hoist_global_flags
from ofstl.cli.env import Env
from tests.fixture_store import make_store

GOLDEN = Path(__file__).parent / "golden"
THEMES = str(GOLDEN / "themes.yaml")
ENV = {"COLUMNS": "100", "NO_COLOR": "1", "OFSTL_THEMES": THEMES}
ANSI = "\x1b["


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_store(tmp_path_factory.mktemp("store"))


def run(store: Path | None, *args: str, env: dict[str, str] | None = None, obj: dict | None = None, code: int = 0):
    argv = (["--store", str(store)] if store else []) + list(args)
    result = CliRunner().invoke(app, argv, env={**ENV, **(env or {})}, obj=obj)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("OFSTL_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"{path} missing: run OFSTL_UPDATE_GOLDEN=1 make test"
    assert text == path.read_text(encoding="utf-8"), f"output differs from {path} (OFSTL_UPDATE_GOLDEN=1 to regenerate)"


# --------------------------------------------------------------------------- goldens

VIEWS = [
    ("timeline", ["timeline", "hillingdon"], ["table", "json", "csv", "markdown"]),
    ("diff", ["diff", "hillingdon"], ["table", "json", "csv", "markdown"]),
    ("diff-years", ["diff", "hillingdon", "2013", "2018"], ["table"]),
    ("list", ["list"], ["table", "json", "csv", "markdown"]),
    ("show", ["show", "hillingdon", "2013"], ["table", "json", "markdown"]),
    ("export", ["export"], ["json", "csv"]),
    ("themes", ["themes"], ["table", "json", "csv", "markdown"]),
]
CASES = [(name, args, fmt) for name, args, fmts in VIEWS for fmt in fmts]
EXT = {"table": "txt", "json": "json.txt", "csv": "csv.txt", "markdown": "md.txt"}


@pytest.mark.parametrize("name,args,fmt", CASES, ids=[f"{n}-{f}" for n, _, f in CASES])
def test_golden(store: Path, name: str, args: list[str], fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Sources are shown as opened from the current folder (absolute outside it); the fixture's
    # documents are docs/NAME in the store folder, so from there the goldens hold no machine's paths.
    monkeypatch.chdir(store)
    result = run(store, *args, "--format", fmt)
    assert ANSI not in result.stdout
    if fmt == "json":
        json.loads(result.stdout)
    check_golden(f"{name}.{EXT[fmt]}", result.stdout)


def test_default_formats(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(store)  # as test_golden
    assert run(store, "timeline", "hillingdon").stdout == (GOLDEN / "timeline.txt").read_text(encoding="utf-8")
    assert run(store, "export").stdout == (GOLDEN / "export.json.txt").read_text(encoding="utf-8")


def test_timeline_fits_100_columns_for_ten_inspections(tmp_path: Path) -> None:
    from ofstl.store import Store
    from tests.fixture_store import HILLINGDON, _j, _record

    many = list(HILLINGDON)
    for year in range(2024, 2030):
        many.append(_record(f"hillingdon-{year}-01-ilacs", "ilacs", f"{year}-01-10", judgements={
            "overall": _j("good"), "leadership": _j("good"), "help_and_protection": _j("requires improvement"),
            "children_in_care": _j("good"), "care_leavers": _j("good")}, weaknesses=[]))
    Store(tmp_path).save("hillingdon", many)
    out = run(tmp_path, "timeline", "hillingdon").stdout
    assert max(len(line) for line in out.splitlines()) <= 100, out
    assert out.count("ILACS") >= 8


def test_timeline_content(store: Path) -> None:
    out = run(store, "timeline", "hillingdon").stdout
    assert out.startswith("Hillingdon · 6 inspections and visits · 2009–2023")
    assert "◌ 2009-12" in out and "only mentioned later" in out  # mentioned-only inspection marked
    assert "○ 2020-01-15  Focused visit" in out and "vulnerable adolescents" in out  # ungraded visit as an event
    assert "G*" in out and "RI↓" in out and "O↑" in out  # change markers
    assert "Quality of assessments" in out and "Quality of plans" in out  # recurring themes under it, by label
    assert "assessment_quality" not in out  # slugs stay in JSON and CSV


# --------------------------------------------------------------------------- pictures


def test_svg_is_well_formed_and_has_the_parts(store: Path, tmp_path: Path) -> None:
    target = tmp_path / "t.svg"
    result = run(store, "timeline", "hillingdon", "--svg", str(target))
    assert result.stdout == (GOLDEN / "timeline.txt").read_text(encoding="utf-8")  # the table still prints
    assert "wrote" in result.stderr
    assert run(store, "-q", "timeline", "hillingdon", "--svg", str(target)).stdout == ""  # unless -q
    root = ET.parse(target).getroot()
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    ids = {g.get("id") for g in root.iter("{http://www.w3.org/2000/svg}g")}
    assert {"grade-bands", "axis", "grade-lines", "visits", "legend", "grade-matrix", "themes"} <= ids
    lines = root.findall(".//s:polyline", ns)
    assert {p.get("data-judgement") for p in lines} >= {"overall", "leadership", "children_in_care"}
    texts = "".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "Hillingdon" in texts and "Quality of assessments" in texts
    assert "Source: Ofsted reports read by ofstl, " in texts


def test_svg_is_a_step_chart_with_markers_side_by_side(store: Path, tmp_path: Path) -> None:
    target = tmp_path / "t.svg"
    run(store, "timeline", "hillingdon", "--svg", str(target), env={"SOURCE_DATE_EPOCH": "1767225600"})
    root = ET.parse(target).getroot()
    ns = {"s": "http://www.w3.org/2000/svg"}
    for line in root.findall(".//s:polyline", ns):
        points = [tuple(map(float, p.split(","))) for p in line.get("points").split()]
        for (x1, y1), (x2, y2) in zip(points, points[1:]):
            assert x1 == x2 or y1 == y2, line.get("points")  # steps, never a diagonal
    marks = [(c.get("cx"), c.get("cy")) for c in root.find(".//s:g[@id='grade-lines']", ns).findall("s:circle", ns)]
    assert len(marks) == len(set(marks))  # no marker hidden under another
    source = root.find(".//s:text[@id='source']", ns)
    assert source.text == "Source: Ofsted reports read by ofstl, 2026-01-01"


def test_themes_option_is_passed_not_put_in_the_environment(store: Path) -> None:
    before = os.environ.get("OFSTL_THEMES")
    out = CliRunner().invoke(app, ["--store", str(store), "--themes", THEMES, "timeline", "hillingdon"], env={"COLUMNS": "100", "NO_COLOR": "1"})
    assert out.exit_code == 0 and "Quality of assessments" in out.stdout
    assert os.environ.get("OFSTL_THEMES") == before


def test_svg_to_stdout(store: Path) -> None:
    out = run(store, "timeline", "hillingdon", "--svg", "-").stdout
    ET.fromstring(out.split("\n", 1)[1])


def test_html_is_self_contained_with_chart_and_items(store: Path, tmp_path: Path) -> None:
    from html.parser import HTMLParser

    target = tmp_path / "t.html"
    run(store, "timeline", "hillingdon", "--html", str(target))
    page = target.read_text(encoding="utf-8")

    class Collect(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[tuple[str, dict]] = []

        def handle_starttag(self, tag: str, attrs: list) -> None:
            self.tags.append((tag, dict(attrs)))

    parser = Collect()
    parser.feed(page)
    tags = [t for t, _ in parser.tags]
    assert page.startswith("<!DOCTYPE html>")
    assert "svg" in tags and "polyline" in tags and "circle" in tags  # the chart, inline
    assert not [a for t, a in parser.tags if t in ("script", "link", "img")]  # no external assets
    assert not any(a.get("src") or (a.get("href") or "").startswith("http") for _, a in parser.tags)
    assert 'id="grade-chart"' in page and 'id="theme-assessment_quality"' in page
    assert "The quality of assessments [of need] varies too much." in page  # verbatim items behind the theme
    assert "Return home interviews do not always explore what happened." in page


# --------------------------------------------------------------------------- errors and exit codes


def test_unknown_authority_suggests(store: Path) -> None:
    result = run(store, "timeline", "Hilingdon", code=2)
    assert result.stdout == ""
    assert "ofstl: error: unknown authority 'Hilingdon'" in result.stderr
    assert "did you mean 'hillingdon'?" in result.stderr


def test_lenient_names(store: Path) -> None:
    expected = run(store, "timeline", "hillingdon").stdout
    assert run(store, "timeline", "London Borough of Hillingdon").stdout == expected
    assert run(store, "timeline", "HILLINGDON").stdout == expected


def test_authority_not_in_store(store: Path) -> None:
    result = run(store, "timeline", "camden", code=2)
    assert "no inspections of Camden" in result.stderr and "hillingdon" in result.stderr


def test_bad_format_and_option(store: Path) -> None:
    assert "--format must be one of" in run(store, "timeline", "hillingdon", "--format", "xml", code=2).stderr
    assert run(store, "timeline", "hillingdon", "--bogus", code=2).stdout == ""


def test_no_such_inspection(store: Path) -> None:
    result = run(store, "show", "hillingdon", "1999", code=2)
    assert "no inspection matches '1999'" in result.stderr


def test_diff_exit_code(store: Path) -> None:
    run(store, "diff", "hillingdon", "--exit-code", code=1)
    run(store, "diff", "hillingdon", "2013", "2013", "--exit-code", code=0)
    assert run(store, "diff", "hillingdon", "2013", "2013").stdout.startswith("hillingdon: SIF 2013-11-25 → SIF 2013-11-25 · no differences")


def test_diff_warns_of_a_mention_only_side_in_every_format(store: Path) -> None:
    table = run(store, "diff", "hillingdon", "2009", "2013")
    assert table.stdout.splitlines()[1].startswith("! SLAC 2009-12 is known only from a mention")
    for fmt in ("json", "csv"):
        result = run(store, "diff", "hillingdon", "2009", "2013", "--format", fmt)
        assert "ofstl: warning: SLAC 2009-12 is known only from a mention" in result.stderr
    assert json.loads(run(store, "diff", "hillingdon", "2009", "2013", "--format", "json").stdout)["warnings"]


def test_debug_shows_the_exception(store: Path) -> None:
    result = CliRunner().invoke(app, ["--store", str(store), "--debug", "timeline", "Hilingdon"], env=ENV)
    assert type(result.exception).__name__ == "UnknownAuthority"


def test_internal_error_is_one_line(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ofstl import views

    def boom(data, *settings, **options):
        raise RuntimeError("kaput")

    monkeypatch.setattr(views, "timeline", boom)
    result = run(store, "timeline", "hillingdon", code=3)
    assert "internal error: RuntimeError: kaput" in result.stderr and "--debug" in result.stderr


def test_version_and_concise_help() -> None:
    from ofstl import __version__

    assert run(None, "--version").stdout == f"ofstl {__version__}\n"
    out = run(None).stdout
    assert "ofstl timeline hillingdon" in out and "ofstl --help" in out
    assert len(out.splitlines()) < 15


def test_help_lists_commands_and_exit_codes() -> None:
    out = run(None, "--help").stdout
    for command in ("ingest", "timeline", "diff", "list", "show", "export", "themes"):
        assert command in out
    assert "Exit codes" in out


def test_empty_store(tmp_path: Path) -> None:
    assert "store is empty" in run(tmp_path, "list").stdout
    assert json.loads(run(tmp_path, "export").stdout) == {"ofstl_export": 1, "inspections": []}
    assert "no inspections of Hillingdon" in run(tmp_path, "timeline", "hillingdon", code=2).stderr


# --------------------------------------------------------------------------- terminal vs pipe (httpie-style Env)


def test_colour_only_on_a_terminal(store: Path) -> None:
    tty = run(store, "timeline", "hillingdon", obj={"stdout_isatty": True, "environ": {"COLUMNS": "100"}})
    assert ANSI in tty.stdout
    plain = run(store, "timeline", "hillingdon", obj={"stdout_isatty": False, "environ": {"COLUMNS": "100"}})
    assert ANSI not in plain.stdout
    import re

    assert re.sub(r"\x1b\[[0-9;]*m", "", tty.stdout) == plain.stdout  # colour only reinforces


@pytest.mark.parametrize("how", ["NO_COLOR", "--no-color", "TERM=dumb"])
def test_no_colour_on_request(store: Path, how: str) -> None:
    environ = {"COLUMNS": "100"}
    args = ["timeline", "hillingdon"]
    if how == "NO_COLOR":
        environ["NO_COLOR"] = "1"
    elif how == "TERM=dumb":
        environ["TERM"] = "dumb"
    else:
        args = ["--no-color", *args]
    out = run(store, *args, obj={"stdout_isatty": True, "environ": environ}).stdout
    assert ANSI not in out


def test_env_decisions() -> None:
    tty = Env(stdout_isatty=True, stderr_isatty=True, environ={})
    pipe = Env(stdout_isatty=False, stderr_isatty=False, environ={})
    assert tty.color and tty.progress and not pipe.color and not pipe.progress
    assert not Env(stdout_isatty=True, stderr_isatty=True, quiet=True, environ={}).progress
    assert not Env(stdout_isatty=True, environ={"NO_COLOR": "1"}).color
    assert Env(stdout_isatty=False, environ={"COLUMNS": "77"}).width == 77
    assert Env(stdout_isatty=False, environ={}).width == 100


def test_global_flags_anywhere() -> None:
    assert hoist_global_flags(["timeline", "x", "--no-color", "-q"]) == ["--no-color", "-q", "timeline", "x"]
    assert hoist_global_flags(["show", "x", "--", "-v"]) == ["show", "x", "--", "-v"]


def test_completion_offers_store_slugs(store: Path) -> None:
    class Ctx:
        params = {"store": str(store)}
        parent = None

    assert complete_authority(Ctx(), "hi") == ["hillingdon"]
    assert complete_authority(Ctx(), "") == ["hillingdon", "hounslow"]
    assert complete_authority(Ctx(), "zz") == []


def test_completion_offers_when_values_and_formats(store: Path) -> None:
    from ofstl.cli.completion import complete_format, complete_when

    class Ctx:
        params = {"store": str(store), "authority": "hillingdon"}
        parent = None
        info_name = "diff"

    assert complete_when(Ctx(), "201") == ["2011", "2013", "2018"]
    assert "hillingdon-2013-11-sif" in complete_when(Ctx(), "hillingdon-2013")
    assert complete_format(Ctx(), "") == ["table", "json", "csv", "markdown"]
    Ctx.info_name = "export"
    assert complete_format(Ctx(), "c") == ["csv"]
    Ctx.params = {"store": str(store), "authority": "Nowhere"}
    assert complete_when(Ctx(), "") == []  # never a traceback into the shell


@pytest.mark.parametrize("width", [60, 80, 100, 140])
def test_columns_is_honoured_by_every_table(store: Path, width: int) -> None:
    for args in (["timeline", "hillingdon"], ["diff", "hillingdon"], ["diff", "hillingdon", "2013", "2018"], ["show", "hillingdon", "2013"],
                 ["list"], ["themes"], ["timeline", "hillingdon", "--all-themes"]):
        out = run(store, *args, env={"COLUMNS": str(width)}).stdout
        assert max(len(line) for line in out.splitlines()) <= width, (args, out)


def test_help_lists_the_formats_from_the_registry(store: Path) -> None:
    def words(text: str) -> str:
        return " ".join(text.split())

    assert "Output format: table, json, csv, markdown, svg, html (default table)." in words(run(store, "timeline", "--help").stdout)
    assert "Output format: json, csv (default json)." in words(run(store, "export", "--help").stdout)


# --------------------------------------------------------------------------- ingest


SAMPLE = """Ofsted
Hillingdon

Inspection of Hillingdon local authority children's services

Inspection dates: 16 April 2018 to 27 April 2018

Judgement Grade
The impact of leaders on social work practice with children and families Outstanding
The experiences and progress of children who need help and protection Good
The experiences and progress of children in care and care leavers Good
Overall effectiveness Good
"""


def test_ingest_summary_and_json(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "report.txt").write_text(SAMPLE, encoding="utf-8")
    (docs / "notes.docx").write_bytes(b"not read")
    store = tmp_path / "store"
    first = run(store, "ingest", str(docs), code=0)
    assert first.stdout == ""
    assert "1 added, 0 unchanged, 1 skipped, 0 failed" in first.stderr
    assert "next: ofstl timeline hillingdon --store" in first.stderr
    again = run(store, "ingest", str(docs), "--format", "json")
    rows = [json.loads(line) for line in again.stdout.splitlines()]
    assert {r["status"] for r in rows} == {"unchanged", "skipped"}
    assert set(rows[0]) == {"path", "sha256", "status", "authority", "framework", "message"}
    quiet = run(store, "-q", "ingest", str(docs))
    assert quiet.stderr == "" and quiet.stdout == ""


def test_ingest_failures_grouped(tmp_path: Path) -> None:
    store = tmp_path / "store"
    (tmp_path / "empty1.pdf").write_bytes(b"")
    (tmp_path / "empty2.pdf").write_bytes(b"")
    result = run(store, "ingest", str(tmp_path / "empty1.pdf"), str(tmp_path / "empty2.pdf"), code=1)
    assert "0 added, 0 unchanged, 0 skipped, 2 failed" in result.stderr
    assert "failed 2: " in result.stderr


def test_missing_input_path_is_a_usage_error(tmp_path: Path) -> None:
    result = run(tmp_path / "store", "ingest", str(tmp_path / "missing1.pdf"), str(tmp_path / "missing2.pdf"), code=2)
    assert "missing1.pdf: no such file or folder (and 1 more)" in result.stderr and result.stdout == ""


# --------------------------------------------------------------------------- real process: pipes


def test_broken_pipe_is_quiet(store: Path) -> None:
    cmd = f"{sys.executable} -m ofstl --store {store} export --format csv | head -1"
    done = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, timeout=60, env={**os.environ, "OFSTL_THEMES": THEMES})
    assert done.stdout.startswith("id,authority,framework")
    assert done.stderr == ""


def test_piped_output_has_no_colour(store: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "ofstl", "--store", str(store), "timeline", "hillingdon"],
                          capture_output=True, text=True, timeout=60, env={**os.environ, "COLUMNS": "100", "OFSTL_THEMES": THEMES})
    assert done.returncode == 0 and ANSI not in done.stdout
    assert done.stdout == (GOLDEN / "timeline.txt").read_text(encoding="utf-8")


def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(SAMPLE, encoding="utf-8")
    (docs / "b.txt").write_text(SAMPLE.replace("Hillingdon", "Hounslow"), encoding="utf-8")
    tty = run(tmp_path / "s1", "ingest", str(docs), "-j", "1", obj={"stderr_isatty": True, "environ": {"COLUMNS": "100"}})
    assert "reading" in tty.stderr and "2 added" in tty.stderr
    pipe = run(tmp_path / "s2", "ingest", str(docs), "-j", "1", obj={"stderr_isatty": False, "environ": {"COLUMNS": "100"}})
    assert "reading" not in pipe.stderr and ANSI not in pipe.stderr and "2 added" in pipe.stderr


def test_interrupt_exits_130(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ofstl import views

    def interrupted(data, *settings, **options):
        raise KeyboardInterrupt

    monkeypatch.setattr(views, "timeline", interrupted)
    result = run(store, "timeline", "hillingdon", code=130)
    assert "interrupted" in result.stderr


def test_themes_with_an_authority_points_to_its_timeline(store: Path, tmp_path: Path) -> None:
    out = run(store, "themes", "hillingdon", code=2)
    assert "themes takes no authority" in out.stderr and "ofstl timeline hillingdon --all-themes" in out.stderr
    plan = tmp_path / "plan.txt"
    plan.write_text("Supervision is rare.\n", encoding="utf-8")
    out = run(store, "themes", str(plan), code=2)
    assert "ofstl themes --tag FILE" in out.stderr and "timeline" not in out.stderr


def test_a_run_builds_only_the_command_it_names(monkeypatch: pytest.MonkeyPatch) -> None:
    from ofstl.cli.app import only_the_command

    monkeypatch.delenv("_OFSTL_COMPLETE", raising=False)
    for args in (["timeline", "x"], ["--store", "d", "-q", "timeline", "x"], ["--store=d", "timeline", "--help"]):
        slim = only_the_command(args)
        assert [info.callback.__name__ for info in slim.registered_commands] == ["timeline"], args
    assert len(app.registered_commands) > 10  # the app itself keeps every command
    for args in ([], ["--help"], ["--store", "d"], ["timelin", "x"]):  # the overview, help, a typo
        assert only_the_command(args) is app, args
    monkeypatch.setenv("_OFSTL_COMPLETE", "bash_complete")
    assert only_the_command(["timeline", "x"]) is app


def test_one_command_runs_as_the_whole_app_would(store: Path) -> None:
    env = {**os.environ, "COLUMNS": "100", "OFSTL_THEMES": THEMES}
    help_text = subprocess.run([sys.executable, "-m", "ofstl", "diff", "--help"], capture_output=True, text=True, timeout=60, env=env)
    assert help_text.returncode == 0
    whole_app = "from ofstl.cli import app; app(args=['diff', '--help'], prog_name='ofstl')"
    assert help_text.stdout == subprocess.run([sys.executable, "-c", whole_app], capture_output=True, text=True, timeout=60, env=env).stdout
    typo = subprocess.run([sys.executable, "-m", "ofstl", "--store", str(store), "timelin", "hillingdon"], capture_output=True, text=True, timeout=60, env=env)
    assert typo.returncode == 2 and "Did you mean 'timeline'?" in typo.stderr
