"""Documents that are not an Ofsted report on a local authority's children's services, as
users collect them: local news, trade press, council cabinet and scrutiny papers, press
releases, letters and improvement-board minutes. ofstl must read what they say of the
authority's inspections and never make an inspection of the authority out of something else
(a school's, nursery's or children's home's inspection in its area).

Every fixture is team-written, true in form; the authorities' grades and dates follow the
public record.

Bugs these tests found: a news article on a school's, academy's, nursery's or council-run
children's home's inspection stored as a graded (or dated) "Other" inspection of the council
it names; a school's grade in a children's services article taking the place of the council's;
a dated, graded inspection of children's services in an article naming no framework stored as
"Other" rather than the framework in force then; a scrutiny paper stored as an undated
focused visit (the one it prepares for) with its numbered sections as findings, and the grade
it quotes ("Ofsted judged our children's services good in 2022") lost; board minutes and
scrutiny papers not known for council papers; news grades lost when written as the whole
service's ("children's services in Kent have been judged outstanding", "good overall"), by short
names ("Leadership was rated outstanding"), "judged X to be inadequate" or "..., as were X and
Y"; the previous inspection's grade taken for the new one's ("has improved since it was rated
inadequate", "at the previous inspection in 2015"); a care leavers grade kept for a 2020 ILACS;
a minister's improvement notice quoting a 2013 looked after children inspection stored as an
"Other" graded overall; a story headed with a visit's own title taken for Ofsted's letter; an
area SEND inspection in the news stored as "Other" without its outcome; a school's story that
recalls the council's grade stored as a dated inspection of the council; "news, None" as the
ingest message of a document that gives only earlier inspections; Ofsted's monitoring letter
to a school stored as a dated "Other" inspection of the council (HMCI's title names
children's services); a cabinet paper's table of judgements read as one run-on statement
(leadership given the next row's grade, the overall lost), and, cell by cell as a PDF gives
it, taken for Ofsted's own report; "..., as were X, of children in care, and of care leavers"
reading only the first; an awards evening's, a job advert's interviews' or a budget year's
dates making a dated inspection of the council (the job advert's "inspection of our
children's services" an ILACS report's title); a story on a council-run children's home that
names the council's children's services department stored as the council's inspection; a
round-up of three councils refused as naming "no local authority"; the CQC's assessment of
adult social care, HMICFRS's of the police and HMI Probation's of the youth justice service
stored as inspections of the council's children's services; a council paper's dates as
numbers ("02/10/2023") or with weekdays ("Monday 2 October") not read; a children's trust's
grade not read; a children's centre's inspection stored as the council's; a press release
dated a few days after the report stored as a second inspection beside the report's; a
council paper's "a 'Good' judgement ... in its ILACS inspection in March 2022", "our ILACS
inspection ... resulted in an overall judgement of good" and "In March 2022 Ofsted judged ..."
not read as the earlier inspection; Ofsted's inspection of a council's adult learning or
fostering service stored as its children's services' (an ILACS graded good, an "Other").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ofstl.models import ExtractedText, Page
from ofstl.parse.document import parse_document
from ofstl.parse.mentions import find_mentions


def parsed(text: str, path: str = "article.txt") -> Any:
    return parse_document(ExtractedText(path, "0" * 64, "text", [Page(1, text, [])]))


def subject(doc: Any) -> Any:
    return next(item for item in doc.inspections if item.role == "subject")


def grades(facts: Any) -> dict[str, str]:
    return {key: judgement.grade for key, judgement in facts.judgements.items()}


SCHOOL_NEWS = """Barnet primary school rated Good by Ofsted

Pupils at St Mary's Primary School in Barnet are "happy, safe and keen to learn", according to inspectors.

Ofsted inspected the school on 14 and 15 March 2023 and judged its overall effectiveness to be good, up from requires improvement at its previous inspection in 2019.

Headteacher Jane Smith said: "We are delighted that inspectors recognised the hard work of our staff and pupils."

A spokesperson for Barnet Council said: "We congratulate the school on this excellent result."
"""

ACADEMY_NEWS = """Croydon academy placed in special measures

Harris Academy Southfield in Croydon has been rated Inadequate by Ofsted, the lowest possible grade.

Inspectors who visited in November 2022 found that the overall effectiveness of the school was inadequate, and that safeguarding was not effective.

The trust's chief executive said: "We accept the findings and have already taken action."

Croydon Council said it would work with the trust to support pupils and families.
"""

NURSERY_NEWS = """Enfield nursery rated Outstanding in first inspection

A nursery in Enfield has been rated Outstanding by Ofsted after its first inspection since opening.

Little Acorns Day Nursery, on Church Street, was inspected on 9 May 2024 and was judged outstanding overall.

Manager Priya Patel said: "The children are at the heart of everything we do and we are so proud."

A spokesperson for Enfield Council said the authority was pleased for the staff.
"""

HOME_NEWS = """Council-run children's home in Kent rated Good

A children's home run by Kent County Council has been rated Good by the education watchdog.

Ofsted inspected the home, in Maidstone, on 7 and 8 February 2023. It was judged good for the overall experiences and progress of children and young people.

A council spokesperson said: "Our staff work tirelessly to give the young people living at the home a safe and caring environment."
"""


@pytest.mark.parametrize("text, provider", [
    (SCHOOL_NEWS, "St Mary's Primary School"),
    (ACADEMY_NEWS, "Harris Academy Southfield"),
    (NURSERY_NEWS, "Little Acorns Day Nursery"),
    (HOME_NEWS, "a children's home"),
])
def test_news_of_a_providers_inspection_is_not_the_councils(text: str, provider: str) -> None:
    """Local news of a school's, academy's, nursery's or council-run children's home's
    inspection names the council; it was stored as the council's "Other" inspection, graded
    with the school's grade (Barnet: "Other, requires improvement", the school's previous
    grade) or dated with the home's visit (Kent: "2023-02-07 Other, not graded")."""
    doc = parsed(text)
    assert doc.inspections == [], [(f.framework, f.start, grades(f)) for f in doc.inspections]
    assert len(doc.warnings) == 1 and doc.warnings[0].endswith(
        f" about an inspection of {provider} (a school, another provider or another service), "
        "not an inspection of a local authority's children's services; not stored"), doc.warnings


