"""Which inspection is an authority's "latest", checked against a researcher's own count.

Each test builds a small store by hand (an undated inspection, two inspections on the same
first day, an authority known only from a mention, an open SIF-or-ILACS, an ILACS from April
2026 with no overall grade, visits) and works out the answer from the store's export JSON with
a few lines of its own, never with the view code, then asks every command across authorities
(``list``, ``national``, ``compare``, ``due``) for the same inspection.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ofstl.cli import app
from ofstl.store import Store
from tests.fixture_store import _j, _record

AS_AT = "2026-09-01"


def _inspection(slug: str, framework: str, start: str | None, type_: str | None = None, role: str = "subject",
                rid: str | None = None, **grades: str) -> dict[str, Any]:
    sha = hashlib.sha256(f"{slug} {start} {role}".encode()).hexdigest()
    return _record(rid or f"{slug}-{(start or 'undated')[:7]}-{framework}", framework, start, type_=type_, role=role,
                   judgements={k: _j(g.replace("_", " "), method="mention" if role == "mentioned" else "table") for k, g in grades.items()},
                   sources=[{"path": f"docs/{slug}-{start}.pdf", "sha256": sha, "kind": "ofsted-report", "role": role}])


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("latest") / "store"
    s = Store(root)
    # a dated SIF, then an ILACS whose documents give no date: its place is unknown
    s.save("harrow", [_inspection("harrow", "sif", "2017-01-09", overall="good"),
                      _inspection("harrow", "ilacs", None, "standard", overall="inadequate")])
    # a later story's "inspected in 2019 and judged requires improvement" beside the 2019 report
    # (good) it contradicts: both begin, as far as anyone can tell, on 2019-01-01
    s.save("brent", [_inspection("brent", "ilacs", "2019-01-01", "standard", overall="good", leadership="good"),
                     _inspection("brent", "ilacs", "2019", role="mentioned", rid="brent-2019-ilacs", overall="requires_improvement")])
    s.save("barnet", [_inspection("barnet", "sif", "2017-05", role="mentioned", overall="inadequate")])
    s.save("ealing", [_inspection("ealing", "sif", "2016-05-09", overall="good"),
                      _inspection("ealing", "sif-or-ilacs", "2018", role="mentioned", overall="inadequate")])
    s.save("trafford", [_inspection("trafford", "ilacs", "2022-09-05", "short", overall="good", leadership="good"),
                        _inspection("trafford", "ilacs", "2026-06-08", "standard", leadership="requires_improvement",
                                    help_and_protection="good", children_in_care="good", care_leavers="good")])
    s.save("hounslow", [_inspection("hounslow", "ilacs", "2023-10-02", "short", overall="good"),
                        _record("hounslow-2025-02-focused-visit", "focused-visit", "2025-02-03")])
    return root


def as_json(root: Path, *args: str) -> Any:
    result = CliRunner().invoke(app, [*args, "--store", str(root), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _first_day(start: str | None) -> str | None:
    if not start:
        return None
    parts = start.split("-") + ["01", "01"]
    return "-".join(parts[:3])


def researchers_latest(root: Path, *, full_only: bool) -> dict[str, dict[str, Any]]:
    """authority -> its latest dated inspection (full: SIF or ILACS; else any graded one), by
    first possible day; on the same day the authority's own report outranks a later mention."""
    out: dict[str, dict[str, Any]] = {}
    for r in as_json(root, "export")["inspections"]:
        wanted = r["framework"] in ("sif", "ilacs") if full_only else bool(r["judgements"])
        if not wanted or not _first_day(r["start"]) or _first_day(r["start"]) > AS_AT:  # type: ignore[operator]
            continue
        key = (_first_day(r["start"]), r["role"] == "subject")
        held = out.get(r["authority"])
        if held is None or key >= (_first_day(held["start"]), held["role"] == "subject"):
            out[r["authority"]] = r
    return out


