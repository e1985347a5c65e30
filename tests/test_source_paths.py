"""Where a stored reading says its document is (README: the store, "Where documents are").

A source's path used to be stored as typed, relative to the folder that ingest ran in, so
``ingest --reread`` from cron or another folder found nothing and the views named paths that
opened only from the first folder. Paths are now stored relative to the store folder (the
document under the store's parent folder) or absolute, and shown as a person opens them from
where they are. Tests never write this machine's paths into a golden: absolute paths are
compared against the test's own folders.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from ofstl.cli import app
from ofstl.ingest.commit import Committer
from ofstl.source_paths import locate, shown, stored_form
from ofstl.store import Store

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
ENV = {"COLUMNS": "100", "NO_COLOR": "1"}
NAMES = ["hounslow_2021-07_focused-visit.txt", "hillingdon_2014-03_cabinet-paper.txt"]


def cli(*args: str, code: int = 0) -> Any:
    result = CliRunner().invoke(app, list(args), env=ENV)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    return result


def stored_paths(root: Path) -> set[str]:
    out = set()
    for file in (root / "authorities").glob("*.yaml"):
        for record in yaml.safe_load(file.read_text())["inspections"]:
            out |= {s["path"] for s in record["sources"]}
    return out


def exported_paths(root: Path) -> set[str]:
    return {s["path"] for r in json.loads(cli("export", "--store", str(root)).stdout)["inspections"] for s in r["sources"]}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp/work/project/{docs,store}: ingested from tmp/work as ``project/docs``."""
    project = tmp_path / "work" / "project"
    (project / "docs").mkdir(parents=True)
    for name in NAMES:
        shutil.copy(SAMPLES / name, project / "docs" / name)
    monkeypatch.chdir(tmp_path / "work")
    cli("ingest", "project/docs", "--store", "project/store", "-j", "1")
    return project


def test_paths_are_stored_relative_to_the_store_folder(project: Path) -> None:
    assert stored_paths(project / "store") == {f"../docs/{name}" for name in NAMES}


