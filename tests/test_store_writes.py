"""How ``Store.save`` writes: each file's bytes hashed once, the record of what ofstl wrote
(``written/``) as durable as the file it records, a re-read that moves a document between
authority files checked in every file before any is written, and an authority file that
is a link.

Why this exists: a crash after an authority file's rename but before ``written/<slug>``
reached the disk left ofstl's own file looking edited by hand; a withdraw stopped at a
hand-edited second holder after writing the first; a link was replaced by a regular file.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from ofstl import store as store_module
from ofstl.errors import StoreError
from ofstl.ingest.commit import Committer
from ofstl.store import HandEdited, Store
from tests.fixture_store import make_store


def test_save_hashes_the_files_bytes_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_store(tmp_path / "store")
    content = (root / "authorities" / "hounslow.yaml").read_bytes()
    store = Store(root)
    records = store.load("hounslow", raw=True)["inspections"]
    records[0] = dict(records[0], published="2099-01-01")
    hashed: list[bytes] = []
    real = hashlib.sha256

    def counting(data: bytes = b"") -> Any:
        hashed.append(bytes(data))
        return real(data)

    monkeypatch.setattr(store_module.hashlib, "sha256", counting)
    assert Store(root).save("hounslow", records)
    assert hashed.count(content) == 1, f"the file's bytes were hashed {hashed.count(content)} times"
    new = (root / "authorities" / "hounslow.yaml").read_bytes()
    assert hashed.count(new) == 1


def test_the_record_of_what_ofstl_wrote_is_as_durable_as_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash right after save returns must not leave an authority file ofstl wrote looking
    edited by hand: written/<slug> goes through the same fsync'd write as the file."""
    root = make_store(tmp_path / "store")
    store = Store(root)
    records = store.load("hounslow", raw=True)["inspections"]
    writes: list[tuple[Path, bool]] = []
    real = store_module.atomic_write

    def spying(path: Path, text: str, **kwargs: Any) -> None:
        writes.append((Path(path), kwargs.get("durable", True)))
        real(path, text, **kwargs)

    monkeypatch.setattr(store_module, "atomic_write", spying)
    store.save("hounslow", [dict(records[0], published="2099-01-01"), *records[1:]])
    recorded = [durable for path, durable in writes if path.parent == root / "written"]
    assert recorded and all(recorded), writes
    assert (root / "authorities" / "hounslow.yaml", True) in writes


def held_by_two(tmp_path: Path) -> tuple[Path, str]:
    """A store where one of Hounslow's documents is also in Hillingdon's file (a re-read
    moving it between the two was stopped between its writes): (the store, its sha256)."""
    root = make_store(tmp_path / "store")
    committer = Committer(Store(root), True, 60.0, lambda message: None)
    moved = [o for o in committer.observations("hounslow") if o["role"] == "subject"][:1]
    committer.save("hillingdon", committer.observations("hillingdon") + moved)
    return root, moved[0]["sha256"]


def files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "authorities").iterdir())}


@pytest.mark.parametrize("when", ["before the run", "during the run"])
def test_a_withdraw_writes_no_holder_when_a_later_one_refuses(tmp_path: Path, when: str) -> None:
    """Hillingdon comes first, Hounslow (edited by hand) second: Hillingdon's file was
    written, then the withdraw stopped. Now every holder is checked before any is written,
    whether the edit was there when the run read the file or made while it ran."""
    root, sha = held_by_two(tmp_path)
    hounslow = root / "authorities" / "hounslow.yaml"
    committer = Committer(Store(root), True, 60.0, lambda message: None)
    assert committer.known_hashes()[sha] in ("hillingdon", "hounslow") and committer.holders[sha] == {"hillingdon", "hounslow"}
    if when == "during the run":
        committer.observations("hillingdon"), committer.observations("hounslow")
    hounslow.write_bytes(hounslow.read_bytes() + b"# a person's note\n")
    before = files(root)
    with pytest.raises(StoreError):
        committer.withdraw(sha, "hillingdon")
    assert files(root) == before
    hounslow.write_bytes(hounslow.read_bytes().replace(b"# a person's note\n", b""))  # the edit undone: the next run finishes it
    again = Committer(Store(root), True, 60.0, lambda message: None)
    again.known_hashes()
    assert again.withdraw(sha, "hillingdon")
    assert not any(o["sha256"] == sha for name in ("hillingdon", "hounslow") for o in again.observations(name))


