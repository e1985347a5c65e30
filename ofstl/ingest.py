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
"""

from __future__ import annotations

import hashlib
import os
import re
import stat as stat_module
import sys
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ofstl.errors import DocumentError, StoreError
from ofstl.extract import file_type_for, too_large
from ofstl.models import ExtractedText, ParsedDocument
from ofstl.records import build_records, observations_from, observations_of
from ofstl.store import Store

PER_FILE_TIMEOUT = 120.0  # seconds for one document (read and parse); $OFSTL_FILE_TIMEOUT overrides
WORKER_MEMORY = 4 * 1024**3  # address-space cap of a worker process (at most)

# (status, document, message). Status "ok"; "refused" (the file's bytes are not a readable
# document: the same bytes will fail again); "timeout"; or "error" (anything else).
Outcome = tuple[str, "ParsedDocument | None", str]
REMEMBERED = ("refused", "timeout")


def default_timeout() -> float:
    try:
        value = float(os.environ.get("OFSTL_FILE_TIMEOUT", "") or PER_FILE_TIMEOUT)
    except ValueError:
        value = PER_FILE_TIMEOUT
    return value if value > 0 else PER_FILE_TIMEOUT


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def worker_memory(jobs: int) -> int:
    """Address-space cap per worker: a share of the machine's memory, between 1 and 4 GB, so
    that a decompression bomb fails in its own worker instead of swapping the machine."""
    try:
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return WORKER_MEMORY
    return int(max(1024**3, min(WORKER_MEMORY, total // (jobs + 1))))


def one_line(text: str) -> str:
    return " ".join(printable(str(text)).split())


def printable(text: str) -> str:
    """A file name that is not valid UTF-8 (surrogate escapes) made safe to print and store."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


@dataclass
class FileResult:
    path: str
    sha256: str | None
    status: str  # added | unchanged | skipped | error
    authority: str | None = None
    framework: str | None = None
    message: str = ""

    def __post_init__(self) -> None:
        self.path = printable(self.path)
        self.message = one_line(self.message)

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "sha256": self.sha256, "status": self.status, "authority": self.authority, "framework": self.framework, "message": self.message}


# Files that describe a folder rather than belong to it; a collection of downloaded documents
# often carries one. Read only when named explicitly.
_FOLDER_NOTES = re.compile(r"^(?:readme|license|licence|changelog|contributing|notes?)(?:\.[a-z0-9]+)?$", re.IGNORECASE)


def walk(paths: Iterable[str | Path]) -> Iterator[tuple[Path, str | None]]:
    """(file, reason-to-skip or None) for every file under the paths, in a stable order.

    Folder links are followed, each real folder visited once, so a link loop ends; folders
    that cannot be listed are reported rather than silently left out.
    """
    seen_dirs: set[str] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            errors: list[OSError] = []
            for root, dirs, files in os.walk(path, followlinks=True, onerror=errors.append):
                real = os.path.realpath(root)
                if real in seen_dirs:
                    dirs[:] = []
                    continue
                seen_dirs.add(real)
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    file = Path(root) / name
                    if _FOLDER_NOTES.match(name):
                        yield file, "a folder's own notes (README, LICENSE ...), not a document; name it on the command line to read it"
                        continue
                    yield file, None if file_type_for(file) else "not a document type ofstl reads"
                while errors:
                    exc = errors.pop(0)
                    yield Path(exc.filename or root), f"cannot read the folder ({exc.strerror or exc})"
            while errors:
                exc = errors.pop(0)
                yield Path(exc.filename or path), f"cannot read the folder ({exc.strerror or exc})"
        elif path.exists() or path.is_symlink():
            yield path, None if file_type_for(path) else "not a document type ofstl reads"
        else:
            yield path, "no such file or folder"


