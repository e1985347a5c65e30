"""News stories, press releases and council papers that leave something about an inspection
open: which framework a year meant, whose date a "Published:" line is, which of the councils
a shared service runs a grade is about, which inspection an undated paper describes. ofstl
must not settle such a question by a silent guess: it settles it from what is stored or from
the text, or leaves it open where every view can see it. The documents are team-written;
their facts follow the public record."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from ofstl.records import build_records
from tests.test_one_inspection import cli
from tests.test_records import obs



def store_of(tmp_path: Path, text: str, *ingest_args: str) -> tuple[str, Any]:
    """A store made by ingesting one team-written document: its path and ingest's result."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "doc.txt").write_text(text, encoding="utf-8")
    root = str(tmp_path / "store")
    return root, cli("ingest", str(docs), "--store", root, "-j", "1", *ingest_args)


def sources(records: list[dict]) -> list[list[str]]:
    return [[s["sha256"][0] for s in r["sources"]] for r in records]


# ---------------------------------------------------------------- a year that cannot tell the framework

# Torbay's SIF re-inspection: fieldwork in June 2018, published in August (inadequate); a story
# of 2023 says only "judged inadequate in 2018".
SIF_2018 = obs("s", "ofsted-report", "subject", "sif", "2018-06-11", {"overall": "inadequate"}, end="2018-06-22", type="reinspection")
SAID_IN_2018 = obs("m", "news", "mentioned", "sif-or-ilacs", "2018", {"overall": "inadequate"})


def test_a_year_that_cannot_tell_joins_the_one_stored_inspection_whose_grades_fit() -> None:
    for order in ([SIF_2018, SAID_IN_2018], [SAID_IN_2018, SIF_2018]):
        [record] = build_records("torbay", order)
        assert record["framework"] == "sif" and record["id"] == "torbay-2018-06-sif"
        assert sources([record]) == [["s", "m"]]


def test_a_year_that_cannot_tell_joins_no_inspection_it_contradicts_or_could_not_pick() -> None:
    better = obs("s", "ofsted-report", "subject", "sif", "2018-06-11", {"overall": "requires improvement"}, end="2018-06-22")
    records = build_records("torbay", [better, SAID_IN_2018])
    assert sources(records) == [["m"], ["s"]] and records[0]["framework"] == "sif-or-ilacs"
    # A SIF re-inspection and an ILACS of the same grade in one year: joining either would be a guess.
    ilacs = obs("i", "ofsted-report", "subject", "ilacs", "2018-12-03", {"overall": "inadequate"}, end="2018-12-14")
    records = build_records("torbay", [SIF_2018, ilacs, SAID_IN_2018])
    assert sorted(sources(records)) == [["i"], ["m"], ["s"]]
    # Nothing stored for that year: the framework stays open, under a name every view shows.
    [alone] = build_records("torbay", [SAID_IN_2018])
    assert alone["framework"] == "sif-or-ilacs" and alone["id"] == "torbay-2018-sif-or-ilacs"


STORY_2023 = """Torbay children's services rated good

Published: 3 March 2023

Torbay Council's children's services have been rated good by Ofsted, five years after they were judged inadequate in 2018.

"Leaders have a clear understanding of what needs to improve," the report said. A council spokesperson said: "This is a real step forward for the children of Torbay."
"""


def test_the_timeline_says_sif_or_ilacs_and_a_correction_settles_it(tmp_path: Path) -> None:
    root, _ = store_of(tmp_path, STORY_2023)
    view = json.loads(cli("timeline", "torbay", "--store", root, "--format", "json").stdout)
    earlier = view["inspections"][0]
    assert (earlier["framework"], earlier["framework_candidates"], earlier["name"], earlier["start"], earlier["headline"]) == (
        "other", ["sif", "ilacs"], "SIF or ILACS", "2018", "inadequate")  # SPEC's code in JSON, as export; the words in the table
    assert "SIF or ILACS" in cli("timeline", "torbay", "--store", root).stdout
    # Not counted as a full inspection of either framework until a person says which.
    compare = json.loads(cli("compare", "torbay", "--with", "torbay", "--as-at", "2022-01-01", "--store", root, "--format", "json").stdout)
    assert compare["rows"][0]["last_full"] is None
    cli("correct", "torbay", "2018", "framework", "sif", "--note", "the 2018 re-inspection", "--store", root)
    view = json.loads(cli("timeline", "torbay", "--store", root, "--format", "json").stdout)
    assert view["inspections"][0]["framework"] == "sif" and "framework_candidates" not in view["inspections"][0]


# Torbay's re-inspection report came out in August 2018; a story of that week names no framework.
STORY_2018 = """Torbay children's services still inadequate, inspectors say

Published: 10 August 2018

Torbay Council's children's services have been rated inadequate by Ofsted for a second time.

A council spokesperson said: "We accept the findings and are working hard to improve."
"""


