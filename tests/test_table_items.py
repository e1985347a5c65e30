"""themes --tag on a tracker kept as a table: one column of a CSV or of an .xlsx workbook.

The rows are team-written, in the form councils' improvement trackers take (a reference, the
action, an owner, a RAG status)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ofstl.cli import app
from ofstl.errors import UsageError
from ofstl.table_items import parse_table_items

ENV = {"COLUMNS": "100", "NO_COLOR": "1", "OFSTL_THEMES": None}
HEADER = ["Ref", "Action", "Owner", "RAG"]
ROWS = [
    ["1.1", "Improve the quality and frequency of supervision, so that it is reflective", "Head of Service", "Amber"],
    ["1.2", "", "Service Manager", "Red"],
    ["2.1", "Reduce social workers' caseloads\nthrough the recruitment of permanent staff", "PSW", "Green"],
    ["3.4", "Ensure that every care leaver has an up-to-date pathway plan", "Head of Service", "Amber"],
]
ACTIONS = ["Improve the quality and frequency of supervision, so that it is reflective",
           "Reduce social workers' caseloads through the recruitment of permanent staff",
           "Ensure that every care leaver has an up-to-date pathway plan"]


def csv_bytes(header: list[str], rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode(encoding)


def tag(*args: str, stdin: bytes | None = None) -> tuple[int, list[dict], str]:
    result = CliRunner().invoke(app, ["themes", "--tag", *args, "--format", "json"], input=stdin, env=ENV)
    return result.exit_code, [json.loads(line) for line in result.stdout.splitlines()], result.stderr


def test_a_csv_trackers_column_is_the_items_not_its_header_or_owners(tmp_path: Path) -> None:
    tracker = tmp_path / "tracker.csv"
    tracker.write_bytes(b"\xef\xbb\xbf" + csv_bytes(HEADER, ROWS))  # Excel's "CSV UTF-8" opens with a BOM
    code, items, err = tag(str(tracker), "--column", "action")  # any case
    assert code == 0, err
    assert [i["text"] for i in items] == ACTIONS  # a cell's line break folded; the empty cell left out
    assert items[0]["themes"] == ["supervision"] and "workforce_caseloads" in items[1]["themes"]
    assert "care_leavers_pathway_eet" in items[2]["themes"]


def test_a_csv_without_a_column_named_text_asks_which_column(tmp_path: Path) -> None:
    tracker = tmp_path / "tracker.csv"
    tracker.write_bytes(csv_bytes(HEADER, ROWS))
    code, items, err = tag(str(tracker))
    assert code == 2 and items == []
    assert "tracker.csv: a table: which column holds the items? (columns: 'Ref', 'Action', 'Owner', 'RAG')" in err
    assert "--column NAME" in err
    code, _, err = tag(str(tracker), "--column", "Actions")
    assert code == 2 and "no column 'Actions'" in err
    named = tmp_path / "named.csv"
    named.write_bytes(csv_bytes(["id", "Text"], [["1", ACTIONS[0]]]))
    assert [i["text"] for i in tag(str(named))[1]] == [ACTIONS[0]]


def test_column_reads_stdin_as_a_csv_and_windows_1252_is_read(tmp_path: Path) -> None:
    rows = [["1", "Strengthen management oversight of children’s plans – at every review"]]
    code, items, err = tag("--column", "Action", stdin=csv_bytes(["Ref", "Action"], rows, "cp1252"))
    assert code == 0, err
    assert items[0]["text"] == rows[0][1]


def test_a_bad_row_is_named_by_its_line_and_the_rest_is_tagged(tmp_path: Path) -> None:
    tracker = tmp_path / "tracker.csv"
    rows = [ROWS[0], ["1.5", "Improve\x00 the timeliness of assessments", "x", "Red"], ROWS[3]]
    tracker.write_bytes(csv_bytes(HEADER, rows))
    code, items, err = tag(str(tracker), "--column", "Action")
    assert code == 1
    assert f"{tracker}: line 3: holds a NUL character" in err
    assert [i["text"] for i in items] == [ACTIONS[0], ACTIONS[2]]


def test_an_excel_trackers_column_is_read_from_its_first_sheet(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append([float(row[0]), *row[1:]])  # Excel keeps "1.1" as a number
    sheet.append([None, None, None, None])  # a blank row, as trackers have
    book.create_sheet("Notes").append(["Action"])
    path = tmp_path / "tracker.xlsx"
    book.save(path)
    code, items, err = tag(str(path), "--column", "Action")
    assert code == 0, err
    assert [i["text"] for i in items] == ACTIONS
    assert [i["text"] for i in tag(str(path), "--column", "Ref")[1]] == ["1.1", "1.2", "2.1", "3.4"]


def test_a_zip_that_is_no_workbook_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    code, items, err = tag(str(path), "--column", "Action")
    assert code == 2 and items == []
    assert err.count("\n") <= 2 and "no Excel workbook" in err


def test_column_goes_with_tag() -> None:
    result = CliRunner().invoke(app, ["themes", "--column", "Action"], env=ENV)
    assert result.exit_code == 2 and "--column goes with --tag" in result.stderr


cells = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(cells, cells), max_size=12))
def test_every_non_empty_cell_of_the_column_is_an_item_in_order(rows: list[tuple[str, str]]) -> None:
    data = csv_bytes(["owner", "action"], [list(r) for r in rows])
    try:
        read = parse_table_items(data, "action", "t.csv")
    except UsageError:  # only a table that is no CSV at all may be refused
        pytest.fail("a CSV the csv module wrote was refused")
    assert read.problems == []
    assert read.items == [" ".join(a.split()) for _, a in rows if a.strip()]
