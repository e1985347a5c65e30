"""Killing ingest at any moment (SIGKILL) leaves a store that loads and holds everything
committed before the kill, a person's corrections included; two ingests at once store
every document exactly once.

Most kills run ``ofstl ingest`` in a forked copy of this process (the same CLI code, without
paying Python's start-up for each of them); a few run it as a fresh ``python -m ofstl``.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import ofstl.cli  # noqa: F401  (imported here so forked runs start at once)
import ofstl.ingest  # noqa: F401
import ofstl.parse.document  # noqa: F401
from ofstl import authorities
from ofstl.store import Store, is_temp_name
from tests import docgen

ROOT = Path(__file__).resolve().parents[1]
KILLS = 24
SEED = 20261122


def _fork_cli(args: list[str]) -> tuple[int, int]:
    """(pid, read end of its stdout) of a forked process running ``ofstl ARGS``."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 3
        try:
            os.close(read)
            os.dup2(write, 1)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 2)
            sys.stdout = open(1, "w", buffering=1, closefd=False)
            sys.stderr = open(2, "w", buffering=1, closefd=False)
            from ofstl.cli import app

            try:
                app(args=args, prog_name="ofstl")
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
        finally:
            os._exit(code)
    os.close(write)
    return pid, read


def _spawn_cli(args: list[str]) -> tuple[int, int]:
    proc = subprocess.Popen([sys.executable, "-m", "ofstl", *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT)
    fd = os.dup(proc.stdout.fileno())
    proc.stdout.close()
    _spawned[proc.pid] = proc
    return proc.pid, fd


_spawned: dict[int, subprocess.Popen] = {}


def _read_all(fd: int) -> str:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks).decode("utf-8", errors="replace")


def _reap(pid: int) -> None:
    if pid in _spawned:
        _spawned.pop(pid).wait()
    else:
        os.waitpid(pid, 0)


def _added(stdout: str) -> set[str]:
    """sha256 of every document reported added (complete lines only: the kill may cut one)."""
    out = set()
    for line in stdout.splitlines(keepends=True):
        if line.endswith("\n"):
            row = json.loads(line)
            if row["status"] == "added":
                out.add(row["sha256"])
    return out


def check_store(root: Path) -> list[str]:
    """Every file a valid store file or a writer's temp file; returns stored subject shas."""
    folder = root / "authorities"
    known = authorities.by_slug()
    if folder.exists():
        for path in folder.iterdir():
            assert is_temp_name(path.name) or (path.suffix == ".yaml" and path.stem in known), path
    shas = [src["sha256"] for data in Store(root).load_all() for record in data["inspections"] for src in record["sources"] if src["role"] == "subject"]
    assert len(shas) == len(set(shas)), "a document stored twice"
    return shas


def _seed_with_a_correction(tmp_path: Path, docs: Path) -> tuple[Path, str, str, set[str]]:
    """A store holding a third of the documents and a correction (seed, slug, record id,
    stored shas); the kills then land in stores copied from it."""
    part = tmp_path / "seed-docs"
    part.mkdir()
    for path in sorted(docs.iterdir())[:20]:
        shutil.copy(path, part / path.name)
    seed = tmp_path / "seed"
    pid, fd = _fork_cli(["ingest", str(part), "--store", str(seed), "-f", "json"])
    added = _added(_read_all(fd))
    _reap(pid)
    slug = Store(seed).slugs()[0]
    record = Store(seed).load(slug)["inspections"][0]
    pid, fd = _fork_cli(["correct", slug, record["id"], "overall", "inadequate", "--note", "kill test", "--store", str(seed)])
    _read_all(fd)
    _reap(pid)
    return seed, slug, record["id"], added


def check_correction(root: Path, slug: str, rid: str) -> None:
    """The correction is in the file's block, and applied to its inspection."""
    raw = Store(root).load(slug, raw=True)
    assert [(c["inspection"], c["field"], c["value"], c["note"]) for c in raw["corrections"]] == [(rid, "judgements.overall", "inadequate", "kill test")]
    record = next((r for r in Store(root).load(slug)["inspections"] if r["id"] == rid), None)
    if record is not None:  # a later document may take the id (the correction is then kept, unmatched)
        assert record["judgements"]["overall"]["method"] == "correction"


