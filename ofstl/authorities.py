"""The 153 English local authorities (plus abolished ones): names, codes, and matching.

Two jobs: find authority names inside document text (longest name first, so "Central
Bedfordshire" is not read as "Bedford"), and resolve what a user types on the command line
("Hillingdon", "London Borough of Hillingdon", "hilingdon" -> a suggestion). The reference
list ships with the package; it holds identities only, never inspection outcomes.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Iterable

from ofstl.errors import UnknownAuthority, near_misses


@dataclass(frozen=True)
class Authority:
    slug: str
    name: str
    gss_code: str
    region: str
    variants: tuple[str, ...] = ()
    abolished: bool = False
    valid_to: str | None = None
    successors: tuple[str, ...] = field(default=())

    @property
    def display_name(self) -> str:
        # "Bristol, City of" reads badly in a title; the first variant is Ofsted's own name.
        if "," in self.name and self.variants:
            return self.variants[0]
        return self.name


def _norm(text: str) -> str:
    text = text.lower().replace("&", " and ").replace("’", "'")
    text = re.sub(r"[^a-z0-9']+", " ", text)
    return " ".join(text.split())


@lru_cache(maxsize=1)
def all_authorities() -> tuple[Authority, ...]:
    data = resources.files("ofstl") / "data"
    rows: list[Authority] = []
    with (data / "local_authorities.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            variants = tuple(v for v in (row.get("variants") or "").split("|") if v)
            rows.append(Authority(row["slug"], row["name"], row["gss_code"], row["region"], variants))
    current = {a.slug for a in rows}
    with (data / "local_authorities_changes.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["status"] != "abolished" or row["slug"] in current:
                continue
            name = row["name"]
            variants: list[str] = []
            if "(county council)" in name:
                base = name.replace("(county council)", "").strip()
                variants = [f"{base} County Council"]
            rows.append(
                Authority(
                    row["slug"], name, row["gss_code"], row["region"], tuple(variants), True,
                    row["valid_to"] or None, tuple(s for s in row["successor_slugs"].split("|") if s),
                )
            )
    return tuple(rows)


@lru_cache(maxsize=1)
def by_slug() -> dict[str, Authority]:
    return {a.slug: a for a in all_authorities()}


def get(slug: str) -> Authority:
    return by_slug()[slug]


@lru_cache(maxsize=1)
def _name_index() -> dict[str, str]:
    """Normalised name or variant -> slug. Names shared by two authorities are dropped."""
    index: dict[str, str] = {}
    clashes: set[str] = set()
    for auth in all_authorities():
        names = {auth.name, auth.slug.replace("-", " "), *auth.variants}
        base, _, prefix = auth.name.partition(",")
        if re.fullmatch(r"\s*(?:city|county) of\s*", prefix, re.IGNORECASE):  # "Bristol, City of" -> "City of Bristol"
            names.add(f"{prefix.strip()} {base.strip()}")
            names.add(base.strip())
        for name in names:
            key = _norm(name)
            if not key:
                continue
            if key in index and index[key] != auth.slug:
                clashes.add(key)
            index.setdefault(key, auth.slug)
    for key in clashes:
        # A current authority keeps a name an abolished one also used ("Dorset").
        slugs = {a.slug for a in all_authorities() if key in {_norm(n) for n in (a.name, *a.variants)}}
        current = [s for s in slugs if not by_slug()[s].abolished]
        if len(current) == 1:
            index[key] = current[0]
        else:
            index.pop(key, None)
    return index


@lru_cache(maxsize=1)
def _text_pattern() -> re.Pattern[str]:
    names = sorted(_name_index(), key=len, reverse=True)
    alternatives = "|".join(re.escape(n).replace(r"\ ", r"[\s\-]+").replace("'", "['’]?") for n in names)
    # Newcastle-under-Lyme is a district, not Newcastle upon Tyne; a name that begins the name
    # of a school, college, hospital or street ("Richmond School", "Kingston Park Academy",
    # "Durham Road") is that place's, not the authority's.
    return re.compile(rf"(?<![a-z])({alternatives})(?![a-z])(?![\s\-]+under[\s\-]+lyme)(?!\s+{_PLACE_NAMED})", re.IGNORECASE)


_PLACE_NAMED = r"(?-i:(?:[A-Z][a-z]+\s+){0,2}(?:School|Schools|Primary|Infant|Infants|Junior|Academy|College|Nursery|Hospital|University|Road|Street|Lane|Avenue|Station|Park))\b"


@lru_cache(maxsize=1)
def _short_names() -> frozenset[str]:
    """Variants that begin another authority's name: "Kingston" is Kingston upon Thames's, and
    the first word of Kingston upon Hull (and of villages and towns in other counties)."""
    names = [(auth.slug, _norm(name)) for auth in all_authorities() for name in (auth.name, *auth.variants)]
    return frozenset(key for auth in all_authorities() for key in map(_norm, auth.variants)
                     if any(slug != auth.slug and name.startswith(key + " ") for slug, name in names))


def _names(flat: str, established: Iterable[str] | None) -> list[tuple[re.Match[str], str]]:
    """Each authority name in ``flat`` and its slug. A short name ("Kingston") counts only where
    the text, or the document it comes from (``established``: the authorities it names in
    full), names that authority in full; else it may be another place's."""
    found = [(match, slug, _norm(match.group(1)) in _short_names()) for match in _text_pattern().finditer(flat)
             for slug in [_name_index().get(_norm(match.group(1)))] if slug]
    full = {slug for _, slug, short in found if not short} | set(established or ())
    return [(match, slug) for match, slug, short in found if not short or slug in full]


