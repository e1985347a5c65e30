"""`ofstl themes --tag`: users tag their own items with the taxonomy (ofstl.tagging)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from typer.testing import CliRunner

from ofstl.cli import app
from ofstl.errors import UsageError
from ofstl.tagging import parse_items, tag_items
from tests.test_cli import ENV, run

ITEMS = (
    "Quality of care plans and supervision.\n"
    "\n"
    '{"text": "Caseloads in the assessment team.", "id": 7}\n'
    "Areas for improvement\n"
)


def test_parse_items_reads_lines_and_json_lines():
    assert parse_items(ITEMS) == [
        "Quality of care plans and supervision.",
        "Caseloads in the assessment team.",
        "Areas for improvement",
    ]
    assert parse_items("\ufeffOne item\r\n  \r\n") == ["One item"]
    assert parse_items("") == []


@pytest.mark.parametrize(
    ("line", "problem"),
    [('{"text": ', "line 2: not valid JSON"), ('{"action": "x"}', 'line 2: a JSON line needs a "text"'),
     ('{"text": 3}', 'a JSON line needs a "text"')],
)
def test_parse_items_names_the_bad_json_line(line, problem):
    with pytest.raises(UsageError) as err:
        parse_items("fine\n" + line, "plan.jsonl")
    assert err.value.message.startswith("plan.jsonl: ") and problem in err.value.message


def test_tag_items_keeps_order_and_text():
    got = tag_items(["a", "b"], lambda text: ["x"] if text == "a" else [])
    assert got == [{"text": "a", "themes": ["x"]}, {"text": "b", "themes": []}]


# a small fixed taxonomy, so these tests do not move when the packaged rules are tuned
TAXONOMY = """\
themes:
  - {id: plans_quality, label: Plans, match: ['\\bplans?\\b']}
  - {id: supervision, label: Supervision, match: ['\\bsupervision\\b']}
  - {id: workforce_caseloads, label: Caseloads, match: ['\\bcaseloads?\\b']}
"""


@pytest.fixture()
def themes_env(tmp_path: Path) -> dict[str, str]:
    taxonomy = tmp_path / "themes.yaml"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    return {"OFSTL_THEMES": str(taxonomy)}


@pytest.fixture()
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.txt"
    path.write_text(ITEMS, encoding="utf-8")
    return path


def test_tag_json_lines_from_a_file(plan, themes_env):
    out = run(None, "themes", "--tag", str(plan), "--format", "json", env=themes_env).stdout
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["text"] for r in rows] == parse_items(ITEMS)
    assert rows[0]["themes"] == ["plans_quality", "supervision"]
    assert rows[1]["themes"] == ["workforce_caseloads"]
    assert rows[2]["themes"] == []


def test_tag_csv_from_stdin(themes_env):
    result = CliRunner().invoke(app, ["themes", "--tag", "--format", "csv"], input=ITEMS, env={**ENV, **themes_env})
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["text", "themes"]
    assert rows[1] == ["Quality of care plans and supervision.", "plans_quality|supervision"]
    assert rows[3] == ["Areas for improvement", ""]


def test_tag_table_shows_untagged_items_with_a_dash(plan, themes_env):
    lines = run(None, "themes", "--tag", str(plan), env=themes_env).stdout.splitlines()
    assert lines[0].split() == ["themes", "item"]
    assert lines[1].startswith("Plans; Supervision") and lines[1].endswith("Quality of care plans and supervision.")  # labels for people
    assert lines[3].startswith("-") and lines[3].endswith("Areas for improvement")


def test_tag_errors_are_one_line_usage_errors(tmp_path):
    missing = tmp_path / "nope.txt"
    assert "cannot read items" in run(None, "themes", "--tag", str(missing), code=2).stderr
    assert "--format must be one of table, json, csv" in run(None, "themes", "--tag", str(missing), "--format", "markdown", code=2).stderr
    assert "unexpected argument" in run(None, "themes", str(missing), code=2).stderr
