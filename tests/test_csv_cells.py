"""What a CSV cell holds when the CSV is opened in a spreadsheet as well as read by a script.

Every CSV ofstl writes goes through ``ofstl.render.to_csv``. Text from a document or a person
(an item's words, a note, a file name) that starts as a formula would ("=", "+", "-", "@", a
tab or a line break) gets a leading apostrophe, so Excel shows it as text instead of running
it; numbers, dates and ofstl's codes are left as they are, and a script undoes the escape
exactly (README, *Output formats for scripts*).
"""

from __future__ import annotations

import csv
import io
import re

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from ofstl.cli import app
from ofstl.render import csv_cell, to_csv

ENV = {"COLUMNS": "100", "NO_COLOR": "1"}
UNDO = re.compile(r"'+[=+\-@\t\r\n]")


def undo(cell: str) -> str:
    """What README tells a script to do with a cell it reads."""
    return cell[1:] if UNDO.match(cell) else cell


def test_text_a_spreadsheet_would_run_is_written_as_text() -> None:
    for text in ['=HYPERLINK("http://example.org","click")', "+44 20 7946 0000", "-Leaders do not oversee plans", "@SUM(A1)",
                 "\t=1+1", "\r=1+1", "\n=1+1"]:
        assert csv_cell(text) == "'" + text


def test_numbers_dates_codes_and_plain_text_are_left_as_they_are() -> None:
    for value in ["-3", "+0.5", "-1.5e3", "2021-03-01", "2009-12", "sif->ilacs", "judgements.overall|published", "",
                  "requires improvement", "'quoted' words", "transition sif->ilacs", -3, 0.692, None]:
        assert csv_cell(value) == value


def test_text_already_starting_with_an_apostrophe_is_told_from_an_escaped_one() -> None:
    assert csv_cell("'=1+1") == "''=1+1"
    assert undo(csv_cell("'=1+1")) == "'=1+1" and undo(csv_cell("=1+1")) == "=1+1"


@given(st.text(max_size=30))
def test_a_script_gets_back_every_text_exactly(text: str) -> None:
    written = to_csv(["text"], [[text]])
    [[header], [cell]] = list(csv.reader(io.StringIO(written, newline="")))
    assert header == "text" and undo(cell) == text
    assert not cell[:1] or cell[0] not in "=+-@\t\r\n" or re.fullmatch(r"[+-][\d.eE+-]+", cell)


def test_the_header_and_every_row_go_through_the_same_rule() -> None:
    assert to_csv(["=a", "b"], [["-x", -2], ["2020-01-02", "@y"]]) == "'=a,b\n'-x,-2\n2020-01-02,'@y\n"


def test_themes_tag_csv_writes_a_formula_as_text_and_its_json_keeps_the_words() -> None:
    items = '=HYPERLINK("http://example.org","x")\n-3\nPartner attendance at strategy meetings.\n'
    result = CliRunner().invoke(app, ["themes", "--tag", "--format", "csv"], input=items, env=ENV)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert [r[0] for r in rows] == ["text", "'=HYPERLINK(\"http://example.org\",\"x\")", "-3", "Partner attendance at strategy meetings."]
    result = CliRunner().invoke(app, ["themes", "--tag", "--format", "json"], input="=1+1\n", env=ENV)
    assert '"text": "=1+1"' in result.stdout


def test_a_cell_holding_a_carriage_return_is_quoted_as_a_line_break_is() -> None:
    """Python before 3.13 quoted only the line terminator's characters: "x\\ry" went out bare
    and every reader split the row there."""
    assert to_csv(["a", "b"], [["x\ry", "z"]]) == 'a,b\n"x\ry",z\n'
    assert list(csv.reader(io.StringIO(to_csv(["a", "b"], [["x\ry", "z"]]), newline=""))) == [["a", "b"], ["x\ry", "z"]]


def test_themes_tag_why_csv_has_its_why_column_with_no_items_too() -> None:
    """The header is fixed for the command (README): with --why and nothing to tag it lost its why column."""
    result = CliRunner().invoke(app, ["themes", "--tag", "--why", "--format", "csv"], input="\n", env=ENV)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "text,themes,why\n"
