"""Getting documents in, as an analyst does from a shell: one test per finding of the
quality pass over ingest and the store, each failing before its fix.

Findings: a file that failed under one extension stayed refused after it was renamed as its
message suggested, and a PDF saved as .html was not read; a file named twice (or named and
inside a folder named) reported and counted once per naming; Python reprs
(datetime.date(2013, 11, 25)) in the one-line report of a hand-edited file; no framework in
the result of a file already stored; `-j -1` run as one worker; `--rebuild` of an authority not
stored leaving a store folder at a mistyped path; judgements beyond the usual eight (a SLAC's
capacity grades) missing from the export CSV; one broken file named by --rebuild stopping the
whole run; a correction applied nowhere not said by export, list or verify; verify refusing
a table saved by Excel as UTF-16 (Unicode text, tab-separated); a killed writer's temporary files
left in written/ for good; show not naming the council inspected (a predecessor's, a continued
council's); a hand-written correction skipping the checks `ofstl correct` makes (a misspelt key
became a judgement of its own); the progress bar stopping short of its total (a skipped file) or
passing it (a copy of a broken file); verify showing a corrected grade's evidence as “None” [? p.?
correction]; the store's own files reported as skipped documents when it lies in the folder read;
an ingest killed halfway by SIGPIPE when the reader of its JSON lines went away; a PDF named
notes.pdf skipped as a folder's notes; copies of a broken file reported as another reason, with the
first file's name twice; `--timeout 1e7` an internal error (OverflowError); an empty
$OFSTL_STORE taken as the default store; a broken link reported as a file that cannot be read;
a remembered failure outliving the file's successful reading; a text naming no authority said to
name one; a rebuild not saying which hand edit it dropped, or that there was none; a school's or
children's home's Ofsted report stored as a graded inspection of its local authority; an existing
store that cannot be locked said to be one that cannot be created; verify refusing a table saved with
semicolons; a saved page of the reports site stored as an undated focused visit;
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from ofstl.cli import app
from tests import docgen
from tests.fixture_store import make_store

ENV = {"COLUMNS": "100", "NO_COLOR": "1"}


def cli(*args: str, code: int | None = 0) -> Any:
    result = CliRunner().invoke(app, list(args), env=ENV)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    if code is not None:
        assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    return result


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def letter_pdf() -> bytes:
    """A focused-visit letter for Hillingdon as a PDF with a text layer."""
    return docgen.pdf_with_text(docgen.focused_visit_letter("Hillingdon", dt.date(2021, 5, 4), seed=3))


def test_a_file_renamed_as_the_message_suggests_is_read_again(tmp_path: Path) -> None:
    """A PDF with a few bytes before its header (which readers allow) saved as .txt fails as
    "binary data, not text (wrong file extension?)"; renamed .pdf, it was still refused as
    "unchanged since an earlier ingest", because the failure was remembered by content only."""
    docs, store = tmp_path / "docs", tmp_path / "store"
    docs.mkdir()
    wrong = docs / "report.txt"
    wrong.write_bytes(b"\r\n\x00\x00" + letter_pdf())
    first = json_lines(cli("ingest", str(docs), "--store", str(store), "-j", "1", "-f", "json", code=1).stdout)
    assert first[0]["status"] == "error" and "wrong file extension" in first[0]["message"]
    remembered = json_lines(cli("ingest", str(docs), "--store", str(store), "-j", "1", "-f", "json", code=1).stdout)
    assert "unchanged since an earlier ingest" in remembered[0]["message"]  # the same name: not read again
    wrong.rename(docs / "report.pdf")
    again = json_lines(cli("ingest", str(docs), "--store", str(store), "-j", "1", "-f", "json", code=None).stdout)
    assert again[0]["status"] == "added" and again[0]["authority"] == "hillingdon", again


def test_a_pdf_saved_as_html_is_read_as_a_pdf(tmp_path: Path) -> None:
    """A .txt holding PDF bytes was read as a PDF, a .html or .htm holding them failed as
    binary data."""
    from ofstl.extract import extract_bytes

    for name in ("letter.html", "letter.htm", "letter.txt"):
        extracted = extract_bytes(name, letter_pdf())
        assert extracted.file_type == "pdf" and "Focused visit to Hillingdon" in extracted.text


def test_a_file_named_twice_is_one_file(tmp_path: Path) -> None:
    """`ofstl ingest docs/a.txt docs` (a file and its folder, or a glob and its folder)
    reported docs/a.txt two or three times and counted it as "unchanged" copies of itself,
    so the summary's counts no longer matched the files."""
    docs, store = tmp_path / "docs", tmp_path / "store"
    docgen.good_documents(docs, 2, seed=5, names=[("hillingdon", "Hillingdon")])
    first = sorted(docs.iterdir())[0]
    lines = json_lines(cli("ingest", str(first), str(first), str(docs), "--store", str(store), "-j", "1", "-f", "json").stdout)
    assert sorted(Path(line["path"]).name for line in lines) == sorted(p.name for p in docs.iterdir()), lines
    assert [line["status"] for line in lines] == ["added", "added"]
    result = cli("ingest", str(docs / "." / first.name), str(docs), "--store", str(store), "-j", "1")
    assert result.stderr.startswith("0 added, 2 unchanged, 0 skipped, 0 failed"), result.stderr


