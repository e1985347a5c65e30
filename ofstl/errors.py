"""Errors the library raises on purpose, and the exit codes the CLI maps them to.

Expected failures (unknown authority, unreadable file, broken store) are ``OfstlError``s
with a one-line message and an optional hint; the CLI prints them without a traceback.
Exit codes follow SPEC.md section 1.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Iterable, Sequence


class ExitCode(IntEnum):
    OK = 0
    PARTIAL = 1  # some input could not be processed; also "differences" for diff --exit-code
    USAGE = 2  # bad option, unknown authority, nothing to compare
    INTERNAL = 3  # an unexpected failure (a bug): traceback with --debug
    INTERRUPTED = 130  # Ctrl-C (SIGINT): 128 + 2
    TERMINATED = 143  # SIGTERM (kill, timeout, a service manager stopping it): 128 + 15, as a shell reports it


class Terminated(KeyboardInterrupt):
    """The process was asked to stop (SIGTERM). Raised where Ctrl-C's KeyboardInterrupt
    would be, so the same clean-up runs (temporary files removed, the store lock released,
    worker processes stopped; what was finished stays stored); the CLI says so and exits 143."""


class OfstlError(Exception):
    """A failure we expect and can explain in one line."""

    exit_code = ExitCode.USAGE

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(OfstlError):
    exit_code = ExitCode.USAGE


def near_misses(typed: str, choices: Iterable[str], n: int, cutoff: float) -> list[str]:
    """Up to ``n`` of ``choices`` spelt like ``typed`` (difflib's ratio at least ``cutoff``),
    closest first: every "did you mean" asks here."""
    import difflib

    return difflib.get_close_matches(typed, list(dict.fromkeys(choices)), n=n, cutoff=cutoff)


def did_you_mean(suggestions: Sequence[str], *, quoted: bool = True) -> str:
    """"did you mean 'a', 'b'?" for names a person may type with spaces in them (quoted),
    "did you mean: a, b" for identifiers (unquoted); nothing for no suggestion."""
    if not suggestions:
        return ""
    if not quoted:
        return "did you mean: " + ", ".join(suggestions)
    return "did you mean " + ", ".join(repr(s) for s in suggestions) + "?"


class UnknownAuthority(UsageError):
    """``suggestions``: close names; ``in_store`` False when none of them has data in the
    store, so the hint says how to add it rather than a command that would fail next."""

    def __init__(self, name: str, suggestions: list[str], in_store: bool = True):
        hint = None
        if suggestions:
            hint = did_you_mean(suggestions)
            if not in_store:
                hint += f" (not in the store yet: ofstl fetch {suggestions[0]} --ingest; ofstl list shows what is)"
        super().__init__(f"unknown authority {name!r}", hint or "run 'ofstl list' to see the authorities in the store")
        self.name = name
        self.suggestions = suggestions if in_store else []


class StoreError(OfstlError):
    """The store cannot be read or written safely; nothing was changed."""

    exit_code = ExitCode.PARTIAL


class DocumentError(OfstlError):
    """One input document could not be read or understood (its bytes will fail the same way again)."""

    exit_code = ExitCode.PARTIAL


class DocumentTimeout(DocumentError):
    """Reading or parsing one document took longer than its time limit."""


class DocumentTooLarge(DocumentError):
    """One document needs more memory than a worker may use (a decompression bomb?)."""
