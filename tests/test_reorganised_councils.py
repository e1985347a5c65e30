"""Reorganised and renamed councils in every view: the store's files as reorganisations leave
them, and what each command makes of them.

A successor's file may hold only what its papers say of the council it replaced (Cumberland's
cabinet paper about Cumbria's 2022 ILACS); a continued council's inspection may sit in a file
under the old council's slug (an older ofstl wrote ``somerset-county-council.yaml``); a
successor's own report mentions its predecessor's inspection (West Northamptonshire's 2022
ILACS and Northamptonshire's 2019 one). Each view must show each inspection once, under the
council inspected, as the timelines do. Team-written documents; grades and dates follow
Ofsted's published outcomes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ofstl.cli import app
from ofstl.ingest import Ingest
from ofstl.store import Store
from tests.test_reorganisations import DOCS, ilacs

CUMBERLAND_PAPER = """CUMBERLAND COUNCIL

Cabinet - 20 June 2023

CHILDREN'S SERVICES: SELF-EVALUATION AND IMPROVEMENT PLAN

Cabinet Member       Cabinet Member for Children's Services
Officer Contact      Director of Children's Services
Wards affected       All

1. RECOMMENDATIONS

That Cabinet notes the self-evaluation and endorses the improvement plan.

2. SUMMARY

Cumberland Council became responsible for children's services on 1 April 2023. At the last
inspection of Cumbria in September 2022, children's services were judged to require
improvement to be good. This report sets out the council's self-evaluation and its plan.

3. Financial implications