def test_a_schema_error_quotes_the_file_not_python(tmp_path: Path) -> None:
    """An unquoted date in a hand-edited file was reported as `start: should be a date in
    quotes ("2013-11-25"), not a date (quote it) datetime.date(2013, 11, 25)`: Python's repr,
    not what the file says (and not the README's example)."""
    from ofstl.errors import StoreError
    from ofstl.store import Store

    store = Store(make_store(tmp_path / "store"))
    text = store.file_for("hillingdon").read_text(encoding="utf-8")
    assert "start: '2013-11-25'" in text

    def problem(value: str) -> str:
        try:
            store.parse("hillingdon", text.replace("start: '2013-11-25'", f"start: {value}", 1).encode("utf-8"))
        except StoreError as exc:
            return exc.message.split(": ", 1)[1]
        raise AssertionError("no problem found")

    assert problem("2013-11-25").startswith(
        'inspection 3 (hillingdon-2013-11-sif): start: should be a date in quotes ("2013-11-25"), not a date (quote it);')
    assert "not a date and time (quote it) 2013-11-25 10:00:00;" in problem("2013-11-25 10:00:00")
    assert "not binary data (!!binary, 5 bytes);" in problem("!!binary aGVsbG8=")
    for value in ("2013-11-25", "2013-11-25 10:00:00", "!!binary aGVsbG8="):
        assert "datetime" not in problem(value) and "b'" not in problem(value), problem(value)


def test_an_unchanged_file_still_says_what_it_is(tmp_path: Path) -> None:
    """`ofstl ingest docs --format json` run again gave "framework": null for every file
    already stored, so `jq 'select(.framework == "focused-visit")'` found nothing the
    second time."""
    docs, store = tmp_path / "docs", tmp_path / "store"
    docgen.good_documents(docs, 2, seed=6, names=[("hillingdon", "Hillingdon")])
    first = json_lines(cli("ingest", str(docs), "--store", str(store), "-j", "1", "-f", "json").stdout)
    again = json_lines(cli("ingest", str(docs), "--store", str(store), "-j", "1", "-f", "json").stdout)
    assert [r["status"] for r in again] == ["unchanged", "unchanged"]
    assert [(r["authority"], r["framework"]) for r in again] == [(r["authority"], r["framework"]) for r in first]
    assert {r["framework"] for r in again} == {"focused-visit"}


def test_a_negative_jobs_count_is_a_usage_error(tmp_path: Path) -> None:
    """`-j -1` (a script's arithmetic gone wrong) ran silently with one worker."""
    docgen.good_documents(tmp_path / "docs", 1, seed=8, names=[("hillingdon", "Hillingdon")])
    result = cli("ingest", str(tmp_path / "docs"), "--store", str(tmp_path / "store"), "-j", "-1", code=2)
    assert "--jobs" in result.stderr and not (tmp_path / "store").exists()
    cli("ingest", str(tmp_path / "docs"), "--store", str(tmp_path / "store"), "-j", "0")  # one per core


def test_rebuilding_an_authority_not_stored_creates_no_store(tmp_path: Path) -> None:
    """`ofstl ingest --rebuild hounslow --store typo` said there was no file to rebuild but
    left a new store folder (with its lock file) behind at the mistyped path."""
    result = cli("ingest", "--rebuild", "hounslow", "--store", str(tmp_path / "typo"), code=2)
    assert "no store file for hounslow" in result.stderr
    assert not (tmp_path / "typo").exists()


