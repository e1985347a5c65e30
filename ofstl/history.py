"""An authority's whole history across reorganisations, assembled from the store's files.

The store keeps one file per authority (``ofstl.store``); councils were reorganised:

- a council replaced by a unitary of the same name and LA number (Buckinghamshire 2020,
  North Yorkshire 2023, Somerset 2023) is one history under today's slug, each record
  keeping ``inspected_as`` (ingest stores them there; a file left under the old council's
  slug by an older ofstl is folded in here);
- a council split or merged away (Northamptonshire 2021, Cumbria 2023, Bournemouth, Poole
  and Dorset county council 2019) keeps its own history, including what its successors'
  documents say about it; each successor's history shows the predecessor's inspections as
  marked rows (``predecessor_of``, SPEC section 4) and the predecessor names its successors.

``assemble`` returns the same shape as ``Store.load`` (plus ``successors``, ``predecessors``
and ``abolished`` where they apply), so every view works on it unchanged.
"""

from __future__ import annotations

from typing import Any

from ofstl import authorities
from ofstl.errors import StoreError
from ofstl.records import build_records, observations_of


def _observations(data: dict[str, Any] | None) -> list[dict[str, Any]]:
    return [o for r in (data or {}).get("inspections", []) for o in observations_of(r)]


def _load_other(store: Any, slug: str) -> dict[str, Any] | None:
    """Another authority's file, for the rows it adds; a broken one is that authority's
    problem (its own timeline reports it), never this one's."""
    try:
        return store.load(slug)
    except StoreError:
        return None


def _own(store: Any, slug: str, *, main: bool = False) -> tuple[list[dict[str, Any]], bool]:
    """(``slug``'s own records, whether any file held them). The stored records as they are
    when nothing is added to them (so a view shows the file); rebuilt with what other files
    say about this council when something is."""
    data = store.load(slug) if main else _load_other(store, slug)
    found = data is not None
    stored = [r for r in (data or {}).get("inspections", []) if not _belongs_elsewhere(slug, r)]
    # a council's own file under its own slug (one an older ofstl left for a continued council)
    # need not say its inspections were of itself: "inspected as" is for another council
    stored = [{k: v for k, v in r.items() if k != "inspected_as"} if r.get("inspected_as") == slug else r for r in stored]
    extra: list[dict[str, Any]] = []
    # corrections in another file that are of this history: a continued council's file and
    # today's council's are one history, whichever name a person corrected it under
    others: list[dict[str, Any]] = []
    for old in authorities.continued_predecessors(slug):
        legacy = _load_other(store, old.slug)
        if legacy is not None:
            extra += [dict(o, inspected_as=o.get("inspected_as") or old.slug) for o in _observations(legacy)]
            others += carried(legacy.get("corrections") or [], old.slug, slug)
    auth = authorities.get(slug)
    continuing = authorities.continued_by(slug)
    if continuing:
        others += carried((_load_other(store, continuing) or {}).get("corrections") or [], continuing, slug)
    if auth.abolished:
        # What the successors' documents say about this council's inspections.
        for successor in auth.successors:
            if successor in authorities.by_slug():
                # (inspected_as is this council itself: no need to say so in its own history)
                extra += [{k: v for k, v in o.items() if k != "inspected_as"}
                          for o in _observations(_load_other(store, successor)) if o.get("inspected_as") == slug]
    from ofstl.corrections import apply

    if not extra:
        if others:  # the file's own corrections are applied already (Store.load)
            stored = apply({"inspections": stored, "corrections": others})["inspections"]
        return stored, found
    own = [o for r in stored for o in observations_of(r)]
    rebuilt = build_records(slug, own + extra)
    corrections = ((data or {}).get("corrections") or []) + others
    if corrections:  # a person's corrections win here too (ofstl.corrections)
        rebuilt = apply({"inspections": rebuilt, "corrections": corrections})["inspections"]
    return rebuilt, True


def carried(corrections: list[dict[str, Any]], from_slug: str, to_slug: str) -> list[dict[str, Any]]:
    """``from_slug``'s file's corrections, for the same history under ``to_slug`` (a continued
    council and today's): an inspection id the other name gave (somerset-county-council-2022-07-ilacs)
    is also tried under this one's (somerset-2022-07-ilacs); the one that matches no inspection
    is left unapplied."""
    out = []
    for c in corrections:
        out.append(c)
        inspection = str(c.get("inspection") or "")
        if inspection.startswith(from_slug + "-"):
            out.append(dict(c, inspection=to_slug + inspection[len(from_slug):]))
    return out


def _belongs_elsewhere(slug: str, item: dict[str, Any]) -> bool:
    """A record in a successor's file about a predecessor that keeps its own history."""
    other = item.get("inspected_as")
    return bool(other) and other != slug and any(p.slug == other for p in authorities.predecessors(slug))


def assemble(store: Any, slug: str) -> dict[str, Any] | None:
    """``slug``'s history as one store-shaped dict, or None when the store knows nothing of it."""
    auth = authorities.get(slug)
    records, found = _own(store, slug, main=True)
    data: dict[str, Any] = {"ofstl_store": 1, "authority": slug, "name": auth.display_name, "gss_code": auth.gss_code or None}
    if auth.abolished:
        data["abolished"] = auth.valid_to
        data["successors"] = [{"authority": s, "name": authorities.get(s).display_name} for s in auth.successors if s in authorities.by_slug()]
    rows = list(records)
    before = []
    for predecessor in authorities.predecessors(slug):
        theirs, any_file = _own(store, predecessor.slug)
        before.append({"authority": predecessor.slug, "name": predecessor.display_name, "until": predecessor.valid_to})
        found = found or (any_file and bool(theirs))
        for record in theirs:
            rows.append(dict(record, predecessor_of=predecessor.slug, inspected_as=record.get("inspected_as") or predecessor.slug))
    if before:
        data["predecessors"] = before
    if not found:
        return None
    if len(rows) != len(records):
        rows.sort(key=lambda r: (r.get("start") is None, r.get("start") or r.get("published") or r.get("reported") or "", r["framework"], r["id"]))
    data["inspections"] = rows
    return data


__all__ = ["assemble", "carried"]
