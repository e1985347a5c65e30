"""`themes --theme`: one theme across authorities, on hand-made stores with a fixed taxonomy.

Each authority's recurrence word must be the one its timeline shows, the counts those of the
`themes` table, and the items the verbatim weaknesses behind the theme.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ofstl import views
from ofstl.cli import app
from ofstl.errors import UsageError
from ofstl.render import plain
from ofstl.render.registry import Options
from ofstl.render.theme_across import theme_csv_rows, theme_lines
from ofstl.store import Store
from ofstl.theme_across import find_theme, theme_across
from tests.test_views import MISSING, PLANS, TAGGER, THRESHOLDS, data, record, w

THEMES = [("plans_quality", "Quality of children's plans"), ("front_door_thresholds", "Front door, MASH, thresholds"),
          ("exploitation_missing", "Exploitation and missing children"), ("care_leavers_pathway_eet", "Care leavers: pathway plans")]


@pytest.mark.parametrize("query, theme", [
    ("plans_quality", "plans_quality"), ("Plans-Quality", "plans_quality"), ("front door", "front_door_thresholds"),
    ("exploit", "exploitation_missing"), ("MASH", "front_door_thresholds"), ("care leavers", "care_leavers_pathway_eet"),
])
def test_a_theme_is_named_by_its_id_the_start_of_it_or_words_of_its_label(query: str, theme: str) -> None:
    assert find_theme(query, THEMES) == theme


@pytest.mark.parametrize("query, words", [
    ("children", "matches 2 themes"),  # the start of no id, a word of two labels
    ("plans_qualty", "did you mean: plans_quality"),
    ("   ", "--theme is empty"),
])
def test_a_theme_named_ambiguously_or_not_at_all_is_a_usage_error(query: str, words: str) -> None:
    with pytest.raises(UsageError) as raised:
        find_theme(query, THEMES)
    assert words in raised.value.message + " " + (raised.value.hint or "")


def stored() -> list[dict]:
    return [
        data(record("a-2013-sif", "sif", "2013-01-10", weaknesses=[w(PLANS), w(MISSING)]),
             record("a-2018-ilacs", "ilacs", "2018-03-01", weaknesses=[w(PLANS)]), name="Hillingdon"),
        data(record("b-2014-sif", "sif", "2014-02-03", weaknesses=[w(PLANS)]),
             record("b-2019-ilacs", "ilacs", "2019-05-06", weaknesses=[w(THRESHOLDS)]), name="Hounslow"),
        data(record("c-2020-fv", "focused-visit", "2020-01-15", weaknesses=[w(PLANS), w(THRESHOLDS)]), name="Ealing"),
        data(record("d-2016-sif", "sif", "2016-01-10", weaknesses=[w(MISSING)]), name="Harrow"),
    ]


def test_each_authority_with_its_timeline_word_and_the_counts_of_the_themes_table() -> None:
    view = theme_across(stored(), "plans_quality", TAGGER)
    rows = [(r["authority"], r["status"], r["count"]) for r in view["authorities"]]
    assert rows == [("hillingdon", "persists", 2), ("hounslow", "resolved", 1), ("ealing", "raised once", 1)]  # persisting first
    for r in view["authorities"]:  # the word each timeline shows
        timeline = next(d for d in stored() if d["authority"] == r["authority"])
        assert {t["theme"]: t["status"] for t in views.timeline(timeline, TAGGER)["themes"]}["plans_quality"] == r["status"]
    national = next(t for t in views.national_themes(stored(), TAGGER)["themes"] if t["theme"] == "plans_quality")
    assert view["inspections_raising"] == national["inspections"] == 4
    assert view["authorities_recurring"] == national["recurring_authorities"] == 1
    assert (view["inspections_with_weaknesses"], view["authorities_raising"], view["authorities_with_two_or_more"]) == (6, 3, 2)
    assert view["authorities"][0]["inspections"][0] == {"id": "a-2013-sif", "date": "2013-01-10", "start": "2013-01-10", "framework": "sif", "name": "SIF",
                                                        "short": "SIF", "items": [PLANS]}


def test_the_table_wraps_inspections_under_their_column_and_items_come_with_items() -> None:
    view = theme_across(stored(), "plans_quality", TAGGER)
    text = plain(theme_lines(view, Options(width=60)))
    assert all(len(line) <= 60 for line in text.splitlines()), text
    assert "hillingdon  2× persists   2013 SIF, 2018 ILACS" in text and PLANS not in text
    assert "raised once: by one inspection" in text
    # a theme one inspection raised and the latest full inspection no longer does: the count
    # written as the timeline writes it, not a bare "resolved"
    assert "hounslow    1× resolved   2014 SIF" in text and "1× raised once" not in text and "raised once   2020 FV" in text
    with_items = plain(theme_lines(view, Options(width=60, items=True)))
    assert f"    2013 SIF: {PLANS}" in with_items and MISSING not in with_items


def test_csv_has_one_row_per_item() -> None:
    header, rows = theme_csv_rows(theme_across(stored(), "front_door_thresholds", TAGGER))
    assert header[:5] == ["theme", "authority", "name", "status", "count"]
    assert [(r[1], r[5], r[8]) for r in rows] == [("ealing", "c-2020-fv", THRESHOLDS), ("hounslow", "b-2019-ilacs", THRESHOLDS)]


def test_an_undated_inspection_is_n_d_in_the_table_the_items_and_the_page() -> None:
    from ofstl.render.across_markdown import theme_markdown

    undated = [data(record("a-2013-sif", "sif", "2013-01-10", weaknesses=[w(PLANS)]),
                    record("a-undated-slac", "slac", None, weaknesses=[w(PLANS)]), name="Hillingdon")]
    view = theme_across(undated, "plans_quality", TAGGER)
    assert view["authorities"][0]["inspections"][1]["date"] is None  # the JSON's null; the tables say n.d.
    text = plain(theme_lines(view, Options(width=100, items=True)))
    assert "2013 SIF, n.d. SLAC" in text and f"    n.d. SLAC: {PLANS}" in text and "unda" not in text
    assert "raised by 2 of 2 inspections and visits with weaknesses, in 1 authority · recurs in 1 of the 1 authority with two" in " ".join(text.split())
    page = theme_markdown(view, items=True)
    assert f"- n.d. SLAC: {PLANS}" in page and "unda" not in page


def test_no_authority_raising_it_says_so() -> None:
    view = theme_across(stored(), "care_leavers_pathway_eet", TAGGER)
    assert view["authorities"] == [] and "No authority in the store raises it." in plain(theme_lines(view))


# --------------------------------------------------------------------------- the command


def run(store: Path, *args: str, code: int = 0):
    result = CliRunner().invoke(app, ["--store", str(store), *args], env={"COLUMNS": "100", "NO_COLOR": "1",
                                                                           "OFSTL_THEMES": str(Path(__file__).parent / "golden" / "themes.yaml")})
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    return result


@pytest.fixture()
def store(tmp_path: Path) -> Path:
    st = Store(tmp_path / "store")
    for d in stored():
        st.save(d["authority"], d["inspections"])
    return tmp_path / "store"


def test_themes_theme_in_every_format(store: Path) -> None:
    table = run(store, "themes", "--theme", "front door").stdout
    assert "hounslow" in table and "ealing" in table and "hillingdon" not in table
    assert json.loads(run(store, "themes", "--theme", "front door", "-f", "json").stdout)["authorities_raising"] == 2
    rows = list(csv.DictReader(io.StringIO(run(store, "themes", "--theme", "front door", "-f", "csv").stdout)))
    assert [r["item"] for r in rows] == [THRESHOLDS, THRESHOLDS]
    assert THRESHOLDS in run(store, "themes", "--theme", "front door", "--items").stdout


@pytest.mark.parametrize("args, words", [
    (["--theme", "nothing-like-it"], "no theme 'nothing-like-it'"),
    (["--items"], "--items goes with --theme"),
    (["--theme", "plans_quality", "--tag"], "--theme and --tag do not go together"),
    (["--theme", "plans_quality", "-f", "svg"], "--format must be one of"),
])
def test_themes_theme_usage_errors(store: Path, args: list[str], words: str) -> None:
    assert words in run(store, "themes", *args, code=2).stderr
