"""The parser's pieces on small team-written texts, one framework family at a time.

Each document below is written in the form of its framework (title lines, date header, grade
table, improvement headings), including the layout traps: a grade table whose cells come out
of plain text in the wrong order, grades split over lines, Markdown tables, tab-separated
rows. No real report text is used.
"""

from __future__ import annotations

import pytest

from ofstl.models import Box, ExtractedText, Page
from ofstl.parse import dates, grades
from ofstl.parse.document import parse_document
from ofstl.parse.judgements import combine, table_readings
from ofstl.parse.labels import label_key


def doc(*pages: str, boxes: list[list[Box]] | None = None, path: str = "x.txt") -> ExtractedText:
    return ExtractedText(path, "0" * 64, "text", [Page(i + 1, t, (boxes or [])[i] if boxes else []) for i, t in enumerate(pages)])


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Inspection dates: 16 April to 27 April 2018", ("2018-04-16", "2018-04-27")),
        ("2 to 6 October 2023", ("2023-10-02", "2023-10-06")),
        ("25 November 2013 - 18 December 2013", ("2013-11-25", "2013-12-18")),
        ("8 – 12 July 2013", ("2013-07-08", "2013-07-12")),
        ("18 and 19 January 2011", ("2011-01-18", "2011-01-19")),
        ("on 15 and 16 January 2020", ("2020-01-15", "2020-01-16")),
        ("27 April to 1 May 2026", ("2026-04-27", "2026-05-01")),
        ("30 December 2019 to 3 January 2020", ("2019-12-30", "2020-01-03")),
        ("9–24 November 2017", ("2017-11-09", "2017-11-24")),
        ("no dates here", None),
        ("31 February to 2 March 2020", None),
    ],
)
def test_date_ranges(text: str, expected: tuple[str, str] | None) -> None:
    assert dates.parse_range(text) == expected


@pytest.mark.parametrize(
    "printed, grade",
    [
        ("Requires \nimprovement \nto be good", "requires improvement"),
        ("Requires Improvement", "requires improvement"),
        ("require improvement", "requires improvement"),
        ("Good (Grade 2)", "good"),
        ("Grade 4 (inadequate)", "inadequate"),
        ("Adequate", "adequate"),
        ("performs well", "performs well"),
        ("Outstanding.", "outstanding"),
        ("Judgement", None),
        ("good practice", None),
    ],
)
def test_grades(printed: str, grade: str | None) -> None:
    assert grades.normalise_grade(printed) == grade


@pytest.mark.parametrize(
    "label, key",
    [
        ("The impact of leaders on social work practice with children and families", "leadership"),
        ("2.1 Adoption performance", "adoption"),
        ("3.  Leadership, management and governance", "leadership"),
        ("The experiences and progress of children in care and care leavers", "children_in_care"),
        ("The experiences and progress of children in care", "children_in_care"),
        ("The experiences and progress of care leavers", "care_leavers"),
        ("Overall effectiveness", "overall"),
        ("Overall effectiveness of services for looked after children and young people", "children_in_care"),
        ("Capacity to improve", "capacity"),
        ("Some other heading", None),
    ],
)
def test_labels(label: str, key: str | None) -> None:
    assert label_key(label) == key


ILACS_FRONT = [
    # (x0, y0, x1, y1, text): the positions a PDF gives; reading order puts the last two
    # grades after "Overall effectiveness", so only positions pair them correctly.
    Box(79, 494, 348, 520, "The impact of leaders on social work practice with \nchildren and families \n"),
    Box(395, 501, 463, 513, "Outstanding \n"),
    Box(79, 451, 382, 477, "The experiences and progress of children who need help \nand protection \n"),
    Box(395, 452, 470, 476, "Requires \nimprovement \n"),
    Box(79, 408, 363, 435, "The experiences and progress of children in care and \ncare leavers \n"),
    Box(79, 372, 192, 384, "Overall effectiveness \n"),
    Box(395, 372, 426, 384, "Inadequate \n"),
    Box(395, 415, 426, 427, "Good \n"),
]


