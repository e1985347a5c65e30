"""Improvement items and strengths: every heading style, tags, priority, furniture.

The corpus test reads the real documents in ../shared/corpus (skipped when that is not
checked out beside the repository); the unit tests use small texts written here in the
form of each framework's real layout.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ofstl.models import Box, ExtractedText, Page
from ofstl.parse.items import extract_items

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
EXTRACTED = Path("/tmp/extracted")


def pages(*texts: str) -> list[Page]:
    return [Page(number=n, text=t) for n, t in enumerate(texts, start=1)]


def texts(items) -> list[str]:
    return [i.text for i in items]


# --------------------------------------------------------------------------- corpus


def _labels() -> list[dict]:
    path = CORPUS / "labels.yaml"
    if not path.exists():
        return []
    import yaml

    return yaml.safe_load(path.read_text())


_CACHE: dict[str, tuple] = {}


def _items_for(entry: dict):
    name = entry["file"]
    if name not in _CACHE:
        cached = EXTRACTED / f"{name}.json"
        if cached.exists():
            extracted = ExtractedText.from_dict(json.loads(cached.read_text()))
        else:
            from ofstl.extract import extract

            extracted = extract(CORPUS / "docs" / name)
        _CACHE[name] = extract_items(extracted.pages, entry["source"])
    return _CACHE[name]


def _subject(entry: dict) -> dict:
    return next(i for i in entry["inspections"] if i["role"] == "subject")


FURNITURE = re.compile(
    r"^\s*\d+\s*$|©|https?://|www\.|^inspection of\b|^page \d+|"
    r"^(?:[\w ]+ )?inspection of (?:looked after|local authority|children)|"
    r"^(?:ofsted )?(?:ref(?:erence)?|urn)\b.{0,15}\d|^\d{6,}$",
    re.I,
)

_ENTRIES = _labels()


@pytest.mark.skipif(not _ENTRIES, reason="../shared/corpus is not checked out")
@pytest.mark.parametrize("entry", _ENTRIES, ids=[e["file"] for e in _ENTRIES])
def test_corpus_document(entry):
    weaknesses, strengths = _items_for(entry)
    subject = _subject(entry)
    assert len(weaknesses) >= subject.get("weaknesses_min", 0)
    if subject.get("strengths_min") is not None:
        assert len(strengths) >= subject["strengths_min"]
    for item in weaknesses + strengths:
        assert not FURNITURE.search(item.text), item.text
        assert len(item.text) >= 12 and item.page is not None and item.section


@pytest.mark.skipif(not _ENTRIES, reason="../shared/corpus is not checked out")
def test_corpus_summary(capsys):
    rows, met = [], 0
    for entry in _ENTRIES:
        weaknesses, strengths = _items_for(entry)
        subject = _subject(entry)
        ok = len(weaknesses) >= subject.get("weaknesses_min", 0)
        met += ok
        rows.append(
            f"{'  ' if ok else '!!'} {entry['file']:58} weaknesses {len(weaknesses):3}/{subject.get('weaknesses_min', 0):<3}"
            f" strengths {len(strengths):3}/{subject.get('strengths_min', '-')}"
        )
    with capsys.disabled():
        print("\n" + "\n".join(rows) + f"\n{met}/{len(_ENTRIES)} documents meet weaknesses_min")
    assert met == len(_ENTRIES)


# --------------------------------------------------------------------------- ILACS and focused visits

ILACS = """Inspection of Anytown local authority children's services

Inspection dates: 1 to 12 March 2021

What needs to improve?

◼  The timeliness of strategy meetings and the quality of

information shared by partners.

◼  The quality and impact of supervision and management oversight.

◼  Life-story work for children in care.

The experiences and progress of children who need help and
protection: requires improvement to be good

1.  Children and families benefit from a good early help offer. Some plans
need to improve.

2.  Thresholds are well understood.
"""


def test_ilacs_bullets_stop_at_next_heading():
    weak, strong = extract_items(pages(ILACS), "ofsted-report")
    assert texts(weak) == [
        "The timeliness of strategy meetings and the quality of information shared by partners.",
        "The quality and impact of supervision and management oversight.",
        "Life-story work for children in care.",
    ]
    assert {i.section for i in weak} == {"What needs to improve?"}
    assert not any(i.priority for i in weak) and strong == []


def test_national_framework_tags():
    text = """What needs to improve?1

◼  Recognition of the vulnerability of disabled children. (outcome 3, national framework)

◼  The timeliness of permanence planning. (Outcome four, National Framework)

◼  Leadership stability across the service (Enabler two)

◼  The impact of supervision. (enabler 3)

Main findings

