"""The views across authorities and the list give one reading of "the latest grade".

A small hand-built store (an ILACS from April 2026 with no overall judgement after a graded
one, an ILACS of 2018 that judged no care leavers after a SIF that did, an ILACS known only
from a mention that gives none of its grades, an open "SIF or ILACS" after a SIF, visits and
mentions). Each test works out the answer from the export JSON with a few lines of its own,
never with the view code, and asks ``compare``, ``national``, ``list`` and ``due`` in their
machine formats and on the terminal.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ofstl.cli import app
from ofstl.store import Store
from tests.fixture_store import _record
from tests.test_across_latest import _first_day, _inspection

AS_AT = "2026-09-01"
KEYS = ["overall", "leadership", "help_and_protection", "children_in_care", "care_leavers"]
WITH = "hounslow,ealing,medway,hillingdon"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("agree") / "store"
    s = Store(root)
    s.save("trafford", [_inspection("trafford", "ilacs", "2022-09-05", "short", overall="good", leadership="good",
                                    help_and_protection="good", children_in_care="good"),
                        _inspection("trafford", "ilacs", "2026-06-08", "standard", leadership="requires_improvement",
                                    help_and_protection="good", children_in_care="good", care_leavers="good")])
    s.save("hounslow", [_inspection("hounslow", "sif", "2014-01-13", overall="requires_improvement", care_leavers="requires_improvement",
                                    adoption="good", leadership="requires_improvement"),
                        _inspection("hounslow", "ilacs", "2018-10-01", "standard", overall="good", leadership="good")])
    s.save("ealing", [_inspection("ealing", "sif", "2016-05-09", overall="good"),
                      _inspection("ealing", "sif-or-ilacs", "2018", role="mentioned", overall="inadequate")])
    s.save("medway", [_inspection("medway", "sif", "2015-03-02", overall="requires_improvement"),
                      _inspection("medway", "ilacs", "2019-06-03", role="mentioned")])
    # every kind of record the list counts: inspections read, visits read, and mentions
    s.save("hillingdon", [_inspection("hillingdon", "cra", "2009-07", role="mentioned"),
                          _inspection("hillingdon", "slac", "2009-12-07", children_in_care="good"),
                          _record("hillingdon-2011-01-cra", "cra", "2011-01-18"),
                          _inspection("hillingdon", "sif", "2013-11-25", overall="requires_improvement"),
                          _inspection("hillingdon", "ilacs", "2018-04-16", "standard", overall="good"),
                          _record("hillingdon-2020-01-focused-visit", "focused-visit", "2020-01-15"),
                          _record("hillingdon-2021-03-monitoring-visit", "monitoring-visit", "2021-03-02"),
                          _inspection("hillingdon", "ilacs", "2023-10-02", "short", overall="outstanding")])
    return root


def run(root: Path, *args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--store", str(root)], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    return result.stdout


def as_json(root: Path, *args: str) -> Any:
    return json.loads(run(root, *args, "--format", "json"))


def as_csv(root: Path, *args: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(run(root, *args, "--format", "csv"))))


def researchers_latest_full(root: Path) -> dict[str, dict[str, Any]]:
    """authority -> its latest full inspection (SIF or ILACS, settled) by first possible day;
    on the same day its own report outranks a mention."""
    out: dict[str, dict[str, Any]] = {}
    for r in as_json(root, "export")["inspections"]:
        if r["framework"] not in ("sif", "ilacs") or not r["start"] or _first_day(r["start"]) > AS_AT:  # type: ignore[operator]
            continue
        held = out.get(r["authority"])
        if held is None or (_first_day(r["start"]), r["role"] == "subject") >= (_first_day(held["start"]), held["role"] == "subject"):
            out[r["authority"]] = r
    return out


def test_compare_national_and_due_read_each_judgement_from_the_latest_full_inspection(store: Path) -> None:
    """Trafford's 2026 ILACS made no overall judgement: national said 'not judged' while compare
    gave the 2022 ILACS's 'good' as Trafford's overall grade (JSON, CSV, and 'G 2022' in the table);
    Hounslow's 2018 ILACS judged no care leavers, yet compare gave the 2014 SIF's. Each view now
    gives the latest full inspection's own grade, and none where it made no such judgement."""
    latest = researchers_latest_full(store)
    national = {s["authority"]: s["grades"] for s in as_json(store, "national", "--as-at", AS_AT)["sources"]}
    compare = {r["authority"]: r for r in as_json(store, "compare", "trafford", "--with", WITH, "--as-at", AS_AT)["rows"] if r["in_store"]}
    rows = {r["authority"]: r for r in as_csv(store, "compare", "trafford", "--with", WITH, "--as-at", AS_AT)}
    assert set(latest) == set(national) == {a for a, r in compare.items() if r["last_full"]}
    for slug, record in latest.items():
        for key in KEYS:
            wanted = record["judgements"].get(key)
            assert national[slug].get(key) == wanted, (slug, key)
            assert (compare[slug]["judgements"].get(key) or {}).get("grade") == wanted, (slug, key)
            assert rows[slug][key] == (wanted or ""), (slug, key)
    distribution = {d["judgement"]: d for d in as_json(store, "national", "--as-at", AS_AT)["judgements"]}
    assert distribution["overall"]["not_judged"] == 1 and distribution["care_leavers"]["not_judged"] == 2
    due = {r["authority"]: r for r in as_json(store, "due", "--as-at", AS_AT)["authorities"]}
    assert (due["trafford"]["grade"], due["trafford"]["grade_basis"]) == ("requires improvement", "lowest judgement (no overall)")


