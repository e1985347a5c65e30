"""Refresh the real output shown in README.md (a small cog): run each command, paste it in.

Every README block between ``<!-- run: COMMAND -->`` and ``<!-- end -->`` is replaced by
``$ COMMAND`` and what it prints (stdout and stderr, at 100 columns, no colour), run against
a fresh store made from ``samples/``. It also redraws ``docs/timeline.svg``, dated as the
figure it replaces (``SOURCE_DATE_EPOCH`` to give another date), so unchanged code redraws
it byte for byte on any day and machine: its layout is worked out from fixed character
widths, never from the fonts a machine has. Run it after a change to the output:

    .venv/bin/python docs/update_readme.py
"""

from __future__ import annotations

import datetime
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"<!-- run: (.+?) -->\n.*?<!-- end -->", re.S)
FIGURE = ROOT / "docs" / "timeline.svg"
FIGURE_DATE = re.compile(r'<text id="source"[^>]*>[^<]*?(\d{4})-(\d{2})-(\d{2})</text>')


def run(command: str, store: str, extra_env: dict[str, str] | None = None) -> str:
    # this python's ofstl first on the PATH, as README's reader has it: its hints then say
    # "ofstl timeline ...", as a command run by its path would not
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "OFSTL_STORE": store,
           "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""), **(extra_env or {})}
    env.pop("OFSTL_THEMES", None)
    done = subprocess.run(["bash", "-c", f"cd {ROOT} && {command} 2>&1"], capture_output=True, text=True, env=env)
    out = done.stdout.replace(store, "~/.local/share/ofstl")
    return out.rstrip("\n")


def refreshed(readme: str, store: str) -> str:
    """``readme`` with every run-block's output as the command prints it now, run in order
    against ``store`` (the first block, ``ofstl ingest samples``, fills it). Used by
    ``tests/test_readme.py`` to catch a block that drifted from the command."""

    def fill(match: re.Match[str]) -> str:
        command = match.group(1)
        return f"<!-- run: {command} -->\n```console\n$ {command}\n{run(command, store)}\n```\n<!-- end -->"

    return BLOCK.sub(fill, readme)


def figure_epoch(figure: Path) -> str | None:
    """The date in ``figure``'s source line as a SOURCE_DATE_EPOCH (midnight UTC), if it has one."""
    found = FIGURE_DATE.search(figure.read_text(encoding="utf-8")) if figure.exists() else None
    if not found:
        return None
    day = datetime.datetime(*map(int, found.groups()), tzinfo=datetime.timezone.utc)
    return str(int(day.timestamp()))


def redraw_figure(store: str, figure: Path = FIGURE) -> None:
    """Redraw the project's own figure from ``store`` over ``figure``, keeping its date (a
    redraw on another day, with nothing else changed, then changes no byte)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or figure_epoch(figure)
    run(f"ofstl timeline hillingdon --svg {shlex.quote(str(figure))} --force", store,
        {"SOURCE_DATE_EPOCH": epoch} if epoch else None)


def main() -> None:
    store = tempfile.mkdtemp(prefix="ofstl-readme-")
    try:
        readme = refreshed((ROOT / "README.md").read_text(encoding="utf-8"), store)
        (ROOT / "README.md").write_text(readme, encoding="utf-8")
        redraw_figure(store)
    finally:
        shutil.rmtree(store, ignore_errors=True)


if __name__ == "__main__":
    main()