Children are seen regularly.
"""
    weak, _ = extract_items(pages(text), "ofsted-letter")
    assert [i.national_framework for i in weak] == ["outcome 3", "outcome 4", "enabler 2", "enabler 3"]
    assert texts(weak) == [
        "Recognition of the vulnerability of disabled children.",
        "The timeliness of permanence planning.",
        "Leadership stability across the service.",
        "The impact of supervision.",
    ]


def test_focused_visit_priority_action_and_what_needs_to_improve():
    text = """Areas for priority action

The local authority needs to take swift and decisive action to address the following
areas of weakness in:

◼  the arrangements for management oversight of social

work practice

◼  the quality of practice, including the application of thresholds.

What needs to improve in this area of social work practice

◼  Social work supervision.

◼  The quality of children's plans.

Findings

◼  In the MASH, managers prioritise the incoming work.
"""
    weak, _ = extract_items(pages(text), "ofsted-letter")
    assert [(i.text, i.priority) for i in weak] == [
        ("the arrangements for management oversight of social work practice", True),
        ("the quality of practice, including the application of thresholds.", True),
        ("Social work supervision.", False),
        ("The quality of children's plans.", False),
    ]
    assert weak[0].section == "Areas for priority action"
    assert weak[2].section == "What needs to improve in this area of social work practice"


# --------------------------------------------------------------------------- SIF

SIF = """Contents

Summary of key findings 3
What does the local authority need to improve? 5
Information about this inspection 6
\f
The local authority has the following strengths

\uf06e Care leavers have good relationships with their personal advisers.

\uf06e The local authority is good at placing children for adoption.

What does the local authority need to improve?

Priority and immediate action

33.  The inspection did not find any areas for priority and immediate action.

Areas for improvement

34.  Ensure that initial child protection conferences take place promptly.

35.  Strengthen work to close the gap in educational attainment between looked after
children and their peers.

Information about this inspection

36.  Inspectors looked closely at the experiences of children.
\f
Section 2: The effectiveness of the local safeguarding children board

Areas for improvement

70.  Ensure that the LSCB evaluates multi-agency training.

Key strengths and weaknesses of the LSCB

71.  The board is well chaired.
"""


def test_sif_sections_priority_none_and_lscb():
    weak, strong = extract_items(pages(*SIF.split("\f")), "ofsted-report")
    assert texts(weak) == [
        "Ensure that initial child protection conferences take place promptly.",
        "Strengthen work to close the gap in educational attainment between looked after children and their peers.",
        "Ensure that the LSCB evaluates multi-agency training.",
    ]
    assert [i.section for i in weak] == ["Areas for improvement", "Areas for improvement", "Areas for improvement (LSCB)"]
    assert [i.page for i in weak] == [2, 2, 3]
    assert not any(i.priority for i in weak)
    assert texts(strong) == [
        "Care leavers have good relationships with their personal advisers.",
        "The local authority is good at placing children for adoption.",
    ]


def test_sif_priority_and_immediate_action_items_are_priority():
    text = """What does the local authority need to improve?

Priority and immediate action

24.  Strengthen operational and senior management arrangements.

25.  Ensure that management oversight is effective.

Areas for improvement:

26.  Review assessment and care planning processes.
"""
    weak, _ = extract_items(pages(text), "ofsted-report")
    assert [(i.section, i.priority) for i in weak] == [
        ("Priority and immediate action", True),
        ("Priority and immediate action", True),
        ("Areas for improvement", False),
    ]


def test_recommendations_numbered_with_paragraph_references_and_lscb_umbrella():
    text = """Recommendations

1.  Improve performance management so that it is informed by feedback from children
(paragraphs 102, 103).

12.  Work with schools to ensure that families do not experience delays (paragraph 13).

Summary for children and young people

\uf06e The council has made improvements.

What does the LSCB need to improve?

Areas for improvement

\uf06e Ensure that the board hears the views of children.
"""
    weak, _ = extract_items(pages(text), "ofsted-report")
    assert texts(weak)[:2] == [
        "Improve performance management so that it is informed by feedback from children (paragraphs 102, 103).",
        "Work with schools to ensure that families do not experience delays (paragraph 13).",
    ]
    assert weak[2].section == "What does the LSCB need to improve? — Areas for improvement"
    assert len(weak) == 3


# --------------------------------------------------------------------------- SLAC / 2013 LAC, JAR, CRA


def test_areas_for_improvement_by_timescale_across_pages():
    page1 = """Areas for improvement

15.  In order to improve the quality of provision and services for looked after
children, the local authority should take the following action.

Immediately:

\uf0a7 ensure all children have a care plan which sets out their needs

