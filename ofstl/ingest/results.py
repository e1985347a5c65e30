"""What an ingest did with each file: a typed status and one result per file.

Kept apart from the run so that the CLI, the renderers and the tests can name results
without importing the worker pool.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from ofstl.ingest.files import one_line, printable
from ofstl.parse.calendar import spec_framework


class Status(str, Enum):
    """What an ingest did with one file (the ``status`` of ``--format json``)."""

    ADDED = "added"
    UPDATED = "updated"  # read again (--reread) and its reading changed
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"
    ERROR = "error"
    REMOVED = "removed"  # read again (--reread): no inspection of an authority any more, its reading taken out

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)


@dataclass
class FileResult:
    path: str
    sha256: str | None
    status: Status
    authority: str | None = None
    framework: str | None = None
    message: str = ""

    def __post_init__(self) -> None:
        self.status = Status(self.status)
        raw = self.path
        self.path = printable(raw)
        if self.message.startswith(raw + ": "):  # the name as printed, so reasons group by it
            self.message = self.path + ": " + one_line(self.message[len(raw) + 2:])
        else:
            self.message = one_line(self.message)

    def to_dict(self) -> dict[str, Any]:
        framework, candidates = spec_framework(self.framework) if self.framework else (None, None)
        out = {"path": self.path, "sha256": self.sha256, "status": self.status.value, "authority": self.authority, "framework": framework, "message": self.message}
        if candidates:  # an undecided framework: 'other' in the SPEC's codes, and what it could be
            out["framework_candidates"] = candidates
        return out
