"""Weakness themes of an item under a chosen taxonomy, as an object the caller passes in.

The taxonomy is a setting (the packaged one, or a file named by ``--themes``); it used to
travel through ``os.environ``, so any code could change what every view saw. Now the CLI
builds one ``Tagger`` for the run and hands it to the views, and the views are the only
callers (renderers receive theme ids and labels already worked out). Tagging happens when a
view is made, not at ingest, so a changed taxonomy applies to everything stored; tags are
cached per taxonomy (``ofstl.theme_cache``) so that costs little.
"""

from __future__ import annotations

import atexit
from functools import lru_cache

from ofstl.theme_cache import ThemeCache


class Tagger:
    """Theme ids and labels under one taxonomy (``None``: the packaged one)."""

    def __init__(self, taxonomy_path: str | None = None):
        self.taxonomy_path = taxonomy_path or None
        self.cache = ThemeCache(self.taxonomy_path)

    def tags(self, text: str) -> list[str]:
        return self.cache.tags(text)

    def evidence(self, text: str) -> dict[str, list[str]]:
        """Why each theme applies: its ids with the words that matched (not cached: asked rarely)."""
        return self.cache.taxonomy().evidence(text)

    def label(self, theme_id: str) -> str:
        """The taxonomy's label for a theme; its id for a theme the taxonomy no longer has."""
        try:
            return self.cache.label(theme_id)
        except Exception:  # a broken user taxonomy is reported where it is loaded for tagging
            return theme_id

    def themes(self) -> list[tuple[str, str]]:
        """(id, label) of every theme of the taxonomy, in its order."""
        taxonomy = self.cache.taxonomy()
        return [(theme_id, taxonomy.label(theme_id)) for theme_id in taxonomy.ids]

    def save(self) -> None:
        self.cache.save()


@lru_cache(maxsize=4)
def tagger_for(taxonomy_path: str | None = None) -> Tagger:
    """One tagger per taxonomy per process; its cache is saved when the process ends."""
    tagger = Tagger(taxonomy_path)
    atexit.register(tagger.save)
    return tagger
