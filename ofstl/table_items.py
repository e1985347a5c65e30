"""Improvement items from one column of a table: a tracker saved as CSV, or an Excel workbook.

Why this exists: councils keep their improvement plans as spreadsheets (an action, an owner,
a due date, a RAG status per row). Read line by line, such a file tagged its header and every
owner and date along with the action. Here the items are the cells of the column the user
names (``themes --tag FILE --column NAME``), or of a column called "text". Each row that cannot
be read costs that row only, named by its line (CSV) or row (workbook). Pure: bytes in, items
out; the caller reads the file.
"""

from __future__ import annotations

import csv
import io
from typing import Any, Iterable

from ofstl.errors import UsageError
from ofstl.tagging import MAX_ITEM_CHARS, ReadItems, not_text

XLSX_MAGIC = b"PK\x03\x04"  # a zip: what .xlsx files are (a .docx is one too: told apart by its sheets)


def is_table(name: str) -> bool:
    """Whether a file of this name is read as a table even without ``--column``."""
    return name.lower().endswith((".csv", ".xlsx"))


def parse_table_items(data: bytes, column: str | None, source: str = "input") -> ReadItems:
    """The non-empty cells of ``column`` (its header, any case; None: the column named "text")
    in a CSV or an .xlsx workbook's first sheet; the first row is the header."""
    if data.startswith(XLSX_MAGIC):
        rows = _workbook_rows(data, source)
        where = "row"
    else:
        rows = _csv_rows(data, source)
        where = "line"
    header = next(rows, None)
    if header is None:
        raise UsageError(f"{source}: no rows: a table needs a header row naming its columns")
    index = _column_index([_cell(c).lstrip("\ufeff").strip() for c in header[1]], column, source)
    items: list[str] = []
    problems: list[str] = []
    number = 1
    try:
        for number, row in rows:
            text = _cell(row[index]) if index < len(row) else ""
            if "\x00" in text:
                problems.append(f"{source}: {where} {number}: holds a NUL character (binary data, not text)")
            elif len(text) > MAX_ITEM_CHARS:
                problems.append(f"{source}: {where} {number}: {len(text):,} characters, more than an item has (at most {MAX_ITEM_CHARS:,})")
            elif text.strip():
                items.append(" ".join(text.split()))
    except csv.Error as e:  # an unclosed quote: nothing after it can be placed in a row
        problems.append(f"{source}: after line {number}: not readable as CSV ({e}): the rest of the file")
    return ReadItems(items, problems)


def _column_index(names: list[str], column: str | None, source: str) -> int:
    wanted = (column if column is not None else "text").strip()
    for exact in (True, False):
        for i, name in enumerate(names):
            if (name == wanted) if exact else (name.casefold() == wanted.casefold()):
                return i
    shown = ", ".join(repr(n) for n in names if n) or "none named"
    if column is None:
        raise UsageError(f"{source}: a table: which column holds the items? (columns: {shown})", "name it: --column NAME")
    raise UsageError(f"{source}: no column {column!r} (columns: {shown})", "--column takes a column's header, as the first row writes it")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _csv_rows(data: bytes, source: str) -> Iterable[tuple[int, list[str]]]:
    """(line number, cells) of each CSV row; the number is the line the row starts on."""
    what = not_text(data)
    if what:
        raise UsageError(f"{source}: cannot read items: it is {what}, not a CSV or an .xlsx workbook")
    reader = csv.reader(io.StringIO(_decoded(data), newline=""))
    line = 1
    for row in reader:
        yield line, row
        line = reader.line_num + 1


def _decoded(data: bytes) -> str:
    from ofstl.extract.text import wide_encoding

    wide = wide_encoding(data)
    if wide:
        return data.decode(wide, errors="replace").lstrip("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:  # Excel's "CSV" on Windows: Windows-1252, as ingest reads such text
        return data.decode("cp1252", errors="replace")


def _workbook_rows(data: bytes, source: str) -> Iterable[tuple[int, list[Any]]]:
    """(row number, cell values) of the first sheet of an .xlsx workbook."""
    from zipfile import BadZipFile

    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as e:  # a .docx, a damaged file: zips without a workbook
        raise UsageError(f"{source}: cannot read items: a zip file that is no Excel workbook ({type(e).__name__})",
                         "save the tracker as .xlsx or CSV, or the items as plain text, one a line") from None
    try:
        sheet = book.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
            if number == 1 or any(v is not None for v in row):
                yield number, list(row)
    finally:
        book.close()