def find_in_text(text: str, established: Iterable[str] | None = None) -> list[tuple[str, int]]:
    """Every authority name in ``text`` as (slug, offset), longest names first at each place
    (``established``: see ``_names``)."""
    return [(slug, match.start()) for match, slug in _names(_flat(text), established)]


def named_in_full(text: str) -> set[str]:
    """The authorities ``text`` names by a name no other place shares: what establishes a
    short name ("Kingston") as theirs in the rest of the document."""
    return {slug for slug, _ in find_in_text(text)}


def strip_names(text: str, established: Iterable[str] | None = None) -> str:
    """``text`` with every authority name in it removed."""
    flat = _flat(text)
    for match, _ in reversed(_names(flat, established)):
        flat = flat[:match.start()] + " " + flat[match.end():]
    return flat


def _flat(text: str) -> str:
    """``text`` as names are indexed: "&" as "and", "St." as "St" (St. Helens), offsets kept
    for the full stop (a space in its place)."""
    return _SAINT.sub("St ", text.replace("&", " and "))


_SAINT = re.compile(r"\b(?-i:St)\.(?=\s)")


def match_name(name: str) -> str | None:
    """The slug for an exact name or variant (any case, '&' or 'and'), or None."""
    key = _norm(name)
    if key in _name_index():
        return _name_index()[key]
    for prefix in ("london borough of ", "royal borough of ", "city of ", "county of ", "the "):
        if key.startswith(prefix) and key[len(prefix):] in _name_index():
            return _name_index()[key[len(prefix):]]
    for suffix in (" county council", " metropolitan borough council", " borough council", " city council", " council"):
        if key.endswith(suffix) and key[: -len(suffix)] in _name_index():
            return _name_index()[key[: -len(suffix)]]
    return None


def continued_by(slug: str) -> str | None:
    """The authority that carries on an abolished council's history as its own: a council
    replaced by one unitary of the same name and LA number (Buckinghamshire 2020, North
    Yorkshire 2023, Somerset 2023). None for splits and mergers (Northamptonshire, Cumbria,
    Bournemouth, Poole, Dorset county council), which keep their own history."""
    auth = by_slug().get(slug)
    if auth is None or not auth.abolished or len(auth.successors) != 1:
        return None
    successor = by_slug().get(auth.successors[0])
    if successor is None or _norm(successor.name) != _norm(auth.name.replace("(county council)", "")):
        return None
    return successor.slug


def predecessors(slug: str) -> list[Authority]:
    """Abolished councils whose area passed (wholly or in part) to ``slug`` and whose history
    stays their own: the successor shows their inspections as predecessor rows."""
    return [a for a in all_authorities() if a.abolished and slug in a.successors and continued_by(a.slug) is None and a.slug != slug]