LA_AND_SCHOOL_NEWS = """Borough's children's services and a school both in the inspectors' spotlight

It has been a busy month for Wakefield. Outwood Academy City was judged outstanding for overall effectiveness by Ofsted last week.

Now Ofsted has reported on Wakefield Council's children's services, inspected between 4 and 15 June 2018. The overall effectiveness of children's services was judged inadequate, and the impact of leaders on social work practice with children and families was judged inadequate.

"We accept the findings in full," a council spokesperson said.
"""


def test_a_schools_grade_in_a_childrens_services_article_is_not_the_councils() -> None:
    """An article on the council's inspection that first mentions a school's: the school's
    "outstanding for overall effectiveness" was the council's overall grade (Wakefield's
    2018 ILACS was inadequate)."""
    doc = parsed(LA_AND_SCHOOL_NEWS)
    facts = subject(doc)
    assert doc.authority == "wakefield" and facts.framework == "ilacs"
    assert (facts.start, facts.end) == ("2018-06-04", "2018-06-15")
    assert grades(facts) == {"overall": "inadequate", "leadership": "inadequate"}


def test_the_council_article_naming_a_school_partner_is_still_read() -> None:
    """Schools named as partners ("work with schools") or a school named beside the
    council's services in one sentence leave the council's inspection as it was. The article
    names no framework: a graded inspection of children's services whose fieldwork was in
    October 2023 is an ILACS (it was stored as "Other", beside no official outcome)."""
    text = """Hillingdon children's services now outstanding

Ofsted has judged children's services in Hillingdon outstanding, after inspectors visited the council between 2 and 6 October 2023.

The overall effectiveness of children's services was rated outstanding. Inspectors praised social workers' work with schools and with the council's own children's homes, and said children's social care staff at a special school in the borough knew pupils well.
"""
    facts = subject(parsed(text))
    assert facts.framework == "ilacs" and facts.type == "short" and grades(facts) == {"overall": "outstanding"}
    assert facts.evidence["framework"]["from"] == "the calendar"
    assert (facts.start, facts.end) == ("2023-10-02", "2023-10-06")


SCRUTINY_UPDATE = """STOCKPORT METROPOLITAN BOROUGH COUNCIL

Report to: Children and Families Scrutiny Committee
Date of meeting: 12 September 2023
Report of: Director of Children's Services

CHILDREN'S SERVICES PRACTICE IMPROVEMENT: PROGRESS UPDATE

1. PURPOSE OF REPORT
1.1 To update members on progress against the children's services practice improvement plan.

2. RECOMMENDATIONS
2.1 That the Committee notes the progress made.

3. BACKGROUND
3.1 Ofsted judged our children's services good in 2022, with the impact of leaders judged good. Since then the service has continued to develop its practice model.
3.2 The service continues to prepare for a focused visit, which could take place at any time.

4. FINANCIAL IMPLICATIONS
4.1 There are no direct financial implications arising from this report.

5. LEGAL IMPLICATIONS
5.1 None.
"""


def test_a_scrutiny_paper_quoting_the_last_grade() -> None:
    """A scrutiny update that says "Ofsted judged our children's services good in 2022" and
    that the service prepares for a focused visit: it was stored as an undated focused visit
    (the one still to come) with the paper's numbered sections as its findings, the 2022
    inspection and its grades were lost, and the paper was not known for a council paper."""
    doc = parsed(SCRUTINY_UPDATE)
    assert doc.kind == "council-paper" and doc.authority == "stockport"
    assert [(f.role, f.framework, f.start, grades(f)) for f in doc.inspections] == [
        ("mentioned", "ilacs", "2022", {"overall": "good", "leadership": "good"})]


@pytest.mark.parametrize("sentence, framework, when, judged", [
    ("Ofsted judged our children's services good in 2022, with the impact of leaders judged good.", "ilacs", "2022", {"overall": "good", "leadership": "good"}),
    ("Ofsted rated Stockport's children's services good in May 2022.", "ilacs", "2022-05", {"overall": "good"}),
    ("Our children's services were judged good by Ofsted in 2022.", "ilacs", "2022", {"overall": "good"}),
    ("Children's services in Wakefield were judged inadequate in 2018 and have been under an improvement notice since.", "sif-or-ilacs", "2018", {"overall": "inadequate"}),
    ("Since being judged inadequate in 2014, Birmingham has invested heavily in its workforce.", "sif", "2014", {"overall": "inadequate"}),
    ("Hillingdon's children's services were previously judged to require improvement in 2014.", "sif", "2014", {"overall": "requires improvement"}),
    # As council papers put it: "its ILACS inspection", "our ILACS inspection", the date first.
    ("The service received a 'Good' judgement from Ofsted in its ILACS inspection in March 2022.", "ilacs", "2022-03", {"overall": "good"}),
    ("Our ILACS inspection in March 2022 resulted in an overall judgement of good.", "ilacs", "2022-03", {"overall": "good"}),
    ("In March 2022 Ofsted judged the council's children's services to be good.", "ilacs", "2022-03", {"overall": "good"}),
])
def test_a_grade_given_in_a_named_year_is_that_years_inspection(sentence: str, framework: str, when: str, judged: dict[str, str]) -> None:
    """Councils and papers say who judged what in which year, in the active voice or without
    the word inspection; none of these was read as an earlier inspection."""
    found = find_mentions([(1, sentence)], "other", None)
    assert [(f.framework, f.start, grades(f)) for f in found] == [(framework, when, judged)]


