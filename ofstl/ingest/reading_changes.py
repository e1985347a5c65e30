"""What a re-read changed in an authority's records, in words for the ingest summary.

Why this exists: ``ingest --reread`` replaces what an earlier ofstl read in each stored
document. A person who upgraded ofstl wants to know which inspections came out differently
(a grade, a date, the weaknesses), not only that a file was written again. Pure: records in,
short phrases out.
"""

from __future__ import annotations

from typing import Any

DATE_FIELDS = ("framework", "type", "start", "end", "published")


def record_changes(before: list[dict[str, Any]], after: list[dict[str, Any]], sha: str | None = None) -> list[str]:
    """One phrase per inspection that is new, gone or read differently, in id order:
    ``hounslow-2023-10-ilacs: overall inadequate → good, 2 weaknesses more``. With ``sha``
    (the document read again), an inspection that is gone because its reading now joins
    another says which: ``hounslow-2018-12-ilacs gone (its reading joins hounslow-2018-10-ilacs)``."""
    old = {record["id"]: record for record in before}
    new = {record["id"]: record for record in after}
    phrases = [f"{key} gone" + joined(old[key], after, sha) for key in sorted(old.keys() - new.keys())]
    phrases += [f"{key} new" for key in sorted(new.keys() - old.keys())]
    for key in sorted(old.keys() & new.keys()):
        parts = field_changes(old[key], new[key])
        if parts:
            phrases.append(f"{key}: " + ", ".join(parts))
    return phrases


def joined(gone: dict[str, Any], after: list[dict[str, Any]], sha: str | None) -> str:
    """" (its reading joins ID)" when the gone inspection was read in ``sha`` and a record
    after the re-read holds that document's reading; else nothing."""
    if not sha or not any(source.get("sha256") == sha for source in gone.get("sources") or []):
        return ""
    holders = [record["id"] for record in after if any(source.get("sha256") == sha for source in record.get("sources") or [])]
    return f" (its reading joins {', '.join(holders)})" if holders else ""


def field_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What differs between two readings of one inspection, a few words each."""
    parts = [f"{name} {old.get(name) or '-'} → {new.get(name) or '-'}" for name in DATE_FIELDS if old.get(name) != new.get(name)]
    was, now = old.get("judgements") or {}, new.get("judgements") or {}
    for name in sorted(was.keys() | now.keys()):
        before, after = grade_of(was.get(name)), grade_of(now.get(name))
        if before != after:
            parts.append(f"{name} {before or '-'} → {after or '-'}")
    for kind in ("weaknesses", "strengths"):
        before_texts = [item.get("text") for item in old.get(kind) or []]
        after_texts = [item.get("text") for item in new.get(kind) or []]
        if before_texts != after_texts:
            gained = len(after_texts) - len(before_texts)
            noun = kind if abs(gained) != 1 else kind[:-2] if kind == "weaknesses" else kind[:-1]
            parts.append(f"{gained} {noun} more" if gained > 0 else f"{-gained} {noun} fewer" if gained < 0 else f"{kind} reworded")
    return parts


def grade_of(judgement: Any) -> str | None:
    return judgement.get("grade") if isinstance(judgement, dict) else None


def summary(phrases: list[str], most: int = 3) -> str:
    """The phrases as one clause for a one-line message: the first ``most``, then a count."""
    if not phrases:
        return "the same inspections, read alike (only what it records as evidence changed)"
    shown = "; ".join(phrases[:most])
    return shown + (f"; and {len(phrases) - most} more" if len(phrases) > most else "")
