"""The store's promise under stress: nothing stored, and nothing a person wrote, is lost when a
run is stopped at the worst moment, when another program writes a store file while ofstl
works, or when the disk fills. Each test stops or disturbs a run at one exact moment (by
patching the step after it), so it is fast and always lands where it means to; the random
SIGKILLs are in test_kill (and, run by hand, in tests/kill_soak.py).

Findings: a re-read moving a document to another council, stopped between its two writes,
left it under both councils for good; a store file written by another program while an ingest
or ``correct`` worked (a backup restored, an editor saving) was overwritten with what the run
had read before; a store folder deleted or replaced mid-run was half recreated without its
lock; a full disk during ``correct`` and a share without locks were internal errors; caches
nested too deeply to decode crashed every view; a JSON copy or cached text made by another
ofstl (or pdfminer) was believed; a person's ``.notes.tmp`` was deleted as a killed writer's
leftover, and a killed picture writer's leftover was never removed; a new store's folders
were not fsynced; an empty store file was "null, not a mapping".
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import ofstl.ingest  # noqa: F401  (imported here so forked runs start at once)

from ofstl.cli import app
from ofstl import store as store_module
from ofstl.store import Store, is_temp_name
from ofstl.theme_tagger import tagger_for
from tests import docgen

ENV = {"COLUMNS": "100", "NO_COLOR": "1"}

# A shared service's story that cannot tell its council: --authority says which.
AFC_BOTH = """Achieving for Children welcomes Ofsted report

Published: 12 February 2024

Achieving for Children runs children's services for Kingston upon Thames and Richmond upon Thames. Inspectors visited between 8 and 12 January 2024 and rated the children's services good. "Children are safe," the report said. A spokesperson for Richmond Council said: "We are proud." Kingston Council also welcomed the report.
"""


def cli(*args: str, code: int | None = 0) -> Any:
    result = CliRunner().invoke(app, list(args), env=ENV)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    if code is not None:
        assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    return result


def holders(root: Path) -> list[str]:
    """The authorities whose files hold a source of any stored document (one per document)."""
    return sorted(data["authority"] for data in Store(root).load_all()
                  for record in data["inspections"] for src in record["sources"] if src["role"] == "subject")


def stop_after_saves(monkeypatch: pytest.MonkeyPatch, count: int) -> None:
    """The run is stopped (as by a kill: nothing after it runs) right after its COUNT-th file write."""
    real = Store.save
    done = [0]

    def save(self: Store, *args: Any, **kwargs: Any) -> bool:
        changed = real(self, *args, **kwargs)
        done[0] += 1
        if done[0] == count:
            raise KeyboardInterrupt
        return changed

    monkeypatch.setattr(Store, "save", save)


def test_a_move_stopped_between_its_two_writes_is_finished_by_the_next_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A re-read moving a document to another council writes the new council's file, then
    takes the reading out of the old one. Stopped in between, the document was under both;
    the next run replaced one of its readings and left the other for good (Kingston's
    timeline kept Richmond's inspection)."""
    docs, store = tmp_path / "docs", str(tmp_path / "store")
    docs.mkdir()
    (docs / "afc.txt").write_text(AFC_BOTH, encoding="utf-8")
    cli("ingest", str(docs), "--store", store, "--authority", "kingston-upon-thames")
    with monkeypatch.context() as patch:
        stop_after_saves(patch, 1)
        cli("ingest", str(docs), "--store", store, "--reread", "--authority", "richmond-upon-thames", code=130)
    assert holders(Path(store)) == ["kingston-upon-thames", "richmond-upon-thames"]  # stopped in between
    # A plain ingest cannot tell which reading is the right one, and says how to keep one.
    out = cli("ingest", str(docs), "--store", store)
    assert "stored under both kingston-upon-thames and richmond-upon-thames" in out.stderr and "--reread" in out.stderr
    cli("ingest", str(docs), "--store", store, "--reread", "--authority", "richmond-upon-thames")
    assert holders(Path(store)) == ["richmond-upon-thames"]