def continued_predecessors(slug: str) -> list[Authority]:
    """Abolished councils whose history ``slug`` carries on as its own."""
    return [a for a in all_authorities() if continued_by(a.slug) == slug]


def history_slug(slug: str, when: str | None) -> tuple[str, str | None]:
    """Whose history a document about ``slug`` at ``when`` belongs to, and the council that
    was inspected when it differs: (store slug, inspected_as).

    A council continued by a unitary of its name is stored under today's slug, the council
    kept as ``inspected_as``; "Dorset" before April 2019 is the county council, which keeps
    its own history (it was split between Dorset and BCP)."""
    successor = continued_by(slug)
    if successor:
        return successor, slug
    auth = by_slug().get(slug)
    if when and auth and auth.abolished and auth.valid_to and len(auth.successors) == 1 and when[:10] > auth.valid_to[: len(when[:10])]:
        return auth.successors[0], None  # "Bournemouth" in a document of 2021 is BCP
    if when:
        for auth in continued_predecessors(slug):
            if auth.valid_to and when[:10] <= auth.valid_to[: len(when[:10])]:
                return slug, auth.slug
        for auth in all_authorities():
            if auth.abolished and auth.valid_to and slug in auth.successors and when[:10] <= auth.valid_to[: len(when[:10])]:
                if _norm(get(slug).name) == _norm(auth.name.replace("(county council)", "")):
                    return auth.slug, None
    return slug, None


def inspected_as(slug: str, when: str | None) -> str | None:
    """The council an inspection at ``when`` in ``slug``'s history was of, when that differs
    from ``slug``: a continued council, or the one predecessor of a successor."""
    if not when:
        return None
    for auth in continued_predecessors(slug) + predecessors(slug):
        if auth.valid_to and when[:10] <= auth.valid_to[: len(when[:10])]:
            if auth in continued_predecessors(slug) or len(predecessors(slug)) == 1 or _norm(get(slug).name) == _norm(auth.name.replace("(county council)", "")):
                return auth.slug
    return None


def resolve_for_date(slug: str, when: str | None) -> str:
    """The store slug for a document about ``slug`` at ``when`` (see ``history_slug``)."""
    return history_slug(slug, when)[0]


def lookup(name: str, known: list[str] | None = None) -> str:
    """Resolve what a user typed to a slug, or raise UnknownAuthority with suggestions.

    ``known`` (slugs in the store) puts the authorities that have data first; when none of
    them is close, the closest of all are suggested (a typo of a council not yet in the store
    is still a typo: 'barnett' is Barnet), marked as not in the store.
    """
    slug = match_name(name) or (name.lower() if name.lower() in by_slug() else None)
    if slug:
        return slug
    stored = [s for s in close_names(name, cutoff=0.6) if s in known] if known else []
    if stored:
        raise UnknownAuthority(name, stored[:3])
    # of all England's names only a near miss: at 0.6 'north' was 'wandsworth', 'bath' 'barnet'
    raise UnknownAuthority(name, close_names(name, cutoff=0.75)[:3], in_store=not known)


def close_names(name: str, cutoff: float) -> list[str]:
    """Slugs of the authorities whose name or variant is close to ``name``, closest first: its
    words starting theirs ('richmond' -> Richmond upon Thames, 'north yorks' -> North
    Yorkshire), then spelling ('hilingdon', 'barnett': difflib's ratio at least ``cutoff``).
    A council continued by today's (North Yorkshire County Council) is today's."""
    key = _norm(name)
    words = key.split()
    out: list[str] = []
    if words and len(key) >= 4:  # 'ba' would start half of England's names
        starts = []
        for candidate, slug in sorted(_name_index().items()):
            theirs = candidate.split()
            if len(theirs) >= len(words) and all(t.startswith(w) for w, t in zip(words, theirs)):
                starts.append(continued_by(slug) or slug)
        starts = list(dict.fromkeys(starts))
        if len(starts) > 3:  # 'north' starts too many names to suggest any of them
            return []
        out += starts
    for candidate in near_misses(key, sorted(_name_index()), n=6, cutoff=cutoff):
        slug = continued_by(_name_index()[candidate]) or _name_index()[candidate]
        if slug not in out:
            out.append(slug)
    return out
