"""The machine formats of every command (JSON, CSV, the workbook) follow one rule for a value
that is missing and one set of codes, so a script reading two commands meets one vocabulary.

README's "Output formats for scripts" writes the rule once: a missing value is JSON's null and
a CSV's empty cell, never a word standing in for it ("undated" is what the tables say); a
framework is SPEC section 2's code, an undecided one ``other`` with ``framework_candidates``
beside it, as ``export`` has always given it. Exact outputs, on a store with an inspection no
document dates and one the documents left as "SLAC or child protection".
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ofstl.cli import app
from ofstl.store import Store
from tests.fixture_store import _j, _record, _src, _w, make_store
from tests.test_csv_columns import ENV, ofstl, table


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture store, and Bexley: a SIF a later report mentions without a date, a 2012
    inspection it names without saying which (a SLAC or a CPI), and its 2015 SIF."""
    root = make_store(tmp_path_factory.mktemp("machine"))
    mentioned = [_src("bexley_2015_sif.pdf", "e", role="mentioned")]
    Store(root).save("bexley", [
        _record("bexley-sif", "sif", None, role="mentioned", judgements={"overall": _j("inadequate", method="mention")},
                weaknesses=[_w("Case records are not up to date.", "recording")], sources=mentioned),
        _record("bexley-2012-slac-or-cpi", "slac-or-cpi", "2012", role="mentioned",
                judgements={"help_and_protection": _j("adequate", method="mention")},
                weaknesses=[_w("Case recording is poor.", "recording")], sources=mentioned),
        _record("bexley-2015-05-sif", "sif", "2015-05-08", "2015-05-18", "2015-06-22", judgements={"overall": _j("inadequate")},
                weaknesses=[_w("Case recording is poor and chronologies are missing.", "recording")],
                sources=[_src("bexley_2015_sif.pdf", "e")])])
    return root


# --------------------------------------------------------------------------- a missing date is null


def test_the_timeline_json_gives_an_undated_inspection_a_null_date_and_year(store: Path) -> None:
    """It gave "date": "undated" (and "years": [..., "undated"]), a word no date parser reads;
    the table's log and columns say it (undated, n.d.)."""
    view = json.loads(ofstl(store, "timeline", "bexley", "--format", "json"))
    assert [(e["id"], e["date"]) for e in view["inspections"]] == [
        ("bexley-2012-slac-or-cpi", "2012"), ("bexley-2015-05-sif", "2015-05-08"), ("bexley-sif", None)]
    [recording] = [t for t in view["themes"] if t["theme"] == "recording"]
    assert recording["years"] == ["2012", "2015", None]
    text = ofstl(store, "timeline", "bexley")
    assert "◌ undated     SIF" in text and "  2012   2015   n.d." in text


def test_the_theme_json_gives_an_undated_inspection_a_null_date(store: Path) -> None:
    view = json.loads(ofstl(store, "themes", "--theme", "recording", "--format", "json"))
    [bexley] = [a for a in view["authorities"] if a["authority"] == "bexley"]
    assert [(i["id"], i["date"], i["start"]) for i in bexley["inspections"]] == [
        ("bexley-2012-slac-or-cpi", "2012", "2012"), ("bexley-2015-05-sif", "2015-05-08", "2015-05-08"), ("bexley-sif", None, None)]
    assert "2012 SLAC/C, 2015 SIF, n.d. SIF" in ofstl(store, "themes", "--theme", "recording")


def test_the_diff_json_gives_each_sides_fieldwork_start_as_start_and_its_date_beside_it(store: Path) -> None:
    """A side's "start" was the date it is known by ("undated" for none): not the fieldwork
    start every other output names so. Now "start" is that (null when unknown) and "date" the
    date known by, as the timeline's; the table still says undated."""
    view = json.loads(ofstl(store, "diff", "bexley", "2012", "bexley-sif", "--format", "json"))
    assert view["from"] == {"id": "bexley-2012-slac-or-cpi", "framework": "other", "framework_candidates": ["slac", "cpi"], "type": None,
                            "name": "SLAC or child protection", "start": "2012", "role": "mentioned", "date": "2012"}
    assert view["to"] == {"id": "bexley-sif", "framework": "sif", "type": None, "name": "SIF", "start": None, "role": "mentioned",
                          "date": None}
    assert ofstl(store, "diff", "bexley", "2012", "bexley-sif").splitlines()[0] == (
        "bexley: SLAC or child protection 2012 → SIF undated · 2 differences")


