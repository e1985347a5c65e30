"""The worker pool of an ingest: one document per task in worker processes, none able to hang the run.

Each task runs under a time limit in its worker (SIGALRM), and the parent keeps its own
deadline per task and kills and replaces a worker that overruns it (stuck in C code, where a
signal cannot reach) or dies (a crash, the out-of-memory killer). Workers cap their memory,
so a decompression bomb ends in a one-line error. Largest files are handed out first, so the
cores finish together, and each outcome goes back to the caller as soon as it arrives.
"""

from __future__ import annotations

import time
from collections import deque
from pathlib import Path
from typing import Callable

from ofstl.extract import file_type_for
from ofstl.ingest.workers import Outcome, TaskStatus, Worker, mp_context, run_task, wait_ready


class WorkerPool:
    """Runs ``task`` over files in ``jobs`` worker processes (or in this process)."""

    def __init__(self, task: Callable[[str, str | None, float | None], Outcome], jobs: int, timeout: float, grace: float,
                 memory: int, in_process: bool = False):
        self.task = task
        self.jobs = jobs
        self.timeout = timeout
        self.grace = grace
        self.memory = memory
        self.in_process = in_process

    def run(self, todo: list[tuple[str, str, int]], cache_root: str | None, lock_fd: int | None, finish: Callable[[int, Outcome], None]) -> None:
        """Run every task; ``finish(index, outcome)`` is called in the parent as each ends."""
        ctx = mp_context()
        if self.in_process or ctx is None:
            for index, (path, digest, _) in enumerate(todo):
                finish(index, self.task(path, cache_root, self.timeout))
            return
        # Hand out the largest files first (longest first balances the cores); commit each
        # result as it arrives, so a kill loses as little finished work as possible.
        queue = deque(sorted(range(len(todo)), key=lambda i: -todo[i][2]))
        done: dict[int, Outcome] = {}
        finished = 0
        workers: list[Worker] = []

        def spawn() -> Worker:
            close = [w.conn.fileno() for w in workers if not w.conn.closed]
            if lock_fd is not None:
                close.append(lock_fd)
            return Worker(ctx, self.task, close, self.memory)

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
                # At most a minute at a time: poll() takes no more than 2**31 ms, and the loop
                # looks at every deadline again anyway (--timeout 1e7 overflowed it).
                wait_for = min(60.0, max(0.0, min(w.job[1] for w in busy if w.job) - time.monotonic()))
                ready = wait_ready([w.conn for w in busy], wait_for)
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
                            done[index] = (TaskStatus.ERROR, None, f"{path}: could not be read: {reason}")
                            worker.stop(kill=True)
                            workers[slot] = spawn()
                        except Exception as exc:  # a result that does not unpickle
                            done[index] = (TaskStatus.ERROR, None, f"{path}: could not pass the result back ({type(exc).__name__})")
                            worker.job = None
                    elif now >= deadline:
                        worker.stop(kill=True)
                        done[index] = (TaskStatus.TIMEOUT, None, f"{path}: took longer than {self.timeout:g} s to read and parse; the worker was stopped (a file that makes the parser loop?)")
                        workers[slot] = spawn()
                    else:
                        continue
                    feed(slot)  # the next file first, so the worker is busy while we commit
                for index in sorted(done):
                    finish(index, done.pop(index))
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
