"""A new user's first hour: the mistakes people make at a terminal, answered helpfully.

Each test is one thing a first-time user met (qa15): a misspelt council answered with the
whole command put right, a council not yet stored still suggested, ``list`` on a narrow
terminal keeping the slugs it asks you to type, ``diff`` of one inspection with itself, a
terminal that reports no width. Outputs are compared exactly at a fixed ``COLUMNS``.
"""

from __future__ import annotations

import os
import pty
from pathlib import Path

import pytest

from ofstl.cli.env import Env
from tests.fixture_store import make_store
from tests.test_cli import check_golden, run


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_store(tmp_path_factory.mktemp("store"))


def error(store: Path, *args: str) -> str:
    return run(store, *args, code=2).stderr


# --------------------------------------------------------------------------- misspelt names


def test_a_misspelt_name_is_retried_with_the_rest_of_the_command(store: Path) -> None:
    # "Try: ofstl diff hillingdon" compared another pair; the years stay
    assert error(store, "diff", "hilingdon", "2013", "2018") == (
        "ofstl: error: unknown authority 'hilingdon'\n"
        f"  did you mean 'hillingdon'?  Try: ofstl diff hillingdon 2013 2018 --store {store}\n")
    assert error(store, "show", "London Borough of Hilingdon", "2013").endswith(
        f"Try: ofstl show hillingdon 2013 --store {store}\n")


def test_a_misspelt_option_value_keeps_its_option(store: Path) -> None:
    # "Try: ofstl compare hounslow" dropped the subject; "Try: ofstl ingest hillingdon" would
    # have read a folder named hillingdon
    assert error(store, "compare", "hillingdon", "--with", "hounslo").endswith(
        f"Try: ofstl compare hillingdon --with hounslow --store {store}\n")
    assert error(store, "compare", "hillingdon", "--with=redbridge,hounslo").endswith(
        f"Try: ofstl compare hillingdon --with=redbridge,hounslow --store {store}\n")
    assert error(store, "ingest", "--rebuild", "hilingdon").endswith(
        f"Try: ofstl ingest --rebuild hillingdon --store {store}\n")


def test_a_council_not_in_the_store_is_still_suggested(store: Path) -> None:
    # 'barnett' was "run 'ofstl list'": a typo of a council with no documents yet is a typo
    assert error(store, "timeline", "barnett") == (
        "ofstl: error: unknown authority 'barnett'\n"
        "  did you mean 'barnet'? (not in the store yet: ofstl fetch barnet --ingest; ofstl list shows what is)\n")


@pytest.mark.parametrize("typed,meant", [
    ("richmond", "richmond-upon-thames"),  # the start of a name (no longer a variant of it)
    ("North Yorks", "north-yorkshire"),  # each word starting the name's, today's council only
    ("westmorland", "westmorland-and-furness"),
    ("camdn", "camden"),
])
def test_the_start_of_a_name_or_a_near_miss_is_suggested(store: Path, typed: str, meant: str) -> None:
    assert f"did you mean '{meant}'? (not in the store yet: ofstl fetch {meant} --ingest" in error(store, "timeline", typed)


@pytest.mark.parametrize("typed", ["north", "xyzzy", "ba"])
def test_a_word_that_fits_many_names_or_none_suggests_nothing(store: Path, typed: str) -> None:
    # 'north' starts a dozen names and was once answered 'wandsworth'
    assert error(store, "timeline", typed) == (
        f"ofstl: error: unknown authority '{typed}'\n  run 'ofstl list' to see the authorities in the store\n")


# --------------------------------------------------------------------------- layouts


def test_list_on_a_narrow_terminal_keeps_slugs_and_years_whole(store: Path) -> None:
    out = run(store, "list", env={"COLUMNS": "40"}).stdout
    check_golden("list-40.txt", out)
    assert "hillingdon  " in out and "2009–2023" in out and "…" not in out
    assert max(len(line) for line in out.splitlines()) <= 40


def test_diff_of_an_inspection_with_itself_says_so_once(store: Path) -> None:
    result = run(store, "diff", "hillingdon", "2013", "2013", "--exit-code")  # no differences: exit 0
    check_golden("diff-same.txt", result.stdout)
    assert result.stdout.count("FROM and TO are the same inspection") == 1


def test_ingest_usage_says_it_takes_several_paths(store: Path) -> None:
    assert run(None, "ingest", "--help").stdout.startswith("Usage: root ingest [OPTIONS] [PATH...]\n")  # CliRunner names it root