def changed_hounslow(root: Path) -> list[dict[str, Any]]:
    records = Store(root).load("hounslow", raw=True)["inspections"]
    return [dict(records[0], published="2099-01-01"), *records[1:]]


def test_a_link_into_the_store_folder_is_written_through(tmp_path: Path) -> None:
    root = make_store(tmp_path / "store")
    link = root / "authorities" / "hounslow.yaml"
    (root / "kept").mkdir()
    shutil.move(str(link), str(root / "kept" / "hounslow.yaml"))
    link.symlink_to(Path("..") / "kept" / "hounslow.yaml")
    store = Store(root)
    assert store.save("hounslow", changed_hounslow(root))
    assert link.is_symlink() and "2099-01-01" in (root / "kept" / "hounslow.yaml").read_text(encoding="utf-8")
    assert store.notices == []
    assert Store(root).load("hounslow")["inspections"][0]["published"] == "2099-01-01"
    assert not Store(root).save("hounslow", changed_hounslow(root))  # ofstl's own file, seen through the link
    leftover = root / "kept" / ".hounslow.yaml.abcd1234.tmp"  # a writer killed while writing through the link
    leftover.write_text("half", encoding="utf-8")
    with Store(root).lock():
        pass
    assert not leftover.exists()


def test_a_link_out_of_the_store_folder_is_replaced_and_said(tmp_path: Path) -> None:
    root = make_store(tmp_path / "store")
    link = root / "authorities" / "hounslow.yaml"
    outside = tmp_path / "elsewhere" / "hounslow.yaml"
    outside.parent.mkdir()
    shutil.move(str(link), str(outside))
    link.symlink_to(outside)
    before = outside.read_bytes()
    store = Store(root)
    store.save("hounslow", changed_hounslow(root))
    assert not link.is_symlink() and "2099-01-01" in link.read_text(encoding="utf-8")
    assert outside.read_bytes() == before
    [notice] = store.notices
    assert str(outside) in notice and "outside the store folder" in notice and "\n" not in notice


def test_ingest_says_when_it_replaced_a_link(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from ofstl.cli import app

    samples = Path(__file__).resolve().parent.parent / "samples"
    docs, root = tmp_path / "docs", tmp_path / "store"
    docs.mkdir()
    shutil.copy(samples / "hounslow_2021-07_focused-visit.txt", docs)
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(docs), "--store", str(root), "-j", "1"]).exit_code == 0
    link, outside = root / "authorities" / "hounslow.yaml", tmp_path / "mine.yaml"
    shutil.move(str(link), str(outside))
    link.symlink_to(outside)
    shutil.copy(samples / "hounslow_2023-10_ilacs.pdf", docs)
    result = runner.invoke(app, ["ingest", str(docs), "--store", str(root), "-j", "1"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    assert f"warning: {link} was a link to {outside} (outside the store folder)" in result.stderr, result.stderr


def test_correct_says_when_it_replaced_a_link(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from ofstl.cli import app

    root = make_store(tmp_path / "store")
    link, outside = root / "authorities" / "hounslow.yaml", tmp_path / "mine.yaml"
    shutil.move(str(link), str(outside))
    link.symlink_to(outside)
    result = CliRunner().invoke(app, ["correct", "hounslow", "2014", "overall", "good", "--note", "the table misprints it",
                                      "--store", str(root)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    assert f"ofstl: warning: {link} was a link to {outside} (outside the store folder)" in result.stderr, result.stderr
