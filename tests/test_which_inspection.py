"""Which inspection a later document means when it dates it loosely: "the 2019 monitoring
visit", "the monitoring visit in June 2019", "in autumn 2019". When the authority had two
inspections of that framework in the period, the words do not say which: the mention joins
one only when exactly one fits, else it is kept as its own record naming the inspections it
could be (``could_be``), and every view says so. Whatever order the documents are ingested
in, the history is the same. The documents are team-written; the visits' pattern (a council
judged inadequate, monitoring visits months apart) follows the public record."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ofstl.parse.mentions import find_mentions
from ofstl.records import build_records, observations_of
from tests.test_one_inspection import cli
from tests.test_records import obs

MAY_VISIT = obs("a", "ofsted-letter", "subject", "monitoring-visit", "2019-05-14", end="2019-05-15", published="2019-06-11")
NOVEMBER_VISIT = obs("b", "ofsted-letter", "subject", "monitoring-visit", "2019-11-19", end="2019-11-20", published="2019-12-17")


def said(sentence: str, subject_framework: str = "ilacs", subject_start: str = "2021-03-01", sha: str = "m", kind: str = "ofsted-report") -> list[dict[str, Any]]:
    """The observations a later document's sentence gives, as ingest stores them."""
    found = find_mentions([(1, sentence)], subject_framework, subject_start)
    return [obs(sha, kind, "mentioned", f.framework, f.start, start_within=f.start_within) if f.start_within else
            obs(sha, kind, "mentioned", f.framework, f.start) for f in found]


def sources(records: list[dict]) -> list[list[str]]:
    return [[s["sha256"][0] for s in r["sources"]] for r in records]


def by_source(records: list[dict], sha: str) -> dict:
    return next(r for r in records if any(s["sha256"][0] == sha for s in r["sources"]))


# ---------------------------------------------------------------- a bare year

def test_a_bare_year_with_two_visits_that_year_joins_neither_and_names_both() -> None:
    [mention] = said("At the previous monitoring visit in 2019, inspectors found that plans for children lacked detail.")
    assert (mention["framework"], mention["start"]) == ("monitoring-visit", "2019")
    for order in ([MAY_VISIT, NOVEMBER_VISIT, mention], [mention, NOVEMBER_VISIT, MAY_VISIT]):
        records = build_records("example", order)
        assert sorted(sources(records)) == [["a"], ["b"], ["m"]]
        held_apart = by_source(records, "m")
        assert held_apart["role"] == "mentioned" and held_apart["start"] == "2019"
        assert held_apart["could_be"] == ["example-2019-05-monitoring-visit", "example-2019-11-monitoring-visit"]
        assert all("could_be" not in r for r in records if r is not held_apart)


def test_a_bare_year_with_one_visit_that_year_joins_it() -> None:
    [mention] = said("At the previous monitoring visit in 2019, inspectors found that plans for children lacked detail.")
    [record] = build_records("example", [NOVEMBER_VISIT, mention])
    assert sources([record]) == [["b", "m"]] and "could_be" not in record


def test_a_bare_year_joins_the_visit_whose_fieldwork_was_that_year_over_one_only_published_then() -> None:
    december = obs("c", "ofsted-letter", "subject", "monitoring-visit", "2018-12-04", end="2018-12-05", published="2019-01-10")
    [mention] = said("At the previous monitoring visit in 2019, inspectors found that plans for children lacked detail.")
    records = build_records("example", [december, NOVEMBER_VISIT, mention])
    assert sorted(sources(records)) == [["b", "m"], ["c"]]


def test_two_documents_saying_the_same_bare_year_are_one_record_that_could_be_either() -> None:
    first = said("At the previous monitoring visit in 2019, inspectors found that plans for children lacked detail.")
    second = said("Since the last monitoring visit in 2019, caseloads have fallen.", sha="n", kind="council-paper")
    records = build_records("example", [MAY_VISIT, NOVEMBER_VISIT, *first, *second])
    assert sorted(sources(records)) == [["a"], ["b"], ["m", "n"]]
    assert by_source(records, "n")["could_be"] == ["example-2019-05-monitoring-visit", "example-2019-11-monitoring-visit"]


def test_a_numbered_visit_still_joins_the_visit_of_its_number() -> None:
    first = dict(MAY_VISIT, visit_number=1)
    second = dict(NOVEMBER_VISIT, visit_number=2)
    mention = obs("m", "ofsted-report", "mentioned", "monitoring-visit", "2019", visit_number=2)
    records = build_records("example", [first, second, mention])
    assert sorted(sources(records)) == [["a"], ["b", "m"]]


# ---------------------------------------------------------------- a month