def test_the_export_csv_keeps_every_judgement(tmp_path: Path) -> None:
    """`ofstl export --format csv` had a column only for the eight usual keys, so a SLAC's
    two capacity grades (capacity_safeguarding, capacity_children_in_care; the timeline
    shows them) were in the JSON but silently not in the CSV or the workbook."""
    import csv
    import io

    import yaml

    store = make_store(tmp_path / "store")
    target = store / "authorities" / "hillingdon.yaml"
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    slac = next(r for r in data["inspections"] if r["framework"] == "slac")
    slac["judgements"]["capacity_safeguarding"] = {"grade": "good", "printed": "Good", "source": "b" * 12, "page": 4, "method": "mention"}
    from ofstl.store import Store

    Store(store).save("hillingdon", data["inspections"], rebuild=True)
    exported = json.loads(cli("export", "--store", str(store)).stdout)
    rows = list(csv.DictReader(io.StringIO(cli("export", "--store", str(store), "--format", "csv").stdout)))
    header = list(rows[0])
    assert header[:17] == ["id", "authority", "framework", "type", "start", "end", "published", "overall", "leadership",
                           "help_and_protection", "children_in_care", "care_leavers", "adoption", "lscb", "capacity",
                           "weaknesses", "themes"]  # the contract's columns where they were
    for record, row in zip(exported["inspections"], rows):
        assert row["id"] == record["id"]
        for key, grade in record["judgements"].items():
            assert row[key] == grade, (record["id"], key)
    assert next(r for r in rows if r["id"] == slac["id"])["capacity_safeguarding"] == "good"


def test_a_broken_file_to_rebuild_does_not_stop_the_rest(tmp_path: Path) -> None:
    """`ofstl ingest --rebuild hillingdon --rebuild hounslow docs` with hillingdon.yaml
    broken by a hand edit stopped at once: Hounslow was not rebuilt and no document was
    read, yet the exit code (1) said the rest was done."""
    store = make_store(tmp_path / "store")
    broken = store / "authorities" / "hillingdon.yaml"
    broken.write_text(broken.read_text(encoding="utf-8") + "  oops: [\n", encoding="utf-8")
    docs = tmp_path / "docs"
    docgen.good_documents(docs, 1, seed=9, names=[("hounslow", "Hounslow")])
    result = cli("ingest", "--rebuild", "hillingdon", "--rebuild", "hounslow", str(docs), "--store", str(store), "-j", "1", code=1)
    assert "rebuilt" in result.stderr and "hounslow.yaml from its sources" in result.stderr
    assert "1 added" in result.stderr and "not rebuilt" in result.stderr and "hillingdon.yaml" in result.stderr
    assert broken.read_text(encoding="utf-8").endswith("  oops: [\n")  # never overwritten
    alone = cli("ingest", "--rebuild", "hillingdon", "--store", str(store), code=1)  # no PATH: still said, exit 1
    assert "not rebuilt" in alone.stderr


def test_export_says_when_a_correction_is_applied_nowhere(tmp_path: Path) -> None:
    """A correction whose inspection id matches nothing (a document moved the id) was
    reported by timeline and show, but `export`, `list` and `verify` applied it nowhere
    without a word: a script's export silently lacked the person's correction."""
    store = make_store(tmp_path / "store")
    target = store / "authorities" / "hillingdon.yaml"
    text = target.read_text(encoding="utf-8")
    block = ("corrections:\n- inspection: hillingdon-2015-06-sif\n  field: judgements.overall\n  value: good\n"
             "  note: from the letter\n  date: '2026-11-29'\n")
    target.write_text(text.replace("inspections:\n", block + "inspections:\n", 1), encoding="utf-8")
    official = tmp_path / "official.csv"
    official.write_text("Web link,Local authority area code,Local authority name,Region,Inspection/Visit date,Publication date,"
                        "Inspection/Visit type,Overall effectiveness\n", encoding="utf-8")
    for command in (["export"], ["export", "--format", "csv"], ["list"], ["verify", str(official)]):
        result = cli(*command, "--store", str(store), code=None)
        assert "the correction of hillingdon-2015-06-sif judgements.overall (2026-11-29) matches no inspection now" in result.stderr, command
    assert "matches no inspection" not in cli("export", "--store", str(make_store(tmp_path / "clean"))).stderr


