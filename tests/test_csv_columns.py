"""The columns and numbers of the CSVs an analyst joins, appends and sorts.

A column added to a CSV goes last (older columns keep their places, README's contract); the
same field has the same name and the same precision in every command's CSV and JSON.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ofstl.cli import app
from tests.fixture_store import make_store

ENV = {"COLUMNS": "100", "NO_COLOR": "1"}


def ofstl(root: Path, *args: str) -> str:
    result = CliRunner().invoke(app, ["--store", str(root), *args], env=ENV)
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    return result.stdout


def table(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_store(tmp_path_factory.mktemp("fixture"))


def test_the_timeline_csv_gives_a_focused_visits_theme_in_its_last_column(store: Path) -> None:
    text = ofstl(store, "timeline", "hillingdon", "--format", "csv")
    assert text.splitlines()[0].endswith(",disagreements,theme")
    rows = {r["id"]: r for r in table(text)}
    assert rows["hillingdon-2020-01-focused-visit"]["theme"] == "vulnerable adolescents"
    assert rows["hillingdon-2013-11-sif"]["theme"] == ""


def test_the_export_gives_a_focused_visits_theme_in_its_json_and_its_csvs_last_column(store: Path) -> None:
    text = ofstl(store, "export", "--format", "csv")
    assert text.splitlines()[0].endswith(",framework_candidates,theme")
    rows = {r["id"]: r for r in table(text)}
    assert rows["hillingdon-2020-01-focused-visit"]["theme"] == "vulnerable adolescents"
    exported = {r["id"]: r for r in json.loads(ofstl(store, "export"))["inspections"]}
    assert exported["hillingdon-2020-01-focused-visit"]["theme"] == "vulnerable adolescents"
    assert "theme" not in exported["hillingdon-2013-11-sif"]