def test_a_month_with_two_visits_that_month_joins_neither() -> None:
    # A visit cut short by the pandemic and begun again three weeks later: two letters, one month.
    early = obs("a", "ofsted-letter", "subject", "monitoring-visit", "2020-03-03", end="2020-03-04", published="2020-04-02", visit_number=3)
    late = obs("b", "ofsted-letter", "subject", "monitoring-visit", "2020-03-24", end="2020-03-25", published="2020-04-21", visit_number=4)
    [mention] = said("At the monitoring visit in March 2020, inspectors found that return home interviews were not timely.")
    assert mention["start"] == "2020-03"
    for order in ([early, late, mention], [mention, late, early]):
        records = build_records("example", order)
        assert sorted(sources(records)) == [["a"], ["b"], ["m"]]
        assert by_source(records, "m")["could_be"] == ["example-2020-03-monitoring-visit", "example-2020-03-monitoring-visit-2"]


def test_a_month_joins_the_visit_whose_fieldwork_it_names_over_one_published_that_month() -> None:
    first = obs("a", "ofsted-letter", "subject", "monitoring-visit", "2021-05-11", end="2021-05-12", published="2021-06-08", visit_number=5)
    second = obs("b", "ofsted-letter", "subject", "monitoring-visit", "2021-06-22", end="2021-06-23", published="2021-07-20", visit_number=6)
    [mention] = said("At the last monitoring visit in June 2021, inspectors found that plans lacked detail.", subject_start="2022-03-01")
    records = build_records("example", [first, second, mention])
    assert sorted(sources(records)) == [["a"], ["b", "m"]]


def test_a_month_between_two_visits_it_neighbours_joins_neither() -> None:
    # Visits in May and July: "June" is neither's fieldwork month nor either letter's.
    first = obs("a", "ofsted-letter", "subject", "monitoring-visit", "2021-05-25", end="2021-05-26", published="2021-05-28")
    second = obs("b", "ofsted-letter", "subject", "monitoring-visit", "2021-07-06", end="2021-07-07", published="2021-07-30")
    [mention] = said("At the last monitoring visit in June 2021, inspectors found that plans lacked detail.", subject_start="2022-03-01")
    records = build_records("example", [first, second, mention])
    assert sorted(sources(records)) == [["a"], ["b"], ["m"]]
    assert len(by_source(records, "m")["could_be"]) == 2


# ---------------------------------------------------------------- a season

def test_a_season_both_visits_fall_in_says_so() -> None:
    september = obs("a", "ofsted-letter", "subject", "monitoring-visit", "2019-09-10", end="2019-09-11", published="2019-10-08")
    [mention] = said("At the previous monitoring visit in autumn 2019, inspectors found that plans lacked detail.")
    records = build_records("example", [september, NOVEMBER_VISIT, mention])
    assert sorted(sources(records)) == [["a"], ["b"], ["m"]]
    assert by_source(records, "m")["could_be"] == ["example-2019-09-monitoring-visit", "example-2019-11-monitoring-visit"]
    # A season neither falls in: another visit, not a doubt between these two.
    february = obs("c", "ofsted-letter", "subject", "monitoring-visit", "2019-02-12", end="2019-02-13", published="2019-03-08")
    [summer] = said("At the previous monitoring visit in summer 2019, inspectors found that plans lacked detail.")
    records = build_records("example", [february, NOVEMBER_VISIT, summer])
    assert "could_be" not in by_source(records, "m")


# ---------------------------------------------------------------- within one document

def test_a_document_naming_two_visits_and_a_bare_year_keeps_the_year_apart() -> None:
    text = ("At the monitoring visit in May 2019, inspectors found that plans lacked detail. At the monitoring visit in November "
            "2019, they found that caseloads had fallen. Since the monitoring visit in 2019, supervision has been more regular.")
    found = find_mentions([(1, text)], "ilacs", "2021-03-01")
    assert sorted(f.start for f in found) == ["2019", "2019-05", "2019-11"]
    # One visit named: the bare year is that visit (one document speaking of it twice).
    one = "At the monitoring visit in May 2019, inspectors found that plans lacked detail. Since the monitoring visit in 2019, supervision has been more regular."
    assert [f.start for f in find_mentions([(1, one)], "ilacs", "2021-03-01")] == ["2019-05"]


