"""Excel workbooks for people who never open a terminal (``--xlsx FILE``).

One sheet per table, each exactly the rows the command's CSV holds but typed: full dates
(YYYY-MM-DD) become Excel dates, numbers stay numbers, empty cells are empty. Every sheet has
a bold header row, frozen panes and an auto filter; grades are coloured as in the terminal
(outstanding dark green, good green, requires improvement and adequate amber, inadequate red).
A last sheet, "sources", says where each figure came from: the inspection and the documents
(sha256 and path) behind it, and how the workbook was made. openpyxl is imported here only.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Any, Sequence

from ofstl import __version__
from ofstl.parse.calendar import spec_framework
from ofstl.safe_text import escape_controls
from ofstl.store_files import is_stream, remove_stale_temps, share_as_umask

Table = tuple[str, list[str], list[list[Any]]]  # sheet name, header, rows

FILL = {
    "outstanding": ("1B7F3B", "FFFFFF", True), "good": ("C6EFCE", "006100", False),
    "requires improvement": ("FFEB9C", "9C5700", False), "adequate": ("FFEB9C", "9C5700", False),
    "inadequate": ("C00000", "FFFFFF", True), "performs excellently": ("1B7F3B", "FFFFFF", True),
    "performs well": ("C6EFCE", "006100", False), "performs adequately": ("FFEB9C", "9C5700", False),
    "performs poorly": ("C00000", "FFFFFF", True),
}
SHARES = {"share", "hit_rate", "share_of_window"}  # fractions, shown as percentages (the value is the CSV's)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def typed(value: Any) -> Any:
    """A CSV cell as the workbook holds it: a date, a number, text, or empty."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and _DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, str):
        return escape_controls(value)  # openpyxl refuses control characters (a file name may hold one)
    return value


def write(path: str | Path, tables: Sequence[Table], sources: tuple[list[str], list[list[Any]]], about: dict[str, str]) -> None:
    """Write the workbook atomically (a temporary file beside it, then a rename)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    styles = {g: (PatternFill("solid", fgColor=bg), Font(color=fg, bold=b)) for g, (bg, fg, b) in FILL.items()}
    for name, header, rows in [*tables, ("sources", *sources)]:
        sheet = book.create_sheet(_sheet_name(name))
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = bold
        widths = [len(h) for h in header]
        for row in rows:
            sheet.append([typed(v) for v in row])
            for i, v in enumerate(row[: len(widths)]):
                widths[i] = max(widths[i], min(60, len(str(v))))
        for row_cells in sheet.iter_rows(min_row=2):
            for cell in row_cells:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(cell.value, str) and cell.value in styles:
                    cell.fill, cell.font = styles[cell.value]
                elif isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text, never a formula the spreadsheet would run
                elif isinstance(cell.value, (int, float)) and header[cell.column - 1] in SHARES:
                    cell.number_format = "0.0%"
        for i, w in enumerate(widths, 1):
            sheet.column_dimensions[get_column_letter(i)].width = max(8, w + 2)
        sheet.freeze_panes = "B2" if len(header) > 1 else "A2"
        if rows:
            sheet.auto_filter.ref = sheet.dimensions
    notes = book["sources"]
    notes.append([])
    for key, value in {"made by": f"ofstl {__version__}", "made on": dt.date.today().isoformat(), **about}.items():
        notes.append([key, value])
    book.properties.creator = CREATOR
    if is_stream(path):  # /dev/null, a named pipe: written into, never replaced by a file
        data = io.BytesIO()
        book.save(data)
        with open(path, "wb") as fh:
            fh.write(data.getvalue())
        return
    target = Path(os.path.realpath(path))  # a link is followed: the file it names is replaced, the link kept
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=str(target.parent or Path(".")))
    if target.is_file():  # the permissions of the workbook it replaces (one kept private stays so)
        os.fchmod(fd, stat.S_IMODE(target.stat().st_mode))
    else:
        share_as_umask(fd)  # a workbook is an ordinary file, shared as the umask says
    os.close(fd)
    try:
        book.save(tmp)
        with open(tmp, "rb") as fh:  # on disk before it replaces the earlier workbook
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    remove_stale_temps(target)  # a killed earlier write's


CREATOR = "ofstl"  # the workbook's author property: how a later --xlsx knows it may overwrite the file


def is_ofstl_workbook(path: str | Path) -> bool:
    """Whether ``path`` is a workbook ofstl wrote (its author property, or for workbooks of
    earlier versions the "made by ofstl" line of its sources sheet)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as book:
            names = set(book.namelist())
            if "docProps/core.xml" in names and f"<dc:creator>{CREATOR}</dc:creator>".encode() in book.read("docProps/core.xml"):
                return True
            shared = book.read("xl/sharedStrings.xml") if "xl/sharedStrings.xml" in names else b""
            return b"made by" in shared and b"ofstl " in shared
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        return False


def _sheet_name(name: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", name)[:31]


def record_sources(rows: list[tuple[Any, ...]]) -> tuple[list[str], list[list[Any]]]:
    """The sources sheet for figures that come from stored records: (what, authority, record)
    or (what, authority, record, judgement key). A figure a person corrected names the
    correction (kind ``correction``, its date and note) rather than a document that says
    otherwise; a record's other corrections follow its documents."""
    header = ["figure", "authority", "inspection", "framework", "start", "document sha256", "document", "kind", "role"]
    out: list[list[Any]] = []
    for what, authority, record, *key in rows:
        head = [what, authority, record.get("id", ""), spec_framework(record.get("framework") or "")[0], record.get("start") or ""]
        corrections = record.get("corrections") or []
        if key:
            fixed = [c for c in corrections if c["field"] == f"judgements.{key[0]}"]
            if fixed:  # the figure is the person's, not the documents'
                out += [head + ["", f"corrected by hand, {c['date']}: {c['note']}", "correction", c["field"]] for c in fixed]
                continue
        for s in record.get("sources") or [{}]:
            # absolute: a workbook is opened later from anywhere, where a path relative to the
            # folder it was written in (how the views show it) names nothing
            where = os.path.abspath(s["path"]) if s.get("path") else ""
            out.append(head + [s.get("sha256", ""), where, s.get("kind", ""), s.get("role", "")])
        if not key:
            out += [head + ["", f"corrected by hand, {c['date']}: {c['note']}", "correction", c["field"]] for c in corrections]
    return header, out
