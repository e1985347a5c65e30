"""Team-written documents for the parser's part of the whole history: authority by title,
Ofsted's short names and addresses, visit dates dated by the letter, impossible dates
corrected and kept as a disagreement, spelling variants and grade scales."""

from __future__ import annotations

from ofstl.models import ExtractedText, Page
from ofstl.parse.document import parse_document

OFSTED_MANCHESTER = "Ofsted\nPiccadilly Gate\nStore Street\nManchester\nM1 2WD\n"


def parse(text: str):
    return parse_document(ExtractedText(path="doc.txt", sha256="0" * 64, file_type="text", pages=[Page(1, text)]))


def letter(body: str, date_line: str = "28 July 2021", name: str = "Hounslow") -> str:
    return (f"{OFSTED_MANCHESTER}\n{date_line}\n\nMs A Director\nDirector of Children's Services\n{name} Council\n\nDear Ms Director\n\n"
            f"Focused visit to {name} local authority children's services\n\n{body}\n\n"
            "What needs to improve in this area of social work practice\n- The quality of plans for children in need.\n")


def test_visit_days_without_a_year_take_the_letters() -> None:
    doc = parse(letter("This letter summarises the findings of a focused visit to Hounslow children's services on 13 and 14 July."))
    assert (doc.subject.start, doc.subject.end, doc.subject.published) == ("2021-07-13", "2021-07-14", "2021-07-28")
    assert doc.subject.disagreements == []


def test_a_visit_in_december_dated_by_a_january_letter_is_last_years() -> None:
    doc = parse(letter("Inspectors carried out a focused visit on 30 November and 1 December.", date_line="11 January 2022"))
    assert (doc.subject.start, doc.subject.end) == ("2021-11-30", "2021-12-01")


def test_a_year_typo_is_corrected_from_the_letter_and_kept_as_a_disagreement() -> None:
    doc = parse(letter("This letter summarises the findings of a focused visit to Hounslow children's services on 13 and 14 July 2020."))
    assert (doc.subject.start, doc.subject.end) == ("2021-07-13", "2021-07-14")
    fields = {d["field"]: [r["value"] for r in d["readings"]] for d in doc.subject.disagreements}
    assert fields == {"start": ["2021-07-13", "2020-07-13"], "end": ["2021-07-14", "2020-07-14"]}


def test_a_range_that_ends_before_it_starts_is_corrected() -> None:
    doc = parse(letter("Inspectors carried out a focused visit between 30 December 2021 and 2 January 2021.", date_line="8 February 2022"))
    assert (doc.subject.start, doc.subject.end) == ("2021-12-30", "2022-01-02")
    assert any(d["field"] == "end" for d in doc.subject.disagreements)


def test_ofsteds_short_name_in_the_title_decides() -> None:
    text = ("Inspection of East Riding local authority children's services\n\nInspection dates: 30 January to 10 February 2023\n"
            "Lead inspector: A Inspector\n\nJudgement Grade\nOverall effectiveness Good\n\nChildren in Hull and York were not part of this inspection.\n")
    assert parse(text).authority == "east-riding-of-yorkshire"


def test_ofsteds_address_is_never_the_authority() -> None:
    text = ("Joint area SEND inspection in North Northamptonshire\n\nInspection dates: 3 to 7 February 2025\n\n"
            "West Northamptonshire and North Northamptonshire share a children's trust. Leaders in North Northamptonshire know their area.\n\n"
            "Ofsted\nPiccadilly Gate\nStore Street\nManchester\nM1 2WD\n\nT: 0300 123 1231\n"
            "Manchester Manchester Manchester\n")
    assert parse(text).authority == "north-northamptonshire"
    body = ("Children's services in Manchester were inspected by Ofsted, Piccadilly Gate, Store Street, Manchester M1 2WD. " * 3)
    assert parse("Annual report\n\n" + body).authority is None


def test_a_name_containing_another_is_the_longer_one() -> None:
    doc = parse(letter("This letter summarises a focused visit on 3 and 4 October 2023.", date_line="8 November 2023", name="West Northamptonshire"))
    assert doc.authority == "west-northamptonshire"


def test_judgment_spelling_and_no_rating_words_outside_annual_ratings() -> None:
    text = ("Inspection of services for children in need of help and protection, children looked after and care leavers\n"
            "and\nReview of the effectiveness of the local safeguarding children board\n\nHillingdon\n\nInspection dates: 25 November 2013 - 18 December 2013\n"
            "Lead inspector: A Inspector\n\nThe overall judgment is that children's services require improvement.\n\n"
            "The Local Safeguarding Children Board performs well in its annual report.\n")
    doc = parse(text)
    assert doc.subject.judgements["overall"].grade == "requires improvement"
    assert "lscb" not in doc.subject.judgements


def test_area_send_titles_name_the_area() -> None:
    text = ("Area SEND inspection of West Northamptonshire Local Area Partnership\n\nInspection dates: 3 to 7 February 2025\n\n"
            "West Northamptonshire and North Northamptonshire share a children's trust.\nNorth Northamptonshire North Northamptonshire\n")
    assert parse(text).authority == "west-northamptonshire"