@pytest.mark.parametrize("sentence", [
    "St Mary's Primary School was judged good in 2019 and outstanding this year.",
    "Pupils' attendance was judged good in 2019.",
    "A children's home run by the council was judged inadequate in March 2021.",
    "The council's fostering service was rated outstanding in 2016.",
])
def test_a_providers_grade_in_a_named_year_is_no_earlier_inspection(sentence: str) -> None:
    assert find_mentions([(1, sentence)], "other", None) == []


BOARD_MINUTES = """Wakefield Children's Services Improvement Board

Minutes of the meeting held on 17 September 2018

Present: Independent Chair (in the chair); Chief Executive; Director of Children's Services; Lead Member for Children's Services; DfE Adviser.

1. Apologies
Apologies were received from the Designated Nurse.

2. Ofsted inspection
The Board received the report of the Ofsted inspection of children's services carried out between 4 and 15 June 2018. The overall effectiveness of children's services was judged inadequate.

3. Improvement plan
The Board discussed the workforce strategy and agency staffing. The Board will review readiness for the first monitoring visit at its next meeting.

4. Date of next meeting
15 October 2018.
"""


def test_improvement_board_minutes() -> None:
    """Minutes naming the inspection they discuss: the inspection as the minutes give it, the
    next monitoring visit (still to come) no framework of it, and the minutes a council paper."""
    doc = parsed(BOARD_MINUTES)
    facts = subject(doc)
    assert doc.kind == "council-paper" and doc.authority == "wakefield"
    assert (facts.framework, facts.start, facts.end, grades(facts)) == ("ilacs", "2018-06-04", "2018-06-15", {"overall": "inadequate"})


TRADE_PRESS = """Devon children's services rated inadequate as leaders 'not aware of weaknesses'

Ofsted has rated children's services in Devon inadequate, finding that senior leaders did not know about serious weaknesses in the help given to children in care.

Inspectors, who visited the council between 20 and 31 January 2020, judged the impact of leaders on social work practice with children and families to be inadequate and the experiences and progress of children who need help and protection to require improvement to be good.

The experiences and progress of children in care and care leavers was judged inadequate. The council's services for care leavers had also been judged inadequate at the previous inspection in 2015.

In its previous inspection in 2015, the overall effectiveness of Devon's children's services was judged to require improvement to be good.

"We are determined to put this right," the council's cabinet member for children's services told Community Care.
"""


def test_a_trade_press_story_on_an_inadequate_rating() -> None:
    """A Community Care-style story: the council's whole-service grade in a headline phrase
    ("rated children's services in Devon inadequate"), judgements written "judged X to be
    ...", and the previous inspection's grades beside the new ones. The overall and the
    leadership grades were lost, and the 2015 inspection's "requires improvement" was taken
    for the 2020 inspection's overall grade."""
    doc = parsed(TRADE_PRESS)
    facts = subject(doc)
    assert doc.kind == "news" and doc.authority == "devon"
    assert (facts.framework, facts.start, facts.end) == ("ilacs", "2020-01-20", "2020-01-31")
    assert grades(facts) == {"overall": "inadequate", "leadership": "inadequate",
                             "help_and_protection": "requires improvement", "children_in_care": "inadequate"}
    assert all(j.conflict is False for j in facts.judgements.values())
    earlier = [(f.framework, f.start, grades(f)) for f in doc.inspections if f.role == "mentioned"]
    assert earlier == [("sif", "2015", {"overall": "requires improvement", "care_leavers": "inadequate"})]


PRESS_RELEASE = """News release from Kent County Council

Kent's children's services are outstanding, says Ofsted

Published: 5 July 2022

Children's services in Kent have been judged outstanding by Ofsted, the highest grade an inspection can give.

Leadership was rated outstanding, while help and protection was judged good and children in care were judged outstanding.

Kent was previously judged good in 2017.

"This is a testament to the dedication of our social workers and the families they support," said the cabinet member for integrated children's services.
"""


def test_a_press_release_in_its_own_words() -> None:
    """A council's press release names the judgements by their short names ("leadership",
    "help and protection") and the whole service's grade without the word overall: the
    inspection was an "Other" with no grade at all."""
    doc = parsed(PRESS_RELEASE)
    facts = subject(doc)
    assert doc.authority == "kent" and facts.published == "2022-07-05"
    assert facts.framework == "ilacs"
    assert grades(facts) == {"overall": "outstanding", "leadership": "outstanding",
                             "help_and_protection": "good", "children_in_care": "outstanding"}
    assert [(f.framework, f.start, grades(f)) for f in doc.inspections if f.role == "mentioned"] == [("sif", "2017", {"overall": "good"})]


@pytest.mark.parametrize("sentence, expected", [
    ("The overall effectiveness of services has improved since it was rated inadequate in 2017.", {}),
    ("The council's overall effectiveness was judged good, up from requires improvement in 2015.", {"overall": "good"}),
    ("Services for adopted children in care were judged to be good.", {}),
    ("Overall, children's services were judged to require improvement to be good.", {"overall": "requires improvement"}),
    ("The service was graded 'good' overall, with 'outstanding' leadership.", {"overall": "good"}),
    ("The impact of leaders was judged good.", {"leadership": "good"}),
    ("Hillingdon Council has been rated outstanding by Ofsted.", {"overall": "outstanding"}),
    ("Ofsted has rated Hillingdon Council outstanding.", {"overall": "outstanding"}),
    ("The council was rated good by the Care Quality Commission.", {}),
    ("Ofsted rated the work of the council's early help team good.", {}),
])
def test_grade_sentences_in_news(sentence: str, expected: dict[str, str]) -> None:
    from ofstl.parse.judgements import combine
    from ofstl.parse.secondary import secondary_readings
    assert {key: j.grade for key, j in combine(secondary_readings(sentence, "2019-01-14")).items()} == expected