def hillingdon_letters(folder: Path, count: int, seed: int) -> list[Path]:
    return docgen.good_documents(folder, count, seed=seed, names=[("hillingdon", "Hillingdon")])


def test_a_file_restored_while_an_ingest_runs_is_never_overwritten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The run found no Hillingdon file; a person restored one from a backup before the run
    wrote Hillingdon's first document. The run wrote what it had (one inspection) over it."""
    backup = tmp_path / "backup"
    hillingdon_letters(tmp_path / "old", 2, seed=3)
    cli("ingest", str(tmp_path / "old"), "--store", str(backup))
    restored = (backup / "authorities" / "hillingdon.yaml").read_bytes()
    hillingdon_letters(tmp_path / "new", 2, seed=4)
    store = tmp_path / "store"
    real = Store.save

    def save(self: Store, slug: str, *args: Any, **kwargs: Any) -> bool:
        target = self.file_for(slug)
        if not target.exists():  # the person's copy lands between the run's read and its write
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(backup / "authorities" / "hillingdon.yaml", target)
        return real(self, slug, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(Store, "save", save)
        out = cli("ingest", str(tmp_path / "new"), "--store", str(store), code=1)
    assert (store / "authorities" / "hillingdon.yaml").read_bytes() == restored
    assert "changed by another program" in out.stdout + out.stderr
    cli("ingest", str(tmp_path / "new"), "--store", str(store))  # the next run finishes the work
    assert len(holders(store)) == 4


def test_an_edit_saved_while_correct_works_is_never_overwritten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hillingdon_letters(tmp_path / "docs", 2, seed=3)
    store = tmp_path / "store"
    cli("ingest", str(tmp_path / "docs"), "--store", str(store))
    path = store / "authorities" / "hillingdon.yaml"
    rid = Store(store).load("hillingdon")["inspections"][0]["id"]
    from ofstl import corrections

    real = corrections.add

    def add(*args: Any, **kwargs: Any) -> Any:  # the person's editor saves while correct works
        path.write_text(path.read_text(encoding="utf-8").replace("method:", "method: ", 1).replace(f"id: {rid}", f"id: {rid}-edited"), encoding="utf-8")
        return real(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(corrections, "add", add)
        out = cli("correct", "hillingdon", rid, "overall", "inadequate", "--note", "n", "--store", str(store), code=1)
    assert f"id: {rid}-edited" in path.read_text(encoding="utf-8")  # the edit is kept
    assert "changed by another program" in out.stderr and "corrected" not in out.stdout


def test_a_full_disk_during_correct_is_one_line_and_keeps_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hillingdon_letters(tmp_path / "docs", 1, seed=3)
    store = tmp_path / "store"
    cli("ingest", str(tmp_path / "docs"), "--store", str(store))
    path = store / "authorities" / "hillingdon.yaml"
    before = path.read_bytes()
    rid = Store(store).load("hillingdon")["inspections"][0]["id"]

    def full(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as patch:
        patch.setattr(store_module, "atomic_write", full)
        out = cli("correct", "hillingdon", rid, "overall", "inadequate", "--note", "n", "--store", str(store), code=1)
    assert path.read_bytes() == before
    assert f"{path}: cannot write it (No space left on device)" in out.stderr and len(out.stderr.strip().splitlines()) <= 2


# --------------------------------------------------------------------------- caches


DEEP = "[" * 100_000 + "]" * 100_000  # JSON too deeply nested to decode: a damaged or planted file


def test_caches_too_deeply_nested_are_rebuilt_not_an_internal_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A theme cache, a remembered failure or a fetch manifest line nested too deeply for the
    JSON decoder was an internal error in every view, or in ingest."""
    monkeypatch.setenv("OFSTL_CACHE", str(tmp_path / "themes"))
    tagger_for.cache_clear()
    docs, store = tmp_path / "docs", tmp_path / "store"
    hillingdon_letters(docs, 2, seed=3)
    (docs / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    cli("ingest", str(docs), "--store", str(store), code=1)
    expected = cli("timeline", "hillingdon", "--store", str(store)).stdout
    [themes] = (tmp_path / "themes").glob("themes-*.json")
    themes.write_text(DEEP, encoding="utf-8")
    tagger_for.cache_clear()  # as a new process: the cache file is read again
    assert cli("timeline", "hillingdon", "--store", str(store)).stdout == expected
    themes.write_text('{"tags": {}, "labels": {"x": ' + DEEP + "}}", encoding="utf-8")
    tagger_for.cache_clear()
    assert cli("themes", "--store", str(store)).exit_code == 0
    for failure in (store / "cache" / "failed").glob("*.json"):
        failure.write_text(DEEP, encoding="utf-8")
    (docs / "manifest.jsonl").write_text(DEEP + "\n", encoding="utf-8")
    out = cli("ingest", str(docs), "--store", str(store), "--retry-failed", code=1)
    assert "2 unchanged" in out.stderr + out.stdout and "could not merge" not in out.stderr + out.stdout
    out = cli("ingest", str(docs), "--store", str(store), code=1)
    assert "broken.pdf" in out.stdout + out.stderr


def test_a_manifest_appended_within_one_clock_tick_is_read_again(tmp_path: Path) -> None:
    """The manifest's entries are cached by the file's mtime: a line appended by a fetch
    within the same tick of a coarse clock (or with the clock set back) was never seen."""
    from ofstl.fetch import manifest

    folder = tmp_path / "docs"
    manifest.append_manifest(folder, {"url": "https://example.org/a", "sha256": "a" * 64, "published": "2024-01-02"})
    assert manifest.entry_for(folder / "x.pdf", "a" * 64)["published"] == "2024-01-02"
    path = folder / manifest.MANIFEST
    stamp = path.stat().st_mtime_ns
    manifest.append_manifest(folder, {"url": "https://example.org/b", "sha256": "b" * 64, "published": "2024-03-04"})
    os.utime(path, ns=(stamp, stamp))
    assert manifest.entry_for(folder / "y.pdf", "b" * 64)["published"] == "2024-03-04"


def test_a_theme_cache_that_cannot_be_written_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk while the theme cache was saved left its half-written temporary file in the
    user's cache folder for good (one more each run)."""
    from ofstl.theme_cache import ThemeCache

    monkeypatch.setenv("OFSTL_CACHE", str(tmp_path / "themes"))
    cache = ThemeCache(None)
    cache.tags("Management oversight of social work practice is not consistent.")
    real = os.replace

    def full(*args: Any) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full)
    cache.save()
    monkeypatch.setattr(os, "replace", real)
    assert list((tmp_path / "themes").iterdir()) == []
    cache.save()  # still to be saved, and saved once it can be
    assert [p.name.startswith("themes-") for p in (tmp_path / "themes").iterdir()] == [True]


# --------------------------------------------------------------------------- people's files


def test_editor_files_in_the_store_are_never_read_or_removed(tmp_path: Path) -> None:
    """An editor's swap, backup and lock files, and a person's own dotfile, beside the
    authority files: no view or ingest reads them as authorities, none is removed or changed
    (a person's ``.notes.tmp`` was taken for a killed writer's temporary file and deleted)."""
    docs, store = tmp_path / "docs", tmp_path / "store"
    hillingdon_letters(docs, 2, seed=3)
    cli("ingest", str(docs), "--store", str(store))
    folder = store / "authorities"
    good = (folder / "hillingdon.yaml").read_text(encoding="utf-8")
    people = {".hillingdon.yaml.swp": "b0VIM 9.0\x00\x00junk", "hillingdon.yaml~": good.replace("focused", "fokused"),
              "hillingdon.yaml.orig": good + "inspections: [", "#hillingdon.yaml#": "x", "hounslow.yaml.bak": good,
              ".notes.tmp": "call Ofsted on Monday", "hillingdon.yml": good}
    for name, text in people.items():
        (folder / name).write_text(text, encoding="utf-8")
    os.symlink("someone@laptop.1234:1700000000", folder / ".#hillingdon.yaml")  # an Emacs lock: a dangling link
    (folder / ".hillingdon.yaml.a1b2c3d4.tmp").write_text("half", encoding="utf-8")  # a killed writer's
    listed = cli("list", "--store", str(store)).stdout
    assert "Hillingdon" in listed and "Hounslow" not in listed
    cli("timeline", "hillingdon", "--store", str(store))
    cli("export", "--store", str(store))
    hillingdon_letters(tmp_path / "more", 1, seed=9)
    cli("ingest", str(tmp_path / "more"), "--store", str(store))
    for name, text in people.items():
        assert (folder / name).read_text(encoding="utf-8") == text, name
    assert os.path.islink(folder / ".#hillingdon.yaml")
    assert not (folder / ".hillingdon.yaml.a1b2c3d4.tmp").exists()


def test_a_correction_written_by_hand_while_an_ingest_runs_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The corrections block is the person's: one added by hand between two of the run's
    writes of the same file is kept, comments and all, and applied."""
    docs, store = tmp_path / "docs", tmp_path / "store"
    hillingdon_letters(docs, 1, seed=3)
    cli("ingest", str(docs), "--store", str(store))
    path = store / "authorities" / "hillingdon.yaml"
    rid = Store(store).load("hillingdon")["inspections"][0]["id"]
    block = (f"corrections:\n# from the minutes of 3 May\n- inspection: {rid}\n  field: judgements.overall\n"
             f"  value: inadequate\n  note: the letter was withdrawn\n  date: '2026-11-30'\n")
    hillingdon_letters(tmp_path / "more", 3, seed=8)
    real = Store.save
    done = [0]

    def save(self: Store, slug: str, *args: Any, **kwargs: Any) -> bool:
        done[0] += 1
        if done[0] == 2:  # the person saves the block between the run's first and second writes
            path.write_text(path.read_text(encoding="utf-8").replace("inspections:\n", block + "inspections:\n", 1), encoding="utf-8")
        return real(self, slug, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(Store, "save", save)
        cli("ingest", str(tmp_path / "more"), "--store", str(store))
    assert done[0] == 3 and block in path.read_text(encoding="utf-8")
    record = next(r for r in Store(store).load("hillingdon")["inspections"] if r["id"] == rid)
    assert record["judgements"]["overall"]["grade"] == "inadequate"
    assert len(holders(store)) == 4


def test_a_store_folder_deleted_or_replaced_mid_run_is_named_and_not_half_recreated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The store folder deleted (or moved aside and another put in its place) while an ingest
    held its lock: the run went on writing, recreating a store without its lock file (a second
    ingest could then write at the same time) and holding only the authorities the run had
    read, and said nothing."""
    docs, store = tmp_path / "docs", tmp_path / "store"
    docgen.good_documents(docs, 4, seed=3, names=[("hillingdon", "Hillingdon"), ("hounslow", "Hounslow")])
    for replace in (False, True):
        shutil.rmtree(store, ignore_errors=True)
        real = Store.save
        done = [0]

        def save(self: Store, slug: str, *args: Any, **kwargs: Any) -> bool:
            done[0] += 1
            if done[0] == 2:
                # Moved aside in one rename, as a person's rm or mv takes it from this run: an
                # rmtree of the folder in place races the workers' cache files appearing and
                # vanishing in it, and fails on the test's side, not ofstl's.
                shutil.move(str(self.root), str(tmp_path / "moved"))
                if replace:
                    shutil.copytree(tmp_path / "moved", self.root)
                shutil.rmtree(tmp_path / "moved", ignore_errors=True)
            return real(self, slug, *args, **kwargs)

        with monkeypatch.context() as patch:
            patch.setattr(Store, "save", save)
            out = cli("ingest", str(docs), "--store", str(store), code=1)
        assert "the store folder was deleted or replaced while ofstl worked on it" in out.stdout + out.stderr
        assert replace or not [p for p in (store / "authorities", store / "written") if p.exists()]
        cli("ingest", str(docs), "--store", str(store))  # the next run does the work
        assert len(holders(store)) == 4


def test_a_folder_made_for_a_durable_write_is_itself_made_durable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first write into a new store fsynced the file and ``authorities/``, but not the
    folders holding the new ``authorities/`` and store folder: a power cut could lose the
    folder entry, and with it every file in it."""
    from ofstl import store_files

    synced: list[str] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    target = tmp_path / "store" / "authorities" / "hillingdon.yaml"
    store_files.atomic_write(target, "x: 1\n")
    assert {str(tmp_path), str(tmp_path / "store"), str(tmp_path / "store" / "authorities")} <= set(synced)
    synced.clear()
    store_files.atomic_write(target, "x: 2\n")  # the folders exist: only the file and its folder
    assert len(synced) == 2 and synced[1] == str(target.parent) and synced[0].startswith(str(target.parent / ".hillingdon.yaml."))


def test_a_json_copy_made_by_another_ofstl_is_not_believed(tmp_path: Path) -> None:
    """A JSON copy says its data was checked, but by the ofstl that wrote it: one written by
    an ofstl whose checks were laxer (a key it let through) was believed by a newer one,
    which showed a file its own checks refuse."""
    import hashlib
    import json

    docs, store = tmp_path / "docs", tmp_path / "store"
    hillingdon_letters(docs, 1, seed=3)
    cli("ingest", str(docs), "--store", str(store))
    path = store / "authorities" / "hillingdon.yaml"
    text = path.read_text(encoding="utf-8")
    assert "  framework: focused-visit\n" in text
    text = text.replace("  framework: focused-visit\n", "  framework: focused-visit\n  colour: red\n", 1)  # a key no ofstl knows
    path.write_text(text, encoding="utf-8")
    # the copy an ofstl that let unknown keys through would have written for these bytes
    from ofstl.store_files import load_yaml

    data = load_yaml(text)
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    header = {"ofstl_copy": 1, "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "data_sha256": hashlib.sha256(body).hexdigest()}
    (store / "cache" / "records" / "hillingdon.json").write_bytes(json.dumps(header).encode() + b"\n" + body)
    out = cli("timeline", "hillingdon", "--store", str(store), code=1)
    assert "colour" in out.stderr and "hillingdon.yaml" in out.stderr


def test_text_cached_by_another_extractor_is_read_again(tmp_path: Path) -> None:
    """A text cache entry was keyed by a version number someone had to remember to bump: text
    extracted by an older ofstl (or pdfminer) was reused after an upgrade, so ``--reread``
    re-parsed the old text. The entry now names a hash of the extraction code and pdfminer."""
    import json

    from ofstl import store_cache

    docs, store = tmp_path / "docs", tmp_path / "store"
    hillingdon_letters(docs, 1, seed=3)
    cli("ingest", str(docs), "--store", str(store))
    sha = Store(store).load("hillingdon")["inspections"][0]["sources"][0]["sha256"]
    entry = store / "cache" / f"{sha}.json"
    data = json.loads(entry.read_text(encoding="utf-8"))
    assert data["extractor"] == store_cache.extractor_digest() and Store(store).cached_text(sha) is not None
    data["extractor"] = 1  # what every ofstl before this one wrote, whatever its extraction code
    entry.write_text(json.dumps(data), encoding="utf-8")
    assert Store(store).cached_text(sha) is None and not entry.exists()


@pytest.mark.parametrize("code", [errno.ENOLCK, errno.EOPNOTSUPP])
def test_a_store_on_a_share_without_locks_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    """A store on a network share whose file system has no locks (flock fails with ENOLCK or
    EOPNOTSUPP) was an internal error with a traceback hint."""
    import fcntl

    hillingdon_letters(tmp_path / "docs", 1, seed=3)

    def no_locks(fd: int, operation: int) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(fcntl, "flock", no_locks)
    out = cli("ingest", str(tmp_path / "docs"), "--store", str(tmp_path / "store"), code=1)
    assert f"cannot lock the store ({tmp_path / 'store' / '.lock'}: {os.strerror(code)})" in out.stderr
    assert not (tmp_path / "store" / "authorities").exists()


# --------------------------------------------------------------------------- pictures and workbooks


@pytest.mark.parametrize("option, name", [("--svg", "out.svg"), ("--xlsx", "out.xlsx")])
def test_a_killed_writers_temporary_file_beside_a_picture_is_removed_by_the_next_write(tmp_path: Path, option: str, name: str) -> None:
    """A timeline --svg or export --xlsx killed mid-write left ``.out.svg.<random>.tmp`` beside
    the picture for good; the next write of the same file removes such files once they are
    old enough that no writer can still be making them (a fresh one may be another run's)."""
    hillingdon_letters(tmp_path / "docs", 1, seed=3)
    store = str(tmp_path / "store")
    cli("ingest", str(tmp_path / "docs"), "--store", store)
    out = tmp_path / "pictures"
    out.mkdir()
    stale, fresh = out / f".{name}.k1ll3d00.tmp", out / f".{name}.runn1ng0.tmp"
    for path in (stale, fresh):
        path.write_text("half", encoding="utf-8")
    os.utime(stale, (1_700_000_000, 1_700_000_000))
    command = ["timeline", "hillingdon", option, str(out / name)] if option == "--svg" else ["export", option, str(out / name)]
    cli(*command, "--store", store)
    assert not stale.exists() and fresh.exists() and (out / name).stat().st_size > 100


# --------------------------------------------------------------------------- real kills at the worst moment


def killed_at_rename(args: list[str], folder: str) -> int:
    """Run ``ofstl ARGS`` in a forked child that SIGKILLs itself at its first rename of a
    file into ``folder`` (the temporary file written, the old file still in place): the
    worst moment, every time. Returns how the child ended (-9 when the kill landed)."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 3
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            real = os.replace

            def replace(src: Any, dst: Any, *rest: Any, **kwargs: Any) -> None:
                if os.path.dirname(os.fspath(dst)) == folder:
                    os.kill(os.getpid(), signal.SIGKILL)
                real(src, dst, *rest, **kwargs)

            os.replace = replace
            try:
                app(args=args, prog_name="ofstl")
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


def test_sigkill_at_the_rename_of_every_writing_command_loses_nothing(tmp_path: Path) -> None:
    """SIGKILL between writing the temporary file and renaming it, in correct, ingest,
    ingest --reread and --rebuild: the store loads with every reading and the correction,
    the leftover is a temporary file, and the next run finishes the work and removes it."""
    docs, more = tmp_path / "docs", tmp_path / "more"
    docgen.good_documents(docs, 4, seed=3, names=[("hillingdon", "Hillingdon"), ("hounslow", "Hounslow")])
    hillingdon_letters(more, 1, seed=8)
    afc = tmp_path / "afc"
    afc.mkdir()
    (afc / "afc.txt").write_text(AFC_BOTH, encoding="utf-8")
    seed = tmp_path / "seed"
    cli("ingest", str(docs), "--store", str(seed))
    cli("ingest", str(afc), "--store", str(seed), "--authority", "kingston-upon-thames")
    rid = Store(seed).load("hillingdon")["inspections"][0]["id"]
    cli("correct", "hillingdon", rid, "overall", "inadequate", "--note", "kept", "--store", str(seed))
    stored = sorted(holders(seed))
    commands = {
        "correct": ["correct", "hounslow", Store(seed).load("hounslow")["inspections"][0]["id"], "overall", "good", "--note", "n"],
        "ingest": ["ingest", str(more)],
        "reread": ["ingest", str(afc), "--reread", "--authority", "richmond-upon-thames"],  # the story moves
        "rebuild": ["ingest", "--rebuild", "hillingdon"],
    }
    for name, args in commands.items():
        store = tmp_path / name
        shutil.copytree(seed, store)
        if name == "rebuild":  # a hand edit for the rebuild to drop
            path = store / "authorities" / "hillingdon.yaml"
            path.write_text(path.read_text(encoding="utf-8").replace("method:", "method: ", 1) + "# edited\n", encoding="utf-8")
        assert killed_at_rename([*args, "--store", str(store)], str(store / "authorities")) == -signal.SIGKILL, name
        left = [p.name for p in (store / "authorities").iterdir() if is_temp_name(p.name)]
        assert len(left) == 1, name
        assert sorted(holders(store)) == stored, name  # the old files, whole
        assert Store(store).load("hillingdon", raw=True)["corrections"][0]["note"] == "kept"
        cli(*args, "--store", str(store), code=None)
        assert not [p for p in (store / "authorities").iterdir() if is_temp_name(p.name)], name
        assert Store(store).load("hillingdon", raw=True)["corrections"][0]["note"] == "kept", name
        assert len(holders(store)) == len(stored) + (name == "ingest"), name


def test_an_empty_store_file_is_named_as_empty(tmp_path: Path) -> None:
    """A store file emptied (a copy cut short by a full disk, a crash on a file system that
    does not order its writes, an editor) was 'not an ofstl store file (it is null, ...)'."""
    hillingdon_letters(tmp_path / "docs", 1, seed=3)
    store = tmp_path / "store"
    cli("ingest", str(tmp_path / "docs"), "--store", str(store))
    path = store / "authorities" / "hillingdon.yaml"
    path.write_bytes(b"\n")
    out = cli("timeline", "hillingdon", "--store", str(store), code=1)
    assert f"{path}: the file is empty; remove it and ingest its documents again" in out.stderr and "null" not in out.stderr
    cli("ingest", str(tmp_path / "docs"), "--store", str(store), code=1)
    assert path.read_bytes() == b"\n"  # never overwritten


def test_an_edit_saved_while_the_new_file_is_flushed_is_never_overwritten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file is checked when a write begins; an editor saving while the new file is being
    written and flushed (fsync takes milliseconds to tens of them) was replaced by it."""
    docs, store = tmp_path / "docs", tmp_path / "store"
    hillingdon_letters(docs, 1, seed=3)
    cli("ingest", str(docs), "--store", str(store))
    path = store / "authorities" / "hillingdon.yaml"
    rid = Store(store).load("hillingdon")["inspections"][0]["id"]
    real = os.fsync
    edited = path.read_text(encoding="utf-8").replace(f"id: {rid}", f"id: {rid}-mine")

    def fsync(fd: int) -> None:
        real(fd)
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(path.parent / ".hillingdon.yaml.")) and not path.read_text(encoding="utf-8") == edited:
            path.write_text(edited, encoding="utf-8")  # the editor saves in place now

    monkeypatch.setattr(os, "fsync", fsync)
    out = cli("correct", "hillingdon", rid, "overall", "inadequate", "--note", "n", "--store", str(store), code=1)
    assert path.read_text(encoding="utf-8") == edited and "changed by another program" in out.stderr
    assert not [p for p in path.parent.iterdir() if is_temp_name(p.name)]


def test_an_interrupt_landing_as_a_temporary_file_is_made_leaves_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C or SIGTERM landing between the temporary file's creation and the ``try`` that
    removes it on failure (inside mkstemp) left a ``.NAME.<random>.tmp`` in the store (the
    SIGTERM test saw it now and then on a loaded machine); the interrupt's clean-up removes it."""
    from ofstl import store_files

    docs, store = tmp_path / "docs", tmp_path / "store"
    docgen.good_documents(docs, 4, seed=5, names=[("hillingdon", "Hillingdon"), ("hounslow", "Hounslow")])
    cli("ingest", str(docs), "--store", str(store), "-j", "1")
    real_open = os.open
    calls = [0]

    def open_then_interrupted(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        fd = real_open(path, flags, *args, **kwargs)
        if flags & os.O_EXCL and Path(path).parent.name == "authorities":
            calls[0] += 1
            os.close(fd)
            raise KeyboardInterrupt  # as a signal handler raises it, once the file exists
        return fd

    monkeypatch.setattr(store_files.os, "open", open_then_interrupted)
    rid = Store(store).load("hillingdon")["inspections"][0]["id"]
    out = cli("correct", "hillingdon", rid, "overall", "good", "--note", "a second look", "--store", str(store), code=130)
    assert calls[0] == 1 and "interrupted" in out.stderr
    assert [p.name for p in (store / "authorities").iterdir() if is_temp_name(p.name)] == []
    monkeypatch.undo()
    assert len(holders(store)) == 4