def test_verify_reads_the_table_as_excel_saves_it(tmp_path: Path) -> None:
    """Excel's "Unicode Text" (UTF-16, tab-separated) and a UTF-16 CSV were "not an Ofsted
    outcomes table", with a header of mojibake (ÿþW\\x00e\\x00b...) as the reason."""
    import csv
    import io

    from ofstl.official import read_table

    header = ["Web link", "Local authority area code", "Local authority name", "Region", "Inspection/Visit date", "Publication date",
              "Inspection/Visit type", "Overall effectiveness", "The impact of leaders on social work practice with children and families"]
    rows = [header, ["Ofsted Local Authority Webpage", "E09000017", "Hillingdon", "London", "2018-04-16", "2018-05-30",
                     "ILACS Standard Inspection", "Good", "Outstanding"]]
    for name, delimiter in (("unicode-text.txt", "\t"), ("utf16.csv", ",")):
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
        table = tmp_path / name
        table.write_bytes(buffer.getvalue().encode("utf-16"))
        read = read_table(table)
        assert read.shape == "ilacs-outcomes" and len(read.inspections) == 1, name
        assert (read.inspections[0].authority, read.inspections[0].judgements) == ("hillingdon", {"overall": "good", "leadership": "outstanding"})


def test_temporary_files_left_by_a_kill_are_removed_everywhere(tmp_path: Path) -> None:
    """A writer killed mid-write leaves `.<name>.<8 random>.tmp` (mkstemp's names); the next ingest removed those in
    authorities/ and cache/ but not in written/ (where each write records its hash)."""
    from ofstl.store import Store

    store = Store(make_store(tmp_path / "store"))
    left = [store.written_dir / ".hillingdon.x1y2z3w4.tmp", store.dir / ".hounslow.yaml.a1b2c3d4.tmp",
            store.cache_dir / ".0123.json.q1w2e3r4.tmp"]
    for path in left:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("half", encoding="utf-8")
    with store.lock():
        pass
    assert [p for p in left if p.exists()] == []


def test_show_names_the_council_inspected(tmp_path: Path) -> None:
    """`ofstl show west-northamptonshire` (the latest: Northamptonshire's 2019 visit, which
    its timeline marks "predecessor: Northamptonshire") headed it "West Northamptonshire ·
    Focused visit" with nothing saying the council inspected was another; nor did a
    Somerset County Council inspection in Somerset's history say so."""
    docs, store = tmp_path / "docs", tmp_path / "store"
    docs.mkdir()
    (docs / "n.txt").write_text(docgen.focused_visit_letter("Northamptonshire", dt.date(2019, 5, 7), seed=20), encoding="utf-8")
    (docs / "w.txt").write_text(docgen.focused_visit_letter("West Northamptonshire", dt.date(2019, 5, 7), seed=20)
                                .replace("Visit reference 20", "Visit reference 27"), encoding="utf-8")
    (docs / "s.txt").write_text(docgen.focused_visit_letter("Somerset", dt.date(2022, 6, 7), seed=22), encoding="utf-8")
    cli("ingest", str(docs), "--store", str(store), "-j", "1")
    shown = cli("show", "west-northamptonshire", "--store", str(store)).stdout
    assert "predecessor: Northamptonshire" in shown.splitlines()[2], shown
    page = cli("show", "west-northamptonshire", "--store", str(store), "--format", "markdown").stdout
    assert "\n\nPredecessor: Northamptonshire\n\n" in page
    assert "inspected as Somerset (county council)" in cli("show", "somerset", "--store", str(store)).stdout
    assert "inspected as" not in cli("show", "northamptonshire", "--store", str(store)).stdout  # its own


def test_a_hand_written_correction_gets_the_checks_correct_makes(tmp_path: Path) -> None:
    """A corrections block written by hand skipped every check `ofstl correct` makes: a
    misspelt key (judgements.overal) became a judgement of its own ("Overal G†" in the
    matrix, an `overal` column in the export), an ILACS became 'adequate' or of type 'quick'.
    Now such a correction is reported and not applied; the others still are."""
    store = make_store(tmp_path / "store")
    target = store / "authorities" / "hillingdon.yaml"
    rid = "hillingdon-2018-04-ilacs"
    block = "corrections:\n" + "".join(
        f"- inspection: {rid}\n  field: {field}\n  value: {value}\n  note: by hand\n  date: '2026-11-29'\n"
        for field, value in (("judgements.overal", "good"), ("type", "quick"), ("judgements.leadership", "adequate"),
                             ("judgements.help_and_protection", "requires improvement")))
    target.write_text(target.read_text(encoding="utf-8").replace("inspections:\n", block + "inspections:\n", 1), encoding="utf-8")
    result = cli("export", "--store", str(store))
    [record] = [r for r in json.loads(result.stdout)["inspections"] if r["id"] == rid]
    assert "overal" not in record["judgements"] and record["type"] == "standard"
    assert record["judgements"]["leadership"] == "outstanding"  # the document's reading stands
    assert record["judgements"]["help_and_protection"] == "requires improvement"  # a fitting one is applied
    for words in ("judgements.overal (2026-11-29) is not applied: 'overal' is not a judgement",
                  "type (2026-11-29) is not applied: 'quick' is not a type of ILACS inspection",
                  "judgements.leadership (2026-11-29) is not applied: 'adequate' is not on the ILACS grade scale"):
        assert words in result.stderr, result.stderr
    shown = cli("show", "hillingdon", rid, "--store", str(store))
    assert "Overal  " not in shown.stdout and "is not applied" in shown.stderr
    assert "\nOveral  " not in cli("timeline", "hillingdon", "--store", str(store)).stdout


