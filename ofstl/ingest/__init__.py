"""Ingest: files and folders -> the store, in parallel, one document at a time committed.

The parent walks the paths (following folder links once, so link loops end), hashes every
file and skips those already stored. Worker processes do the expensive part (PDF text,
parsing) one file per task, reusing cached text by content hash; only the parent writes
the store, one authority file at a time, atomically, right after each document, so an
interrupted run keeps everything it finished. Each file gets one ``FileResult``.

Nothing a document does can stop or hang the run: each task runs under a time limit in its
worker (SIGALRM), and the parent keeps its own deadline per task and kills and replaces a
worker that overruns it (stuck in C code, where a signal cannot reach) or dies (a crash,
the out-of-memory killer). Workers cap their memory, so a decompression bomb ends in a
one-line error. Largest files are handed out first, so the cores finish together, and each
result is committed as soon as it arrives (the records built do not depend on the order
documents arrive in: ``ofstl.records.cluster`` sorts its observations). Finding files is
``ofstl.ingest.files``; the worker processes are ``ofstl.ingest.workers``.
"""

from __future__ import annotations

import sys
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from ofstl.errors import StoreError, UsageError
from ofstl.extract import file_type_for
from ofstl.fetch.manifest import annotate as annotate_from_manifest
from ofstl.ingest.files import hash_file, one_line, printable, walk
from ofstl.models import ParsedDocument
from ofstl.records import build_records, observations_from
from ofstl.store import HandEdited, Store, source_observations
from ofstl.ingest.workers import (
    REMEMBERED,
    Outcome,
    _mp_context,
    _wait,
    _Worker,
    default_jobs,
    default_timeout,
    read_document,
    run_task,
    worker_memory,
)

__all__ = ["FileResult", "Ingest", "read_document", "run_task", "walk", "hash_file"]


@dataclass
class FileResult:
    path: str
    sha256: str | None
    status: str  # added | unchanged | skipped | error
    authority: str | None = None
    framework: str | None = None
    message: str = ""

    def __post_init__(self) -> None:
        raw = self.path
        self.path = printable(raw)
        if self.message.startswith(raw + ": "):  # the name as printed, so reasons group by it
            self.message = self.path + ": " + one_line(self.message[len(raw) + 2:])
        else:
            self.message = one_line(self.message)

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "sha256": self.sha256, "status": self.status, "authority": self.authority, "framework": self.framework, "message": self.message}


