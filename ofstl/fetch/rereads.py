"""Files the site re-dated that a store has yet to read again (``DIR/.reread-pending.json``).

Why this exists: when the site dates a publication otherwise under the same address and the
bytes are the same, fetch keeps the file and gives its manifest line the new date; a store
that read the file keeps the old date until the file is read again. ``fetch --ingest`` did
that read straight after the download, so a run killed in between (Ctrl-C, a night job's
time limit) left the old date in the store until someone ran ``ingest --reread`` by hand.
Now the file is marked here before its manifest line changes, and any ingest that comes to
it (``fetch --ingest`` again, ``ingest DIR``, ``ingest --reread``) reads it again and clears
the mark once the store has the new reading. A mark stays until then, however the run ends.

The list is written whole or not at all (``atomic_write``); a file that does not read as a
list of files (edited by hand) is named in one line and never written over.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Callable, Iterable

from ofstl.fetch.manifest import folder_lock
from ofstl.store_files import atomic_write

PENDING = ".reread-pending.json"


class PendingUnreadable(Exception):
    """The list of files to read again does not read as one; the message names it."""


def _read(folder: Path) -> list[str]:
    path = folder / PENDING
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError, RecursionError) as exc:  # UnicodeDecodeError too
        raise PendingUnreadable(f"{path}: cannot read the list of re-dated files to read again ({exc}); "
                                "fix or remove it (ofstl ingest --reread FILES reads them again)") from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        raise PendingUnreadable(f"{path}: not a list of re-dated files to read again (edited by hand?); fix or remove it "
                                "(ofstl ingest --reread FILES reads them again)")
    return files


def _write(folder: Path, files: list[str]) -> None:
    path = folder / PENDING
    if files:
        atomic_write(path, json.dumps({"files": sorted(set(files))}, indent=1) + "\n", tidy=True)
    else:
        path.unlink(missing_ok=True)


def mark(folder: Path, file: str) -> None:
    """``file`` (relative to the fetch folder) is to be read again by the next ingest. Called
    under the fetch's folder lock, which ``Marks.clear`` takes too."""
    folder = Path(folder)
    files = _read(folder)
    if file not in files:
        _write(folder, files + [file])


def pending_files(folder: Path) -> list[Path]:
    """The marked files still in ``folder`` (an unreadable list: raises ``PendingUnreadable``)."""
    return [Path(folder) / f for f in _read(Path(folder)) if (Path(folder) / f).is_file()]


class Marks:
    """The marks an ingest run meets: asked of each file it finds already stored, cleared for
    the files it read again. Unreadable lists are reported once each through ``warn``."""

    def __init__(self, warn: Callable[[str], None]):
        self.warn = warn
        self._folders: dict[str, set[str]] = {}  # fetch folder (real path) -> its marked files' real paths

    def _marked_in(self, folder: str) -> set[str]:
        if folder not in self._folders:
            found: set[str] = set()
            if os.path.isfile(os.path.join(folder, PENDING)):
                try:
                    found = {os.path.realpath(os.path.join(folder, f)) for f in _read(Path(folder))}
                except PendingUnreadable as exc:
                    self.warn(str(exc))
            self._folders[folder] = found
        return self._folders[folder]

    def _folders_of(self, path: str) -> tuple[str, str]:
        here = os.path.dirname(os.path.realpath(path))
        return here, os.path.dirname(here)  # the layout fetch writes: DIR/<authority>/<file>

    def marked(self, path: str) -> bool:
        real = os.path.realpath(path)
        return any(real in self._marked_in(folder) for folder in self._folders_of(path))

    def clear(self, paths: Iterable[str]) -> None:
        """The files at ``paths`` were read again into the store: their marks go."""
        done: dict[str, set[str]] = {}
        for path in paths:
            real = os.path.realpath(path)
            for folder in self._folders_of(path):
                if real in self._marked_in(folder):
                    done.setdefault(folder, set()).add(real)
        for folder, reals in done.items():
            try:
                # under the fetch's lock: a fetch marking a file meanwhile would lose its mark to this
                # write; while one runs the marks stay, and the next ingest reads the files again
                with folder_lock(Path(folder)) as held:
                    if not held:
                        continue
                    files = _read(Path(folder))
                    _write(Path(folder), [f for f in files if os.path.realpath(os.path.join(folder, f)) not in reals])
            except (OSError, PendingUnreadable) as exc:  # a documents folder this user may not write
                self.warn(f"{Path(folder) / PENDING}: read again, but the mark could not be cleared "
                          f"({getattr(exc, 'strerror', None) or exc}); the next ingest reads them again")
            self._folders[folder] -= reals