def test_the_progress_bar_counts_each_file_read_once(tmp_path: Path) -> None:
    """The bar counted results that were "added" or "error": a file read and skipped (a text
    naming a council but no inspection) never advanced it, so it stopped at 17/18, and a
    second copy of a broken file advanced it twice, past its total."""
    from ofstl.ingest import Ingest
    from ofstl.store import Store

    docs = tmp_path / "docs"
    docgen.good_documents(docs, 2, seed=10, names=[("hillingdon", "Hillingdon")])
    (docs / "library-hours.txt").write_text("Hillingdon Council: the library opens at nine on Saturdays.\n", encoding="utf-8")
    (docs / "broken.pdf").write_bytes(docgen.corrupt_pdf())
    (docs / "broken-again.pdf").write_bytes(docgen.corrupt_pdf())
    totals: list[int] = []
    read: list[str] = []
    run = Ingest(Store(tmp_path / "store"), jobs=1)
    run.in_process = True
    results = run.run([docs], on_total=totals.append, on_read=read.append)
    assert {r.status for r in results} == {"added", "skipped", "error"}
    assert totals == [len(read)] == [4] and len(set(read)) == 4


def test_verify_shows_a_corrected_grade_as_a_correction(tmp_path: Path) -> None:
    """A stored grade a person corrected, when the official table disagrees with it, was shown
    as `“None” [? p.? correction]`: not the person's note and date, nor the document's reading."""
    store = make_store(tmp_path / "store")
    cli("correct", "hillingdon", "2018", "overall", "requires improvement", "--note", "the letter says so", "--store", str(store))
    table = tmp_path / "ilacs.csv"
    table.write_text("Web link,Local authority area code,Local authority name,Region,Inspection/Visit date,Publication date,"
                     "Inspection/Visit type,Overall effectiveness\n"
                     "Ofsted Local Authority Webpage,E09000017,Hillingdon,London,2018-04-16,2018-05-30,ILACS Standard Inspection,Good\n",
                     encoding="utf-8")
    shown = cli("verify", str(table), "--store", str(store), code=1).stdout
    assert "None" not in shown and "p.? correction" not in shown, shown
    assert "corrected by hand" in shown and "the letter says so" in shown and "the document reads good" in " ".join(shown.split())
    [d] = json.loads(cli("verify", str(table), "--store", str(store), "--format", "json", code=1).stdout)["disagreements"]
    assert d["evidence"]["note"] == "the letter says so" and d["evidence"]["document"]["grade"] == "good"


def test_the_store_inside_the_folder_read_is_not_read(tmp_path: Path) -> None:
    """`cd ~/ofsted && ofstl ingest . --store ./store`: the second run reported the store's own
    files (its YAML, caches and hashes) as "skipped 8: not a document type ofstl reads"."""
    docs = tmp_path / "docs"
    docgen.good_documents(docs, 2, seed=11, names=[("hillingdon", "Hillingdon"), ("hounslow", "Hounslow")])
    store = docs / "store"
    cli("ingest", str(docs), "--store", str(store), "-j", "1")
    again = cli("ingest", str(docs), "--store", str(store), "-j", "1")
    assert again.stderr.startswith("0 added, 2 unchanged, 0 skipped, 0 failed"), again.stderr
    named = cli("ingest", str(store / "authorities"), "--store", str(store), "-f", "json")
    [line] = json_lines(named.stdout)
    assert line["status"] == "skipped" and "the store's own files" in line["message"]
    # Documents kept in the store's own folder (--store .) are still read.
    (store / "letter.txt").write_text(docgen.focused_visit_letter("Ealing", dt.date(2021, 7, 6), seed=7), encoding="utf-8")
    inside = cli("ingest", str(store), "--store", str(store), "-j", "1")
    assert inside.stderr.startswith("1 added, 0 unchanged, 0 skipped, 0 failed"), inside.stderr