def test_a_news_grade_the_framework_did_not_give_is_not_kept() -> None:
    """ILACS judged care leavers apart only from 2023: a 2020 article's "services for care
    leavers were judged inadequate" was stored as a care leavers judgement of a 2020 ILACS."""
    text = TRADE_PRESS.replace("The council's services for care leavers had also been judged inadequate at the previous inspection in 2015.",
                               "Services for care leavers were judged inadequate.")
    facts = subject(parsed(text))
    assert facts.framework == "ilacs" and "care_leavers" not in facts.judgements
    assert grades(facts)["children_in_care"] == "inadequate"


DFE_LETTER = """Department for Education
Sanctuary Buildings
Great Smith Street
London SW1P 3BT

The Leader of the Council
Sandwell Metropolitan Borough Council
Sandwell Council House
Oldbury B69 3DE

14 October 2013

Dear Councillor,

IMPROVEMENT NOTICE: SANDWELL METROPOLITAN BOROUGH COUNCIL

I am writing following the Ofsted inspection of Sandwell's services for looked after children, carried out between 24 and 28 June 2013, which judged the overall effectiveness of the council's services for looked after children to be inadequate.

This Improvement Notice sets out the actions the council must take. The council must establish an improvement board with an independent chair, and must report to the Department on its progress every six months.

Yours sincerely,

Minister of State for Children and Families
"""


def test_a_ministers_letter_on_a_looked_after_children_inspection() -> None:
    """The Department's improvement notice quotes the inspection it follows: in June 2013,
    services for looked after children only, the targeted LAC inspection, whose one overall
    judgement is the children in care judgement. It was an "Other" inspection graded overall."""
    doc = parsed(DFE_LETTER)
    facts = subject(doc)
    assert doc.authority == "sandwell"
    assert (facts.framework, facts.start, facts.end, grades(facts)) == ("lac", "2013-06-24", "2013-06-28", {"children_in_care": "inadequate"})


FOCUSED_VISIT_STORY = """Focused visit to Hillingdon's children's services finds children in need are well served

Published: 7 February 2020

Ofsted inspectors who carried out a focused visit to Hillingdon's children's services on 15 and 16 January 2020 found that children in need and children subject to a child protection plan receive a good service.

Inspectors looked at the council's arrangements for children in need and children subject to a child protection plan.

"Our social workers know their children well," said the cabinet member for families.

"We will keep improving our case recording," he added.
"""

JTAI_STORY = """Joint targeted area inspection of Bexley finds agencies work well together on domestic abuse

Inspectors from Ofsted, the Care Quality Commission, HMI Constabulary and HMI Probation visited between 20 and 24 January 2020 to look at the multi-agency response to children living with domestic abuse.

"Partners share information quickly," the inspectors said.

A spokesperson for Bexley Council said: "We welcome the findings."
"""


@pytest.mark.parametrize("text, authority, framework, when", [
    (FOCUSED_VISIT_STORY, "hillingdon", "focused-visit", ("2020-01-15", "2020-01-16")),
    (JTAI_STORY, "bexley", "jtai", ("2020-01-20", "2020-01-24")),
])
def test_a_story_headed_with_the_visits_own_title_is_news(text: str, authority: str, framework: str, when: tuple[str, str]) -> None:
    """A press release or news story whose headline is the visit's title ("Focused visit to
    ...", "Joint targeted area inspection of ...") was taken for Ofsted's own letter, which it
    would then stand in for (an Ofsted letter outranks a council paper and a news story)."""
    doc = parsed(text)
    facts = subject(doc)
    assert (doc.kind, doc.authority, facts.framework, (facts.start, facts.end)) == ("news", authority, framework, when)


SEND_STORY = """Inspectors publish findings on SEND services in Hillingdon

Services for children and young people with special educational needs and disabilities (SEND) in Hillingdon were the subject of a joint inspection by Ofsted and the Care Quality Commission.

Inspectors visited the borough between 29 April and 3 May 2024. The local area partnership's arrangements lead to inconsistent experiences and outcomes for children and young people with SEND, they said.

"We know there is more to do," a spokesperson for Hillingdon Council said.
"""


def test_a_story_on_an_area_send_inspection() -> None:
    """An area SEND inspection reported in the news was a dated "Other" inspection of the
    council, without its outcome."""
    facts = subject(parsed(SEND_STORY))
    assert (facts.framework, facts.start, facts.end, facts.outcome) == ("send", "2024-04-29", "2024-05-03", "inconsistent experiences and outcomes")


SCHOOL_AND_COUNCIL = """Hayes primary academy rated Good

Pupils at Belmore Primary Academy in Hayes are proud of their school, Ofsted inspectors have said.

Inspectors visited the academy on 14 and 15 March 2023 and rated it Good in all areas.

Headteacher Sam Patel said: "We are delighted."

Hillingdon Council's children's services were themselves rated good by Ofsted in 2018, and the council said it would continue to support the school.
"""


def test_a_school_story_that_recalls_the_councils_own_grade(tmp_path: Path) -> None:
    """A school's story that recalls the council's own last grade: the school's visit became
    a dated "Other" inspection of Hillingdon (2023-03-14). The school's inspection is skipped;
    the council's 2018 inspection it recalls is kept, and ingest says the document gave only
    an earlier inspection (it said "news, None")."""
    doc = parsed(SCHOOL_AND_COUNCIL)
    assert [(f.role, f.framework, f.start, grades(f)) for f in doc.inspections] == [("mentioned", "sif-or-ilacs", "2018", {"overall": "good"})]
    from typer.testing import CliRunner

    from ofstl.cli import app
    (tmp_path / "story.txt").write_text(SCHOOL_AND_COUNCIL, encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "story.txt"), "--store", str(tmp_path / "store"), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert '"message": "news, only earlier inspections it mentions (1)"' in result.stdout


