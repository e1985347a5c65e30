"""`ofstl ingest --reread`: documents already stored are read again by this ofstl.

A store keeps what the ofstl of the day read in each document; re-reading a stored file
changed nothing, so a newer ofstl's better reading never reached a store. These tests make
"an earlier reading" by writing the store as ofstl would have (through ``Store.save``, so it
is ofstl's own file, not a hand edit) with a reading that differs from today's, then re-read.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from ofstl.cli import app
from ofstl.ingest.commit import Committer
from ofstl.store import Store

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
ENV = {"COLUMNS": "100", "NO_COLOR": "1"}


def cli(*args: str, code: int = 0) -> Any:
    result = CliRunner().invoke(app, list(args), env=ENV)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    return result


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def docs_and_store(tmp_path: Path, *names: str) -> tuple[Path, Path]:
    docs, root = tmp_path / "docs", tmp_path / "store"
    docs.mkdir()
    for name in names:
        shutil.copy(SAMPLES / name, docs / name)
    cli("ingest", str(docs), "--store", str(root), "-j", "1")
    return docs, root


def sha_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rewrite(root: Path, slug: str, change: Any) -> None:
    """Write ``slug``'s file as ofstl writes it, from observations ``change`` returns."""
    committer = Committer(Store(root), True, 60.0, lambda message: None)
    committer.save(slug, change([dict(o) for o in committer.observations(slug)]))


def overall(root: Path, slug: str, inspection: str) -> str:
    [record] = [r for r in Store(root).load(slug)["inspections"] if r["id"] == inspection]
    return record["judgements"]["overall"]["grade"]


