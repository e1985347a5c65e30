"""``ofstl verify``: the store against a small hand-made official table with planted
disagreements, in both shapes (the 2009-2023 history and an ILACS outcomes file)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from ofstl.official import read_table
from ofstl.records import build_records
from ofstl.store import Store
from ofstl.verify import verify
from tests.test_records import obs

HISTORY_HEADER = [
    "table", "Local authority name", "LA region", "LA Authority Type",
    "Safeguarding & Looked After Children (SLAC) Inspection publication date", "SLAC Safeguarding Overall effectiveness (OE)", "SLAC Looked After Children Overall Effectiveness (OE)",
    "Child Protection Inspections (CPI) publication date", "CPI Overall Effectiveness (OE)",
    "Single Inspection of LA Children's Services (SIF)  First SIF publication date", "First SIF Overall Judgement (OE)", "First SIF children who need help and protection",
    "First ILACS framework inspection type", "First ILACS framework publication date", "First ILACS framework overall effectiveness", "First ILACS framework impact of leaders",
]
OUTCOMES_HEADER = ["Web link", "Local authority area code", "Local authority name", "Local authority status", "Ofsted region", "Inspection date", "Publication date",
                   "Inspection type", "Overall effectiveness", "The impact of leaders on social work practice with children and families",
                   "The experiences and progress of children who need help and protection", "The experiences and progress of children in care",
                   "The experiences and progress of care leavers"]
RI = "Requires improvement to be good"


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        for row in rows:
            writer.writerow({h: row.get(h, "") for h in header})
    return path


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    st = Store(tmp_path / "store")
    hillingdon = [
        # SLAC (mention, adequate = the table's RI), the SIF with a planted disagreement, an ILACS.
        obs("a", "ofsted-report", "mentioned", "slac", "2009-12", {"children_in_care": "good", "help_and_protection": "adequate"}),
        obs("b", "ofsted-report", "subject", "sif", "2013-11-25", {"overall": "requires improvement", "help_and_protection": "good"}, end="2013-12-18", published="2014-02-11"),
        obs("c", "ofsted-report", "subject", "ilacs", "2018-04-16", {"overall": "good", "leadership": "outstanding"}, end="2018-04-27", published="2018-06-01"),
        # A CPI the table does not list.
        obs("d", "ofsted-report", "mentioned", "cpi", "2012-10", {"help_and_protection": "adequate"}),
    ]
    st.save("hillingdon", build_records("hillingdon", hillingdon))
    st.save("hounslow", build_records("hounslow", [obs("e", "ofsted-report", "subject", "ilacs", "2023-10-02", {"overall": "good", "care_leavers": "inadequate"}, end="2023-10-06")]))
    return st


def test_counts_on_the_history_table(tmp_path: Path, store: Store) -> None:
    table = _write(tmp_path / "history.csv", HISTORY_HEADER, [
        {"table": "Table 10", "Local authority name": "Hillingdon",
         "Safeguarding & Looked After Children (SLAC) Inspection publication date": "2010-01-22",
         "SLAC Safeguarding Overall effectiveness (OE)": RI, "SLAC Looked After Children Overall Effectiveness (OE)": "Good",
         "Single Inspection of LA Children's Services (SIF)  First SIF publication date": "2014-02-11",
         "First SIF Overall Judgement (OE)": RI, "First SIF children who need help and protection": RI,
         "First ILACS framework inspection type": "ILACS Standard Inspection", "First ILACS framework publication date": "2018-06-01",
         "First ILACS framework overall effectiveness": "Good", "First ILACS framework impact of leaders": "Good"},
        {"table": "Table 10", "Local authority name": "Harrow", "First SIF Overall Judgement (OE)": "Inadequate",
         "Child Protection Inspections (CPI) publication date": "2013-01-10", "CPI Overall Effectiveness (OE)": "Adequate",
         "Single Inspection of LA Children's Services (SIF)  First SIF publication date": "2017-03-01"},
        {"table": "Table 10", "Local authority name": "Nowhere Borough", "First ILACS framework publication date": "2019-01-01"},
    ])
    result = verify(read_table(table), store.load_all())
    counts = {f"{fw}.{key}": row for (fw, key), row in result.counts.items()}
    assert counts["slac.children_in_care"]["agree"] == 1
    assert counts["slac.help_and_protection"]["agree"] == 1  # adequate = the table's "requires improvement"
    assert counts["sif.overall"]["agree"] == 1
    assert counts["sif.help_and_protection"]["disagree"] == 1
    assert counts["ilacs.overall"]["agree"] == 1
    assert counts["ilacs.leadership"]["disagree"] == 1
    assert counts["cpi.help_and_protection"]["not_in_table"] == 1
    assert result.totals() == {"agree": 4, "disagree": 2, "missing": 0, "not_in_table": 1}
    assert result.inspections() == {"matched": 3, "missing": 0, "not_in_table": 1}
    assert sorted((d["id"], d["judgement"], d["store"], d["official"]) for d in result.disagreements) == [
        ("hillingdon-2013-11-sif", "help_and_protection", "good", "requires improvement"),
        ("hillingdon-2018-04-ilacs", "leadership", "outstanding", "good")]
    assert result.disagreements[0]["evidence"]["source"] and result.unnamed == ["line 4: 'Nowhere Borough' is not an authority ofstl knows"]


def test_counts_on_an_outcomes_file(tmp_path: Path, store: Store) -> None:
    table = _write(tmp_path / "ilacs.csv", OUTCOMES_HEADER, [
        {"Local authority area code": "E09000018", "Local authority name": "Hounslow", "Inspection date": "2023-10-02", "Publication date": "2023-11-20",
         "Inspection type": "ILACS Short Inspection", "Overall effectiveness": "Good", "The experiences and progress of care leavers": "Good",
         "The impact of leaders on social work practice with children and families": "Good"},
        {"Local authority area code": "E09000017", "Local authority name": "Hillingdon", "Inspection date": "2018-04-16", "Publication date": "2018-06-01",
         "Inspection type": "ILACS Standard Inspection", "Overall effectiveness": "Good", "The impact of leaders on social work practice with children and families": "Outstanding"},
        {"Local authority area code": "E09000017", "Local authority name": "Hillingdon", "Inspection date": "2023-10-02", "Publication date": "2023-11-30",
         "Inspection type": "ILACS Short Inspection", "Overall effectiveness": "Outstanding"},
    ])
    result = verify(read_table(table), store.load_all())
    assert result.totals() == {"agree": 3, "disagree": 1, "missing": 2, "not_in_table": 0}
    assert result.inspections() == {"matched": 2, "missing": 1, "not_in_table": 0}
    [d] = result.disagreements
    assert (d["id"], d["judgement"], d["store"], d["official"]) == ("hounslow-2023-10-ilacs", "care_leavers", "inadequate", "good")


def test_the_command(tmp_path: Path, store: Store) -> None:
    from typer.testing import CliRunner

    from ofstl.cli import app

    table = _write(tmp_path / "ilacs.csv", OUTCOMES_HEADER, [
        {"Local authority area code": "E09000017", "Local authority name": "Hillingdon", "Inspection date": "2018-04-16",
         "Inspection type": "ILACS Standard Inspection", "Overall effectiveness": "Good"}])
    runner = CliRunner()
    ok = runner.invoke(app, ["verify", str(table), "--store", str(store.root), "--format", "json"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["totals"] == {"agree": 1, "disagree": 0, "missing": 0, "not_in_table": 0}
    _write(table, OUTCOMES_HEADER, [{"Local authority area code": "E09000017", "Local authority name": "Hillingdon", "Inspection date": "2018-04-16",
                                     "Inspection type": "ILACS Standard Inspection", "Overall effectiveness": "Inadequate"}])
    bad = runner.invoke(app, ["verify", str(table), "--store", str(store.root)])
    assert bad.exit_code == 1 and "hillingdon-2018-04-ilacs" in bad.stdout
    csv_out = runner.invoke(app, ["verify", str(table), "--store", str(store.root), "--format", "csv"])
    assert csv_out.stdout.splitlines()[1].startswith("hillingdon-2018-04-ilacs,hillingdon,ilacs,overall,good,inadequate")
    for missing, words in ((tmp_path / "nonexistent.csv", "no such file"), (tmp_path, "a folder, not a file"), ("", "file name is empty")):
        mistyped = runner.invoke(app, ["verify", str(missing), "--store", str(store.root)])
        assert mistyped.exit_code == 2 and words in mistyped.output  # a usage error, as ingest's missing PATH
    notes = tmp_path / "notes.csv"
    notes.write_text("a,b\n1,2\n", encoding="utf-8")
    wrong = runner.invoke(app, ["verify", str(notes), "--store", str(store.root)])
    assert wrong.exit_code == 1 and "not an Ofsted outcomes table" in wrong.output
    # Ofsted also publishes the tables as workbooks; a stray carriage return breaks a CSV: both one line, exit 1
    workbook = tmp_path / "outcomes.ods"
    workbook.write_bytes(b"PK\x03\x04" + bytes(64))
    sheet = runner.invoke(app, ["verify", str(workbook), "--store", str(store.root)])
    assert sheet.exit_code == 1 and "a spreadsheet workbook, not CSV" in sheet.output
    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"Local authority name,x\rb,c\n")
    torn = runner.invoke(app, ["verify", str(broken), "--store", str(store.root)])
    assert torn.exit_code == 1 and "not a readable CSV" in torn.output


def test_a_successors_mention_of_a_split_council_is_checked_against_that_council(tmp_path: Path) -> None:
    st = Store(tmp_path / "store")
    mention = obs("f", "ofsted-report", "mentioned", "sif", "2016", {"overall": "requires improvement"}, inspected_as="dorset-county-council")
    own = obs("g", "ofsted-report", "subject", "ilacs", "2021-09-27", {"overall": "good"}, end="2021-10-08")
    st.save("dorset", build_records("dorset", [mention, own]))
    table = _write(tmp_path / "history.csv", HISTORY_HEADER, [
        {"table": "Table 11 (LAs that existed before restructure)", "Local authority name": "Dorset",
         "Single Inspection of LA Children's Services (SIF)  First SIF publication date": "2016-05-23", "First SIF Overall Judgement (OE)": RI},
        {"table": "Table 10 (current LAs)", "Local authority name": "Dorset", "First ILACS framework publication date": "2021-11-19",
         "First ILACS framework overall effectiveness": "Good"}])
    result = verify(read_table(table), st.load_all())
    assert result.totals() == {"agree": 2, "disagree": 0, "missing": 0, "not_in_table": 0}
    assert result.inspections() == {"matched": 2, "missing": 0, "not_in_table": 0}


def test_a_broken_authority_file_is_a_warning_and_the_rest_is_verified(tmp_path: Path, store: Store) -> None:
    """Like list, themes and export: one unreadable authority file does not stop the check of
    the others; it is named on stderr and the exit status is 1."""
    from typer.testing import CliRunner

    from ofstl.cli import app

    table = _write(tmp_path / "ilacs.csv", OUTCOMES_HEADER, [
        {"Local authority area code": "E09000017", "Local authority name": "Hillingdon", "Inspection date": "2018-04-16",
         "Inspection type": "ILACS Standard Inspection", "Overall effectiveness": "Good"}])
    hounslow = store.file_for("hounslow")
    hounslow.write_text(hounslow.read_text(encoding="utf-8") + "  bad: [\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["verify", str(table), "--store", str(store.root), "--format", "json"])
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["totals"] == {"agree": 1, "disagree": 0, "missing": 0, "not_in_table": 0}
    assert "hounslow.yaml" in result.stderr and "the other authorities are shown" in result.stderr