def test_a_terminal_reporting_no_width_is_laid_out_at_100_not_40() -> None:
    # a serial console or an editor's terminal says 0 columns: unknown, not narrow
    leader, follower = pty.openpty()
    try:
        with os.fdopen(os.dup(follower), "w") as tty:
            assert os.get_terminal_size(tty.fileno()).columns == 0
            assert Env(stdout=tty, stdout_isatty=True, environ={}).width == 100
            assert Env(stdout=tty, stdout_isatty=True, environ={"COLUMNS": "0"}).width == 100
            assert Env(stdout=tty, stdout_isatty=True, environ={"COLUMNS": "30"}).width == 40
    finally:
        os.close(leader)
        os.close(follower)


def test_format_before_the_command_name_is_the_commands() -> None:
    # "ofstl -f json list" was "No such option: -f"
    from ofstl.cli import hoist_global_flags

    assert hoist_global_flags(["-f", "json", "list"]) == ["list", "-f", "json"]
    assert hoist_global_flags(["--store", "s", "--format=csv", "-q", "timeline", "x"]) == ["-q", "--store", "s", "timeline", "--format=csv", "x"]
    assert hoist_global_flags(["--themes", "-f", "timeline", "x"]) == ["--themes", "-f", "timeline", "x"]  # a file named -f
    assert hoist_global_flags(["-f", "json"]) == ["-f", "json"]  # no command: the usage error it was
    assert hoist_global_flags(["list", "-f", "json"]) == ["list", "-f", "json"]


def test_a_newer_ofstls_store_file_is_to_be_read_by_upgrading_not_removed(tmp_path: Path) -> None:
    # "fix or remove it" for a file a newer ofstl wrote would have thrown its data away
    root = make_store(tmp_path / "store")
    path = root / "authorities" / "hillingdon.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("ofstl_store: 1\n", "ofstl_store: 2\n", 1), encoding="utf-8")
    assert run(root, "timeline", "hillingdon", code=1).stderr == (
        f"ofstl: error: {path}: ofstl_store: written by a newer ofstl (store schema 2; this ofstl reads schema 1); "
        "upgrade ofstl to read it (this one will not overwrite it)\n")
    assert "ofstl_store: 2\n" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [["timeline", "hillingdon", "--svg", "report/figure-1.svg", "--force"],
                                  ["export", "--xlsx", "my reports/inspections.xlsx"]])