def test_reread_from_another_folder_finds_every_document(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "cron"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = cli("ingest", "--reread", "--store", str(project / "store"), "--format", "json")
    statuses = [json.loads(line)["status"] for line in result.stdout.splitlines() if line.strip()]
    assert statuses and set(statuses) == {"unchanged"}, result.stdout + result.stderr
    assert "not found" not in result.stderr


def test_views_name_a_path_that_opens_from_where_you_are(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = project / "store"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    paths = exported_paths(store)
    assert paths == {str(project / "docs" / name) for name in NAMES}  # absolute: outside the current folder
    assert all(Path(p).is_file() for p in paths)
    monkeypatch.chdir(project)
    assert exported_paths(store) == {f"docs/{name}" for name in NAMES}  # below it: relative
    assert f"docs/{NAMES[0]}" in cli("show", "hounslow", "2021-07", "--store", str(store)).stdout


def test_a_project_folder_moved_as_a_whole_keeps_its_documents(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    moved = tmp_path / "moved"
    shutil.move(str(project), str(moved))
    monkeypatch.chdir(tmp_path)
    result = cli("ingest", "--reread", "--store", "moved/store")
    assert "not found" not in result.stderr, result.stderr
    assert all(Path(p).is_file() for p in exported_paths(moved / "store"))


def test_a_document_outside_the_store_parent_is_stored_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = tmp_path / "downloads"
    docs.mkdir()
    shutil.copy(SAMPLES / NAMES[0], docs / NAMES[0])
    (tmp_path / "data").mkdir()
    monkeypatch.chdir(tmp_path)
    cli("ingest", "downloads", "--store", "data/share/ofstl", "-j", "1")
    assert stored_paths(tmp_path / "data" / "share" / "ofstl") == {str(docs / NAMES[0])}


def make_legacy(root: Path, base: str) -> None:
    """Rewrite the store's source paths as an earlier ofstl stored them: ``base/NAME``."""
    committer = Committer(Store(root), True, 60.0, lambda message: None)
    for slug in Store(root).slugs():
        committer.save(slug, [dict(o, path=f"{base}/{Path(o['path']).name}") for o in committer.observations(slug)])


def test_a_store_written_by_an_earlier_ofstl_is_found_from_the_folder_it_was_read_in(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = project / "store"
    make_legacy(store, "project/docs")  # typed from tmp/work
    monkeypatch.chdir(tmp_path / "work")
    assert exported_paths(store) == {f"project/docs/{name}" for name in NAMES}
    result = cli("ingest", "--reread", "--store", "project/store")
    assert "not found" not in result.stderr
    assert "the current folder" in result.stderr, result.stderr  # it says where it found them
    assert stored_paths(store) == {f"../docs/{name}" for name in NAMES}  # now in today's form


def test_an_earlier_ofstl_path_from_the_project_folder_is_found_from_anywhere(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = project / "store"
    make_legacy(store, "docs")  # typed in the project folder: `ofstl ingest docs --store store`
    (tmp_path / "cron").mkdir()
    monkeypatch.chdir(tmp_path / "cron")
    assert exported_paths(store) == {str(project / "docs" / name) for name in NAMES}
    result = cli("ingest", "--reread", "--store", str(store))
    assert "not found" not in result.stderr and "the store's parent folder" in result.stderr, result.stderr


def test_path_helpers(tmp_path: Path) -> None:
    root = tmp_path / "p" / "store"
    assert stored_form("p/docs/a.pdf", "p/store", cwd=str(tmp_path)) == "../docs/a.pdf"
    assert stored_form("p/store/in/a.pdf", "p/store", cwd=str(tmp_path)) == "in/a.pdf"
    assert stored_form("other/a.pdf", "p/store", cwd=str(tmp_path)) == str(tmp_path / "other" / "a.pdf")
    assert stored_form("/abs/a.pdf", str(root), cwd=str(tmp_path)) == "/abs/a.pdf"
    assert locate("../docs/a.pdf", root, cwd="/") == (str(tmp_path / "p" / "docs" / "a.pdf"), None)
    assert shown(str(tmp_path / "p" / "docs" / "a.pdf"), cwd=str(tmp_path / "p")) == "docs/a.pdf"
    assert shown("/abs/a.pdf", cwd=str(tmp_path)) == "/abs/a.pdf"


def test_a_workbook_names_each_document_by_its_absolute_path(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A workbook is opened later, from anywhere: a path relative to the folder it was written
    in would name nothing there."""
    from openpyxl import load_workbook

    monkeypatch.chdir(project)
    target = project / "out.xlsx"
    cli("export", "--store", "store", "--xlsx", str(target))
    header, *rows = list(load_workbook(target)["sources"].iter_rows(values_only=True))
    named = {row[header.index("document")] for row in rows if row and row[0] != "made by" and row[header.index("kind")] != "correction"}
    named.discard(None)
    assert named == {str(project / "docs" / name) for name in NAMES}


def test_a_store_reached_through_a_link_keeps_its_fetched_documents_relative(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """fetch puts documents in documents/ beside the store's real folder; a store named
    through a folder link is still the same project folder."""
    real = tmp_path / "real" / "project"
    (real / "documents").mkdir(parents=True)
    shutil.copy(SAMPLES / NAMES[0], real / "documents" / NAMES[0])
    (tmp_path / "link").symlink_to(real)
    monkeypatch.chdir(tmp_path)
    cli("ingest", str(real / "documents"), "--store", "link/store", "-j", "1")
    assert stored_paths(real / "store") == {f"../documents/{NAMES[0]}"}


def test_a_store_folder_that_is_a_link_finds_documents_beside_its_real_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = tmp_path / "real"
    (real / "documents").mkdir(parents=True)
    shutil.copy(SAMPLES / NAMES[0], real / "documents" / NAMES[0])
    (tmp_path / "links").mkdir()
    (tmp_path / "links" / "store").symlink_to(real / "store", target_is_directory=True)
    (real / "store").mkdir()
    monkeypatch.chdir(tmp_path / "links")
    cli("ingest", str(real / "documents"), "--store", "store", "-j", "1")
    assert stored_paths(real / "store") == {f"../documents/{NAMES[0]}"}
    assert exported_paths(tmp_path / "links" / "store") == {str(real / "documents" / NAMES[0])}


def test_fetch_ingest_stores_the_documents_beside_the_store_relative(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_fetch import make_site
    from tests.ofsted_site import Server

    project = tmp_path / "project"
    monkeypatch.chdir(tmp_path)
    with Server(make_site()) as server:
        cli("--store", "project/store", "fetch", "hillingdon", "--base-url", server.url, "--ingest", "--delay", "0")
    paths = stored_paths(project / "store")
    assert paths and all(p.startswith("../documents/") for p in paths), paths
    shutil.move(str(project), str(tmp_path / "renamed"))
    (tmp_path / "cron").mkdir()
    monkeypatch.chdir(tmp_path / "cron")
    result = cli("ingest", "--reread", "--store", str(tmp_path / "renamed" / "store"))
    assert "not found" not in result.stderr and "0 skipped" in result.stderr, result.stderr


def test_documents_moved_and_ingested_again_are_recorded_where_they_are_now(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "docs").rename(project / "papers")
    result = cli("ingest", "project/papers", "--store", "project/store")
    assert "0 added" in result.stderr and "now recorded" in result.stderr, result.stderr
    assert stored_paths(project / "store") == {f"../papers/{name}" for name in NAMES}
    (tmp_path / "cron").mkdir()
    monkeypatch.chdir(tmp_path / "cron")
    assert "not found" not in cli("ingest", "--reread", "--store", str(project / "store")).stderr


def test_a_copy_ingested_from_another_path_leaves_the_recorded_path_alone(project: Path) -> None:
    shutil.copytree(project / "docs", project / "copy")
    cli("ingest", "project/copy", "--store", "project/store")
    assert stored_paths(project / "store") == {f"../docs/{name}" for name in NAMES}


def many_sources_store(root: Path, count: int) -> None:
    """A store whose Hillingdon inspections cite ``count`` council papers each (paths an
    earlier ofstl could have kept as typed: nothing on disk says which they are)."""
    from tests.fixture_store import HILLINGDON, make_store

    make_store(root)
    papers = [{"path": f"papers/paper-{i}.txt", "sha256": f"{i:064x}", "kind": "council-paper", "role": "mentioned"} for i in range(count)]
    Store(root).save("hillingdon", [dict(r, sources=r["sources"] + papers) for r in HILLINGDON])


def test_loading_the_store_looks_at_no_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Views that name no document (list, timeline) look at none: each load resolved every
    source path on disk (a stat or two per source, on every view of the whole store). show
    looks only at the inspection it shows."""
    many_sources_store(tmp_path / "store", 300)
    looked: list[str] = []
    real_stat, real_lstat = os.stat, os.lstat

    def stat(path: Any, *args: Any, **kwargs: Any) -> Any:
        if "paper-" in os.fspath(path) if isinstance(path, (str, os.PathLike)) else False:
            looked.append(os.fspath(path))
        return (real_lstat if kwargs.pop("_l", False) else real_stat)(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    monkeypatch.setattr(os, "lstat", lambda path, *a, **k: stat(path, *a, _l=True, **k))
    monkeypatch.chdir(tmp_path)
    for view in (["list"], ["timeline", "hillingdon"], ["export", "-f", "csv"], ["timeline", "hillingdon", "-f", "json"]):
        cli(*view, "--store", "store")
        assert looked == [], f"{' '.join(view)} looked at {len(looked)} documents"
    shown = cli("show", "hillingdon", "2018", "--store", "store", "-f", "json")
    assert json.loads(shown.stdout)["sources"][-1]["path"] == "store/papers/paper-299.txt"
    assert 0 < len(looked) <= 3 * 301  # the one inspection shown: its own documents only
    looked.clear()
    exported = json.loads(cli("export", "--store", "store").stdout)["inspections"]
    assert {s["path"] for r in exported for s in r["sources"]} >= {"store/papers/paper-0.txt"}


def test_a_home_folder_written_by_hand_is_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A person wrote ``~/docs/a.txt`` in a stored path: it is their home folder's, found and
    shown as such; the file keeps what they wrote until ofstl rewrites that source."""
    home = tmp_path / "home"
    (home / "docs").mkdir(parents=True)
    shutil.copy(SAMPLES / NAMES[0], home / "docs" / NAMES[0])
    monkeypatch.setenv("HOME", str(home))
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    cli("ingest", str(home / "docs"), "--store", "store", "-j", "1")
    store = tmp_path / "work" / "store"
    target = store / "authorities" / "hounslow.yaml"
    text = target.read_text(encoding="utf-8")
    assert str(home / "docs" / NAMES[0]) in text  # outside the store's parent folder: absolute
    target.write_text(text.replace(str(home / "docs" / NAMES[0]), f"~/docs/{NAMES[0]}"), encoding="utf-8")
    assert exported_paths(store) == {str(home / "docs" / NAMES[0])}
    assert "now recorded" not in cli("ingest", str(home / "docs"), "--store", "store").stderr  # found where it was recorded
    assert f"~/docs/{NAMES[0]}" in target.read_text(encoding="utf-8")  # never written back changed by a view or a plain ingest
    result = cli("ingest", "--reread", "--store", "store")
    assert "not found" not in result.stderr and "0 skipped" in result.stderr, result.stderr


def test_a_rebuild_stores_an_earlier_ofstls_paths_in_todays_form(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = project / "store"
    make_legacy(store, "project/docs")  # typed from tmp/work
    (store / "authorities" / "hounslow.yaml").write_text((store / "authorities" / "hounslow.yaml").read_text() + "# edited\n")
    monkeypatch.chdir(tmp_path / "work")
    cli("ingest", "--rebuild", "hounslow", "--store", "project/store")
    hounslow = {s["path"] for r in yaml.safe_load((store / "authorities" / "hounslow.yaml").read_text())["inspections"] for s in r["sources"]}
    assert hounslow == {f"../docs/{NAMES[0]}"}
