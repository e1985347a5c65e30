"""The YAML store: one file per authority, written so that nothing is ever half-written.

Layout under the store directory::

    authorities/<slug>.yaml   one authority's inspection records (schema below)
    cache/<sha256>.json       extracted text of each document read, by content hash
    cache/records/<slug>.json a JSON copy of an authority file, keyed by its sha256
    cache/failed/<sha256>.json why a document could not be read (re-ingest skips it)
    written/<slug>            sha256 of what ofstl last wrote to an authority file
    .lock                     held by an ingest while it writes

Files are written to a temporary file in the same directory, flushed and fsync'd, then
renamed over the old one, so a reader (or a crash) sees the old file or the new one, never
a mix. Loading uses only YAML's safe loader; a file that does not parse is reported with its
line and is never overwritten. File names come only from canonical authority slugs.

YAML is the store (people read and edit it), but parsing it builds Python objects in Python
and costs about 8 ms for an authority with a dozen inspections, so every load also keeps a
JSON copy of what it parsed, keyed by the YAML file's sha256: the next load reads the bytes,
hashes them and takes the JSON copy when the hash matches (ten times faster). Any edit to
the YAML changes its hash, so the copy is never stale; the copy is written only when the
parsed data survives a JSON round trip unchanged, and can always be deleted.

Loading trusts nothing it reads: a file over ``MAX_STORE_FILE`` is refused unread, YAML
anchors and aliases are refused while the file is composed (before a nest of aliases can
expand into gigabytes), and the parsed data is checked record by record against
``ofstl.schema``. A JSON copy carries the sha256 of its own data as well as the YAML's, and
is checked like the YAML. The ``corrections:`` block (``ofstl.corrections``) is applied on
load; ingest keeps it. Source paths are left as stored: ``ofstl.source_paths`` resolves them
where they are shown or used, so loading looks at no document. A file whose bytes are not
what ofstl last wrote (``written/``) and not what it would write for the same sources was
edited by hand: ``save`` refuses to overwrite it (``HandEdited``) unless asked to rebuild it; nor does it replace a file another
program wrote since this process read it, whose records the new ones were not built from.

A writer killed between creating its temporary file and renaming it leaves a
``.<name>.<random>.tmp`` file behind: readers never look at those, and the next ingest
removes them once it holds the lock (``ofstl.store_lock``; no other writer can be running then).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, Callable, Iterator

from ofstl import authorities
from ofstl.errors import StoreError, UsageError
from ofstl.safe_text import escape_controls
from ofstl.hand_edits import corrections_block, first_difference, keep_block_text, source_observations
from ofstl.schema import SCHEMA, SchemaProblem, check_store_data
from ofstl.store_files import (  # noqa: F401  (re-exported: the store's file handling)
    DEFAULT_STORE, MAX_STORE_FILE, TEMP_SUFFIX, atomic_write, check_root, dump_yaml, is_temp_name, load_yaml, store_path,
)
from ofstl.store_files import yaml_modules
from ofstl.store_lock import StoreLock
from ofstl.store_cache import CACHE_VERSION, EXTRACTOR_VERSION, StoreCaches, checks_digest, data_digest  # noqa: F401  (re-exported)

KEEP = "fix or remove it (ofstl will not overwrite it)"


class HandEdited(StoreError):
    """An authority file changed by hand since ofstl wrote it: ingest leaves it alone."""

    @classmethod
    def of(cls, path: Path, slug: str, reason: str) -> "HandEdited":
        return cls(f"{path} was edited by hand ({reason}); ofstl left it as it is",
                   f"keep the edit as a correction (ofstl correct {slug} WHEN KEY VALUE --note WHY), "
                   f"then rebuild the file from its sources (ofstl ingest --rebuild {slug})")



class Store(StoreCaches, StoreLock):
    def __init__(self, root: Path):
        self.root = Path(root)
        self.dir = self.root / "authorities"
        self.cache_dir = self.root / "cache"
        self.copies_dir = self.cache_dir / "records"
        self.failed_dir = self.cache_dir / "failed"
        self.written_dir = self.root / "written"
        self.lock_fd: int | None = None  # the lock file's descriptor while this process holds it
        # slug -> ((mtime_ns, size, sha256), hand-edit reason or None) of the file as last
        # read or written by this process, and the file's corrections then
        self._verdicts: dict[str, tuple[tuple[int, int, str], str | None]] = {}
        self._corrections: dict[str, list[dict[str, Any]]] = {}
        # slug -> (sha256 of the file, digest of its inspections) as this process last parsed
        # or wrote it (None: there was no file), so a save never replaces a file another
        # program wrote since with records built from the old one
        self._bases: dict[str, tuple[str, str] | None] = {}
        # what a person should know about a write that succeeded (the library never prints:
        # the caller shows these, then clears them)
        self.notices: list[str] = []

    # ----------------------------------------------------------------- reading

    def slugs(self) -> list[str]:
        if not self.dir.is_dir():
            return []
        known = authorities.by_slug()
        return sorted(p.stem for p in self.dir.glob("*.yaml") if p.stem in known and not is_temp_name(p.name))

    def file_for(self, slug: str) -> Path:
        if slug not in authorities.by_slug():
            raise UsageError(f"not an authority slug: {slug!r}")
        return self.dir / f"{slug}.yaml"

    def _read(self, slug: str) -> tuple[bytes, os.stat_result] | None:
        path = self.file_for(slug)
        try:
            with open(path, "rb") as fh:
                stat = os.fstat(fh.fileno())
                if stat.st_size > MAX_STORE_FILE:
                    raise StoreError(f"{path}: {stat.st_size} bytes, more than a store file can be ({MAX_STORE_FILE // 2**20} MB); {KEEP}")
                raw = fh.read(MAX_STORE_FILE + 1)
        except FileNotFoundError:
            return None
        except IsADirectoryError:
            raise StoreError(f"{path}: a folder, not a store file; {KEEP}") from None
        except OSError as exc:
            raise StoreError(f"{path}: cannot read ({exc.strerror or exc})") from None
        if len(raw) > MAX_STORE_FILE:
            raise StoreError(f"{path}: more than a store file can be ({MAX_STORE_FILE // 2**20} MB); {KEEP}")
        return raw, stat

    def parse(self, slug: str, raw: bytes) -> dict[str, Any]:
        """The file's bytes -> its checked data (corrections not applied); StoreError if
        they are not a well-formed store file of ``slug``."""
        path = self.file_for(slug)
        if not raw.strip():  # nothing to fix: what it held is gone (ofstl never writes one empty)
            raise StoreError(f"{path}: the file is empty; remove it and ingest its documents again (ofstl will not overwrite it)")
        yaml = yaml_modules()[0]
        try:
            data = load_yaml(raw.decode("utf-8"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" line {mark.line + 1}:" if mark is not None else ""
            problem = " ".join(str(getattr(exc, "problem", None) or "not valid YAML").split())
            raise StoreError(f"{path}:{where} YAML error: {escape_controls(problem)}; {KEEP}") from None
        except UnicodeDecodeError as exc:
            raise StoreError(f"{path}: not UTF-8 text (byte {exc.start}); {KEEP}") from None
        except (RecursionError, MemoryError):
            raise StoreError(f"{path}: nested too deeply or too large to read; {KEEP}") from None
        self.check(slug, data)
        return data

    def check(self, slug: str, data: Any) -> None:
        try:
            check_store_data(data, slug)
        except SchemaProblem as exc:
            newer = isinstance(data, dict) and type(data.get("ofstl_store")) is int and data["ofstl_store"] > SCHEMA
            # a newer ofstl's file is not broken: "fix or remove it" would have lost its data
            keep = "upgrade ofstl to read it (this one will not overwrite it)" if newer else KEEP
            raise StoreError(f"{self.file_for(slug)}: {exc}; {keep}") from None
        except RecursionError:
            raise StoreError(f"{self.file_for(slug)}: nested too deeply; {KEEP}") from None

    def load(self, slug: str, *, raw: bool = False, trust_copy: bool = True) -> dict[str, Any] | None:
        """An authority's data, checked, with its corrections applied (``raw``: as stored).
        ``trust_copy=False`` parses the YAML even when a JSON copy matches (ingest does)."""
        read = self._read(slug)
        if read is None:
            if not trust_copy:
                self._bases[slug] = None
            return None
        content, stat = read
        digest = hashlib.sha256(content).hexdigest()
        data = self._json_copy(slug, digest) if trust_copy else None
        if data is None:
            data = self.parse(slug, content)
            self._write_json_copy(slug, digest, data)
        if not trust_copy:  # a writer's load: know now whether the file is ofstl's own
            self._verdict(slug, content, stat, digest, data)
            self._bases[slug] = (digest, data_digest(data["inspections"]))
        self._corrections[slug] = list(data.get("corrections") or [])
        if raw:
            return data
        from ofstl.corrections import apply

        return apply(data)

    def corrections_of(self, slug: str) -> list[dict[str, Any]]:
        """The corrections block of the authority's file as this process last loaded it."""
        return list(self._corrections.get(slug, []))

    def load_all(self, on_error: Callable[[StoreError], None] | None = None) -> Iterator[dict[str, Any]]:
        """Every authority file, in slug order. A broken file raises StoreError, or, with
        ``on_error``, is passed to it and skipped."""
        for slug in self.slugs():
            try:
                data = self.load(slug)
            except StoreError as exc:
                if on_error is None:
                    raise
                exc.slug = slug  # type: ignore[attr-defined]
                on_error(exc)
                continue
            if data is not None:
                yield data

    # ----------------------------------------------------------------- hand edits

    def _written(self, slug: str) -> set[str]:
        try:
            text = (self.written_dir / slug).read_text(encoding="ascii")
        except (OSError, ValueError):
            return set()
        return {line for line in text.split() if len(line) == 64}

    def _remember_written(self, slug: str, digests: list[str]) -> None:
        # durable, as the authority file it records: a crash must not keep the file ofstl
        # wrote and lose the hash that says so (the file would then look edited by hand)
        try:
            atomic_write(self.written_dir / slug, "".join(d + "\n" for d in digests))
        except OSError:
            pass  # without it, a file is still recognised by its content (see hand_edit)

    def hand_edit(self, slug: str, content: bytes, data: dict[str, Any], digest: str | None = None) -> str | None:
        """Why the file looks edited by hand, or None when ofstl wrote it: its sha256
        (``digest``, when the caller has it) is what ofstl last wrote, or its records are
        exactly what ofstl builds from its sources (a store from before the hashes were
        kept). The corrections block is the documented place for hand edits and never counts."""
        if (digest or hashlib.sha256(content).hexdigest()) in self._written(slug):
            return None
        from ofstl.records import build_records

        try:
            rebuilt = build_records(slug, source_observations(data["inspections"]))
        except Exception:  # noqa: BLE001 - sources too damaged to rebuild from: edited by hand
            rebuilt = None
        if rebuilt is None:
            return "its sources cannot be rebuilt into records"
        if rebuilt != data["inspections"]:
            return first_difference(data["inspections"], rebuilt)
        text = content.decode("utf-8")
        before, _, after = corrections_block(text)
        mine = dump_yaml(self._document(slug, data["inspections"], []))
        if before + after != mine:
            return "its text differs from what ofstl writes (a comment or a layout change?)"
        return None

    # ----------------------------------------------------------------- writing

    def _document(self, slug: str, records: list[dict[str, Any]], corrections: list[dict[str, Any]]) -> dict[str, Any]:
        auth = authorities.get(slug)
        data: dict[str, Any] = {"ofstl_store": SCHEMA, "authority": slug, "name": auth.display_name, "gss_code": auth.gss_code or None}
        if corrections:
            data["corrections"] = corrections
        data["inspections"] = records
        return data

    def _verdict(self, slug: str, content: bytes, stat: os.stat_result, digest: str, data: dict[str, Any] | None = None) -> str | None:
        """Whether the file as read (``digest``: its bytes' sha256) is a hand edit (its
        reason) or ofstl's own (None), worked out once per version of the file."""
        key = (stat.st_mtime_ns, stat.st_size, digest)
        known = self._verdicts.get(slug)
        if known is None or known[0] != key:
            if data is None:
                data = self.parse(slug, content)  # raises StoreError if it is broken
            self._corrections[slug] = list(data.get("corrections") or [])
            known = (key, self.hand_edit(slug, content, data, digest))
            self._verdicts[slug] = known
        return known[1]

    def edited(self, slug: str) -> str | None:
        """Why the file as this process last read or wrote it is a hand edit, or None."""
        known = self._verdicts.get(slug)
        return known[1] if known else None

    def save(self, slug: str, records: list[dict[str, Any]], *, corrections: list[dict[str, Any]] | None = None,
             rebuild: bool = False, keep_edits: bool = False) -> bool:
        """Write one authority's records (keeping the file's corrections unless given);
        returns whether the file changed.

        The file as it is now is parsed (never the JSON copy) unless this process has seen
        this very version; one edited by hand raises ``HandEdited`` unless ``rebuild``.
        With ``keep_edits`` (``ofstl correct`` adding to a hand-edited file) the new file
        is written but not recorded as ofstl's own, so the hand edit stays protected.
        """
        path = self.file_for(slug)
        read, old_digest, reason, corrections, data, text = self._prepare(slug, records, corrections, rebuild, keep_edits)
        digests = [old_digest] if old_digest is not None and reason is None else []
        encoded = text.encode("utf-8")
        digest = hashlib.sha256(encoded).hexdigest()
        ours = reason is None or rebuild
        if read is not None and read[0] == encoded:
            if ours and digest not in self._written(slug):
                self._remember_written(slug, [digest])
            self._bases[slug] = (digest, data_digest(records))
            return False
        if ours:
            # Both hashes while the file is being replaced, so a kill at any moment leaves
            # a file that is recognised as ofstl's own.
            self._remember_written(slug, digests + [digest])
        target, replaced_link = self._write_target(slug)
        try:
            atomic_write(target, text, before_replace=lambda: self._check_same_file(slug, read))
        except OSError as exc:  # a full disk, a read-only or vanished folder: the old file stays whole
            raise StoreError(f"{path}: cannot write it ({exc.strerror or exc}); it is as it was") from None
        if replaced_link:
            self.notices.append(replaced_link)
        self._bases[slug] = (digest, data_digest(records))
        stat = path.stat()
        self._corrections[slug] = list(corrections)
        self._verdicts[slug] = ((stat.st_mtime_ns, stat.st_size, digest), None if ours else reason)
        if ours:
            self._remember_written(slug, [digest])
        self._write_json_copy(slug, digest, data)
        return True

    def _write_target(self, slug: str) -> tuple[Path, str | None]:
        """(where ``save`` writes ``slug``'s file, what to tell a person or None). A file that
        is a link into the store folder (a person keeps it elsewhere in the store) is written
        through: its target is replaced and the link stays. A link out of the store folder, or
        to another authority's file, is replaced by the file, as a rename replaces any link (a
        file outside the store is not ofstl's to write); the message says so."""
        path = self.file_for(slug)
        if not path.is_symlink():
            return path, None
        target = Path(os.path.realpath(path))
        root = os.path.realpath(self.root)
        inside = str(target).startswith(root.rstrip(os.sep) + os.sep)
        other = target.parent == Path(os.path.realpath(self.dir)) and target.suffix == ".yaml"
        if inside and not other:
            return target, None
        where = "another authority's file" if inside else "outside the store folder"
        return path, f"{path} was a link to {target} ({where}): ofstl wrote the file in the link's place; {target} is as it was"

    def check_save(self, slug: str, records: list[dict[str, Any]], *, rebuild: bool = False) -> None:
        """Raise what ``save`` of these records would raise before it writes (a hand edit, a
        file another program changed, records that could not be read back, the lock lost),
        writing nothing: a change spanning several files checks each before writing any."""
        self._prepare(slug, records, None, rebuild, False)

    def _prepare(self, slug: str, records: list[dict[str, Any]], corrections: list[dict[str, Any]] | None, rebuild: bool,
                 keep_edits: bool) -> tuple[tuple[bytes, os.stat_result] | None, str | None, str | None, list[dict[str, Any]], dict[str, Any], str]:
        """Every check ``save`` makes before writing: (the file as read, its sha256, its hand
        edit or None, the corrections, the document, its text)."""
        path = self.file_for(slug)
        read = self._read(slug)
        reason = old_digest = None  # the file's bytes are hashed once, here
        if read is not None:
            old_digest = hashlib.sha256(read[0]).hexdigest()
            reason = self._verdict(slug, read[0], read[1], old_digest)
            if reason and not rebuild and not keep_edits:
                raise HandEdited.of(path, slug, reason)
        self._check_unchanged(slug, read, old_digest)
        self.check_still_locked()
        if corrections is None:
            corrections = self._corrections.get(slug, [])
        data = self._document(slug, records, corrections)
        self.check(slug, data)  # never write what could not be read back
        text = dump_yaml(data)
        if read is not None and corrections:
            text = keep_block_text(read[0], text, corrections)
        return read, old_digest, reason, corrections, data, text

    def _check_unchanged(self, slug: str, read: tuple[bytes, os.stat_result] | None, digest: str | None) -> None:
        """StoreError when another program wrote the file since this process parsed it (a
        backup restored, an editor saving mid-run): the records to be written were built from
        the old file and would lose what it wrote. A change to the corrections block alone
        (its ``_corrections`` are taken up) or a file deleted meanwhile (rewritten whole) is no
        loss. ``digest``: the sha256 of the bytes read."""
        if slug not in self._bases or read is None:
            return
        base = self._bases[slug]
        if base is not None and base[0] == digest:
            return
        if base is not None and data_digest(self.parse(slug, read[0])["inspections"]) == base[1]:
            return
        raise self._changed(slug)

    def _changed(self, slug: str) -> StoreError:
        return StoreError(f"{self.file_for(slug)} was changed by another program while ofstl worked on it; ofstl left it as it is",
                          "run the command again: it reads the file as it is now")

    def _check_same_file(self, slug: str, read: tuple[bytes, os.stat_result] | None) -> None:
        """Just before the rename: the file is still the one ``save`` read (an editor saving
        while the new file was written and flushed is not replaced)."""
        try:
            now = os.stat(self.file_for(slug))
        except FileNotFoundError:
            now = None
        if (now is None) != (read is None) or (now is not None and read is not None and (now.st_ino, now.st_mtime_ns, now.st_size)
                                                != (read[1].st_ino, read[1].st_mtime_ns, read[1].st_size)):
            raise self._changed(slug)