def test_the_contract_outputs_keep_to_the_spec_codes_for_an_open_framework(tmp_path: Path) -> None:
    """SPEC section 2 lists the framework codes a script may meet: export (JSON and CSV) and
    ingest's JSON give an open one as 'other', with the frameworks it could be beside it."""
    root, ingested = store_of(tmp_path, STORY_2018, "--format", "json")
    [line] = ingested.stdout.splitlines()
    result = json.loads(line)
    assert (result["status"], result["framework"], result["framework_candidates"]) == ("added", "other", ["sif", "ilacs"])
    [exported] = json.loads(cli("export", "--store", root).stdout)["inspections"]
    assert (exported["id"], exported["framework"], exported["framework_candidates"]) == ("torbay-2018-08-sif-or-ilacs", "other", ["sif", "ilacs"])
    [row] = csv.DictReader(cli("export", "--store", root, "--format", "csv").stdout.splitlines())
    assert (row["framework"], row["framework_candidates"]) == ("other", "sif|ilacs")
    # Settled by a person, it is that framework everywhere, with no candidates left.
    cli("correct", "torbay", "2018", "framework", "ilacs", "--note", "the council's own account", "--store", root)
    [exported] = json.loads(cli("export", "--store", root).stdout)["inspections"]
    assert exported["framework"] == "ilacs" and "framework_candidates" not in exported


# ---------------------------------------------------------------- a press release's own date

PRESS_RELEASE = """Press release

Published: 14 December 2018

Hounslow's children's services rated good by Ofsted

Hounslow Council's children's services have been rated good by Ofsted. "We are proud of our social workers," the council's lead member said. The director of children's services said: "Inspectors recognised the progress we have made since 2014."
"""


def test_a_press_releases_date_is_not_ofsteds_publication(tmp_path: Path) -> None:
    """The council's press release, alone in the store: its "Published:" line became the
    inspection's publication date, shown as "published 2018-12-14" and exported as Ofsted's."""
    [record] = build_records("hounslow", [obs("p", "news", "subject", "ilacs", None, {"overall": "good"}, published="2018-12-14", dated=False)])
    assert record["published"] is None and record["reported"] == "2018-12-14" and record["id"] == "hounslow-2018-12-ilacs"
    root, _ = store_of(tmp_path, PRESS_RELEASE)
    [exported] = json.loads(cli("export", "--store", root).stdout)["inspections"]
    assert (exported["published"], exported["reported"], exported["start"]) == (None, "2018-12-14", None)
    table = cli("timeline", "hounslow", "--store", root).stdout
    assert "reported 2018-12-14" in table and "published 2018-12-14" not in table
    assert "published not stated (reported 2018-12-14" in cli("show", "hounslow", "--store", root).stdout
    # The report itself, stored later, gives the inspection its dates; the release's date is no longer needed.
    report = obs("r", "ofsted-report", "subject", "ilacs", "2018-10-01", {"overall": "good"}, end="2018-10-12", published="2018-11-12")
    [record] = build_records("hounslow", [report, obs("p", "news", "subject", "ilacs", None, {"overall": "good"}, published="2018-12-14", dated=False)])
    assert record["published"] == "2018-11-12" and "reported" not in record


def test_verify_pairs_an_open_framework_and_a_story_dated_only_by_itself(tmp_path: Path) -> None:
    """verify pairs "SIF or ILACS 2018" with the official SIF or ILACS of that year, and a
    record dated only by a press release with the report published days before it."""
    from ofstl.official import read_table
    from ofstl.store import Store
    from ofstl.verify import verify
    from tests.test_verify import HISTORY_HEADER

    store = Store(tmp_path / "store")
    store.save("torbay", build_records("torbay", [SAID_IN_2018]))
    store.save("hounslow", build_records("hounslow", [obs("p", "news", "subject", "ilacs", None, {"overall": "good"}, published="2018-11-20", dated=False)]))
    rows = [
        {"table": "Table 10", "Local authority name": "Torbay", "First SIF Overall Judgement (OE)": "Inadequate",
         "Single Inspection of LA Children's Services (SIF)  First SIF publication date": "2018-08-24"},
        {"table": "Table 10", "Local authority name": "Hounslow", "First ILACS framework inspection type": "ILACS Standard Inspection",
         "First ILACS framework publication date": "2018-11-12", "First ILACS framework overall effectiveness": "Good"},
    ]
    table = tmp_path / "history.csv"
    with table.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=HISTORY_HEADER, restval="")
        writer.writeheader()
        writer.writerows(rows)
    result = verify(read_table(table), store.load_all())
    assert result.totals() == {"agree": 2, "disagree": 0, "missing": 0, "not_in_table": 0}


# ---------------------------------------------------------------- a shared service's councils

def parsed(text: str) -> Any:
    from ofstl.models import ExtractedText, Page
    from ofstl.parse.document import parse_document

    return parse_document(ExtractedText("story.txt", "0" * 64, "text", [Page(1, text, [])]))


# Achieving for Children runs Kingston upon Thames's and Richmond upon Thames's children's services.
AFC_KINGSTON = """Achieving for Children welcomes Ofsted report

Published: 12 February 2024

Achieving for Children, the social enterprise that runs children's services for Kingston upon Thames and Richmond upon Thames, has welcomed the latest Ofsted report.

Inspectors visited between 8 and 12 January 2024 and rated Kingston's children's services good. "Children are safe and well supported," the report said.

A spokesperson for Achieving for Children said: "We are proud of our staff in Richmond and in Kingston."
"""
AFC_BOTH = """Achieving for Children welcomes Ofsted report

Published: 12 February 2024

Achieving for Children runs children's services for Kingston upon Thames and Richmond upon Thames. Inspectors visited between 8 and 12 January 2024 and rated the children's services good. "Children are safe," the report said. A spokesperson for Richmond Council said: "We are proud." Kingston Council also welcomed the report.
"""