\uf0a7 ensure all social workers receive regular, recorded supervision
which includes the cases discussed

Within three months:

\uf0a7 ensure that social workers always provide a written report to support

6
"""
    page2 = """Norfolk County Council Inspection of looked after children services

the statutory review process

Within six months:

\uf0a7 ensure there is a sufficient number of social workers

Outcomes for looked after children and young
people

Grade 4 (inadequate)

16.  Overall outcomes for looked after children are inadequate.
"""
    weak, _ = extract_items(pages(page1, page2), "ofsted-report")
    assert [(i.text, i.section, i.priority, i.page) for i in weak] == [
        ("ensure all children have a care plan which sets out their needs", "Areas for improvement — Immediately", True, 1),
        (
            "ensure all social workers receive regular, recorded supervision which includes the cases discussed",
            "Areas for improvement — Immediately",
            True,
            1,
        ),
        (
            "ensure that social workers always provide a written report to support the statutory review process",
            "Areas for improvement — Within three months",
            False,
            1,
        ),
        ("ensure there is a sufficient number of social workers", "Areas for improvement — Within six months", False, 2),
    ]


def test_jar_priorities_and_cra_letter():
    jar = """Priorities for further improvement

13.  Priorities for further improvement:

(cid:131)  The council should take immediate action to ensure that all children are safeguarded.

(cid:131)  The council's children's service should launch the revised procedure manual.

Key findings

14.  The council has made good progress.
"""
    weak, _ = extract_items(pages(jar), "ofsted-report")
    assert len(weak) == 2 and weak[1].text == "The council's children's service should launch the revised procedure manual."

    cra = """Strengths

- Initial assessments are consistently of a very high quality.
- Staff supervision is undertaken regularly.

The service meets the requirements of statutory guidance in the following areas

- Decision making on contacts and referrals is appropriate and timely.

Areas for development

- There continues to be a lack of clarity about thresholds.
- The disabled children's team does not routinely use chronologies.

Any areas for development identified above will be considered in any future inspection.
"""
    weak, strong = extract_items(pages(cra), "ofsted-letter")
    assert len(strong) == 2 and len(weak) == 2
    assert weak[0].section == "Areas for development"


# --------------------------------------------------------------------------- JTAI


def test_jtai_paragraphs_subheadings_and_case_study():
    text = """Key Strengths

\uf06e Current arrangements within the referral hub are strong.

Areas for improvement

Responses to children missing

The understanding and response to risk is variable across all of the agencies.

\uf06e When a new concern is referred, it is not always prioritised.

Leadership

\uf06e Escalation processes are not always used.

Case study: areas for improvement

For one child, there was a lack of coordinated planning.

Next steps
"""
    weak, strong = extract_items(pages(text), "ofsted-letter")
    assert texts(strong) == ["Current arrangements within the referral hub are strong."]
    assert texts(weak) == [
        "The understanding and response to risk is variable across all of the agencies.",
        "When a new concern is referred, it is not always prioritised.",
        "Escalation processes are not always used.",
    ]
    assert weak[2].section == "Areas for improvement — Leadership"


# --------------------------------------------------------------------------- layout (PDF boxes)


def _box(x0, y1, text, height=12):
    return Box(x0, y1 - height, x0 + 400, y1, text)


def test_pdf_boxes_lone_markers_and_page_furniture():
    footer = "Inspection of Anytown local authority children's services\n"
    p1 = Page(
        1,
        "",
        [
            _box(70, 700, "What needs to improve?1\n"),
            _box(70, 670, "◼ \n", 12),
            _box(88, 670, "The quality of plans for children in need, including those \n", 12),
            _box(88, 655, "in need of protection. (outcome 3, national framework) \n", 12),
            _box(70, 620, "◼ \n"),
            _box(88, 620, "Management oversight of the front door, so that \n"),
            _box(70, 90, "1 The areas for improvement have been cross-referenced with the National Framework.\n"),
            _box(70, 40, footer),
            _box(500, 40, "2\n"),
        ],
    )
    p2 = Page(
        2,
        "",
        [
            _box(88, 700, "decisions are timely. (Enabler two) \n"),
            _box(70, 660, "The experiences and progress of children in care: good\n"),
            _box(99, 630, "1. Children in care are seen regularly.\n"),
            _box(70, 40, footer),
            _box(500, 40, "3\n"),
        ],
    )
    weak, _ = extract_items([p1, p2], "ofsted-report")
    assert [(i.text, i.page, i.national_framework) for i in weak] == [
        ("The quality of plans for children in need, including those in need of protection.", 1, "outcome 3"),
        ("Management oversight of the front door, so that decisions are timely.", 1, "enabler 2"),
    ]


def test_numbers_printed_apart_from_their_text():
    boxes = [
        _box(71, 713, "Recommendations \n"),
        _box(71, 678, "1. \n"),
        _box(71, 608, "2. \n"),
        _box(99, 678, "Improve performance management and quality assurance mechanisms \n", 55),
        _box(99, 608, "Improve governance arrangements so that scrutiny focuses on children \n", 41),
        _box(71, 553, "3.  Work with schools and other partners to ensure that families \n"),
        _box(99, 538, "do not experience delays in receiving early help (paragraph 13). \n"),
        _box(71, 500, "Summary for children and young people \n"),
    ]
    weak, _ = extract_items([Page(1, "", boxes)], "ofsted-report")
    assert texts(weak) == [
        "Improve performance management and quality assurance mechanisms",
        "Improve governance arrangements so that scrutiny focuses on children",
        "Work with schools and other partners to ensure that families do not experience delays in receiving early help (paragraph 13).",
    ]


# --------------------------------------------------------------------------- news and council papers


def test_news_article_reported_items_and_strengths():
    text = """Ofsted praises Anytown children's services

