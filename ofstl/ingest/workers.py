"""Worker processes for ingest: one document per task, a deadline per task, a kill if needed.

A task reads one file's bytes, gets its text (from the cache by content hash, else by
extraction) and parses it; it runs in its own process under a time limit (SIGALRM) and an
address-space cap. The parent keeps its own deadline per task and kills and replaces a
worker that overruns it (stuck in C code, where a signal cannot reach) or dies, so nothing a
document does can hang or crash an ingest.
"""

from __future__ import annotations

import hashlib
import os
import time
from enum import Enum
from pathlib import Path
from typing import Any, Callable

from ofstl.errors import DocumentError, DocumentTimeout, DocumentTooLarge
from ofstl.ingest.files import one_line, printable
from ofstl.models import ExtractedText, ParsedDocument
from ofstl.store import Store

PER_FILE_TIMEOUT = 120.0  # seconds for one document (read and parse); $OFSTL_FILE_TIMEOUT overrides
WORKER_MEMORY = 4 * 1024**3  # address-space cap of a worker process (at most)

class TaskStatus(str, Enum):
    """How one document's task ended."""

    OK = "ok"
    REFUSED = "refused"  # the file's bytes are not a readable document: the same bytes will fail again
    TIMEOUT = "timeout"
    ERROR = "error"  # anything else (out of memory, an unreadable file, a bug)


# (status, document, message)
Outcome = tuple[TaskStatus, "ParsedDocument | None", str]
REMEMBERED = (TaskStatus.REFUSED, TaskStatus.TIMEOUT)


def default_timeout() -> float:
    try:
        value = float(os.environ.get("OFSTL_FILE_TIMEOUT", "") or PER_FILE_TIMEOUT)
    except ValueError:
        value = PER_FILE_TIMEOUT
    return value if 0 < value < float("inf") else PER_FILE_TIMEOUT  # also NaN


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


def read_document(path: str, data: bytes, cache_dir: str | None, timeout: float | None = None, authority: str | None = None) -> ParsedDocument:
    """Text (from the cache when possible) and parse (``authority``: the one a person said the
    documents are about, ``ingest --authority``). Pure apart from the cache."""
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
    return parse_document(extracted, authority)


def run_task(path: str, cache_root: str | None, timeout: float | None, authority: str | None = None) -> Outcome:
    """One document, start to finish, never raising: ("ok", doc, "") or (status, None, reason)."""
    from ofstl.extract.limits import FileTimeout, time_limit

    name = printable(path)  # what records and messages call the file
    try:
        with time_limit(timeout):
            data = Path(path).read_bytes()
            return TaskStatus.OK, read_document(name, data, cache_root, authority=authority), ""
    except FileTimeout as exc:
        return TaskStatus.TIMEOUT, None, f"{name}: took longer than {exc.seconds:g} s to read and parse; skipped (a file that makes the parser loop?)"
    except DocumentTimeout as exc:
        return TaskStatus.TIMEOUT, None, exc.message
    except DocumentTooLarge as exc:
        return TaskStatus.ERROR, None, exc.message
    except DocumentError as exc:
        return TaskStatus.REFUSED, None, exc.message
    except MemoryError:
        return TaskStatus.ERROR, None, f"{name}: too large to parse in memory"
    except RecursionError:
        return TaskStatus.ERROR, None, f"{name}: too deeply nested to parse"
    except OSError as exc:
        return TaskStatus.ERROR, None, f"{name}: cannot read the file ({exc.strerror or exc})"
    except Exception as exc:  # a parser bug must not stop the run; report it per file
        return TaskStatus.ERROR, None, f"{name}: could not parse ({type(exc).__name__}: {one_line(exc)[:100]})"


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
    if hasattr(signal, "SIGTERM"):
        # So is SIGTERM sent to the whole process group: the parent stops its workers (and the
        # kernel kills them if the parent dies), and a worker killed by it is no failed file.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
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
                conn.send((TaskStatus.ERROR, None, f"{job[0]}: could not pass the result back ({type(exc).__name__})"))
            except Exception:
                break


class Worker:
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


def mp_context() -> Any:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context(methods[0]) if methods else None


def wait_ready(conns: list[Any], timeout: float) -> list[Any]:
    from multiprocessing.connection import wait

    return wait(conns, timeout=timeout)