def test_a_reader_that_goes_away_does_not_stop_the_ingest(tmp_path: Path) -> None:
    """`ofstl ingest DIR -f json | grep -m1 error` (or `| head -1`): when the reader closed the
    pipe, SIGPIPE killed the ingest halfway, so documents were silently not stored, and the
    pipeline's status was the reader's."""
    import subprocess
    import sys

    from ofstl.store import Store

    docs = tmp_path / "docs"
    docgen.good_documents(docs, 4, seed=12, names=[("hillingdon", "Hillingdon"), ("hounslow", "Hounslow")])
    (docs / "broken.pdf").write_bytes(docgen.corrupt_pdf())
    store = tmp_path / "store"
    proc = subprocess.Popen([sys.executable, "-m", "ofstl", "ingest", str(docs), "--store", str(store), "-f", "json", "-j", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=Path(__file__).resolve().parents[1],
                            env={**__import__("os").environ, **ENV})
    proc.stdout.close()  # the reader is gone before the first line
    err = proc.stderr.read().decode()
    assert proc.wait() == 1, err  # one file failed; the rest was read and stored
    assert err.startswith("4 added, 0 unchanged, 0 skipped, 1 failed"), err
    stored = [s for data in Store(store).load_all() for r in data["inspections"] for s in r["sources"] if s["role"] == "subject"]
    assert len(stored) == 4


def test_a_pdf_named_notes_is_a_document(tmp_path: Path) -> None:
    """A folder's README or NOTES text is skipped as the folder's own notes, but so was a PDF
    saved as notes.pdf (a council's meeting notes, an inspection letter renamed by hand)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "notes.pdf").write_bytes(letter_pdf())
    (docs / "README.md").write_text("Downloaded from the Ofsted reports site.\n", encoding="utf-8")
    lines = {Path(r["path"]).name: r for r in json_lines(cli("ingest", str(docs), "--store", str(tmp_path / "store"), "-j", "1", "-f", "json").stdout)}
    assert lines["notes.pdf"]["status"] == "added" and lines["notes.pdf"]["authority"] == "hillingdon"
    assert lines["README.md"]["status"] == "skipped" and "folder's own notes" in lines["README.md"]["message"]


def test_copies_of_a_broken_file_are_one_reason(tmp_path: Path) -> None:
    """Two copies of one broken download were two failure groups, the second with the first's
    name twice: "same content as a.pdf: a.pdf: truncated PDF ..."."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("a.pdf", "b.pdf", "c.pdf"):
        (docs / name).write_bytes(docgen.corrupt_pdf())
    result = cli("ingest", str(docs), "--store", str(tmp_path / "store"), "-j", "1", code=1)
    lines = result.stderr.splitlines()
    assert lines[0].startswith("0 added, 0 unchanged, 0 skipped, 3 failed")
    assert lines[1].startswith("  failed 3: ") and [line.strip() for line in lines[2:5]] == [str(docs / n) for n in ("a.pdf", "b.pdf", "c.pdf")]
    assert "a.pdf: " + str(docs) not in result.stderr


def test_a_very_long_time_limit_is_no_internal_error(tmp_path: Path) -> None:
    """`--timeout 1e7` (or $OFSTL_FILE_TIMEOUT=1e300, "no limit") ended the ingest with
    "internal error: OverflowError: timeout is too large" (exit 3): the worker pool's poll and
    the alarm timer take no such numbers."""
    docgen.good_documents(tmp_path / "docs", 1, seed=13, names=[("hillingdon", "Hillingdon")])
    for index, seconds in enumerate(("1e7", "1e10", "1e300")):
        result = cli("ingest", str(tmp_path / "docs"), "--store", str(tmp_path / f"store{index}"), "-j", "1", "--timeout", seconds)
        assert result.stderr.startswith("1 added"), result.stderr
    from ofstl.extract.limits import time_limit

    with time_limit(1e300):
        pass


def test_an_empty_store_variable_is_a_usage_error(tmp_path: Path) -> None:
    """`OFSTL_STORE=$STORE ofstl ingest docs` with $STORE unset read the documents into the
    default store (~/.local/share/ofstl) in silence; an empty --store was already refused."""
    docgen.good_documents(tmp_path / "docs", 1, seed=14, names=[("hillingdon", "Hillingdon")])
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "docs")], env={**ENV, "OFSTL_STORE": "", "HOME": str(tmp_path / "home")})
    assert result.exit_code == 2 and "$OFSTL_STORE is set but empty" in result.stderr, result.stderr
    assert not (tmp_path / "home").exists()
    for args in (["list"], ["export"], ["timeline", "hillingdon"]):
        assert CliRunner().invoke(app, args, env={**ENV, "OFSTL_STORE": " "}).exit_code == 2
    store = tmp_path / "store"
    ok = CliRunner().invoke(app, ["ingest", str(tmp_path / "docs"), "--store", str(store)], env={**ENV, "OFSTL_STORE": ""})
    assert ok.exit_code == 0, ok.stderr  # --store names it: the variable is not needed


