"""Several documents about one inspection, as people collect them (Ofsted's report or letter,
the council's paper, a press release, news stories, later reports that mention it), merged
into one record: the right sources together, the right one winning each field, nothing lost."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from ofstl.cli import app
from ofstl.parse.secondary import secondary_readings
from ofstl.records import build_records
from tests.test_records import obs  # one way to write an observation, shared with the records tests

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
ENV = {"COLUMNS": "100", "NO_COLOR": "1"}


def cli(*args: str, code: int = 0) -> Any:
    result = CliRunner().invoke(app, list(args), env=ENV)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    return result


# Two monitoring visits eight weeks apart, and a news story dated only by its own publication,
# three days after the second visit's letter (and 93 days after the first visit ended).
FIRST_VISIT = obs("a", "ofsted-letter", "subject", "monitoring-visit", "2021-05-25", end="2021-05-26", published="2021-06-29", visit_number=1)
SECOND_VISIT = obs("b", "ofsted-letter", "subject", "monitoring-visit", "2021-07-20", end="2021-07-21", published="2021-08-24", visit_number=2)
STORY = obs("c", "news", "subject", "monitoring-visit", None, published="2021-08-27", dated=False, visit_number=2)


def test_a_story_joins_the_visit_it_reports_not_an_earlier_one_in_reach() -> None:
    for order in ([FIRST_VISIT, SECOND_VISIT, STORY], [STORY, SECOND_VISIT, FIRST_VISIT]):
        records = build_records("hounslow", order)
        assert [[s["sha256"][0] for s in r["sources"]] for r in records] == [["a"], ["b", "c"]]


# An ILACS report (which never prints its publication date), the council's press release and a
# news story, each dated only by its own publication weeks later.
REPORT = obs("r", "ofsted-report", "subject", "ilacs", "2018-10-01", {"overall": "good"}, end="2018-10-12")
PRESS = obs("p", "news", "subject", "ilacs", None, {"overall": "good"}, published="2018-12-14", dated=False)
PAPER = obs("q", "council-paper", "subject", "ilacs", None, {"overall": "good"}, published="2019-01-15", dated=False)


def test_a_storys_own_date_is_not_the_reports_publication() -> None:
    [record] = build_records("hounslow", [REPORT, PRESS, PAPER])
    assert len(record["sources"]) == 3
    assert record["published"] is None  # not stated by any document about the report's publication


def test_a_story_alone_is_still_placed_by_its_date() -> None:
    [record] = build_records("hounslow", [PRESS])
    # placed by the press release's own date, which is not Ofsted's publication (test_ambiguous_documents)
    assert record["reported"] == "2018-12-14" and record["id"] == "hounslow-2018-12-ilacs"


def test_an_undated_story_that_fits_two_inspections_joins_neither() -> None:
    earlier = obs("a", "ofsted-report", "subject", "ilacs", "2018-04-16", {"overall": "good", "leadership": "good"})
    later = obs("b", "ofsted-report", "subject", "ilacs", "2022-04-04", {"overall": "good", "leadership": "good"})
    story = obs("n", "news", "subject", "ilacs", None, {"overall": "good"}, dated=False)
    records = build_records("x", [earlier, later, story])
    assert [[s["sha256"][0] for s in r["sources"]] for r in records] == [["a"], ["b"], ["n"]]
    # The grades it gives tell which one it is about: it joins that one.
    later["judgements"]["leadership"]["grade"] = "outstanding"
    story["judgements"]["leadership"] = dict(later["judgements"]["leadership"])
    records = build_records("x", [story, earlier, later])
    assert [[s["sha256"][0] for s in r["sources"]] for r in records] == [["a"], ["b", "n"]]


def test_a_headline_grade_for_one_judgement_is_not_the_overall() -> None:
    text = ("Hounslow children's services rated outstanding for leadership\n\n"
            "Hounslow Council's children's services have been rated good by Ofsted.")
    assert [(r.key, r.grade) for r in secondary_readings(text, None, "hounslow")] == [("overall", "good")]
    assert [(r.key, r.grade) for r in secondary_readings("Hounslow children's services rated good for the first time.", None, "hounslow")] == [("overall", "good")]


# The bundle a person collects about Hounslow's 2018 ILACS (team-written; the grades follow the
# public record): Ofsted's report, the same report saved again under another name, the
# council's press release, a local news story and the cabinet paper months later, which gives
# the impact of leaders as outstanding where the report says good.
BUNDLE = {
    "press-release.txt": """Hounslow Council press release

