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
documents arrive in: ``ofstl.records.cluster`` sorts its observations).

The run is three parts, one module each: the plan (``ofstl.ingest.plan``: finding files with
``ofstl.ingest.files``, hashing, what is already stored), the worker pool
(``ofstl.ingest.pool`` over ``ofstl.ingest.workers``) and the commit (``ofstl.ingest.commit``).
This module puts them together under the store's lock. It never prints: messages go to the
``on_message`` callback, results to ``on_result``.
"""

from __future__ import annotations

import functools
import os
import shlex
from pathlib import Path
from typing import Any, Callable, Iterable

from ofstl.errors import UsageError
from ofstl.fetch.rereads import Marks
from ofstl.ingest.commit import Committer
from ofstl.ingest.files import hash_file, one_line, walk
from ofstl.ingest.plan import plan_files
from ofstl.ingest.pool import WorkerPool
from ofstl.ingest.results import FileResult, Status
from ofstl.ingest.workers import Outcome, TaskStatus, default_jobs, default_timeout, read_document, run_task, worker_memory
from ofstl.store import Store

__all__ = ["FileResult", "Ingest", "Status", "TaskStatus", "read_document", "run_task", "walk", "hash_file"]


class Ingest:
    """One ingest run into a store."""

    def __init__(self, store: Store, jobs: int | None = None, use_cache: bool = True, timeout: float | None = None,
                 on_message: Callable[[str], None] | None = None, tagger: Any = None, rebuild: Iterable[str] = (),
                 retry_failed: bool = False, reread: bool = False, authority: str | None = None):
        if timeout is not None and not (0 < timeout < float("inf")):  # also NaN
            raise UsageError(f"--timeout must be a number of seconds above 0, not {timeout:g}", "e.g. --timeout 120")
        if jobs is not None and jobs < 0:  # -j -1 was silently one worker
            raise UsageError(f"--jobs must be a whole number of worker processes, not {jobs}", "e.g. -j 2 (or -j 0 for one per core, the default)")
        self.store = store
        self.rebuild = set(rebuild)  # authorities whose hand edits may be overwritten
        self.retry_failed = retry_failed
        self.reread = reread  # read stored documents again (a newer ofstl) and replace their readings
        self.jobs = max(1, jobs or default_jobs())
        self.use_cache = use_cache
        self.timeout = timeout if timeout is not None else default_timeout()
        # The parent's own deadline: the worker's alarm plus time to report it.
        self.grace = max(5.0, self.timeout * 0.25)
        # ``authority``: the one a person said the documents are about (``--authority``)
        self.task: Callable[[str, str | None, float | None], Outcome] = functools.partial(run_task, authority=authority) if authority else run_task
        self.authority = authority
        self.in_process = False  # run tasks in this process (no time limit in C code)
        self.memory = worker_memory(self.jobs)  # address-space cap of each worker, bytes
        # The library never prints: messages for people (a broken store file, waiting for the
        # lock) go to the caller's callback; without one they are kept in ``messages``.
        self.messages: list[str] = []
        self.on_message: Callable[[str], None] = on_message or self.messages.append
        self.warn: Callable[[str], None] = lambda message: self.on_message(f"warning: {one_line(message)}")
        self.tagger = tagger
        self.committer = Committer(store, use_cache, self.timeout, lambda message: self.warn(message), self.rebuild, retry_failed, reread)

    @property
    def rebuilt(self) -> list[tuple[str, int, str | None]]:
        """(slug, inspections, the hand edit dropped or None) of each authority rebuilt from
        its sources by this run."""
        return self.committer.rebuilt

    def known_hashes(self) -> dict[str, str]:
        """sha256 -> authority for every document already stored."""
        return self.committer.known_hashes()

    def run(self, paths: Iterable[str | Path], on_result: Callable[[FileResult], None] | None = None, on_total: Callable[[int], None] | None = None,
            on_read: Callable[[str], None] | None = None) -> list[FileResult]:
        """Ingest ``paths``: ``on_total`` is told how many files will be read, ``on_read`` each
        one as it is done (once, however its result came out), ``on_result`` every result."""
        results: list[FileResult] = []
        committer = self.committer
        committer.use_cache, committer.timeout = self.use_cache, self.timeout

        def emit(result: FileResult) -> None:
            results.append(result)
            if on_result:
                on_result(result)

        def waiting() -> None:
            self.on_message(f"waiting for another ofstl ingest to finish with {self.store.root}")

        paths = list(paths)
        if any(not str(p).strip() for p in paths):  # before the lock: nothing created, nothing read
            raise UsageError("an empty path", "name the files or folders to read (use . for the current folder)")
        for slug in sorted(self.rebuild):  # before the lock, which would create the store
            if not self.store.file_for(slug).is_file():
                raise UsageError(f"no store file for {slug} to rebuild in {self.store.root}", "ofstl list shows the authorities stored")
        with self.store.lock(on_wait=waiting):
            for slug in sorted(self.rebuild):
                failed = committer.rebuild_from_sources(slug)
                if failed is not None:
                    emit(failed)
            if self.reread and not paths:
                paths = self._recorded_paths(emit)
            marks = Marks(self.warn, self.store.root)  # files the site re-dated since this store read them: read again

            def read_again(path: str) -> bool:
                if marks.marked(path):
                    committer.reading_again.add(path)
                    return True
                return False

            plan = plan_files(paths, committer.known_hashes(), committer.remembered_failure, emit, committer.frameworks,
                              exclude=[self.store.dir, self.store.cache_dir, self.store.written_dir], reread=self.reread,
                              read_again=read_again)
            self._record_moves([r for r in results if r.status == Status.UNCHANGED and r.message == "already in the store"])
            self._warn_stored_elsewhere([r for r in results if r.status == Status.UNCHANGED and r.message == "already in the store"])
            if on_total:
                on_total(len(plan.todo))
            if plan.todo:

                def finish(index: int, outcome: Outcome) -> None:
                    path, digest, _ = plan.todo[index]
                    result = committer.finish(path, digest, outcome)
                    if on_read:
                        on_read(result.path)
                    emit(result)
                    for copy in plan.copies.get(index, []):  # the same bytes under another name
                        if result.status in (Status.ADDED, Status.UPDATED, Status.UNCHANGED):  # stored once, under the first name
                            emit(FileResult(copy, result.sha256, Status.UNCHANGED, result.authority, result.framework, f"same content as {result.path}"))
                        elif result.status == Status.REMOVED:  # counted once: the copy is the same document, not another
                            emit(FileResult(copy, result.sha256, Status.SKIPPED, result.authority, None, f"{copy}: same content as {result.path}, removed from the store"))
                        else:  # the same reason, so the summary groups the copies with the first
                            prefix = result.path + ": "
                            why = result.message[len(prefix):] if result.message.startswith(prefix) else result.message
                            emit(FileResult(copy, result.sha256, result.status, result.authority, result.framework, f"{copy}: {why}"))

                pool = WorkerPool(self.task, self.jobs, self.timeout, self.grace, self.memory, self.in_process)
                pool.run(plan.todo, str(self.store.root) if self.use_cache else None, self.store.lock_fd, finish)
                # read again into the store (or read for the first time): a re-dated file's mark goes
                read = {path for path, _, _ in plan.todo} | {copy for copies in plan.copies.values() for copy in copies}
                marks.clear(r.path for r in results if r.path in read and r.status != Status.ERROR)
        self._warm_theme_cache()
        return results

    def _recorded_paths(self, emit: Callable[[FileResult], None]) -> list[str]:
        """Where each stored document was read (``ofstl.source_paths``: from the store folder,
        or for an earlier ofstl's path from the store's parent or the current folder), when
        the same bytes are still there; the others are reported skipped."""
        committer = self.committer
        known = committer.known_hashes()
        found: list[str] = []
        elsewhere: dict[str, list[str]] = {}  # how an earlier ofstl's path was found -> paths
        where_found = {sha: committer.where_recorded(sha) for sha in known}  # path shown -> how found
        for sha in sorted(known, key=lambda digest: (known[digest], sorted(where_found[digest]))):
            recorded = sorted(where_found[sha])
            here = next((path for path in recorded if Path(path).is_file() and hash_file(Path(path))[0] == sha), None)
            if here is not None:
                found.append(here)
                if where_found[sha][here]:
                    elsewhere.setdefault(where_found[sha][here], []).append(here)
                continue
            where = recorded[0] if recorded else "(no path recorded)"
            gone = "no longer holds the bytes read" if recorded and Path(where).is_file() else "not found"
            emit(FileResult(where, sha, Status.SKIPPED, known[sha],
                            message=f"{where}: not read again: {gone} where it was read; its reading is kept (name its folder: ofstl ingest FOLDER --reread)"))
        for how, paths in sorted(elsewhere.items()):
            self.on_message(f"{len(paths)} stored path{'s' if len(paths) != 1 else ''} an earlier ofstl kept as typed (e.g. {paths[0]}) "
                            f"found from {how}; read again, they are stored relative to the store folder now")
        return found

    def _warn_stored_elsewhere(self, unchanged: list[FileResult]) -> None:
        """``--authority`` for a document already stored as another council's changes nothing
        (re-ingesting never does), so say so and how to read it anew: it was a silent
        "unchanged" with a next command for the other council."""
        from ofstl.authorities import continued_by

        for result in unchanged:
            if self.authority and result.authority and self.authority not in (result.authority, continued_by(result.authority)):
                self.warn(f"{result.path}: already stored as {result.authority}'s; to read it as {self.authority}'s: "
                          f"ofstl ingest {shlex.quote(result.path)} --reread --authority {self.authority} --store {shlex.quote(str(self.store.root))}")

    def _record_moves(self, unchanged: list[FileResult]) -> None:
        """A stored document found at another path while its recorded path no longer holds it
        (the folder moved) is recorded where it is now; a copy leaves the recorded path."""
        committer, moved = self.committer, []
        for result in unchanged:
            recorded = list(committer.where_recorded(result.sha256 or ""))
            if not recorded:
                continue
            here = os.path.realpath(result.path)  # found where it was recorded: hashed once already
            if any(os.path.realpath(p) == here for p in recorded):
                continue
            if any(Path(p).is_file() and hash_file(Path(p))[0] == result.sha256 for p in recorded):
                continue
            if committer.relocate(result.sha256 or "", result.path):
                moved.append(result.path)
        if moved:
            self.on_message(f"{len(moved)} stored document{'s' if len(moved) != 1 else ''} no longer where {'they were' if len(moved) != 1 else 'it was'} "
                            f"read {'are' if len(moved) != 1 else 'is'} now recorded where this run found {'them' if len(moved) != 1 else 'it'} (e.g. {moved[0]})")

    def _warm_theme_cache(self) -> None:
        """Tag the new items now, while the run is slow anyway, so the first view is quick."""
        if not self.committer.new_items:
            return
        from ofstl import views

        try:
            for text in self.committer.new_items:
                views.item_themes(text, self.tagger)
            views.save_theme_cache(self.tagger)
        except Exception:  # noqa: BLE001 - a bad --themes file is reported by the views, not here
            pass
        self.committer.new_items = []