SCHOOL_MONITORING_LETTER = """Ofsted
Piccadilly Gate
Store Street
Manchester
M1 2WD

T 0300 123 1231
www.gov.uk/ofsted

20 June 2023

Mrs Jane Smith
Headteacher
St Mary's Church of England Primary School
Church Lane
London
N3 1AB

Dear Mrs Smith

Special measures monitoring inspection of St Mary's Church of England Primary School

Following my visit to your school on 6 and 7 June 2023, I write on behalf of His Majesty's Chief Inspector of Education, Children's Services and Skills to report the inspection findings.

This monitoring inspection was the second since the school was judged to require special measures following the inspection that took place in October 2022.

I am copying this letter to the chair of the board of trustees and the director of children's services for Barnet.

Yours sincerely

Anna Brown
His Majesty's Inspector
"""


def test_ofsteds_letter_to_a_school_is_not_the_councils() -> None:
    """Ofsted's monitoring letter to a school names HMCI (of "Children's Services and
    Skills") and copies the council's director of children's services: it was a dated "Other"
    inspection of Barnet (2023-06-06)."""
    doc = parsed(SCHOOL_MONITORING_LETTER)
    assert doc.inspections == []
    assert doc.warnings == ["a letter about an inspection of St Mary's Church of England Primary School (a school, another provider or "
                            "another service), not an inspection of a local authority's children's services; not stored"]


CABINET_TABLE = """LONDON BOROUGH OF HOUNSLOW

Cabinet
Date of meeting: 13 November 2018
Report of: Executive Director, Children's Services

OFSTED INSPECTION OF LOCAL AUTHORITY CHILDREN'S SERVICES

1. PURPOSE OF REPORT
To inform Cabinet of the outcome of the Ofsted inspection of local authority children's services (ILACS) which took place between 1 and 12 October 2018.

2. RECOMMENDATIONS
That Cabinet notes the outcome of the inspection.

3. OUTCOME
The judgements were as follows:

Judgement | Grade
The impact of leaders on social work practice with children and families | Good
The experiences and progress of children who need help and protection | Requires improvement to be good
The experiences and progress of children in care and care leavers | Good
Overall effectiveness | Good

4. FINANCIAL IMPLICATIONS
None.
"""


def test_a_cabinet_paper_with_a_table_of_judgements() -> None:
    """A cabinet paper that tables the judgements: the rows ran together into one statement,
    so leadership took the next row's "requires improvement" and the overall grade was lost."""
    facts = subject(parsed(CABINET_TABLE))
    assert (facts.framework, facts.start, facts.end) == ("ilacs", "2018-10-01", "2018-10-12")
    assert grades(facts) == {"overall": "good", "leadership": "good", "help_and_protection": "requires improvement", "children_in_care": "good"}
    tabbed = parsed(CABINET_TABLE.replace(" | ", "\t"))
    assert grades(subject(tabbed)) == grades(facts)


def test_a_cabinet_paper_whose_table_is_cell_by_cell() -> None:
    """The same table as a PDF gives it, each cell on its own line, with "Judgement" and
    "Grade" as its header: the paper was taken for Ofsted's own report (the header is one of
    a report's markers), and as a paper its leadership took the next row's grade."""
    cells = CABINET_TABLE.replace("Judgement | Grade", "Judgement\nGrade")
    cells = "\n".join(line.replace(" | ", "\n") for line in cells.split("\n"))
    doc = parsed(cells)
    assert doc.kind == "council-paper"
    assert grades(subject(doc)) == {"overall": "good", "leadership": "good", "help_and_protection": "requires improvement", "children_in_care": "good"}


NEWS_PAGE = """<!doctype html>
<html><head><title>Brent children's services rated good by Ofsted | North West London Gazette</title></head>
<body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article>
<h1>Brent children's services rated good by Ofsted</h1>
<p class="byline">By our education reporter</p>
<p>Brent Council's children's services have been rated good in every area by Ofsted, after inspectors visited the borough between 27 April and 1 May 2026.</p>
<p>The impact of leaders on social work practice with children and families was judged good, as were the experiences and progress of children who need help and protection, of children in care, and of care leavers.</p>
<p>Under Ofsted's new arrangements, inspections from April 2026 no longer give an overall effectiveness grade.</p>
<p>Neighbouring Harrow's children's services were rated inadequate by Ofsted.</p>
<p>"Our social workers do an extraordinary job," said the council's lead member for children.</p>
</article>
</body></html>
"""


def test_a_news_page_on_an_inspection_without_an_overall_grade(tmp_path: Path) -> None:
    """Brent's April 2026 ILACS, the first without an overall grade, as a local paper's page:
    "..., as were X, of children in care, and of care leavers" gave two judgements of four, and
    a sentence about neighbouring Harrow gave Brent an overall "inadequate" when the framework
    still had one (here: the same page moved to 2023)."""
    page = tmp_path / "brent.html"
    page.write_text(NEWS_PAGE, encoding="utf-8")
    from ofstl.extract import extract
    doc = parse_document(extract(page))
    assert doc.authority == "brent"
    assert grades(subject(doc)) == {"leadership": "good", "help_and_protection": "good", "children_in_care": "good", "care_leavers": "good"}
    page.write_text(NEWS_PAGE.replace("27 April and 1 May 2026", "2 and 6 October 2023").replace(" in every area", ""), encoding="utf-8")
    earlier = subject(parse_document(extract(page)))
    assert grades(earlier)["overall"] == "good" and not earlier.judgements["overall"].conflict
    assert [r["grade"] for r in earlier.judgements["overall"].readings] in ([], ["good"])


