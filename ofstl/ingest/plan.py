"""The plan of an ingest: which files to read, decided before any worker starts.

The parent walks the paths (following folder links once, so link loops end) and hashes
every file. A file already stored is ``unchanged`` (or, asked to re-read or re-dated by the site, read again), a file that failed before with the same
bytes fails again without being read, a second copy of the same bytes waits for the first;
only the rest become tasks for the worker pool. Results decided here are emitted at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ofstl.ingest.files import hash_file, walk
from ofstl.ingest.results import FileResult, Status


@dataclass
class Plan:
    todo: list[tuple[str, str, int]] = field(default_factory=list)  # (path, sha256, size) to read
    copies: dict[int, list[str]] = field(default_factory=dict)  # index in todo -> other paths with the same bytes


def plan_files(paths: Iterable[str | Path], known: dict[str, str], remembered_failure: Callable[[str, str], str | None],
               emit: Callable[[FileResult], None], frameworks: dict[str, str | None] | None = None,
               exclude: Iterable[str | Path] = (), reread: bool = False, read_again: Callable[[str], bool] | None = None) -> Plan:
    """``read_again``: whether a file already stored is to be read again all the same (one the
    site re-dated since: ``ofstl.fetch.rereads``)."""
    plan = Plan()
    batch_hashes: dict[str, int] = {}  # sha256 -> index in todo
    for file, skip in walk(paths, exclude):
        path = str(file)
        if skip:
            emit(FileResult(path, None, Status.SKIPPED if "type" in skip or "not a document" in skip else Status.ERROR, message=f"{path}: {skip}"))
            continue
        digest, size, problem = hash_file(file)
        if digest is None:
            emit(FileResult(path, None, Status.ERROR, message=f"{path}: {problem}"))
        elif digest in known and not reread and not (read_again is not None and read_again(path)):
            emit(FileResult(path, digest, Status.UNCHANGED, known[digest], (frameworks or {}).get(digest), message="already in the store"))
        elif digest in batch_hashes:
            plan.copies.setdefault(batch_hashes[digest], []).append(path)
        elif digest not in known and (failed := remembered_failure(digest, path)) is not None:
            emit(FileResult(path, digest, Status.ERROR, message=f"{path}: {failed} (unchanged since an earlier ingest; ingest --retry-failed reads it again)"))
        else:
            batch_hashes[digest] = len(plan.todo)
            plan.todo.append((path, digest, size))
    return plan