# --------------------------------------------------------------------------- SPEC's framework codes


def test_the_timeline_csv_and_json_give_an_undecided_framework_as_export_does(store: Path) -> None:
    """The timeline CSV and JSON wrote "slac-or-cpi", a code SPEC does not have; export wrote
    "other" with its candidates. Now all three say "other", and the candidates beside it (the
    CSV's last column)."""
    exported = {r["id"]: r for r in table(ofstl(store, "export", "--format", "csv"))}
    rows = table(ofstl(store, "timeline", "bexley", "--format", "csv"))
    assert [(r["id"], r["framework"], r["framework_candidates"]) for r in rows] == [
        ("bexley-2012-slac-or-cpi", "other", "slac|cpi"), ("bexley-2015-05-sif", "sif", ""), ("bexley-sif", "sif", "")]
    assert all((r["framework"], r["framework_candidates"]) == (exported[r["id"]]["framework"], exported[r["id"]]["framework_candidates"])
               for r in rows)
    view = json.loads(ofstl(store, "timeline", "bexley", "--format", "json"))
    assert [(e["framework"], e.get("framework_candidates"), e["name"], e["short"]) for e in view["inspections"]] == [
        ("other", ["slac", "cpi"], "SLAC or child protection", "SLAC/C"), ("sif", None, "SIF", "SIF"), ("sif", None, "SIF", "SIF")]


def test_the_theme_csv_and_json_give_an_undecided_framework_as_export_does(store: Path) -> None:
    text = ofstl(store, "themes", "--theme", "recording", "--format", "csv")
    assert [line for line in text.splitlines() if line.startswith("recording,bexley")] == [
        "recording,bexley,Bexley,recurs,3,bexley-2012-slac-or-cpi,2012,other,Case recording is poor.,2012,slac|cpi",
        "recording,bexley,Bexley,recurs,3,bexley-2015-05-sif,2015-05-08,sif,Case recording is poor and chronologies are missing.,2015-05-08,",
        "recording,bexley,Bexley,recurs,3,bexley-sif,,sif,Case records are not up to date.,,"]
    view = json.loads(ofstl(store, "themes", "--theme", "recording", "--format", "json"))
    [bexley] = [a for a in view["authorities"] if a["authority"] == "bexley"]
    assert bexley["inspections"][0] == {"id": "bexley-2012-slac-or-cpi", "date": "2012", "start": "2012", "framework": "other",
                                        "framework_candidates": ["slac", "cpi"], "name": "SLAC or child protection", "short": "SLAC/C",
                                        "items": ["Case recording is poor."]}


def test_the_timeline_workbook_names_an_undecided_framework_as_its_csv_does(store: Path, tmp_path: Path) -> None:
    """The workbook's inspections sheet is the CSV's rows; its sources sheet named the stored
    code ("slac-or-cpi"), and listed the inspections in the store's order, not the sheet's."""
    from openpyxl import load_workbook

    target = tmp_path / "bexley.xlsx"
    ofstl(store, "timeline", "bexley", "--xlsx", str(target))
    book = load_workbook(target)
    sources = [(r[2], r[3]) for r in book["sources"].iter_rows(min_row=2, values_only=True) if r[2]]
    assert sources == [("bexley-2012-slac-or-cpi", "other"), ("bexley-2015-05-sif", "sif"), ("bexley-sif", "sif")]
    assert [r[2] for r in book["themes"].iter_rows(min_row=2, values_only=True) if r[0] == "recording"] == ["2012|2015|"]


def test_show_json_gives_the_stored_record_with_spec_s_framework_code(store: Path) -> None:
    record = json.loads(ofstl(store, "show", "bexley", "2012", "--format", "json"))
    assert (record["id"], record["framework"], record["framework_candidates"]) == ("bexley-2012-slac-or-cpi", "other", ["slac", "cpi"])
    assert "framework_candidates" not in json.loads(ofstl(store, "show", "bexley", "2015", "--format", "json"))


