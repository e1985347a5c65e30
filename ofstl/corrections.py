"""Corrections: a person's reading of a field, kept apart from the documents' and winning.

Every record in an authority file is rebuilt from its sources on each ingest, so a grade
edited in place would be lost. A correction lives in the file's own ``corrections:`` block
instead (written by ``ofstl correct`` or by hand)::

    corrections:
    - inspection: hillingdon-2013-11-sif
      field: judgements.overall        # or start, end, published, framework, type, theme, outcome
      value: requires improvement
      note: the report's table misprints the grade; see the letter of 2014-02-11
      date: '2026-11-29'

Ingest keeps the block as it is; loading applies it over the records (``apply``), so every
view shows the corrected value with its own evidence (method ``correction``, the note and
the date) and keeps the document's reading beside it. A correction whose inspection is no
longer in the file is kept and reported, never dropped.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any, Sequence

from ofstl.errors import UsageError, did_you_mean, near_misses
from ofstl.parse import calendar
from ofstl.parse.grades import GRADE_LEVEL, SHORT, normalise_grade
from ofstl.parse.labels import KEY_ORDER
from ofstl.schema import DATE_FIELDS, KEY, TEXT_FIELDS, is_calendar_date
from ofstl.vocabulary import FRAMEWORKS, framework_name

METHOD = "correction"


def field_for(key: str, known: Any = ()) -> str:
    """The stored field of a KEY as typed: ``overall`` -> ``judgements.overall``. A
    judgement must be one of the usual keys or one the inspection already has (``known``)."""
    key = key.strip().lower().replace("-", "_").replace(" ", "_")
    if key in DATE_FIELDS or key in TEXT_FIELDS:
        return key
    if key.startswith("judgements."):
        key = key[len("judgements."):]
    if not KEY.fullmatch(key) or (key not in KEY_ORDER and key not in known):
        raise UsageError(f"cannot correct {key!r}", _did_you_mean(key, [*KEY_ORDER, *known, *DATE_FIELDS, *TEXT_FIELDS])
                         + f"KEY is a judgement ({', '.join(KEY_ORDER)}) or start, end, published, framework, type, theme, outcome")
    return f"judgements.{key}"


def _did_you_mean(typed: str, choices: list[str]) -> str:
    """'did you mean 'overall'? ' for a near miss ('overal', 'gud'), else nothing: the list
    of every choice that follows is long to read for one letter wrong."""
    close = near_misses(typed, choices, n=1, cutoff=0.6)
    return did_you_mean(close) + " " if close else ""


def value_for(field: str, value: str) -> str:
    """The value to store, checked for the field: a grade word (or its letters), a date, a
    framework (its id, or its name as the views print it: "SIF", "Child protection")."""
    value = " ".join(value.split())
    if field == "framework":
        by_name = {name.lower(): f.id for f in FRAMEWORKS.values() for name in (f.id, f.name, f.short)}
        if value.lower() not in by_name:
            raise UsageError(f"{value!r} is not a framework", f"one of: {', '.join(FRAMEWORKS)}")
        return by_name[value.lower()]
    if field.startswith("judgements."):
        words = value.lower()
        by_short = {short.lower(): grade for grade, short in SHORT.items()}
        # The words as a report prints them too: "Requires improvement to be good", "Good (Grade 2)".
        words = by_short.get(words) or normalise_grade(value) or words
        if words not in GRADE_LEVEL:
            raise UsageError(f"{value!r} is not a grade", _did_you_mean(words, list(GRADE_LEVEL)) + f"one of: {', '.join(GRADE_LEVEL)}")
        return words
    if field in DATE_FIELDS and not is_calendar_date(value):
        raise UsageError(f"{value!r} is not a date", "write it as YYYY-MM-DD (or YYYY-MM, YYYY)")
    if not value:
        raise UsageError("the value is empty")
    return value


# The inspection types a framework has (SPEC section 1); a framework not named here is not checked.
TYPES = {"ilacs": ("standard", "short"), "sif": ("reinspection",)}


def check_fits(record: dict[str, Any], field: str, value: str, corrections: Sequence[dict[str, Any]] = ()) -> None:
    """Refuse a correction that cannot be right for this inspection, as a typo would make it:
    a judgement its graded framework never made or a grade off its scale (an ILACS is never
    'adequate'), a type the framework does not have, fieldwork that ends before it starts or
    starts after publication (with the record's other corrections applied)."""
    framework = record.get("framework") or "other"
    name = framework_name(framework)
    if field.startswith("judgements."):
        key = field[len("judgements."):]
        # (A visit's framework is not checked: a document read as the wrong framework would
        # otherwise leave no way to record its grades.)
        if key not in (record.get("judgements") or {}) and framework in calendar.JUDGEMENTS and not calendar.allowed_judgement(framework, key, record.get("start") or record.get("published") or record.get("reported")):
            judged = ", ".join(sorted(calendar.JUDGEMENTS[framework]))
            raise UsageError(f"{record['id']} ({name}) made no {key} judgement", f"its framework's judgements: {judged}")
        if not calendar.on_scale(framework, value):
            scale = [g for g in GRADE_LEVEL if calendar.on_scale(framework, g)]
            raise UsageError(f"{value!r} is not on the {name} grade scale", f"one of: {', '.join(scale)}")
    elif field == "framework":
        _check_framework_fits(record, value)
    elif field == "type" and value not in TYPES.get(framework, ()):
        if framework not in TYPES:  # SPEC section 1: only SIF and ILACS have a type
            raise UsageError(f"{record['id']} ({name}) has no type", "only SIF (reinspection) and ILACS (standard, short) inspections have one")
        raise UsageError(f"{value!r} is not a type of {name} inspection", f"one of: {', '.join(TYPES[framework])}")
    elif field in DATE_FIELDS:
        dates = {f: record.get(f) for f in DATE_FIELDS}
        for c in corrections:
            if c.get("inspection") == record["id"] and c.get("field") in DATE_FIELDS:
                dates[c["field"]] = c["value"]
        dates[field] = value
        for early, late in (("start", "end"), ("start", "published")):
            a, b = dates[early], dates[late]
            if a and b and a[:min(len(a), len(b))] > b[:min(len(a), len(b))]:
                other = late if field == early else early
                raise UsageError(f"{record['id']}: {early} {a} would be after {late} {b}",
                                 f"if the {other} is wrong too, correct it first")


def _authority_of(record: dict[str, Any]) -> str:
    """The authority slug an inspection id starts with (``hillingdon-2013-11-sif``)."""
    return re.split(r"-(?=\d{4}\b)", record["id"], maxsplit=1)[0]


def _show_command(record: dict[str, Any]) -> str:
    return f"ofstl show {_authority_of(record)} {record['id']}"


def _check_framework_fits(record: dict[str, Any], framework: str) -> None:
    """A framework that was not in force at the inspection's dates, or could not have given
    the grades read for it, is a typo or the wrong inspection (a grade misread too is
    corrected first, judgement by judgement)."""
    name, when = framework_name(framework), record.get("start") or record.get("published") or record.get("reported")
    if when and not calendar.in_force(framework, when):
        raise UsageError(f"{record['id']} ({when}) cannot be under {name}: that framework was not in force then",
                         f"check WHEN and the framework: {_show_command(record)}")
    graded = {key: (j or {}).get("grade") for key, j in (record.get("judgements") or {}).items()}
    if graded and framework in FRAMEWORKS and not FRAMEWORKS[framework].full and framework != "other":
        raise UsageError(f"{record['id']} has grades ({', '.join(graded)}), which a {name} never gives",
                         f"check WHEN and the framework: {_show_command(record)}")
    for key, judgement in calendar.rekeyed(record.get("judgements") or {}, record.get("framework") or "", framework).items():
        grade = (judgement or {}).get("grade")
        if framework in calendar.JUDGEMENTS and not calendar.allowed_judgement(framework, key, when):
            raise UsageError(f"{record['id']}'s {key} judgement ({grade}) is one {name} never made",
                             f"its judgements: {', '.join(sorted(calendar.JUDGEMENTS[framework]))}")
        if grade and not calendar.on_scale(framework, grade):
            raise UsageError(f"{record['id']}'s {key} grade ({grade}) is not on the {name} grade scale",
                             f"if that grade was misread, correct it first: ofstl correct {_authority_of(record)} {record['id']} {key} GRADE")


def make(inspection: str, field: str, value: str, note: str, today: dt.date | None = None) -> dict[str, Any]:
    return {"inspection": inspection, "field": field, "value": value, "note": " ".join(note.split()),
            "date": (today or dt.datetime.now(dt.timezone.utc).date()).isoformat()}


def add(corrections: list[dict[str, Any]], new: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The block with ``new`` in it, replacing an earlier correction of the same field
    (returned too, so the caller can say so)."""
    kept, replaced = [], None
    for old in corrections:
        if old["inspection"] == new["inspection"] and old["field"] == new["field"]:
            replaced = old
        else:
            kept.append(old)
    return kept + [new], replaced


def apply(data: dict[str, Any]) -> dict[str, Any]:
    """The file's data with its corrections applied to the records (a copy when there are
    any). Each corrected record gets ``corrections`` (SPEC section 4: field, value, note,
    date); a corrected judgement keeps the document's reading under ``document``.

    A correction written by hand gets the checks ``ofstl correct`` makes (``check_fits``),
    against the inspection as all its corrections leave it: one that cannot be right (a
    misspelt judgement, ``judgements.overal``, that would become a judgement of its own; a
    grade off the framework's scale; a type the framework lacks) is not applied, and is
    listed under ``unfit_corrections`` with the reason, for the views to report."""
    corrections = data.get("corrections") or []
    if not corrections:
        return data
    applied, matched = _apply(data, corrections)
    unfit = [(c, reason) for c, record in matched if (reason := _unfit(c, record))]
    if unfit:
        refused = [id(c) for c, _ in unfit]
        applied, _ = _apply(data, [c for c in corrections if id(c) not in refused])
        applied["unfit_corrections"] = [dict(c, reason=reason) for c, reason in unfit]
    return applied


def _unfit(correction: dict[str, Any], record: dict[str, Any]) -> str | None:
    """Why a correction cannot be right for the inspection as corrected, or None."""
    field, value = correction["field"], correction["value"]
    probe = record
    if field.startswith("judgements."):
        key = field[len("judgements."):]
        read = "document" in ((record.get("judgements") or {}).get(key) or {})  # a document's reading of it too
        if key not in KEY_ORDER and not read:
            return f"{key!r} is not a judgement of this inspection (judgements: {', '.join(KEY_ORDER)}, or one it has)"
        if not read:  # as ``correct`` sees it: a judgement the documents did not give
            probe = dict(record, judgements={k: v for k, v in record["judgements"].items() if k != key})
    try:
        check_fits(probe, field, value)
    except UsageError as exc:
        return exc.message
    return None


def _apply(data: dict[str, Any], corrections: list[dict[str, Any]]) -> tuple[dict[str, Any], list[tuple[dict[str, Any], dict[str, Any]]]]:
    """The data with ``corrections`` applied, and each matched correction with its record."""
    matched: list[tuple[dict[str, Any], dict[str, Any]]] = []
    data = copy.deepcopy(data)
    by_id = {r["id"]: r for r in data["inspections"]}
    by_base: dict[str, list[dict[str, Any]]] = {}
    for r in data["inspections"]:
        by_base.setdefault(_base(r["id"]), []).append(r)
    unmatched = []
    for c in corrections:
        # The id, else the one inspection of that month and framework (a document stored
        # since may have added a "-2" to one of two inspections in the same month).
        same = by_base.get(_base(c["inspection"]), [])
        record = by_id.get(c["inspection"]) or (same[0] if len(same) == 1 else None)
        if record is None:
            unmatched.append(c)
            continue
        matched.append((c, record))
        record.setdefault("corrections", []).append({"field": c["field"], "value": c["value"], "note": c["note"], "date": c["date"]})
        if c["field"].startswith("judgements."):
            key = c["field"][len("judgements."):]
            judgements = record.setdefault("judgements", {})
            reading = judgements.get(key)
            corrected = {"grade": c["value"], "printed": None, "source": None, "page": None, "method": METHOD, "note": c["note"], "date": c["date"]}
            if reading is not None:
                corrected["document"] = {k: reading.get(k) for k in ("grade", "printed", "source", "page", "method")}
            judgements[key] = corrected
            record["judgements"] = dict(sorted(judgements.items()))
        else:
            if c["field"] == "framework":  # an open inspection's whole grade becomes the framework's own
                record["judgements"] = calendar.rekeyed(record.get("judgements") or {}, record.get("framework") or "", c["value"])
            record[c["field"]] = c["value"]
            # The type read was a type of the framework the document was read as.
            if c["field"] == "framework" and record.get("type") and c["value"] in TYPES and record["type"] not in TYPES[c["value"]]:
                record["type"] = None
    if unmatched:
        data["unmatched_corrections"] = unmatched
    return data, matched


def _base(inspection_id: str) -> str:
    return re.sub(r"-\d+$", "", inspection_id)


def evidence(j: dict[str, Any]) -> str:
    """How a corrected judgement is shown: ``corrected by hand, 2026-11-29: why``."""
    text = f"corrected by hand, {j.get('date')}: {j.get('note') or 'no note'}"
    document = j.get("document")
    if document:
        where = f"{document.get('source') or '?'} p.{document.get('page') or '?'} {document.get('method') or ''}".strip()
        text += f" (the document reads {document.get('grade')} [{where}])"
    return text


def field_evidence(c: dict[str, Any]) -> str:
    """How a corrected field other than a judgement is shown: ``framework Child protection:
    corrected by hand, 2026-11-29: why``."""
    value = framework_name(c["value"]) if c["field"] == "framework" else c["value"]
    return f"{c['field']} {value}: corrected by hand, {c['date']}: {c['note']}"


def corrected_fields(record: dict[str, Any]) -> list[str]:
    return [c["field"] for c in record.get("corrections", [])]


__all__ = ["METHOD", "TYPES", "check_fits", "field_for", "value_for", "make", "add", "apply", "evidence", "field_evidence", "corrected_fields"]
