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


@pytest.mark.parametrize("text, slug", [
    # Names as news stories, press releases and council papers print them.
    ("North Northants Council's children's services were rated good.", "north-northamptonshire"),
    ("West Northants children's services", "west-northamptonshire"),
    ("B&NES children's services", "bath-and-north-east-somerset"),
    ("Brighton & Hove Council said", "brighton-and-hove"),
    ("a spokesperson for Kingston Council said", "kingston-upon-thames"),
    ("the Royal Borough of Kingston", "kingston-upon-thames"),
    ("Richmond Council's children's services were judged good", "richmond-upon-thames"),
    ("Windsor and Maidenhead", "windsor-and-maidenhead"),
    ("St. Helens Council", "st-helens"),
    ("St Helens Borough Council", "st-helens"),
    ("Telford & Wrekin Council", "telford-and-wrekin"),
    ("Durham County Council", "county-durham"),
    ("South Glos Council", "south-gloucestershire"),
    ("Central Beds children's services", "central-bedfordshire"),
    ("North East Lincs Council", "north-east-lincolnshire"),
    ("West Berks Council", "west-berkshire"),
    ("Stockton Council", "stockton-on-tees"),
])
def test_names_as_the_news_prints_them(text: str, slug: str) -> None:
    assert [s for s, _ in authorities.find_in_text(text)] == [slug]


@pytest.mark.parametrize("text, slugs", [
    # Not a match for a shorter name: Hull is not Kingston upon Thames, nor Bristol South Gloucestershire.
    ("Kingston upon Hull City Council", ["kingston-upon-hull"]),
    ("South Gloucestershire Council, north of Bristol", ["south-gloucestershire", "bristol"]),
    ("North East Lincs and North Lincs", ["north-east-lincolnshire", "north-lincolnshire"]),
    # A place name that begins a school's, college's, hospital's or street's name is that place's.
    ("Richmond School in North Yorkshire", ["north-yorkshire"]),
    ("pupils at Kingston Grammar School", []),
    ("Kingston Hospital and Durham Road", []),
    ("Barking and Dagenham College", []),
    # Richmond alone is a North Yorkshire town, a surname and a charity's name as often as the
    # London borough (which is Richmond upon Thames, or Richmond Council, in print).
    ("the Richmond locality team, North Yorkshire", ["north-yorkshire"]),
    ("Jack Richmond, the director, and the Richmond Fellowship", []),
    # ... but the borough's schools are the borough's.
    ("Hounslow schools", ["hounslow"]),
])
def test_no_false_matches(text: str, slugs: list[str]) -> None:
    assert [s for s, _ in authorities.find_in_text(text)] == slugs


# Kingston alone is also Kingston upon Hull's first word, villages in Oxfordshire and Dorset
# (Kingston Bagpuize, Kingston Lacy) and towns in other counties: it is the London borough only
# in a document that names the borough in full somewhere.
@pytest.mark.parametrize("text, slugs", [
    ("Kingston children's services were rated good.", []),
    ("Visitors to Kingston Lacy and Kingston Bagpuize", []),
    ("Kingston-upon-Hull City Council's children's services were rated good.", ["kingston-upon-hull"]),
    ("The Royal Borough of Kingston upon Thames was inspected. Kingston's children's services were rated good.",
     ["kingston-upon-thames", "kingston-upon-thames"]),
    ("Kingston Council welcomed the report. Inspectors praised Kingston's care leavers service.", ["kingston-upon-thames", "kingston-upon-thames"]),
])
def test_kingston_alone_is_the_borough_only_where_the_document_names_it_in_full(text: str, slugs: list[str]) -> None:
    assert [s for s, _ in authorities.find_in_text(text)] == slugs


def test_a_sentence_of_a_document_naming_the_borough_in_full_reads_kingston_as_it() -> None:
    sentence = "Inspectors rated Kingston's children's services good."
    assert authorities.find_in_text(sentence) == []
    assert [s for s, _ in authorities.find_in_text(sentence, established={"kingston-upon-thames"})] == ["kingston-upon-thames"]
    assert authorities.named_in_full("Achieving for Children runs services for Kingston upon Thames.") == {"kingston-upon-thames"}
    assert authorities.named_in_full("A cottage near Kingston, Dorset.") == {"dorset"}