def test_a_broken_link_is_named_as_one(tmp_path: Path) -> None:
    """A link whose target is gone was "cannot read the file (No such file or directory)" for a
    file the user can see in `ls`."""
    import os

    docs = tmp_path / "docs"
    docs.mkdir()
    os.symlink("../elsewhere/report.pdf", docs / "report.pdf")
    [line] = json_lines(cli("ingest", str(docs), "--store", str(tmp_path / "store"), "-f", "json", code=1).stdout)
    assert line["message"].endswith("a broken link (to ../elsewhere/report.pdf, which does not exist)"), line


def test_a_file_read_at_last_forgets_its_old_failure(tmp_path: Path) -> None:
    """A file that timed out once and was then read with --retry-failed kept its remembered
    failure: once its authority file was removed (to start that authority again), the next
    ingest refused it unread as "unchanged since an earlier ingest"."""
    import hashlib

    from ofstl.store import Store

    docs, root = tmp_path / "docs", tmp_path / "store"
    [letter] = docgen.good_documents(docs, 1, seed=15, names=[("hillingdon", "Hillingdon")])
    store = Store(root)
    sha = hashlib.sha256(letter.read_bytes()).hexdigest()
    store.remember_failure(sha, "took longer than 0.5 s to read and parse", reader="text", timeout=0.5)
    first = json_lines(cli("ingest", str(docs), "--store", str(root), "--timeout", "0.5", "-f", "json", code=1).stdout)
    assert "unchanged since an earlier ingest" in first[0]["message"]
    retried = json_lines(cli("ingest", str(docs), "--store", str(root), "--retry-failed", "-f", "json").stdout)
    assert retried[0]["status"] == "added" and store.failure(sha) is None
    store.file_for("hillingdon").unlink()
    again = json_lines(cli("ingest", str(docs), "--store", str(root), "--timeout", "0.5", "-f", "json").stdout)
    assert again[0]["status"] == "added", again


def test_a_text_naming_no_authority_is_not_said_to_name_one(tmp_path: Path) -> None:
    """A text that names neither an authority nor an inspection (a damaged PDF whose text is
    only "Findings", a page of minutes) failed with "names an authority but no inspection"."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "minutes.txt").write_text("Minutes of the meeting\n\nThe library will open at nine on Saturdays.\n", encoding="utf-8")
    [line] = json_lines(cli("ingest", str(docs), "--store", str(tmp_path / "store"), "-f", "json", code=1).stdout)
    assert line["status"] == "error" and line["authority"] is None
    assert "names an authority" not in line["message"] and "names no local authority" in line["message"], line


def test_a_rebuild_says_what_it_dropped(tmp_path: Path) -> None:
    """`ingest --rebuild` said "(hand edits dropped, corrections kept)" whether or not the
    file had a hand edit, and never which: a person could not tell what was lost."""
    store = make_store(tmp_path / "store")
    target = store / "authorities" / "hillingdon.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("grade: outstanding", "grade: good", 1), encoding="utf-8")
    result = cli("ingest", "--rebuild", "hillingdon", "--rebuild", "hounslow", "--store", str(store))
    lines = result.stderr.splitlines()
    assert any("hillingdon.yaml from its sources" in l and "(the hand edit dropped: " in l for l in lines), lines
    assert any("hounslow.yaml from its sources" in l and "it had no hand edit" in l for l in lines), lines


SCHOOL_REPORT = """Inspection of Ruislip Gardens Primary School
Stafford Road, Ruislip, Middlesex

Inspection dates: 14 and 15 March 2023

Overall effectiveness: Good
The quality of education: Good
Behaviour and attitudes: Good
Personal development: Good
Leadership and management: Good
Early years provision: Good

What does the school need to do to improve?
Leaders should make sure that the curriculum in the foundation subjects is sequenced so that pupils build
their knowledge over time.

Local authority: Hillingdon
"""

CHILDRENS_HOME_REPORT = """Children's home: SC123456
Full inspection of a children's home run by Hounslow local authority

Inspection dates: 7 and 8 February 2023

Overall experiences and progress of children and young people, taking into account: Good
How well children and young people are helped and protected: Good
The effectiveness of leaders and managers: Requires improvement to be good

