"""The columns and numbers of the CSVs an analyst joins, appends and sorts.

A column added to a CSV goes last (older columns keep their places, README's contract); the
same field has the same name and the same precision in every command's CSV and JSON.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ofstl.cli import app
from tests.fixture_store import make_store

ENV = {"COLUMNS": "100", "NO_COLOR": "1"}


def ofstl(root: Path, *args: str) -> str:
    result = CliRunner().invoke(app, ["--store", str(root), *args], env=ENV)
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    return result.stdout


def table(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_store(tmp_path_factory.mktemp("fixture"))


def test_the_timeline_csv_gives_a_focused_visits_theme_in_its_last_column(store: Path) -> None:
    text = ofstl(store, "timeline", "hillingdon", "--format", "csv")
    assert text.splitlines()[0].endswith(",disagreements,theme,authority,reported,framework_candidates,could_be")
    rows = {r["id"]: r for r in table(text)}
    assert rows["hillingdon-2020-01-focused-visit"]["theme"] == "vulnerable adolescents"
    assert rows["hillingdon-2013-11-sif"]["theme"] == ""


def test_the_export_gives_a_focused_visits_theme_in_its_json_and_its_csvs_last_column(store: Path) -> None:
    text = ofstl(store, "export", "--format", "csv")
    assert text.splitlines()[0].endswith(",framework_candidates,theme,could_be")
    rows = {r["id"]: r for r in table(text)}
    assert rows["hillingdon-2020-01-focused-visit"]["theme"] == "vulnerable adolescents"
    exported = {r["id"]: r for r in json.loads(ofstl(store, "export"))["inspections"]}
    assert exported["hillingdon-2020-01-focused-visit"]["theme"] == "vulnerable adolescents"
    assert "theme" not in exported["hillingdon-2013-11-sif"]


# --------------------------------------------------------------------------- shares: one precision


def test_the_themes_shares_have_the_precision_national_and_due_give() -> None:
    """themes rounded shares to 3 decimals, national and the backtest to 4, due's
    share_of_window to 2: the same two in three read 0.667 in one file and 0.6667 in another."""
    from ofstl.shares import DECIMALS, share

    assert DECIMALS == 4 and share(2, 3) == 0.6667 and share(1, 153) == 0.0065 and share(3, 0) is None


def test_every_share_of_themes_is_a_fraction_to_four_decimals(store: Path) -> None:
    view = json.loads(ofstl(store, "themes", "--format", "json"))
    recording = next(t for t in view["themes"] if t["theme"] == "recording")
    assert view["inspections"] == 7 and recording["inspections"] == 3
    assert recording["share"] == 0.4286 and recording["by_framework"]["ilacs"] == 0.3333 and recording["by_framework"]["focused-visit"] == 0.0
    rows = {r["theme"]: r for r in table(ofstl(store, "themes", "--format", "csv"))}
    assert rows["recording"]["share"] == "0.4286"


def test_due_gives_the_share_of_the_window_gone_to_four_decimals(store: Path) -> None:
    """5.5 months into a 12-month window is 0.4583 of it (it was 0.46)."""
    due = {a["authority"]: a for a in json.loads(ofstl(store, "due", "--format", "json", "--as-at", "2026-09-15"))["authorities"]}
    assert due["hillingdon"]["months_into_window"] == 5.5 and due["hillingdon"]["share_of_window"] == 0.4583
    rows = {r["authority"]: r for r in table(ofstl(store, "due", "--format", "csv", "--as-at", "2026-09-15"))}
    assert rows["hillingdon"]["share_of_window"] == "0.4583"


# --------------------------------------------------------------------------- themes --theme: date and start


def test_the_theme_csv_keeps_its_date_and_adds_start_as_the_other_csvs_name_it(store: Path) -> None:
    """themes --theme's CSV names its date 'date' (the date the inspection is known by: its
    fieldwork start, else its publication, as the timeline's JSON 'date'); the other CSVs say
    'start' for the fieldwork start. Renaming would break scripts and misname a publication date:
    a last column 'start' joins it to the timeline and export CSVs."""
    text = ofstl(store, "themes", "--theme", "recording", "--format", "csv")
    header = text.splitlines()[0].split(",")
    assert header == ["theme", "authority", "name", "status", "count", "inspection", "date", "framework", "item", "start", "framework_candidates"]
    exported = {r["id"]: r["start"] for r in table(ofstl(store, "export", "--format", "csv"))}
    rows = table(text)
    assert rows and all(r["start"] == exported[r["inspection"]] and r["date"] == r["start"] for r in rows)
    view = json.loads(ofstl(store, "themes", "--theme", "recording", "--format", "json"))
    assert all(i["start"] == exported[i["id"]] for a in view["authorities"] for i in a["inspections"])


def test_the_theme_csv_leaves_an_unknown_date_empty_as_every_csv_does(store: Path, tmp_path: Path) -> None:
    """An inspection no document dates was 'undated' in the date column, which no date parser
    reads (pandas' parse_dates failed on the column); the table says n.d., the CSV an empty cell."""
    import shutil

    from ofstl.store import Store
    from tests.fixture_store import _j, _record, _w

    root = tmp_path / "store"
    shutil.copytree(store, root)
    Store(root).save("bexley", [
        _record("bexley-sif", "sif", None, role="mentioned", judgements={"overall": _j("inadequate")},
                weaknesses=[_w("Case records are not up to date.")]),
        _record("bexley-2015-05-sif", "sif", "2015-05-08", "2015-05-18", "2015-06-22", judgements={"overall": _j("inadequate")},
                weaknesses=[_w("Case recording is poor and chronologies are missing.")])])
    rows = {r["inspection"]: r for r in table(ofstl(root, "themes", "--theme", "recording", "--format", "csv")) if r["authority"] == "bexley"}
    assert rows["bexley-sif"]["date"] == "" and rows["bexley-sif"]["start"] == ""
    assert rows["bexley-2015-05-sif"]["date"] == rows["bexley-2015-05-sif"]["start"] == "2015-05-08"


# --------------------------------------------------------------------------- CSVs of several authorities appended


def test_diff_csvs_of_several_authorities_appended_say_whose_difference_each_row_is(store: Path) -> None:
    """A loop appending 'ofstl diff A --format csv' for each authority gave rows like
    'judgements.overall,up,requires improvement,good' that named neither the authority nor
    the inspections compared. Three last columns: authority, from_id, to_id."""
    text = ofstl(store, "diff", "hillingdon", "--format", "csv") + ofstl(store, "diff", "hounslow", "--format", "csv").split("\n", 1)[1]
    assert text.splitlines()[0] == "path,kind,from,to,change,authority,from_id,to_id"
    rows = table(text)
    assert {(r["authority"], r["from_id"], r["to_id"]) for r in rows} == {
        ("hillingdon", "hillingdon-2018-04-ilacs", "hillingdon-2023-10-ilacs"), ("hounslow", "hounslow-2014-01-sif", "hounslow-2018-10-ilacs")}


def test_timeline_csvs_appended_say_whose_timeline_each_row_is(store: Path) -> None:
    """A predecessor council's inspection is a row of each successor's timeline; appended,
    nothing said whose timeline a row came from. A last column, authority."""
    rows = table(ofstl(store, "timeline", "hounslow", "--format", "csv"))
    assert list(rows[0])[-5:-2] == ["theme", "authority", "reported"] and {r["authority"] for r in rows} == {"hounslow"}


def test_compare_csvs_of_several_subjects_appended_say_whose_comparison_and_when(store: Path) -> None:
    """'neighbour 1' and months_since mean something only with the subject and the date they
    were counted to (in the JSON, not the CSV). Two last columns: subject and as_at."""
    rows = table(ofstl(store, "compare", "hillingdon", "--format", "csv", "--as-at", "2025-06-01"))
    header = list(rows[0])
    at = header.index("other_judgements")  # added after the judgements' columns, in this order (later additions after them)
    assert header[at:at + 4] == ["other_judgements", "last_full_type", "subject", "as_at"]
    assert {(r["subject"], r["as_at"]) for r in rows} == {("hillingdon", "2025-06-01")}


def test_national_csvs_of_several_dates_appended_say_which_date_each_row_counts_to(store: Path) -> None:
    """'for d in 2019 2022 2025; do ofstl national --as-at $d-03-31 --format csv; done' gave rows
    that did not say which date they counted to (the JSON has as_at). A last column, as_at."""
    rows = table(ofstl(store, "national", "--as-at", "2020-03-31", "--by", "region", "--format", "csv"))
    assert list(rows[0]) == ["region", "judgement", "measure", "category", "count", "share", "as_at"]
    assert {r["as_at"] for r in rows} == {"2020-03-31"} and {r["region"] for r in rows} >= {"England", "London"}


def test_the_timeline_csv_dates_an_inspection_known_only_from_a_story(tmp_path: Path) -> None:
    """An inspection only a press release dates has no start or publication; the timeline's
    JSON gives 'reported' (the story's own date) and so does the export's CSV, but the timeline
    CSV gave the row no date at all. A last column, reported."""
    from ofstl.store import Store
    from tests.fixture_store import _j, _record, _src

    record = _record("hounslow-2018-12-ilacs", "ilacs", None, judgements={"overall": _j("good", method="summary")},
                     sources=[_src("press.html", "c", kind="news")])
    record["reported"] = "2018-12-14"
    Store(tmp_path).save("hounslow", [record])
    [row] = table(ofstl(tmp_path, "timeline", "hounslow", "--format", "csv"))
    assert list(row)[-5:-2] == ["theme", "authority", "reported"] and row["reported"] == "2018-12-14" and row["start"] == ""
    [exported] = table(ofstl(tmp_path, "export", "--format", "csv"))
    assert exported["reported"] == row["reported"]