def test_grade_table_is_read_by_position_not_text_order() -> None:
    page = Page(1, "".join(b.text for b in ILACS_FRONT), ILACS_FRONT)
    found = {k: j.grade for k, j in combine(table_readings([page])).items()}
    assert found == {
        "leadership": "outstanding",
        "help_and_protection": "requires improvement",
        "children_in_care": "good",
        "overall": "inadequate",
    }


ILACS_TEXT = """Inspection of Barnet local authority children's services

Inspection dates: 2 to 13 May 2022

Lead inspector: A. Person, His Majesty's Inspector

Judgement

Grade

The impact of leaders on social work practice with children and families

Good

The experiences and progress of children who need help and protection

Requires improvement
to be good

The experiences and progress of children in care and care leavers

Good

Overall effectiveness

Good

What needs to improve?

◼ The quality of written plans for children in need.
"""


def test_ilacs_text_report() -> None:
    parsed = parse_document(doc(ILACS_TEXT))
    facts = parsed.subject
    assert parsed.authority == "barnet" and parsed.kind == "ofsted-report"
    assert (facts.framework, facts.type, facts.start, facts.end) == ("ilacs", "standard", "2022-05-02", "2022-05-13")
    assert {k: j.grade for k, j in facts.judgements.items()} == {
        "leadership": "good", "help_and_protection": "requires improvement", "children_in_care": "good", "overall": "good",
    }


SIF_TEXT = """London Borough of Ealing
Inspection of services for children in need of help and protection, children looked after and care leavers
and
Review of the effectiveness of the Local Safeguarding Children Board

Inspection date: 13 June 2016 to 7 July 2016
Report published: 26 August 2016

Children's services in Ealing are good

1. Child\tren who need help and protection\tGood
2. Children looked after and achieving permanence\tGood
\t2.1 Adoption performance\tGood
\t2.2 Experiences and progress of care leavers\tOutstanding
3. Leadership, management and governance\tGood

The effectiveness of the Local Safeguarding Children Board (LSCB) **requires improvement.**
"""


def test_sif_text_with_tabbed_rows_and_body_sentences() -> None:
    facts = parse_document(doc(SIF_TEXT)).subject
    assert facts.framework == "sif" and facts.published == "2016-08-26"
    got = {k: j.grade for k, j in facts.judgements.items()}
    assert got == {
        "overall": "good", "help_and_protection": "good", "children_in_care": "good", "adoption": "good",
        "care_leavers": "outstanding", "leadership": "good", "lscb": "requires improvement",
    }


def test_table_and_body_disagreement_is_kept() -> None:
    text = SIF_TEXT.replace("3. Leadership, management and governance\tGood", "3. Leadership, management and governance\tGood") + (
        "\nLeadership, management and governance require improvement\n"
    )
    facts = parse_document(doc(text)).subject
    leadership = facts.judgements["leadership"]
    assert leadership.grade == "good" and leadership.method == "table"
    assert leadership.conflict and {r["grade"] for r in leadership.readings} == {"good", "requires improvement"}


LAC_TEXT = """Inspection of looked after children services
Norfolk County Council

Inspection dates: 8 – 12 July 2013
Published: 16 August 2013

Overall effectiveness of services for looked after children and young people

Grade 4 (inadequate)

Capacity to improve

Grade 3 (adequate)
"""


def test_lac_grades_in_body_blocks() -> None:
    facts = parse_document(doc(LAC_TEXT)).subject
    assert facts.framework == "lac" and facts.start == "2013-07-08" and facts.published == "2013-08-16"
    assert {k: j.grade for k, j in facts.judgements.items()} == {"children_in_care": "inadequate", "capacity": "adequate"}