FOSTERING_NEWS = """Hillingdon celebrates its foster carers

Hillingdon Council celebrated the borough's foster carers at its annual awards evening, held on 12 and 13 May 2024 at the Civic Centre.

The council's fostering service, rated outstanding by Ofsted, supports more than 150 foster families.

"Our carers change lives every day," said the cabinet member for children's services.

"We always need more people to come forward," added the head of fostering.
"""

JOB_ADVERT = """Senior Social Worker - Children in Need Team
London Borough of Hounslow

Salary: £45,000 - £50,000
Closing date: 30 May 2024
Interviews: between 10 and 12 June 2024

Join our Good-rated children's services! Ofsted said in its inspection of our children's services that "social workers know their children well".

We offer manageable caseloads, a supportive team and excellent training.
"""

BUDGET_PAPER = """CABINET - 14 MARCH 2024
LONDON BOROUGH OF HOUNSLOW

Report of: Executive Director of Finance
Purpose of report: To set out the children's services budget for 2024/25.

RECOMMENDATIONS
1. That Cabinet approves the budget.

Financial implications
The children's services budget for 2024/25 is £95 million. Between 1 April and 31 March 2025 the service will invest in its workforce ahead of the next Ofsted inspection.
"""


@pytest.mark.parametrize("text", [FOSTERING_NEWS, JOB_ADVERT, BUDGET_PAPER], ids=["awards evening", "job advert", "budget paper"])
def test_dates_that_are_no_inspections_make_none(text: str) -> None:
    """An awards evening "held on 12 and 13 May", a job advert's interviews "between 10 and
    12 June" (and its "inspection of our children's services", taken for an ILACS report's
    title), a budget year "between 1 April and 31 March": each was a dated inspection of the
    council ("Other", or the job advert an "ILACS (short)" Ofsted report)."""
    doc = parsed(text)
    assert doc.inspections == [], [(f.framework, f.start) for f in doc.inspections]
    assert doc.warnings == ["a news article about an inspection of a fostering service (a school, another provider or another service), "
                            "not an inspection of a local authority's children's services; not stored"] if text is FOSTERING_NEWS else \
        ["speaks of an inspection but names no framework, date, grade or finding to place it by; not stored"]


def test_a_sentence_naming_both_is_about_what_its_inspection_words_are_near() -> None:
    """"The council's children's services department runs the home, which Ofsted rated good":
    the home's inspection (it was a dated inspection of Kent, because the sentence names
    children's services); "Ofsted rated Barnet's children's services outstanding ..., weeks
    after Hendon School was judged good": the council's."""
    home = parsed("""Kent children's home rated good

Kent County Council's children's services department runs the home, which Ofsted rated good after inspectors visited on 7 and 8 February 2023.

"Our staff work tirelessly," a council spokesperson said. "We are proud of the young people," she added.
""")
    assert home.inspections == [] and "about an inspection of a children's home" in home.warnings[0]
    council = subject(parsed("""Barnet children's services outstanding again

Ofsted rated Barnet's children's services outstanding after inspectors visited between 6 and 17 March 2023, weeks after Hendon School was judged good.

"Children are at the heart of everything we do," said the lead member. "We are proud," she added.
"""))
    assert (council.framework, council.start, grades(council)) == ("ilacs", "2023-03-06", {"overall": "outstanding"})


def test_a_round_up_of_several_councils_says_so() -> None:
    """A round-up naming three councils in one paragraph was refused as naming "no local
    authority"."""
    doc = parsed("""Ofsted round-up: how west London's councils fared

Three west London councils have had their children's services inspected by Ofsted this year.

Harrow's children's services were rated good after inspectors visited in January. Brent was judged to require improvement to be good. Ealing's children's services were judged outstanding.

"It is a mixed picture," said one sector leader.
""")
    assert doc.authority is None
    assert doc.warnings == ["names several authorities (harrow, brent, ealing); cannot tell which one it is about: "
                            "say which with --authority (e.g. --authority harrow)"]


ADULT_CARE_NEWS = """Hounslow's adult social care rated good by CQC

The Care Quality Commission has rated Hounslow Council's adult social care services as good.

Inspectors from the CQC visited the council between 4 and 8 March 2024 as part of its assessments of how councils meet their duties under the Care Act.

"This is great news for our residents," said the cabinet member for adult social care.
"""

POLICE_NEWS = """Kent Police's child protection work 'requires improvement', say inspectors

His Majesty's Inspectorate of Constabulary and Fire and Rescue Services has found that Kent Police's child protection work requires improvement.

Inspectors visited the force between 9 and 20 October 2023.

"We accept the findings," said the Assistant Chief Constable. The force said it would work with Kent County Council and partners.
"""

YOUTH_JUSTICE_NEWS = """Hillingdon youth justice service rated good

HM Inspectorate of Probation has rated Hillingdon's youth justice service as good.

Inspectors visited the service between 5 and 9 February 2024. The overall rating was good.

"We are proud of our staff," said the head of service. The council's cabinet member added: "This is a credit to the team."
"""


@pytest.mark.parametrize("text, service", [
    (ADULT_CARE_NEWS, "adult social care"),
    (POLICE_NEWS, "Kent Police"),
    (YOUTH_JUSTICE_NEWS, "a youth justice service"),
])
def test_another_inspectorates_inspection_of_another_service(text: str, service: str) -> None:
    """The CQC on adult social care, HMICFRS on the police, HMI Probation on the youth justice
    service: each was a dated inspection of the council's children's services ("Other", and the
    youth justice service's "overall rating was good" an ILACS graded good)."""
    doc = parsed(text)
    assert doc.inspections == []
    assert f"about an inspection of {service} (a school, another provider or another service)" in doc.warnings[0]


