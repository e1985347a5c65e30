"""The YAML store: one file per authority, written so that nothing is ever half-written.

Layout under the store directory::

    authorities/<slug>.yaml   one authority's inspection records (schema below)
    cache/<sha256>.json       extracted text of each document read, by content hash
    cache/records/<slug>.json a JSON copy of an authority file, keyed by its sha256
    cache/failed/<sha256>.json why a document could not be read (re-ingest skips it)
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

A writer killed between creating its temporary file and renaming it leaves a
``.<name>.<random>.tmp`` file behind: readers never look at those, and the next ingest
removes them once it holds the lock (no other writer can be running then).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from ofstl import authorities
from ofstl.errors import StoreError, UsageError

SCHEMA = 1
DEFAULT_STORE = "~/.local/share/ofstl"



def _yaml() -> tuple[Any, Any, Any]:
    """(yaml module, safe loader, safe dumper), imported on first use (views that find
    every JSON copy fresh never import it). The C loader and dumper are about ten times
    faster and write identical bytes."""
    import yaml

    try:
        return yaml, yaml.CSafeLoader, yaml.CSafeDumper
    except AttributeError:  # pragma: no cover - PyYAML built without libyaml
        return yaml, yaml.SafeLoader, yaml.SafeDumper


def store_path(option: str | None) -> Path:
    """--store, else $OFSTL_STORE, else the per-user default."""
    chosen = option or os.environ.get("OFSTL_STORE") or DEFAULT_STORE
    return Path(os.path.expanduser(chosen))


def dump_yaml(data: Any) -> str:
    yaml, _, dumper = _yaml()
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)


def load_yaml(text: str) -> Any:
    """Safe YAML loading (plain data only, never Python objects)."""
    yaml, loader, _ = _yaml()
    return yaml.load(text, Loader=loader)


TEMP_SUFFIX = ".tmp"


def is_temp_name(name: str) -> bool:
    """A writer's temporary file (``.<name>.<random>.tmp``), never a store file."""
    return name.startswith(".") and name.endswith(TEMP_SUFFIX)