def test_a_shared_services_story_is_the_council_its_grade_is_given_to() -> None:
    """Both councils named as often: it was refused as naming several authorities, though the
    sentence that grades the inspection names Kingston alone."""
    doc = parsed(AFC_KINGSTON)
    assert doc.authority == "kingston-upon-thames" and doc.subject.judgements["overall"].grade == "good"
    # The graded sentence names neither: the story cannot tell, and says how to tell it.
    doc = parsed(AFC_BOTH)
    assert doc.authority is None and doc.candidates == ["kingston-upon-thames", "richmond-upon-thames"]
    assert "--authority" in doc.warnings[0]


# Kingston alone names places far from the London borough: Kingston Lacy and the village of
# Kingston near Corfe Castle are in Dorset.
DORSET_KINGSTON = """Family hub opens near Kingston Lacy

Published: 14 March 2024

Dorset Council has opened a family hub for children and families in the Wimborne area, a short walk from Kingston Lacy.

The hub will run parenting groups for families from Kingston and nearby villages. "Families in Kingston asked for this," a youth worker said.

Dorset Council's children's services were rated good by Ofsted.
"""


def test_kingston_alone_is_not_the_london_borough_unless_the_document_names_it_in_full() -> None:
    doc = parsed(DORSET_KINGSTON)
    assert (doc.authority, doc.candidates) == ("dorset", [])
    # Naming the borough in full anywhere makes the bare name the borough's (the shared service's story).
    assert parsed(AFC_KINGSTON).authority == "kingston-upon-thames"


def test_ingest_authority_says_which_council_a_story_is_about(tmp_path: Path) -> None:
    story = tmp_path / "afc.txt"
    story.write_text(AFC_BOTH, encoding="utf-8")
    root = str(tmp_path / "store")
    refused = cli("ingest", str(story), "--store", root, code=1)
    assert "names several authorities (kingston-upon-thames, richmond-upon-thames)" in refused.stderr and "--authority" in refused.stderr
    cli("ingest", str(story), "--store", root, "--authority", "Richmond upon Thames")
    [record] = json.loads(cli("export", "--store", root).stdout)["inspections"]
    assert (record["authority"], record["judgements"]) == ("richmond-upon-thames", {"overall": "good"})
    # A council the story does not name is refused, and the reading a person chose is kept,
    # also by a re-read that cannot tell.
    wrong = cli("ingest", str(story), "--store", root, "--reread", "--authority", "hounslow", code=1)
    assert "does not name Hounslow" in wrong.stderr and "earlier reading under richmond-upon-thames is kept" in wrong.stderr
    cli("ingest", str(story), "--store", root, "--reread", code=1)
    assert [r["authority"] for r in json.loads(cli("export", "--store", root).stdout)["inspections"]] == ["richmond-upon-thames"]
    cli("ingest", str(story), "--store", root, "--authority", "nowhere", code=2)
    # The other council named for a story already stored was "0 added, 1 unchanged" and a
    # "next:" to the first council's timeline: --authority silently did nothing. The story
    # stays as it is (re-ingesting changes nothing) and the summary says how to read it anew.
    again = cli("ingest", str(story), "--store", root, "--authority", "kingston-upon-thames")
    assert (f"{story}: already stored as richmond-upon-thames's; to read it as kingston-upon-thames's: "
            f"ofstl ingest {story} --reread --authority kingston-upon-thames") in " ".join(again.stderr.split())
    assert [r["authority"] for r in json.loads(cli("export", "--store", root).stdout)["inspections"]] == ["richmond-upon-thames"]
    assert "already stored" not in cli("ingest", str(story), "--store", root, "--authority", "richmond-upon-thames").stderr


# ---------------------------------------------------------------- an undated paper that misreports one grade

