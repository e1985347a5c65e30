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
from ofstl.parse.raised import names_what_was_raised


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
    assert facts.theme == "contacts and referrals"


def test_a_focused_visits_theme_in_quotation_marks_is_whole() -> None:
    """Ofsted puts a term of art in quotation marks, the full stop inside them: "arrangements
    for the ‘front door.’" was read as "the ‘front door" (cut at the full stop)."""
    quoted = FOCUSED_VISIT.replace("arrangements for contacts and referrals.", "arrangements for the ‘front door.’")
    assert parse_document(doc(quoted)).subject.theme == "the front door"
    possessive = FOCUSED_VISIT.replace("contacts and referrals.", "children’s “front door” services.")
    assert parse_document(doc(possessive)).subject.theme == "children’s front door services"


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


CRA_LETTER = """16 February 2011

Mr A Director
Director of Children's Services
London Borough of Hillingdon
Civic Centre, High Street, Uxbridge UB8 1UW

Dear Mr Director

Annual unannounced inspection of contact, referral and assessment arrangements within the London Borough of Hillingdon children's services

This letter summarises the findings of the unannounced inspection conducted on 18 and 19 January 2011.

Partners do not apply thresholds consistently. This was an area for development at the previous unannounced inspection in July 2010.

Areas for development

- Make sure all partner agencies understand the thresholds for referral.
"""


def test_cra_letter_with_mentioned_earlier_visit_and_its_weakness() -> None:
    parsed = parse_document(doc(CRA_LETTER))
    facts = parsed.subject
    assert (parsed.kind, parsed.authority, facts.framework) == ("ofsted-letter", "hillingdon", "cra")
    assert (facts.start, facts.end, facts.published, facts.judgements) == ("2011-01-18", "2011-01-19", "2011-02-16", {})
    assert [w.text for w in facts.weaknesses] == ["Make sure all partner agencies understand the thresholds for referral."]
    mention = next(f for f in parsed.inspections if f.role == "mentioned")
    assert (mention.framework, mention.start) == ("cra", "2010-07")
    assert "thresholds" in mention.weaknesses[0].text


JTAI_LETTER = """9 May 2018

Ms A Director, Director of Children's Services, Royal Borough of Greenwich

Dear local partnership

Joint targeted area inspection of the multi-agency response to children missing from home, care or education in Greenwich

Between 12 and 16 February 2018, Ofsted, the Care Quality Commission, HMICFRS and HMI Probation undertook a joint inspection.

Areas for improvement

The police do not have a local problem profile for children who go missing.
"""


def test_jtai_letter_theme_and_dates() -> None:
    parsed = parse_document(doc(JTAI_LETTER))
    facts = parsed.subject
    assert (parsed.kind, parsed.authority, facts.framework) == ("ofsted-letter", "greenwich", "jtai")
    assert (facts.start, facts.end, facts.judgements) == ("2018-02-12", "2018-02-16", {})
    assert facts.theme and "missing" in facts.theme


MONITORING = """Ofsted
Piccadilly Gate, Store Street, Manchester M1 2WD

12 March 2019

Dear Ms Director

Monitoring visit to Tameside local authority children's services

This letter summarises the findings of the fourth monitoring visit to Tameside local authority children's services since the local authority was judged inadequate in December 2016. The visit was carried out on 12 and 13 February 2019.
"""


def test_monitoring_visit_number() -> None:
    parsed = parse_document(doc(MONITORING))
    facts = parsed.subject
    assert (parsed.authority, facts.framework, facts.visit_number, facts.start) == ("tameside", "monitoring-visit", 4, "2019-02-12")


LSCB_REVIEW = """Surrey Safeguarding Children Board
Review of the effectiveness of the Local Safeguarding Children Board

Inspection date: 15 June 2015 – 17 June 2015
Report published: 3 August 2015

The Local Safeguarding Children Board requires improvement

Recommendations

1. Update the levels of need document.
"""


def test_lscb_review() -> None:
    parsed = parse_document(doc(LSCB_REVIEW))
    facts = parsed.subject
    assert (parsed.authority, facts.framework, facts.start, facts.end) == ("surrey", "lscb-review", "2015-06-15", "2015-06-17")
    assert {k: j.grade for k, j in facts.judgements.items()} == {"lscb": "requires improvement"}


CPI = """Inspection of local authority arrangements for the protection of children
Norfolk County Council

Inspection dates: 14 January 2013 – 25 January 2013
Published: 22 February 2013

Overall effectiveness\tInadequate
The effectiveness of the help and protection provided to children, young people, families and carers\tInadequate
The quality of practice\tInadequate
Leadership and governance\tInadequate
"""