def test_list_never_takes_an_undated_inspection_for_the_latest_grade(store: Path) -> None:
    """Harrow's undated ILACS (inadequate) sat last in date order, so list said Harrow's latest
    grade was inadequate, with no year; its latest dated graded inspection is the 2017 SIF."""
    latest = researchers_latest(store, full_only=False)
    rows = {r["authority"]: r for r in as_json(store, "list")}
    assert (rows["harrow"]["latest_graded"], rows["harrow"]["latest_grade"], rows["harrow"]["latest_year"]) == (
        latest["harrow"]["id"], "good", "2017")
    for slug in ("harrow", "brent", "trafford", "hounslow", "barnet"):
        assert rows[slug]["latest_graded"] == latest[slug]["id"], slug


def test_on_the_same_first_day_the_authoritys_own_report_is_the_latest_everywhere(store: Path) -> None:
    """Brent's 2019 report (good) and a story's year-only mention of a 2019 inspection
    (requires improvement) both begin on 2019-01-01 as far as can be told: national, compare and
    due took the mention (the store's order) while list took the report; each now takes the report."""
    latest = researchers_latest(store, full_only=True)
    assert latest["brent"]["id"] == "brent-2019-01-ilacs"
    national = as_json(store, "national", "--as-at", AS_AT)
    assert {s["authority"]: s["inspection"] for s in national["sources"]} == {a: r["id"] for a, r in latest.items()}
    overall = national["judgements"][0]
    counted = [r["judgements"].get("overall") for r in latest.values()]
    assert {g: v["count"] for g, v in overall["grades"].items()} == {
        g: counted.count(g) for g in ("outstanding", "good", "requires improvement", "inadequate")}
    assert (overall["graded"], overall["not_judged"]) == (sum(1 for g in counted if g), counted.count(None))
    row = as_json(store, "compare", "brent", "--with", "harrow", "--as-at", AS_AT)["rows"][0]
    assert (row["last_full"]["id"], row["judgements"]["overall"]["grade"]) == ("brent-2019-01-ilacs", "good")
    due = {r["authority"]: r for r in as_json(store, "due", "--as-at", AS_AT)["authorities"]}
    assert {a: r["last_full"]["id"] for a, r in due.items()} == {a: r["id"] for a, r in latest.items()}
    assert (due["brent"]["grade"], due["brent"]["next"]["opens"]) == ("good", "2022-07-27")  # 2021-07-01 (30 months on), then the 391-day pause
    assert as_json(store, "list")[1]["latest_graded"] == "brent-2019-01-ilacs"


def test_two_inspections_on_the_same_first_day_make_no_transition(store: Path) -> None:
    """Brent's year-only mention (requires improvement) and its 2019 report (good) begin on the
    same first day as far as the documents tell: which came first is unknown, so the pair was
    counted 'improved'. It is not comparable; the other pairs count as before."""
    export = as_json(store, "export")["inspections"]
    fulls: dict[str, list[dict[str, Any]]] = {}
    for r in export:
        if r["framework"] in ("sif", "ilacs") and r["start"]:
            fulls.setdefault(r["authority"], []).append(r)
    pairs = [(a, b) for rs in fulls.values() for a, b in zip(sorted(rs, key=lambda r: _first_day(r["start"])),
                                                             sorted(rs, key=lambda r: _first_day(r["start"]))[1:])]
    known = [(a, b) for a, b in pairs if _first_day(a["start"]) != _first_day(b["start"])
             and a["judgements"].get("overall") and b["judgements"].get("overall")]
    [overall] = [t for t in as_json(store, "national", "--as-at", AS_AT)["transitions"] if t["judgement"] == "overall"]
    assert (overall["pairs"], overall["improved"], overall["not_comparable"]) == (len(known), 0, len(pairs) - len(known))
    assert (len(pairs), len(known)) == (2, 0)  # brent's same-day pair, trafford's 2022 -> 2026 (no overall in 2026)


