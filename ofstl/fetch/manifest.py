"""The fetch manifest (``DIR/manifest.jsonl``) and the fetch state (``DIR/.fetch-state.json``).

The manifest is the record of what was downloaded: one JSON object per publication
(SPEC section 4: ``authority, urn, label, kind, published, url, file, sha256, bytes,
fetched_at``), appended and synced as each file lands, so an interrupted fetch keeps the
record of everything it finished. A later line for the same URL and authority replaces an
earlier one (a publication listed under two authorities has a line, and a file, under each);
the earlier lines still describe the files they name (a report the site re-issued keeps its
earlier file, and that file its line).
``ofstl ingest`` reads it to learn what a document cannot say about itself: when Ofsted
published it (ILACS reports never print the date) and the provider's URN.

The state file keeps, per page, the validators (ETag, Last-Modified) and what the page
listed, so a re-run asks the site only whether each page changed. It is a cache: deleting
it costs one full look at the site, never a download.
"""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator

from ofstl.store_files import atomic_write

MANIFEST = "manifest.jsonl"
STATE = ".fetch-state.json"
LOCK = ".fetch.lock"
FIELDS = ("authority", "urn", "label", "kind", "published", "url", "file", "sha256", "bytes", "fetched_at")


class ManifestUnreadable(Exception):
    """A manifest there but not readable (a folder by that name, no permission, a disk error);
    the message names it."""


def manifest_lines(folder: Path, skipped: list[int] | None = None) -> list[dict[str, Any]]:
    """Every entry of the manifest, oldest first. Lines that do not read as an entry are left
    out, their numbers added to ``skipped``: all but a line of ofstl's own cut short by a
    crash (the file it names is checked again), which is no news to anyone."""
    entries: list[dict[str, Any]] = []
    path = Path(folder) / MANIFEST
    try:
        with open(path, "rb") as fh:
            for number, line in enumerate(fh, 1):
                try:
                    entry = json.loads(line.decode("utf-8")) if line.strip() else None
                except (ValueError, RecursionError):  # UnicodeDecodeError too: a cut in the middle of a character
                    entry = "cut" if line.startswith(b'{"authority": ') and not line.rstrip().endswith(b"}") else "unreadable"
                if isinstance(entry, dict) and isinstance(entry.get("url"), str):
                    entries.append(entry)
                elif entry not in (None, "cut") and skipped is not None:  # edited by hand, or another program's
                    skipped.append(number)
    except FileNotFoundError:
        pass
    return entries


def skipped_lines(folder: Path, numbers: list[int]) -> str:
    """A manifest's lines ``manifest_lines`` left out, in one line for a person to find them."""
    shown = ", ".join(map(str, numbers[:10])) + (f" and {len(numbers) - 10} more" if len(numbers) > 10 else "")
    verb = "does" if len(numbers) == 1 else "do"
    return (f"{Path(folder) / MANIFEST}: line{'s' if len(numbers) != 1 else ''} {shown} {verb} not read as a manifest entry "
            "(edited by hand?); left out, and the file kept as it is")


def read_manifest(folder: Path) -> dict[str, dict[str, Any]]:
    """url -> entry (the last line for each URL)."""
    return {entry["url"]: entry for entry in manifest_lines(folder)}


def read_entries(folder: Path, skipped: list[int] | None = None) -> dict[tuple[str | None, str], dict[str, Any]]:
    """(authority, url) -> entry (the last line for each): a publication the site lists under
    two authorities (a joint inspection, a shared service's report) has a file under each."""
    return {(entry.get("authority"), entry["url"]): entry for entry in manifest_lines(folder, skipped)}


def append_manifest(folder: Path, entry: dict[str, Any]) -> None:
    line = json.dumps({k: entry.get(k) for k in FIELDS}, ensure_ascii=False, sort_keys=False) + "\n"
    path = Path(folder) / MANIFEST
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as fh:
        if fh.tell() > 0:
            fh.seek(-1, os.SEEK_END)
            if fh.read(1) != b"\n":
                line = "\n" + line  # a line cut short by a crash stays on a line of its own
        fh.write(line.encode("utf-8"))
        fh.flush()
        os.fsync(fh.fileno())


