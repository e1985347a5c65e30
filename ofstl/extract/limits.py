"""Per-file limits: a time limit that stops a runaway parser, and a memory ceiling.

``time_limit`` raises ``FileTimeout`` (a ``BaseException``, so the broad ``except
Exception`` blocks inside pdfminer cannot swallow it) from SIGALRM when the block runs too
long. A signal can only interrupt Python code, not a long call into C (a regex, zlib), so the
ingest parent also keeps a deadline per task and kills a worker that overruns it.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator


# The longest alarm the timer takes everywhere (time_t): a limit beyond it (--timeout 1e10,
# "no limit") is set to it, about 115 days, instead of overflowing.
MAX_ALARM = 1e7


class FileTimeout(BaseException):
    """A file took longer than its time limit."""

    def __init__(self, seconds: float):
        super().__init__(seconds)
        self.seconds = seconds


def _can_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise FileTimeout when the block runs longer than ``seconds`` (main thread only).

    Nested limits keep the outer one: a block inside an already limited block runs under
    the outer deadline.
    """
    if not seconds or seconds <= 0 or not _can_alarm() or signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        yield
        return

    def _raise(signum, frame):  # noqa: ARG001
        raise FileTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, _raise)
    if hasattr(signal, "pthread_sigmask"):
        # A caller may have blocked SIGALRM; the limit must still be able to fire.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGALRM})
    # The timer repeats: an exception raised where Python ignores it (a finaliser run by the
    # garbage collector) would otherwise leave the runaway parse going with no limit at all.
    signal.setitimer(signal.ITIMER_REAL, min(seconds, MAX_ALARM), 0.25)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def limit_memory(max_bytes: int) -> None:
    """Cap this process's address space so a decompression bomb ends in MemoryError."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            max_bytes = min(max_bytes, hard)
        if soft == resource.RLIM_INFINITY or soft > max_bytes:
            resource.setrlimit(resource.RLIMIT_AS, (max_bytes, hard))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not on this platform
        pass