def test_child_protection_inspection_overall_is_help_and_protection() -> None:
    facts = parse_document(doc(CPI)).subject
    assert facts.framework == "cpi" and facts.start == "2013-01-14"
    got = {k: j.grade for k, j in facts.judgements.items()}
    assert got["help_and_protection"] == "inadequate" and got["leadership"] == "inadequate" and "overall" not in got


ANNUAL_RATING = """Ofsted
Aviation House, 125 Kingsway, London WC2B 6SE

9 December 2010

Dear Director

Annual rating of the London Borough of Hounslow children's services for 2010

Hounslow children's services perform excellently.
"""


def test_annual_rating() -> None:
    parsed = parse_document(doc(ANNUAL_RATING))
    facts = parsed.subject
    assert (parsed.authority, facts.framework) == ("hounslow", "annual-rating")
    assert {k: j.grade for k, j in facts.judgements.items()} == {"overall": "performs excellently"}


JAR_PROGRESS = """Inspection of progress made in the provision of safeguarding services in the London Borough of Haringey
Published: 3 July 2009

The special joint area review of safeguarding carried out in November 2008 judged safeguarding services to be inadequate.

Overall judgement on progress since December 2008
Limited

Priorities for further improvement
- Reduce the backlog of cases awaiting assessment.
"""


def test_jar_progress_and_its_mentioned_review() -> None:
    parsed = parse_document(doc(JAR_PROGRESS))
    facts = parsed.subject
    assert (parsed.authority, facts.framework, facts.published, facts.judgements) == ("haringey", "jar", "2009-07-03", {})
    mention = next(f for f in parsed.inspections if f.role == "mentioned")
    assert (mention.framework, mention.start, mention.judgements["help_and_protection"].grade) == ("jar", "2008-11", "inadequate")


def test_slac_blocks_named_in_longer_headings_and_dates_of_inspection() -> None:
    text = """Inspection of safeguarding and looked after children services
London Borough of Harrow

Dates of inspection: 8 – 19 May 2012

The effectiveness of safeguarding services

Overall effectiveness\tAdequate
Capacity for improvement\tGood

Services for looked after children and young people

Overall effectiveness\tAdequate
Capacity for improvement\tAdequate
"""
    facts = parse_document(doc(text)).subject
    assert (facts.framework, facts.start, facts.end) == ("slac", "2012-05-08", "2012-05-19")
    assert {k: j.grade for k, j in facts.judgements.items()} == {
        "help_and_protection": "adequate", "capacity_safeguarding": "good",
        "children_in_care": "adequate", "capacity_children_in_care": "adequate",
    }


def test_ofstl_address_is_not_the_authority() -> None:
    letter = FOCUSED_VISIT.replace("Focused visit to Hounslow local authority children's services", "Focused visit").replace(
        "London Borough of Hounslow\nCivic Centre, Lampton Road\nHounslow TW3 4DN", "Civic Centre").replace(
        "a focused visit to Hounslow local authority children's services", "a focused visit")
    assert parse_document(doc(letter)).authority is None


APA_LETTER = """Ofsted
Alexandra House, 33 Kingsway, London WC2B 6SE

20 November 2008

Dear Director

2008 annual performance assessment of services for children and young people in the London Borough of Hillingdon

Overall effectiveness of children's services\tGrade 3
Being healthy\tGrade 3
Staying safe\tGrade 4
Capacity to improve\tGrade 3
"""


def test_apa_grades_count_the_other_way() -> None:
    facts = parse_document(doc(APA_LETTER)).subject
    assert facts.framework == "apa"
    assert {k: j.grade for k, j in facts.judgements.items()} == {
        "overall": "good", "being_healthy": "good", "staying_safe": "outstanding", "capacity": "good",
    }
    assert facts.judgements["staying_safe"].printed == "Grade 4"


SEND = """12 July 2024

Dear Director

Area SEND inspection of Hillingdon Local Area Partnership

Between 29 April and 3 May 2024, Ofsted and the Care Quality Commission carried out a joint inspection of the local area partnership.

The local area partnership's special educational needs and/or disabilities (SEND) arrangements lead to inconsistent experiences and outcomes for children and young people with SEND.
"""


def test_area_send_outcome_is_kept_as_an_outcome_not_a_grade() -> None:
    parsed = parse_document(doc(SEND))
    facts = parsed.subject
    assert (parsed.authority, facts.framework, facts.start, facts.end) == ("hillingdon", "send", "2024-04-29", "2024-05-03")
    assert facts.outcome == "inconsistent experiences and outcomes" and facts.judgements == {}