def test_an_undated_paper_that_misreports_one_grade_joins_the_inspection_it_plainly_describes() -> None:
    """A cabinet paper that prints no date, giving the report's overall grade and three of its
    four grades but leadership as outstanding, stayed an undated inspection of its own (the
    dated case joined: test_one_inspection)."""
    report = obs("r", "ofsted-report", "subject", "ilacs", "2018-10-01",
                 {"overall": "good", "leadership": "good", "help_and_protection": "requires improvement", "children_in_care": "good"}, end="2018-10-12")
    earlier = obs("s", "ofsted-report", "subject", "sif", "2014-01-14", {"overall": "requires improvement", "leadership": "requires improvement"})
    paper = obs("q", "council-paper", "subject", "ilacs", None,
                {"overall": "good", "leadership": "outstanding", "help_and_protection": "requires improvement", "children_in_care": "good"}, dated=False)
    for order in ([report, earlier, paper], [paper, earlier, report]):
        records = build_records("hounslow", order)
        assert sources(records) == [["s"], ["r", "q"]]
        assert records[1]["judgements"]["leadership"]["grade"] == "good"
        [disagreement] = records[1]["disagreements"]
        assert [(r["value"], r["kind"]) for r in disagreement["readings"]] == [("good", "ofsted-report"), ("outstanding", "council-paper")]
    # Another overall grade, or as many grades different as the same, is not plainly that inspection.
    other = dict(paper, judgements={**paper["judgements"], "overall": {**paper["judgements"]["overall"], "grade": "outstanding"}})
    assert sources(build_records("hounslow", [report, other])) == [["r"], ["q"]]
    half = obs("h", "council-paper", "subject", "ilacs", None, {"overall": "good", "leadership": "outstanding"}, dated=False)
    assert sources(build_records("hounslow", [report, half])) == [["r"], ["h"]]
    # Two inspections it could as well be: neither.
    later = obs("l", "ofsted-report", "subject", "ilacs", "2022-10-03",
                {"overall": "good", "leadership": "good", "help_and_protection": "requires improvement", "children_in_care": "good"}, end="2022-10-14")
    assert sources(build_records("hounslow", [report, later, paper])) == [["r"], ["l"], ["q"]]


# ---------------------------------------------------------------- the ways stories give the grade

@pytest.mark.parametrize("sentence, grade", [
    ("Children's services in Sandwell have been rated as requiring improvement.", "requires improvement"),
    ("The council's children's services were given a 'good' rating by Ofsted.", "good"),
    ("Ofsted has given Torbay's children's services a good rating.", "good"),
    ("Children's services at Torbay Council received an overall rating of good.", "good"),
    ("Torbay Council has received a good Ofsted rating for its children's services.", "good"),
    ("The council has been rated good for its children's services.", "good"),
    ("Inspectors judged Torbay's services for children to be good.", "good"),
    # the grade it moved to is the inspection's; the one it moved from, an earlier one's
    ("Torbay's children's services have improved from inadequate to good.", "good"),
    ("Torbay Council's children's services have moved from inadequate to requires improvement.", "requires improvement"),
    # A council paper's words for the whole service, without "overall" (its subject is the whole service).
    ("Ofsted judged the council's children's services to require improvement to be good.", "requires improvement"),
    ("Ofsted judged children's services in Bexley to require improvement to be good.", "requires improvement"),
    ("Inspectors judged the local authority's services for children to require improvement to be good.", "requires improvement"),
    ("The local authority's children's services were judged by Ofsted to be good.", "good"),
    ("Following the inspection, children's services in the borough were judged to be good.", "good"),
    ("The local authority was judged to require improvement to be good.", "requires improvement"),
    ("In its report published in March, the council was judged to be good.", "good"),
])
def test_a_storys_ways_of_giving_the_overall_grade(sentence: str, grade: str) -> None:
    """Each was read as no grade at all: the story stored as an ungraded inspection."""
    from ofstl.parse.secondary import secondary_readings

    assert [(r.key, r.grade) for r in secondary_readings(sentence)] == [("overall", grade)]


@pytest.mark.parametrize("sentence", [
    "Children's services were given a good rating in 2017 and are now inadequate.",  # 2017's inspection
    "The council found children's services to be good value.",
    "Leadership was rated good, with some areas requiring improvement.",  # leadership's only
    "The council was judged to be good for its leadership.",  # leadership's only
    "At the last inspection, the council was judged to be good.",  # an earlier inspection's
    "The council was judged to be good for its adult learning provision.",  # another service's
    # The subject is one judgement, not the whole service.
    "Services for children in care were judged to require improvement to be good.",
    "The council's leadership of children's services was judged to be good.",
    "The experiences and progress of children who need help and protection in children's services were judged to be good.",
])
def test_no_overall_grade_from_these(sentence: str) -> None:
    from ofstl.parse.secondary import secondary_readings

    assert "overall" not in {r.key for r in secondary_readings(sentence)}


# ---------------------------------------------------------------- a story's visit without its year

BEXLEY_2018 = """Bexley children's services rated outstanding

Published: 20 August 2018

Bexley Council's children's services have been rated outstanding by Ofsted after inspectors visited between 25 June and 6 July.

"Leaders know their services exceptionally well," the report said. The council's cabinet member said: "This is a tribute to our staff."
"""


def test_a_storys_visit_days_without_a_year_take_the_storys_year() -> None:
    """The days were lost (no year), and a story of August 2018 with no fieldwork was left
    'Other': neither ILACS nor SIF, graded outstanding."""
    facts = parsed(BEXLEY_2018).subject
    # two weeks on site in 2018: an ILACS (a SIF was three or four)
    assert (facts.framework, facts.type, facts.start, facts.end) == ("ilacs", "standard", "2018-06-25", "2018-07-06")
    assert facts.evidence["start"]["year"] == "from the story's own date"
    # Without the days, the story's own date cannot tell a SIF re-inspection from an ILACS.
    undated = parsed(BEXLEY_2018.replace(" after inspectors visited between 25 June and 6 July", "")).subject
    assert (undated.framework, undated.start, {k: j.grade for k, j in undated.judgements.items()}) == ("sif-or-ilacs", None, {"overall": "outstanding"})
    # Days that are not a visit's (longer than six weeks, or long before the story) are not taken.
    long_ago = parsed(BEXLEY_2018.replace("between 25 June and 6 July", "between 2 January and 28 March")).subject
    assert long_ago.start is None