def _full_run(spawn, args: list[str]) -> float:
    started = time.monotonic()
    pid, fd = spawn(args)
    _read_all(fd)
    _reap(pid)
    return time.monotonic() - started


def test_sigkill_at_random_moments_never_breaks_the_store(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    docs = tmp_path / "docs"
    paths = docgen.good_documents(docs, 60, seed=5)
    seed, slug, rid, seeded = _seed_with_a_correction(tmp_path, docs)
    check_correction(seed, slug, rid)
    # How long a whole run into a copy of the seed takes here, so the kills land within it
    # (a fresh store would take longer: the seed's documents are already stored).
    for name in ("timing-fork", "timing-real"):
        shutil.copytree(seed, tmp_path / name)
    duration = {
        False: _full_run(_fork_cli, ["ingest", str(docs), "--store", str(tmp_path / "timing-fork"), "-f", "json", "--jobs", "2"]),
        True: _full_run(_spawn_cli, ["ingest", str(docs), "--store", str(tmp_path / "timing-real"), "-f", "json", "--jobs", "2"]),
    }
    committed: set[str] = set()
    store = tmp_path / "store-0"
    kills_mid_run = 0
    i = -1
    # KILLS kills, and more (up to three times as many) until three have landed mid-run: on a
    # machine whose load changes after the timing runs, a fixed schedule can miss the window.
    while (i := i + 1) < KILLS or (kills_mid_run < 3 and i < 3 * KILLS):
        if i % 3 == 0:  # a fresh store now and then, so most kills land mid-run
            store = tmp_path / f"store-{i}"
            shutil.copytree(seed, store)
            committed = set(seeded)
        args = ["ingest", str(docs), "--store", str(store), "--format", "json", "--jobs", "2"]
        real = i % 8 == 7
        pid, fd = (_spawn_cli if real else _fork_cli)(args)
        time.sleep(rng.uniform(0.0, 1.0) * duration[real])
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out = _read_all(fd)
        _reap(pid)
        added = _added(out)
        lines = len(out.splitlines())
        kills_mid_run += 0 < lines < len(paths)
        if lines == 0 or lines >= len(paths):  # the kill came before the first document or after the last:
            duration[real] *= 1.25 if lines == 0 else 0.8  # aim the next ones at the run as it is now
        committed |= added
        stored = set(check_store(store))
        missing = committed - stored
        assert not missing, f"kill {i}: {len(missing)} documents reported added are not in the store"
        check_correction(store, slug, rid)
    assert kills_mid_run >= 3  # the kills really did land while documents were being stored
    # A last, uninterrupted run completes the store: every document once, temp files gone.
    pid, fd = _fork_cli(["ingest", str(docs), "--store", str(store), "--format", "json"])
    out = _read_all(fd)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, out
    assert len(check_store(store)) == len(paths)
    assert not [p for p in (store / "authorities").iterdir() if is_temp_name(p.name)]
    check_correction(store, slug, rid)


def test_two_concurrent_ingests_store_every_document_once(tmp_path: Path) -> None:
    docgen.good_documents(tmp_path / "docs", 30, seed=9)
    files = sorted((tmp_path / "docs").iterdir())
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    for i, path in enumerate(files):  # overlapping halves: 0-19 and 10-29
        if i < 20:
            (first / path.name).write_bytes(path.read_bytes())
        if i >= 10:
            (second / path.name).write_bytes(path.read_bytes())
    store = tmp_path / "store"
    procs = [subprocess.Popen([sys.executable, "-m", "ofstl", "ingest", str(folder), "--store", str(store), "-f", "json", "-q"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT) for folder in (first, second)]
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (out, err) in zip(procs, outputs):
        assert proc.returncode == 0, err
    statuses = [json.loads(line)["status"] for out, _ in outputs for line in out.splitlines()]
    assert statuses.count("added") == 30 and statuses.count("unchanged") == 10
    assert len(check_store(store)) == 30