def test_an_earlier_grade_is_shown_only_as_superseded(store: Path) -> None:
    """The grade before a judgement the latest inspection did not make is kept, named as an
    earlier inspection's and superseded, in every format; 'grade not stated' likewise."""
    view = as_json(store, "compare", "trafford", "--with", WITH, "--as-at", AS_AT)
    rows = {r["authority"]: r for r in view["rows"]}
    overall = rows["trafford"]["judgements"]["overall"]
    assert (overall["grade"], overall["status"], overall["inspection"]) == (None, "not judged", "trafford-2026-06-ilacs")
    assert {k: overall["superseded"][k] for k in ("grade", "date", "inspection")} == {
        "grade": "good", "date": "2022-09-05", "inspection": "trafford-2022-09-ilacs"}
    leavers = rows["hounslow"]["judgements"]["care_leavers"]
    assert (leavers["status"], leavers["superseded"]["grade"], leavers["superseded"]["date"]) == ("not judged", "requires improvement", "2014-01-13")
    assert rows["hounslow"]["judgements"]["adoption"]["superseded"]["grade"] == "good"
    stated = rows["medway"]["judgements"]["overall"]
    assert (stated["grade"], stated["status"], stated["superseded"]["grade"]) == (None, "grade not stated", "requires improvement")
    assert rows["trafford"]["judgements"]["leadership"]["status"] == "graded"
    assert rows["trafford"]["judgements"]["leadership"]["superseded"] is None

    csv_rows = {r["authority"]: r for r in as_csv(store, "compare", "trafford", "--with", WITH, "--as-at", AS_AT)}
    assert ({k: csv_rows["trafford"][k] for k in ("overall", "overall_status", "overall_superseded", "overall_superseded_date")}
            == {"overall": "", "overall_status": "not judged", "overall_superseded": "good", "overall_superseded_date": "2022-09-05"})
    assert (csv_rows["medway"]["overall_status"], csv_rows["medway"]["overall_superseded"]) == ("grade not stated", "requires improvement")
    assert csv_rows["trafford"]["leadership_status"] == "graded" and csv_rows["trafford"]["leadership_superseded"] == ""

    table = run(store, "compare", "trafford", "--with", WITH, "--as-at", AS_AT)
    trafford = next(line for line in table.splitlines() if line.startswith("trafford "))
    assert "G 2022" not in trafford.replace("(G 2022)", "")  # never a bare grade with a year
    assert "(G 2022)" in trafford
    assert "superseded" in table
    page = run(store, "compare", "trafford", "--with", WITH, "--as-at", AS_AT, "--format", "markdown")
    trafford_md = next(line for line in page.splitlines() if line.startswith("| **Trafford**"))
    assert "superseded" in trafford_md and "not judged" in trafford_md.lower()


def test_list_reads_the_latest_grade_by_the_same_rule(store: Path) -> None:
    """The list's latest grade is the same function's reading: no overall grade for Trafford's
    2026 ILACS, 'grade not stated' for Medway's mentioned ILACS."""
    rows = {r["authority"]: r for r in as_json(store, "list")}
    assert (rows["trafford"]["latest_grade"], rows["trafford"]["latest_headline"], rows["trafford"]["latest_year"]) == (
        None, "no overall grade", "2026")
    assert (rows["medway"]["latest_grade"], rows["medway"]["latest_headline"], rows["medway"]["latest_graded"]) == (
        None, "grade not stated", "medway-2019-06-ilacs")
    assert (rows["hounslow"]["latest_grade"], rows["hounslow"]["latest_year"]) == ("good", "2018")


