"""The README keeps up with the command line (sqlite-utils' docs-coverage idea).

Fails when a command is missing from README.md, when a command's --help has no example,
when the exit codes or the default store drift from the code, when the picture the
README shows is missing or not well-formed SVG, or when a run-block's output (``<!-- run:
COMMAND -->``) is no longer what the command prints.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from ofstl.cli import app
from ofstl.errors import ExitCode

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]


def test_all_seven_commands_are_registered() -> None:
    # The seven SPEC commands; newer ones (fetch, ...) are checked below like these.
    assert {"diff", "export", "ingest", "list", "show", "themes", "timeline"} <= set(COMMANDS)
    assert {"compare", "national", "due"} <= set(COMMANDS)  # across authorities (issue 12)


@pytest.mark.parametrize("command", COMMANDS)
def test_command_is_documented_in_readme(command: str) -> None:
    assert f"### `ofstl {command}" in README, f"README.md has no section for ofstl {command}"
    assert re.search(rf"^\$ ofstl {command}\b", README, re.M), f"README.md shows no example run of ofstl {command}"


@pytest.mark.parametrize("command", COMMANDS)
def test_usage_names_the_arguments_as_the_readme_heading_does(command: str) -> None:
    # the usage line and README's heading name the same arguments in the same words and order
    # (typer's {AUTHORITY} for a required one read as a set of choices)
    usage = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "100"}).stdout.splitlines()[0]
    heading = re.search(rf"^### `ofstl {command}\b(.*)`$", README, re.M)
    assert heading is not None
    arguments = usage.split("[OPTIONS]", 1)[1].strip()
    assert re.fullmatch(r"[A-Z\[\]. ]*", arguments), usage
    documented = iter(re.findall(r"[A-Z]{2,}", heading.group(1)))
    assert all(word.strip("[].") in documented for word in arguments.split()), (usage, heading.group(0))  # in order


@pytest.mark.parametrize("command", COMMANDS)
def test_command_help_has_an_example(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0
    assert "Example" in result.stdout, f"ofstl {command} --help has no Example"
    assert f"ofstl {command}" in result.stdout.split("Example", 1)[1]


def test_exit_codes_match() -> None:
    table = README.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    documented = {int(m) for m in re.findall(r"^\| (\d+) \|", table, re.M)}
    assert documented == {int(code) for code in ExitCode}


def test_default_store_matches() -> None:
    from ofstl.store import DEFAULT_STORE

    assert f"`{DEFAULT_STORE}`" in README


def test_setup_commands_and_picture() -> None:
    assert "make demo" in README and "make test" in README
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+\.svg)\)", README)
    assert pictures, "README shows no SVG picture"
    for picture in pictures:
        ET.parse(ROOT / picture)


def test_run_blocks_print_what_the_commands_print(tmp_path: Path) -> None:
    # The tour is real output; a change of output that skipped docs/update_readme.py left
    # the README showing what no command prints any more.
    import importlib.util
    import shutil

    if shutil.which("ofstl", path=str(Path(__import__("sys").executable).parent)) is None:
        pytest.skip("no ofstl script beside this Python (not installed: make .venv/.installed)")
    spec = importlib.util.spec_from_file_location("update_readme", ROOT / "docs" / "update_readme.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    now = module.refreshed(README, str(tmp_path / "store"))
    drifted = [m.group(1) for m, n in zip(module.BLOCK.finditer(README), module.BLOCK.finditer(now)) if m.group(0) != n.group(0)]
    assert drifted == [], f"README run-blocks differ from the output (run .venv/bin/python docs/update_readme.py): {drifted}"


def _update_readme_module():  # type: ignore[no-untyped-def]
    import importlib.util

    spec = importlib.util.spec_from_file_location("update_readme", ROOT / "docs" / "update_readme.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_readme_picture_is_what_the_code_draws_and_a_redraw_changes_no_byte(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # docs/timeline.svg is drawn from samples/ by docs/update_readme.py. Redrawn by unchanged
    # code, on any day and machine, it must come out byte for byte the same (it had been redrawn
    # with that day's date in its source line, and once left as an older code had drawn it).
    import shutil
    import subprocess
    import sys

    if shutil.which("ofstl", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("no ofstl script beside this Python (not installed: make .venv/.installed)")
    module = _update_readme_module()
    store = tmp_path / "store"
    subprocess.run([sys.executable, "-m", "ofstl", "ingest", str(ROOT / "samples"), "--store", str(store), "-q"],
                   check=True, env={**__import__("os").environ, "NO_COLOR": "1"})
    figure = tmp_path / "timeline.svg"
    shutil.copyfile(ROOT / "docs" / "timeline.svg", figure)
    module.redraw_figure(str(store), figure)
    assert figure.read_bytes() == (ROOT / "docs" / "timeline.svg").read_bytes(), \
        "docs/timeline.svg is not what ofstl draws now (run .venv/bin/python docs/update_readme.py)"
    # another machine's clock, zone and locale: the same bytes
    for name, value in {"TZ": "Pacific/Kiritimati", "LANG": "C", "LC_ALL": "C", "PYTHONHASHSEED": "7"}.items():
        monkeypatch.setenv(name, value)
    module.redraw_figure(str(store), figure)
    assert figure.read_bytes() == (ROOT / "docs" / "timeline.svg").read_bytes()
