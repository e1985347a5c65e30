"""Reorganised councils: one history per authority, whatever order the documents arrive in.

Team-written documents (the grades and dates follow Ofsted's published outcomes):
- continued under the same name: North Yorkshire County Council's 2018 ILACS and North
  Yorkshire Council's 2023 ILACS; Buckinghamshire County Council's 2014 SIF (a mention) and
  Buckinghamshire Council's 2021 ILACS; Somerset County Council's 2022 ILACS;
- split: Northamptonshire's 2019 ILACS, North and West Northamptonshire's 2022 ILACS;
  Cumbria's 2022 ILACS, Cumberland's and Westmorland and Furness's 2024 ILACS;
- merged: Bournemouth's 2018 ILACS, BCP's 2021 ILACS; Dorset Council's 2021 ILACS mentioning
  Dorset County Council's 2016 inspection.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ofstl.history import assemble
from ofstl.ingest import Ingest
from ofstl.store import Store
from ofstl.views import timeline

JUDGEMENT_LABELS = [
    ("leadership", "The impact of leaders on social work practice with children and families"),
    ("help_and_protection", "The experiences and progress of children who need help and protection"),
    ("children_in_care", "The experiences and progress of children in care and care leavers"),
    ("care_leavers", "The experiences and progress of care leavers"),
    ("overall", "Overall effectiveness"),
]
WORDS = {"O": "Outstanding", "G": "Good", "RI": "Requires improvement to be good", "I": "Inadequate"}


def ilacs(name: str, first: str, last: str, grades: dict[str, str], extra: str = "") -> str:
    rows = []
    for key, label in JUDGEMENT_LABELS:
        if key in grades:
            if key == "children_in_care" and "care_leavers" in grades:
                label = "The experiences and progress of children in care"
            rows.append(f"{label}   {WORDS[grades[key]]}")
    table = "\n".join(rows)
    return (f"Inspection of {name} local authority children's services\n\nInspection dates: {first} to {last}\n"
            f"Lead inspector: A Inspector, His Majesty's Inspector\n\nJudgement   Grade\n{table}\n\n{extra}\n\n"
            "What needs to improve in this local authority?\n- The timeliness of assessments for children in need.\n")


DOCS = {
    "ny-2018.txt": ilacs("North Yorkshire County Council", "2 July 2018", "6 July 2018", {"leadership": "O", "help_and_protection": "O", "children_in_care": "O", "overall": "O"}),
    "ny-2023.txt": ilacs("North Yorkshire", "3 July 2023", "7 July 2023", {"leadership": "O", "help_and_protection": "O", "children_in_care": "O", "care_leavers": "O", "overall": "O"}),
    "bucks-2021.txt": ilacs("Buckinghamshire", "6 December 2021", "17 December 2021", {"leadership": "RI", "help_and_protection": "RI", "children_in_care": "RI", "overall": "RI"},
                            "At the previous inspection in 2014, services for children in Buckinghamshire were judged to be inadequate."),
    "somerset-2022.txt": ilacs("Somerset County Council", "18 July 2022", "29 July 2022", {"leadership": "G", "help_and_protection": "G", "children_in_care": "G", "overall": "G"}),
    "northants-2019.txt": ilacs("Northamptonshire", "17 June 2019", "28 June 2019", {"leadership": "RI", "help_and_protection": "I", "children_in_care": "I", "overall": "I"}),
    "nnorthants-2022.txt": ilacs("North Northamptonshire", "3 October 2022", "14 October 2022", {"leadership": "RI", "help_and_protection": "RI", "children_in_care": "RI", "overall": "RI"}),
    "wnorthants-2022.txt": ilacs("West Northamptonshire", "3 October 2022", "14 October 2022", {"leadership": "RI", "help_and_protection": "RI", "children_in_care": "RI", "overall": "RI"},
                                 "At the last inspection of Northamptonshire in June 2019, children's services were judged to be inadequate."),
    "cumbria-2022.txt": ilacs("Cumbria", "20 September 2022", "30 September 2022", {"leadership": "RI", "help_and_protection": "RI", "children_in_care": "G", "overall": "RI"}),
    "cumberland-2024.txt": ilacs("Cumberland", "7 October 2024", "18 October 2024", {"leadership": "G", "help_and_protection": "RI", "children_in_care": "G", "care_leavers": "G", "overall": "G"}),
    "wandf-2024.txt": ilacs("Westmorland and Furness", "22 April 2024", "3 May 2024", {"leadership": "G", "help_and_protection": "G", "children_in_care": "G", "care_leavers": "RI", "overall": "G"}),
    "bournemouth-2018.txt": ilacs("Bournemouth", "16 July 2018", "27 July 2018", {"leadership": "I", "help_and_protection": "RI", "children_in_care": "RI", "overall": "RI"}),
    "bcp-2021.txt": ilacs("Bournemouth, Christchurch and Poole", "6 December 2021", "17 December 2021", {"leadership": "I", "help_and_protection": "I", "children_in_care": "RI", "overall": "I"}),
    "dorset-2021.txt": ilacs("Dorset", "27 September 2021", "8 October 2021", {"leadership": "O", "help_and_protection": "G", "children_in_care": "G", "overall": "G"},
                             "At the previous inspection of Dorset County Council in 2016, services were judged to require improvement."),
}


def _ingest(tmp: Path, order: list[str]) -> Store:
    docs = tmp / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    for name, text in DOCS.items():
        (docs / name).write_text(text, encoding="utf-8")
    store = Store(tmp / "store")
    for name in order:  # one ingest per document: the order is the order of arrival
        ingest = Ingest(store, jobs=1)
        ingest.in_process = True
        ingest.run([str(docs / name)])
    return store


def _rows(store: Store, slug: str) -> list[tuple]:
    data = assemble(store, slug)
    assert data is not None, slug
    return [(r["framework"], r.get("start"), r["role"], r.get("predecessor_of"), r.get("inspected_as"),
             tuple(sorted((k, v["grade"]) for k, v in r["judgements"].items()))) for r in data["inspections"]]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return _ingest(tmp_path_factory.mktemp("reorg"), sorted(DOCS))


def test_a_continued_council_is_one_history_under_todays_slug(store: Store) -> None:
    assert set(store.slugs()).isdisjoint({"north-yorkshire-county-council", "buckinghamshire-county-council", "somerset-county-council"})
    ny = _rows(store, "north-yorkshire")
    assert [(r[0], r[1], r[4]) for r in ny] == [("ilacs", "2018-07-02", "north-yorkshire-county-council"), ("ilacs", "2023-07-03", None)]
    bucks = _rows(store, "buckinghamshire")
    assert [(r[0], r[1], r[2], r[4]) for r in bucks] == [("sif", "2014", "mentioned", "buckinghamshire-county-council"), ("ilacs", "2021-12-06", "subject", None)]
    assert dict(bucks[0][5]) == {"overall": "inadequate"}
    assert [(r[1], r[4]) for r in _rows(store, "somerset")] == [("2022-07-18", "somerset-county-council")]
    exported = {r["id"]: r for r in timeline(assemble(store, "north-yorkshire"))["inspections"]}
    assert exported["north-yorkshire-2018-07-ilacs"]["inspected_as"] == "north-yorkshire-county-council"


def test_a_split_council_keeps_its_history_and_names_its_successors(store: Store) -> None:
    northants = assemble(store, "northamptonshire")
    assert northants is not None and [s["authority"] for s in northants["successors"]] == ["north-northamptonshire", "west-northamptonshire"]
    # Its own report and West Northamptonshire's mention of it are one inspection.
    [record] = northants["inspections"]
    assert record["start"] == "2019-06-17" and len(record["sources"]) == 2 and "predecessor_of" not in record
    for successor in ("north-northamptonshire", "west-northamptonshire"):
        rows = _rows(store, successor)
        assert [(r[0], r[1], r[3]) for r in rows] == [("ilacs", "2019-06-17", "northamptonshire"), ("ilacs", "2022-10-03", None)]
    for successor in ("cumberland", "westmorland-and-furness"):
        assert [(r[1], r[3]) for r in _rows(store, successor)][0] == ("2022-09-20", "cumbria")


def test_merged_councils_show_each_predecessor(store: Store) -> None:
    bcp = _rows(store, "bournemouth-christchurch-and-poole")
    assert [(r[1], r[3]) for r in bcp] == [("2016", "dorset-county-council"), ("2018-07-16", "bournemouth"), ("2021-12-06", None)]
    dorset = _rows(store, "dorset")
    assert [(r[0], r[1], r[3]) for r in dorset] == [("sif", "2016", "dorset-county-council"), ("ilacs", "2021-09-27", None)]
    assert [(r[0], r[1], r[3]) for r in _rows(store, "dorset-county-council")] == [("sif", "2016", None)]


def test_a_grade_changes_only_from_the_same_councils_grade_before(store: Store) -> None:
    """The arrows of a successor's timeline: a predecessor's row against that council's own
    earlier grades only (Bournemouth's 2018 ILACS is no change from Dorset County Council's
    2016 SIF), the successor's first grades against its predecessor's only when it had one
    (Dorset, West Northamptonshire), never against one of several merged councils (BCP)."""
    def changes(slug: str) -> dict[str, dict[str, str]]:
        return {e["id"]: e["changes"] for e in timeline(assemble(store, slug))["inspections"]}

    bcp = changes("bournemouth-christchurch-and-poole")
    assert bcp == {"dorset-county-council-2016-sif": {}, "bournemouth-2018-07-ilacs": {}, "bournemouth-christchurch-and-poole-2021-12-ilacs": {}}
    assert changes("dorset")["dorset-2021-09-ilacs"] == {"overall": "up"}
    assert changes("west-northamptonshire")["west-northamptonshire-2022-10-ilacs"]["overall"] == "up"
    assert changes("north-yorkshire")["north-yorkshire-2023-07-ilacs"]["overall"] == "same"  # a continued council is one history


def test_a_diff_names_a_predecessors_inspection_and_compares_no_merged_councils_by_default(store: Store) -> None:
    from ofstl.errors import UsageError
    from ofstl.views import diff, diff_pair

    bcp = assemble(store, "bournemouth-christchurch-and-poole")
    with pytest.raises(UsageError, match="1 graded inspection of its own"):
        diff_pair(bcp)  # not Bournemouth's 2018 ILACS as if it were BCP's
    view = diff(bcp, *diff_pair(bcp, "2018", "2021"))
    assert view["from"]["predecessor_of"] == "bournemouth" and "predecessor_of" not in view["to"]
    assert any("inspection of Bournemouth (a predecessor council)" in w for w in view["warnings"])
    west = assemble(store, "west-northamptonshire")
    before, after = diff_pair(west)  # its one predecessor's inspection is compared, and named
    assert (before["id"], after["id"]) == ("northamptonshire-2019-06-ilacs", "west-northamptonshire-2022-10-ilacs")
    assert any("inspection of Northamptonshire" in w for w in diff(west, before, after)["warnings"])


def test_export_and_list_give_each_inspection_once_under_the_council_inspected(store: Store) -> None:
    """West Northamptonshire's mention of Northamptonshire's 2019 ILACS was exported twice (as
    northamptonshire-2019-06-ilacs and as west-northamptonshire-2019-06-ilacs), and Dorset
    County Council's 2016 SIF under Dorset; each is now one row, under the council inspected,
    as the timelines show them."""
    import json

    from typer.testing import CliRunner

    from ofstl.cli import app

    result = CliRunner().invoke(app, ["export", "--store", str(store.root)])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["inspections"]
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    northants = [r for r in rows if r["start"] and r["start"].startswith("2019-06")]
    assert [(r["id"], r["authority"], len(r["sources"])) for r in northants] == [("northamptonshire-2019-06-ilacs", "northamptonshire", 2)]
    dorset_cc = [r for r in rows if r["framework"] == "sif" and r["start"] == "2016"]
    assert [(r["authority"], r["judgements"]) for r in dorset_cc] == [("dorset-county-council", {"overall": "requires improvement"})]
    assert "inspected_as" not in dorset_cc[0]  # it is that council's own history
    listed = CliRunner().invoke(app, ["list", "--store", str(store.root), "--format", "json"])
    assert {r["authority"]: r["inspections"] for r in json.loads(listed.stdout)}["dorset-county-council"] == 1


def test_a_correction_of_a_predecessors_row_shows_wherever_that_inspection_does(store: Store, tmp_path: Path) -> None:
    """`ofstl correct dorset 2016 ...` said "corrected dorset-2016-sif" but no view showed it
    (the row is Dorset County Council's); `correct "dorset county council" 2016` said there were
    no inspections of it; `correct bournemouth-christchurch-and-poole 2018` found no 2018. Each
    is now stored with the council inspected and shown in every timeline with that row."""
    import json
    import shutil

    from typer.testing import CliRunner

    from ofstl.cli import app

    copy = tmp_path / "store"
    shutil.copytree(store.root, copy)

    def run(*args: str) -> str:
        result = CliRunner().invoke(app, [*args, "--store", str(copy)])
        assert result.exit_code == 0, result.output
        return result.stdout

    def grade(slug: str, rid: str) -> str:
        rows = json.loads(run("timeline", slug, "--format", "json"))["inspections"]
        return next(e for e in rows if e["id"] == rid)["judgements"]["overall"]

    run("correct", "dorset", "2016", "overall", "inadequate", "--note", "the later report misremembers it")
    for slug in ("dorset", "bournemouth-christchurch-and-poole", "dorset-county-council"):
        assert grade(slug, "dorset-county-council-2016-sif") == "inadequate", slug
    run("correct", "Dorset County Council", "2016", "overall", "good", "--note", "second look")
    assert grade("dorset", "dorset-county-council-2016-sif") == "good"
    run("correct", "bournemouth-christchurch-and-poole", "2018", "overall", "inadequate", "--note", "as printed")
    assert grade("bournemouth", "bournemouth-2018-07-ilacs") == grade("bournemouth-christchurch-and-poole", "bournemouth-2018-07-ilacs") == "inadequate"
    exported = {r["id"]: r for r in json.loads(run("export"))["inspections"]}
    assert exported["dorset-county-council-2016-sif"]["judgements"]["overall"] == "good"
    assert exported["bournemouth-2018-07-ilacs"]["corrections"][0]["note"] == "as printed"
    shown = CliRunner().invoke(app, ["timeline", "dorset-county-council", "--store", str(copy)])
    assert "matches no inspection" not in shown.stderr
    # verify checks the corrected grade, as the timelines show it
    from tests.test_verify import HISTORY_HEADER, _write

    table = _write(tmp_path / "history.csv", HISTORY_HEADER, [
        {"table": "Table 11 (LAs that existed before restructure)", "Local authority name": "Dorset",
         "Single Inspection of LA Children's Services (SIF)  First SIF publication date": "2016-05-23",
         "First SIF Overall Judgement (OE)": "Requires improvement to be good"}])
    checked = CliRunner().invoke(app, ["verify", str(table), "--store", str(copy), "--format", "json"])
    assert [(d["id"], d["store"]) for d in json.loads(checked.stdout)["disagreements"]] == [("dorset-county-council-2016-sif", "good")]
    # and they survive a rebuild of every file involved
    run("ingest", "--rebuild", "dorset", "--rebuild", "dorset-county-council", "--rebuild", "bournemouth")
    assert grade("dorset", "dorset-county-council-2016-sif") == "good"
    assert grade("bournemouth-christchurch-and-poole", "bournemouth-2018-07-ilacs") == "inadequate"


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(sorted(DOCS)))
def test_any_order_of_ingest_gives_the_same_histories(order: list[str], store: Store, tmp_path_factory: pytest.TempPathFactory) -> None:
    other = _ingest(tmp_path_factory.mktemp("order"), list(order))
    for slug in ("north-yorkshire", "buckinghamshire", "somerset", "northamptonshire", "north-northamptonshire", "west-northamptonshire",
                 "cumbria", "cumberland", "westmorland-and-furness", "bournemouth-christchurch-and-poole", "dorset", "dorset-county-council", "bournemouth"):
        assert _rows(other, slug) == _rows(store, slug), slug


def test_list_folds_a_file_an_older_ofstl_left_under_a_continued_councils_slug(store: Store, tmp_path: Path) -> None:
    import json
    import shutil

    from typer.testing import CliRunner

    from ofstl.cli import app

    copy = Store(tmp_path / "store")
    shutil.copytree(store.root, copy.root)
    somerset = copy.load("somerset")
    assert somerset is not None
    copy.save("somerset-county-council", somerset["inspections"])  # what an older ofstl wrote
    copy.file_for("somerset").unlink()

    def listed() -> dict[str, dict]:
        result = CliRunner().invoke(app, ["list", "--store", str(copy.root), "--format", "json"])
        assert result.exit_code == 0, result.output
        return {row["authority"]: row for row in json.loads(result.stdout)}

    rows = listed()
    assert "somerset-county-council" not in rows
    assert (rows["somerset"]["inspections"], rows["somerset"]["latest_grade"]) == (1, "good")
    # A successor lists its own inspections; its predecessors keep theirs.
    assert (rows["bournemouth-christchurch-and-poole"]["inspections"], rows["bournemouth-christchurch-and-poole"]["first"]) == (1, "2021")
    assert rows["northamptonshire"]["inspections"] == 1
