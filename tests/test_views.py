"""The views on hand-made histories: honest headlines, arrows, recurrence words, the diff.

Each history is a few records written here, with a fixed taxonomy (tests/golden/themes.yaml),
so every expectation can be checked by reading the records.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ofstl import views
from ofstl.render import fold, plain
from ofstl.render.lists import list_lines
from ofstl.render.registry import Options, formats, renderer
from ofstl.render.reports import diff_lines
from ofstl.render.timeline import timeline_lines
from ofstl.theme_tagger import Tagger
from tests.fixture_store import HILLINGDON

TAGGER = Tagger(str(Path(__file__).parent / "golden" / "themes.yaml"))


def j(grade: str) -> dict:
    return {"grade": grade, "printed": grade, "source": "a" * 12, "page": 1, "method": "table"}


def w(text: str) -> dict:
    return {"text": text, "section": "What needs to improve", "page": 2, "themes": []}


def record(rid: str, framework: str, start: str, role: str = "subject", judgements: dict | None = None, weaknesses: list | None = None) -> dict:
    return {"id": rid, "framework": framework, "type": None, "start": start, "end": None, "published": None, "role": role,
            "judgements": judgements or {}, "weaknesses": weaknesses or [], "strengths": [], "sources": []}


def data(*records: dict, name: str = "Anytown") -> dict:
    return {"authority": name.lower(), "name": name, "inspections": list(records)}


PLANS = "Plans are not specific enough."  # plans_quality in the golden taxonomy
MISSING = "Return home interviews are late."  # exploitation_missing
THRESHOLDS = "Thresholds are applied unevenly."  # front_door_thresholds


def themes_by_id(history: dict) -> dict[str, dict]:
    return {t["theme"]: t for t in views.timeline(history, TAGGER)["themes"]}


# --------------------------------------------------------------------------- recurrence words


def test_recurs_persists_and_resolved_on_a_hand_made_history() -> None:
    history = data(
        record("a-2013-sif", "sif", "2013-01-10", weaknesses=[w(PLANS), w(MISSING)]),
        record("a-2016-fv", "focused-visit", "2016-05-01", weaknesses=[w(THRESHOLDS)]),
        record("a-2018-ilacs", "ilacs", "2018-03-01", weaknesses=[w(PLANS), w(THRESHOLDS)]),
        record("a-2020-fv", "focused-visit", "2020-02-01", weaknesses=[w(MISSING)]),
        record("a-2023-ilacs", "ilacs", "2023-06-01", weaknesses=[w(THRESHOLDS)]),
    )
    themes = themes_by_id(history)
    plans, missing, thresholds = themes["plans_quality"], themes["exploitation_missing"], themes["front_door_thresholds"]
    # plans: raised by the consecutive full inspections 2013 and 2018, not by 2023: persisted, then resolved
    assert plans["recurring"] and plans["persisting"] and plans["resolved"] and plans["status"] == "resolved"
    # missing: 2013 and a 2020 visit; the 2018 ILACS between did not raise it, so it does not persist;
    # the 2023 ILACS does not raise it, so it is resolved
    assert missing["recurring"] and not missing["persisting"] and missing["resolved"]
    # thresholds: a visit, then the full inspections 2018 and 2023 in a row: persists, most frequent first
    assert thresholds["count"] == 3 and thresholds["persisting"] and not thresholds["resolved"] and thresholds["status"] == "persists"
    assert views.timeline(history, TAGGER)["themes"][0]["theme"] == "front_door_thresholds"


def test_a_visit_counts_as_evidence_but_never_resolves() -> None:
    history = data(
        record("a-2018-ilacs", "ilacs", "2018-03-01", weaknesses=[w(PLANS)]),
        record("a-2019-fv", "focused-visit", "2019-03-01", weaknesses=[w(MISSING)]),
        record("a-2021-mv", "monitoring-visit", "2021-03-01", weaknesses=[w(MISSING)]),
    )
    themes = themes_by_id(history)
    assert not themes["plans_quality"]["resolved"] and themes["plans_quality"]["status"] == "raised once"
    missing = themes["exploitation_missing"]
    assert missing["recurring"] and not missing["persisting"] and not missing["resolved"] and missing["status"] == "recurs"


def test_raised_only_by_a_visit_then_a_full_inspection_without_it_is_resolved() -> None:
    history = data(
        record("a-2019-fv", "focused-visit", "2019-03-01", weaknesses=[w(MISSING)]),
        record("a-2023-ilacs", "ilacs", "2023-06-01", weaknesses=[w(PLANS)]),
    )
    assert themes_by_id(history)["exploitation_missing"]["resolved"]


def test_an_unread_full_inspection_between_breaks_persists() -> None:
    # the 2023 ILACS is known only from a mention (its items were never read): 2015 and 2026
    # are not consecutive full inspections, so the theme recurs but is not said to persist
    history = data(
        record("a-2015-sif", "sif", "2015-09-01", weaknesses=[w(PLANS)]),
        record("a-2023-ilacs", "ilacs", "2023", role="mentioned", judgements={"overall": j("good")}),
        record("a-2026-ilacs", "ilacs", "2026-04-27", weaknesses=[w(PLANS)]),
    )
    plans = themes_by_id(history)["plans_quality"]
    assert plans["recurring"] and not plans["persisting"] and plans["status"] == "recurs"


def test_an_unread_latest_full_inspection_resolves_nothing() -> None:
    # the latest full inspection was only mentioned: whether it raised plans is unknown
    history = data(
        record("a-2013-sif", "sif", "2013-01-10", weaknesses=[w(PLANS), w(MISSING)]),
        record("a-2018-ilacs", "ilacs", "2018-03-01", weaknesses=[w(MISSING)]),
        record("a-2023-ilacs", "ilacs", "2023-06-01", role="mentioned", judgements={"overall": j("good")}),
    )
    themes = themes_by_id(history)
    assert not themes["plans_quality"]["resolved"] and themes["plans_quality"]["status"] == "raised once"
    assert not themes["exploitation_missing"]["resolved"] and themes["exploitation_missing"]["status"] == "persists"
    # a mention that carries a few of its items is no reading of the rest either
    partly = data(
        record("a-2013-sif", "sif", "2013-01-10", weaknesses=[w(PLANS), w(MISSING)]),
        record("a-2018-ilacs", "ilacs", "2018-03-01", role="mentioned", weaknesses=[w(MISSING)]),
    )
    assert not themes_by_id(partly)["plans_quality"]["resolved"]


def test_raised_resolved_then_raised_again_by_a_visit_is_not_resolved() -> None:
    history = data(
        record("a-2013-sif", "sif", "2013-01-10", weaknesses=[w(PLANS)]),
        record("a-2018-ilacs", "ilacs", "2018-03-01", weaknesses=[w(MISSING)]),
        record("a-2020-fv", "focused-visit", "2020-02-01", weaknesses=[w(PLANS)]),
    )
    plans = themes_by_id(history)["plans_quality"]
    assert plans["recurring"] and not plans["persisting"] and not plans["resolved"] and plans["status"] == "recurs"
    again = data(*history["inspections"], record("a-2023-ilacs", "ilacs", "2023-06-01", weaknesses=[w(MISSING)]))
    assert themes_by_id(again)["plans_quality"]["status"] == "resolved"


def test_an_undated_full_inspection_neither_resolves_nor_makes_a_run() -> None:
    # sorted last for want of a date, the undated SLAC is not known to be the latest full
    # inspection: 2013 and 2018 still raise plans one after the other, and the 2018 theme it
    # does not raise is not resolved by it; what it raises counts as evidence all the same
    history = data(
        record("a-2013-sif", "sif", "2013-01-10", weaknesses=[w(PLANS), w(THRESHOLDS)]),
        record("a-2018-ilacs", "ilacs", "2018-03-01", weaknesses=[w(PLANS), w(MISSING)]),
        record("a-undated-slac", "slac", None, weaknesses=[w(THRESHOLDS)]),
    )
    themes = themes_by_id(history)
    assert themes["plans_quality"]["status"] == "persists" and not themes["plans_quality"]["resolved"]
    assert themes["exploitation_missing"]["status"] == "raised once"
    thresholds = themes["front_door_thresholds"]
    assert thresholds["count"] == 2 and not thresholds["persisting"] and thresholds["status"] == "recurs"
    assert thresholds["years"] == ["2013", None]  # null, as the inspection's date (the tables say it: n.d.), not "unda"


def test_one_inspection_and_only_visits() -> None:
    one = themes_by_id(data(record("a-2018-ilacs", "ilacs", "2018-03-01", weaknesses=[w(PLANS), w(PLANS)])))
    assert one["plans_quality"]["count"] == 1 and one["plans_quality"]["status"] == "raised once"
    visits = themes_by_id(data(*[record(f"a-{y}-fv", "focused-visit", f"{y}-01-01", weaknesses=[w(PLANS)]) for y in (2019, 2021, 2023)]))
    assert visits["plans_quality"]["status"] == "recurs" and not visits["plans_quality"]["persisting"]


def test_the_legend_explains_the_words_the_table_uses() -> None:
    history = data(*[record(f"a-{y}-ilacs", "ilacs", f"{y}-01-01", weaknesses=[w(PLANS)]) for y in (2018, 2023)])
    text = plain(timeline_lines(views.timeline(history, TAGGER), Options(width=100)))
    assert "Quality of plans" in text and "2× persists" in text
    assert "persists: by consecutive full inspections" in text and "a visit does not resolve" in text


def test_theme_block_limited_with_a_flag_for_all() -> None:
    history = data(*[record(f"a-{y}-ilacs", "ilacs", f"{y}-01-01", weaknesses=[w(PLANS), w(MISSING), w(THRESHOLDS)])
                     for y in (2015, 2018, 2023)], record("a-2024-fv", "focused-visit", "2024-01-01", weaknesses=[w("Supervision is rare.")]))
    view = views.timeline(history, TAGGER)
    short = plain(timeline_lines(view, Options(width=100)))
    assert "1 theme raised once (--all-themes shows them)" in short and "Supervision and management oversight" not in short
    full = plain(timeline_lines(view, Options(width=100, all_themes=True)))
    assert "Supervision and management oversight" in full and "1× raised once" in full
    with pytest.MonkeyPatch.context() as patch:
        from ofstl.render import timeline as module

        patch.setattr(module, "THEME_ROWS", 2)
        limited = plain(timeline_lines(view, Options(width=100)))
        assert "1 more recurring theme and 1 theme raised once (--all-themes shows them)" in limited
    for width in (60, 100, 140):  # one notation at every width
        assert "3× persists" in plain(timeline_lines(view, Options(width=width)))


def test_theme_block_on_a_narrow_terminal_keeps_each_row_whole() -> None:
    # eight inspections do not fit a matrix in 40 or 60 columns; folding its rows would part
    # the cells from their label, so each theme is listed with its word and its inspections
    history = data(*[record(f"a-{y}-ilacs", "ilacs", f"{y}-01-01", weaknesses=[w(PLANS), w(MISSING)] if y % 2 else [w(PLANS)])
                     for y in range(2011, 2019)])
    view = views.timeline(history, TAGGER)
    for width in (40, 60):
        lines = [piece for line in timeline_lines(view, Options(width=width)) for piece in fold(line, width)]  # as the CLI prints
        block = plain(lines).split("Weaknesses that keep coming back")[1]
        rows = block.splitlines()
        assert all(len(line) <= width for line in rows if line.strip()), block
        assert "■" not in block, block
        assert "Quality of plans" in block and "8× persists · 2011 ILACS, 2012 ILACS," in block
        assert "4× resolved · 2011 ILACS, 2013 ILACS, 2015 ILACS, 2017 ILACS" in " ".join(r.strip() for r in rows)
        assert "persists: by consecutive" in " ".join(rows)
    wide = plain(timeline_lines(view, Options(width=100))).split("Weaknesses that keep coming back")[1]
    assert "■" in wide and "8× persists" in wide


# --------------------------------------------------------------------------- headlines and arrows


ILACS_2026 = record("a-2026-ilacs", "ilacs", "2026-05-11", judgements={"leadership": j("outstanding"), "help_and_protection": j("good")})


def test_no_overall_grade_is_never_filled_by_another_judgement() -> None:
    history = data(record("a-2023-ilacs", "ilacs", "2023-02-01", judgements={"overall": j("inadequate"), "leadership": j("inadequate")}), ILACS_2026)
    view = views.timeline(history, TAGGER)
    assert view["inspections"][-1]["headline"] == "no overall grade"
    text = plain(timeline_lines(view, Options()))
    line = next(x for x in text.splitlines() if x.startswith("● 2026-05-11"))
    assert "no overall grade" in line and "Outstanding" not in line
    row = views.authority_rows([history])[0]
    assert row["latest_grade"] is None and row["latest_headline"] == "no overall grade" and row["latest_year"] == "2026"
    assert "no overall grade (2026)" in plain(list_lines([row], Options()))
    diff = views.diff(history, *views.diff_pair(history), TAGGER)
    text = plain(diff_lines(diff, Options()))
    assert "judgements.overall" in text and "no longer judged: was inadequate" in text


def test_a_graded_inspection_mentioned_without_its_grade_is_not_called_not_graded() -> None:
    """"the last ILACS in 2019" with no grade: that ILACS was graded, the store does not know
    how; a mentioned visit (never graded) is still "not graded"."""
    history = data(record("a-2015-sif", "sif", "2015", role="mentioned", judgements={"care_leavers": j("inadequate")}),
                   record("a-2011-slac", "slac", "2011", role="mentioned", judgements={"children_in_care": j("adequate")}),
                   record("a-2019-ilacs", "ilacs", "2019", role="mentioned"),
                   record("a-2020-01-focused-visit", "focused-visit", "2020-01", role="mentioned"),
                   record("a-2023-ilacs", "ilacs", "2023-07-10", judgements={"overall": j("good")}))
    view = views.timeline(history, TAGGER)
    # a SIF always had an overall grade, a SLAC never did
    assert [e["headline"] for e in view["inspections"]] == ["no overall grade", "grade not stated", "grade not stated", "not graded", "good"]
    line = next(x for x in plain(timeline_lines(view, Options())).splitlines() if x.startswith("◌ 2019"))
    assert "grade not stated" in line and "not graded" not in line
    # list: with no grade read, the latest graded inspection mentioned without its grade
    bedford = data(record("b-2017-02-sif", "sif", "2017-02", role="mentioned"), record("b-2018-12-focused-visit", "focused-visit", "2018-12-11"))
    row = views.authority_rows([bedford])[0]
    assert (row["latest_headline"], row["latest_year"], row["latest_grade"]) == ("grade not stated", "2017", None)
    visits = data(record("c-2020-01-jtai", "jtai", "2020-01-20"))
    assert views.authority_rows([visits])[0]["latest_headline"] == "not graded"


def test_arrows_compare_with_the_latest_known_grade_even_one_only_mentioned() -> None:
    history = data(
        record("a-2013-sif", "sif", "2013-01-10", judgements={"overall": j("requires improvement")}),
        record("a-2016-ilacs", "ilacs", "2016-01-10", role="mentioned", judgements={"overall": j("inadequate")}),
        record("a-2019-ilacs", "ilacs", "2019-01-10", judgements={"overall": j("requires improvement")}),
    )
    events = views.timeline(history, TAGGER)["inspections"]
    assert events[1]["changes"] == {"overall": "down"}  # the mention has its arrow too
    assert events[2]["changes"] == {"overall": "up"} and events[2]["previous"] == {"overall": "inadequate"}


def test_events_in_date_order_whatever_the_store_order() -> None:
    history = data(record("b", "ilacs", "2019-01-01"), record("u", "other", None), record("a", "sif", "2013-01-01"))
    assert [e["id"] for e in views.timeline(history, TAGGER)["inspections"]] == ["a", "b", "u"]


# --------------------------------------------------------------------------- diff


def test_diff_groups_by_item_with_its_themes_and_the_same_words_everywhere() -> None:
    both = "Plans and return home interviews are weak."  # two themes in one item
    history = data(record("a-2018-ilacs", "ilacs", "2018-01-01", judgements={"overall": j("good")}, weaknesses=[w(THRESHOLDS)]),
                   record("a-2023-ilacs", "ilacs", "2023-01-01", judgements={"overall": j("good")}, weaknesses=[w(both)]))
    view = views.diff(history, *views.diff_pair(history), TAGGER)
    text = plain(diff_lines(view, Options()))
    assert text.count(both) == 1  # once, not under each theme
    assert "themes: Quality of plans; Exploitation and missing children" in text
    assert {c["change"] for c in view["changes"]} == {"newly raised", "no longer raised"}
    assert {c["kind"] for c in view["changes"]} == {"new", "resolved"}  # the first contract's codes stay
    csv = renderer("diff", "csv").render(view, Options())
    assert "newly raised" in csv and "no longer raised" in csv and "weaknesses newly raised" in text


def test_diff_warns_when_a_side_is_known_only_from_a_mention() -> None:
    history = data(record("a-2013-sif", "sif", "2013-01-10", role="mentioned", judgements={"overall": j("good")}),
                   record("a-2018-ilacs", "ilacs", "2018-01-10", judgements={"overall": j("good")}, weaknesses=[w(PLANS)]))
    view = views.diff(history, *views.diff_pair(history, "2013", "2018"), TAGGER)
    assert view["warnings"] and "known only from a mention" in view["warnings"][0]
    assert "! SIF 2013-01 is known only from a mention" in plain(diff_lines(view, Options()))


def test_diff_pair_is_the_views_choice() -> None:
    history = data(*HILLINGDON)
    before, after = views.diff_pair(history)
    assert (before["id"], after["id"]) == ("hillingdon-2018-04-ilacs", "hillingdon-2023-10-ilacs")
    before, after = views.diff_pair(history, "2013")
    assert (before["id"], after["id"]) == ("hillingdon-2013-11-sif", "hillingdon-2018-04-ilacs")


def test_the_default_diff_does_not_take_an_undated_inspection_for_the_latest_and_a_named_one_is_warned_of() -> None:
    history = data(record("a-2013-sif", "sif", "2013-01-10", judgements={"overall": j("inadequate")}, weaknesses=[w(PLANS)]),
                   record("a-2018-ilacs", "ilacs", "2018-03-01", judgements={"overall": j("good")}, weaknesses=[w(MISSING)]),
                   record("a-undated-slac", "slac", None, judgements={"help_and_protection": j("good")}, weaknesses=[w(PLANS)]))
    before, after = views.diff_pair(history)
    assert (before["id"], after["id"]) == ("a-2013-sif", "a-2018-ilacs")
    assert not any("no date" in x for x in views.diff(history, before, after, TAGGER)["warnings"])
    named = views.diff(history, *views.diff_pair(history, "2018", "a-undated-slac"), TAGGER)
    assert any("SLAC (a-undated-slac) has no date: which of the two came first is unknown" in x for x in named["warnings"])


def test_a_backward_diff_says_so() -> None:
    history = data(*HILLINGDON)
    view = views.diff(history, *views.diff_pair(history, "2023", "2013"), TAGGER)
    assert "FROM (2023-10-02) is later than TO (2013-11-25)" in " ".join(view["warnings"])
    assert not views.diff(history, *views.diff_pair(history, "2013", "2023"), TAGGER)["warnings"]


# --------------------------------------------------------------------------- width and registry


def test_list_fits_the_width_and_names_the_grades_year() -> None:
    long = data(record("x-2013-sif", "sif", "2013-01-01", judgements={"overall": j("requires improvement")}),
                name="Bournemouth, Christchurch and Poole Council of Very Long Names Indeed")
    long["authority"] = "bournemouth-christchurch-poole"
    rows = views.authority_rows([long])
    for width in (80, 100):
        text = plain(list_lines(rows, Options(width=width)))
        assert max(len(x) for x in text.splitlines()) <= width, text
        assert "requires improvement (2013)" in text


def test_format_choices_come_from_the_registry() -> None:
    assert formats("timeline") == ["table", "json", "csv", "markdown", "svg", "html"]
    assert formats("export")[0] == "json"
    with pytest.raises(Exception, match="--format must be one of table, json, csv"):
        renderer("diff", "xml")


def test_markdown_theme_block_says_what_it_leaves_out_in_the_tables_words() -> None:
    from ofstl.render.timeline import timeline_markdown

    history = data(*[record(f"a-{y}-ilacs", "ilacs", f"{y}-01-01", weaknesses=[w(PLANS)] + ([w(MISSING)] if y == 2023 else []))
                     for y in (2018, 2023)])
    text = timeline_markdown(views.timeline(history, TAGGER), Options(width=100))
    assert "| 2 | persists |" in text and "1 theme raised once (--all-themes shows them)" in text and "0 more" not in text
    single = timeline_markdown(views.timeline(data(record("a-2018-ilacs", "ilacs", "2018-01-01", weaknesses=[w(PLANS)])), TAGGER))
    assert "No weakness theme raised by two or more inspections; 1 theme raised once (--all-themes shows them)" in single


def test_two_predecessors_inspected_side_by_side_are_not_consecutive() -> None:
    # a council made of two others (as Bournemouth, Christchurch and Poole): its timeline shows
    # both predecessors' inspections, but Bournemouth's SIF and then Poole's are no sequence
    bournemouth = dict(record("b-2017-sif", "sif", "2017-02-01", weaknesses=[w(PLANS), w(MISSING)]), predecessor_of="bournemouth")
    poole = dict(record("p-2018-sif", "sif", "2018-05-01", weaknesses=[w(PLANS)]), predecessor_of="poole")
    visit = record("a-2020-fv", "focused-visit", "2020-10-01", weaknesses=[w(THRESHOLDS)])
    themes = themes_by_id(data(bournemouth, poole, visit))
    assert themes["plans_quality"]["status"] == "recurs" and not themes["plans_quality"]["persisting"]
    # Poole's inspection says nothing of what Bournemouth's raised: nothing resolved there
    assert themes["exploitation_missing"]["status"] == "raised once" and not themes["exploitation_missing"]["resolved"]
    # the council's own first full inspection follows each predecessor's last one, and its reading resolves theirs
    own = record("a-2023-ilacs", "ilacs", "2023-06-01", weaknesses=[w(PLANS)])
    themes = themes_by_id(data(bournemouth, poole, visit, own))
    assert themes["plans_quality"]["persisting"] and themes["plans_quality"]["status"] == "persists"
    assert themes["exploitation_missing"]["resolved"]
    # one predecessor whose history the council continues: its inspections run on into the council's
    single = themes_by_id(data(dict(record("n-2016-sif", "sif", "2016-01-01", weaknesses=[w(PLANS)]), predecessor_of="northamptonshire"),
                               record("a-2022-ilacs", "ilacs", "2022-10-01", weaknesses=[w(PLANS)])))
    assert single["plans_quality"]["status"] == "persists"


def test_all_themes_block_is_not_titled_as_coming_back_when_it_shows_themes_raised_once() -> None:
    from ofstl.render.timeline import timeline_markdown

    history = data(record("a-2018-ilacs", "ilacs", "2018-01-01", weaknesses=[w(PLANS)]),
                   record("a-2023-ilacs", "ilacs", "2023-01-01", weaknesses=[w(PLANS), w(MISSING)]))
    view = views.timeline(history, TAGGER)
    every = plain(timeline_lines(view, Options(width=100, all_themes=True)))
    assert "keep coming back" not in every and "Weakness themes (every theme, those raised once too)" in every and "1× raised once" in every
    assert "Weaknesses that keep coming back" in plain(timeline_lines(view, Options(width=100)))
    assert "## Weakness themes" in timeline_markdown(view, Options(width=100, all_themes=True))


def test_a_block_showing_raised_once_explains_it_in_every_format() -> None:
    from ofstl.render.timeline import timeline_markdown

    history = data(record("a-2018-fv", "focused-visit", "2018-01-01", weaknesses=[w(PLANS)]),
                   record("a-2023-fv", "focused-visit", "2023-01-01", weaknesses=[w(PLANS), w(MISSING)]))
    view = views.timeline(history, TAGGER, with_items=True)
    meaning = "raised once: by one inspection"
    every = " ".join(plain(timeline_lines(view, Options(width=100, all_themes=True))).split())
    assert "1× raised once" in every and meaning in every
    assert meaning in timeline_markdown(view, Options(width=100, all_themes=True))
    assert meaning in renderer("timeline", "html").render(view, Options(width=100))
    # without --all-themes no row says it, and the legend does not explain a word not shown
    assert meaning not in " ".join(plain(timeline_lines(view, Options(width=100))).split())
    assert meaning not in timeline_markdown(view, Options(width=100))


def test_html_report_names_each_inspection_raising_a_theme_by_year_and_framework() -> None:
    history = data(record("a-2009-07-cra", "cra", "2009-07-01", weaknesses=[w(PLANS)]),
                   record("a-2009-12-slac", "slac", "2009-12-01", weaknesses=[w(PLANS)]))
    html = renderer("timeline", "html").render(views.timeline(history, TAGGER, with_items=True), Options(width=100))
    assert "2× recurs · 2009 CRA, 2009 SLAC</span>" in html


def test_diff_to_a_visit_warns_that_no_longer_raised_is_not_resolved() -> None:
    history = data(record("a-2018-ilacs", "ilacs", "2018-01-10", judgements={"overall": j("good")}, weaknesses=[w(PLANS), w(MISSING)]),
                   record("a-2020-fv", "focused-visit", "2020-01-15", weaknesses=[w(MISSING)]))
    view = views.diff(history, *views.diff_pair(history, "2018", "2020"), TAGGER)
    assert any("Focused visit 2020-01 looks at part of the service" in x and "not resolved" in x for x in view["warnings"])
    assert "not resolved (only a full inspection resolves" in " ".join(plain(diff_lines(view, Options(width=100))).split())
    assert themes_by_id(history)["plans_quality"]["status"] == "raised once"  # and the timeline agrees: not resolved
    full = data(*history["inspections"][:1], record("a-2023-ilacs", "ilacs", "2023-01-10", judgements={"overall": j("good")}, weaknesses=[w(MISSING)]))
    assert views.diff(full, *views.diff_pair(full), TAGGER)["warnings"] == []