What does the children's home need to do to improve?
The registered manager should make sure that records of restraint say what led to it.
"""


def test_a_schools_or_childrens_homes_report_is_not_an_authority_inspection(tmp_path: Path) -> None:
    """An Ofsted report on a school or a council's children's home (the reports site lists them
    beside the authority's own) names the local authority; it was stored as a graded "Other"
    inspection of the authority ("● 2023-03-14 Other Good" in Hillingdon's timeline)."""
    docs, store = tmp_path / "docs", tmp_path / "store"
    docs.mkdir()
    (docs / "school.txt").write_text(SCHOOL_REPORT, encoding="utf-8")
    (docs / "home.txt").write_text(CHILDRENS_HOME_REPORT, encoding="utf-8")
    lines = json_lines(cli("ingest", str(docs), "--store", str(store), "-j", "1", "-f", "json").stdout)
    assert [line["status"] for line in lines] == ["skipped", "skipped"], lines
    assert all("not an inspection of a local authority's children's services" in line["message"] for line in lines)
    assert not (store / "authorities").exists() or not list((store / "authorities").iterdir())
    # A local authority's own report is never taken for one, whatever else it mentions.
    docgen.good_documents(docs, 1, seed=16, names=[("hillingdon", "Hillingdon")])
    assert "1 added" in cli("ingest", str(docs), "--store", str(store), "-j", "1").stderr


def test_a_store_that_cannot_be_locked_is_not_said_to_be_uncreatable(tmp_path: Path) -> None:
    """An existing store whose lock file cannot be opened (a read-only store shared with a
    group, a .lock that is not a file) was "cannot create the store" for `correct` and
    `ingest`, though the store was there all along."""
    store = make_store(tmp_path / "store")
    (store / ".lock").unlink(missing_ok=True)
    (store / ".lock").mkdir()
    result = cli("correct", "hillingdon", "2013", "overall", "good", "--note", "x", "--store", str(store), code=1)
    assert "cannot lock the store" in result.stderr and "cannot create" not in result.stderr, result.stderr
    fresh = tmp_path / "file-in-the-way"
    fresh.write_text("", encoding="utf-8")
    from ofstl.errors import StoreError
    from ofstl.store import Store

    try:
        with Store(fresh / "store").lock():
            pass
    except StoreError as exc:
        assert "cannot create the store" in exc.message
    else:
        raise AssertionError("a store under a file was created")


def test_verify_reads_a_semicolon_separated_table(tmp_path: Path) -> None:
    """Excel saves "CSV" with semicolons where the comma is the decimal mark (a colleague's
    laptop set to another locale); such a table was "not an Ofsted outcomes table"."""
    from ofstl.official import read_table

    table = tmp_path / "outcomes.csv"
    table.write_text("Web link;Local authority area code;Local authority name;Region;Inspection/Visit date;Publication date;"
                     "Inspection/Visit type;Overall effectiveness;The impact of leaders on social work practice with children and families\n"
                     "Ofsted Local Authority Webpage;E09000017;Hillingdon;London;2018-04-16;2018-05-30;ILACS Standard Inspection;Good;Outstanding\n",
                     encoding="utf-8")
    read = read_table(table)
    assert read.shape == "ilacs-outcomes"
    assert (read.inspections[0].authority, read.inspections[0].judgements) == ("hillingdon", {"overall": "good", "leadership": "outstanding"})


def test_a_saved_page_of_the_reports_site_is_not_an_inspection(tmp_path: Path) -> None:
    """Following the README ("open its page and save the PDFs into a folder"), the page itself
    saved beside them ("Hillingdon - Find an inspection report - Ofsted.html") became an
    undated focused visit of Hillingdon."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "Hillingdon - Find an inspection report - Ofsted.html").write_text(
        "<html><head><title>London Borough of Hillingdon - Find an inspection report - Ofsted</title></head><body>"
        "<h1>London Borough of Hillingdon</h1><p>Local authority children's services</p><ul>"
        "<li><a href='/1'>Children's services inspection</a> Inspection date 2 October 2023, Published 20 November 2023</li>"
        "<li><a href='/2'>Focused visit</a> Inspection date 15 January 2020, Published 7 February 2020</li>"
        "<li><a href='/3'>Children's services inspection</a> Inspection date 16 April 2018, Published 30 May 2018</li>"
        "</ul></body></html>", encoding="utf-8")
    [line] = json_lines(cli("ingest", str(docs), "--store", str(tmp_path / "store"), "-f", "json").stdout)
    assert line["status"] == "skipped" and "a page of Ofsted's reports site" in line["message"], line
