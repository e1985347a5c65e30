"""Acceptance on the real corpus in ../shared (skipped when it is absent).

Ingests every document once per test session, then checks the export against the hand-read
labels, Hillingdon's timeline, the 2013 -> 2018 diff, and that re-ingesting changes no byte.
"""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest
import yaml

from ofstl import views
from ofstl.ingest import Ingest
from ofstl.store import Store
from tests.accuracy import compare

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"

pytestmark = pytest.mark.skipif(not (CORPUS / "labels.yaml").exists(), reason="../shared corpus not present")


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store(tmp_path_factory.mktemp("corpus") / "store")
    results = Ingest(store).run([CORPUS / "docs"])
    assert all(r.status in ("added", "unchanged") for r in results), [r.message for r in results if r.status == "error"]
    return store


@pytest.fixture(scope="session")
def labels() -> list[dict]:
    return yaml.safe_load((CORPUS / "labels.yaml").read_text(encoding="utf-8"))


def test_every_labelled_authority_framework_date_and_judgement(corpus_store: Store, labels: list[dict]) -> None:
    score, misses = compare(labels, views.export(corpus_store.load_all()))
    strict = ("authority", "framework", "start", "end", "judgement.", "no extra judgements", "mentions", "weaknesses count")
    strict_misses = [m for m in misses if any(f": {field}" in m for field in strict)]
    assert not strict_misses, "\n".join(strict_misses)
    assert score["framework"][1] == len(labels)


def test_export_follows_spec_shape(corpus_store: Store) -> None:
    exported = views.export(corpus_store.load_all())
    assert exported["ofstl_export"] == 1
    keys = {"id", "authority", "authority_name", "gss_code", "framework", "type", "start", "end", "published", "judgements", "weaknesses", "strengths", "sources"}
    order = []
    for record in exported["inspections"]:
        assert keys <= set(record)
        for source in record["sources"]:
            assert source["kind"] in {"ofsted-report", "ofsted-letter", "council-paper", "news", "other"}
            assert source["role"] in {"subject", "mentioned"}
            assert len(source["sha256"]) == 64
        order.append((record["authority"], record["start"] is None, record["start"] or ""))
    assert order == sorted(order)


def test_hillingdon_timeline(corpus_store: Store) -> None:
    view = views.timeline(corpus_store.load("hillingdon"))
    rows = [(e["start"][:7], e["framework"], e["role"], e["judgements"]) for e in view["inspections"]]
    assert rows[0][:3] == ("2009-07", "cra", "mentioned")
    assert ("2009-12", "slac", "mentioned", {"children_in_care": "good"}) in rows
    assert ("2010-07", "cra", "mentioned", {}) in rows
    assert ("2011-01", "cra", "subject", {}) in rows
    sif = next(r for r in rows if r[1] == "sif")
    assert sif[0] == "2013-11" and sif[3]["overall"] == "requires improvement" and sif[3]["adoption"] == "good"
    ilacs = [r for r in rows if r[1] == "ilacs"]
    assert [r[0] for r in ilacs] == ["2018-04", "2023-10"]
    assert ilacs[0][3]["overall"] == "good" and ilacs[0][3]["leadership"] == "outstanding"
    assert ilacs[1][3]["overall"] == "outstanding"
    assert any(r[:2] == ("2020-01", "focused-visit") for r in rows)
    starts = [e["start"] for e in view["inspections"]]
    assert starts == sorted(starts)
    # The undated news article is a source of the 2018 inspection, not a row of its own.
    record = next(r for r in corpus_store.load("hillingdon")["inspections"] if r["id"].startswith("hillingdon-2018-04"))
    assert "news" in {s["kind"] for s in record["sources"]}
    assert all(r[1] != "other" for r in rows)
    sif_record = next(r for r in corpus_store.load("hillingdon")["inspections"] if r["framework"] == "sif")
    assert {"ofsted-report", "council-paper"} <= {s["kind"] for s in sif_record["sources"]}