def test_a_picture_or_workbook_in_a_missing_folder_says_how_to_make_it(store: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    # README's own example, run as written in a new folder, said only "No such file or directory"
    monkeypatch.chdir(tmp_path)
    folder = args[-2].split("/")[0] if args[-1] == "--force" else args[-1].split("/")[0]
    quoted = f"'{folder}'" if " " in folder else folder
    target = args[-2] if args[-1] == "--force" else args[-1]
    assert run(store, *args, code=2).stderr == (
        f"ofstl: error: cannot write {target}: there is no folder {folder}\n"
        f"  make it first (mkdir -p {quoted}) or name a file in a folder that exists\n")
    assert list(tmp_path.iterdir()) == []


def test_a_council_with_no_documents_is_answered_with_how_to_get_them(store: Path) -> None:
    assert error(store, "timeline", "camden") == (
        f"ofstl: error: no inspections of Camden in the store {store}\n"
        f"  the store has: hillingdon, hounslow; or add its documents: ofstl fetch camden --ingest --store {store}\n")


def test_an_abolished_councils_hint_is_the_command_typed_for_its_successor(store: Path) -> None:
    # "Try" for a council abolished in a reorganisation was always "ofstl timeline
    # north-northamptonshire", without the store given (so it read the default store) and
    # whatever the command: `due northamptonshire` was pointed at another command
    assert error(store, "due", "Northamptonshire") == (
        f"ofstl: error: no inspections of Northamptonshire in the store {store}\n"
        "  Northamptonshire was abolished on 2021-03-31; succeeded by north-northamptonshire, "
        f"west-northamptonshire.  Try: ofstl due north-northamptonshire --store {store}\n")
    assert error(store, "show", "northamptonshire", "2016").endswith(
        f"Try: ofstl show north-northamptonshire 2016 --store {store}\n")


def test_an_empty_stores_hint_names_that_store(tmp_path: Path) -> None:
    # without --store the hint's commands would have filled the default store, not this one
    (tmp_path / "store").mkdir()
    assert error(tmp_path / "store", "timeline", "hillingdon") == (
        f"ofstl: error: no inspections of Hillingdon in the store {tmp_path / 'store'}\n"
        f"  add its documents first: ofstl fetch hillingdon --ingest --store {tmp_path / 'store'} "
        f"(or ofstl ingest FOLDER --store {tmp_path / 'store'})\n")


def test_ingest_of_stdin_says_it_reads_files(store: Path) -> None:
    # "-: no such file or folder" read as if a file named '-' was missing
    assert error(store, "ingest", "-") == (
        "ofstl: error: ingest reads files and folders, not stdin ('-')\n"
        "  save it to a file first (... > story.txt), then: ofstl ingest story.txt\n")


def test_a_misspelt_correction_key_or_grade_is_suggested(store: Path) -> None:
    assert error(store, "correct", "hillingdon", "2013", "overal", "good", "--note", "x") == (
        "ofstl: error: cannot correct 'overal'\n"
        "  did you mean 'overall'? KEY is a judgement (overall, leadership, help_and_protection, children_in_care, "
        "care_leavers, adoption, lscb, capacity) or start, end, published, framework, type, theme, outcome\n")
    assert error(store, "correct", "hillingdon", "2013", "overall", "requires improvment", "--note", "x").startswith(
        "ofstl: error: 'requires improvment' is not a grade\n  did you mean 'requires improvement'? one of: outstanding, ")
    assert "did you mean" not in error(store, "correct", "hillingdon", "2013", "zzz", "good", "--note", "x")


@pytest.mark.parametrize(("command", "usage"), [
    ("timeline", "Usage: root timeline [OPTIONS] AUTHORITY"),
    ("diff", "Usage: root diff [OPTIONS] AUTHORITY [FROM] [TO]"),
    ("correct", "Usage: root correct [OPTIONS] AUTHORITY WHEN KEY VALUE"),
    ("verify", "Usage: root verify [OPTIONS] FILE"),
    ("ingest", "Usage: root ingest [OPTIONS] [PATH...]"),
])
def test_usage_names_arguments_as_the_readme_does(command: str, usage: str) -> None:
    # typer wrote a required argument {AUTHORITY}, which reads as a set of choices; README,
    # man pages and clig.dev write AUTHORITY (and [FROM] for one that may be left out)
    assert run(None, command, "--help").stdout.splitlines()[0] == usage
    missing = run(None, command, code=2).stderr if command != "ingest" else ""
    assert "{" not in missing


def test_a_required_argument_is_still_completed(store: Path) -> None:
    from typer.testing import CliRunner

    from ofstl.cli import app

    for words, expected in [("ofstl timeline hil", "hillingdon\n"), ("ofstl correct hou", "hounslow\n")]:
        result = CliRunner().invoke(app, [], prog_name="ofstl", env={
            "_OFSTL_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": "2", "OFSTL_STORE": str(store)})
        assert (result.exit_code, result.stdout) == (0, expected)


# --------------------------------------------------------------------------- hints to paste


@pytest.mark.parametrize(("argv0", "on_path", "expected"), [
    ("/home/u/proj/.venv/bin/ofstl", None, "/home/u/proj/.venv/bin/ofstl"),  # make demo's: not on the PATH
    (".venv/bin/ofstl", None, ".venv/bin/ofstl"),  # as typed, from the folder it was typed in
    ("/home/u/.local/bin/ofstl", "/home/u/.local/bin/ofstl", "ofstl"),  # the one the PATH finds
    ("/opt/my tools/ofstl", None, "'/opt/my tools/ofstl'"),
    ("", None, "ofstl"),  # no argv[0] at all (embedded): the name README uses
])
def test_the_program_in_a_hint_is_the_one_that_ran(argv0: str, on_path: str | None, expected: str, tmp_path: Path) -> None:
    from ofstl.cli.hints import program_name

    assert program_name(argv0, "/usr/bin/python3", lambda name: on_path, cwd="/home/u/proj") == expected


def test_python_m_ofstl_is_named_with_the_python_that_ran_it() -> None:
    from ofstl.cli.hints import program_name

    main = "/home/u/proj/ofstl/__main__.py"
    venv_python = "/home/u/proj/.venv/bin/python"
    assert program_name(main, venv_python, lambda name: None, cwd="/home/u/proj") == ".venv/bin/python -m ofstl"
    assert program_name(main, venv_python, lambda name: None, cwd="/tmp") == "/home/u/proj/.venv/bin/python -m ofstl"
    # an activated venv: its python is the PATH's (a venv's python is a link to the system's: compared as paths)
    assert program_name(main, venv_python, {"python3": venv_python}.get, cwd="/tmp") == "python3 -m ofstl"
    assert program_name(main, venv_python, {"python3": "/usr/bin/python3"}.get, cwd="/tmp") == "/home/u/proj/.venv/bin/python -m ofstl"


def test_make_demos_next_command_runs_as_printed(tmp_path: Path) -> None:
    # `make demo` runs .venv/bin/ofstl, which is not on the PATH: "next: ofstl timeline ..."
    # was "command not found" when pasted
    import shlex
    import subprocess
    import sys

    script = Path(sys.executable).parent / "ofstl"
    if not script.exists():
        pytest.skip("no ofstl script beside this python")
    sample = Path(__file__).parent.parent / "samples" / "hounslow_2021-07_focused-visit.txt"
    env = {**os.environ, "PATH": "/usr/bin:/bin", "COLUMNS": "100", "NO_COLOR": "1"}
    env.pop("OFSTL_STORE", None)
    ingest = subprocess.run([str(script), "ingest", str(sample), "--store", "demo-store"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert ingest.returncode == 0, ingest.stderr
    nxt = ingest.stderr.splitlines()[-1]
    assert nxt == f"next: {shlex.quote(str(script))} timeline hounslow --store demo-store"
    pasted = subprocess.run(nxt[len("next: "):], shell=True, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert pasted.returncode == 0 and pasted.stdout.startswith("Hounslow"), pasted.stderr
    typo = subprocess.run([str(script), "timeline", "hounslo", "--store", "demo-store"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert typo.stderr.splitlines()[-1].endswith(f"Try: {shlex.quote(str(script))} timeline hounslow --store demo-store")


def test_a_closed_stdout_or_stderr_keeps_the_exit_codes(store: Path, tmp_path: Path) -> None:
    # A cron line or service unit that closes a stream (>&-, 2>&-): ofstl crashed writing to
    # it, exit 3 for a run that had worked and 1 for an unknown authority (a usage error, 2)
    import subprocess
    import sys

    def shell(command: str) -> int:
        return subprocess.run(f"{sys.executable} -m ofstl {command} --store {store}", shell=True, cwd=tmp_path,
                              env={**os.environ, "COLUMNS": "100"}, capture_output=True, timeout=120).returncode

    assert shell("list >&-") == 0
    assert shell("list 2>&-") == 0
    assert shell("timeline hilingdon 2>&-") == 2
    assert shell("timeline hilingdon >&- 2>&-") == 2


def test_format_xlsx_points_to_the_xlsx_option(store: Path) -> None:
    assert error(store, "export", "--format", "xlsx") == (
        "ofstl: error: --format must be one of json, csv, not 'xlsx'\n"
        "  an Excel workbook is written to a file: --xlsx FILE (timeline, export, compare, national, due)\n")


def test_after_make_demo_a_view_of_the_empty_default_store_points_to_the_demo_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # README's tour uses the default store; after `make demo` a newcomer types the tour's
    # `ofstl timeline hillingdon` and met "no store at ~/.local/share/ofstl", with no word
    # of the store the demo had just filled beside them
    make_store(tmp_path / "demo-store")
    monkeypatch.chdir(tmp_path)
    result = run(None, "timeline", "hillingdon", "--all-themes", env={"OFSTL_STORE": str(tmp_path / "nowhere")}, code=2)
    assert result.stderr == (f"ofstl: error: no store at {tmp_path / 'nowhere'}\n"
                             "  make demo's store is ./demo-store: ofstl timeline hillingdon --all-themes --store demo-store\n")
    (tmp_path / "nowhere").mkdir()  # a store that exists is the one meant, demo or not
    assert "demo-store" not in run(None, "timeline", "hillingdon", env={"OFSTL_STORE": str(tmp_path / "nowhere")}, code=2).stderr


def test_the_overview_after_make_demo_names_the_demo_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_store(tmp_path / "demo-store")
    monkeypatch.chdir(tmp_path)
    out = run(None, env={"OFSTL_STORE": str(tmp_path / "nowhere")}).stdout
    assert f"Store: {tmp_path / 'nowhere'} (empty: start with ofstl ingest FOLDER; make demo's store is ./demo-store: " \
           "ofstl --store demo-store)\n" in out


def test_a_missing_stores_hint_names_the_program_as_it_was_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # "add documents first: ofstl ingest FOLDER ..." after `.venv/bin/ofstl timeline x` (make
    # demo's ofstl, on no PATH) was "command not found" when pasted, as the other hints are not
    monkeypatch.chdir(tmp_path)
    result = run(tmp_path / "nowhere", "timeline", "hillingdon", obj={"program": ".venv/bin/ofstl"}, code=2)
    assert result.stderr == (f"ofstl: error: no store at {tmp_path / 'nowhere'}\n"
                             f"  add documents first: .venv/bin/ofstl ingest FOLDER --store {tmp_path / 'nowhere'}\n")
