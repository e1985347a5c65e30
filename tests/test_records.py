"""One inspection, one record: clustering and merging observations from several documents."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ofstl.records import build_records, observations_of


def obs(sha: str, kind: str, role: str, framework: str, start: str | None, judgements: dict[str, str] | None = None, **extra):
    data = {
        "path": f"{sha}.txt", "sha256": sha * 64, "kind": kind, "role": role, "framework": framework, "type": None,
        "start": start, "end": extra.pop("end", None), "published": extra.pop("published", None), "dated": start is not None,
        "judgements": {k: {"grade": g, "printed": g, "label": k, "page": 1, "method": "table"} for k, g in (judgements or {}).items()},
        "weaknesses": extra.pop("weaknesses", []), "strengths": [],
    }
    data.update(extra)
    return data


REPORT = obs("a", "ofsted-report", "subject", "ilacs", "2018-04-16", {"overall": "good", "leadership": "outstanding"}, end="2018-04-27",
             weaknesses=[{"text": "Return home interviews.", "themes": []}])
NEWS = obs("b", "news", "subject", "ilacs", None, {"overall": "good", "leadership": "outstanding"}, dated=False,
           weaknesses=[{"text": "interviews for missing children", "themes": []}])
PAPER = obs("c", "council-paper", "subject", "ilacs", "2018-04-16", {"overall": "good", "leadership": "good"})
MENTION = obs("d", "ofsted-report", "mentioned", "ilacs", "2018", {"overall": "good"})
OLD_MENTION = obs("d", "ofsted-report", "mentioned", "slac", "2009-12", {"children_in_care": "good"})
OTHER_NEWS = obs("e", "news", "subject", "ilacs", None, {"overall": "inadequate"}, dated=False)


def test_report_news_paper_and_mention_are_one_inspection() -> None:
    records = build_records("hillingdon", [NEWS, PAPER, MENTION, REPORT, OLD_MENTION])
    assert [r["id"] for r in records] == ["hillingdon-2009-12-slac", "hillingdon-2018-04-ilacs"]
    record = records[1]
    assert [s["kind"] for s in record["sources"]] == ["ofsted-report", "council-paper", "news", "ofsted-report"]
    assert record["role"] == "subject" and record["start"] == "2018-04-16" and record["end"] == "2018-04-27"
    # The Ofsted report wins, and the council paper's different grade is kept and shown.
    assert record["judgements"]["leadership"]["grade"] == "outstanding"
    [disagreement] = record["disagreements"]
    assert disagreement["field"] == "judgements.leadership"
    assert [(r["value"], r["kind"]) for r in disagreement["readings"]] == [("outstanding", "ofsted-report"), ("good", "council-paper"), ("outstanding", "news")]
    assert [w["text"] for w in record["weaknesses"]] == ["Return home interviews."]
    assert records[0]["role"] == "mentioned"


def test_undated_article_with_other_grades_is_not_merged() -> None:
    records = build_records("x", [REPORT, OTHER_NEWS])
    assert len(records) == 2 and records[1]["id"] == "x-undated-ilacs"


def test_store_round_trip_is_lossless() -> None:
    records = build_records("hillingdon", [NEWS, PAPER, MENTION, REPORT, OLD_MENTION])
    rebuilt = [o for r in records for o in observations_of(r)]
    assert build_records("hillingdon", rebuilt) == records
    news = next(o for o in rebuilt if o["kind"] == "news")
    assert news["weaknesses"] == NEWS["weaknesses"]


@settings(max_examples=40, deadline=None)
@given(st.permutations([NEWS, PAPER, MENTION, REPORT, OLD_MENTION, OTHER_NEWS]))
def test_order_of_ingest_does_not_matter(order: list[dict]) -> None:
    assert build_records("h", list(order)) == build_records("h", [REPORT, PAPER, NEWS, MENTION, OLD_MENTION, OTHER_NEWS])


def test_different_frameworks_in_the_same_month_stay_apart() -> None:
    visit = obs("f", "ofsted-letter", "subject", "focused-visit", "2018-04-10", end="2018-04-11")
    assert len(build_records("h", [REPORT, visit])) == 2


def test_a_document_speaking_twice_of_one_inspection_is_one_source() -> None:
    twice = [obs("g", "ofsted-report", "mentioned", "sif", "2013", {"overall": "requires improvement"}),
             obs("g", "ofsted-report", "mentioned", "sif", "2013-11", {"adoption": "good"})]
    subject = obs("h", "ofsted-report", "subject", "sif", "2013-11-25", {"overall": "requires improvement"}, end="2013-12-18")
    for order in ([*twice, subject], [subject, *twice], [twice[1], subject, twice[0]]):
        [record] = build_records("h", order)
        assert [s["sha256"][0] for s in record["sources"]] == ["h", "g"]
        assert record["start"] == "2013-11-25" and "disagreements" not in record


def test_a_mention_merges_by_year_or_month_in_any_order() -> None:
    subject = obs("h", "ofsted-report", "subject", "slac", "2009-12-07", {"children_in_care": "good", "help_and_protection": "good"})
    by_year = obs("i", "ofsted-report", "mentioned", "slac", "2009", {"children_in_care": "good"})
    by_month = obs("j", "ofsted-report", "mentioned", "slac", "2010-01", {"help_and_protection": "good"})
    other = obs("k", "ofsted-report", "mentioned", "cpi", "2012-09", {"help_and_protection": "adequate"})
    for order in ([subject, by_year, by_month, other], [other, by_month, by_year, subject], [by_year, other, subject, by_month]):
        records = build_records("h", order)
        assert [(r["framework"], r["start"], len(r["sources"])) for r in records] == [("slac", "2009-12-07", 3), ("cpi", "2012-09", 1)]


def test_two_reports_of_one_inspection_that_disagree_are_kept_as_a_disagreement() -> None:
    first = obs("m", "ofsted-report", "subject", "ilacs", "2019-03-04", {"overall": "good"}, end="2019-03-15",
                weaknesses=[{"text": "Plans for children in need."}])
    second = obs("n", "ofsted-report", "subject", "ilacs", "2019-03-04", {"overall": "requires improvement"}, end="2019-03-14",
                 weaknesses=[{"text": "Supervision of social workers."}])
    [record] = build_records("x", [second, first])
    fields = {d["field"]: [r["value"] for r in d["readings"]] for d in record["disagreements"]}
    assert fields == {"judgements.overall": ["good", "requires improvement"], "end": ["2019-03-15", "2019-03-14"],
                      "weaknesses": [["Plans for children in need."], ["Supervision of social workers."]]}
    assert build_records("x", [first, second]) == [record]
    assert build_records("x", [o for r in [record] for o in observations_of(r)]) == [record]
