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
one found it (``ingest --reread`` then stores the path in today's form).
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


def show_sources(data: dict[str, Any], store_root: str | Path) -> dict[str, str]:
    """Each source's path in an authority's ``data`` made the path a person opens from the
    current folder, in place; returns {path shown: how} for an earlier ofstl's paths found
    from elsewhere than the store folder (``locate``)."""
    try:
        here = os.getcwd()
    except OSError:  # the current folder was deleted: the paths as stored
        return {}
    elsewhere: dict[str, str] = {}
    for record in data["inspections"]:
        for src in record.get("sources") or []:
            if isinstance(src, dict) and isinstance(src.get("path"), str) and src["path"]:
                where, how = locate(src["path"], store_root, here)
                src["path"] = shown(where, here)
                if how:
                    elsewhere[src["path"]] = how
    return elsewhere


def _under(path: str, folder: str) -> bool:
    folder = os.path.normpath(folder)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)