def test_the_themes_json_counts_an_undecided_framework_under_spec_s_code_in_code_order(store: Path) -> None:
    """``frameworks`` and each theme's ``by_framework`` were keyed by the stored code
    ("slac-or-cpi"), and ``frameworks`` came in the store's order, ``by_framework`` sorted."""
    view = json.loads(ofstl(store, "themes", "--format", "json"))
    assert view["frameworks"] == {"cra": 1, "focused-visit": 1, "ilacs": 3, "other": 1, "sif": 4}
    [recording] = [t for t in view["themes"] if t["theme"] == "recording"]
    assert list(recording["by_framework"]) == list(view["frameworks"]) and recording["by_framework"]["other"] == 1.0


def test_show_json_gives_the_judgements_in_the_order_every_other_output_does(tmp_path: Path) -> None:
    """The stored record came with its judgements alphabetical, as an ingest writes the store's
    file (adoption, children_in_care, ..., overall); export, timeline and diff give SPEC's order."""
    grades = {k: _j("good") for k in sorted(["overall", "leadership", "help_and_protection", "children_in_care", "adoption", "lscb"])}
    Store(tmp_path).save("ealing", [_record("ealing-2016-05-sif", "sif", "2016-05-09", judgements=grades)])
    record = json.loads(ofstl(tmp_path, "show", "ealing", "--format", "json"))
    [exported] = json.loads(ofstl(tmp_path, "export"))["inspections"]
    assert list(record["judgements"]) == list(exported["judgements"]) == [
        "overall", "leadership", "help_and_protection", "children_in_care", "adoption", "lscb"]


# --------------------------------------------------------------------------- due


def test_due_gives_no_grade_basis_when_the_store_knows_no_grade(tmp_path: Path) -> None:
    """A SIF a later report mentions only for its care leavers' grade: its overall grade is not
    known, so there is no window. grade_basis said "no grade" (README gives it two values,
    'overall' and 'lowest judgement (no overall)'); now null, and an empty cell, as grade is."""
    Store(tmp_path).save("bedford", [_record("bedford-2017-02-sif", "sif", "2017-02", role="mentioned",
                                             judgements={"care_leavers": _j("inadequate", method="mention")})])
    [row] = json.loads(ofstl(tmp_path, "due", "--format", "json", "--as-at", "2026-01-01"))["authorities"]
    assert (row["grade"], row["grade_basis"], row["status"], row["next"]) == (None, None, "grade unknown: no window", None)
    assert ofstl(tmp_path, "due", "--format", "csv", "--as-at", "2026-01-01").splitlines()[1] == (
        "bedford,Bedford,East of England,bedford-2017-02-sif,sif,,2017-02,,,,,,,,0,0,grade unknown: no window,107.0,,,,,2026-01-01,")  # open_since (added last): none


# --------------------------------------------------------------------------- verify


def test_the_verify_csv_names_the_tables_inspection_date_as_start_not_as_published(tmp_path: Path) -> None:
    """An ILACS outcomes row without a publication date gave its inspection date in the column
    official_published; now that column is empty and the date is in official_start (last)."""
    from tests.test_verify import OUTCOMES_HEADER, _write

    Store(tmp_path / "store").save("hillingdon", [_record("hillingdon-2018-04-ilacs", "ilacs", "2018-04-16", "2018-04-27", "2018-06-01",
                                                          type_="standard", judgements={"overall": _j("good", source="c" * 12, page=2)})])
    table = _write(tmp_path / "ilacs.csv", OUTCOMES_HEADER, [
        {"Local authority area code": "E09000017", "Local authority name": "Hillingdon", "Inspection date": "2018-04-16",
         "Inspection type": "ILACS Standard Inspection", "Overall effectiveness": "Inadequate"}])
    result = CliRunner().invoke(app, ["--store", str(tmp_path / "store"), "verify", str(table), "--format", "csv"], env=ENV)
    assert result.exit_code == 1 and result.stdout.splitlines() == [
        "id,authority,framework,judgement,store,official,official_published,official_line,printed,source,page,method,official_start",
        "hillingdon-2018-04-ilacs,hillingdon,ilacs,overall,good,inadequate,,2,Good,cccccccccccc,2,table,2018-04-16"]
