"""Ofsted's official outcomes tables, read into plain inspection rows for ``ofstl verify``.

ofstl ships no outcomes: these files are the user's (Ofsted publishes them under the Open
Government Licence). Two shapes exist and are told apart by their header, never by their
file name:

- the wide per-authority history 2009-2023 (one row per authority, a block of columns per
  framework: SLAC, CPI, TLAC, SIF, first and second ILACS), dated by publication;
- the ILACS outcome files of "LA inspection outcomes" (one row per inspection or visit:
  the ILACS history, the in-year inspections, the grades as at 31 March), dated by the
  inspection's first day and its publication.

Every row becomes an ``OfficialInspection``: authority slug, framework, type, dates and the
judgements under SPEC keys with canonical grades. Rows whose authority cannot be named are
kept aside with the reason, so a count never silently drops them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from ofstl import authorities
from ofstl.errors import DocumentError, UsageError
from ofstl.parse.grades import normalise_grade


@dataclass
class OfficialInspection:
    """One inspection as an official table states it."""

    authority: str
    framework: str
    type: str | None
    start: str | None  # the inspection's first day, when the table gives it
    published: str | None
    judgements: dict[str, str]
    line: int  # the table's line number (1 = header)
    name: str  # the authority as the table prints it


@dataclass
class OfficialTable:
    """A whole official file: its shape, its inspections, and what it covers."""

    path: str
    shape: str  # "history-2009-2023" | "ilacs-outcomes" | "ilacs-as-at"
    inspections: list[OfficialInspection]
    unnamed: list[str] = field(default_factory=list)  # rows whose authority is unknown
    # Whether the table lists every inspection of its frameworks in its period: only then is
    # a stored inspection absent from it "in store but not in table".
    complete: bool = True
    frameworks: tuple[str, ...] = ()
    period: tuple[str, str] = ("", "")  # first and last date the table covers


# (date column, framework, type, [(column, judgement key)]) for the wide 2009-2023 history.
_HISTORY_BLOCKS: list[tuple[str, str, str | None, list[tuple[str, str]]]] = [
    ("Safeguarding & Looked After Children (SLAC) Inspection publication date", "slac", None,
     [("SLAC Safeguarding Overall effectiveness (OE)", "help_and_protection"),
      ("SLAC Looked After Children Overall Effectiveness (OE)", "children_in_care")]),
    ("SLAC re-inspection of Safeguarding publication date", "slac", "reinspection",
     [("SLAC re-inspection Safeguarding OE", "help_and_protection")]),
    ("SLAC re-inspection of services Children Looked After publication date", "slac", "reinspection",
     [("SLAC re-inspection of services Children Looked After OE", "children_in_care")]),
    ("Child Protection Inspections (CPI) publication date", "cpi", None,
     [("CPI Overall Effectiveness (OE)", "help_and_protection")]),
    ("Child Protection Re-Inspection (CPRI) publication date", "cpi", "reinspection",
     [("CPRI Overall Effectiveness (OE)", "help_and_protection")]),
    ("Targeted Looked After Children (TLAC) inspection publication date", "lac", None,
     [("TLAC Overall Effectiveness (OE)", "children_in_care")]),
    ("Single Inspection of LA Children's Services (SIF)  First SIF publication date", "sif", None,
     [("First SIF Overall Judgement (OE)", "overall"),
      ("First SIF children who need help and protection", "help_and_protection"),
      ("First SIF children looked after and achieving permanence", "children_in_care"),
      ("First SIF CLA Sub: Adoption Performance", "adoption"),
      ("First SIF CLA Sub: Experiences and progress of care leavers", "care_leavers"),
      ("First SIF leadership, management and governance", "leadership"),
      ("LSCB Overall Effectiveness", "lscb")]),
    ("Single Inspection of LA Children's Services (SIF) SIF Re-inspection publication date", "sif", "reinspection",
     [("SIF Re-inspection Overall Judgement (OE)", "overall"),
      ("SIF Re-inspection children who need help and protection", "help_and_protection"),
      ("SIF Re-inspection children looked after and achieving permanence", "children_in_care"),
      ("SIF Re-inspection CLA Sub: Adoption Performance", "adoption"),
      ("SIF Re-inspection CLA Sub: Experiences and progress of care leavers", "care_leavers"),
      ("SIF Re-inspection leadership, management and governance", "leadership")]),
    ("First ILACS framework publication date", "ilacs", "First ILACS framework inspection type",
     [("First ILACS framework overall effectiveness", "overall"),
      ("First ILACS framework impact of leaders", "leadership"),
      ("First ILACS framework experiences and progress of children who need help and protection", "help_and_protection"),
      ("First ILACS framework experiences and progress of children in care and care leavers", "children_in_care")]),
    ("Second ILACS framework publication date", "ilacs", "Second ILACS framework inspection type",
     [("Second ILACS framework overall effectiveness", "overall"),
      ("Second ILACS framework impact of leaders", "leadership"),
      ("Second ILACS framework experiences and progress of children who need help and protection", "help_and_protection"),
      ("Second ILACS framework experiences and progress of children in care", "children_in_care"),
      ("Second ILACS framework experiences and progress of care leavers", "care_leavers")]),
]

# ILACS outcome files: printed judgement column -> key.
_ILACS_COLUMNS = [
    ("Overall effectiveness", "overall"),
    ("The impact of leaders on social work practice with children and families", "leadership"),
    ("The experiences and progress of children who need help and protection", "help_and_protection"),
    ("The experiences and progress of children in care", "children_in_care"),
    ("The experiences and progress of children in care and care leavers", "children_in_care"),
    ("The experiences and progress of care leavers", "care_leavers"),
]

# Visit types in the outcome files -> framework (only inspections are graded).
_VISIT_TYPES = [("focused visit", "focused-visit", None), ("monitoring visit", "monitoring-visit", None),
                ("short inspection", "ilacs", "short"), ("standard inspection", "ilacs", "standard")]


def _authority(name: str, code: str | None) -> str | None:
    """The slug for the table's authority: by its GSS code, else by its name."""
    if code:
        by_code = [a for a in authorities.all_authorities() if a.gss_code == code.strip()]
        current = [a for a in by_code if not a.abolished] or by_code
        if len(current) == 1:
            return current[0].slug
    return authorities.match_name(name)


