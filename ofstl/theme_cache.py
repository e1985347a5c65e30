"""Theme tags remembered between runs, so a view does not rebuild the taxonomy every time.

Building the taxonomy (about 0.25 s) would dominate ``ofstl timeline``. Tags depend only on an
item's text and the taxonomy file, so they are cached per taxonomy (keyed by the file's
hash) in ``$OFSTL_CACHE`` or the user cache folder. A changed or user-supplied taxonomy gets
its own cache; an unwritable cache folder only costs speed.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import resources
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    base = os.environ.get("OFSTL_CACHE") or os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "ofstl")
    return Path(base)


# the code that applies a taxonomy's rules: tags cached under an unchanged taxonomy file are
# not reused once it changes (derived, so no version number to remember to bump)
TAGGING_CODE = ("themes.py", "theme_prefilter.py")


def taxonomy_digest(path: str | None) -> str:
    """Hash of the taxonomy's source (the packaged file, plus a user file when given) and of
    the code that applies it."""
    package = resources.files("ofstl")
    digest = hashlib.sha256((package / "data" / "themes.yaml").read_bytes())
    for name in TAGGING_CODE:
        digest.update((package / name).read_bytes())
    if path:
        try:
            digest.update(Path(path).read_bytes())
        except OSError:
            digest.update(path.encode())  # load_taxonomy will report the unreadable file
    return digest.hexdigest()[:20]


class ThemeCache:
    def __init__(self, taxonomy_path: str | None):
        self.taxonomy_path = taxonomy_path or None
        self.file = cache_dir() / f"themes-{taxonomy_digest(self.taxonomy_path)}.json"
        self._data: dict[str, Any] | None = None
        self._taxonomy: Any = None
        self._dirty = False

    def _load(self) -> dict[str, Any]:
        if self._data is None:
            try:
                data = json.loads(self.file.read_text(encoding="utf-8"))
                if not isinstance(data.get("tags"), dict) or not isinstance(data.get("labels"), dict):
                    raise ValueError
            except (OSError, ValueError, AttributeError, RecursionError):  # RecursionError: nested too deeply to decode
                data = {"labels": {}, "tags": {}}
            self._data = data
        return self._data

    def taxonomy(self) -> Any:
        if self._taxonomy is None:
            from ofstl.themes import load_taxonomy

            self._taxonomy = load_taxonomy(self.taxonomy_path)
        return self._taxonomy

    def tags(self, text: str) -> list[str]:
        key = hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]
        tags = self._load()["tags"]
        found = tags.get(key)
        # an entry of another shape (another version's cache, a hand edit) is worked out again
        if not isinstance(found, list) or not all(isinstance(t, str) for t in found):
            tags[key] = found = self.taxonomy().tag(text)
            self._dirty = True
        return list(found)

    def label(self, theme_id: str) -> str:
        labels = self._load()["labels"]
        if not isinstance(labels.get(theme_id), str):
            taxonomy = self.taxonomy()
            labels.update({i: taxonomy.label(i) for i in taxonomy.ids})
            self._dirty = True
        label = labels.get(theme_id, theme_id)
        return label if isinstance(label, str) else theme_id

    def save(self) -> None:
        if not self._dirty or self._data is None:
            return
        from ofstl.store_files import atomic_write

        try:  # a new file renamed over the old: a read-only home or a full disk only costs speed
            atomic_write(self.file, json.dumps(self._data, separators=(",", ":"), sort_keys=True), durable=False)
            self._dirty = False
        except OSError:
            pass