Published: 14 December 2018

Ofsted rates Hounslow children's services good

Hounslow Council's children's services have been judged good overall by Ofsted following an
inspection of local authority children's services in October 2018.

Inspectors rated the impact of leaders good, and the experiences and progress of children in care
and care leavers good. The cabinet member for children said the council was proud of its staff.
""",
    "courier-story.txt": """West London Courier

Published: 3 January 2019

Hounslow children's services rated outstanding for leadership

Hounslow Council's children's services have been rated good by Ofsted, after an inspection of
local authority children's services.

A council spokesperson said: "We are proud of our social workers and we know what we must improve."
""",
    "cabinet-2019-03.txt": """LONDON BOROUGH OF HOUNSLOW

Cabinet - 19 March 2019

OFSTED INSPECTION OF LOCAL AUTHORITY CHILDREN'S SERVICES: OUTCOME

Cabinet Member(s)          Cabinet Member for Children and Young People

Officer Contact(s)         Director of Children's Services

1. HEADLINE INFORMATION

Summary

Ofsted inspected the council's children's services between 1 and 12 October 2018 under the
framework for the inspection of local authority children's services (ILACS). The overall
effectiveness of services was judged 'good'. The impact of leaders was judged 'outstanding',
the experiences and progress of children in care and care leavers 'good', and the experiences
and progress of children who need help and protection 'requires improvement to be good'.

2. RECOMMENDATIONS

That Cabinet notes the findings of the inspection and the action plan at Appendix 1.

Reasons for recommendation

The council must publish its response to the inspection.

Financial implications

None arising directly from this report.
""",
}


def bundle(folder: Path) -> Path:
    folder.mkdir()
    shutil.copy(SAMPLES / "hounslow_2018-10_ilacs.pdf", folder / "hounslow_2018-10_ilacs.pdf")
    shutil.copy(SAMPLES / "hounslow_2018-10_ilacs.pdf", folder / "Downloads (2).pdf")
    for name, text in BUNDLE.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def shown(root: Path) -> dict[str, Any]:
    return json.loads(cli("show", "hounslow", "2018", "--store", str(root), "--format", "json").stdout)


def test_a_bundle_in_any_order_is_one_record_the_report_winning(tmp_path: Path) -> None:
    docs = bundle(tmp_path / "docs")
    whole = tmp_path / "whole"
    cli("ingest", str(docs), "--store", str(whole), "-j", "1")
    piecemeal = tmp_path / "piecemeal"
    for name in ["courier-story.txt", "cabinet-2019-03.txt", "Downloads (2).pdf", "press-release.txt", "hounslow_2018-10_ilacs.pdf"]:
        cli("ingest", str(docs / name), "--store", str(piecemeal), "-j", "1")
    records = [shown(root) for root in (whole, piecemeal)]
    for record in records:
        for source in record["sources"]:
            source.pop("path")
    assert records[0] == records[1]
    record = records[0]
    assert [s["kind"] for s in record["sources"] if s["role"] == "subject"] == ["ofsted-report", "council-paper", "news", "news"]
    listed = json.loads(cli("timeline", "hounslow", "--store", str(whole), "--format", "json").stdout)
    assert [i["id"] for i in listed["inspections"] if i["id"].startswith("hounslow-2018")] == ["hounslow-2018-10-ilacs"]
    assert {k: j["grade"] for k, j in record["judgements"].items()} == {
        "overall": "good", "leadership": "good", "help_and_protection": "requires improvement", "children_in_care": "good"}
    assert record["published"] is None  # the stories' own dates are not the report's
    # The one real disagreement (the cabinet paper's outstanding leaders) is kept and shown.
    assert [d["field"] for d in record["disagreements"]] == ["judgements.leadership"]
    table = cli("show", "hounslow", "2018", "--store", str(whole)).stdout
    assert "judgements.leadership: good (ofsted-report" in table and "outstanding (council-paper" in table


def test_a_correction_beats_the_bundle_through_rebuild_and_reread(tmp_path: Path) -> None:
    docs = bundle(tmp_path / "docs")
    root = tmp_path / "store"
    cli("ingest", str(docs), "--store", str(root), "-j", "1")
    cli("correct", "hounslow", "2018", "leadership", "outstanding", "--note", "the council's letter from Ofsted", "--store", str(root))
    before = shown(root)
    assert before["judgements"]["leadership"]["grade"] == "outstanding"
    cli("ingest", "--rebuild", "hounslow", "--store", str(root))
    assert shown(root) == before
    cli("ingest", str(docs), "--reread", "--store", str(root), "-j", "1")
    after = shown(root)
    assert after == before and len(after["sources"]) == 4


def test_a_story_naming_the_visit_in_its_first_lines_is_news_not_ofsteds_letter() -> None:
    from ofstl.parse.frameworks import detect_framework, detect_kind

    story = """West London Courier

