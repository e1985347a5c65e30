"""Ofsted's provider reference numbers (URNs) for local authorities' children's services.

The table ships with the package (``ofstl/data/ofsted_urns.csv``, derived by
``docs/make_ofsted_urns.py``; identities only). A provider the table does not know (a new
authority, a URN Ofsted changed) is matched on the name its page prints.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

from ofstl import authorities


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], dict[str, str]]:
    by_urn: dict[str, str] = {}
    by_slug: dict[str, str] = {}
    with (resources.files("ofstl") / "data" / "ofsted_urns.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            by_urn[row["urn"]] = row["slug"]
            by_slug.setdefault(row["slug"], row["urn"])
    return by_urn, by_slug


def slug_for(urn: str, name: str = "") -> str | None:
    """The authority of a provider: by URN, else by the name the site prints for it."""
    slug = _table()[0].get(urn.strip())
    if slug is None and name:
        slug = authorities.match_name(name)
    return slug


def urn_for(slug: str) -> str | None:
    return _table()[1].get(slug)


def all_slugs() -> list[str]:
    return sorted(_table()[1])