@pytest.mark.parametrize("printed", [
    "Ofsted inspected the council's children's services between 02/10/2023 and 06/10/2023.",
    "The inspection ran from Monday 2 October to Friday 6 October 2023.",
])
def test_a_council_papers_dates_as_councils_print_them(printed: str) -> None:
    """Council papers print dates as numbers or with their weekdays: the inspection was
    undated, so an undated "Other" inspection graded outstanding beside the real one."""
    text = (f"Hillingdon children's services outstanding\n\n{printed} The overall effectiveness of children's services was judged outstanding.\n\n"
            "\"We are delighted,\" said the leader. \"It is great news,\" she added.\n")
    facts = subject(parsed(text))
    assert (facts.framework, facts.start, facts.end, grades(facts)) == ("ilacs", "2023-10-02", "2023-10-06", {"overall": "outstanding"})


def test_a_childrens_trust_and_a_virtual_school_are_the_authoritys() -> None:
    """Birmingham's children's services are run by a children's trust: its "has been rated
    good" was read as nothing. A virtual school is the authority's own (a school only in name):
    an article praising it was skipped as a school's inspection."""
    trust = subject(parsed("""Birmingham Children's Trust rated good by Ofsted

Published: 18 April 2023

Birmingham Children's Trust has been rated good by Ofsted, the first time children's social care in the city has achieved the grade.

"This is a milestone for the city's children," said the trust's chief executive. "Our staff should be very proud," she added.
"""))
    assert (trust.framework, trust.published, grades(trust)) == ("ilacs", "2023-04-18", {"overall": "good"})
    virtual = subject(parsed("""Hounslow virtual school praised

Ofsted inspectors who visited Hounslow between 16 and 20 October 2023 found that the virtual school was effective in championing the education of children in care.

Overall effectiveness was judged good.

"Our virtual school team is outstanding," said the cabinet member. "We are proud," she added.
"""))
    assert (virtual.framework, virtual.start, grades(virtual)) == ("ilacs", "2023-10-16", {"overall": "good"})


def test_a_childrens_centre_is_a_provider() -> None:
    doc = parsed("""Hayes children's centre rated outstanding

The Hayes Children's Centre has been rated outstanding by Ofsted after inspectors visited on 4 and 5 March 2014.

"The families we work with are at the heart of everything," said the centre manager. Hillingdon Council said it was delighted.
""")
    assert doc.inspections == [] and "an inspection of The Hayes Children's Centre" in doc.warnings[0]


HILLINGDON_RELEASE = """News release from the London Borough of Hillingdon

Hillingdon's children's services are outstanding, says Ofsted

Published: 22 November 2023

Children's services in Hillingdon have been judged outstanding by Ofsted, the highest grade an inspection can give.

"This is a testament to the dedication of our social workers," said the cabinet member for children's services. "We are very proud," she added.
"""


def test_a_press_release_dated_after_the_report_joins_its_inspection(tmp_path: Path) -> None:
    """A council's press release dated two days after Ofsted published the report, beside the
    report: the timeline showed the inspection twice (2023-10-02 from the report, 2023-11-22
    from the release, "= unchanged")."""
    import json
    import shutil

    from typer.testing import CliRunner

    from ofstl.cli import app
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(Path(__file__).parent.parent / "samples" / "hillingdon_2023-10_ilacs.pdf", docs)
    (docs / "release.txt").write_text(HILLINGDON_RELEASE, encoding="utf-8")
    store = str(tmp_path / "store")
    assert CliRunner().invoke(app, ["ingest", str(docs), "--store", store, "-j", "1"]).exit_code == 0
    result = CliRunner().invoke(app, ["timeline", "hillingdon", "--store", store, "--format", "json"])
    inspections = [i for i in json.loads(result.stdout)["inspections"] if i["framework"] == "ilacs" and (i.get("start") or "") >= "2023"]
    assert len(inspections) == 1, inspections
    assert inspections[0]["start"] == "2023-10-02" and len(inspections[0]["sources"]) == 2


@pytest.mark.parametrize("text, service", [
    ("""Adult learning service rated good

Hounslow's adult and community learning service has been rated good by Ofsted.

Inspectors visited the service between 12 and 15 March 2024. Overall effectiveness was judged good, with learners making strong progress in English and maths.

"Our tutors are brilliant," said the head of service. "We are delighted," added the cabinet member.
""", "an adult learning service"),
    ("""Council's fostering service rated outstanding

Hillingdon Council's fostering service has been rated outstanding by Ofsted after inspectors visited between 7 and 11 March 2011.

The overall effectiveness of the fostering service was judged outstanding.

"Our foster carers are amazing," said the cabinet member. "Thank you to every one of them," she added.
""", "a fostering service"),
])
def test_ofsteds_inspection_of_another_council_service(text: str, service: str) -> None:
    """Ofsted inspects a council's adult learning service and (until 2013) its fostering
    service on their own frameworks: the adult learning service's "overall effectiveness was
    judged good" became an ILACS graded good, the fostering service's an "Other" graded
    outstanding."""
    doc = parsed(text)
    assert doc.inspections == []
    assert f"about an inspection of {service} (a school, another provider or another service)" in doc.warnings[0]