SLAC_MD = """# Inspection of safeguarding and looked after children services
## London Borough of Hounslow
Published: 6 November 2009

## Safeguarding services
| Judgement | Grade |
|---|---|
| Overall effectiveness | Good (Grade 2) |
| Capacity for improvement | Adequate (Grade 3) |

## Services for looked after children
| Overall effectiveness | Outstanding (Grade 1) |
| Capacity for improvement | Good (Grade 2) |
"""


def test_slac_two_blocks_from_markdown_tables() -> None:
    facts = parse_document(doc(SLAC_MD, path="x.md")).subject
    assert facts.framework == "slac"
    assert {k: j.grade for k, j in facts.judgements.items()} == {
        "help_and_protection": "good", "capacity_safeguarding": "adequate",
        "children_in_care": "outstanding", "capacity_children_in_care": "good",
    }


FOCUSED_VISIT = """Ofsted
Piccadilly Gate
Store Street
Manchester
M1 2WD

7 February 2020

Ms A Director
Director of Children's Services
London Borough of Hounslow
Civic Centre, Lampton Road
Hounslow TW3 4DN

Dear Ms Director

Focused visit to Hounslow local authority children's services

This letter summarises the findings of a focused visit to Hounslow local authority children's services on 15 and 16 January 2020.

Inspectors looked at the local authority's arrangements for contacts and referrals.

Since the last inspection in October 2018, when overall effectiveness was judged to be good, leaders have changed.

What needs to improve in this area of social work practice?

◼ The quality of management oversight and supervision.
"""


def test_focused_visit_letter_and_its_mention() -> None:
    parsed = parse_document(doc(FOCUSED_VISIT))
    facts = parsed.subject
    assert parsed.kind == "ofsted-letter" and parsed.authority == "hounslow"
    assert (facts.framework, facts.start, facts.end, facts.published) == ("focused-visit", "2020-01-15", "2020-01-16", "2020-02-07")
    assert facts.judgements == {}
    mention = next(f for f in parsed.inspections if f.role == "mentioned")
    assert (mention.framework, mention.start, mention.judgements["overall"].grade) == ("ilacs", "2018-10", "good")


NEWS = """Council praised by inspectors

The impact of leaders on social work practice with children and families was rated as outstanding while the experiences and progress of children who need help and protection was rated as good, contributing to an overall effectiveness 'good' grade.

Families benefit from good-quality early help, the report said. "We are delighted," said the council leader of Hillingdon.
"""


def test_news_grades_in_prose_and_no_date() -> None:
    parsed = parse_document(doc(NEWS))
    facts = parsed.subject
    assert parsed.kind == "news" and parsed.authority == "hillingdon" and not parsed.date_in_document
    assert facts.framework == "ilacs"
    assert {k: j.grade for k, j in facts.judgements.items()} == {"leadership": "outstanding", "help_and_protection": "good", "overall": "good"}


def test_authority_in_an_address_or_neighbour_list_does_not_decide() -> None:
    letter = FOCUSED_VISIT.replace("London Borough of Hounslow\nCivic Centre, Lampton Road\nHounslow TW3 4DN", "Ealing Town Hall, Ealing W5 2HL")
    letter += "\nStatistical neighbours include Ealing, Brent and Harrow.\n"
    assert parse_document(doc(letter)).authority == "hounslow"


def test_dorset_before_2019_is_the_county_council() -> None:
    text = FOCUSED_VISIT.replace("Hounslow", "Dorset").replace("2020", "2018").replace("October 2018", "October 2016")
    assert parse_document(doc(text)).authority == "dorset-county-council"


def test_two_authorities_and_no_title_is_refused() -> None:
    text = "Notes\n\nHillingdon did this.\nHounslow did that.\nHillingdon again.\nHounslow again.\n"
    parsed = parse_document(doc(text))
    assert parsed.authority is None and "hillingdon" in parsed.warnings[0] and "hounslow" in parsed.warnings[0]