def test_list_gives_the_latest_grade_known_even_when_a_later_document_gave_it(tmp_path: Path) -> None:
    """Kent's own 2013 looked after children report (adequate) and a 2019 focused visit letter
    that recalls the 2016 SIF (inadequate): list gave 'adequate (2013)' (it preferred any report
    read to a mention, however old) while national counted the SIF; both now give the SIF."""
    s = Store(tmp_path / "store")
    s.save("kent", [_inspection("kent", "lac", "2013-07-08", overall="adequate"),
                    _inspection("kent", "sif", "2016-02-01", role="mentioned", overall="inadequate"),
                    _record("kent-2019-05-focused-visit", "focused-visit", "2019-05-14")])
    latest = researchers_latest(s.root, full_only=False)
    [row] = as_json(s.root, "list")
    assert (row["latest_graded"], row["latest_grade"], row["latest_year"]) == (latest["kent"]["id"], "inadequate", "2016")
    [source] = as_json(s.root, "national", "--as-at", AS_AT)["sources"]
    assert source["inspection"] == row["latest_graded"]
    # a later ILACS a letter mentions without its grades: the latest is that one, its grade not stated, in list and national
    s.save("medway", [_inspection("medway", "sif", "2015-03-02", overall="requires_improvement"),
                      _inspection("medway", "ilacs", "2019-06-03", role="mentioned")])
    row = {r["authority"]: r for r in as_json(s.root, "list")}["medway"]
    assert (row["latest_graded"], row["latest_headline"], row["latest_year"]) == ("medway-2019-06-ilacs", "grade not stated", "2019")
    national = as_json(s.root, "national", "--as-at", AS_AT)
    assert {x["authority"]: x["inspection"] for x in national["sources"]}["medway"] == "medway-2019-06-ilacs"
    assert national["judgements"][0]["not_known"] == 1


def test_a_framework_settled_by_hand_is_marked_where_it_is_counted(store: Path, tmp_path: Path) -> None:
    """Ealing's 2018 'SIF or ILACS' counts as neither until a person settles it with
    ``ofstl correct ealing 2018 framework ilacs``; then national and due count it (as the
    researcher's count from the export does) but marked nothing corrected, though every figure
    for Ealing now stands on that correction."""
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    before = {s["authority"]: s["inspection"] for s in as_json(copy, "national", "--as-at", AS_AT)["sources"]}
    assert before["ealing"] == "ealing-2016-05-sif"
    result = CliRunner().invoke(app, ["correct", "ealing", "2018", "framework", "ilacs", "--note", "the letter's own words", "--store", str(copy)])
    assert result.exit_code == 0, result.output
    latest = researchers_latest(copy, full_only=True)
    national = as_json(copy, "national", "--as-at", AS_AT)
    assert {s["authority"]: s["inspection"] for s in national["sources"]}["ealing"] == latest["ealing"]["id"] == "ealing-2018-sif-or-ilacs"
    assert "ealing framework" in national["corrected"]
    row = {r["authority"]: r for r in as_json(copy, "due", "--as-at", AS_AT)["authorities"]}["ealing"]
    assert (row["last_full"]["id"], row["grade"], row["corrected"]) == ("ealing-2018-sif-or-ilacs", "inadequate", ["framework"])


def test_the_backtest_takes_no_pair_on_the_same_first_day(store: Path) -> None:
    """Brent's year-only mention and its 2019 report made a backtest pair 0 months apart,
    'early', which pulled the hit rate down; a pair whose order is unknown is skipped, and said."""
    backtest = as_json(store, "due", "--backtest")
    export = as_json(store, "export")["inspections"]
    dated = sorted((_first_day(r["start"]), r["authority"]) for r in export if r["framework"] in ("sif", "ilacs") and r["start"])
    same_day = sum(1 for a, b in zip(dated, dated[1:]) if a == b)
    assert [(p["from"], p["to"]) for p in backtest["pairs"]] == [("trafford-2022-09-ilacs", "trafford-2026-06-ilacs")]
    assert (backtest["overall"]["pairs"], backtest["skipped_same_day"], same_day) == (1, 1, 1)
    result = CliRunner().invoke(app, ["due", "--backtest", "--store", str(store)], env={"COLUMNS": "100"})
    assert "1 pair skipped: both began on the same first day as far as known" in result.stdout