def hash_file(path: Path) -> tuple[str | None, int, str | None]:
    """(sha256, size, None) of a regular file, or (None, size, reason it cannot be read)."""
    try:
        # O_NONBLOCK: opening a named pipe for reading would otherwise wait for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        with open(fd, "rb", buffering=0) as fh:
            info = os.fstat(fh.fileno())
            if not stat_module.S_ISREG(info.st_mode):
                return None, 0, "not a regular file (a pipe or device?)"
            if info.st_size == 0:
                return None, 0, "empty file (0 bytes)"
            reason = too_large(path, info.st_size)
            if reason:
                return None, info.st_size, reason
            digest = hashlib.sha256()
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
            return digest.hexdigest(), info.st_size, None
    except OSError as exc:
        return None, 0, f"cannot read the file ({exc.strerror or exc})"


# ----------------------------------------------------------------------------- worker side


def read_document(path: str, data: bytes, cache_dir: str | None, timeout: float | None = None) -> ParsedDocument:
    """Text (from the cache when possible) and parse. Pure apart from the cache."""
    from ofstl.extract import extract_bytes
    from ofstl.parse.document import parse_document

    sha = hashlib.sha256(data).hexdigest()
    extracted = None
    store = Store(Path(cache_dir)) if cache_dir else None
    if store is not None:
        cached = store.cached_text(sha)
        if cached is not None:
            try:
                extracted = ExtractedText.from_dict(cached)
                extracted.path = path
                extracted.sha256 = sha
            except (KeyError, TypeError, ValueError):
                extracted = None
    if extracted is None:
        extracted = extract_bytes(path, data, timeout=timeout)
        if store is not None:
            store.cache_text(sha, extracted.to_dict())
    return parse_document(extracted)


def run_task(path: str, cache_root: str | None, timeout: float | None) -> Outcome:
    """One document, start to finish, never raising: ("ok", doc, "") or (status, None, reason)."""
    from ofstl.extract.limits import FileTimeout, time_limit

    name = printable(path)  # what records and messages call the file
    try:
        with time_limit(timeout):
            data = Path(path).read_bytes()
            return "ok", read_document(name, data, cache_root), ""
    except FileTimeout as exc:
        return "timeout", None, f"{name}: took longer than {exc.seconds:g} s to read and parse; skipped (a file that makes the parser loop?)"
    except DocumentError as exc:
        kind = "timeout" if "took longer than" in exc.message else "error" if "memory" in exc.message else "refused"
        return kind, None, exc.message
    except MemoryError:
        return "error", None, f"{name}: too large to parse in memory"
    except RecursionError:
        return "error", None, f"{name}: too deeply nested to parse"
    except OSError as exc:
        return "error", None, f"{name}: cannot read the file ({exc.strerror or exc})"
    except Exception as exc:  # a parser bug must not stop the run; report it per file
        return "error", None, f"{name}: could not parse ({type(exc).__name__}: {one_line(exc)[:100]})"