def test_a_bare_year_does_not_join_two_visits_known_only_from_mentions() -> None:
    """Nothing but mentions: a report's "2019", a paper's "March 2019" and a story's "November
    2019" are two visits and a doubt, not one visit that a bare year ties together."""
    year = said("At the previous monitoring visit in 2019, inspectors found that plans lacked detail.")
    march = said("At the monitoring visit in March 2019, inspectors found weak plans.", sha="p", kind="council-paper")
    november = said("At the monitoring visit in November 2019, inspectors found that caseloads had fallen.", sha="q", kind="news")
    records = build_records("example", [*year, *march, *november])
    assert sorted(sources(records)) == [["m"], ["p"], ["q"]]
    assert by_source(records, "m")["could_be"] == ["example-2019-03-monitoring-visit", "example-2019-11-monitoring-visit"]


# ---------------------------------------------------------------- the order of ingest

def test_two_visits_a_month_apart_one_document_names_stay_apart_whatever_came_first() -> None:
    """A report naming the May and the June visit, stored before the letters and rebuilt from
    what the store keeps, gives what it gives stored after them."""
    first = obs("a", "ofsted-letter", "subject", "monitoring-visit", "2021-05-11", end="2021-05-12", published="2021-06-08", visit_number=5)
    second = obs("b", "ofsted-letter", "subject", "monitoring-visit", "2021-06-22", end="2021-06-23", published="2021-07-20", visit_number=6)
    mentions = said("At the monitoring visit in May 2021, inspectors found weak plans. At the monitoring visit in June 2021, they found "
                    "that caseloads had fallen.", subject_start="2022-03-01")
    assert [m["start"] for m in mentions] == ["2021-05", "2021-06"]
    stored_first = [o for r in build_records("example", mentions) for o in observations_of(r)]
    assert len(stored_first) == 2  # the report's two visits, two observations
    letters_first = build_records("example", [first, second, *mentions])
    assert build_records("example", [*stored_first, first, second]) == letters_first
    assert sorted(sources(letters_first)) == [["a", "m"], ["b", "m"]]


LETTER = """Ofsted
Piccadilly Gate
Store Street
Manchester
M1 2WD

{published}

Director of Children's Services
Tameside Metropolitan Borough Council

Dear Director

Monitoring visit to Tameside children's services

This letter summarises the findings of the {nth} monitoring visit to Tameside children's services since the local authority was judged inadequate in December 2016. The visit was carried out on {days}.

Areas covered by the visit

Inspectors reviewed the progress made in the quality of planning for children in need of help and protection.

Overall, progress has been made, but plans for children are not yet consistently specific about what must change.

Yours sincerely

Jane Smith
His Majesty's Inspector
"""

PAPER = """Tameside Metropolitan Borough Council

Report to: Children's Scrutiny Panel
Date: 14 January 2021

Subject: Improvement in children's services

1. Purpose

1.1 This report updates the panel on the improvement of children's services since Ofsted judged them inadequate in December 2016.

2. Background

2.1 At the last monitoring visit in 2019, inspectors found that plans for children in need of help and protection still lacked detail, and the service has since strengthened management oversight.
"""