def _grade(cell: str | None) -> str | None:
    return normalise_grade(cell or "") if (cell or "").strip() else None


def _iso(cell: str | None) -> str | None:
    text = (cell or "").strip()
    if len(text) >= 10 and text[4] == "-" and text[7] == "-":
        return text[:10]
    return None


def read_table(path: str | Path) -> OfficialTable:
    """Read an official outcomes CSV; raise DocumentError naming the file when it is none."""
    if not str(path).strip():
        raise UsageError("the table's file name is empty", "name Ofsted's outcomes CSV: ofstl verify FILE")
    path = Path(path)
    if not path.exists() or path.is_dir():  # a mistyped name: a usage error, as for ingest, themes --tag and due --rules
        raise UsageError(f"{path}: {'a folder, not a file' if path.is_dir() else 'no such file'}", "name Ofsted's outcomes CSV: ofstl verify FILE")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if raw.startswith(b"PK\x03\x04"):  # a zip: an .ods or .xlsx workbook
        raise DocumentError(f"{path}: a spreadsheet workbook, not CSV; save the sheet as CSV and verify that")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text": UTF-16, tab-separated
        text = raw.decode("utf-16", errors="replace")
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    # commas, or tabs (Excel's "Unicode text"), or semicolons (Excel's CSV where a comma is the decimal mark)
    delimiter = max(",\t;", key=first.count)
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise DocumentError(f"{path}: not a readable CSV ({exc})") from None
    if not rows:
        raise DocumentError(f"{path}: empty; expected Ofsted's official outcomes table (CSV)")
    header = [h.strip() for h in rows[0]]
    if _HISTORY_BLOCKS[0][0] in header:
        return _present_frameworks(_read_history(str(path), header, rows[1:]))
    if "Overall effectiveness" in header and any(h in header for h in ("Inspection date", "Inspection/Visit date")):
        return _present_frameworks(_read_outcomes(str(path), header, rows[1:]))
    raise DocumentError(f"{path}: not an Ofsted outcomes table (expected the 2009-2023 history or an ILACS outcomes CSV; header starts {', '.join(header[:3])!r})")


