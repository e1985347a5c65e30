"""The YAML store: one file per authority, written so that nothing is ever half-written.

Layout under the store directory::

    authorities/<slug>.yaml   one authority's inspection records (schema below)
    cache/<sha256>.json       extracted text of each document read, by content hash
    .lock                     held by an ingest while it writes

Files are written to a temporary file in the same directory, flushed and fsync'd, then
renamed over the old one, so a reader (or a crash) sees the old file or the new one, never
a mix. Loading uses only YAML's safe loader; a file that does not parse is reported with its
line and is never overwritten. File names come only from canonical authority slugs.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import yaml

from ofstl import authorities
from ofstl.errors import StoreError, UsageError

SCHEMA = 1
DEFAULT_STORE = "~/.local/share/ofstl"

try:  # The C loader and dumper are about ten times faster and write identical bytes.
    _Loader: Any = yaml.CSafeLoader
    _Dumper: Any = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader
    _Dumper = yaml.SafeDumper


def store_path(option: str | None) -> Path:
    """--store, else $OFSTL_STORE, else the per-user default."""
    chosen = option or os.environ.get("OFSTL_STORE") or DEFAULT_STORE
    return Path(os.path.expanduser(chosen))


def dump_yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)


def atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


class Store:
    def __init__(self, root: Path):
        self.root = root
        self.dir = root / "authorities"
        self.cache_dir = root / "cache"

    # ----------------------------------------------------------------- reading

    def slugs(self) -> list[str]:
        if not self.dir.is_dir():
            return []
        known = authorities.by_slug()
        return sorted(p.stem for p in self.dir.glob("*.yaml") if p.stem in known)

    def file_for(self, slug: str) -> Path:
        if slug not in authorities.by_slug():
            raise UsageError(f"not an authority slug: {slug!r}")
        return self.dir / f"{slug}.yaml"

    def load(self, slug: str) -> dict[str, Any] | None:
        path = self.file_for(slug)
        if not path.exists():
            return None
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" line {mark.line + 1}" if mark is not None else ""
            problem = getattr(exc, "problem", None) or "not valid YAML"
            raise StoreError(f"{path}:{where}: {problem}; fix or remove the file (ofstl will not overwrite it)") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise StoreError(f"{path}: cannot read ({exc})") from None
        if not isinstance(data, dict) or data.get("ofstl_store") != SCHEMA or not isinstance(data.get("inspections"), list):
            raise StoreError(f"{path}: not an ofstl store file (schema {SCHEMA}); fix or remove it")
        return data

    def load_all(self) -> Iterator[dict[str, Any]]:
        for slug in self.slugs():
            data = self.load(slug)
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
        if path.exists() and path.read_text(encoding="utf-8") == text:
            return False
        atomic_write(path, text)
        return True

    @contextmanager
    def lock(self, wait: float = 600.0) -> Iterator[None]:
        """Exclusive lock for writers; a second ingest waits for the first."""
        self.root.mkdir(parents=True, exist_ok=True)
        fh = open(self.root / ".lock", "a+")
        try:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise StoreError(f"{self.root}: another ofstl ingest holds the store lock; try again when it ends") from None
                    time.sleep(0.1)
            yield
        finally:
            fh.close()

    # ----------------------------------------------------------------- text cache

    def cached_text(self, sha256: str) -> dict[str, Any] | None:
        path = self.cache_dir / f"{sha256}.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def cache_text(self, sha256: str, data: dict[str, Any]) -> None:
        atomic_write(self.cache_dir / f"{sha256}.json", json.dumps(data, ensure_ascii=False, separators=(",", ":")))