@contextmanager
def folder_lock(folder: Path) -> Iterator[bool]:
    """Hold ``DIR/.fetch.lock`` while a fetch writes DIR: yields False (at once) when another
    fetch holds it. Two fetches into one folder (a nightly job still running when the next
    starts) wrote the same part files and the same manifest lines. Released when the
    process ends, however it ends."""
    import fcntl

    Path(folder).mkdir(parents=True, exist_ok=True)
    with open(Path(folder) / LOCK, "a") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def read_state(folder: Path) -> dict[str, Any]:
    try:
        with open(Path(folder) / STATE, encoding="utf-8") as fh:
            data = json.load(fh)
        return data if isinstance(data, dict) and isinstance(data.get("pages"), dict) else {"pages": {}}
    except (ValueError, OSError, RecursionError):
        return {"pages": {}}


def write_state(folder: Path, state: dict[str, Any]) -> None:
    # as the store writes its files: whole or not at all, with the permissions the umask gives
    # (a documents folder shared by a group shares its state too)
    atomic_write(Path(folder) / STATE, json.dumps(state, indent=1, sort_keys=True), tidy=True)


# --------------------------------------------------------------------------- for ingest


@lru_cache(maxsize=64)
def _by_sha(manifest: str, mtime_ns: int, size: int) -> tuple[dict[str, list[dict[str, Any]]], tuple[int, ...]]:
    """(sha256 -> entries, the numbers of the lines left out). Keyed by mtime and size: a line
    appended within one tick of a coarse clock (or with the clock set back) leaves the mtime
    as it was, never the size."""
    found: dict[str, list[dict[str, Any]]] = {}
    skipped: list[int] = []
    try:
        lines = manifest_lines(Path(manifest).parent, skipped)  # every line: an earlier file keeps its own
    except OSError as exc:
        raise ManifestUnreadable(f"{manifest}: cannot read it ({exc.strerror or exc})") from None
    for entry in lines:
        if isinstance(entry.get("sha256"), str):
            found.setdefault(entry["sha256"], []).insert(0, entry)  # the latest first
    return found, tuple(skipped)


def _same_authority(a: Any, b: Any) -> bool:
    if not isinstance(a, str) or not isinstance(b, str):
        return False
    from ofstl import authorities

    return (authorities.continued_by(a) or a) == (authorities.continued_by(b) or b)


def entry_for(path: str | Path, sha256: str, authority: str | None = None,
              on_skipped: Callable[[Path, list[int]], None] | None = None) -> dict[str, Any] | None:
    """The manifest entry for a document, from a manifest in its folder or the one above.

    Matched by content hash, so a renamed or moved copy still finds its entry; the folder
    layout fetch writes is ``DIR/<authority>/<file>`` with the manifest in ``DIR``. The same
    bytes listed under two authorities have an entry for each: the one of ``authority`` (the
    authority the document is about) is taken, else the latest. ``on_skipped`` hears of a
    manifest's lines left out (``manifest_lines``); one that cannot be read at all raises
    ``ManifestUnreadable``: the document's date is there, and must not be stored without it.
    """
    here = Path(path).resolve().parent
    for folder in (here, here.parent):
        manifest = folder / MANIFEST
        try:
            stat = manifest.stat()
        except OSError:
            continue
        by_sha, skipped = _by_sha(str(manifest), stat.st_mtime_ns, stat.st_size)
        if skipped and on_skipped is not None:
            on_skipped(folder, list(skipped))
        entries = by_sha.get(sha256)
        if entries:
            return next((e for e in entries if _same_authority(e.get("authority"), authority)), entries[0])
    return None


def annotate(doc: Any, path: str | Path | None = None, on_skipped: Callable[[Path, list[int]], None] | None = None) -> bool:
    """Give a parsed document what its fetch manifest knows: publication date and URN.

    Only the inspection the document is about is touched, and a date the document prints
    itself wins. ``path`` is the file as found on disk (``doc.path`` may be printable-escaped).
    Returns True when a manifest entry was found.
    """
    entry = entry_for(path or doc.path, doc.sha256, getattr(doc, "authority", None), on_skipped)
    if entry is None:
        return False
    subject = doc.subject
    if subject is None:
        return True
    published = entry.get("published")
    if not subject.published and isinstance(published, str) and len(published) == 10:
        subject.published = published
        subject.evidence["published"] = {"method": "manifest", "text": f"{entry.get('label') or ''} - {published}".strip(" -")}
    urn = entry.get("urn")
    if isinstance(urn, str) and urn.isdigit():
        subject.evidence["urn"] = {"method": "manifest", "text": urn}
    return True
