"""The store's caches: text extracted from each document, why a document failed, by content
hash, and the JSON copy of each authority file (``ofstl.store``), by the file's hash.

Everything here can be deleted at any time; it only saves time. Kept apart from
``ofstl.store`` (the authority files, which are the data) so that each stays short: ``Store``
takes these methods as a mixin and provides ``cache_dir``, ``copies_dir`` and ``failed_dir``.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from ofstl.schema import SCHEMA
from ofstl.store_files import MAX_STORE_FILE, atomic_write

# Bump when the text extraction changes what it produces, so old cached text is not reused.
CACHE_VERSION = 2
EXTRACTOR_VERSION = 1  # of ofstl.extract; a cache entry from another version is dropped


# the code that decides what a store file may hold: a JSON copy of an authority file was
# checked by the ofstl that wrote it, and is believed only by one that checks the same way
CHECKING_CODE = ("schema.py", "vocabulary.py", "parse/grades.py")


@lru_cache(maxsize=1)
def checks_digest() -> str:
    """Hash of the checking code (derived, so no version number to remember to bump)."""
    from importlib import resources

    package = resources.files("ofstl")
    digest = hashlib.sha256()
    for name in CHECKING_CODE:
        digest.update((package / name).read_bytes())
    return digest.hexdigest()[:20]


@lru_cache(maxsize=1)
def extractor_digest() -> str:
    """Hash of what makes a document's text: ``EXTRACTOR_VERSION``, the code of
    ``ofstl.extract`` and pdfminer's version (its ``__init__``, found without importing it),
    so an upgrade of either never reuses text the old one extracted."""
    import importlib.util
    from importlib import resources

    digest = hashlib.sha256(str(EXTRACTOR_VERSION).encode())
    folder = resources.files("ofstl") / "extract"
    for item in sorted(folder.iterdir(), key=lambda i: i.name):
        if item.name.endswith(".py"):
            digest.update(item.name.encode() + b"\0" + item.read_bytes())
    spec = importlib.util.find_spec("pdfminer")
    if spec is not None and spec.origin:
        digest.update(Path(spec.origin).read_bytes())
    return digest.hexdigest()[:20]


def data_digest(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")).hexdigest()


class StoreCaches:
    """The cache half of ``ofstl.store.Store``."""

    cache_dir: Path
    failed_dir: Path
    copies_dir: Path

    # The JSON copies: a fast path for loading, never the truth.

    def _json_copy(self, slug: str, digest: str) -> dict[str, Any] | None:
        """The copy's data when it was made from these YAML bytes and is intact: its first
        line holds the YAML's sha256 and the sha256 of the JSON text below it. Its data was
        checked against the schema before the copy was written, by checking code with the
        same hash (``checks_digest``): an ofstl that checks otherwise parses the YAML."""
        try:
            with open(self.copies_dir / f"{slug}.json", "rb") as fh:
                header = json.loads(fh.readline(4096))
                body = fh.read(MAX_STORE_FILE * 4 + 1)
            if (not isinstance(header, dict) or header.get("sha256") != digest or header.get("checks") != checks_digest()
                    or len(body) > MAX_STORE_FILE * 4
                    or header.get("data_sha256") != hashlib.sha256(body).hexdigest()):
                return None  # stale, damaged or edited: the YAML is parsed instead
            data = json.loads(body)
        except (OSError, ValueError, RecursionError):
            return None
        if not isinstance(data, dict) or data.get("ofstl_store") != SCHEMA or data.get("authority") != slug or not isinstance(data.get("inspections"), list):
            return None
        return data

    def _write_json_copy(self, slug: str, digest: str, data: dict[str, Any]) -> None:
        """Write the copy of checked ``data`` parsed from YAML bytes with sha256 ``digest``."""
        try:
            body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            if json.loads(body) != data:  # e.g. a number key
                return
            encoded = body.encode("utf-8")
            header = json.dumps({"ofstl_copy": 1, "sha256": digest, "checks": checks_digest(), "data_sha256": hashlib.sha256(encoded).hexdigest()})
            atomic_write(self.copies_dir / f"{slug}.json", header + "\n" + body, durable=False)
        except (OSError, TypeError, ValueError, RecursionError):
            pass  # a read-only store, or data JSON cannot hold: load from YAML next time

    # ----------------------------------------------------------------- text cache

    def cached_text(self, sha256: str) -> dict[str, Any] | None:
        """The cached extraction of a document, or None (missing, damaged, edited, or from
        another extractor version): an entry carries the hash of its own pages and is
        dropped when they do not match."""
        path = self.cache_dir / f"{sha256}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return None
        if (not isinstance(data, dict) or data.get("ofstl_cache") != CACHE_VERSION or data.get("extractor") != extractor_digest()
                or data.get("sha256") != sha256 or not isinstance(data.get("pages"), list)):
            self._drop(path)
            return None
        try:
            if data.get("pages_sha256") != data_digest(data["pages"]):
                self._drop(path)
                return None
        except (TypeError, ValueError, RecursionError):
            self._drop(path)
            return None
        return data

    def _drop(self, path: Path) -> None:
        try:
            path.unlink()
        except OSError:
            pass

    def cache_text(self, sha256: str, data: dict[str, Any]) -> None:
        """Cache a document's extraction; failing to write the cache is not an error."""
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            return
        try:
            entry = {"ofstl_cache": CACHE_VERSION, "extractor": extractor_digest(), **data, "sha256": sha256,
                     "pages_sha256": data_digest(data.get("pages"))}
            atomic_write(self.cache_dir / f"{sha256}.json", json.dumps(entry, ensure_ascii=False, separators=(",", ":")), durable=False)
        except (OSError, ValueError, TypeError):  # ValueError: text that cannot be written as UTF-8
            pass

    # ----------------------------------------------------------------- failures

    def failure(self, sha256: str) -> dict[str, Any] | None:
        """Why a document with these bytes could not be read last time, or None."""
        try:
            data = json.loads((self.failed_dir / f"{sha256}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return None
        if not isinstance(data, dict) or data.get("ofstl_cache") != CACHE_VERSION or not isinstance(data.get("reason"), str):
            return None
        return data

    def forget_failure(self, sha256: str) -> None:
        """The document was read after all (--retry-failed, a longer time limit): its old
        failure no longer stands for its bytes."""
        if len(sha256) == 64 and all(c in "0123456789abcdef" for c in sha256):
            self._drop(self.failed_dir / f"{sha256}.json")

    def remember_failure(self, sha256: str, reason: str, **extra: Any) -> None:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            return
        try:
            text = json.dumps({"ofstl_cache": CACHE_VERSION, "reason": reason, **extra}, ensure_ascii=False)
            atomic_write(self.failed_dir / f"{sha256}.json", text, durable=False)
        except (OSError, ValueError):
            pass