NEWS_RELEASE = """News release

Published: 14 December 2018

Hounslow's children's services rated good by Ofsted

Hounslow Council's children's services have been rated good by Ofsted following an inspection in October.

Councillor Tom Bruce, Cabinet Member for Education and Children's Services, said the council was proud of its social workers.

Notes to editors: the full report is available on the Ofsted website. The council's last inspection in January 2014 judged services to require improvement.
"""


def test_a_council_news_release_is_news_dated_by_the_month_it_names() -> None:
    """A council's news release quoting no one in quotation marks was kind 'other', and its
    'inspection in October' placed nothing (the release's own date did)."""
    doc = parsed(NEWS_RELEASE)
    assert doc.kind == "news" and doc.authority == "hounslow"
    facts = doc.subject
    assert (facts.framework, facts.start, facts.published) == ("ilacs", "2018-10", "2018-12-14")
    # It joins the report of October's inspection, whose dates win.
    report = obs("r", "ofsted-report", "subject", "ilacs", "2018-10-01", {"overall": "good"}, end="2018-10-12")
    story = obs("n", "news", "subject", "ilacs", "2018-10", {"overall": "good"}, published="2018-12-14")
    [record] = build_records("hounslow", [story, report])
    assert (record["start"], record["published"], sources([record])) == ("2018-10-01", None, [["r", "n"]])


# ---------------------------------------------------------------- a council paper titled like Ofsted's report

CABINET_PAPER = """Hounslow Council

Cabinet

Report of the Cabinet Member for Children's Services

Subject: Ofsted inspection of local authority children's services

Purpose of the report

1. Ofsted inspected the council's children's services between 3 and 14 October 2022 and published its report on 28 November 2022.

2. Overall effectiveness was judged to require improvement to be good. The impact of leaders was judged good. The experiences and progress of children who need help and protection were judged to require improvement to be good. The experiences and progress of children in care and care leavers were judged good.

Recommendations

3. Cabinet is asked to note the report and approve the improvement plan.

Financial implications

4. None arising from this report.
"""


def test_a_cabinet_paper_whose_subject_line_is_the_reports_title_is_a_council_paper() -> None:
    """Its headings ("Cabinet", "Recommendations") were only counted in lower case, so the
    subject line made it Ofsted's own ILACS report, with no grades (a report's tables were looked
    for) and outranking the real report's record."""
    doc = parsed(CABINET_PAPER)
    assert doc.kind == "council-paper" and doc.authority == "hounslow"
    assert {k: j.grade for k, j in doc.subject.judgements.items()} == {
        "overall": "requires improvement", "leadership": "good", "help_and_protection": "requires improvement", "children_in_care": "good"}


@pytest.mark.parametrize("sentence, key", [
    ("Help and protection was judged to require improvement to be good.", "help_and_protection"),
    ("Leadership was found to require improvement.", "leadership"),
])
def test_a_judgement_judged_to_require_improvement(sentence: str, key: str) -> None:
    """A council paper's commonest wording: read for a judgement's full label, missed for its short one."""
    from ofstl.parse.secondary import secondary_readings

    assert [(r.key, r.grade) for r in secondary_readings(sentence)] == [(key, "requires improvement")]


UNDATED_PAPER = """Hounslow Council

Cabinet

Purpose of the report

1. To report the outcome of Ofsted's inspection of the council's children's services.

2. Inspectors judged the council's children's services to be good overall. The impact of leaders was judged good. Help and protection was judged to require improvement to be good.

Recommendations

3. Cabinet is asked to note the report.
"""


def test_an_undated_paper_naming_no_framework_joins_the_inspection_whose_grades_it_gives() -> None:
    """No date and no framework's name: it stayed an undated 'Other' inspection graded good,
    beside the ILACS it reports."""
    facts = parsed(UNDATED_PAPER).subject
    assert (facts.framework, facts.start, facts.published) == ("other", None, None)
    paper = obs("q", "council-paper", "subject", "other", None, {k: j.grade for k, j in facts.judgements.items()}, dated=False)
    report = obs("r", "ofsted-report", "subject", "ilacs", "2018-10-01",
                 {"overall": "good", "leadership": "good", "help_and_protection": "requires improvement", "children_in_care": "good"}, end="2018-10-12")
    sif = obs("s", "ofsted-report", "subject", "sif", "2014-01-14", {"overall": "requires improvement", "adoption": "requires improvement"})
    records = build_records("hounslow", [paper, sif, report])
    assert sources(records) == [["s"], ["r", "q"]] and records[1]["framework"] == "ilacs"
    # Grades no stored inspection gives, or a scale none had ('adequate' after 2013): its own.
    adequate = obs("a", "council-paper", "subject", "other", None, {"overall": "adequate"}, dated=False)
    assert sources(build_records("hounslow", [report, adequate])) == [["r"], ["a"]]


# ---------------------------------------------------------------- 2012: a SLAC or a child protection inspection