def _documents(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    docs = {
        "may": LETTER.format(published="11 June 2019", nth="fourth", days="14 and 15 May 2019"),
        "november": LETTER.format(published="17 December 2019", nth="fifth", days="19 and 20 November 2019"),
        "paper": PAPER,
    }
    paths = {}
    for name, text in docs.items():
        paths[name] = folder / f"{name}.txt"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def _history(store: str) -> list[dict]:
    exported = json.loads(cli("export", "--store", store).stdout)["inspections"]
    return [{k: v for k, v in r.items() if k != "sources"} | {"sources": sorted(s["sha256"] for s in r["sources"])} for r in exported]


@pytest.mark.parametrize("order", [("paper", "may", "november"), ("may", "november", "paper"), ("november", "paper", "may")])
def test_the_history_is_the_same_whatever_order_the_documents_are_ingested(tmp_path: Path, order: tuple[str, ...]) -> None:
    paths = _documents(tmp_path / "docs")
    together = str(tmp_path / "together")
    cli("ingest", str(tmp_path / "docs"), "--store", together, "-j", "1")
    one_by_one = str(tmp_path / "one-by-one")
    for name in order:
        cli("ingest", str(paths[name]), "--store", one_by_one, "-j", "1")
    assert _history(one_by_one) == _history(together)
    records = _history(together)
    assert [(r["framework"], r["start"], r["role"]) for r in records] == [
        ("sif", "2016-12", "mentioned"), ("monitoring-visit", "2019", "mentioned"), ("monitoring-visit", "2019-05-14", "subject"),
        ("monitoring-visit", "2019-11-19", "subject")]
    assert records[1]["could_be"] == ["tameside-2019-05-monitoring-visit", "tameside-2019-11-monitoring-visit"]


def test_the_views_say_which_inspections_a_mention_could_be(tmp_path: Path) -> None:
    _documents(tmp_path / "docs")
    store = str(tmp_path / "store")
    cli("ingest", str(tmp_path / "docs"), "--store", store, "-j", "1")
    timeline = cli("timeline", "tameside", "--store", store).stdout
    assert "could be 2019-05-14 or 2019-11-19" in " ".join(timeline.split())
    [event] = [e for e in json.loads(cli("timeline", "tameside", "--store", store, "--format", "json").stdout)["inspections"] if e["framework"] == "monitoring-visit" and e["role"] == "mentioned"]
    assert event["could_be"] == ["tameside-2019-05-monitoring-visit", "tameside-2019-11-monitoring-visit"]
    shown = " ".join(cli("show", "tameside", "tameside-2019-monitoring-visit", "--store", store).stdout.split())
    assert "could be tameside-2019-05-monitoring-visit or tameside-2019-11-monitoring-visit" in shown
    csv_text = cli("export", "--store", store, "--format", "csv").stdout.splitlines()
    header = csv_text[0].split(",")
    row = next(line.split(",") for line in csv_text[1:] if line.startswith("tameside-2019-monitoring-visit,"))
    assert row[header.index("could_be")] == "tameside-2019-05-monitoring-visit|tameside-2019-11-monitoring-visit"


def test_a_correction_survives_a_reread_that_holds_a_mention_apart(tmp_path: Path) -> None:
    """A person corrected the May visit's date; the paper read again still leaves the May
    visit corrected and the bare year apart."""
    paths = _documents(tmp_path / "docs")
    store = str(tmp_path / "store")
    cli("ingest", str(tmp_path / "docs"), "--store", store, "-j", "1")
    cli("correct", "tameside", "tameside-2019-05-monitoring-visit", "published", "2019-06-12", "--note", "the letter's date is a day out", "--store", store)
    cli("ingest", str(paths["paper"]), "--store", store, "-j", "1", "--reread")
    records = _history(store)
    may = next(r for r in records if r["id"] == "tameside-2019-05-monitoring-visit")
    assert may["published"] == "2019-06-12" and len(may["sources"]) == 1
    assert next(r for r in records if r["id"] == "tameside-2019-monitoring-visit")["could_be"]


def test_a_mention_held_apart_is_not_counted_as_another_visit_or_inspection() -> None:
    """``due`` counts the monitoring visits since the last full inspection: a mention that
    could be either of two is one of them, not a third."""
    from ofstl.cycle import load_rules, standing

    ilacs = obs("r", "ofsted-report", "subject", "ilacs", "2018-10-01", {"overall": "inadequate"}, end="2018-10-12")
    [mention] = said("At the previous monitoring visit in 2019, inspectors found that plans for children lacked detail.")
    records = build_records("example", [ilacs, MAY_VISIT, NOVEMBER_VISIT, mention])
    assert any(r.get("could_be") for r in records)
    row = standing("tameside", records, "2020-06-01", load_rules())
    assert row["monitoring_visits"] == 2
    assert [v["id"] for v in row["visits_since"]] == ["example-2019-05-monitoring-visit", "example-2019-11-monitoring-visit"]


def test_a_mention_held_apart_does_not_make_a_theme_recur() -> None:
    """What a later document says one of two visits raised is that visit's: a theme the May
    visit raised and the mention repeats is raised by one inspection, not two."""
    from ofstl.views import recurrence

    plans = {"text": "Plans for children in need are not specific about what must change.", "page": 2}
    may = dict(MAY_VISIT, weaknesses=[plans])
    mention = obs("m", "ofsted-report", "mentioned", "monitoring-visit", "2019", weaknesses=[plans])
    records = build_records("example", [may, NOVEMBER_VISIT, mention])
    assert any(r.get("could_be") for r in records)
    themes = recurrence(records)
    assert themes and all(t["inspections"] == ["example-2019-05-monitoring-visit"] and not t["recurring"] for t in themes)
    from ofstl.views import national_themes

    across = national_themes([{"authority": "example", "inspections": records}])
    assert across["inspections"] == 1


def test_the_report_pages_say_which_inspections_a_mention_could_be(tmp_path: Path) -> None:
    _documents(tmp_path / "docs")
    store = str(tmp_path / "store")
    cli("ingest", str(tmp_path / "docs"), "--store", store, "-j", "1")
    page = " ".join(cli("timeline", "tameside", "--store", store, "--format", "markdown").stdout.split())
    assert "could be 2019-05-14 or 2019-11-19" in page
    html = str(tmp_path / "tameside.html")
    cli("timeline", "tameside", "--store", store, "--html", html)
    assert "could be 2019-05-14 or 2019-11-19" in " ".join(Path(html).read_text(encoding="utf-8").split())
