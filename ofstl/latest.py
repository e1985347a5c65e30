"""The one reading of "the latest grade", shared by every view that shows one.

``list``, ``compare``, ``national`` and ``due`` each answered "what is this authority's latest
grade for this judgement?" in their own way, and disagreed: after an ILACS from April 2026
(which makes no overall judgement) ``compare`` showed the overall grade of the inspection
before it, with its year, while ``national`` said "not judged". The reading kept here is
the demanding analyst's: the latest inspection gives the answer. When it made the judgement,
its grade is the latest grade (or "grade not stated", when no stored document gives it);
when it did not, there is no latest grade ("not judged"), and the grade an earlier
inspection gave is only ever shown apart, as ``superseded``, named as older.

Which inspection is the latest is one order too (``in_order``): by the first day it can have
begun; on the same first day a mention comes before the authority's own report, and a year or
month before a full date, so the latest is the best known.
"""

from __future__ import annotations

from typing import Any, Iterable

from ofstl.parse.calendar import allowed_judgement
from ofstl.vocabulary import known_date

GRADED = "graded"
NOT_JUDGED = "not judged"
NOT_STATED = "grade not stated"


def day(value: str | None) -> str | None:
    """A stored date ('2013', '2013-11', '2013-11-25') as a full day, the first it can be."""
    if not value:
        return None
    parts = value.split("-") + ["01", "01"]
    return "-".join(parts[:3]) if len(value) >= 4 else None


def in_order(record: dict[str, Any]) -> tuple[str, bool, int]:
    """Sort key of a dated inspection: its first possible day; on the same day an inspection
    only mentioned by a later document comes before one whose own report was read, and a
    year or month before a full date, so the latest is the best known (a story's year-only
    "inspected in 2019" went last by the store's order, and outranked the 2019 report)."""
    date = known_date(record)
    return (day(date) or "", record.get("role") == "subject", len(date or ""))


def grade(record: dict[str, Any], key: str) -> str | None:
    judgement = (record.get("judgements") or {}).get(key)
    return judgement["grade"] if judgement else None


def judgement_status(record: dict[str, Any], key: str) -> str:
    """``graded`` when a stored document gives the inspection's grade for ``key``; ``grade not
    stated`` when the inspection made that judgement but no stored document gives it (a later
    report's mention of some of its grades); ``not judged`` when it made no such judgement
    (an ILACS from April 2026 and the overall one, an SLAC, a visit)."""
    if grade(record, key):
        return GRADED
    when = known_date(record)
    if allowed_judgement(record.get("framework") or "", key, when):
        return NOT_STATED
    return NOT_JUDGED


def latest_judgement(records: Iterable[dict[str, Any]], key: str) -> dict[str, Any] | None:
    """What the latest of ``records`` (each dated; any order) says of judgement ``key``:
    ``{status, grade, inspection, date, framework, record, previous, superseded}``, or None
    when there are no records. ``grade`` is the latest inspection's own (None unless
    ``status`` is ``graded``); ``previous`` is the grade of the latest earlier inspection that
    gave one, the grade before; when the latest inspection gives none, that earlier grade is
    ``superseded`` (``{grade, date, framework, inspection, record}``), never ``grade``."""
    ordered = sorted(records, key=in_order)
    if not ordered:
        return None
    last = ordered[-1]
    before = next((r for r in reversed(ordered[:-1]) if grade(r, key)), None)
    status = judgement_status(last, key)
    reading: dict[str, Any] = {
        "status": status, "grade": grade(last, key), "inspection": last["id"], "date": known_date(last),
        "framework": last.get("framework"), "record": last, "previous": grade(before, key) if before else None, "superseded": None,
    }
    if status != GRADED and before is not None:
        reading["superseded"] = {"grade": grade(before, key), "date": known_date(before), "framework": before.get("framework"),
                                 "inspection": before["id"], "record": before}
    return reading


def record_counts(records: list[dict[str, Any]]) -> dict[str, int]:
    """The list's counts beside its total: inspections and visits (focused, monitoring) whose own
    report or letter is in the store, and records only a later document mentions."""
    own = [r for r in records if r["role"] == "subject"]
    visits = sum(1 for r in own if r["framework"] in ("focused-visit", "monitoring-visit"))
    return {"inspections_read": len(own) - visits, "visits_read": visits, "mentioned": len(records) - len(own)}