None arising from this report.
"""

SOMERSET_2022 = ilacs("Somerset County Council", "18 July 2022", "29 July 2022",
                      {"leadership": "G", "help_and_protection": "G", "children_in_care": "G", "overall": "G"}).replace(
    "What needs to improve in this local authority?\n- The timeliness of assessments for children in need.\n",
    "What needs to improve?\n- The timeliness of assessments for children in need.\n"
    "- How well partner agencies share information at the front door.\n\n"
    "The experiences and progress of children who need help and protection: good\n\nFamilies get help early.\n")


def ingest(root: Path, docs: dict[str, str]) -> Store:
    folder = root.parent / (root.name + "-docs")
    folder.mkdir(parents=True, exist_ok=True)
    store = Store(root)
    for name, text in docs.items():
        (folder / name).write_text(text, encoding="utf-8")
        run = Ingest(store, jobs=1)
        run.in_process = True
        run.run([str(folder / name)])
    return store


def ofstl(store: Store, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(app, [*args, "--store", str(store.root)], env={"COLUMNS": "100"})
    assert result.exit_code == code, result.output
    return result.stdout


def as_json(store: Store, *args: str) -> object:
    return json.loads(ofstl(store, *args, "--format", "json"))


@pytest.fixture(scope="module")
def cumberland(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """Cumberland's file holds only Cumbria's inspection (its paper's mention of it)."""
    return ingest(tmp_path_factory.mktemp("cumberland") / "store", {"cumberland-paper.txt": CUMBERLAND_PAPER})


@pytest.fixture(scope="module")
def west(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """West Northamptonshire's 2022 ILACS, which mentions Northamptonshire's 2019 ILACS."""
    return ingest(tmp_path_factory.mktemp("west") / "store", {"wnorthants-2022.txt": DOCS["wnorthants-2022.txt"]})


@pytest.fixture(scope="module")
def somerset_legacy(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A store whose one file is under the continued council's slug (what an older ofstl wrote)."""
    store = ingest(tmp_path_factory.mktemp("somerset") / "store", {"somerset-2022.txt": SOMERSET_2022})
    data = store.load("somerset")
    assert data is not None
    store.save("somerset-county-council", data["inspections"])
    store.file_for("somerset").unlink()
    assert store.slugs() == ["somerset-county-council"]
    return store


# --------------------------------------------------------------------------- reading a successor's paper


def test_a_successors_paper_about_its_predecessor_is_filed_under_the_successor(cumberland: Store) -> None:
    """Cumberland's cabinet paper was filed under Cumbria ("the last inspection of Cumbria in
    September 2022, children's services were ..." was read as a report's title), with an
    invented ILACS of Cumbria on 1 April 2023 (the day Cumberland "became responsible for
    children's services"), or, once under Cumberland, an undated ILACS beside the mention."""
    assert cumberland.slugs() == ["cumberland"]
    data = cumberland.load("cumberland")
    assert data is not None
    assert [(r["framework"], r["start"], r["role"], r.get("inspected_as")) for r in data["inspections"]] == [
        ("ilacs", "2022-09", "mentioned", "cumbria")]


# --------------------------------------------------------------------------- list


def test_list_says_a_successor_has_no_inspection_of_its_own_and_whose_it_shows(cumberland: Store) -> None:
    """Cumberland's row said "0 · not graded" (it has no inspection, graded or not); its
    timeline shows Cumbria's ILACS. The row says it has none of its own and names the
    predecessor whose inspections its timeline shows; Cumbria's row lists the inspection."""
    rows = {r["authority"]: r for r in as_json(cumberland, "list")}
    assert (rows["cumbria"]["inspections"], rows["cumbria"]["latest_grade"]) == (1, "requires improvement")
    assert rows["cumberland"]["inspections"] == 0
    assert rows["cumberland"]["latest_headline"] == "no inspection of its own"
    assert rows["cumberland"]["predecessors"] == ["cumbria"]
    table = ofstl(cumberland, "list")
    assert "not graded" not in table
    line = next(line for line in table.splitlines() if line.startswith("cumberland"))
    assert "no inspection of its own" in line and "cumbria" in line
    assert ofstl(cumberland, "list", "--format", "csv").splitlines()[1] == "cumberland,Cumberland,0,,,,,no inspection of its own,cumbria,0,0,0"


# --------------------------------------------------------------------------- across authorities


def test_a_predecessors_inspection_in_a_successors_file_is_the_predecessors_in_national_compare_and_due(cumberland: Store, west: Store) -> None:
    """national, compare and due read the files as they lie: Cumbria's 2022 ILACS (in
    Cumberland's file) counted as Cumberland's after April 2023 and not as Cumbria's before,
    and Northamptonshire's 2019 ILACS (in West Northamptonshire's file) was West
    Northamptonshire's last full inspection in 2022, under an id no other view knows
    (west-northamptonshire-2019-06-ilacs), and a pair of its inspections in the backtest.
    Each is its own council's, as list, export and the timelines say; a new unitary counts
    from its first day (README: national)."""
    before = as_json(cumberland, "national", "--as-at", "2023-01-01")
    assert before["covered"] == 1 and [s["authority"] for s in before["sources"]] == ["cumbria"]
    assert as_json(cumberland, "national", "--as-at", "2024-01-01")["covered"] == 0
    row = as_json(cumberland, "compare", "cumberland", "--as-at", "2024-01-01")["rows"][0]
    assert (row["authority"], row["last_full"], row["judgements"]) == ("cumberland", None, {})
    [due] = as_json(cumberland, "due", "--as-at", "2024-01-01")["authorities"]
    assert (due["authority"], due["last_full"]) == ("cumberland", None)

    [due] = as_json(west, "due", "--as-at", "2022-01-01")["authorities"]
    assert (due["authority"], due["last_full"]) == ("west-northamptonshire", None)
    row = as_json(west, "compare", "west-northamptonshire", "--with", "northamptonshire", "--as-at", "2022-01-01")["rows"]
    assert [(r["authority"], (r["last_full"] or {}).get("id")) for r in row] == [
        ("west-northamptonshire", None), ("northamptonshire", "northamptonshire-2019-06-ilacs")]
    assert as_json(west, "national", "--as-at", "2022-01-01")["covered"] == 0
    assert as_json(west, "due", "--backtest")["pairs"] == []
    ids = {s["inspection"] for s in as_json(west, "national", "--as-at", "2020-01-01")["sources"]}
    assert ids == {"northamptonshire-2019-06-ilacs"}


def test_a_store_holding_only_a_continued_councils_file_is_that_councils_successors_history(somerset_legacy: Store) -> None:
    """somerset-county-council.yaml alone: compare somerset said "not stored", and themes
    counted the inspection under somerset-county-council; every view shows it as Somerset's,
    as its timeline does."""
    row = as_json(somerset_legacy, "compare", "somerset")["rows"][0]
    assert (row["in_store"], row["last_full"]["id"], row["judgements"]["overall"]["grade"]) == (True, "somerset-2022-07-ilacs", "good")
    assert "not stored" not in ofstl(somerset_legacy, "compare", "somerset").splitlines()[3]
    assert [r["authority"] for r in as_json(somerset_legacy, "due")["authorities"]] == ["somerset"]
    assert [s["authority"] for s in as_json(somerset_legacy, "national", "--as-at", "2023-01-01")["sources"]] == ["somerset"]
    assert as_json(somerset_legacy, "themes")["inspections"] == 1
    theme = as_json(somerset_legacy, "themes", "--theme", "assessment_quality")
    assert [a["authority"] for a in theme["authorities"]] == ["somerset"]
    assert [r["authority"] for r in as_json(somerset_legacy, "list")] == ["somerset"]
    assert [r["authority"] for r in as_json(somerset_legacy, "export")["inspections"]] == ["somerset"]
    # an authority the store lacks: the hint names what it has as the views take it
    result = CliRunner().invoke(app, ["timeline", "devon", "--store", str(somerset_legacy.root)])
    assert result.exit_code == 2 and "the store has: somerset;" in result.stderr


# --------------------------------------------------------------------------- the † legend


@pytest.fixture(scope="module")
def corrected(west: Store, tmp_path_factory: pytest.TempPathFactory) -> Store:
    """West Northamptonshire's store with a correction of its predecessor's row and of its own ILACS."""
    import shutil

    copy = Store(tmp_path_factory.mktemp("corrected") / "store")
    shutil.copytree(west.root, copy.root)
    ofstl(copy, "correct", "west-northamptonshire", "2019", "overall", "requires improvement", "--note", "a second look")
    ofstl(copy, "correct", "west-northamptonshire", "2022", "leadership", "good", "--note", "as printed on page 2")
    return copy


def test_the_corrected_grade_legend_names_the_command_that_says_why(corrected: Store) -> None:
    """The † legend said "ofstl show AUTHORITY WHEN says why" in every view and format; it
    names the command for each corrected inspection shown, filled in (as ofstl correct's
    refusals are): a predecessor's row by the timeline's authority and the row's id, which
    show accepts."""
    pred = "ofstl show west-northamptonshire northamptonshire-2019-06-ilacs"
    own = "ofstl show west-northamptonshire west-northamptonshire-2022-10-ilacs"
    outputs = {
        "timeline": " ".join(ofstl(corrected, "timeline", "west-northamptonshire").split()),
        "timeline markdown": ofstl(corrected, "timeline", "west-northamptonshire", "--format", "markdown"),
        "timeline html": ofstl(corrected, "timeline", "west-northamptonshire", "--format", "html"),
    }
    for name, text in outputs.items():
        assert "AUTHORITY WHEN" not in text, name
        assert f"† corrected by hand ({pred}; {own} say why)" in text, name
    svg = ofstl(corrected, "timeline", "west-northamptonshire", "--format", "svg")
    assert f"† corrected by hand ({pred}, and 1 more, say why)" in svg  # one line of the picture
    assert "a second look" in ofstl(corrected, "show", "west-northamptonshire", "northamptonshire-2019-06-ilacs")  # the command works

    compare = " ".join(ofstl(corrected, "compare", "west-northamptonshire", "--with", "northamptonshire").split())
    assert f"† corrected by hand ({own}; ofstl show northamptonshire northamptonshire-2019-06-ilacs say why)" in compare
    markdown = ofstl(corrected, "compare", "west-northamptonshire", "--with", "northamptonshire", "--format", "markdown")
    assert f"† corrected by hand ({own}; ofstl show northamptonshire northamptonshire-2019-06-ilacs say why)" in markdown
    for args in (["due"], ["due", "--format", "markdown"]):
        text = " ".join(ofstl(corrected, *args).split())
        assert f"† the last full inspection's grade, date or framework was corrected by hand ({own} says why)" in text, args
    for args in (["national", "--as-at", "2020-01-01"], ["national", "--as-at", "2020-01-01", "--format", "markdown"]):
        text = " ".join(ofstl(corrected, *args).split())
        assert "counted as corrected: northamptonshire overall (ofstl show northamptonshire northamptonshire-2019-06-ilacs says why)" in text, args
    # and the show command it names ("corrected by hand, DATE: WHY") says why
    assert "a second look" in ofstl(corrected, "show", "northamptonshire", "northamptonshire-2019-06-ilacs")


# --------------------------------------------------------------------------- SIGTERM


@pytest.mark.parametrize("group", [False, True], ids=["the process", "its process group"])
def test_sigterm_stops_an_ingest_as_ctrl_c_does_and_says_so(tmp_path: Path, group: bool) -> None:
    """SIGTERM (kill, timeout, a service manager) ended ofstl at once with exit 143 and no word
    on stderr, cleaning up nothing. It now stops as Ctrl-C does: the store whole (no
    temporary file, every file loads, no document stored twice), a short message on stderr,
    exit 143 (128 + 15, as a shell reports it); sent to the whole process group, the worker
    processes leave it to the parent and no file is remembered as failed."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from tests import docgen
    from tests.test_kill import ROOT, check_store

    docs = tmp_path / "docs"
    docgen.good_documents(docs, 300)
    root = tmp_path / "store"
    proc = subprocess.Popen([sys.executable, "-m", "ofstl", "ingest", str(docs), "--store", str(root), "-j", "1", "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any((root / "authorities").glob("*.yaml")):
        time.sleep(0.02)
    (os.killpg if group else os.kill)(proc.pid, signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert err.decode().strip() == "ofstl: terminated (SIGTERM); what was finished is stored, run the same command again to go on"
    stored = check_store(root)
    assert 0 < len(stored) < 300
    assert [p.name for p in (root / "authorities").iterdir() if p.suffix != ".yaml"] == []
    assert not (root / "cache" / "failed").exists() or not any((root / "cache" / "failed").iterdir())
    again = subprocess.run([sys.executable, "-m", "ofstl", "ingest", str(docs), "--store", str(root), "-q"],
                           capture_output=True, cwd=ROOT, timeout=120)
    assert again.returncode == 0, again.stderr
    assert len(check_store(root)) == 300


# --------------------------------------------------------------------------- diff


def test_the_diff_page_heads_each_column_with_its_date_and_the_council_inspected(west: Store) -> None:
    """`diff --format markdown` headed both columns "ILACS (standard)" (two inspections of one
    framework), saying neither when they were nor that the first was Northamptonshire's."""
    page = ofstl(west, "diff", "west-northamptonshire", "--format", "markdown")
    assert "| Judgement | Northamptonshire: ILACS, 2019-06 | ILACS (standard), 2022-10-03 | Change |" in page
    side = as_json(west, "diff", "west-northamptonshire")["from"]
    assert (side["predecessor_of"], side["predecessor_name"]) == ("northamptonshire", "Northamptonshire")


# --------------------------------------------------------------------------- due and compare of a council that was reorganised


def test_an_abolished_council_is_due_no_inspection_and_a_continued_one_compares_as_todays(west: Store, somerset_legacy: Store) -> None:
    """`due northamptonshire` said "overdue" years after the council was abolished; `compare
    somerset-county-council` said "not stored" though its inspection is Somerset's (as national
    and due count it)."""
    [row] = as_json(west, "due", "northamptonshire")["authorities"]
    assert (row["next"], row["status"]) == (None, "abolished 2021-03-31: succeeded by north-northamptonshire, west-northamptonshire")
    table = ofstl(west, "due", "northamptonshire")
    assert "overdue" not in table and "abolished 2021-03-31: succeeded by north-northamptonshire, west-northamptonshire" in table
    [row] = as_json(west, "due", "northamptonshire", "--as-at", "2020-01-01")["authorities"]
    assert row["status"] == "not yet due"  # while it was a council, it was due one
    [row] = as_json(west, "due", "west-northamptonshire", "--as-at", "2020-01-01")["authorities"]
    assert (row["last_full"], row["status"]) == (None, "created 2021-04-01, after the date")  # not "no full inspection in the store"
    view = as_json(somerset_legacy, "compare", "somerset-county-council")
    assert view["authority"] == "somerset" and view["rows"][0]["last_full"]["id"] == "somerset-2022-07-ilacs"
    rows = as_json(somerset_legacy, "compare", "somerset", "--with", "Somerset County Council,devon")["rows"]
    assert [(r["authority"], r["role"], r["in_store"]) for r in rows] == [("somerset", "subject", True), ("devon", "named", False)]


# --------------------------------------------------------------------------- wording


def test_a_predecessor_whose_name_has_brackets_gets_one_pair(tmp_path: Path) -> None:
    """"succeeds Dorset (county council) (until 2019-03-31)": one pair of brackets now, in
    the terminal and the Markdown page."""
    store = ingest(tmp_path / "store", {"dorset-2021.txt": DOCS["dorset-2021.txt"]})
    for args in (["timeline", "dorset"], ["timeline", "dorset", "--format", "markdown"]):
        text = " ".join(ofstl(store, *args).split())
        assert "succeeds Dorset (county council, until 2019-03-31)" in text, args
    # the picture's description and tooltips: "SIF of Dorset (county council)", not "SIF (Dorset (county council))"
    svg = ofstl(store, "timeline", "dorset", "--format", "svg")
    assert "2016 SIF of Dorset (county council): requires improvement" in svg and "(Dorset (county council))" not in svg


def test_ingest_names_the_next_command_by_todays_council(somerset_legacy: Store, tmp_path: Path) -> None:
    """Ingesting a document already in a file under a continued council's slug ended with
    "next: ofstl timeline somerset-county-council" (a timeline that calls the council
    abolished); it names today's council, whose history it is."""
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(somerset_legacy.root, copy)
    docs = somerset_legacy.root.parent / (somerset_legacy.root.name + "-docs")
    result = CliRunner().invoke(app, ["ingest", str(docs), "--store", str(copy)], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    assert "0 added, 1 unchanged" in result.stderr
    assert f"next: ofstl timeline somerset --store {copy}" in result.stderr


def test_completion_offers_the_councils_the_views_take(somerset_legacy: Store, west: Store) -> None:
    """AUTHORITY completed to the store's file names: somerset-county-council (a timeline that
    calls it abolished) and never northamptonshire, known only from West Northamptonshire's
    report; it completes to the councils list shows."""
    from ofstl.cli import complete_authority

    def complete(store: Store, prefix: str) -> list[str]:
        class Ctx:
            params = {"store": str(store.root)}
            parent = None

        return complete_authority(Ctx(), prefix)  # type: ignore[arg-type]

    assert complete(somerset_legacy, "som") == ["somerset"]
    assert complete(west, "") == ["northamptonshire", "west-northamptonshire"]
    assert complete(west, "") == [r["authority"] for r in as_json(west, "list")]


# --------------------------------------------------------------------------- themes --theme


def test_one_theme_across_authorities_says_the_word_a_successors_timeline_shows(tmp_path: Path) -> None:
    """`themes --theme` gives "the word its timeline shows", counting each council's own
    inspections: BCP's row said "raised once" where BCP's timeline, showing Bournemouth's 2018
    ILACS too, says "2× persists". The row keeps its own count and says the timeline's word."""
    items = ("What needs to improve?\n- The timeliness of assessments for children in need.\n\n"
             "The experiences and progress of children who need help and protection: good\n\nFamilies get help early.\n")
    docs = {name: DOCS[name].replace("What needs to improve in this local authority?\n- The timeliness of assessments for children in need.\n", items)
            for name in ("bournemouth-2018.txt", "bcp-2021.txt")}
    store = ingest(tmp_path / "store", docs)
    timeline = next(t for t in as_json(store, "timeline", "bcp")["themes"] if t["theme"] == "assessment_quality")
    assert (timeline["count"], timeline["status"]) == (2, "persists")
    view = as_json(store, "themes", "--theme", "assessment_quality")
    assert view["inspections_raising"] == 2  # each inspection once, under the council inspected
    rows = {r["authority"]: r for r in view["authorities"]}
    assert (rows["bournemouth-christchurch-and-poole"]["count"], rows["bournemouth-christchurch-and-poole"]["status"]) == (1, "raised once")
    assert rows["bournemouth-christchurch-and-poole"]["timeline"] == {
        "status": "persists", "count": 2, "predecessors": ["bournemouth"], "predecessor_names": ["Bournemouth"]}
    assert "timeline" not in rows["bournemouth"]
    table = " ".join(ofstl(store, "themes", "--theme", "assessment_quality").split())
    assert "2021 ILACS · its timeline, with bournemouth's: 2× persists" in table
    page = ofstl(store, "themes", "--theme", "assessment_quality", "--format", "markdown")
    assert "| 2021 ILACS · its timeline, with Bournemouth's: 2× persists |" in page


def test_compare_of_an_abolished_council_says_why_it_has_no_neighbours(west: Store) -> None:
    """`compare northamptonshire` said "beside 0 comparators (none)" and no more; it says the
    council was abolished and how to see it beside a successor, and the notes never split a
    slug at its hyphen ("west-" / "northamptonshire" on two lines)."""
    note = ("Northamptonshire was abolished on 2021-03-31 (succeeded by north-northamptonshire, west-northamptonshire) and has "
            "no statistical neighbours of its own; beside a successor: ofstl compare north-northamptonshire --with northamptonshire")
    assert as_json(west, "compare", "northamptonshire")["abolished"] == note
    table = ofstl(west, "compare", "northamptonshire")
    assert " ".join(table.split()).endswith(note)
    assert not any(line.rstrip().endswith("-") for line in table.splitlines())
    assert note in ofstl(west, "compare", "northamptonshire", "--format", "markdown")


def test_a_continued_councils_own_timeline_does_not_say_it_was_inspected_as_itself(somerset_legacy: Store) -> None:
    """`timeline somerset-county-council` on the file an older ofstl left under that slug said
    "inspected as Somerset (county council)" beside each of its own inspections."""
    rows = as_json(somerset_legacy, "timeline", "somerset-county-council")["inspections"]
    assert [r.get("inspected_as") for r in rows] == [None]
    assert "inspected as" not in ofstl(somerset_legacy, "timeline", "somerset-county-council")
    assert "inspected as Somerset (county council)" in ofstl(somerset_legacy, "timeline", "somerset")  # today's council's says so


@pytest.mark.parametrize("legacy_ids", [False, True], ids=["today's ids", "the old council's ids"])
def test_a_correction_under_either_name_of_a_continued_council_shows_under_both(somerset_legacy: Store, tmp_path: Path, legacy_ids: bool) -> None:
    """With the file an older ofstl left under somerset-county-council, `correct
    somerset-county-council 2022 ...` wrote the correction there, and Somerset's timeline,
    list and export (which fold that file into Somerset's history) silently showed the
    document's grade; `correct somerset 2022 ...` wrote it into somerset.yaml, and the old
    council's timeline showed the document's grade. One history, whichever name it was
    corrected under, whatever ids the old file gave its inspections; a correction that
    matches nothing is still reported."""
    import shutil

    store = Store(tmp_path / "store")
    shutil.copytree(somerset_legacy.root, store.root)
    if legacy_ids:  # as an older ofstl named them
        data = store.load("somerset-county-council")
        assert data is not None
        store.save("somerset-county-council", [dict(r, id=r["id"].replace("somerset-", "somerset-county-council-", 1)) for r in data["inspections"]])

    def overall(slug: str) -> str:
        [row] = as_json(store, "timeline", slug)["inspections"]
        return row["judgements"]["overall"]

    ofstl(store, "correct", "somerset-county-council", "2022", "overall", "outstanding", "--note", "under the old name")
    assert overall("somerset") == overall("somerset-county-council") == "outstanding"
    assert [r["judgements"]["overall"] for r in as_json(store, "export")["inspections"]] == ["outstanding"]
    listed = CliRunner().invoke(app, ["list", "--store", str(store.root)], env={"COLUMNS": "100"})  # not the shell's width
    assert "outstanding (2022)" in listed.stdout and "matches no inspection" not in listed.stderr
    ofstl(store, "correct", "somerset", "2022", "leadership", "outstanding", "--note", "under today's name")
    for slug in ("somerset", "somerset-county-council"):
        [row] = as_json(store, "timeline", slug)["inspections"]
        assert (row["judgements"]["overall"], row["judgements"]["leadership"]) == ("outstanding", "outstanding"), slug
    # a correction of an inspection the history does not hold is still said
    raw = store.load("somerset-county-council", raw=True)
    assert raw is not None
    stray = dict(raw["corrections"][0], inspection="somerset-county-council-2019-01-ilacs")
    store.save("somerset-county-council", raw["inspections"], corrections=raw["corrections"] + [stray], keep_edits=True)
    warned = CliRunner().invoke(app, ["export", "--store", str(store.root)])
    assert "somerset-county-council-2019-01-ilacs judgements.overall" in warned.stderr and "matches no inspection" in warned.stderr
    assert warned.stderr.count("matches no inspection") == 1


def test_when_completes_to_the_ids_the_command_takes(west: Store, somerset_legacy: Store) -> None:
    """WHEN completed to the ids in the authority's file: West Northamptonshire's mention of
    Northamptonshire's ILACS is stored as west-northamptonshire-2019-06-ilacs, which `show`
    refuses (its timeline's row is northamptonshire-2019-06-ilacs); and to nothing for Somerset
    when its inspections are in somerset-county-council's file."""
    from ofstl.cli.completion import complete_when

    def complete(store: Store, authority: str, prefix: str) -> list[str]:
        class Ctx:
            params = {"store": str(store.root), "authority": authority}
            parent = None

        return complete_when(Ctx(), prefix)  # type: ignore[arg-type]

    offered = complete(west, "west-northamptonshire", "")
    assert offered == ["2019", "2022", "northamptonshire-2019-06-ilacs", "west-northamptonshire-2022-10-ilacs"]
    for when in offered:
        ofstl(west, "show", "west-northamptonshire", when)
    assert complete(somerset_legacy, "somerset", "somerset-") == ["somerset-2022-07-ilacs"]


def test_the_export_csv_says_which_council_was_inspected(somerset_legacy: Store) -> None:
    """The export's JSON gives `inspected_as` (SPEC section 4) and the timeline's CSV has the
    column, but the export's CSV had no way to tell Somerset County Council's 2022 ILACS from
    Somerset Council's; it ends with an `inspected_as` column."""
    import csv
    import io

    [row] = list(csv.DictReader(io.StringIO(ofstl(somerset_legacy, "export", "--format", "csv"))))
    assert (row["id"], row["authority"], row["inspected_as"]) == ("somerset-2022-07-ilacs", "somerset", "somerset-county-council")


def test_diff_of_a_successor_with_none_of_its_own_says_whose_inspection_it_has(cumberland: Store) -> None:
    """`diff cumberland` said "Cumberland has 1 graded inspection in the store" when the one
    it has is Cumbria's."""
    result = CliRunner().invoke(app, ["diff", "cumberland", "--store", str(cumberland.root)])
    assert result.exit_code == 2
    assert "Cumberland has 0 graded inspections of its own and 1 of Cumbria's in the store; nothing to compare by default" in result.stderr


def test_rebuild_of_todays_council_rebuilds_the_file_left_under_the_continued_councils_slug(somerset_legacy: Store, tmp_path: Path) -> None:
    """`ingest --rebuild somerset` rebuilt only somerset.yaml ("0 inspections and visits")
    while Somerset's history is in somerset-county-council.yaml; both files are one history."""
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(somerset_legacy.root, copy)
    result = CliRunner().invoke(app, ["ingest", "--rebuild", "somerset", "--store", str(copy)], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    assert f"rebuilt {copy / 'authorities' / 'somerset-county-council.yaml'} from its sources: 1 inspection or visit" in result.stderr
    assert [r["id"] for r in as_json(Store(copy), "timeline", "somerset")["inspections"]] == ["somerset-2022-07-ilacs"]


def test_compare_of_a_successor_names_the_predecessors_it_leaves_out(cumberland: Store) -> None:
    """`compare cumberland` showed "no full insp." for Cumberland, and nothing of Cumbria's
    ILACS that its timeline shows; it names the predecessor and how to see it beside."""
    note = ("the inspections of cumbria (a predecessor council) are that council's own, not counted here: beside it, "
            "ofstl compare cumberland --with cumbria")
    assert as_json(cumberland, "compare", "cumberland")["predecessors"] == note
    assert note in " ".join(ofstl(cumberland, "compare", "cumberland").split())
    assert note in ofstl(cumberland, "compare", "cumberland", "--format", "markdown")
    beside = as_json(cumberland, "compare", "cumberland", "--with", "cumbria")
    assert "predecessors" not in beside and [r["authority"] for r in beside["rows"]] == ["cumberland", "cumbria"]
