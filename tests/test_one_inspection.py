"""Several documents about one inspection, as people collect them (Ofsted's report or letter,
the council's paper, a press release, news stories, later reports that mention it), merged
into one record: the right sources together, the right one winning each field, nothing lost."""

from __future__ import annotations

from ofstl.records import build_records


def obs(sha: str, kind: str, role: str, framework: str, start: str | None, judgements: dict[str, str] | None = None, **extra):
    data = {
        "path": f"{sha}.txt", "sha256": sha * 64, "kind": kind, "role": role, "framework": framework, "type": None,
        "start": start, "end": extra.pop("end", None), "published": extra.pop("published", None), "dated": start is not None,
        "judgements": {k: {"grade": g, "printed": g, "label": k, "page": 1, "method": "table"} for k, g in (judgements or {}).items()},
        "weaknesses": extra.pop("weaknesses", []), "strengths": [],
    }
    data.update(extra)
    return data


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
    assert record["published"] == "2018-12-14" and record["id"] == "hounslow-2018-12-ilacs"


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
