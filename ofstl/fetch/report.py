"""What a fetch run tells its caller: events as it goes (for a progress display), the files it
plans, and the report at its end. Plain data, kept apart from the run itself (``fetcher``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class FetchEvent:
    """What the fetch is doing, for a progress display.

    kind: ``authorities`` (``total`` known), ``authority`` (one finished; ``message`` counts
    what came of it), ``downloaded``, ``failed``, ``warning``.
    """

    kind: str
    authority: str | None = None
    message: str = ""
    total: int | None = None


@dataclass
class Planned:
    authority: str
    urn: str
    label: str
    kind: str
    published: str | None
    url: str
    file: str  # relative to DIR
    # --dry-run: another authority's file (relative to DIR) it would be linked from, not downloaded
    linked_from: str | None = None


@dataclass
class FetchReport:
    authorities: list[str] = field(default_factory=list)
    downloaded: list[dict[str, Any]] = field(default_factory=list)
    already: int = 0  # publications already in DIR
    planned: list[Planned] = field(default_factory=list)  # --dry-run: what would be downloaded
    failed: list[str] = field(default_factory=list)  # one line each
    warnings: list[str] = field(default_factory=list)
    redated: list[dict[str, Any]] = field(default_factory=list)  # the same file, now dated or named otherwise by the site
    requests: int = 0
    unchanged_pages: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed
