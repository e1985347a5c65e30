"""A progress bar on stderr for long ingests, only when stderr is a terminal.

Messages printed while the bar runs go through it, so they never tangle with the animation.
"""

from __future__ import annotations

import sys
from typing import Any


class Progress:
    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._bar is not None:
            self._bar.stop()

    def start(self, total: int) -> None:
        if not self.enabled or total < 2:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress as RichProgress, TextColumn, TimeElapsedColumn

        self._bar = RichProgress(TextColumn("reading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                 console=Console(stderr=True), transient=True)
        self._bar.start()
        self._task = self._bar.add_task("ingest", total=total)

    def advance(self, result: Any) -> None:
        if self._bar is not None and result.status in ("added", "error") and result.sha256:
            self._bar.advance(self._task)

    def log(self, message: str) -> None:
        if self._bar is not None:
            self._bar.console.print(message, markup=False, highlight=False)
        else:
            print(message, file=sys.stderr)