Published: 27 August 2021

Ofsted sees progress in Hounslow children's services

Ofsted's second monitoring visit to Hounslow Council's children's services, which were judged
inadequate in 2020, found that leaders are making progress.

A council spokesperson said that staff had worked hard.
"""
    framework, _, offset = detect_framework(story)
    assert framework == "monitoring-visit" and detect_kind(story, framework, offset) == "news"
    # Ofsted's own report, titled so and dated "Published:", stays Ofsted's.
    report = "# Inspection of safeguarding and looked after children services\n## London Borough of Hounslow\nPublished: 6 November 2009\n"
    framework, _, offset = detect_framework(report)
    assert detect_kind(report, framework, offset) == "ofsted-report"


def test_a_paper_written_months_later_joins_the_inspection_whose_grades_it_repeats() -> None:
    report = obs("r", "ofsted-report", "subject", "ilacs", "2018-10-01", {"overall": "good", "leadership": "good"}, end="2018-10-12")
    paper = obs("q", "council-paper", "subject", "ilacs", None, {"overall": "good", "leadership": "good"}, published="2019-03-11", dated=False)
    for order in ([report, paper], [paper, report]):
        [record] = build_records("hounslow", order)
        assert [s["sha256"][0] for s in record["sources"]] == ["r", "q"] and record["published"] is None
    # One that gives other grades, or is written years later, is about another inspection.
    other = obs("o", "council-paper", "subject", "ilacs", None, {"overall": "outstanding"}, published="2019-03-11", dated=False)
    years_later = obs("y", "news", "subject", "ilacs", None, {"overall": "good"}, published="2022-06-01", dated=False)
    assert [[s["sha256"][0] for s in r["sources"]] for r in build_records("hounslow", [report, other, years_later])] == [["r"], ["o"], ["y"]]


def test_a_paper_written_months_later_is_one_record_through_the_cli(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SAMPLES / "hounslow_2018-10_ilacs.pdf", docs / "report.pdf")
    paper = BUNDLE["cabinet-2019-03.txt"].replace("between 1 and 12 October 2018 ", "").replace("'outstanding'", "'good'")
    (docs / "cabinet.txt").write_text(paper.replace("Cabinet - 19 March 2019", "Cabinet - 19 March 2019\n\nPublished: 11 March 2019"), encoding="utf-8")
    root = tmp_path / "store"
    cli("ingest", str(docs), "--store", str(root), "-j", "1")
    listed = json.loads(cli("timeline", "hounslow", "--store", str(root), "--format", "json").stdout)
    assert [i["id"] for i in listed["inspections"] if i["framework"] == "ilacs"] == ["hounslow-2018-10-ilacs"]


def test_a_later_paper_that_misreports_one_grade_joins_and_the_disagreement_shows() -> None:
    report = obs("r", "ofsted-report", "subject", "ilacs", "2018-10-01",
                 {"overall": "good", "leadership": "good", "children_in_care": "good"}, end="2018-10-12")
    paper = obs("q", "council-paper", "subject", "ilacs", None,
                {"overall": "good", "leadership": "outstanding", "children_in_care": "good"}, published="2019-03-11", dated=False)
    [record] = build_records("hounslow", [report, paper])
    assert record["judgements"]["leadership"]["grade"] == "good"
    [disagreement] = record["disagreements"]
    assert [(r["value"], r["kind"]) for r in disagreement["readings"]] == [("good", "ofsted-report"), ("outstanding", "council-paper")]
    # Another overall grade is another inspection.
    paper["judgements"]["overall"]["grade"] = "outstanding"
    assert len(build_records("hounslow", [report, paper])) == 2
