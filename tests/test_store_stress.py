"""The store's promise under stress: nothing stored, and nothing a person wrote, is lost when a
run is stopped at the worst moment, when another program writes a store file while ofstl
works, or when the disk fills. Each test stops or disturbs a run at one exact moment (by
patching the step after it), so it is fast and always lands where it means to; the random
SIGKILLs are in test_kill.

Findings: a re-read that moves a document to another council, stopped between its two
writes, left the document under both councils for good.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ofstl.cli import app
from ofstl.store import Store

ENV = {"COLUMNS": "100", "NO_COLOR": "1"}

# A shared service's story that cannot tell its council: --authority says which.
AFC_BOTH = """Achieving for Children welcomes Ofsted report

Published: 12 February 2024

Achieving for Children runs children's services for Kingston upon Thames and Richmond upon Thames. Inspectors visited between 8 and 12 January 2024 and rated the children's services good. "Children are safe," the report said. A spokesperson for Richmond Council said: "We are proud." Kingston Council also welcomed the report.
"""


def cli(*args: str, code: int | None = 0) -> Any:
    result = CliRunner().invoke(app, list(args), env=ENV)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    if code is not None:
        assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    return result


def holders(root: Path) -> list[str]:
    """The authorities whose files hold a source of any stored document (one per document)."""
    return sorted(data["authority"] for data in Store(root).load_all()
                  for record in data["inspections"] for src in record["sources"] if src["role"] == "subject")


def stop_after_saves(monkeypatch: pytest.MonkeyPatch, count: int) -> None:
    """The run is stopped (as by a kill: nothing after it runs) right after its COUNT-th file write."""
    real = Store.save
    done = [0]

    def save(self: Store, *args: Any, **kwargs: Any) -> bool:
        changed = real(self, *args, **kwargs)
        done[0] += 1
        if done[0] == count:
            raise KeyboardInterrupt
        return changed

    monkeypatch.setattr(Store, "save", save)


def test_a_move_stopped_between_its_two_writes_is_finished_by_the_next_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A re-read moving a document to another council writes the new council's file, then
    takes the reading out of the old one. Stopped in between, the document was under both;
    the next run replaced one of its readings and left the other for good (Kingston's
    timeline kept Richmond's inspection)."""
    docs, store = tmp_path / "docs", str(tmp_path / "store")
    docs.mkdir()
    (docs / "afc.txt").write_text(AFC_BOTH, encoding="utf-8")
    cli("ingest", str(docs), "--store", store, "--authority", "kingston-upon-thames")
    with monkeypatch.context() as patch:
        stop_after_saves(patch, 1)
        cli("ingest", str(docs), "--store", store, "--reread", "--authority", "richmond-upon-thames", code=130)
    assert holders(Path(store)) == ["kingston-upon-thames", "richmond-upon-thames"]  # stopped in between
    # A plain ingest cannot tell which reading is the right one, and says how to keep one.
    out = cli("ingest", str(docs), "--store", store)
    assert "stored under both kingston-upon-thames and richmond-upon-thames" in out.stderr and "--reread" in out.stderr
    cli("ingest", str(docs), "--store", store, "--reread", "--authority", "richmond-upon-thames")
    assert holders(Path(store)) == ["richmond-upon-thames"]
