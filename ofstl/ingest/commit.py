"""The store side of an ingest: what is already stored, and committing each document read.

Only the parent process writes the store: one authority file at a time, atomically, right
after each document, so an interrupted run keeps everything it finished. A document whose
authority file cannot be used (edited by hand into something that does not parse) is
reported and not stored; a failure that the same bytes would repeat is remembered by
content hash so the next ingest does not read them again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from ofstl.errors import StoreError, UsageError
from ofstl.extract import file_type_for
from ofstl.fetch.manifest import annotate as annotate_from_manifest
from ofstl.ingest.files import one_line, printable
from ofstl.ingest.results import FileResult, Status
from ofstl.ingest.workers import REMEMBERED, Outcome, TaskStatus
from ofstl.models import ParsedDocument
from ofstl.records import build_records, observations_from
from ofstl.store import HandEdited, Store, source_observations


class Committer:
    """Commits the documents of one run into a store."""

    def __init__(self, store: Store, use_cache: bool, timeout: float, warn: Callable[[str], None],
                 rebuild: set[str] | None = None, retry_failed: bool = False):
        self.store = store
        self.rebuild = rebuild or set()  # authorities whose hand edits may be overwritten
        # (slug, inspections, the hand edit dropped or None) of each file rebuilt from its sources
        self.rebuilt: list[tuple[str, int, str | None]] = []
        self.retry_failed = retry_failed
        self.use_cache = use_cache
        self.timeout = timeout
        self.warn = warn
        self._observations: dict[str, list[dict[str, Any]]] = {}
        self.new_items: list[str] = []  # weakness texts stored by this run, for the theme cache
        self._known: dict[str, str] | None = None
        # sha256 -> framework of the inspection a stored document is about (its ingest result says it)
        self.frameworks: dict[str, str | None] = {}
        self._broken: dict[str, str] = {}  # slug -> why its store file cannot be used

    def known_hashes(self) -> dict[str, str]:
        """sha256 -> authority for every document already stored."""
        if self._known is None:
            self._known = {}
            for data in self.store.load_all(on_error=self.note_broken):
                for record in data["inspections"]:
                    for src in record.get("sources") or []:
                        if isinstance(src, dict) and isinstance(src.get("sha256"), str):
                            self._known[src["sha256"]] = data["authority"]
                            if src.get("role") == "subject":
                                self.frameworks[src["sha256"]] = record.get("framework")
        return self._known

    def note_broken(self, exc: StoreError) -> None:
        slug = getattr(exc, "slug", None)
        if slug and slug not in self._broken:
            self._broken[slug] = exc.message
            self.warn(f"{exc.message}; documents about {slug} will not be stored until it is fixed")

    def rebuild_from_sources(self, slug: str) -> FileResult | None:
        """Rebuild an authority's records from the sources stored in its file, dropping hand
        edits (the person asked for it) and keeping the corrections block. A file that cannot
        be read (it no longer parses) is an error result, and the run goes on without it."""
        try:
            existing = self.store.load(slug, raw=True, trust_copy=False)
        except StoreError as exc:
            self._broken[slug] = exc.message
            return FileResult(str(self.store.file_for(slug)), None, Status.ERROR, slug, message=f"not rebuilt: {exc.message}")
        if existing is None:
            raise UsageError(f"no store file for {slug} to rebuild in {self.store.root}")
        edit = self.store.edited(slug)  # what the rebuild drops (the load above worked it out)
        observations = source_observations(existing["inspections"])
        records = build_records(slug, observations)
        self.store.save(slug, records, rebuild=True)
        self._observations[slug] = observations
        self.rebuilt.append((slug, len(records), edit))
        return None

    def commit(self, doc: ParsedDocument) -> None:
        slug = doc.authority
        assert slug is not None
        if slug in self._broken:
            raise StoreError(self._broken[slug])
        if slug not in self._observations:
            try:
                # The YAML itself, parsed and checked: a JSON copy is never written back.
                existing = self.store.load(slug, raw=True, trust_copy=False)
            except StoreError as exc:
                self._broken[slug] = exc.message
                raise
            edited = self.store.edited(slug) if existing is not None and slug not in self.rebuild else None
            if edited:  # before merging anything: the file is the person's until they say
                exc = HandEdited.of(self.store.file_for(slug), slug, edited)
                self._broken[slug] = exc.message
                self.warn(f"{exc.message}; documents about {slug} are not stored until it is rebuilt or the edit undone: {exc.hint}")
                raise exc
            self._observations[slug] = source_observations((existing or {}).get("inspections", []))
        observations = self._observations[slug]
        before = len(observations)
        try:
            added = observations_from(doc)
            observations.extend(added)
            self.store.save(slug, build_records(slug, observations), rebuild=slug in self.rebuild)
            self.new_items.extend(i["text"] for o in added for i in o["weaknesses"])
        except StoreError as exc:
            del observations[before:]
            self._broken[slug] = exc.message
            if isinstance(exc, HandEdited):
                self.warn(f"{exc.message}; documents about {slug} are not stored until it is rebuilt or the edit undone: {exc.hint}")
            raise
        except BaseException:
            del observations[before:]
            raise
        self.known_hashes()[doc.sha256] = slug
        subject = doc.subject
        self.frameworks[doc.sha256] = subject.framework if subject else None

    def remembered_failure(self, sha: str, path: str) -> str | None:
        """Why these bytes failed before, when reading them again would fail the same way:
        the same reader (a PDF saved as .html fails as HTML and is read once renamed .pdf,
        as its message suggests) and no longer a time limit than the one it overran."""
        if not self.use_cache or self.retry_failed:
            return None
        failure = self.store.failure(sha)
        if failure is None or failure.get("reader") != file_type_for(Path(path)):
            return None
        limit = failure.get("timeout")
        if isinstance(limit, (int, float)) and self.timeout > limit:
            return None  # it timed out under a shorter limit: try again with this one
        return str(failure["reason"])

    def finish(self, path: str, sha: str, outcome: Outcome) -> FileResult:
        status, doc, message = outcome
        if status != TaskStatus.OK or doc is None:
            message = message or f"{path}: could not be read"
            if status in REMEMBERED and self.use_cache:
                # The same bytes will fail the same way: the next ingest says so without
                # reading them again (a time-out only while the time limit is no longer).
                prefix = printable(path) + ": "
                reason = message[len(prefix):] if message.startswith(prefix) else message
                self.store.remember_failure(sha, reason, reader=file_type_for(Path(path)),
                                            timeout=self.timeout if status == TaskStatus.TIMEOUT else None)
            return FileResult(path, sha, Status.ERROR, message=message)
        if doc.sha256 != sha:
            # The worker read other bytes than the ones hashed here: the file changed meanwhile.
            return FileResult(path, sha, Status.ERROR, message=f"{path}: changed while it was being read; run the ingest again")
        subject = doc.subject
        framework = subject.framework if subject else None
        if doc.authority is None:
            reason = doc.warnings[0] if doc.warnings else "names no local authority; cannot tell whose inspection it is"
            return FileResult(path, sha, Status.ERROR, framework=framework, message=f"{path}: {reason}")
        if not doc.inspections:  # it names an authority but says nothing of an inspection
            reason = doc.warnings[-1] if doc.warnings else "not about an inspection"
            return FileResult(path, sha, Status.SKIPPED, doc.authority, message=f"{path}: {reason}")
        try:
            annotate_from_manifest(doc, path)  # a fetch manifest beside the file: publication date, URN
            self.commit(doc)
        except StoreError as exc:
            return FileResult(path, sha, Status.ERROR, doc.authority, framework, f"{path}: not stored: {exc.message}")
        except OSError as exc:
            return FileResult(path, sha, Status.ERROR, doc.authority, framework, f"{path}: not stored: cannot write the store ({exc.strerror or exc})")
        except Exception as exc:  # a bug merging records must not stop the run
            return FileResult(path, sha, Status.ERROR, doc.authority, framework, f"{path}: not stored: could not merge ({type(exc).__name__}: {one_line(exc)[:100]})")
        if self.use_cache:
            self.store.forget_failure(sha)  # read at last: an old failure must not outlive it
        return FileResult(path, sha, Status.ADDED, doc.authority, framework, f"{doc.kind}, {framework}")
