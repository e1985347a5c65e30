"""``national`` against Ofsted's own published figures (test data only, skipped when absent).

A synthetic store is built in the test from Ofsted's official ILACS inspection history
(``../shared/corpus/official``): one ILACS record per row, dated by its inspection date, under
the slug of the authority code. Nothing of it ships in the package. ``national --as-at
2025-03-31`` must then reproduce Ofsted's published table "Inspections as at 31 March"
(2025), judgement by judgement, and the transitions must be those of the official history.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ofstl import across, authorities
from ofstl.parse.grades import GRADE_LEVEL, normalise_grade
from ofstl.store import Store

OFFICIAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "official"
HISTORY = OFFICIAL / "LA_Inspection_Outcomes_2025__ILACS_inspection_history.csv"
AS_AT = OFFICIAL / "LA_Inspection_Outcomes_2025__Inspections_as_at_31_March.csv"
COLUMNS = {
    "overall": "Overall effectiveness",
    "leadership": "The impact of leaders on social work practice with children and families",
    "help_and_protection": "The experiences and progress of children who need help and protection",
    "children_in_care": "The experiences and progress of children in care",
    "care_leavers": "The experiences and progress of care leavers",
}

pytestmark = pytest.mark.skipif(not HISTORY.exists() or not AS_AT.exists(), reason="../shared/corpus/official not present")


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def _slug(code: str) -> str:
    return next(a.slug for a in authorities.all_authorities() if a.gss_code == code)


@pytest.fixture(scope="module")
def official_store(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    root = tmp_path_factory.mktemp("official")
    by_slug: dict[str, list[dict]] = {}
    for row in _rows(HISTORY):
        slug = _slug(row["Local authority area code"])
        start = row["Inspection date"]
        judgements = {key: {"grade": normalise_grade(row[col]), "printed": row[col], "source": "official-csv", "page": 1, "method": "table"}
                      for key, col in COLUMNS.items() if row.get(col)}
        by_slug.setdefault(slug, []).append({
            "id": f"{slug}-{start[:7]}-ilacs", "framework": "ilacs", "type": row["Inspection type"].split()[1].lower(),
            "role": "subject", "start": start, "end": None, "published": row["Publication date"], "judgements": judgements,
            "weaknesses": [], "strengths": [], "sources": []})
    store = Store(root)
    for slug, records in by_slug.items():
        store.save(slug, sorted(records, key=lambda r: r["start"]))
    return list(store.load_all())


def test_as_at_31_march_2025_matches_the_published_table(official_store: list[dict]) -> None:
    published = _rows(AS_AT)
    view = across.national(official_store, "2025-03-31")
    assert view["authorities"] == len(published) == 153
    assert view["covered"] == 153
    for d in view["judgements"]:
        expected = {g: 0 for g in across.SCALE}
        blank = 0
        for row in published:
            grade = normalise_grade(row[COLUMNS[d["judgement"]]]) if row[COLUMNS[d["judgement"]]] else None
            if grade:
                expected[grade] += 1
            else:
                blank += 1
        assert {g: v["count"] for g, v in d["grades"].items()} == expected, d["judgement"]
        assert d["not_judged"] == blank
    overall = view["judgements"][0]
    assert overall["good_or_outstanding"] == {"count": 103, "share": 0.6732}  # Ofsted: 67 good + 36 outstanding of 153


def test_as_at_31_march_2024(official_store: list[dict]) -> None:
    view = across.national(official_store, "2024-03-31", judgement="overall")
    # Cumberland and Westmorland and Furness (from April 2023) had not yet been inspected.
    assert view["authorities"] == 153 and view["covered"] == 151
    assert set(view["not_covered"]) == {"cumberland", "westmorland-and-furness"}
    d = view["judgements"][0]
    assert {g: v["count"] for g, v in d["grades"].items()} == {"outstanding": 30, "good": 61, "requires improvement": 43, "inadequate": 17}
    assert d["good_or_outstanding"]["share"] == 0.6026


def test_transitions_follow_the_official_history(official_store: list[dict]) -> None:
    by_code: dict[str, list[dict[str, str]]] = {}
    for row in _rows(HISTORY):
        if row["Local authority status"] == "Current":
            by_code.setdefault(row["Local authority area code"], []).append(row)
    expected = {t: 0 for t in across.TRANSITIONS}
    for rows in by_code.values():
        rows.sort(key=lambda r: r["Inspection date"])
        for a, b in zip(rows, rows[1:]):
            ga, gb = GRADE_LEVEL[normalise_grade(a["Overall effectiveness"])], GRADE_LEVEL[normalise_grade(b["Overall effectiveness"])]
            kind = "improved" if gb > ga else "declined" if gb < ga else ("stayed_good_or_outstanding" if gb >= 3 else "stayed_below_good")
            expected[kind] += 1
    view = across.national(official_store, "2025-03-31", judgement="overall")
    got = view["transitions"][0]
    assert {t: got[t] for t in across.TRANSITIONS} == expected
    assert got["pairs"] == sum(expected.values()) > 100
