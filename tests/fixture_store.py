"""A small hand-written store for the CLI and renderer tests (no parsing involved).

Two authorities: Hillingdon with six inspections and visits (one only mentioned by a later
report, two ungraded visits, graded SIF and ILACS inspections with a recurring theme) and
Hounslow with two graded inspections. Grades follow the public record; the weakness texts
are the test's own wording.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ofstl.store import Store


def _j(grade: str, printed: str | None = None, source: str = "aaaaaaaaaaaa", page: int = 1, method: str = "table") -> dict[str, Any]:
    return {"grade": grade, "printed": printed or grade.capitalize(), "source": source, "page": page, "method": method}


def _w(text: str, *themes: str, page: int = 5) -> dict[str, Any]:
    return {"text": text, "section": "What needs to improve", "page": page, "themes": list(themes)}


def _src(name: str, sha: str, kind: str = "ofsted-report", role: str = "subject") -> dict[str, Any]:
    return {"path": f"docs/{name}", "sha256": sha * 64, "kind": kind, "role": role}


def _record(rid: str, framework: str, start: str | None, end: str | None = None, published: str | None = None, *,
            role: str = "subject", type_: str | None = None, judgements: dict[str, Any] | None = None,
            weaknesses: list[dict[str, Any]] | None = None, theme: str | None = None,
            sources: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    record = {"id": rid, "framework": framework, "type": type_, "start": start, "end": end, "published": published, "role": role,
              "judgements": judgements or {}, "weaknesses": weaknesses or [], "strengths": [], "sources": sources or []}
    if theme:
        record["theme"] = theme
    return record


HILLINGDON = [
    _record("hillingdon-2009-12-slac", "slac", "2009-12", role="mentioned",
            judgements={"children_in_care": _j("good", "judged good", "b" * 12, 4, "mention")},
            sources=[_src("hillingdon_2013_sif.pdf", "b", role="mentioned")]),
    _record("hillingdon-2011-01-cra", "cra", "2011-01-18", "2011-01-19", "2011-02-16",
            weaknesses=[_w("Assessments do not always record the child's history.", "assessment_quality", "history_chronology"),
                        _w("Thresholds at the front door are applied inconsistently.", "front_door_thresholds")],
            sources=[_src("hillingdon_2011_cra.txt", "a", "ofsted-letter")]),
    _record("hillingdon-2013-11-sif", "sif", "2013-11-25", "2013-12-18", "2014-02-11",
            judgements={"overall": _j("requires improvement", "Requires improvement to be good", "b" * 12),
                        "leadership": _j("requires improvement", source="b" * 12),
                        "help_and_protection": _j("requires improvement", source="b" * 12),
                        "children_in_care": _j("requires improvement", source="b" * 12),
                        "adoption": _j("good", source="b" * 12),
                        "lscb": _j("requires improvement", source="b" * 12, page=2)},
            weaknesses=[_w("The quality of assessments [of need] varies too much.", "assessment_quality"),
                        _w("Case records lack a chronology of significant events.", "history_chronology"),
                        _w("Plans for children in care are not specific enough.", "plans_quality")],
            sources=[_src("hillingdon_2013_sif.pdf", "b"), _src("cabinet_2014.txt", "c", "council-paper")]),
    _record("hillingdon-2018-04-ilacs", "ilacs", "2018-04-16", "2018-04-27", "2018-05-30", type_="standard",
            judgements={"overall": _j("good", source="d" * 12), "leadership": _j("outstanding", source="d" * 12),
                        "help_and_protection": _j("good", source="d" * 12), "children_in_care": _j("good", source="d" * 12)},
            weaknesses=[_w("Plans for permanence are not always agreed formally.", "plans_quality"),
                        _w("Return home interviews are not offered quickly enough.", "exploitation_missing")],
            sources=[_src("hillingdon_2018_ilacs.pdf", "d")]),
    _record("hillingdon-2020-01-focused-visit", "focused-visit", "2020-01-15", "2020-01-16", "2020-02-07",
            theme="vulnerable adolescents",
            weaknesses=[_w("Return home interviews do not always explore what happened.", "exploitation_missing")],
            sources=[_src("hillingdon_2020_fv.pdf", "e", "ofsted-letter")]),
    _record("hillingdon-2023-10-ilacs", "ilacs", "2023-10-02", "2023-10-06", "2023-11-20", type_="short",
            judgements={"overall": _j("outstanding", source="f" * 12), "leadership": _j("outstanding", source="f" * 12),
                        "help_and_protection": _j("good", source="f" * 12), "children_in_care": _j("outstanding", source="f" * 12),
                        "care_leavers": _j("good", source="f" * 12)},
            weaknesses=[_w("Care leavers do not all know their entitlements.", "care_leavers_pathway_eet")],
            sources=[_src("hillingdon_2023_ilacs.pdf", "f")]),
]

HOUNSLOW = [
    _record("hounslow-2014-01-sif", "sif", "2014-01-14", "2014-02-05", "2014-03-21",
            judgements={"overall": _j("requires improvement", source="1" * 12), "leadership": _j("requires improvement", source="1" * 12)},
            weaknesses=[_w("Supervision of social workers is not regular.", "supervision_management_oversight")],
            sources=[_src("hounslow_2014_sif.pdf", "1")]),
    _record("hounslow-2018-10-ilacs", "ilacs", "2018-10-01", "2018-10-12", "2018-11-12", type_="standard",
            judgements={"overall": _j("good", source="2" * 12), "leadership": _j("good", source="2" * 12),
                        "help_and_protection": _j("requires improvement", source="2" * 12)},
            weaknesses=[_w("Managers' oversight of casework is not always recorded.", "supervision_management_oversight")],
            sources=[_src("hounslow_2018_ilacs.pdf", "2")]),
]


def make_store(root: Path) -> Path:
    store = Store(root)
    store.save("hillingdon", HILLINGDON)
    store.save("hounslow", HOUNSLOW)
    return root
