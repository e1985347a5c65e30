"""A progress bar on stderr for long ingests, only when stderr is a terminal.

Messages printed while the bar runs go through its console, so they never tangle with the
animation (pip-audit parks its logs for the same reason). When the bar is off (a pipe,
``--quiet``, ``TERM=dumb``) messages are plain lines on stderr. rich is imported only when
a bar is really shown.
"""

from __future__ import annotations

import os
from typing import Any


class Progress:
    def __init__(self, env: Any):
        self.env = env
        self.enabled = bool(env.progress)
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def start(self, total: int) -> None:
        """Called once the files to read are known; small runs get no bar."""
        if not self.enabled or total < 2:
            return
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as RichProgress

        from ofstl.render import console

        self._bar = RichProgress(
            TextColumn("reading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            TextColumn("{task.description}", style="dim"),
            console=console(self.env, stderr=True), transient=True,
        )
        self._bar.start()
        self._task = self._bar.add_task("", total=total)

    def read(self, path: str) -> None:
        """One of the files counted by ``start`` is done (Ingest.run's ``on_read``): every
        file read counts once, skipped ones too, copies and files decided unread never."""
        if self._bar is not None:
            name = os.path.basename(path)
            self._bar.update(self._task, advance=1, description=name if len(name) <= 40 else name[:39] + "…")

    def log(self, message: str) -> None:
        if self._bar is not None:
            self._bar.console.print(message, markup=False, highlight=False, soft_wrap=True)
        else:
            self.env.err(message)
