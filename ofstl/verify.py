"""The store checked against Ofsted's official outcomes table (``ofstl verify FILE``).

Every grade ofstl reports comes from a document it read; the official table (the user's
file, read by ``ofstl.official``) says what Ofsted recorded. This module pairs each official
inspection with the stored inspection of the same authority, framework and date, and counts
per framework and judgement how many stored grades agree, disagree, are missing from the
store, or are in the store but not in the table, listing each disagreement with the record
id and the evidence behind the stored grade.

Pairing by date: the outcome files give the inspection's first day, so a stored start within
a month of it is the same inspection; the 2009-2023 history gives only the publication
date, so a stored publication date within a month, or a stored fieldwork start in the four
months before it, is. A stored inspection known only as a year (a mention: "the 2013
inspection") pairs when nothing more precise does. Ofsted's history relabels pre-2013
"adequate" as "requires improvement to be good", so the two agree for SLAC, CPI and LAC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable

from ofstl import authorities
from ofstl.official import OfficialInspection, OfficialTable
from ofstl.parse.calendar import UNDECIDED

OLD_SCALE = {"slac", "cpi", "lac"}  # frameworks whose "adequate" the history prints as RI
OUTCOMES = ("agree", "disagree", "missing", "not_in_table")
INSPECTION = "(inspection)"  # the row counting inspections themselves, graded or not


@dataclass
class Verification:
    """What ``verify`` found: counts per (framework, judgement) and each disagreement."""

    table: str
    shape: str
    counts: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    disagreements: list[dict[str, Any]] = field(default_factory=list)
    missing: list[dict[str, Any]] = field(default_factory=list)
    not_in_table: list[dict[str, Any]] = field(default_factory=list)
    unnamed: list[str] = field(default_factory=list)

    def count(self, framework: str, key: str, outcome: str) -> None:
        row = self.counts.setdefault((framework, key), {o: 0 for o in OUTCOMES})
        row[outcome] += 1

    def totals(self) -> dict[str, int]:
        """Judgements: how many agree, disagree, are missing, are not in the table."""
        return {o: sum(row[o] for (_, key), row in self.counts.items() if key != INSPECTION) for o in OUTCOMES}

    def inspections(self) -> dict[str, int]:
        """Inspections: found in both, in the table only, in the store only."""
        rows = [row for (_, key), row in self.counts.items() if key == INSPECTION]
        return {"matched": sum(r["agree"] for r in rows), "missing": sum(r["missing"] for r in rows), "not_in_table": sum(r["not_in_table"] for r in rows)}

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "shape": self.shape,
            "totals": self.totals(),
            "inspections": self.inspections(),
            "by_judgement": [{"framework": fw, "judgement": key, **row} for (fw, key), row in sorted(self.counts.items())],
            "disagreements": self.disagreements,
            "missing": self.missing,
            "not_in_table": self.not_in_table,
            "unnamed": self.unnamed,
        }


def _day(iso: str | None) -> date | None:
    if not iso:
        return None
    parts = iso.split("-")
    try:
        return date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 7, int(parts[2]) if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


def _closeness(official: OfficialInspection, record: dict[str, Any]) -> float | None:
    """How far apart (days) the record's dates are from the official row's; None: not the same."""
    start = record.get("start")
    if official.start and start and len(start) >= 7:
        a, b = _day(official.start), _day(start)
        if a and b and abs((a - b).days) <= (45 if len(start) >= 10 else 62):
            return abs((a - b).days)
    if official.published:
        pub = _day(official.published)
        own = _day(record.get("published")) if record.get("published") and len(record["published"]) == 10 else None
        if pub and own and abs((pub - own).days) <= 31:
            return abs((pub - own).days)
        story = _day(record.get("reported")) if len(record.get("reported") or "") == 10 else None
        if pub and story and 0 <= (story - pub).days <= 31:
            return 31 + (story - pub).days  # a story or council paper dated only by itself, days after the report

        begun = _day(start) if start and len(start) >= 7 else None
        if pub and begun and 0 <= (pub - begun).days <= 150 + (31 if len(start or "") == 7 else 0):
            return 20 + (pub - begun).days / 10
    year = (start or record.get("published") or "")
    if len(year) == 4:
        official_year = (official.start or official.published or "")[:4]
        # A year-only mention: the fieldwork year, or the year before publication.
        if year == official_year or (not official.start and int(year) == int(official_year or 0) - 1):
            return 400.0
    return None


def _pair(table: OfficialTable, stored: dict[str, list[dict[str, Any]]]) -> list[tuple[OfficialInspection, dict[str, Any] | None]]:
    """Each official inspection with its stored record (closest first, each record used once)."""
    options: list[tuple[float, int, int, OfficialInspection, dict[str, Any]]] = []
    for index, official in enumerate(table.inspections):
        for position, record in enumerate(stored.get(official.authority, [])):
            if record["framework"] != official.framework and official.framework not in UNDECIDED.get(record["framework"], ()):
                continue  # (a "SIF or ILACS" of 2018 may be either)
            distance = _closeness(official, record)
            if distance is not None:
                options.append((distance, index, position, official, record))
    options.sort(key=lambda o: (o[0], o[1], o[2]))
    taken_official: dict[int, dict[str, Any]] = {}
    taken_record: set[int] = set()
    for _, index, _, official, record in options:
        if index in taken_official or id(record) in taken_record:
            continue
        taken_official[index] = record
        taken_record.add(id(record))
    return [(official, taken_official.get(index)) for index, official in enumerate(table.inspections)]


def _same(framework: str, official: str, ours: str) -> bool:
    if official == ours:
        return True
    return framework in OLD_SCALE and {official, ours} == {"requires improvement", "adequate"}


def _evidence(record: dict[str, Any], key: str) -> dict[str, Any]:
    j = record["judgements"][key]
    evidence = {"printed": j.get("printed") or "", "source": j.get("source"), "page": j.get("page"), "method": j.get("method")}
    if j.get("method") == "correction":  # a person's reading: their note and date, and the document's beside it
        evidence.update({k: j[k] for k in ("note", "date", "document") if j.get(k)})
    return evidence


def verify(table: OfficialTable, stored_data: Iterable[dict[str, Any]]) -> Verification:
    """Compare the store (each authority's data as loaded) with one official table."""
    result = Verification(table.path, table.shape, unnamed=list(table.unnamed))
    stored: dict[str, list[dict[str, Any]]] = {}
    for data in stored_data:
        for record in data["inspections"]:
            if record.get("predecessor_of"):
                continue
            # A successor's document about a council split or merged away speaks of that council.
            council = record.get("inspected_as")
            owner = council if council and council in authorities.by_slug() and authorities.continued_by(council) is None else data["authority"]
            stored.setdefault(owner, []).append(record)
    pairs = _pair(table, stored)
    for official, record in pairs:
        where = {"authority": official.authority, "framework": official.framework, "type": official.type,
                 "start": official.start, "published": official.published, "line": official.line}
        if official.authority not in stored:
            continue  # an authority with no documents in the store: nothing to check
        # The inspection itself, graded or not: found in the store (by authority, framework, date) or not.
        result.count(official.framework, INSPECTION, "agree" if record is not None else "missing")
        if record is None:
            result.missing.append({**where, "judgement": INSPECTION, "official": None, "id": None})
        for key, grade in sorted(official.judgements.items()):
            if record is None or key not in record.get("judgements", {}):
                result.count(official.framework, key, "missing")
                result.missing.append({**where, "judgement": key, "official": grade, "id": record["id"] if record else None})
                continue
            ours = record["judgements"][key]["grade"]
            if _same(official.framework, grade, ours):
                result.count(official.framework, key, "agree")
            else:
                result.count(official.framework, key, "disagree")
                result.disagreements.append({**where, "id": record["id"], "role": record.get("role"), "judgement": key,
                                             "store": ours, "official": grade, "evidence": _evidence(record, key)})
    if not table.complete:
        return result
    paired = {id(record) for _, record in pairs if record is not None}
    low, high = table.period
    covered = {o.authority for o in table.inspections}
    for slug, records in sorted(stored.items()):
        if slug not in covered:
            continue
        for record in records:
            if id(record) in paired or record["framework"] not in table.frameworks:
                continue
            when = record.get("published") if table.shape == "history-2009-2023" else record.get("start")
            when = when or record.get("start") or record.get("published") or record.get("reported")
            if not when or not (low[: len(when)] <= when <= high):
                continue
            result.count(record["framework"], INSPECTION, "not_in_table")
            result.not_in_table.append({"authority": slug, "id": record["id"], "framework": record["framework"], "judgement": INSPECTION,
                                        "store": None, "role": record.get("role"), "evidence": {}})
            for key in sorted(record.get("judgements", {})):
                result.count(record["framework"], key, "not_in_table")
                result.not_in_table.append({"authority": slug, "id": record["id"], "framework": record["framework"],
                                            "judgement": key, "store": record["judgements"][key]["grade"], "evidence": _evidence(record, key)})
    return result


__all__ = ["Verification", "verify", "OUTCOMES"]