# Doncaster: SLAC published May 2011 (adequate, adequate); child protection inspection (CPI)
# published November 2012, inadequate. The last SLACs were published until August 2012, the
# first CPIs from June 2012, so "inspected in 2012" alone cannot say which.
def test_a_2012_mention_naming_no_service_is_slac_or_cpi_and_the_words_settle_it() -> None:
    from ofstl.parse.mentions import find_mentions

    def read(text: str) -> list[tuple[str, str, dict[str, str]]]:
        return [(f.framework, f.start, {k: j.grade for k, j in f.judgements.items()}) for f in find_mentions([(1, text)], "sif", "2015-10")]

    assert read("Doncaster's children's services were inspected in 2012 and judged inadequate.") == [("slac-or-cpi", "2012", {"help_and_protection": "inadequate"})]
    assert read("The last inspection of child protection arrangements in 2012 judged them inadequate.") == [("cpi", "2012", {"help_and_protection": "inadequate"})]
    assert read("When last inspected in 2012, services for looked after children were judged adequate.") == [("slac", "2012", {"children_in_care": "adequate"})]
    # June to August 2012: both frameworks published reports.
    assert read("The previous inspection in July 2012 found safeguarding services to be adequate.")[0][0] == "slac-or-cpi"
    # Only one was in force: the calendar decides as before.
    assert read("The previous inspection in March 2012 found safeguarding services to be adequate.")[0][0] == "slac"
    assert read("The previous inspection in November 2012 judged services inadequate.")[0][0] == "cpi"


CPI_2012 = obs("c", "ofsted-report", "subject", "cpi", "2012-10-08", {"help_and_protection": "inadequate"}, end="2012-10-19", published="2012-11-16")
SLAC_2012 = obs("s", "ofsted-report", "subject", "slac", "2012-03-05", {"help_and_protection": "adequate", "children_in_care": "adequate"}, end="2012-03-16")
SAID_IN_2012 = obs("m", "ofsted-report", "mentioned", "slac-or-cpi", "2012", {"help_and_protection": "inadequate"})


def test_a_2012_mention_joins_the_stored_inspection_whose_grades_fit_or_stays_open(tmp_path: Path) -> None:
    for order in ([CPI_2012, SAID_IN_2012], [SAID_IN_2012, CPI_2012]):
        [record] = build_records("doncaster", order)
        assert record["framework"] == "cpi" and sources([record]) == [["c", "m"]]
    # A SLAC of that year whose grades it contradicts is not it; the CPI is.
    records = build_records("doncaster", [SLAC_2012, CPI_2012, SAID_IN_2012])
    assert sorted(sources(records)) == [["c", "m"], ["s"]]
    [alone] = build_records("doncaster", [SAID_IN_2012])
    assert alone["id"] == "doncaster-2012-slac-or-cpi"
    # Every view names it, and a person settles it.
    from ofstl.store import Store
    root = tmp_path / "store"
    Store(root).save("doncaster", [alone])
    assert "SLAC or child protection" in cli("timeline", "doncaster", "--store", str(root)).stdout
    [exported] = json.loads(cli("export", "--store", str(root)).stdout)["inspections"]
    assert (exported["framework"], exported["framework_candidates"]) == ("other", ["slac", "cpi"])
    cli("correct", "doncaster", "2012", "framework", "cpi", "--note", "the 2012 child protection inspection", "--store", str(root))
    view = json.loads(cli("timeline", "doncaster", "--store", str(root), "--format", "json").stdout)
    assert view["inspections"][0]["framework"] == "cpi"


# ---------------------------------------------------------------- 2013: a CPI, a LAC inspection or a SIF

# Kent: child protection inspection published 15 January 2013 and targeted looked after children
# inspection on site 15-19 July 2013 (published 23 August), both adequate. In 2013 those two
# and, from November, the SIF were all in force: "judged adequate in 2013" is a CPI or a LAC
# inspection (a SIF never said adequate), "judged to require improvement in 2013" a SIF.
KENT_CPI = obs("c", "ofsted-report", "subject", "cpi", None, {"help_and_protection": "adequate"}, published="2013-01-15")
KENT_LAC = obs("l", "ofsted-report", "subject", "lac", "2013-07-15", {"children_in_care": "adequate"}, end="2013-07-19", published="2013-08-23")
SAID_IN_2013 = obs("m", "news", "mentioned", "cpi-or-lac", "2013", {"overall": "adequate"})


def test_a_2013_mention_naming_no_service_is_left_open_between_the_frameworks_of_2013() -> None:
    from ofstl.parse.mentions import find_mentions

    def read(text: str) -> list[tuple[str, str, dict[str, str]]]:
        return [(f.framework, f.start, {k: j.grade for k, j in f.judgements.items()}) for f in find_mentions([(1, text)], "sif", "2017-03")]

    assert read("Kent's children's services were inspected in 2013 and judged adequate.") == [("cpi-or-lac", "2013", {"overall": "adequate"})]
    assert read("Kent's children's services were inspected in 2013 and judged inadequate.") == [("cpi-or-lac-or-sif", "2013", {"overall": "inadequate"})]
    assert read("Kent's children's services were inspected in 2013 and judged to require improvement.") == [("sif", "2013", {"overall": "requires improvement"})]
    assert read("The last inspection of child protection arrangements in 2013 judged them adequate.") == [("cpi", "2013", {"help_and_protection": "adequate"})]