def _die_with_parent(parent: int) -> None:
    """Linux: have the kernel kill this worker when the ingest process dies (even by
    SIGKILL), instead of letting it finish a long PDF for nobody."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError, ValueError):  # pragma: no cover - not Linux
        return
    if os.getppid() != parent:  # the parent died before the call above
        os._exit(0)


def _worker_main(conn: Any, task: Callable[[str, str | None, float | None], Outcome], close_fds: list[int], parent: int = 0, memory: int = WORKER_MEMORY) -> None:
    """A worker process: run tasks sent on ``conn`` until it closes (the parent ended)."""
    import signal

    if parent:
        _die_with_parent(parent)
    for fd in close_fds:  # other workers' pipes and the store lock: the parent's, not ours
        try:
            os.close(fd)
        except OSError:
            pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    import logging

    # pdfminer logs its complaints about damaged files; the per-file reason says what matters,
    # and the disabled debug calls (hundreds of thousands per report) cost less.
    logging.disable(logging.WARNING)
    from ofstl.extract.limits import limit_memory

    limit_memory(memory)
    import gc

    # pdfminer allocates millions of small objects per report; with the default thresholds
    # the cycle collector keeps walking them (and every module object) for about 6% of the
    # time. Freeze what is loaded, collect less often, and collect after each big document.
    gc.freeze()
    gc.set_threshold(20000, 50, 10)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            break
        if job is None:
            break
        started = time.monotonic()
        outcome = task(*job)
        if time.monotonic() - started > 0.5:
            gc.collect()
        try:
            conn.send(outcome)
        except (BrokenPipeError, EOFError, OSError):
            break
        except Exception as exc:  # a result that cannot be pickled
            try:
                conn.send(("error", None, f"{job[0]}: could not pass the result back ({type(exc).__name__})"))
            except Exception:
                break


class _Worker:
    def __init__(self, ctx: Any, task: Callable[..., Outcome], close_fds: list[int], memory: int):
        parent_end, child_end = ctx.Pipe(duplex=True)
        self.conn = parent_end
        fds = close_fds + [parent_end.fileno()] if ctx.get_start_method() == "fork" else []
        self.process = ctx.Process(target=_worker_main, args=(child_end, task, fds, os.getpid(), memory), daemon=True)
        self.process.start()
        child_end.close()
        self.job: tuple[int, float] | None = None  # (index, deadline)

    def stop(self, kill: bool = False) -> None:
        try:
            if kill:
                self.process.kill()
            else:
                self.conn.send(None)
        except (OSError, ValueError, AttributeError):
            pass
        try:
            self.conn.close()
        except OSError:
            pass
        self.process.join(timeout=None if kill else 2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()

    def died(self) -> str:
        self.process.join(timeout=1)
        code = self.process.exitcode
        if code is not None and code < 0:
            import signal

            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            return f"the worker process was killed ({name}{', out of memory?' if -code == 9 else ''})"
        return f"the worker process ended unexpectedly (exit code {code})"


class Ingest:
    """One ingest run into a store."""

    def __init__(self, store: Store, jobs: int | None = None, use_cache: bool = True, timeout: float | None = None):
        self.store = store
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

    def _commit(self, doc: ParsedDocument) -> None:
        slug = doc.authority
        assert slug is not None
        if slug in self._broken:
            raise StoreError(self._broken[slug])
        if slug not in self._observations:
            try:
                existing = self.store.load(slug)
            except StoreError as exc:
                self._broken[slug] = exc.message
                raise
            self._observations[slug] = [o for r in (existing or {}).get("inspections", []) for o in observations_of(r)]
        observations = self._observations[slug]
        before = len(observations)
        try:
            added = observations_from(doc)
            observations.extend(added)
            self.store.save(slug, build_records(slug, observations))
            self._new_items.extend(i["text"] for o in added for i in o["weaknesses"])
        except StoreError as exc:
            del observations[before:]
            self._broken[slug] = exc.message
            raise
        except BaseException:
            del observations[before:]
            raise
        self.known_hashes()[doc.sha256] = slug

    def _remembered_failure(self, sha: str) -> str | None:
        if not self.use_cache:
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
        subject = doc.subject
        framework = subject.framework if subject else None
        if doc.authority is None:
            reason = doc.warnings[0] if doc.warnings else "names no local authority; cannot tell whose inspection it is"
            return FileResult(path, sha, "error", framework=framework, message=f"{path}: {reason}")
        try:
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

        todo: list[tuple[str, str, int]] = []
        batch_hashes: dict[str, int] = {}  # sha256 -> index in todo
        copies: dict[int, list[str]] = {}  # index in todo -> other paths with the same bytes
        with self.store.lock(on_wait=waiting):
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
                    emit(FileResult(path, digest, "error", message=f"{path}: {failed} (unchanged since an earlier ingest)"))
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


def _mp_context() -> Any:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context(methods[0]) if methods else None


def _wait(conns: list[Any], timeout: float) -> list[Any]:
    from multiprocessing.connection import wait

    return wait(conns, timeout=timeout)