def test_due_names_an_open_sif_or_ilacs_after_the_last_full_inspection_and_claims_no_overdue(store: Path) -> None:
    """Ealing's 2016 SIF (good), then a story's "inspected in 2018 and judged inadequate", which
    could be a SIF re-inspection or an ILACS: due said Ealing was overdue from the 2016 SIF and
    named nothing, though a full inspection followed it whichever it was. Where the next window
    falls depends on that inspection, so there is none until its framework is settled, and the
    row names it in every format."""
    row = {r["authority"]: r for r in as_json(store, "due", "--as-at", AS_AT)["authorities"]}["ealing"]
    assert row["last_full"]["id"] == "ealing-2016-05-sif"  # counted as neither SIF nor ILACS, as national counts it
    assert row["status"] != "overdue" and row.get("overdue_months") is None and row["next"] is None
    assert row["open_since"] == [{"id": "ealing-2018-sif-or-ilacs", "framework": "other", "framework_candidates": ["sif", "ilacs"],
                                  "start": "2018", "grade": "inadequate"}]
    csv_row = {r["authority"]: r for r in as_csv(store, "due", "--as-at", AS_AT)}["ealing"]
    assert (csv_row["open_since"], csv_row["overdue_months"], csv_row["window_opens"]) == ("ealing-2018-sif-or-ilacs", "", "")
    table = run(store, "due", "--as-at", AS_AT)
    ealing = next(line for line in table.splitlines() if line.startswith("ealing "))
    assert "overdue" not in ealing and "SIF or ILACS" in ealing
    assert "ealing-2018-sif-or-ilacs" in table and "ofstl correct ealing 2018 framework" in table
    single = run(store, "due", "ealing", "--as-at", AS_AT)
    assert "ealing-2018-sif-or-ilacs" in single and "overdue" not in single
    page = run(store, "due", "--as-at", AS_AT, "--format", "markdown")
    assert "ealing-2018-sif-or-ilacs" in page
    # a SIF and ILACS as settled: the cycle counts from the settled ones as before
    others = {r["authority"]: r for r in as_json(store, "due", "--as-at", AS_AT)["authorities"]}
    assert "open_since" not in others["hounslow"] and others["hounslow"]["status"] == "overdue"


def test_the_lists_inspections_column_counts_inspections_and_apart_visits_and_mentions(store: Path) -> None:
    """Hillingdon's list row said 8 inspections: 5 whose own reports are in the store, a focused
    and a monitoring visit, and a 2009 inspection only mentioned later. The table's column counts
    what its heading says; visits and mentions have columns of their own, and JSON and CSV add
    them beside the total they kept."""
    export = [r for r in as_json(store, "export")["inspections"] if r["authority"] == "hillingdon"]
    visits = [r for r in export if r["role"] == "subject" and r["framework"] in ("focused-visit", "monitoring-visit")]
    read = [r for r in export if r["role"] == "subject" and r not in visits]
    mentioned = [r for r in export if r["role"] == "mentioned"]
    row = {r["authority"]: r for r in as_json(store, "list")}["hillingdon"]
    assert (row["inspections"], row["inspections_read"], row["visits_read"], row["mentioned"]) == (
        len(export), len(read), len(visits), len(mentioned)) == (8, 5, 2, 1)
    csv_row = {r["authority"]: r for r in as_csv(store, "list")}["hillingdon"]
    assert (csv_row["inspections"], csv_row["inspections_read"], csv_row["visits_read"], csv_row["mentioned"]) == ("8", "5", "2", "1")
    lines = run(store, "list").splitlines()
    header = lines[0].split()
    cells = next(line for line in lines if line.startswith("hillingdon ")).split()
    assert header[:5] == ["authority", "name", "inspections", "visits", "mentioned"] and cells[2:5] == ["5", "2", "1"]


def test_the_readme_says_what_the_timeline_json_counts_where_the_export_has_lists(tmp_path: Path) -> None:
    """The timeline JSON's ``sources``, ``weaknesses`` and ``disagreements`` share the export's
    names but are kinds and counts; README said nothing of the first two and called the third
    'how many fields documents read differently', which it is not when one document also
    disagrees with itself about a field. The values stay (a contract); README says what they are."""
    from tests.fixture_store import _j, _src

    record = _record("hounslow-2018-10-ilacs", "ilacs", "2018-10-01", judgements={"overall": _j("good")},
                     sources=[_src("a.pdf", "a"), _src("b.html", "b", kind="news")])
    reading = {"value": "good", "sha256": "a" * 64, "kind": "ofsted-report", "page": 1, "method": "table"}
    record["disagreements"] = [{"field": "judgements.overall", "readings": [reading, {**reading, "value": "outstanding", "page": 2}], "within": "a" * 64},
                               {"field": "judgements.overall", "readings": [reading, {**reading, "value": "inadequate", "sha256": "b" * 64, "kind": "news"}]}]
    Store(tmp_path).save("hounslow", [record])
    [event] = as_json(tmp_path, "timeline", "hounslow")["inspections"]
    [exported] = as_json(tmp_path, "export")["inspections"]
    assert event["sources"] == [s["kind"] for s in exported["sources"]] and event["weaknesses"] == len(exported["weaknesses"])
    assert (event["disagreements"], event["disagreement_fields"]) == (len(exported["disagreements"]), ["judgements.overall"]) == (2, ["judgements.overall"])
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    paragraph = readme[readme.index("**`ofstl timeline --format json`**"):]
    paragraph = " ".join(paragraph[:paragraph.index("\n\n")].split())
    assert "`sources` the kinds of its documents" in paragraph
    assert "`weaknesses` the number of its weakness items" in paragraph
    assert "`disagreements` the number of entries in the export's `disagreements` list" in paragraph
