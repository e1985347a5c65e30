"""Who an authority is compared with: statistical neighbours, regions, and which authorities
existed on a date.

Neighbours (the ten of the DfE children's services statistical neighbour model) and regions
come from ``ofstl/data/neighbours.csv``, derived from data-to-insight's MIT-licensed
``Provider_data_lookup.csv`` by ``docs/make_neighbours.py`` (identities only, no outcomes).
Reorganisations matter for national counts: an authority that replaced one council with the
same area (Buckinghamshire, North Yorkshire, Somerset) continues it, while a new unitary made
by a split or a merger (Dorset, BCP, North and West Northamptonshire, Cumberland,
Westmorland and Furness) exists only from the day after its predecessors ended.
"""

from __future__ import annotations

import csv
import datetime as dt
from functools import lru_cache
from importlib import resources

from ofstl import authorities


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, object]]:
    path = resources.files("ofstl") / "data" / "neighbours.csv"
    with path.open(encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    out: dict[str, dict[str, object]] = {}
    for row in csv.DictReader(lines):
        out[row["slug"]] = {"region": row["region"], "neighbours": tuple(n for n in row["neighbours"].split("|") if n)}
    return out


@lru_cache(maxsize=1)
def _region_names() -> dict[str, str]:
    """Lower-case region -> the spelling the neighbour file uses (one spelling everywhere)."""
    return {str(v["region"]).lower(): str(v["region"]) for v in _table().values()}


def region(slug: str) -> str:
    """The authority's region (the neighbour file's, else ofstl's authority list's)."""
    row = _table().get(slug)
    if row:
        return str(row["region"])
    raw = authorities.get(slug).region
    return _region_names().get(raw.lower(), raw)


def neighbours(slug: str) -> list[str]:
    """The ten statistical neighbours in the model's order (closest first); an abolished
    authority has none of its own."""
    row = _table().get(slug)
    return list(row["neighbours"]) if row else []  # type: ignore[arg-type]


def regions() -> list[str]:
    return sorted({region(a.slug) for a in current()})


def region_members(name: str) -> list[str]:
    wanted = name.lower()
    return sorted(a.slug for a in current() if region(a.slug).lower() == wanted)


def current() -> list[authorities.Authority]:
    return [a for a in authorities.all_authorities() if not a.abolished]


# --------------------------------------------------------------------------- reorganisations


@lru_cache(maxsize=1)
def _predecessors() -> dict[str, list[authorities.Authority]]:
    out: dict[str, list[authorities.Authority]] = {}
    for auth in authorities.all_authorities():
        if auth.abolished:
            for successor in auth.successors:
                out.setdefault(successor, []).append(auth)
    return out


def continued_by(slug: str) -> str | None:
    """The authority that continues an abolished council with the same area (a single successor
    that had no other predecessor), e.g. somerset-county-council -> somerset."""
    auth = authorities.by_slug().get(slug)
    if not auth or not auth.abolished or len(auth.successors) != 1:
        return None
    successor = auth.successors[0]
    return successor if len(_predecessors().get(successor, [])) == 1 else None


def entity(slug: str) -> str:
    """The authority a store file's inspections count for in national figures."""
    return continued_by(slug) or slug


def created_on(slug: str) -> str | None:
    """The first day of a new authority made by a split or a merger, else None."""
    preds = [p for p in _predecessors().get(slug, []) if p.valid_to]
    if not preds or all(continued_by(p.slug) == slug for p in preds):
        return None
    last = max(p.valid_to for p in preds if p.valid_to)
    return (dt.date.fromisoformat(last) + dt.timedelta(days=1)).isoformat()


def existed_on(slug: str, date: str) -> bool:
    """Was this a distinct authority with children's services on ``date`` (YYYY-MM-DD)?"""
    auth = authorities.by_slug().get(slug)
    if auth is None:
        return False
    if auth.abolished:
        return continued_by(slug) is None and bool(auth.valid_to) and date <= str(auth.valid_to)
    start = created_on(slug)
    return start is None or date >= start


def authorities_on(date: str) -> list[str]:
    """Every distinct authority on ``date``: 153 from April 2023, 152 in 2018."""
    return sorted(a.slug for a in authorities.all_authorities() if existed_on(a.slug, date))
