"""The diff view: which two inspections to compare, and what changed between them.

dyff's idea: only the differences, each under its path. Judgements are compared by key,
themes by id (never by position); each weakness item appears once, with its themes beside
it, under the change it belongs to. The words (``better``, ``newly raised``, ``no longer
raised``...) come from ``ofstl.vocabulary`` and are the same in the table, JSON and CSV.
A side known only from a mention has no items read, so the view says so.
"""

from __future__ import annotations

from typing import Any

from ofstl.errors import UsageError
from ofstl.parse.calendar import spec_fields
from ofstl.parse.labels import display_name, key_sort
from ofstl.theme_tagger import Tagger, tagger_for
from ofstl.vocabulary import (
    DIRECTION_WORD, FULL_FRAMEWORKS, NEWLY_JUDGED, NEWLY_RAISED, NO_LONGER_JUDGED, NO_LONGER_RAISED, STILL_RAISED, UNDATED,
    compare, date_or_undated, framework_name, known_date,
)


def _graded_subjects(records: list[dict[str, Any]], predecessors: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Graded inspections in date order, its own documents' first; a predecessor's count only
    when it was the authority's one predecessor (never one of several merged councils)."""
    from ofstl.views import in_date_order, is_graded

    sole = predecessors[0]["authority"] if predecessors and len(predecessors) == 1 else None
    ordered = [r for r in in_date_order(records) if r.get("predecessor_of") in (None, sole)]
    graded = [r for r in ordered if is_graded(r) and r["role"] == "subject"]
    return graded if len(graded) >= 2 else [r for r in ordered if is_graded(r)]


def diff_pair(data: dict[str, Any], from_spec: str | None = None, to_spec: str | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The two inspections a diff compares: FROM and TO as given; with FROM only, FROM and
    the next graded inspection; with neither, the latest two graded ones (dated ones first:
    an inspection with no date sorts last but is not known to be the latest)."""
    from ofstl.views import select

    records = data["inspections"]
    graded = _graded_subjects(records, data.get("predecessors"))
    if from_spec is not None and to_spec is not None:
        return select(records, from_spec), select(records, to_spec)  # the same one twice: no differences, as diff(1)
    if from_spec is not None:  # "" (an unset variable) is refused by select, not the default
        before = select(records, from_spec)
        later = [r for r in graded if r["role"] == "subject" and date_or_undated(r) > date_or_undated(before) and r is not before]
        if later:
            return before, later[0]
        if len(graded) >= 2 and graded[-1] is not before:
            return before, graded[-1]
        raise UsageError(f"no graded inspection of {data['name']} after {date_or_undated(before)[:7]} to compare with",
                         f"name both: ofstl diff {data['authority']} FROM TO")
    if len(graded) < 2:
        years = " ".join(sorted({date_or_undated(r)[:4] for r in records if date_or_undated(r) != UNDATED}))
        n = len(graded)
        own = " of its own" if len(data.get("predecessors") or []) > 1 else ""  # merged councils' are not compared by default
        counted = f"{n} graded inspection{'s' if n != 1 else ''}{own}"
        theirs = [r for r in graded if r.get("predecessor_of")]
        if theirs:  # Cumberland's file holding only Cumbria's ILACS: not "Cumberland has 1 graded inspection"
            mine = n - len(theirs)
            counted = f"{mine} graded inspection{'s' if mine != 1 else ''} of its own and {len(theirs)} of {_council(theirs[0]['predecessor_of'])}'s"
        raise UsageError(f"{data['name']} has {counted} in the store; nothing to compare by default",
                         f"name two: ofstl diff {data['authority']} FROM TO (years stored: {years or 'none'})")
    dated = [r for r in graded if date_or_undated(r) != UNDATED]  # an undated one is not known to be the latest
    return (dated[-2], dated[-1]) if len(dated) >= 2 else (graded[-2], graded[-1])


# ``kind`` (and ``direction``) keep the codes the first JSON/CSV contract gave them, so scripts
# written against it go on working; ``change`` carries the words every format now shares.
LEGACY_THEME_KIND = {STILL_RAISED: "persisting", NO_LONGER_RAISED: "resolved", NEWLY_RAISED: "new"}

def _side(record: dict[str, Any]) -> dict[str, Any]:
    # start: the fieldwork start as everywhere (it was the date known by, 'undated' for none); date: that date, or null
    side = {"id": record["id"], **spec_fields(record["framework"]), "type": record.get("type"), "name": framework_name(record["framework"], record.get("type")),
            "start": record.get("start"), "role": record["role"], "date": known_date(record)}
    if record.get("predecessor_of"):
        side["predecessor_of"] = record["predecessor_of"]
        side["predecessor_name"] = _council(record["predecessor_of"])  # the council inspected, in words
    return side


def _council(slug: str) -> str:
    from ofstl import authorities

    known = authorities.by_slug().get(slug)
    return known.display_name if known else slug


def diff(data: dict[str, Any], before: dict[str, Any], after: dict[str, Any], tagger: Tagger | None = None) -> dict[str, Any]:
    """Only what changed: judgements by key, themes by id, each item once with its themes."""
    from ofstl.views import themes_of

    tagger = tagger or tagger_for(None)
    changes: list[dict[str, Any]] = []
    jb, ja = before.get("judgements", {}), after.get("judgements", {})
    for key in sorted(set(jb) | set(ja), key=key_sort):
        old = jb.get(key, {}).get("grade")
        new = ja.get(key, {}).get("grade")
        if old == new:
            continue
        words = DIRECTION_WORD[compare(old, new)] if old and new else NEWLY_JUDGED if new else NO_LONGER_JUDGED
        direction = compare(old, new).value if old and new else "added" if new else "removed"
        changes.append({"path": f"judgements.{key}", "label": display_name(key), "change": words,
                        "kind": "changed" if old and new else direction, "from": old, "to": new, "direction": direction})
    tb, ta = themes_of(before, tagger), themes_of(after, tagger)
    kinds = {}
    for theme in sorted(set(tb) | set(ta)):
        kinds[theme] = STILL_RAISED if theme in tb and theme in ta else NO_LONGER_RAISED if theme in tb else NEWLY_RAISED
        changes.append({"path": f"themes.{theme}", "label": tagger.label(theme), "change": kinds[theme],
                        "kind": LEGACY_THEME_KIND[kinds[theme]], "from": tb.get(theme, []), "to": ta.get(theme, [])})
    items = []
    for record, kind in ((after, NEWLY_RAISED), (before, NO_LONGER_RAISED)):
        for item in record.get("weaknesses", []):
            themes = tagger.tags(item["text"])
            if any(kinds.get(t) == kind for t in themes):
                items.append({"kind": kind, "inspection": record["id"], "text": item["text"], "themes": themes,
                              "labels": [tagger.label(t) for t in themes], "theme_kinds": [kinds[t] for t in themes]})
    unchanged = sorted((k for k in set(jb) & set(ja) if jb[k]["grade"] == ja[k]["grade"]), key=key_sort)
    warnings = []
    sides = (before, after) if before is not after else (before,)  # the same one twice: say each thing once
    if before is after:
        warnings.append(f"FROM and TO are the same inspection ({before['id']}): nothing to compare; "
                        f"ofstl timeline {data['authority']} lists its inspections")
    for record, other in ((before, "the later"), (after, "the earlier")) if before is not after else ():
        if record["role"] == "mentioned":
            warnings.append(f"{framework_name(record['framework'])} {date_or_undated(record)[:7]} is known only from a mention in a later "
                            f"document (its own report was not read), so {other} inspection's items may look "
                            f"{NEWLY_RAISED if other == 'the later' else NO_LONGER_RAISED} only for that")
    for record in sides:
        if record.get("predecessor_of"):
            warnings.append(f"{framework_name(record['framework'])} {date_or_undated(record)[:7]} was an inspection of "
                            f"{_council(record['predecessor_of'])} (a predecessor council), not of {data['name']}")
    for record in sides:
        fixed = [c["field"].replace("judgements.", "") for c in record.get("corrections", [])]
        if fixed:  # a difference may be a person's reading, not the documents'
            warnings.append(f"{framework_name(record['framework'])} {date_or_undated(record)[:7]} has values corrected by hand "
                            f"({', '.join(fixed)}): ofstl show {data['authority']} {record['id']} says why")
    for record in (before, after):
        if date_or_undated(record) == UNDATED:
            warnings.append(f"{framework_name(record['framework'])} ({record['id']}) has no date: which of the two came first is unknown, "
                            f"so what is {NEWLY_RAISED} or {NO_LONGER_RAISED} may read back in time")
    if date_or_undated(before) != UNDATED and date_or_undated(after) != UNDATED and date_or_undated(before)[:10] > date_or_undated(after)[:10]:
        warnings.append(f"FROM ({date_or_undated(before)[:10]}) is later than TO ({date_or_undated(after)[:10]}): the changes read back in time")
    if after["framework"] not in FULL_FRAMEWORKS and any(kind == NO_LONGER_RAISED for kind in kinds.values()):
        # a visit looks at part of the service: what it does not raise it has not cleared
        warnings.append(f"{framework_name(after['framework'])} {date_or_undated(after)[:7]} looks at part of the service, not all "
                        f"of it: a theme it does not raise is {NO_LONGER_RAISED} here but not resolved "
                        f"(only a full inspection resolves; ofstl timeline {data['authority']} gives each theme's word)")
    return {
        "authority": data["authority"],
        "name": data["name"],
        "from": _side(before),
        "to": _side(after),
        "warnings": warnings,
        "unchanged_judgements": {k: ja[k]["grade"] for k in unchanged},
        "changes": changes,
        "items": items,
        "differences": sum(1 for c in changes if c["change"] != STILL_RAISED),
    }
