"""Ingest: files and folders -> the store, in parallel, one document at a time committed.

The parent walks the paths (following folder links once, so link loops end), hashes every
file and skips those already stored. Worker processes do the expensive part (PDF text,
parsing) one file per task, reusing cached text by content hash; only the parent writes
the store, one authority file at a time, atomically, right after each document, so an
interrupted run keeps everything it finished. Each file gets one ``FileResult``.
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ofstl.errors import DocumentError
from ofstl.extract import extract_bytes, file_type_for
from ofstl.models import ExtractedText, ParsedDocument
from ofstl.records import build_records, observations_from, observations_of
from ofstl.store import Store

PER_FILE_TIMEOUT = 120.0


@dataclass
class FileResult:
    path: str
    sha256: str | None
    status: str  # added | unchanged | skipped | error
    authority: str | None = None
    framework: str | None = None
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "sha256": self.sha256, "status": self.status, "authority": self.authority, "framework": self.framework, "message": self.message}


def walk(paths: Iterable[str | Path]) -> Iterator[tuple[Path, str | None]]:
    """(file, reason-to-skip or None) for every file under the paths, in a stable order."""
    seen_dirs: set[str] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path, followlinks=True):
                real = os.path.realpath(root)
                if real in seen_dirs:
                    dirs[:] = []
                    continue
                seen_dirs.add(real)
                dirs.sort()
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    file = Path(root) / name
                    yield file, None if file_type_for(file) else "not a document type ofstl reads"
        elif path.exists():
            yield path, None if file_type_for(path) else "not a document type ofstl reads"
        else:
            yield path, "no such file or folder"


def read_document(path: str, data: bytes, cache_dir: str | None, timeout: float | None) -> ParsedDocument:
    """Worker side: text (from the cache when possible) and parse. Pure apart from the cache."""
    from ofstl.parse.document import parse_document

    sha = hashlib.sha256(data).hexdigest()
    extracted = None
    if cache_dir:
        store = Store(Path(cache_dir))
        cached = store.cached_text(sha)
        if cached is not None:
            extracted = ExtractedText.from_dict(cached)
            extracted.path = path
    if extracted is None:
        extracted = extract_bytes(path, data, timeout=timeout)
        if cache_dir:
            Store(Path(cache_dir)).cache_text(sha, extracted.to_dict())
    return parse_document(extracted)


def _task(path: str, cache_root: str | None, timeout: float | None) -> tuple[str, ParsedDocument | None, str]:
    try:
        data = Path(path).read_bytes()
        return "ok", read_document(path, data, cache_root, timeout), ""
    except DocumentError as exc:
        return "error", None, exc.message
    except MemoryError:
        return "error", None, f"{path}: too large to parse in memory"
    except Exception as exc:  # a parser bug must not stop the run; report it per file
        return "error", None, f"{path}: could not parse ({type(exc).__name__}: {str(exc)[:100]})"


def _tagger() -> Callable[[str], list[str]] | None:
    try:
        from ofstl.themes import load_taxonomy
    except ImportError:
        return None
    return load_taxonomy().tag


class Ingest:
    """One ingest run into a store."""

    def __init__(self, store: Store, jobs: int | None = None, use_cache: bool = True, timeout: float | None = PER_FILE_TIMEOUT):
        self.store = store
        self.jobs = max(1, jobs or os.cpu_count() or 1)
        self.use_cache = use_cache
        self.timeout = timeout
        self.tagger = _tagger()
        self._observations: dict[str, list[dict[str, Any]]] = {}
        self._known: dict[str, str] | None = None

    def known_hashes(self) -> dict[str, str]:
        """sha256 -> authority for every document already stored."""
        if self._known is None:
            self._known = {}
            for data in self.store.load_all():
                for record in data["inspections"]:
                    for src in record.get("sources", []):
                        self._known[src["sha256"]] = data["authority"]
        return self._known

    def _commit(self, doc: ParsedDocument) -> None:
        slug = doc.authority
        assert slug is not None
        if slug not in self._observations:
            existing = self.store.load(slug)
            self._observations[slug] = [o for r in (existing or {}).get("inspections", []) for o in observations_of(r)]
        observations = self._observations[slug]
        observations.extend(observations_from(doc, self.tagger))
        self.store.save(slug, build_records(slug, observations))
        self.known_hashes()[doc.sha256] = slug

    def _finish(self, path: str, sha: str, outcome: tuple[str, ParsedDocument | None, str]) -> FileResult:
        status, doc, message = outcome
        if status != "ok" or doc is None:
            return FileResult(path, sha, "error", message=message)
        subject = doc.subject
        framework = subject.framework if subject else None
        if doc.authority is None:
            reason = doc.warnings[0] if doc.warnings else "names no local authority"
            return FileResult(path, sha, "error", framework=framework, message=f"{path}: {reason}")
        self._commit(doc)
        return FileResult(path, sha, "added", doc.authority, framework, f"{doc.kind}, {framework}")

    def run(self, paths: Iterable[str | Path], on_result: Callable[[FileResult], None] | None = None, on_total: Callable[[int], None] | None = None) -> list[FileResult]:
        results: list[FileResult] = []

        def emit(result: FileResult) -> None:
            results.append(result)
            if on_result:
                on_result(result)

        todo: list[tuple[str, str]] = []
        batch_hashes: dict[str, str] = {}
        with self.store.lock():
            known = self.known_hashes()
            for file, skip in walk(paths):
                path = str(file)
                if skip:
                    emit(FileResult(path, None, "skipped" if "type" in skip else "error", message=f"{path}: {skip}"))
                    continue
                try:
                    digest = hashlib.sha256(file.read_bytes()).hexdigest()
                except OSError as exc:
                    emit(FileResult(path, None, "error", message=f"{path}: cannot read the file ({exc.strerror or exc})"))
                    continue
                if digest in known:
                    emit(FileResult(path, digest, "unchanged", known[digest], message="already in the store"))
                elif digest in batch_hashes:
                    emit(FileResult(path, digest, "unchanged", message=f"same content as {batch_hashes[digest]}"))
                else:
                    batch_hashes[digest] = path
                    todo.append((path, digest))
            if on_total:
                on_total(len(todo))
            cache_root = str(self.store.root) if self.use_cache else None
            if self.jobs == 1 or len(todo) <= 1:
                for path, digest in todo:
                    emit(self._finish(path, digest, _task(path, cache_root, self.timeout)))
            else:
                self._run_pool(todo, cache_root, emit)
        return results

    def _run_pool(self, todo: list[tuple[str, str]], cache_root: str | None, emit: Callable[[FileResult], None]) -> None:
        # Results are committed in input order so the store's history is reproducible.
        with ProcessPoolExecutor(max_workers=min(self.jobs, len(todo))) as pool:
            futures: dict[Future, int] = {}
            done_results: dict[int, tuple[str, ParsedDocument | None, str]] = {}
            next_index = 0
            for index, (path, _) in enumerate(todo):
                futures[pool.submit(_task, path, cache_root, self.timeout)] = index
            pending = set(futures)
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    index = futures[future]
                    try:
                        done_results[index] = future.result()
                    except Exception as exc:  # a worker that died (out of memory, killed)
                        done_results[index] = ("error", None, f"{todo[index][0]}: worker failed ({type(exc).__name__})")
                while next_index in done_results:
                    path, digest = todo[next_index]
                    emit(self._finish(path, digest, done_results.pop(next_index)))
                    next_index += 1