def test_diff_shows_every_judgement_before_and_after(corpus_store: Store) -> None:
    data = corpus_store.load("hillingdon")
    before = views.select(data["inspections"], "2013")
    after = views.select(data["inspections"], "2018")
    result = views.diff(data, before, after)
    changed = {c["path"].split(".", 1)[1]: (c["from"], c["to"]) for c in result["changes"] if c["path"].startswith("judgements.")}
    assert changed["overall"] == ("requires improvement", "good")
    assert changed["leadership"] == ("requires improvement", "outstanding")
    assert set(changed) | set(result["unchanged_judgements"]) == set(before["judgements"]) | set(after["judgements"])


def test_reingest_changes_no_byte(corpus_store: Store, tmp_path: Path) -> None:
    snapshot = tmp_path / "before"
    import shutil

    shutil.copytree(corpus_store.dir, snapshot)
    results = Ingest(corpus_store).run([CORPUS / "docs"])
    assert {r.status for r in results} == {"unchanged"}
    comparison = filecmp.dircmp(snapshot, corpus_store.dir)
    assert not comparison.diff_files and not comparison.left_only and not comparison.right_only
    for name in comparison.common_files:
        assert (snapshot / name).read_bytes() == (corpus_store.dir / name).read_bytes()


def _recurring(store: Store, slug: str) -> dict[str, list[str]]:
    return {t["theme"]: t["years"] for t in views.timeline(store.load(slug))["themes"] if t["recurring"]}


def test_hillingdon_weaknesses_that_keep_coming_back(corpus_store: Store) -> None:
    themes = _recurring(corpus_store, "hillingdon")
    assert {"2018", "2020"} <= set(themes["exploitation_missing"])
    assert {"2010", "2011", "2013"} <= set(themes["front_door_thresholds"])


def test_hounslow_oversight_and_supervision_2018_and_2020(corpus_store: Store) -> None:
    themes = _recurring(corpus_store, "hounslow")
    assert {"2018", "2020"} <= set(themes["management_oversight"])
    assert {"2018", "2020"} <= set(themes["supervision"])


def test_hounslow_diff_lists_resolved_persisting_and_new_themes(corpus_store: Store) -> None:
    data = corpus_store.load("hounslow")
    result = views.diff(data, views.select(data["inspections"], "2014"), views.select(data["inspections"], "2018"))
    kinds = {c["change"] for c in result["changes"] if c["path"].startswith("themes.")}
    assert kinds == {"no longer raised", "still raised", "newly raised"} or kinds >= {"no longer raised", "still raised"}
    for change in result["changes"]:
        if change["path"].startswith("themes."):
            assert change["from"] or change["to"]  # the verbatim items behind the theme


def test_no_weakness_is_page_furniture(corpus_store: Store) -> None:
    import re

    furniture = re.compile(r"^\s*(?:\d{1,3}|page \d+|.*©.*|www\.\S+|inspection of .{0,60} children.s services|ref(?:erence)? no.*)\s*$", re.I)
    for record in views.export(corpus_store.load_all())["inspections"]:
        for item in record["weaknesses"]:
            assert not furniture.match(item["text"]), (record["id"], item["text"])
            assert len(item["text"]) > 15, (record["id"], item["text"])


def test_grades_also_right_without_layout_positions(corpus_store: Store, labels: list[dict]) -> None:
    """The same PDFs read as plain text (as from pdftotext or a copy-paste): the cells come in
    reading order, so the pairing by order must get every grade right too."""
    import hashlib

    from ofstl.models import ExtractedText
    from ofstl.parse.document import parse_document

    checked = 0
    for doc in labels:
        if not doc["file"].endswith(".pdf"):
            continue
        sha = hashlib.sha256((CORPUS / "docs" / doc["file"]).read_bytes()).hexdigest()
        cached = corpus_store.cached_text(sha)
        assert cached is not None, doc["file"]
        extracted = ExtractedText.from_dict(cached)
        for page in extracted.pages:
            page.boxes = []
        subject = parse_document(extracted).subject
        want = next(i for i in doc["inspections"] if i["role"] == "subject").get("judgements") or {}
        assert {k: j.grade for k, j in subject.judgements.items()} == want, doc["file"]
        checked += 1
    assert checked == 41