def test_a_2013_mention_joins_the_stored_inspection_it_could_be_as_that_inspection_s_own_judgement(tmp_path: Path) -> None:
    for stored, key in ((KENT_CPI, "help_and_protection"), (KENT_LAC, "children_in_care")):
        for order in ([stored, SAID_IN_2013], [SAID_IN_2013, stored]):
            [record] = build_records("kent", order)
            assert record["framework"] == stored["framework"] and sources([record]) == [[stored["sha256"][0], "m"]]
            assert set(record["judgements"]) == {key}  # the whole inspection's grade is that framework's own: no 'overall'
            assert all(set(s["judgements"]) == {key} for s in record["sources"])
    # Both of that year, both adequate: either could be it, so neither is.
    assert sorted(sources(build_records("kent", [KENT_CPI, KENT_LAC, SAID_IN_2013]))) == [["c"], ["l"], ["m"]]
    # Alone it stays open in every view and in export, until a person settles it.
    [alone] = build_records("kent", [SAID_IN_2013])
    assert alone["id"] == "kent-2013-cpi-or-lac"
    from ofstl.store import Store
    root = tmp_path / "store"
    Store(root).save("kent", [alone])
    assert "Child protection or looked after children" in cli("show", "kent", "kent-2013-cpi-or-lac", "--store", str(root)).stdout
    [exported] = json.loads(cli("export", "--store", str(root)).stdout)["inspections"]
    assert (exported["framework"], exported["framework_candidates"], exported["judgements"]["overall"]) == ("other", ["cpi", "lac"], "adequate")
    cli("correct", "kent", "2013", "framework", "lac", "--note", "the July 2013 looked after children inspection", "--store", str(root))
    [view] = json.loads(cli("timeline", "kent", "--store", str(root), "--format", "json").stdout)["inspections"]
    assert view["framework"] == "lac" and {k: v for k, v in view["judgements"].items() if v} == {"children_in_care": "adequate"}


def test_a_2013_mention_open_to_the_sif_joins_the_one_whose_grade_it_repeats() -> None:
    # A council's CPI in March 2013 (adequate) and its SIF from 25 November 2013 (inadequate):
    # "judged inadequate in 2013" could be any of the three frameworks; only the SIF fits.
    sif = obs("s", "ofsted-report", "subject", "sif", "2013-11-25", {"overall": "inadequate"}, end="2013-12-18")
    cpi = obs("c", "ofsted-report", "subject", "cpi", "2013-03-04", {"help_and_protection": "adequate"}, end="2013-03-15")
    said = obs("m", "news", "mentioned", "cpi-or-lac-or-sif", "2013", {"overall": "inadequate"})
    assert sorted(sources(build_records("x", [sif, cpi, said]))) == [["c"], ["s", "m"]]
    said_adequate = obs("m", "news", "mentioned", "cpi-or-lac", "2013", {"overall": "adequate"})
    assert sorted(sources(build_records("x", [sif, cpi, said_adequate]))) == [["c", "m"], ["s"]]


# ---------------------------------------------------------------- Ofsted's publication, as a story states it

# Doncaster's ILACS: on site 21 February - 4 March 2022, report published 8 April 2022 (requires improvement).
PAPER_STATING_PUBLICATION = """Cabinet

Published: 27 April 2022

Report of the Director of Children's Services

Ofsted inspection of Doncaster's children's services

Purpose of the report

Ofsted published its report on 8 April 2022. Doncaster Council's children's services were judged to require improvement to be good overall.

Recommendations

Cabinet is asked to note the findings of the inspection.
"""
STORY_STATING_PUBLICATION = """Doncaster children's services require improvement, says Ofsted

Published: 12 April 2022

Doncaster Council's children's services have been rated as requiring improvement by Ofsted. The report, published on 8 April, said leaders know their services well.

A council spokesperson said: "We will build on what inspectors found."
"""


@pytest.mark.parametrize("text", [PAPER_STATING_PUBLICATION, STORY_STATING_PUBLICATION], ids=["paper", "story"])
def test_a_story_stating_when_ofsted_published_the_report_dates_its_publication(tmp_path: Path, text: str) -> None:
    root, _ = store_of(tmp_path, text)
    [exported] = json.loads(cli("export", "--store", root).stdout)["inspections"]
    # Ofsted's date, as the document states it; the document's own date never is.
    assert exported["published"] == "2022-04-08" and exported["id"] == "doncaster-2022-04-ilacs"
    # The report itself, stored later, wins.
    report = obs("r", "ofsted-report", "subject", "ilacs", "2022-02-21", {"overall": "requires improvement"}, end="2022-03-04", published="2022-04-09")
    stated = obs("p", "news", "subject", "ilacs", None, {"overall": "requires improvement"}, published="2022-04-12", dated=False, report_published="2022-04-08")
    [record] = build_records("doncaster", [stated, report])
    assert record["published"] == "2022-04-09" and sources([record]) == [["r", "p"]]
    [record] = build_records("doncaster", [stated])
    assert record["published"] == "2022-04-08" and "reported" not in record


