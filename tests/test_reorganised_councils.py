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