def _cells(header: list[str], row: list[str]) -> dict[str, str]:
    return {h: (row[i] if i < len(row) else "") for i, h in enumerate(header)}


def _authority_rows(table: OfficialTable, header: list[str], rows: list[list[str]],
                    slug_of: Callable[[str, dict[str, str]], str | None]) -> Iterator[tuple[int, dict[str, str], str, str]]:
    """(csv line, cells, name, slug) of each row naming an authority; a name ofstl does not
    know is noted in ``table.unnamed``, a row without a name skipped."""
    for number, row in enumerate(rows, start=2):
        cells = _cells(header, row)
        name = cells.get("Local authority name", "").strip()
        if not name:
            continue
        slug = slug_of(name, cells)
        if slug is None:
            table.unnamed.append(f"line {number}: {name!r} is not an authority ofstl knows")
            continue
        yield number, cells, name, slug


def _read_history(path: str, header: list[str], rows: list[list[str]]) -> OfficialTable:
    table = OfficialTable(path, "history-2009-2023", [], frameworks=("slac", "cpi", "lac", "sif", "ilacs"))
    dates: list[str] = []

    def slug_of(name: str, cells: dict[str, str]) -> str | None:
        before_restructure = "before restructure" in cells.get("table", "").lower()
        return _restructured(name) if before_restructure else _authority(name, None)

    for number, cells, name, slug in _authority_rows(table, header, rows, slug_of):
        for date_col, framework, typ, columns in _HISTORY_BLOCKS:
            published = _iso(cells.get(date_col))
            if not published:
                continue
            if typ and typ.endswith("inspection type"):
                typ_value = cells.get(typ, "").lower()
                typ = "short" if "short" in typ_value else "standard" if "standard" in typ_value else None
            grades = {key: g for col, key in columns if (g := _grade(cells.get(col)))}
            table.inspections.append(OfficialInspection(slug, framework, typ, None, published, grades, number, name))
            dates.append(published)
    table.period = (min(dates), max(dates)) if dates else ("", "")
    return table


def _present_frameworks(table: OfficialTable) -> OfficialTable:
    """Only the frameworks the table actually lists can be missing from it."""
    table.frameworks = tuple(fw for fw in table.frameworks if any(o.framework == fw for o in table.inspections))
    return table


def _restructured(name: str) -> str | None:
    """A council of the wide table's "before restructure" part: the abolished one."""
    key = name.lower()
    for auth in authorities.all_authorities():
        if auth.abolished and auth.name.lower().replace("(county council)", "").strip() == key:
            return auth.slug
    return authorities.match_name(name)


def _read_outcomes(path: str, header: list[str], rows: list[list[str]]) -> OfficialTable:
    typed = "Inspection type" in header or "Inspection/Visit type" in header
    table = OfficialTable(path, "ilacs-outcomes" if typed else "ilacs-as-at", [], complete=typed,
                          frameworks=("ilacs", "focused-visit", "monitoring-visit") if typed else ("ilacs",))
    dates: list[str] = []
    rows_named = _authority_rows(table, header, rows, lambda name, cells: _authority(name, cells.get("Local authority area code")))
    for number, cells, name, slug in rows_named:
        kind = (cells.get("Inspection type") or cells.get("Inspection/Visit type") or "ILACS inspection").lower()
        framework, typ = "ilacs", None
        for words, fw, t in _VISIT_TYPES:
            if words in kind:
                framework, typ = fw, t
                break
        start = _iso(cells.get("Inspection date") or cells.get("Inspection/Visit date"))
        grades = {key: g for col, key in _ILACS_COLUMNS if (g := _grade(cells.get(col)))}
        table.inspections.append(OfficialInspection(slug, framework, typ, start, _iso(cells.get("Publication date")), grades, number, name))
        if start:
            dates.append(start)
    table.period = (min(dates), max(dates)) if dates else ("", "")
    return table


__all__ = ["OfficialInspection", "OfficialTable", "read_table"]