def test_a_changed_reading_replaces_the_earlier_one(tmp_path: Path) -> None:
    docs, root = docs_and_store(tmp_path, "hounslow_2023-10_ilacs.pdf", "hounslow_2018-10_ilacs.pdf")
    sha = sha_of(docs / "hounslow_2023-10_ilacs.pdf")
    today = overall(root, "hounslow", "hounslow-2023-10-ilacs")

    def older(observations: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for obs in observations:
            if obs["sha256"] == sha and obs["role"] == "subject":
                obs["judgements"] = {**obs["judgements"], "overall": {**obs["judgements"]["overall"], "grade": "inadequate"}}
        return observations

    rewrite(root, "hounslow", older)
    assert overall(root, "hounslow", "hounslow-2023-10-ilacs") == "inadequate"
    plain = json_lines(cli("ingest", str(docs), "--store", str(root), "-f", "json").stdout)
    assert {r["status"] for r in plain} == {"unchanged"}  # without --reread nothing is read again
    assert overall(root, "hounslow", "hounslow-2023-10-ilacs") == "inadequate"

    lines = json_lines(cli("ingest", str(docs), "--store", str(root), "--reread", "-f", "json").stdout)
    by_name = {Path(r["path"]).name: r for r in lines}
    assert by_name["hounslow_2023-10_ilacs.pdf"]["status"] == "updated"
    assert by_name["hounslow_2023-10_ilacs.pdf"]["message"] == "read again: hounslow-2023-10-ilacs: overall inadequate → good"
    assert by_name["hounslow_2018-10_ilacs.pdf"]["status"] == "unchanged"
    assert by_name["hounslow_2018-10_ilacs.pdf"]["message"] == "read again: the same reading"
    assert overall(root, "hounslow", "hounslow-2023-10-ilacs") == today
    # Replaced, not added: the document is one source of its inspection, once.
    [record] = [r for r in Store(root).load("hounslow")["inspections"] if r["id"] == "hounslow-2023-10-ilacs"]
    assert [s["sha256"] for s in record["sources"]].count(sha) == 1


def test_the_summary_names_what_a_reread_changed(tmp_path: Path) -> None:
    docs, root = docs_and_store(tmp_path, "hounslow_2023-10_ilacs.pdf", "hounslow_2018-10_ilacs.pdf")
    sha = sha_of(docs / "hounslow_2018-10_ilacs.pdf")
    rewrite(root, "hounslow", lambda observations: [{**o, "weaknesses": []} if o["sha256"] == sha else o for o in observations])
    result = cli("ingest", str(docs), "--store", str(root), "--reread")
    first, second = result.stderr.splitlines()[:2]
    assert first == f"0 added, 1 read anew, 1 unchanged, 0 skipped, 0 failed · store {root}"
    assert second == f"  read anew: {docs / 'hounslow_2018-10_ilacs.pdf'}  hounslow-2018-10-ilacs: 4 weaknesses more"


def test_a_document_now_read_as_another_authority_moves(tmp_path: Path) -> None:
    docs, root = docs_and_store(tmp_path, "hounslow_2021-07_focused-visit.txt")
    sha = sha_of(docs / "hounslow_2021-07_focused-visit.txt")
    store = Store(root)
    committer = Committer(store, True, 60.0, lambda message: None)
    moved = [o for o in committer.observations("hounslow") if o["sha256"] == sha]
    committer.save("hillingdon", moved)  # an earlier ofstl took it for Hillingdon's
    committer.save("hounslow", [])
    [line] = json_lines(cli("ingest", str(docs), "--store", str(root), "--reread", "-f", "json").stdout)
    assert line["status"] == "updated" and line["authority"] == "hounslow"
    assert line["message"] == ("read again: now hounslow (was hillingdon): "
                               "hillingdon-2021-07-focused-visit gone; hounslow-2021-07-focused-visit new")
    assert Store(root).load("hillingdon")["inspections"] == []
    assert [r["id"] for r in Store(root).load("hounslow")["inspections"]] == ["hounslow-2021-07-focused-visit"]


def test_a_document_this_ofstl_skips_is_taken_out(tmp_path: Path) -> None:
    """An earlier ofstl stored a children's home's own report as the council's inspection;
    this one skips such reports, and a re-read takes the earlier reading out."""
    docs, root = docs_and_store(tmp_path, "hounslow_2021-07_focused-visit.txt")
    home = docs / "home.txt"
    home.write_text(HOME_REPORT, encoding="utf-8")
    skipped = json_lines(cli("ingest", str(home), "--store", str(root), "-f", "json").stdout)
    assert skipped[0]["status"] == "skipped"
    sha = sha_of(home)
    visit = sha_of(docs / "hounslow_2021-07_focused-visit.txt")

    def with_the_home(observations: list[dict[str, Any]]) -> list[dict[str, Any]]:
        [subject] = [o for o in observations if o["sha256"] == visit and o["role"] == "subject"]
        return observations + [{**subject, "sha256": sha, "path": str(home), "framework": "other", "start": "2022-03",
                                "type": None, "judgements": {}, "weaknesses": [], "strengths": []}]

    rewrite(root, "hounslow", with_the_home)
    assert len(Store(root).load("hounslow")["inspections"]) == 2
    lines = json_lines(cli("ingest", str(docs), "--store", str(root), "--reread", "-f", "json").stdout)
    by_name = {Path(r["path"]).name: r for r in lines}
    assert by_name["home.txt"]["status"] == "removed", by_name
    assert by_name["home.txt"]["message"].endswith("; its earlier reading was removed from hounslow")
    assert by_name["hounslow_2021-07_focused-visit.txt"]["status"] == "unchanged"
    assert [r["id"] for r in Store(root).load("hounslow")["inspections"]] == ["hounslow-2021-07-focused-visit"]


def test_without_a_path_the_recorded_places_are_read(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    docs = Path("docs")
    docs.mkdir()
    for name in ("hounslow_2023-10_ilacs.pdf", "hounslow_2021-07_focused-visit.txt"):
        shutil.copy(SAMPLES / name, docs / name)
    cli("ingest", "docs", "--store", "store", "-j", "1")
    before = Store(Path("store")).load("hounslow")["inspections"]
    (docs / "hounslow_2021-07_focused-visit.txt").rename(tmp_path / "moved.txt")
    lines = json_lines(cli("ingest", "--reread", "--store", "store", "-f", "json").stdout)
    by_name = {Path(r["path"]).name: r for r in lines}
    assert by_name["hounslow_2023-10_ilacs.pdf"]["status"] == "unchanged"
    gone = by_name["hounslow_2021-07_focused-visit.txt"]
    assert gone["status"] == "skipped" and "not found where it was read; its reading is kept" in gone["message"]
    assert Store(Path("store")).load("hounslow")["inspections"] == before  # nothing lost


def test_a_reread_leaves_a_hand_edited_file_alone(tmp_path: Path) -> None:
    docs, root = docs_and_store(tmp_path, "hounslow_2023-10_ilacs.pdf")
    target = root / "authorities" / "hounslow.yaml"
    edited = target.read_text(encoding="utf-8").replace("grade: good", "grade: outstanding", 1)
    target.write_text(edited, encoding="utf-8")
    [line] = json_lines(cli("ingest", str(docs), "--store", str(root), "--reread", "-f", "json", code=1).stdout)
    assert line["status"] == "error" and "edited by hand" in line["message"] and line["message"].endswith("its earlier reading is kept")
    assert target.read_text(encoding="utf-8") == edited


HOME_REPORT = """\
Children's home inspection - Full

Inspection date: 8 March 2022

Unique reference number: SC123456

Hounslow local authority runs this children's home, which provides care for up to four
children with learning disabilities.

Overall experiences and progress of children and young people, taking into account: Good
How well children and young people are helped and protected: Good
The effectiveness of leaders and managers: Requires improvement to be good

What does the children's home need to do to improve?
The registered person should ensure that staff record each child's progress against their plan.
"""


def test_the_changes_are_told_inspection_by_inspection() -> None:
    from ofstl.ingest.reading_changes import record_changes, summary

    def record(key: str, grade: str | None, texts: list[str], start: str = "2023-10") -> dict[str, Any]:
        judgements = {"overall": {"grade": grade}} if grade else {}
        return {"id": key, "framework": "ilacs", "start": start, "judgements": judgements, "weaknesses": [{"text": t} for t in texts]}

    before = [record("a-2018-ilacs", "good", ["x"]), record("a-2023-10-ilacs", None, ["x", "y"]), record("a-2014-sif", "adequate", [])]
    after = [record("a-2018-ilacs", "good", ["x"]), record("a-2023-10-ilacs", "good", ["x"], start="2023-10-02"), record("a-2019-fv", None, [])]
    phrases = record_changes(before, after)
    assert phrases == ["a-2014-sif gone", "a-2019-fv new", "a-2023-10-ilacs: start 2023-10 → 2023-10-02, overall - → good, 1 weakness fewer"]
    assert summary(phrases, most=2) == "a-2014-sif gone; a-2019-fv new; and 1 more"
    assert summary([]).startswith("the same inspections")


def test_a_copy_of_a_reread_document_counts_once(tmp_path: Path) -> None:
    docs, root = docs_and_store(tmp_path, "hounslow_2018-10_ilacs.pdf")
    shutil.copy(docs / "hounslow_2018-10_ilacs.pdf", docs / "copy.pdf")
    sha = sha_of(docs / "copy.pdf")
    rewrite(root, "hounslow", lambda observations: [{**o, "weaknesses": []} if o["sha256"] == sha else o for o in observations])
    lines = json_lines(cli("ingest", str(docs), "--store", str(root), "--reread", "-f", "json").stdout)
    assert sorted(r["status"] for r in lines) == ["unchanged", "updated"], lines
    [copy] = [r for r in lines if r["status"] == "unchanged"]
    assert copy["message"].startswith("same content as ")


def test_a_reread_from_a_continued_councils_file_is_no_inspection_gone(tmp_path: Path) -> None:
    """A document an older ofstl filed under the continued council's slug
    (somerset-county-council.yaml) moves to today's council's file on a re-read; the two are
    one history, so nothing is "gone" and "new" under two ids of one inspection."""
    from tests.test_reorganised_councils import SOMERSET_2022

    docs, root = tmp_path / "docs", tmp_path / "store"
    docs.mkdir()
    (docs / "somerset-2022.txt").write_text(SOMERSET_2022, encoding="utf-8")
    cli("ingest", str(docs), "--store", str(root), "-j", "1")
    store = Store(root)
    records = store.load("somerset")["inspections"]
    store.save("somerset-county-council", records)
    store.file_for("somerset").unlink()
    [line] = json_lines(cli("ingest", str(docs), "--store", str(root), "--reread", "-f", "json").stdout)
    assert line["status"] == "updated" and line["authority"] == "somerset"
    assert line["message"] == ("read again: now somerset (was somerset-county-council): "
                               "the same inspections, read alike (only what it records as evidence changed)")
    assert Store(root).load("somerset")["inspections"] == records


def test_an_inspection_gone_because_its_reading_joins_another_says_which() -> None:
    from ofstl.ingest.reading_changes import record_changes

    sha = "s" * 64
    before = [{"id": "a-2018-10-ilacs", "sources": [{"sha256": "r" * 64}]}, {"id": "a-2018-12-ilacs", "sources": [{"sha256": sha}]},
              {"id": "a-2015-sif", "sources": [{"sha256": "t" * 64}]}]
    after = [{"id": "a-2018-10-ilacs", "sources": [{"sha256": "r" * 64}, {"sha256": sha}]}]
    assert record_changes(before, after, sha) == ["a-2015-sif gone", "a-2018-12-ilacs gone (its reading joins a-2018-10-ilacs)"]