def atomic_write(path: Path, text: str, *, durable: bool = True) -> None:
    """Replace ``path`` with ``text`` so that readers and crashes see the old or the new file.

    ``durable`` also fsyncs the file and its folder, so the new content survives a power
    cut once this returns (the text cache, which can be rebuilt, skips that).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
        if durable:
            dir_fd = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# Bump when the text extraction changes what it produces, so old cached text is not reused.
CACHE_VERSION = 1


class Store:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.dir = self.root / "authorities"
        self.cache_dir = self.root / "cache"
        self.copies_dir = self.cache_dir / "records"
        self.failed_dir = self.cache_dir / "failed"
        self.lock_fd: int | None = None  # the lock file's descriptor while this process holds it
        self._seen: dict[str, tuple[int, int]] = {}  # slug -> (mtime_ns, size) as last read or written

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

    def load(self, slug: str) -> dict[str, Any] | None:
        path = self.file_for(slug)
        try:
            with open(path, "rb") as fh:
                stat = os.fstat(fh.fileno())
                raw = fh.read()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(f"{path}: cannot read ({exc.strerror or exc})") from None
        digest = hashlib.sha256(raw).hexdigest()
        data = self._json_copy(slug, digest)
        if data is not None:
            self._seen[slug] = (stat.st_mtime_ns, stat.st_size)
            return data
        yaml = _yaml()[0]
        try:
            data = load_yaml(raw.decode("utf-8"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" line {mark.line + 1}:" if mark is not None else ""
            problem = " ".join(str(getattr(exc, "problem", None) or "not valid YAML").split())
            raise StoreError(f"{path}:{where} YAML error: {problem}; fix or remove the file (ofstl will not overwrite it)") from None
        except UnicodeDecodeError as exc:
            raise StoreError(f"{path}: not UTF-8 text (byte {exc.start}); fix or remove the file (ofstl will not overwrite it)") from None
        if not isinstance(data, dict) or data.get("ofstl_store") != SCHEMA or not isinstance(data.get("inspections"), list):
            raise StoreError(f"{path}: not an ofstl store file (schema {SCHEMA}); fix or remove it (ofstl will not overwrite it)")
        if data.get("authority") != slug or not all(isinstance(r, dict) for r in data["inspections"]):
            raise StoreError(f"{path}: not the store file of {slug!r} (authority {data.get('authority')!r}); fix or remove it (ofstl will not overwrite it)")
        self._seen[slug] = (stat.st_mtime_ns, stat.st_size)
        self._write_json_copy(slug, digest, data)
        return data

    # The JSON copies: a fast path for loading, never the truth.

    def _json_copy(self, slug: str, digest: str) -> dict[str, Any] | None:
        try:
            with open(self.copies_dir / f"{slug}.json", "rb") as fh:
                copy = json.loads(fh.read())
        except (OSError, ValueError):
            return None
        if not isinstance(copy, dict) or copy.get("sha256") != digest:
            return None
        data = copy.get("data")
        if not isinstance(data, dict) or data.get("ofstl_store") != SCHEMA or data.get("authority") != slug or not isinstance(data.get("inspections"), list):
            return None
        return data

    def _write_json_copy(self, slug: str, digest: str, data: dict[str, Any]) -> None:
        try:
            text = json.dumps({"sha256": digest, "data": data}, ensure_ascii=False, separators=(",", ":"))
            if json.loads(text)["data"] != data:  # e.g. a hand-written date or a number key
                return
            atomic_write(self.copies_dir / f"{slug}.json", text, durable=False)
        except (OSError, TypeError, ValueError):
            pass  # a read-only store, or data JSON cannot hold: load from YAML next time

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

    # ----------------------------------------------------------------- writing

    def save(self, slug: str, records: list[dict[str, Any]]) -> bool:
        """Write one authority's records; returns whether the file changed."""
        auth = authorities.get(slug)
        data = {
            "ofstl_store": SCHEMA,
            "authority": slug,
            "name": auth.display_name,
            "gss_code": auth.gss_code or None,
            "inspections": records,
        }
        text = dump_yaml(data)
        path = self.file_for(slug)
        try:
            stat = path.stat()
        except FileNotFoundError:
            stat = None
        if stat is not None:
            if self._seen.get(slug) != (stat.st_mtime_ns, stat.st_size):
                # Changed (or never read) since this process last saw it: never overwrite a
                # file we have not checked; load() raises StoreError if it is broken.
                self.load(slug)
            if stat.st_size == len(text.encode("utf-8")) and path.read_text(encoding="utf-8") == text:
                return False
        atomic_write(path, text)
        stat = path.stat()
        self._seen[slug] = (stat.st_mtime_ns, stat.st_size)
        self._write_json_copy(slug, hashlib.sha256(text.encode("utf-8")).hexdigest(), data)
        return True

    @contextmanager
    def lock(self, wait: float = 600.0, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
        """Exclusive lock for writers; a second ingest waits (``on_wait`` is told once).

        Once held, temporary files left by a writer that was killed are removed.
        """
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fh = open(self.root / ".lock", "a+")
        except OSError as exc:
            raise StoreError(f"{self.root}: cannot create the store ({exc.strerror or exc})") from None
        try:
            deadline = time.monotonic() + wait
            told = False
            while True:
                try:
                    fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise StoreError(f"{self.root}: another ofstl ingest has held the store lock for {wait:g} s; try again when it ends") from None
                    if on_wait is not None and not told:
                        on_wait()
                        told = True
                    time.sleep(0.05)
            self.lock_fd = fh.fileno()
            self.clean_temp()
            yield
        finally:
            self.lock_fd = None
            fh.close()

    def clean_temp(self) -> int:
        """Remove writers' leftover temporary files (call only while holding the lock)."""
        removed = 0
        for folder in (self.dir, self.cache_dir, self.copies_dir, self.failed_dir):
            try:
                names = os.listdir(folder)
            except OSError:
                continue
            for name in names:
                if is_temp_name(name):
                    try:
                        os.unlink(folder / name)
                        removed += 1
                    except OSError:
                        pass
        return removed

    # ----------------------------------------------------------------- text cache

    def cached_text(self, sha256: str) -> dict[str, Any] | None:
        """The cached extraction of a document, or None (missing, damaged or outdated)."""
        path = self.cache_dir / f"{sha256}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("ofstl_cache") != CACHE_VERSION or not isinstance(data.get("pages"), list):
            return None
        return data

    def cache_text(self, sha256: str, data: dict[str, Any]) -> None:
        """Cache a document's extraction; failing to write the cache is not an error."""
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            return
        try:
            atomic_write(self.cache_dir / f"{sha256}.json", json.dumps({"ofstl_cache": CACHE_VERSION, **data}, ensure_ascii=False, separators=(",", ":")), durable=False)
        except (OSError, ValueError):  # ValueError: text that cannot be written as UTF-8
            pass


    # ----------------------------------------------------------------- failures

    def failure(self, sha256: str) -> dict[str, Any] | None:
        """Why a document with these bytes could not be read last time, or None."""
        try:
            data = json.loads((self.failed_dir / f"{sha256}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("ofstl_cache") != CACHE_VERSION or not isinstance(data.get("reason"), str):
            return None
        return data

    def remember_failure(self, sha256: str, reason: str, **extra: Any) -> None:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            return
        try:
            text = json.dumps({"ofstl_cache": CACHE_VERSION, "reason": reason, **extra}, ensure_ascii=False)
            atomic_write(self.failed_dir / f"{sha256}.json", text, durable=False)
        except (OSError, ValueError):
            pass