def test_overall_judgement_sentence_forms() -> None:
    for sentence, grade in [
        ("The overall judgement is that children's services require improvement.", "requires improvement"),
        ("The overall judgement is that children's services are good.", "good"),
        ("The overall judgement is Inadequate", "inadequate"),
        ("Children's services in Manchester require improvement to be good", "requires improvement"),
    ]:
        text = SIF_TEXT.replace("Children's services in Ealing are good", sentence)
        assert parse_document(doc(text)).subject.judgements["overall"].grade == grade, sentence


def test_plain_text_table_with_grades_wrapped_after_two_labels() -> None:
    text = ILACS_TEXT.replace(
        "The impact of leaders on social work practice with children and families\n\nGood\n\n"
        "The experiences and progress of children who need help and protection\n\nRequires improvement\nto be good\n",
        "The impact of leaders on social work practice with children and families\n\n"
        "The experiences and progress of children who need help and protection\n\nRequires improvement\n\nto be good\n\nGood\n",
    )
    got = {k: j.grade for k, j in parse_document(doc(text)).subject.judgements.items()}
    assert got["leadership"] == "requires improvement" and got["help_and_protection"] == "good"


def test_other_providers_inspections_are_not_mentions_of_the_authority() -> None:
    text = LAC_TEXT + (
        "\nThe adoption service was judged to be adequate at the last inspection in March 2013. "
        "Of the six children's homes, four are good. One was judged to be inadequate at the last inspection in February 2013. "
        "Outcomes for looked after children and care leavers judged good at the last inspection in 2011 have not been sustained.\n"
    )
    mentions = [f for f in parse_document(doc(text)).inspections if f.role == "mentioned"]
    assert [(m.framework, m.start, {k: j.grade for k, j in m.judgements.items()}) for m in mentions] == [("slac", "2011", {"children_in_care": "good"})]


ILACS_WITH_EARLIER_AREAS = ILACS_TEXT + """
Main findings

The impact of leaders on social work practice with children and families: Good

34. Leaders have made steady progress on the areas for improvement identified at the last inspection in March 2017, when the quality of plans for children in need was too variable. Since then, the service has grown. Too many children now experience changes of social worker.

Partners do not share information about missing children promptly. This was an area for improvement at the previous inspection in March 2017. Leaders have since agreed a new protocol.
"""


def test_a_weakness_raised_before_ends_with_the_sentence_saying_so() -> None:
    # the later report's own findings after that sentence (changes of social worker, a new
    # protocol) are not the earlier inspection's; nor is a judgement heading run into the paragraph
    parsed = parse_document(doc(ILACS_WITH_EARLIER_AREAS))
    mention = next(f for f in parsed.inspections if f.role == "mentioned")
    assert (mention.framework, mention.start) == ("sif", "2017-03")
    texts = [w.text for w in mention.weaknesses]
    assert texts == [
        "Leaders have made steady progress on the areas for improvement identified at the last inspection in March 2017, "
        "when the quality of plans for children in need was too variable.",
        "Partners do not share information about missing children promptly. This was an area for improvement at the "
        "previous inspection in March 2017.",
    ], texts


ILACS_REFERRING_TO_EARLIER_AREAS = ILACS_TEXT + """
34. The inspection of children's services in March 2017 identified a number of areas for improvement, the majority of which have not been delivered.

35. Most children continue to receive services that require improvement to be good as a result of slow progress in tackling key areas for development identified at the last inspection in March 2017.

36. The MASH was an area for development at the last inspection in March 2017 and still does not record its decisions.
"""


def test_a_sentence_that_names_no_area_raised_before_is_no_weakness_of_that_inspection() -> None:
    # "a number of areas ... not delivered" says that something was raised, not what: stored as
    # a weakness it gave the earlier inspection a theme on no evidence and a "persists" with it
    parsed = parse_document(doc(ILACS_REFERRING_TO_EARLIER_AREAS))
    mention = next(f for f in parsed.inspections if f.role == "mentioned")
    assert (mention.framework, mention.start) == ("sif", "2017-03")
    assert [w.text for w in mention.weaknesses] == [
        "The MASH was an area for development at the last inspection in March 2017 and still does not record its decisions."
    ]


@pytest.mark.parametrize(("sentence", "names"), [
    ("The inspection of Wakefield Children's Services in July 2016 identified a number of areas for improvement, "
     "the majority of which have not been delivered.", False),
    ("Leaders have made slow progress in tackling the areas for improvement identified at the last inspection.", False),
    ("All recommendations made at the previous inspection have been implemented.", False),
    ("Leadership was an area for improvement at the last inspection.", True),
    ("The LADO was identified as an area for development in 2014.", True),
    ("Leaders have made steady progress on the areas for improvement identified at the last inspection, "
     "when plans were too variable.", True),
])
def test_names_what_was_raised(sentence: str, names: bool) -> None:
    assert names_what_was_raised(sentence) is names