def test_an_area_send_inspections_outcome_shows_in_the_timeline(tmp_path: Path) -> None:
    """The outcome of an area SEND inspection was read and stored, but the timeline said only
    "not graded" in every format: a person saw nothing of what the inspection found."""
    from typer.testing import CliRunner

    from ofstl.cli import app

    (tmp_path / "send.txt").write_text(SEND_STORY, encoding="utf-8")
    store = str(tmp_path / "store")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(tmp_path / "send.txt"), "--store", store]).exit_code == 0
    table = runner.invoke(app, ["timeline", "hillingdon", "--store", store], env={"COLUMNS": "120"}).stdout
    assert "not graded            outcome: inconsistent experiences and outcomes" in table
    page = runner.invoke(app, ["timeline", "hillingdon", "--store", store, "-f", "markdown"]).stdout
    assert "| not graded | outcome: inconsistent experiences and outcomes |" in page
    picture = runner.invoke(app, ["timeline", "hillingdon", "--store", store, "--svg", "-"]).stdout
    assert ": outcome inconsistent experiences and outcomes" in picture


def test_the_weeks_commencing_two_mondays_end_on_the_second_friday() -> None:
    """"Inspectors were on site during the weeks commencing 6 and 13 March 2023" was read as
    6 to 13 March: the second date opens the last week, which ends on Friday 17 March."""
    from ofstl.parse import dates

    assert dates.parse_range("during the weeks commencing 6 and 13 March 2023") == ("2023-03-06", "2023-03-17")
    assert dates.parse_range("the weeks beginning 27 February and 6 March 2023") == ("2023-02-27", "2023-03-10")
    assert dates.parse_range("between 6 and 13 March 2023") == ("2023-03-06", "2023-03-13")


# A scrutiny paper with two headings of its own (the committee, its recommendation) whose
# subject line is the title of Ofsted's report. Sandwell's ILACS was published by Ofsted on
# 5 July 2022: requires improvement to be good, the impact of leaders likewise.
SUBJECT_LINE_PAPER = """Children and Families Scrutiny Committee

Inspection of Sandwell local authority children's services

This report informs the committee of the outcome of Ofsted's inspection of children's services,
published by Ofsted on 5 July 2022. Overall effectiveness was judged to require improvement
to be good, with the impact of leaders judged to require improvement.

Recommendations

That the committee notes the outcome of the inspection and the improvement plan that follows it.
"""


def test_a_paper_whose_subject_line_is_ofsteds_title_is_a_council_paper() -> None:
    """Two headings of a paper and Ofsted's title as its subject line: it was taken for
    Ofsted's own report (the title in its first lines), so its grades, read as a report's
    table, were none. Ofsted's reports always open with their dates, inspector or reference;
    a paper has none of them, and its own headings."""
    doc = parsed(SUBJECT_LINE_PAPER)
    assert doc.kind == "council-paper" and doc.authority == "sandwell"
    facts = subject(doc)
    assert (facts.framework, grades(facts)) == ("ilacs", {"overall": "requires improvement", "leadership": "requires improvement"})
    # One heading and a resolution to members ("That the committee notes ...") is a paper too.
    one_heading = SUBJECT_LINE_PAPER.replace("Recommendations\n\n", "")
    assert parsed(one_heading).kind == "council-paper"
    # A paper that copies the report's lead inspector line is still a paper: no report of
    # Ofsted's puts a resolution to members.
    copied = SUBJECT_LINE_PAPER.replace("This report informs", "Lead inspector: A Person, His Majesty's Inspector\n\nThis report informs")
    assert parsed(copied).kind == "council-paper" and grades(subject(parsed(copied))) == grades(facts)
    # Ofsted's own report with that title and its markers stays Ofsted's.
    report = "Inspection of Sandwell local authority children's services\n\nLead inspector: A Person, His Majesty's Inspector\n\nJudgement\tGrade\nOverall effectiveness\tRequires improvement to be good\n"
    assert parsed(report).kind == "ofsted-report"


# A story of 2020 on Surrey's SIF re-inspection (published 16 May 2018, inadequate), dated by
# a season: the grade is that inspection's, not the story's own; in spring 2018 SIF
# re-inspections and the first ILACS both ran, so the words leave it open.
SEASON_STORY = """Surrey Advertiser

Published: 2 June 2020

Surrey children's services two years on

Surrey County Council's children's services were rated inadequate by Ofsted in spring 2018, the council said.
"We have come a long way since then," a council spokesman said. "There is more to do," he added.
"""


def test_a_story_dating_the_grade_by_a_season_gives_it_to_that_inspection() -> None:
    """'rated inadequate by Ofsted in spring 2018' read as the story's own (2020) inspection's
    grade, as 'in March 2018' is not: a season was no date to the reader of earlier grades."""
    doc = parsed(SEASON_STORY)
    assert [(f.role, f.framework, f.start, grades(f)) for f in doc.inspections] == [
        ("subject", "other", None, {}), ("mentioned", "sif-or-ilacs", "2018", {"overall": "inadequate"})]
    in_numbers = parsed(SEASON_STORY.replace("in spring 2018", "in 03/2018"))
    assert [(f.role, f.framework, f.start, grades(f)) for f in in_numbers.inspections] == [
        ("subject", "other", None, {}), ("mentioned", "sif-or-ilacs", "2018-03", {"overall": "inadequate"})]


# Kent's child protection inspection, published 15 January 2013: adequate.
CPI_STORY = """Kent Messenger

Published: 18 January 2013

Kent child protection services rated adequate

Ofsted has judged Kent County Council's arrangements for the protection of children to be adequate, the council said.
"We are pleased with the progress," a council spokesman said. "There is more to do," he added.
"""


def test_a_story_on_a_child_protection_inspection_gives_its_grade_and_framework() -> None:
    """The CPI's own name ('arrangements for the protection of children') was no judgement
    label to the story reader: the story was 'other', gradeless. In January 2013 a CPI and a
    looked after children inspection could both be meant; 'protection of children' says which."""
    facts = subject(parsed(CPI_STORY))
    assert (facts.framework, grades(facts)) == ("cpi", {"help_and_protection": "adequate"})
