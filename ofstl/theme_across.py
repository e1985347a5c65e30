"""One weakness theme across authorities: where it is raised, where it comes back, and the words.

``ofstl themes`` says how often each theme occurs and recurs nationally; the question that
follows is always "where, and what did the reports say?". This view answers it for one theme:
each authority whose inspections raise it, with the recurrence word its timeline shows
(persists, recurs, resolved, or raised once) and the verbatim items behind it, inspection by
inspection. Counted as ``national_themes`` counts: each council's own inspections (a
predecessor council's are its own), an inspection with weaknesses counted once.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from ofstl.errors import UsageError, did_you_mean, near_misses
from ofstl.parse.calendar import spec_fields
from ofstl.theme_tagger import Tagger, tagger_for
from ofstl.views import recurrence, themes_of
from ofstl.vocabulary import Recurrence, framework_name, framework_short, known_date

# persisting first: the question is what keeps coming back
STATUS_ORDER = {Recurrence.PERSISTS.value: 0, Recurrence.RECURS.value: 1, Recurrence.RESOLVED.value: 2, Recurrence.ONCE.value: 3}


def find_theme(query: str, themes: list[tuple[str, str]]) -> str:
    """The theme id ``query`` names: its id (any case, spaces or hyphens for underscores), the
    start of one id, or words all found in one label ("care leavers", "front door")."""
    wanted = re.sub(r"[\s-]+", "_", query.strip().lower())
    if not wanted:
        raise UsageError("--theme is empty", "name a theme by its id or words of its label: ofstl themes --theme workforce")
    ids = [theme_id for theme_id, _ in themes]
    if wanted in ids:
        return wanted
    words = query.lower().split()
    found = [i for i in ids if i.startswith(wanted)] or [i for i, label in themes if all(w in label.lower() for w in words)]
    if len(found) == 1:
        return found[0]
    labels = dict(themes)
    if found:
        raise UsageError(f"--theme {query!r} matches {len(found)} themes",
                         "one of: " + "; ".join(f"{i} ({labels[i]})" for i in found))
    close = near_misses(wanted, ids, n=3, cutoff=0.5)
    raise UsageError(f"no theme {query!r}", did_you_mean(close, quoted=False) or "the themes: " + ", ".join(ids))


def _with_predecessors(data: dict[str, Any], by_slug: dict[str, dict[str, Any]], theme: str, tagger: Tagger) -> dict[str, Any] | None:
    """The word ``data``'s timeline shows for ``theme`` when that timeline also shows its
    predecessor councils' inspections (BCP's shows Bournemouth's 2018 ILACS: a theme both
    raise "persists" there, while BCP's own inspections raise it once): ``{status, count,
    predecessors}``, or None when no predecessor's inspection in the store raises it."""
    from ofstl import authorities

    theirs = [dict(r, predecessor_of=p.slug) for p in authorities.predecessors(data["authority"])
              for r in (by_slug.get(p.slug) or {}).get("inspections", [])]
    if not theirs:
        return None
    found = next((t for t in recurrence(data["inspections"] + theirs, tagger) if t["theme"] == theme), None)
    own = {r["id"] for r in data["inspections"]}
    councils = sorted({r["predecessor_of"] for r in theirs if found and r["id"] in found["inspections"] and r["id"] not in own})
    if found is None or not councils:
        return None
    return {"status": found["status"], "count": found["count"], "predecessors": councils,
            "predecessor_names": [authorities.get(c).display_name for c in councils]}


def theme_across(stored: Iterable[dict[str, Any]], theme: str, tagger: Tagger | None = None) -> dict[str, Any]:
    """Every authority whose inspections raise ``theme``: its recurrence word, the inspections
    and their verbatim items; with the national counts the ``themes`` table gives for it."""
    tagger = tagger or tagger_for(None)
    rows = []
    with_weaknesses = raising = with_two = recurring = 0
    stored = sorted(stored, key=lambda d: d["authority"])
    by_slug = {d["authority"]: d for d in stored}
    for data in stored:
        records = data["inspections"]
        count = sum(1 for r in records if r.get("weaknesses"))
        with_weaknesses += count
        with_two += count >= 2
        found = next((t for t in recurrence(records, tagger) if t["theme"] == theme), None)
        if found is None:
            continue
        raising += found["count"]
        recurring += found["recurring"]
        by_id = {r["id"]: r for r in records}
        inspections = []
        for inspection_id in found["inspections"]:
            record = by_id[inspection_id]
            # date: null when no document dates it; framework: SPEC's codes, as every machine output gives it
            inspections.append({"id": inspection_id, "date": known_date(record), "start": record.get("start"), **spec_fields(record["framework"]),
                                "name": framework_name(record["framework"], record.get("type")), "short": framework_short(record["framework"]),
                                "items": themes_of(record, tagger).get(theme, [])})
        rows.append({"authority": data["authority"], "name": data.get("name") or data["authority"], "status": found["status"],
                     "count": found["count"], "inspections": inspections})
        shown = _with_predecessors(data, by_slug, theme, tagger)
        if shown and (shown["status"], shown["count"]) != (found["status"], found["count"]):
            rows[-1]["timeline"] = shown
    rows.sort(key=lambda r: (STATUS_ORDER.get(r["status"], 9), -r["count"], r["authority"]))
    return {
        "theme": theme,
        "label": tagger.label(theme),
        "inspections_with_weaknesses": with_weaknesses,
        "inspections_raising": raising,
        "authorities_raising": len(rows),
        "authorities_with_two_or_more": with_two,
        "authorities_recurring": recurring,
        "authorities": rows,
    }


__all__ = ["STATUS_ORDER", "find_theme", "theme_across"]
