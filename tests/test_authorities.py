"""Authority names: in document text, and as users type them."""

from __future__ import annotations

import pytest

from ofstl import authorities
from ofstl.errors import UnknownAuthority


def test_all_current_and_abolished_authorities_are_known() -> None:
    slugs = {a.slug for a in authorities.all_authorities()}
    assert len([a for a in authorities.all_authorities() if not a.abolished]) == 153
    assert {"northamptonshire", "cumbria", "poole", "dorset-county-council"} <= slugs


@pytest.mark.parametrize(
    "typed, slug",
    [
        ("hillingdon", "hillingdon"),
        ("London Borough of Hillingdon", "hillingdon"),
        ("HILLINGDON", "hillingdon"),
        ("Hammersmith & Fulham", "hammersmith-and-fulham"),
        ("Bristol, City of", "bristol"),
        ("Kingston upon Hull", "kingston-upon-hull"),
        ("Birmingham City Council", "birmingham"),
        ("bournemouth-christchurch-and-poole", "bournemouth-christchurch-and-poole"),
    ],
)
def test_lookup_lenient(typed: str, slug: str) -> None:
    assert authorities.lookup(typed) == slug


def test_lookup_typo_suggests() -> None:
    with pytest.raises(UnknownAuthority) as err:
        authorities.lookup("Hilingdon")
    assert err.value.suggestions[0] == "hillingdon"


def test_longest_name_first_in_text() -> None:
    found = [s for s, _ in authorities.find_in_text("Central Bedfordshire and Bedford, not Newcastle-under-Lyme")]
    assert found == ["central-bedfordshire", "bedford"]


def test_dorset_by_date() -> None:
    assert authorities.resolve_for_date("dorset", "2018-05-01") == "dorset-county-council"
    assert authorities.resolve_for_date("dorset", "2019-10-01") == "dorset"
    assert authorities.resolve_for_date("hillingdon", "2001-01-01") == "hillingdon"