@pytest.mark.parametrize("sentence", [
    "The council published its response on 8 April 2022.",          # the council's date, not Ofsted's
    "This report was published on 8 April 2022.",                    # the paper's own
    "Ofsted published its annual report on 8 April 2022.",           # another report
])
def test_no_ofsted_publication_from_these(sentence: str) -> None:
    from ofstl.parse.secondary import ofsted_publication

    assert ofsted_publication(sentence, "2022-04-27") is None


# ---------------------------------------------------------------- which council: the inspection's date, not the story's

# Bournemouth's ILACS (July 2018, published 24 August 2018, requires improvement); on 1 April
# 2019 Bournemouth, Poole and Christchurch became BCP Council. A story of April 2019 looking
# back at that report is about Bournemouth Borough Council's inspection, not BCP's.
STORY_AFTER_THE_MERGER = """Bournemouth's last children's services report

Published: 10 April 2019

Bournemouth's children's services were rated as requiring improvement by Ofsted. The report on Bournemouth's services, published on 24 August 2018, said that leaders had a clear plan.

A spokesperson for the new council said: "We are bringing the three services together."
"""


def test_a_story_after_a_reorganisation_goes_to_the_council_inspected(tmp_path: Path) -> None:
    doc = parsed(STORY_AFTER_THE_MERGER)
    [subject] = [f for f in doc.inspections if f.role == "subject"]
    assert doc.authority == "bournemouth" and subject.report_published == "2018-08-24"
    # Ofsted's date places the framework too: reports of August 2018 were SIF re-inspections' or ILACS'.
    assert subject.framework == "sif-or-ilacs"
    root, _ = store_of(tmp_path, STORY_AFTER_THE_MERGER)
    [exported] = json.loads(cli("export", "--store", root).stdout)["inspections"]
    assert (exported["authority"], exported["published"]) == ("bournemouth", "2018-08-24")


def test_a_re_inspection_mentioned_is_a_sif_re_inspection_even_in_2018() -> None:
    from ofstl.parse.mentions import find_mentions

    [found] = find_mentions([(1, "The previous re-inspection in March 2018 judged services to require improvement.")], "ilacs", "2019-06-10")
    assert (found.framework, found.type, found.start) == ("sif", "reinspection", "2018-03")
    [found] = find_mentions([(1, "The last inspection in March 2018 judged services to require improvement.")], "ilacs", "2019-06-10")
    assert (found.framework, found.type) == ("sif-or-ilacs", None)


# ---------------------------------------------------------------- a season, when one framework inspected twice that year

# Monitoring visits to a council judged inadequate come months apart: two in one year. A later
# report's "the monitoring visit in autumn 2019" is stored by its year, the months it may mean kept.
MAY_VISIT = obs("a", "ofsted-letter", "subject", "monitoring-visit", "2019-05-14", end="2019-05-15", published="2019-06-11")
NOVEMBER_VISIT = obs("b", "ofsted-letter", "subject", "monitoring-visit", "2019-11-19", end="2019-11-20", published="2019-12-17")


def season_said(season: str) -> dict[str, Any]:
    from ofstl.parse.mentions import find_mentions
    [said] = find_mentions([(1, f"At the previous monitoring visit in {season} 2019, inspectors found that plans lacked detail.")], "ilacs", "2021-03-01")
    return obs("m", "ofsted-report", "mentioned", said.framework, said.start, start_within=said.start_within)


def test_a_season_keeps_the_months_it_may_mean() -> None:
    from ofstl.parse.mentions import find_mentions
    said = season_said("autumn")
    assert (said["framework"], said["start"], said["start_within"]) == ("monitoring-visit", "2019", "2019-09/2019-12")
    # In one document, "March 2019" and "autumn 2019" are two visits, not one.
    text = "The previous monitoring visit in March 2019 found weak plans. The last monitoring visit in autumn 2019 found plans had improved."
    assert [f.start for f in find_mentions([(1, text)], "ilacs", "2021-03-01")] == ["2019", "2019-03"]


@pytest.mark.parametrize("season, joins", [("autumn", "b"), ("spring", "a"), ("summer", "a")])
def test_a_season_joins_the_inspection_of_that_season_not_the_one_nearest_mid_year(season: str, joins: str) -> None:
    records = build_records("example", [MAY_VISIT, NOVEMBER_VISIT, season_said(season)])
    assert sorted(sources(records)) == sorted([[joins, "m"], [{"a": "b", "b": "a"}[joins]]])


def test_a_season_neither_inspection_falls_in_stays_its_own() -> None:
    february = obs("a", "ofsted-letter", "subject", "monitoring-visit", "2019-02-12", end="2019-02-13", published="2019-03-08")
    records = build_records("example", [february, NOVEMBER_VISIT, season_said("summer")])
    assert sorted(sources(records)) == [["a"], ["b"], ["m"]]
    # One visit that year: the season does not part them (a mention may date the publication loosely).
    [one] = build_records("example", [february, season_said("summer")])
    assert sources([one]) == [["a", "m"]]
