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

from ofstl.authorities import continued_by
from ofstl.errors import StoreError, UsageError
from ofstl.extract import file_type_for
from ofstl.fetch.manifest import ManifestUnreadable, skipped_lines
from ofstl.fetch.manifest import annotate as annotate_from_manifest
from ofstl.ingest.files import one_line, printable
from ofstl.ingest.reading_changes import record_changes, summary
from ofstl.ingest.results import FileResult, Status
from ofstl.ingest.workers import REMEMBERED, Outcome, TaskStatus
from ofstl.models import ParsedDocument
from ofstl.records import build_records, observations_from
from ofstl.source_paths import current_form, resolved, stored_form
from ofstl.store import HandEdited, Store, source_observations


class Committer:
    """Commits the documents of one run into a store."""

    def __init__(self, store: Store, use_cache: bool, timeout: float, warn: Callable[[str], None],
                 rebuild: set[str] | None = None, retry_failed: bool = False, reread: bool = False):
        self.store = store
        self.reread = reread  # documents already stored are read again and their readings replaced
        self.reading_again: set[str] = set()  # paths of stored documents read again without --reread (re-dated by the site)
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
        # sha256 -> every authority whose file holds it: one, unless a re-read moving a
        # document to another council was stopped between its two writes
        self.holders: dict[str, set[str]] = {}
        self.changes: list[str] = []  # what the last re-read changed (``reading_changes``)
        # sha256 -> the paths its sources were read at, as stored (``where_recorded`` resolves them)
        self.recorded_paths: dict[str, set[str]] = {}
        # sha256 -> framework of the inspection a stored document is about (its ingest result says it)
        self.frameworks: dict[str, str | None] = {}
        self._broken: dict[str, str] = {}  # slug -> why its store file cannot be used
        self._manifests_told: set[Path] = set()  # fetch manifests whose unreadable lines this run has reported

    def known_hashes(self) -> dict[str, str]:
        """sha256 -> authority for every document already stored."""
        if self._known is None:
            self._known = {}
            for data in self.store.load_all(on_error=self.note_broken):
                for record in data["inspections"]:
                    for src in record.get("sources") or []:
                        if isinstance(src, dict) and isinstance(src.get("sha256"), str):
                            self._known[src["sha256"]] = data["authority"]
                            self.holders.setdefault(src["sha256"], set()).add(data["authority"])
                            if isinstance(src.get("path"), str):
                                self.recorded_paths.setdefault(src["sha256"], set()).add(src["path"])
                            if src.get("role") == "subject":
                                self.frameworks[src["sha256"]] = record.get("framework")
            for sha, names in sorted(self.holders.items()):
                if len(names) > 1:
                    where = printable(min(self.where_recorded(sha), default="(no path recorded)"))
                    self.warn(f"{where} is stored under both {' and '.join(sorted(names))} (a re-read stopped part-way?); "
                              f"read it again to keep one reading: ofstl ingest {where} --reread (with --authority if one was given)")
        return self._known

    def where_recorded(self, sha: str) -> dict[str, str | None]:
        """Where a stored document was read, each recorded path as a person opens it from the
        current folder -> how an earlier ofstl's path was found (``ofstl.source_paths``), or None."""
        found: dict[str, str | None] = {}
        for stored in sorted(self.recorded_paths.get(sha, ())):
            shown, how = resolved(stored, self.store.root)
            found.setdefault(shown, how)
        return found

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
        # each document's path in today's form, as a re-read stores it (an earlier ofstl's, typed
        # from the folder its ingest ran in, is found from there once and never looked for again)
        observations = [dict(o, path=current_form(o["path"], self.store.root)) if isinstance(o.get("path"), str) and o["path"] else o
                        for o in source_observations(existing["inspections"])]
        records = build_records(slug, observations)
        self.store.save(slug, records, rebuild=True)
        self._tell_notices()
        self._observations[slug] = observations
        self.rebuilt.append((slug, len(records), edit))
        return None

    def observations(self, slug: str) -> list[dict[str, Any]]:
        """The observations an authority's file was built from, loaded once per run; a file
        that cannot be used (broken, or edited by hand and not being rebuilt) raises."""
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
        return self._observations[slug]

    def save(self, slug: str, observations: list[dict[str, Any]], records: list[dict[str, Any]] | None = None) -> bool:
        """Write ``observations`` as the authority's records (``records``: built from them
        already); on success they become the run's copy (so a failed write leaves the run's
        copy as the file still is)."""
        try:
            changed = self.store.save(slug, build_records(slug, observations) if records is None else records, rebuild=slug in self.rebuild)
        except StoreError as exc:
            raise self._refused(slug, exc) from None
        self._tell_notices()
        self._observations[slug] = observations
        return changed

    def _tell_notices(self) -> None:
        """Warn of what the store noted about its last write (a link replaced)."""
        for notice in self.store.notices:
            self.warn(notice)
        self.store.notices.clear()

    def _refused(self, slug: str, exc: StoreError) -> StoreError:
        """``exc`` (a write of ``slug``'s file refused), noted so that the run stores nothing
        more about ``slug``; a hand edit is said with how to keep it."""
        self._broken[slug] = exc.message
        if isinstance(exc, HandEdited):
            self.warn(f"{exc.message}; documents about {slug} are not stored until it is rebuilt or the edit undone: {exc.hint}")
        return exc

    def save_together(self, wanted: dict[str, list[dict[str, Any]]]) -> bool:
        """Write several authorities' observations (a reading moved or taken out of every
        file holding it) in the order given, after checking that each file may be written:
        any file that would refuse (edited by hand, changed by another program, unreadable)
        stops the change before a single file is written. Returns whether any file changed.

        Still not atomic across files: there is no rename of several files at once, so a
        crash, a full disk or an editor saving between two of the writes leaves the change
        part-made. That is safe: each file is whole (``atomic_write``), the reading is kept in
        at least one file until the last write (``commit`` writes the new holder first), and
        the next run sees a document held by two files, says so, and its re-read finishes
        the change (``known_hashes``, ``withdraw``)."""
        for name in wanted:
            self.observations(name)  # a hand-edited or broken file raises, nothing written
        built = {name: build_records(name, observations) for name, observations in wanted.items()}
        for name, records in built.items() if len(built) > 1 else ():  # one file: save checks it before writing
            try:
                self.store.check_save(name, records, rebuild=name in self.rebuild)
            except StoreError as exc:
                raise self._refused(name, exc) from None
        changed = False
        for name, observations in wanted.items():
            changed = self.save(name, observations, built[name]) or changed
        return changed

    def commit(self, doc: ParsedDocument, replacing: str | None = None) -> bool:
        """Merge one document's observations into its authority's file; with ``replacing``
        (the authority whose file holds an earlier reading of the same bytes) that reading
        is taken out, after the new one is stored, so a failure in between leaves both
        rather than neither. Returns whether any file changed."""
        slug = doc.authority
        assert slug is not None
        if replacing is not None:
            self.observations(replacing)  # a hand-edited or broken file raises before anything is written
        added = observations_from(doc)
        # every other file holding these bytes: the one replaced, and any a stopped move left
        others = sorted((self.holders.get(doc.sha256, set()) | {replacing}) - {slug}) if replacing is not None else []
        for name in others:
            self.observations(name)
        before = {name: self.observations(name) for name in [slug, *others]} if replacing else {}
        kept = [o for o in self.observations(slug) if o.get("sha256") != doc.sha256]
        # the new reading first, then out of the others: a change stopped part-way keeps it
        changed = self.save_together({slug: kept + added, **{name: [o for o in self.observations(name) if o.get("sha256") != doc.sha256]
                                                              for name in others}})
        self.holders[doc.sha256] = {slug}
        if changed and replacing is not None:  # what a re-read changed, inspection by inspection
            # A continued council's file and today's council's hold one history: compared as one,
            # a reading moved from the old file to the new is no inspection "gone" and "new".
            one_history = replacing != slug and continued_by(replacing) == slug
            groups = [sorted({slug, replacing})] if one_history else []
            groups += [[name] for name in sorted(before) if not any(name in group for group in groups)]
            self.changes = [phrase for group in groups for phrase in record_changes(
                build_records(slug if slug in group else group[0], [o for name in group for o in before[name]]),
                build_records(slug if slug in group else group[0], [o for name in group for o in self.observations(name)]), doc.sha256)]
        if changed:
            self.new_items.extend(i["text"] for o in added for i in o["weaknesses"])
        self.known_hashes()[doc.sha256] = slug
        subject = doc.subject
        self.frameworks[doc.sha256] = subject.framework if subject else None
        return changed

    def withdraw(self, sha: str, slug: str) -> bool:
        """Take an earlier reading of these bytes out of the authority's file (a re-read
        that no longer finds an inspection of an authority in them)."""
        holders = sorted(self.holders.get(sha, set()) | {slug})  # a stopped move left it in two files
        # every holder checked before any is written (``save_together``)
        changed = self.save_together({name: [o for o in self.observations(name) if o.get("sha256") != sha] for name in holders})
        self.known_hashes().pop(sha, None)
        self.holders.pop(sha, None)
        self.frameworks.pop(sha, None)
        return changed

    def relocate(self, sha: str, path: str) -> bool:
        """Record ``path`` as where a stored document is now (its recorded path no longer holds
        it: the folder moved); an authority file that cannot be written keeps the old path."""
        where = stored_form(printable(path), self.store.root)
        changed = False
        for slug in sorted(self.holders.get(sha, set())):
            try:
                observations = self.observations(slug)
                moved = [dict(o, path=where) if o.get("sha256") == sha else o for o in observations]
                changed = self.save(slug, moved) or changed
            except (StoreError, OSError):  # said by ``observations`` or ``save``; the old path stays
                continue
        if changed:
            self.recorded_paths[sha] = {where}
        return changed

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
        # the authority of a reading being replaced
        earlier = self.known_hashes().get(sha) if self.reread or path in self.reading_again else None
        if status != TaskStatus.OK or doc is None:
            message = message or f"{path}: could not be read"
            if status in REMEMBERED and self.use_cache:
                # The same bytes will fail the same way: the next ingest says so without
                # reading them again (a time-out only while the time limit is no longer).
                prefix = printable(path) + ": "
                reason = message[len(prefix):] if message.startswith(prefix) else message
                self.store.remember_failure(sha, reason, reader=file_type_for(Path(path)),
                                            timeout=self.timeout if status == TaskStatus.TIMEOUT else None)
            if earlier is not None:  # a reading that failed is no verdict on the document
                message += "; not read again, its earlier reading is kept"
            return FileResult(path, sha, Status.ERROR, earlier, message=message)
        if doc.sha256 != sha:
            # The worker read other bytes than the ones hashed here: the file changed meanwhile.
            return FileResult(path, sha, Status.ERROR, message=f"{path}: changed while it was being read; run the ingest again")
        subject = doc.subject
        framework = subject.framework if subject else None
        refused = None
        if doc.authority is None:
            refused = doc.warnings[0] if doc.warnings else "names no local authority; cannot tell whose inspection it is"
        elif not doc.inspections:  # it names an authority but says nothing of an inspection
            refused = doc.warnings[-1] if doc.warnings else "not about an inspection"
        if refused is not None and earlier is not None and doc.authority is None and doc.candidates:
            # It names councils but cannot tell which (a shared service's story), or not the one
            # --authority says: a person chose its council before, and that reading stays.
            return FileResult(path, sha, Status.ERROR, earlier, framework,
                              f"{path}: {refused}; its earlier reading under {earlier} is kept (ofstl ingest PATH --reread --authority {earlier})")
        if refused is not None and earlier is not None:
            return self._withdraw(path, sha, earlier, refused)
        if refused is not None:
            return FileResult(path, sha, Status.ERROR if doc.authority is None else Status.SKIPPED, doc.authority,
                              framework if doc.authority is None else None, f"{path}: {refused}")
        try:
            annotate_from_manifest(doc, path, self._manifest_skipped)  # a fetch manifest beside the file: publication date, URN
            doc.path = stored_form(doc.path, self.store.root)  # found from anywhere, and when the project folder moves
            changed = self.commit(doc, replacing=earlier)
        except ManifestUnreadable as exc:  # stored without the date it holds, it would never take it (a known file is not read again)
            kept = "; its earlier reading is kept" if earlier is not None else ""
            return FileResult(path, sha, Status.ERROR, doc.authority, framework, f"{path}: not stored: {exc}{kept}")
        except StoreError as exc:
            kept = "; its earlier reading is kept" if earlier is not None else ""
            return FileResult(path, sha, Status.ERROR, doc.authority, framework, f"{path}: not stored: {exc.message}{kept}")
        except OSError as exc:
            return FileResult(path, sha, Status.ERROR, doc.authority, framework, f"{path}: not stored: cannot write the store ({exc.strerror or exc})")
        except Exception as exc:  # a bug merging records must not stop the run
            return FileResult(path, sha, Status.ERROR, doc.authority, framework, f"{path}: not stored: could not merge ({type(exc).__name__}: {one_line(exc)[:100]})")
        if self.use_cache:
            self.store.forget_failure(sha)  # read at last: an old failure must not outlive it
        if earlier is None:
            # A paper that only speaks of earlier inspections says so, not "council-paper, None".
            what = framework if subject else f"only earlier inspections it mentions ({len(doc.inspections)})"
            return FileResult(path, sha, Status.ADDED, doc.authority, framework, f"{doc.kind}, {what}")
        if not changed:
            return FileResult(path, sha, Status.UNCHANGED, doc.authority, framework, "read again: the same reading")
        moved = f"now {doc.authority} (was {earlier}): " if earlier != doc.authority else ""
        return FileResult(path, sha, Status.UPDATED, doc.authority, framework, f"read again: {moved}{summary(self.changes)}")

    def _manifest_skipped(self, folder: Path, lines: list[int]) -> None:
        """A fetch manifest's lines left out: said once a run for each manifest."""
        if folder not in self._manifests_told:
            self._manifests_told.add(folder)
            self.warn(skipped_lines(folder, lines))

    def _withdraw(self, path: str, sha: str, slug: str, reason: str) -> FileResult:
        """A re-read that finds no inspection of an authority: the earlier reading goes."""
        try:
            self.withdraw(sha, slug)
        except StoreError as exc:
            return FileResult(path, sha, Status.ERROR, slug, message=f"{path}: {reason}, but not removed: {exc.message}")
        except OSError as exc:
            return FileResult(path, sha, Status.ERROR, slug, message=f"{path}: {reason}, but not removed: cannot write the store ({exc.strerror or exc})")
        return FileResult(path, sha, Status.REMOVED, slug, message=f"{path}: {reason}; its earlier reading was removed from {slug}")
