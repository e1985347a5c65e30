"""Where a stored reading says its document is, and where a person finds it from here.

Why this exists: a path stored as typed (``../shared/docs/a.pdf``) names the document only
from the folder that ingest ran in; run from cron, another folder, or after the project
folder moved, it named nothing. So a source's path is stored the way git and DVC keep
theirs: relative to the store folder when the document lies under the store's parent
folder (a project folder holding both the store and its documents can move as a whole),
absolute otherwise (a store in ``~/.local/share`` reading ``~/Downloads``).

Stores written by earlier ofstl versions hold paths relative to the folder each ingest ran
in. They are never rewritten by a view; ``locate`` looks for a relative path from the store
folder, then from the store's parent folder, then from the current folder, and says which
one found it (``ingest --reread`` and ``--rebuild`` then store the path in today's form). A
``~`` a person wrote in a path is their home folder.

Telling an earlier ofstl's path from today's takes a look at the disk, so paths are resolved
only where they are shown or used (``show``, ``export``, a workbook's sources, an ingest's
re-read and moved-file check), never when the store is loaded: a view of a store of
thousands of documents that shows none of their paths looks at none of them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

# Where a relative stored path was found, when not where today's ofstl stores it from.
FROM_STORE_PARENT = "the store's parent folder"
FROM_CURRENT_FOLDER = "the current folder"


def stored_form(path: str, store_root: str | Path, cwd: str | None = None) -> str:
    """The path to store for a document read at ``path`` (as typed, from ``cwd``)."""
    here = cwd or os.getcwd()
    absolute = os.path.normpath(os.path.join(here, path))
    root = os.path.normpath(os.path.join(here, os.fspath(store_root)))
    if _under(absolute, os.path.dirname(root)):
        return Path(os.path.relpath(absolute, root)).as_posix()
    real, real_root = os.path.realpath(absolute), os.path.realpath(root)  # one named through a folder link
    if _under(real, os.path.dirname(real_root)):
        return Path(os.path.relpath(real, real_root)).as_posix()
    return absolute


def locate(stored: str, store_root: str | Path, cwd: str | None = None) -> tuple[str, str | None]:
    """(the absolute path of a stored source path, how an earlier ofstl's path was found or
    None). A relative path is taken from the store folder; one that is not there but is
    from the store's parent folder or the current folder (an earlier ofstl stored paths as
    typed) is taken from there. A document found nowhere is named where it should be."""
    here = cwd or os.getcwd()
    stored = os.path.expanduser(stored) if stored.startswith("~") else stored
    if os.path.isabs(stored):
        return os.path.normpath(stored), None
    root = os.path.normpath(os.path.join(here, os.fspath(store_root)))
    expected = os.path.normpath(os.path.join(root, stored))
    if os.path.lexists(expected):
        return expected, None
    real = os.path.normpath(os.path.join(os.path.realpath(root), stored))  # the store folder is a link
    if real != expected and os.path.lexists(real):
        return real, None
    for base, how in ((os.path.dirname(root), FROM_STORE_PARENT), (here, FROM_CURRENT_FOLDER)):
        candidate = os.path.normpath(os.path.join(base, stored))
        if os.path.lexists(candidate):
            return candidate, how
    return expected, None


def shown(absolute: str, cwd: str | None = None) -> str:
    """A path a person can open from the current folder: relative below it, else absolute."""
    here = cwd or os.getcwd()
    if _under(absolute, here) and absolute != os.path.normpath(here):
        return Path(os.path.relpath(absolute, here)).as_posix()
    return absolute


def resolved(stored: str, store_root: str | Path) -> tuple[str, str | None]:
    """(the path a person opens from the current folder for a stored source path, how an
    earlier ofstl's path was found or None: ``locate``); the stored path as it is when the
    current folder was deleted."""
    try:
        here = os.getcwd()
    except OSError:
        return stored, None
    where, how = locate(stored, store_root, here)
    return shown(where, here), how


def sources_shown(record: dict[str, Any], store_root: str | Path) -> dict[str, Any]:
    """A copy of ``record`` (stored, or exported) whose sources name each document where a
    person finds it from the current folder; the record itself is left as stored."""
    sources = record.get("sources")
    if not isinstance(sources, list):
        return record
    shown_sources = [dict(src, path=resolved(src["path"], store_root)[0])
                     if isinstance(src, dict) and isinstance(src.get("path"), str) and src["path"] else src for src in sources]
    return dict(record, sources=shown_sources)


def current_form(stored: str, store_root: str | Path) -> str:
    """A stored source path as today's ofstl stores it (``stored_form``) when its document
    is found; as it is when not (nothing to tell where it is)."""
    try:
        here = os.getcwd()
    except OSError:
        return stored
    where, how = locate(stored, store_root, here)
    if how is None and not os.path.lexists(where):
        return stored
    return stored_form(where, store_root, here)


def _under(path: str, folder: str) -> bool:
    folder = os.path.normpath(folder)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)
