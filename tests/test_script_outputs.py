"""What ofstl writes for people and scripts to keep: the overview, the CSV and JSON of every
command, and the picture files.

An analyst scripts ofstl across many authorities (a loop appending each one's CSV to one
file), opens the CSVs in Excel and keeps the pictures in a report folder. These tests hold
the promises that makes: the overview counts what ``list`` lists, each CSV's header is the
same whatever the data, a picture file is whole or not replaced, the export's CSV says where
documents disagree. Exact outputs at COLUMNS=100.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ofstl.cli import app
from ofstl.store import Store
from tests.fixture_store import make_store
from tests.test_reorganised_councils import CUMBERLAND_PAPER, SOMERSET_2022, ingest

ENV = {"COLUMNS": "100", "NO_COLOR": "1"}


def ofstl(root: Path, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(app, ["--store", str(root), *args], env=ENV)
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    return result.stdout


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_store(tmp_path_factory.mktemp("fixture"))


@pytest.fixture(scope="module")
def cumberland(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """Cumberland's file holds only Cumbria's inspection (its cabinet paper's mention of it)."""
    return ingest(tmp_path_factory.mktemp("cumberland") / "store", {"cumberland-paper.txt": CUMBERLAND_PAPER})


# --------------------------------------------------------------------------- the overview


def overview_store_line(root: Path) -> str:
    return next(line for line in ofstl(root).splitlines() if line.startswith("Store: "))


def test_the_overview_counts_the_authorities_list_lists(cumberland: Store) -> None:
    """Cumberland's one file holds Cumbria's inspection: list shows two histories, and so
    does the overview (it said "1 authority", counting files)."""
    assert [r[0] for r in rows_of(ofstl(cumberland.root, "list", "--format", "csv"))[1:]] == ["cumberland", "cumbria"]
    assert overview_store_line(cumberland.root) == f"Store: {cumberland.root} (2 authorities)"


def test_the_overview_counts_a_continued_councils_file_with_todays_council(tmp_path: Path) -> None:
    """somerset.yaml and the somerset-county-council.yaml an older ofstl wrote are one
    history in list, and one authority in the overview (it said 2)."""
    store = ingest(tmp_path / "store", {"somerset-2022.txt": SOMERSET_2022})
    data = store.load("somerset")
    assert data is not None
    store.save("somerset-county-council", data["inspections"])
    assert store.slugs() == ["somerset", "somerset-county-council"]
    assert len(rows_of(ofstl(store.root, "list", "--format", "csv"))) == 2  # header and Somerset
    assert overview_store_line(store.root) == f"Store: {store.root} (1 authority)"


def test_the_overview_of_an_empty_store(tmp_path: Path) -> None:
    (tmp_path / "authorities").mkdir()
    assert overview_store_line(tmp_path) == f"Store: {tmp_path} (empty: start with ofstl ingest FOLDER)"


# --------------------------------------------------------------------------- picture files


@pytest.mark.parametrize("flag", ["--svg", "--html"])
def test_a_picture_that_fails_half_way_leaves_the_earlier_one_whole(fixture_store: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch, flag: str) -> None:
    """A run stopped while it writes (here: text that cannot be encoded, failing in the write)
    leaves the good earlier picture in place and no temporary file; it left an empty file."""
    import ofstl.cli.commands as commands

    target = tmp_path / "figure"
    ofstl(fixture_store, "-q", "timeline", "hillingdon", flag, str(target))
    good = target.read_text(encoding="utf-8")
    assert good.endswith("</svg>\n") or good.endswith("</html>\n")

    real = commands.render_view

    def cut_short(name, fmt, view, env=None):  # noqa: ANN001, ANN202 - the renderer's signature
        text = real(name, fmt, view, env)
        return text[:len(text) // 2] + "\ud800" + text[len(text) // 2:] if fmt in ("svg", "html") else text

    monkeypatch.setattr(commands, "render_view", cut_short)
    ofstl(fixture_store, "-q", "timeline", "hillingdon", flag, str(target), code=3)
    assert target.read_text(encoding="utf-8") == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figure"]


def test_a_picture_through_a_symlink_replaces_the_file_it_points_to(fixture_store: Path, tmp_path: Path) -> None:
    """Written as a new file and renamed, the picture still lands where a link points (the
    report's figures folder linked from elsewhere), the link kept."""
    (tmp_path / "figures").mkdir()
    real = tmp_path / "figures" / "hillingdon.svg"
    link = tmp_path / "hillingdon.svg"
    link.symlink_to(real)
    ofstl(fixture_store, "-q", "timeline", "hillingdon", "--svg", str(link))
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("<?xml")


def test_a_picture_in_a_folder_that_does_not_exist_is_refused(fixture_store: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--store", str(fixture_store), "timeline", "hillingdon", "--svg",
                                      str(tmp_path / "nowhere" / "t.svg")], env=ENV)
    assert result.exit_code == 2 and "there is no folder" in result.stderr, result.stderr
    assert not (tmp_path / "nowhere").exists()


# --------------------------------------------------------------------------- export --format csv


def disagreeing_store(root: Path) -> Path:
    """Hillingdon's 2013 SIF read by two documents that grade its LSCB differently and print
    different start dates (and one that disagrees with itself about the LSCB)."""
    from tests.fixture_store import HILLINGDON, HOUNSLOW

    def reading(value: str, sha: str, page: int | None, method: str, kind: str = "ofsted-report") -> dict:
        return {"value": value, "sha256": sha * 64, "kind": kind, "page": page, "method": method}

    records = [dict(r) for r in HILLINGDON]
    sif = next(r for r in records if r["id"] == "hillingdon-2013-11-sif")
    sif["disagreements"] = [
        {"field": "judgements.lscb", "readings": [reading("requires improvement", "b", 2, "table"), reading("good", "c", None, "summary", "council-paper")]},
        {"field": "judgements.lscb", "within": "b" * 64, "readings": [reading("requires improvement", "b", 2, "table"), reading("good", "b", 9, "body")]},
        {"field": "start", "readings": [reading("2013-11-25", "b", 1, "table"), reading("2013-11-18", "c", None, "summary", "council-paper")]},
    ]
    Store(root).save("hillingdon", records)
    Store(root).save("hounslow", [dict(r) for r in HOUNSLOW])
    return root


def test_the_export_csv_says_which_fields_documents_disagree_about(tmp_path: Path) -> None:
    """The JSON export, show and timeline say where documents disagree about an inspection;
    the CSV said nothing. A last column names the fields, each once, in the JSON's order."""
    root = disagreeing_store(tmp_path / "store")
    exported = {r["id"]: r for r in __import__("json").loads(ofstl(root, "export"))["inspections"]}
    assert [d["field"] for d in exported["hillingdon-2013-11-sif"]["disagreements"]] == ["judgements.lscb", "judgements.lscb", "start"]
    rows = rows_of(ofstl(root, "export", "--format", "csv"))
    assert rows[0][-7:-5] == ["inspected_as", "disagreements"]  # added at the end: older columns keep their places
    by_id = {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}
    assert by_id["hillingdon-2013-11-sif"]["disagreements"] == "judgements.lscb|start"
    assert {i: r["disagreements"] for i, r in by_id.items() if i != "hillingdon-2013-11-sif"} == dict.fromkeys(set(by_id) - {"hillingdon-2013-11-sif"}, "")


# --------------------------------------------------------------------------- timeline --format csv

TIMELINE_HEADER = ("id,framework,type,start,end,published,role,overall,leadership,help_and_protection,children_in_care,"
                   "care_leavers,adoption,lscb,weaknesses,themes,inspected_as,corrected,capacity,capacity_safeguarding,"
                   "capacity_children_in_care,outcomes,quality_of_provision,quality_of_practice,help_and_protection_provided,"
                   "other_judgements,outcome,disagreements,theme,authority,reported,framework_candidates,could_be")


def test_the_timeline_csv_has_the_same_columns_for_every_authority(tmp_path: Path) -> None:
    """A script that loops over authorities appending each one's CSV got misaligned columns:
    Hillingdon's had adoption and lscb, Hounslow's not, a SLAC-only council's capacities. Now
    every timeline CSV has the same header, whatever the inspections judged."""
    from tests.fixture_store import _j, _record

    root = disagreeing_store(tmp_path / "store")
    Store(root).save("bexley", [
        _record("bexley-2012-05-slac", "slac", "2012-05-08", "2012-05-18", "2012-06-22", judgements={
            "overall": _j("adequate"), "capacity_safeguarding": _j("adequate"), "children_in_care": _j("good"),
            "capacity_children_in_care": _j("good"), "partnership_working": _j("good")})])
    out = {a: ofstl(root, "timeline", a, "--format", "csv") for a in ("hillingdon", "hounslow", "bexley")}
    assert {a: text.splitlines()[0] for a, text in out.items()} == dict.fromkeys(out, TIMELINE_HEADER)
    assert out["bexley"].splitlines()[1] == ("bexley-2012-05-slac,slac,,2012-05-08,2012-05-18,2012-06-22,subject,adequate,,,good,,,,0,,,,"
                                             ",adequate,good,,,,,partnership_working=good,,,,bexley,,,")
    sif = next(line for line in out["hillingdon"].splitlines() if line.startswith("hillingdon-2013-11-sif"))
    assert sif.endswith(",judgements.lscb|start,,hillingdon,,,")  # as the export's CSV names them


def test_an_empty_timeline_csv_still_has_its_header(tmp_path: Path) -> None:
    """Cumberland with only Cumbria's inspection shown as its predecessor's: the header, and the row."""
    store = ingest(tmp_path / "store", {"cumberland-paper.txt": CUMBERLAND_PAPER})
    lines = ofstl(store.root, "timeline", "cumberland", "--format", "csv").splitlines()
    assert lines[0] == TIMELINE_HEADER


# --------------------------------------------------------------------------- numbers as numbers


def test_the_themes_csv_gives_shares_as_numbers_as_its_json_does(fixture_store: Path) -> None:
    """themes --format csv wrote shares as text ("29%"), which a spreadsheet or script cannot
    add up or sort; national and due give shares as fractions, and README says the CSV has the
    JSON's fields. Now the CSV's shares are the JSON's numbers."""
    import json

    view = json.loads(ofstl(fixture_store, "themes", "--format", "json"))
    rows = rows_of(ofstl(fixture_store, "themes", "--format", "csv"))
    assert rows[0] == ["theme", "inspections", "share", "recurring_share"]
    assert [[r[0], int(r[1]), float(r[2]), float(r[3])] for r in rows[1:]] == [
        [t["theme"], t["inspections"], t["share"], t["recurring_share"]] for t in view["themes"]]
    assert rows[1:3] == [["recording", "3", "0.4286", "0.5"], ["assessment_quality", "2", "0.2857", "0.5"]]


# --------------------------------------------------------------------------- compare --format csv


def test_the_compare_csv_header_is_the_same_whatever_the_store_holds(fixture_store: Path, tmp_path: Path) -> None:
    """README promises compare's CSV header is the same whatever the store holds, but a full
    inspection with a judgement outside the seven (a further key, as SPEC section 2 allows)
    added four columns for it. It goes to other_judgements (key=grade|...), the header fixed."""
    from tests.fixture_store import HILLINGDON, HOUNSLOW, _j

    records = [dict(r) for r in HOUNSLOW]
    records[1] = dict(records[1], judgements={**records[1]["judgements"], "partnership_working": _j("good")})
    Store(tmp_path).save("hillingdon", [dict(r) for r in HILLINGDON])
    Store(tmp_path).save("hounslow", records)
    plain = rows_of(ofstl(fixture_store, "compare", "hillingdon", "--with", "hounslow", "--format", "csv"))
    more = rows_of(ofstl(tmp_path, "compare", "hillingdon", "--with", "hounslow", "--format", "csv"))
    assert plain[0] == more[0] and more[0].index("other_judgements") == more[0].index("lscb_change") + 1
    assert [(r[0], r[more[0].index("other_judgements")]) for r in more[1:]] == [("hillingdon", ""), ("hounslow", "partnership_working=good")]


# --------------------------------------------------------------------------- encodings


def test_csv_and_json_are_utf8_whatever_the_locale_says(tmp_path: Path) -> None:
    """Redirected to a file where the locale's encoding is not UTF-8 (Windows writes a
    redirected stdout in its ANSI code page; a latin-1 locale), a weakness with ’ or ≥ made
    every machine format an 'internal error' (UnicodeEncodeError, exit 3). What goes to a file
    or a pipe is UTF-8, as README says, and reads back the same."""
    import json
    import subprocess
    import sys

    text = "Children’s plans at the café are reviewed ≥ 6 weeks late.\n"
    env = {"PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "latin-1", "COLUMNS": "100"}
    for fmt in ("csv", "json"):
        done = subprocess.run([sys.executable, "-m", "ofstl", "themes", "--tag", "--format", fmt], input=text.encode("utf-8"),
                              capture_output=True, env=env)
        assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
        out = done.stdout.decode("utf-8")
        got = rows_of(out)[1][0] if fmt == "csv" else json.loads(out.splitlines()[0])["text"]
        assert got == text.strip()


def test_the_export_csv_says_which_inspections_are_known_only_from_a_mention(fixture_store: Path) -> None:
    """The JSON export and the timeline CSV give each inspection's role; the export's CSV did
    not, so a spreadsheet could not leave out inspections known only from a later document's
    mention (their grades are that document's account). A last column, role."""
    rows = rows_of(ofstl(fixture_store, "export", "--format", "csv"))
    assert rows[0][-7:-4] == ["inspected_as", "disagreements", "role"]  # older columns keep their places
    roles = {r[0]: r[rows[0].index("role")] for r in rows[1:]}
    assert roles["hillingdon-2009-12-slac"] == "mentioned" and roles["hillingdon-2013-11-sif"] == "subject"
    assert set(roles.values()) == {"subject", "mentioned"}


# --------------------------------------------------------------------------- list --format csv


def test_the_list_csv_tells_an_authority_with_none_of_its_own_from_one_not_graded(cumberland: Store) -> None:
    """Cumberland's row was 'cumberland,Cumberland,0,,,,': nothing said that its file holds
    its predecessor's inspection, or why there is no grade; the JSON (and the table) say both.
    Two last columns, as the JSON names them: latest_headline and predecessors (|-separated)."""
    assert ofstl(cumberland.root, "list", "--format", "csv") == (
        "authority,name,inspections,first,last,latest_grade,latest_year,latest_headline,predecessors,inspections_read,visits_read,mentioned\n"
        "cumberland,Cumberland,0,,,,,no inspection of its own,cumbria,0,0,0\n"
        "cumbria,Cumbria,1,2022,2022,requires improvement,2022,requires improvement,,0,0,1\n")


def test_the_overview_says_a_file_it_could_not_read(fixture_store: Path, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "store"
    shutil.copytree(fixture_store, root)
    with open(root / "authorities" / "hounslow.yaml", "a", encoding="utf-8") as fh:
        fh.write("garbage: [\n")
    result = CliRunner().invoke(app, ["--store", str(root)], env=ENV)
    assert result.exit_code == 0 and "hounslow.yaml" in result.stderr
    assert f"Store: {root} (1 authority; 1 file could not be read)" in result.stdout.splitlines()


def test_a_picture_written_again_keeps_the_files_permissions(fixture_store: Path, tmp_path: Path) -> None:
    """A figure kept private (chmod 600) stayed so when ofstl wrote over it in place; written
    beside it and renamed, it must not come back readable by all."""
    import os
    import stat

    target = tmp_path / "private.svg"
    ofstl(fixture_store, "-q", "timeline", "hillingdon", "--svg", str(target))
    os.chmod(target, 0o600)
    ofstl(fixture_store, "-q", "timeline", "hillingdon", "--svg", str(target))
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


def test_a_workbook_written_again_keeps_the_files_permissions(fixture_store: Path, tmp_path: Path) -> None:
    import os
    import stat

    target = tmp_path / "private.xlsx"
    ofstl(fixture_store, "-q", "export", "--xlsx", str(target))
    os.chmod(target, 0o600)
    ofstl(fixture_store, "-q", "export", "--xlsx", str(target))
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


def test_a_workbook_through_a_symlink_replaces_the_file_it_points_to(fixture_store: Path, tmp_path: Path) -> None:
    (tmp_path / "tables").mkdir()
    real = tmp_path / "tables" / "inspections.xlsx"
    link = tmp_path / "inspections.xlsx"
    link.symlink_to(real)
    ofstl(fixture_store, "-q", "export", "--xlsx", str(link))
    assert link.is_symlink() and real.read_bytes().startswith(b"PK")


def test_the_whole_overview_at_100_columns(cumberland: Store) -> None:
    assert ofstl(cumberland.root).replace(str(cumberland.root), "STORE") == """\
ofstl: the history of Ofsted inspections of English local authorities' children's services.

  ofstl fetch hillingdon        download its reports from Ofsted's site (--ingest reads them)
  ofstl ingest FOLDER           read Ofsted reports, letters, council papers, news into the store
  ofstl timeline hillingdon     grades over the years, and the weaknesses that keep coming back
  ofstl diff hillingdon         what changed between the latest two graded inspections
  ofstl show hounslow 2018      one inspection, with the evidence behind each field
  ofstl list | themes | export  the whole store: authorities, national themes, JSON or CSV
  ofstl compare hillingdon      beside its statistical neighbours; ofstl national, ofstl due

Store: STORE (2 authorities)
Run 'ofstl --help' for every command and option, 'ofstl COMMAND --help' for one command.
"""


def test_the_compare_csv_gives_the_last_full_inspections_type_as_due_does(fixture_store: Path) -> None:
    """due's CSV has last_full_type (a standard or short ILACS, a reinspection); compare's,
    with the same last_full columns, left it out though its JSON has it. Added last."""
    rows = rows_of(ofstl(fixture_store, "compare", "hillingdon", "--with", "hounslow", "--format", "csv"))
    due = rows_of(ofstl(fixture_store, "due", "--format", "csv"))[0]
    at = rows[0].index("last_full_type")  # later columns were added after it
    assert rows[0][at - 1:at + 3] == ["other_judgements", "last_full_type", "subject", "as_at"]  # its place kept
    assert "last_full_type" in due
    assert [(r[0], r[4], r[at]) for r in rows[1:]] == [("hillingdon", "hillingdon-2023-10-ilacs", "short"),
                                                       ("hounslow", "hounslow-2018-10-ilacs", "standard")]
