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
    assert record["disagreements"] == [{"judgement": "leadership", "kept": "outstanding", "other": "good", "other_source": "c" * 12, "other_kind": "council-paper"}]
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