Inspectors highlighted:

  • Children and their families benefit from a good early help offer.
  • However, consideration of health needs is not yet consistent for care leavers.

In order to improve social work practice, Anytown should focus on the quality of initial strategy discussions. The authority should also improve the timeliness and quality of return home interviews.

Anytown should also prioritise improving the quality of recording of management oversight and supervision and health information for care leavers.
"""
    weak, strong = extract_items(pages(text), "news")
    assert texts(weak) == [
        "The quality of initial strategy discussions.",
        "The timeliness and quality of return home interviews.",
        "The quality of recording of management oversight and supervision.",
        "Health information for care leavers.",
        "Consideration of health needs is not yet consistent for care leavers.",
    ]
    assert texts(strong) == ["Children and their families benefit from a good early help offer."]


def test_council_paper_further_improvements_list():
    text = """3.4 Work is already underway to make further improvements including the need for
consistent assessments, improving care plans, managers holding regular supervision
sessions and achieving greater stability in the social care workforce.

2. RECOMMENDATION

That Cabinet:

1. Note the findings from the Ofsted inspection.
"""
    weak, _ = extract_items(pages(text), "council-paper")
    assert texts(weak) == [
        "Consistent assessments.",
        "Improving care plans.",
        "Managers holding regular supervision sessions.",
        "Achieving greater stability in the social care workforce.",
    ]


def test_nothing_found_in_a_document_without_improvement_sections():
    weak, strong = extract_items(pages("Dear Director\n\nThis letter summarises the monitoring visit."), "ofsted-letter")
    assert weak == [] and strong == []


def test_plain_text_without_blank_lines():
    text = """What needs to improve
• The quality of plans for children in need, including children in need of protection
and disabled children.
• Health information for care leavers.
The experiences and progress of children who need help and protection require improvement to be good
1. An increasing number of children benefit from early help.
"""
    weak, _ = extract_items(pages(text), "ofsted-report")
    assert texts(weak) == [
        "The quality of plans for children in need, including children in need of protection and disabled children.",
        "Health information for care leavers.",
    ]


@pytest.mark.parametrize("bullet", ["•", "\uf0b7", "▪", "·", "(cid:127)", "-", "–"])
def test_a_bullet_glued_to_its_text_is_a_bullet(bullet):
    """A list pasted or extracted without the space after each glyph ("•The ...", "-The ..."):
    each bullet is an item of its own, without the glyph (it was one item starting "-The",
    which a spreadsheet would take for a formula, and the heading after the list was an item)."""
    text = f"""What needs to improve?

{bullet}The timeliness of strategy meetings and the quality of information shared by partners.
{bullet}The quality and impact of supervision and management oversight.
{bullet}Life-story work for children in care.

The quality of practice
Children are safe.
"""
    weak, _ = extract_items(pages(text), "ofsted-report")
    assert texts(weak) == [
        "The timeliness of strategy meetings and the quality of information shared by partners.",
        "The quality and impact of supervision and management oversight.",
        "Life-story work for children in care.",
    ]


def test_a_dash_or_minus_glued_to_a_word_is_not_a_bullet():
    from ofstl.parse.sections import BULLET_RE

    assert not any(BULLET_RE.match(t) for t in ["-based services", "−5 per cent", "*see note", "—and so", "(cid:2)nancial planning"])
    assert all(BULLET_RE.match(t) for t in ["- Improve", "-Improve", "• Improve", "•Improve", "*  Improve"])
