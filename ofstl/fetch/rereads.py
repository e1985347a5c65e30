"""Files the site re-dated that a store has yet to read again (``DIR/.reread-pending.json``).

Why this exists: when the site dates a publication otherwise under the same address and the
bytes are the same, fetch keeps the file and gives its manifest line the new date; a store
that read the file keeps the old date until the file is read again. ``fetch --ingest`` did
that read straight after the download, so a run killed in between (Ctrl-C, a night job's
time limit) left the old date in the store until someone ran ``ingest --reread`` by hand.
Now the file is marked here before its manifest line changes, and any ingest that comes to
it (``fetch --ingest`` again, ``ingest DIR``, ``ingest --reread``) reads it again.

A folder may be read by several stores (a team's and a person's), and the fetch knows only
its own; so a mark is cleared for a store, not for the folder: the list keeps, beside each
marked file, the stores (by their real path) that have read it since it was marked
(``{"files": [...], "read_by": {file: [store, ...]}}``), and it is pending for every other
store. A file marked again (re-dated once more) is pending for every store again. Marks stay
(re-dated files are few; one whose file has gone is passed over); a store moved reads them
once more. A list an earlier ofstl wrote (``files`` only) is pending for every store: nothing
in it is lost.

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

Marked = dict[str, list[str]]  # file (relative to the fetch folder) -> stores that have read it since it was marked


class PendingUnreadable(Exception):
    """The list of files to read again does not read as one; the message names it."""


def store_key(root: str | Path) -> str:
    """How the list names a store: its folder's real path."""
    return os.path.realpath(root)


def _read(folder: Path) -> Marked:
    path = folder / PENDING
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, RecursionError) as exc:  # UnicodeDecodeError too
        raise PendingUnreadable(f"{path}: cannot read the list of re-dated files to read again ({exc}); "
                                "fix or remove it (ofstl ingest --reread FILES reads them again)") from None
    files = data.get("files") if isinstance(data, dict) else None
    read_by = data.get("read_by", {}) if isinstance(data, dict) else None
    if (not isinstance(files, list) or not all(isinstance(f, str) for f in files) or not isinstance(read_by, dict)
            or not all(isinstance(v, list) and all(isinstance(s, str) for s in v) for v in read_by.values())):
        raise PendingUnreadable(f"{path}: not a list of re-dated files to read again (edited by hand?); fix or remove it "
                                "(ofstl ingest --reread FILES reads them again)")
    return {f: list(read_by.get(f, [])) for f in files}


def _write(folder: Path, marked: Marked) -> None:
    path = folder / PENDING
    if not marked:
        path.unlink(missing_ok=True)
        return
    data: dict[str, object] = {"files": sorted(marked)}  # what an earlier ofstl reads: pending for every store
    read_by = {f: sorted(set(stores)) for f, stores in sorted(marked.items()) if stores}
    if read_by:
        data["read_by"] = read_by
    atomic_write(path, json.dumps(data, indent=1) + "\n", tidy=True)


def mark(folder: Path, file: str) -> None:
    """``file`` (relative to the fetch folder) is to be read again by every store's next ingest.
    Called under the fetch's folder lock, which ``Marks.clear`` takes too."""
    folder = Path(folder)
    marked = _read(folder)
    if marked.get(file) != []:
        marked[file] = []
        _write(folder, marked)


def pending_files(folder: Path, store: str | Path) -> list[Path]:
    """The files still in ``folder`` marked and not yet read again by ``store`` (its root; an
    unreadable list: raises ``PendingUnreadable``)."""
    key = store_key(store)
    return [Path(folder) / f for f, stores in _read(Path(folder)).items() if key not in stores and (Path(folder) / f).is_file()]


class Marks:
    """The marks an ingest run into ``store`` (its root) meets: asked of each file it finds
    already stored, cleared for this store for the files it read. Unreadable lists are
    reported once each through ``warn``."""

    def __init__(self, warn: Callable[[str], None], store: str | Path):
        self.warn = warn
        self.store = store_key(store)
        self._folders: dict[str, set[str]] = {}  # fetch folder (real path) -> real paths of its files marked for this store

    def _marked_in(self, folder: str) -> set[str]:
        if folder not in self._folders:
            found: set[str] = set()
            if os.path.isfile(os.path.join(folder, PENDING)):
                try:
                    found = {os.path.realpath(os.path.join(folder, f)) for f, stores in _read(Path(folder)).items()
                             if self.store not in stores}
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
        """The files at ``paths`` were read (again) into the store: their marks go, for it."""
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
                    marked = _read(Path(folder))
                    for file, stores in marked.items():
                        if os.path.realpath(os.path.join(folder, file)) in reals and self.store not in stores:
                            stores.append(self.store)
                    _write(Path(folder), marked)
            except (OSError, PendingUnreadable) as exc:  # a documents folder this user may not write
                self.warn(f"{Path(folder) / PENDING}: read again, but the mark could not be cleared "
                          f"({getattr(exc, 'strerror', None) or exc}); the next ingest reads them again")
            self._folders[folder] -= reals
