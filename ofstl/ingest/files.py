"""Finding the input files: folder walks that end, hashes that never block, printable names.

Folder links are followed but each real folder is visited once, so a link loop ends; a named
pipe with a document's extension is refused instead of waiting for a writer; a file name
that is not valid UTF-8 is made printable for messages and the store.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat as stat_module
from pathlib import Path
from typing import Iterable, Iterator

from ofstl.errors import UsageError
from ofstl.extract import file_type_for, too_large
from ofstl.safe_text import escape_controls

def one_line(text: str) -> str:
    """A message on one line: runs of white space (newlines too) made one space, other
    control characters escaped."""
    return escape_controls(" ".join(_utf8(str(text)).split()))


def _utf8(text: str) -> str:
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def printable(text: str) -> str:
    """A file name made safe to print and store: bytes that are not UTF-8 (surrogate
    escapes) replaced, control characters (ESC, BEL, newlines ...) written as escapes."""
    return escape_controls(_utf8(text))


# Files that describe a folder rather than belong to it; a collection of downloaded documents
# often carries one. Read only when named explicitly.
_FOLDER_NOTES = re.compile(r"^(?:readme|license|licence|changelog|contributing|notes?)(?:\.[a-z0-9]+)?$", re.IGNORECASE)


def walk(paths: Iterable[str | Path], exclude: Iterable[str | Path] = ()) -> Iterator[tuple[Path, str | None]]:
    """(file, reason-to-skip or None) for every file under the paths, in a stable order.

    Folder links are followed, each real folder visited once, so a link loop ends; a file
    named twice (or named and inside a folder named) is one file; the folders in ``exclude``
    are not entered; folders that cannot be listed are reported rather than silently left out.
    """
    # Folders never read (the store's own, when it lies inside a folder being read: its YAML,
    # caches and hashes are ofstl's files, not documents); as if already visited.
    excluded = {os.path.realpath(folder) for folder in exclude}
    seen_dirs: set[str] = set(excluded)
    seen_files: set[str] = set()  # a file named twice, or named and inside a folder named, is one file

    def first_time(file: Path) -> bool:
        key = os.path.abspath(file)
        if key in seen_files:
            return False
        seen_files.add(key)
        return True

    for raw in paths:
        if not str(raw).strip():  # an unset variable in a script: never "the current folder"
            raise UsageError("an empty path", "name the files or folders to read (use . for the current folder)")
        path = Path(raw)
        if path.is_dir() and os.path.realpath(path) in excluded:
            yield path, "the store's own files, not a document folder; name the folder of the documents"
            continue
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
                    if not first_time(file):
                        continue
                    if _FOLDER_NOTES.match(name) and file_type_for(file) != "pdf":  # notes.pdf is a document
                        yield file, "a folder's own notes (README, LICENSE ...), not a document; name it on the command line to read it"
                        continue
                    yield file, None if file_type_for(file) else "not a document type ofstl reads"
                while errors:
                    exc = errors.pop(0)
                    yield Path(exc.filename or root), f"cannot read the folder ({exc.strerror or exc})"
            while errors:
                exc = errors.pop(0)
                yield Path(exc.filename or path), f"cannot read the folder ({exc.strerror or exc})"
        elif not first_time(path):
            continue
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
    except FileNotFoundError as exc:
        if os.path.islink(path):  # a link whose target is gone (moved, or a relative link copied elsewhere)
            return None, 0, f"a broken link (to {printable(os.readlink(path))}, which does not exist)"
        return None, 0, f"cannot read the file ({exc.strerror or exc})"
    except OSError as exc:
        return None, 0, f"cannot read the file ({exc.strerror or exc})"


# ----------------------------------------------------------------------------- worker side