class Ingest:
    """One ingest run into a store."""

    def __init__(self, store: Store, jobs: int | None = None, use_cache: bool = True, timeout: float | None = None,
                 rebuild: Iterable[str] = (), retry_failed: bool = False):
        if timeout is not None and not (0 < timeout < float("inf")):  # also NaN
            raise UsageError(f"--timeout must be a number of seconds above 0, not {timeout:g}", "e.g. --timeout 120")
        self.store = store
        self.rebuild = set(rebuild)  # authorities whose hand edits may be overwritten
        self.rebuilt: list[tuple[str, int]] = []  # (slug, inspections) rebuilt from their sources
        self.retry_failed = retry_failed
        self.jobs = max(1, jobs or default_jobs())
        self.use_cache = use_cache
        self.timeout = timeout if timeout is not None else default_timeout()
        # The parent's own deadline: the worker's alarm plus time to report it.
        self.grace = max(5.0, self.timeout * 0.25)
        self.task: Callable[[str, str | None, float | None], Outcome] = run_task
        self.in_process = False  # run tasks in this process (no time limit in C code)
        self.memory = worker_memory(self.jobs)  # address-space cap of each worker, bytes
        self._observations: dict[str, list[dict[str, Any]]] = {}
        self._new_items: list[str] = []  # weakness texts stored by this run, for the theme cache
        self._known: dict[str, str] | None = None
        self._broken: dict[str, str] = {}  # slug -> why its store file cannot be used
        self.warn: Callable[[str], None] = lambda message: print(f"ofstl: warning: {one_line(message)}", file=sys.stderr, flush=True)

    # ------------------------------------------------------------------ the store side

    def known_hashes(self) -> dict[str, str]:
        """sha256 -> authority for every document already stored."""
        if self._known is None:
            self._known = {}
            for data in self.store.load_all(on_error=self._note_broken):
                for record in data["inspections"]:
                    for src in record.get("sources") or []:
                        if isinstance(src, dict) and isinstance(src.get("sha256"), str):
                            self._known[src["sha256"]] = data["authority"]
        return self._known

    def _note_broken(self, exc: StoreError) -> None:
        slug = getattr(exc, "slug", None)
        if slug and slug not in self._broken:
            self._broken[slug] = exc.message
            self.warn(f"{exc.message}; documents about {slug} will not be stored until it is fixed")

    def _rebuild(self, slug: str) -> None:
        """Rebuild an authority's records from the sources stored in its file, dropping hand
        edits (the person asked for it) and keeping the corrections block."""
        existing = self.store.load(slug, raw=True, trust_copy=False)
        if existing is None:
            raise UsageError(f"no store file for {slug} to rebuild in {self.store.root}")
        observations = source_observations(existing["inspections"])
        records = build_records(slug, observations)
        self.store.save(slug, records, rebuild=True)
        self._observations[slug] = observations
        self.rebuilt.append((slug, len(records)))

    def _commit(self, doc: ParsedDocument) -> None:
        slug = doc.authority
        assert slug is not None
        if slug in self._broken:
            raise StoreError(self._broken[slug])
        if slug not in self._observations:
            try:
                # The YAML itself, parsed and checked: a JSON copy is never written back.
                existing = self.store.load(slug, raw=True, trust_copy=False)
            except StoreError as exc:
                self._broken[slug] = exc.message
                raise
            edited = self.store.edited(slug) if existing is not None and slug not in self.rebuild else None
            if edited:  # before merging anything: the file is the person's until they say
                exc = HandEdited.of(self.store.file_for(slug), slug, edited)
                self._broken[slug] = exc.message
                self.warn(f"{exc.message}; documents about {slug} are not stored until then. To {exc.hint}")
                raise exc
            self._observations[slug] = source_observations((existing or {}).get("inspections", []))
        observations = self._observations[slug]
        before = len(observations)
        try:
            added = observations_from(doc)
            observations.extend(added)
            self.store.save(slug, build_records(slug, observations), rebuild=slug in self.rebuild)
            self._new_items.extend(i["text"] for o in added for i in o["weaknesses"])
        except StoreError as exc:
            del observations[before:]
            self._broken[slug] = exc.message
            if isinstance(exc, HandEdited):
                self.warn(f"{exc.message}; documents about {slug} are not stored until then. To {exc.hint}")
            raise
        except BaseException:
            del observations[before:]
            raise
        self.known_hashes()[doc.sha256] = slug

    def _remembered_failure(self, sha: str) -> str | None:
        if not self.use_cache or self.retry_failed:
            return None
        failure = self.store.failure(sha)
        if failure is None:
            return None
        limit = failure.get("timeout")
        if isinstance(limit, (int, float)) and self.timeout > limit:
            return None  # it timed out under a shorter limit: try again with this one
        return str(failure["reason"])

    def _finish(self, path: str, sha: str, outcome: Outcome) -> FileResult:
        status, doc, message = outcome
        if status != "ok" or doc is None:
            message = message or f"{path}: could not be read"
            if status in REMEMBERED and self.use_cache:
                # The same bytes will fail the same way: the next ingest says so without
                # reading them again (a time-out only while the time limit is no longer).
                prefix = printable(path) + ": "
                reason = message[len(prefix):] if message.startswith(prefix) else message
                self.store.remember_failure(sha, reason, timeout=self.timeout if status == "timeout" else None)
            return FileResult(path, sha, "error", message=message)
        if doc.sha256 != sha:
            # The worker read other bytes than the ones hashed here: the file changed meanwhile.
            return FileResult(path, sha, "error", message=f"{path}: changed while it was being read; run the ingest again")
        subject = doc.subject
        framework = subject.framework if subject else None
        if doc.authority is None:
            reason = doc.warnings[0] if doc.warnings else "names no local authority; cannot tell whose inspection it is"
            return FileResult(path, sha, "error", framework=framework, message=f"{path}: {reason}")
        if not doc.inspections:  # it names an authority but says nothing of an inspection
            reason = doc.warnings[-1] if doc.warnings else "not about an inspection"
            return FileResult(path, sha, "skipped", doc.authority, message=f"{path}: {reason}")
        try:
            annotate_from_manifest(doc, path)  # a fetch manifest beside the file: publication date, URN
            self._commit(doc)
        except StoreError as exc:
            return FileResult(path, sha, "error", doc.authority, framework, f"{path}: not stored: {exc.message}")
        except OSError as exc:
            return FileResult(path, sha, "error", doc.authority, framework, f"{path}: not stored: cannot write the store ({exc.strerror or exc})")
        except Exception as exc:  # a bug merging records must not stop the run
            return FileResult(path, sha, "error", doc.authority, framework, f"{path}: not stored: could not merge ({type(exc).__name__}: {one_line(exc)[:100]})")
        return FileResult(path, sha, "added", doc.authority, framework, f"{doc.kind}, {framework}")

    # ------------------------------------------------------------------ the run

    def run(self, paths: Iterable[str | Path], on_result: Callable[[FileResult], None] | None = None, on_total: Callable[[int], None] | None = None) -> list[FileResult]:
        results: list[FileResult] = []

        def emit(result: FileResult) -> None:
            results.append(result)
            if on_result:
                on_result(result)

        def waiting() -> None:
            print(f"ofstl: waiting for another ofstl ingest to finish with {self.store.root}", file=sys.stderr, flush=True)

        paths = list(paths)
        if any(not str(p).strip() for p in paths):  # before the lock: nothing created, nothing read
            raise UsageError("an empty path", "name the files or folders to read (use . for the current folder)")
        todo: list[tuple[str, str, int]] = []
        batch_hashes: dict[str, int] = {}  # sha256 -> index in todo
        copies: dict[int, list[str]] = {}  # index in todo -> other paths with the same bytes
        with self.store.lock(on_wait=waiting):
            for slug in sorted(self.rebuild):
                self._rebuild(slug)
            known = self.known_hashes()
            for file, skip in walk(paths):
                path = str(file)
                if skip:
                    emit(FileResult(path, None, "skipped" if "type" in skip or "not a document" in skip else "error", message=f"{path}: {skip}"))
                    continue
                digest, size, problem = hash_file(file)
                if digest is None:
                    emit(FileResult(path, None, "error", message=f"{path}: {problem}"))
                elif digest in known:
                    emit(FileResult(path, digest, "unchanged", known[digest], message="already in the store"))
                elif digest in batch_hashes:
                    copies.setdefault(batch_hashes[digest], []).append(path)
                elif (failed := self._remembered_failure(digest)) is not None:
                    emit(FileResult(path, digest, "error", message=f"{path}: {failed} (unchanged since an earlier ingest; ingest --retry-failed reads it again)"))
                else:
                    batch_hashes[digest] = len(todo)
                    todo.append((path, digest, size))
            if on_total:
                on_total(len(todo))
            if todo:

                def emit_with_copies(index: int, result: FileResult) -> None:
                    emit(result)
                    for copy in copies.get(index, []):  # the same bytes under another name
                        if result.status == "added":
                            emit(FileResult(copy, result.sha256, "unchanged", result.authority, result.framework, f"same content as {result.path}"))
                        else:
                            emit(FileResult(copy, result.sha256, result.status, message=f"{copy}: same content as {result.path}: {result.message}"))

                self._run_tasks(todo, emit_with_copies)
        self._warm_theme_cache()
        return results

    def _warm_theme_cache(self) -> None:
        """Tag the new items now, while the run is slow anyway, so the first view is quick."""
        if not self._new_items:
            return
        from ofstl import views

        try:
            for text in self._new_items:
                views.item_themes(text)
            views.save_theme_cache()
        except Exception:  # noqa: BLE001 - a bad --themes file is reported by the views, not here
            pass
        self._new_items = []

    def _run_tasks(self, todo: list[tuple[str, str, int]], emit: Callable[[int, FileResult], None]) -> None:
        cache_root = str(self.store.root) if self.use_cache else None
        ctx = _mp_context()
        if self.in_process or ctx is None:
            for index, (path, digest, _) in enumerate(todo):
                emit(index, self._finish(path, digest, self.task(path, cache_root, self.timeout)))
            return
        # Hand out the largest files first (longest first balances the cores); commit each
        # result as it arrives, so a kill loses as little finished work as possible.
        queue = deque(sorted(range(len(todo)), key=lambda i: -todo[i][2]))
        done: dict[int, Outcome] = {}
        finished = 0
        workers: list[_Worker] = []

        def spawn() -> _Worker:
            close = [w.conn.fileno() for w in workers if not w.conn.closed]
            if self.store.lock_fd is not None:
                close.append(self.store.lock_fd)
            return _Worker(ctx, self.task, close, self.memory)

        def feed(slot: int) -> None:
            """Give the worker in ``slot`` its next file (replacing it if it is gone)."""
            while workers[slot].job is None and queue:
                index = queue[0]
                try:
                    workers[slot].conn.send((todo[index][0], cache_root, self.timeout))
                except (OSError, ValueError):
                    workers[slot].stop(kill=True)
                    workers[slot] = spawn()
                    continue
                queue.popleft()
                workers[slot].job = (index, time.monotonic() + self.timeout + self.grace)

        try:
            self._preload(todo)
            for _ in range(min(self.jobs, len(todo))):
                workers.append(spawn())
            for slot in range(len(workers)):
                feed(slot)
            while finished < len(todo):
                busy = [w for w in workers if w.job is not None]
                if not busy:  # pragma: no cover - nothing running but results missing
                    break
                wait_for = max(0.0, min(w.job[1] for w in busy if w.job) - time.monotonic())
                ready = _wait([w.conn for w in busy], wait_for)
                now = time.monotonic()
                for slot, worker in enumerate(workers):
                    if worker.job is None:
                        continue
                    index, deadline = worker.job
                    path = todo[index][0]
                    if worker.conn in ready:
                        try:
                            done[index] = worker.conn.recv()
                            worker.job = None
                        except (EOFError, OSError) as exc:
                            reason = worker.died() if isinstance(exc, EOFError) else f"lost contact with the worker ({exc})"
                            done[index] = ("error", None, f"{path}: could not be read: {reason}")
                            worker.stop(kill=True)
                            workers[slot] = spawn()
                        except Exception as exc:  # a result that does not unpickle
                            done[index] = ("error", None, f"{path}: could not pass the result back ({type(exc).__name__})")
                            worker.job = None
                    elif now >= deadline:
                        worker.stop(kill=True)
                        done[index] = ("timeout", None, f"{path}: took longer than {self.timeout:g} s to read and parse; the worker was stopped (a file that makes the parser loop?)")
                        workers[slot] = spawn()
                    else:
                        continue
                    feed(slot)  # the next file first, so the worker is busy while we commit
                for index in sorted(done):
                    path, digest, _ = todo[index]
                    emit(index, self._finish(path, digest, done.pop(index)))
                    finished += 1
        finally:
            for worker in workers:
                worker.stop(kill=worker.job is not None)

    def _preload(self, todo: list[tuple[str, str, int]]) -> None:
        """Import the parsers once here, before the workers fork, instead of in each one."""
        if self.task is not run_task:
            return
        try:
            import ofstl.parse.document  # noqa: F401

            if any(file_type_for(Path(path)) == "pdf" for path, _, _ in todo):
                import pdfminer.high_level  # noqa: F401
                import pdfminer.layout  # noqa: F401

                import ofstl.extract.pdf  # noqa: F401
        except ImportError:  # pragma: no cover - the worker reports it per file
            pass

