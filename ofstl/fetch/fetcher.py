"""The fetch run: authorities -> provider pages -> new publications -> checked files + manifest.

For each authority it reads the provider page (conditionally: an unchanged page costs a
304), lists the publications, and downloads those it does not have yet (or that the site
now dates or names otherwise) into ``DIR/<slug>/<published>_<label>.pdf``, recording each in
``DIR/manifest.jsonl``, one run at a time in a folder. A site that asks for a long pause, or
does not answer for ``MAX_UNANSWERED`` authorities in a row, stops the run (the rest named in
one line; what was fetched kept). Which authorities a run asks for is ``ofstl.fetch.targets``.
Progress goes to a callback (the CLI draws the bar); nothing here prints.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import unicodedata
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from ofstl import authorities
from ofstl.fetch import rereads, site, urns
from ofstl.fetch.client import Download, FetchFailed, PoliteClient, SiteAsksToWait, SiteNotAnswering, check_pdf, save_copy
from ofstl.fetch.manifest import append_manifest, folder_lock, read_entries, read_state, skipped_lines, write_state
from ofstl.fetch.report import FetchEvent, FetchReport, Planned
from ofstl.fetch.targets import Targets, cached_listing

__all__ = ["Fetcher", "FetchEvent", "FetchReport", "Planned", "safe_name"]

Manifest = dict[tuple[Any, str], dict[str, Any]]  # (authority, url) -> its latest entry
FOLDER_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EROFS}  # a write no later file can succeed at either
# Authorities in a row whose page the site did not answer (each after all its tries) before the
# run stops: a site that is down is not asked for 156 pages five times over, all night.
MAX_UNANSWERED = 3


def safe_name(text: str, limit: int = 80) -> str:
    """A file-name-safe, lower-case, ASCII form of a label."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9]+", "-", text.replace("'", "")).strip("-")
    return text[:limit].rstrip("-") or "publication"


class Fetcher(Targets):
    def __init__(
        self,
        folder: str | Path,
        base_url: str | None = None,
        client: PoliteClient | None = None,
        delay: float = 1.0,
        on_event: Callable[[FetchEvent], None] | None = None,
    ):
        self.folder = Path(folder)
        self.base = site.base_url(base_url)
        self.client = client or PoliteClient(delay=delay)
        self.on_event = on_event or (lambda event: None)
        self.report = FetchReport()  # the last run's (so far, when it was interrupted)
        self.stopped: str | None = None  # why the run stopped asking the site (it asked for a long pause, or did not answer)
        self.unanswered = 0  # authorities in a row whose page the site did not answer

    # ------------------------------------------------------------------ the run

    def run(self, slugs: list[str] | None = None, everything: bool = False, since: int | None = None, dry_run: bool = False) -> FetchReport:
        report = self.report = FetchReport()  # kept on the fetcher: an interrupted run's caller can still tell what it did
        try:
            with contextlib.ExitStack() as held:
                if not dry_run and not held.enter_context(folder_lock(self.folder)):
                    self._note(report, "failed", None, f"{self.folder}: another ofstl fetch is writing to this folder; "
                                                       "run this one when it has finished")
                    return report
                if not dry_run:
                    for stale in self.folder.glob("*/.*.pdf.part"):  # a download killed outright (SIGKILL, a crash)
                        stale.unlink(missing_ok=True)
                self._run(slugs or [], everything, since, dry_run, report)
        except OSError as exc:
            # The folder, not the site (a full disk, no permission): nothing more can be recorded.
            where = exc.filename or self.folder
            self._note(report, "failed", None, f"{where}: cannot read or write it: {exc.strerror or exc}; the fetch stopped there "
                                               "(what was finished is kept: run the same command again)")
        finally:
            report.requests = self.client.requests
        return report

    def _run(self, slugs: list[str], everything: bool, since: int | None, dry_run: bool, report: FetchReport) -> None:
        pace = self.client.delay
        try:
            self._each(slugs, everything, since, dry_run, report)
        finally:
            if self.client.delay > pace:
                self._note(report, "warning", None, f"the site said too many requests (HTTP 429): ofstl slowed to "
                                                    f"{self.client.delay:g} s between requests (--delay {pace:g} was too quick for it)")

    def _each(self, slugs: list[str], everything: bool, since: int | None, dry_run: bool, report: FetchReport) -> None:
        state = read_state(self.folder)
        skipped: list[int] = []
        manifest = read_entries(self.folder, skipped)
        if skipped:  # never written over: a publication whose line it was is recorded again from its file
            self._note(report, "warning", None, skipped_lines(self.folder, skipped))
        targets = self._targets(slugs, everything, state, report, dry_run)
        self.on_event(FetchEvent("authorities", total=len(targets)))
        for n, (slug, urn) in enumerate(targets):
            if self.stopped:
                rest = [s for s, _ in targets[n:]]
                names = ", ".join(rest[:10]) + (f" and {len(rest) - 10} more" if len(rest) > 10 else "")
                why = self.stopped if self.unanswered >= MAX_UNANSWERED else "the site asked ofstl to pause"
                self._note(report, "failed", None, f"not fetched: {names} ({why}; run the same command again later)")
                break
            report.authorities.append(slug)
            before = (len(report.downloaded), report.already, len(report.planned), len(report.failed))
            self._authority(slug, urn, since, dry_run, state, manifest, report)
            got, already, failed = len(report.downloaded) - before[0], report.already - before[1], len(report.failed) - before[3]
            planned = sum(1 for p in report.planned[before[2]:] if not p.linked_from)  # a linked one is not downloaded
            done = f"{planned} to download" if dry_run else f"{got} downloaded"
            self.on_event(FetchEvent("authority", slug, f"{done}, {already} already here, {failed} failed", total=len(targets)))

    def _failed(self, report: FetchReport, slug: str | None, message: str, exc: FetchFailed) -> None:
        if isinstance(exc, SiteAsksToWait):
            self.stopped = str(exc)
        self._note(report, "failed", slug, message)

    def _note(self, report: FetchReport, kind: str, slug: str | None, message: str) -> None:
        (report.failed if kind == "failed" else report.warnings).append(message)
        self.on_event(FetchEvent(kind, slug, message))

    def _page(self, url: str, state: dict[str, Any], report: FetchReport, listing: str, item: type) -> tuple[dict[str, Any] | None, str | None]:
        """(cached entry, fresh HTML): HTML is None when the page has not changed.

        The cached entry's ``listing`` must read as a list of ``item``: a state in another
        shape (another version of ofstl, an edit) is a cache miss, the page asked for in full."""
        cached = state["pages"].get(url)
        if cached is not None and cached_listing(cached, listing, item) is None:
            cached = None
        etag = cached.get("etag") if cached else None
        modified = cached.get("last_modified") if cached else None
        page = self.client.get_page(url, etag, modified)
        if page.status == 304 and cached is not None:
            report.unchanged_pages += 1
            return cached, None
        if page.status == 304:  # "not modified" to a request that gave nothing to compare with (no cached listing): no page
            raise FetchFailed(f"{url}: the site answered 304 (not modified) to a request for the whole page; nothing to read")
        if not page.complete:  # kept with its validators, every later run's 304 would keep it cut short
            self._note(report, "warning", None, f"{url}: the page came incomplete (cut short before its end); what it lists "
                                                "is fetched, and the next run asks for the whole page again")
            return {"etag": None, "last_modified": None, "incomplete": True}, page.text
        return {"etag": page.etag, "last_modified": page.last_modified}, page.text

    # ------------------------------------------------------------------ one authority

    def _authority(self, slug: str, urn: str, since: int | None, dry_run: bool, state: dict[str, Any], manifest: Manifest, report: FetchReport) -> None:
        url = site.provider_url(self.base, urn)
        try:
            entry, html = self._page(url, state, report, "publications", site.Publication)
        except FetchFailed as exc:
            self._failed(report, slug, f"{slug}: provider page: {exc}", exc)
            self.unanswered = self.unanswered + 1 if isinstance(exc, SiteNotAnswering) else 0
            if self.unanswered >= MAX_UNANSWERED and not self.stopped:
                self.stopped = f"the site did not answer for {MAX_UNANSWERED} authorities in a row"
            return
        self.unanswered = 0
        assert entry is not None
        if html is not None:
            parsed = site.parse_provider_page(html, url)
            if not parsed.is_provider_page:  # an error page sent with status 200: not "no reports"
                self._note(report, "failed", slug, f"{slug}: {url}: the site sent a page that is not the authority's page "
                                                   "(an error page?); nothing downloaded, run the same command again later")
                return
            # Whose page it is, by the name it prints first (a redirect can lead to another
            # authority's page under the URN asked for), then by the URN; a page still named
            # for the council a successor replaced ("Dorset County Council") is the successor's.
            named = authorities.match_name(parsed.name) if parsed.name else None
            known = (authorities.continued_by(named) or named) if named else urns.slug_for(urn)
            before = authorities.by_slug().get(known) if known else None
            if before is not None and before.abolished and slug in before.successors:
                known = slug
            if known and known != slug:
                self._note(report, "failed", slug, f"{slug}: the provider page {url} is about {parsed.name!r}, not {slug}; nothing downloaded")
                return
            if not parsed.publications and parsed.other_file_links:
                self._note(report, "failed", slug, f"{slug}: {url}: the page links to {parsed.other_file_links} files but none in the "
                                                   "form ofstl reads (the site's layout has changed?); nothing downloaded")
                return
            entry["name"] = parsed.name
            entry["publications"] = [asdict(p) for p in parsed.publications]
        publications = cached_listing(entry, "publications", site.Publication) or []
        if not publications:
            self._note(report, "warning", slug, f"{slug}: the site lists no publications for it")
        elif html is not None and not any(p.published for p in publications):
            # Files named "undated_...", ILACS reports never dated: ingest learns their dates here.
            self._note(report, "warning", slug, f"{slug}: {url}: no publication on the page has a date ofstl can read "
                                                "(the site's layout has changed?); its files are saved undated")
        taken = {e["file"]: u for (_, u), e in manifest.items() if isinstance(e.get("file"), str)}
        for pub in publications:
            if self.stopped:
                break
            if not site.is_document(pub):
                continue
            year = site.published_year(pub)
            if since is not None and year is not None and year < since:
                continue
            have = manifest.get((slug, pub.url))
            kept = have is not None and self._kept(slug, have, report)
            if kept and have is not None and (have.get("published"), have.get("label")) == (pub.published, pub.label):
                report.already += 1
                continue
            # A publication the site now dates or names otherwise under the same address (a
            # re-issue, a corrected date) is asked for again, into a file of its own.
            relative = self._file_name(slug, pub, taken, avoid=have.get("file") if kept and have else None)
            taken[relative] = pub.url
            planned = Planned(slug, urn, pub.label, pub.kind, pub.published, pub.url, relative)
            if dry_run:  # a publication saved (or to be) under another authority would be linked, not asked for
                planned.linked_from = next((e["file"] for (who, url), e in manifest.items() if url == pub.url and who != slug
                                            and isinstance(e.get("file"), str) and (self.folder / e["file"]).is_file()),
                                           next((p.file for p in report.planned if p.url == pub.url and not p.linked_from), None))
                report.planned.append(planned)
                continue
            problem = self._unwritable(self.folder / slug)  # one line for the folder, not one per report
            if problem is not None:
                self._note(report, "failed", slug, f"{slug}: {problem}; nothing downloaded for it")
                break
            if kept and have is not None:
                self._reissued(planned, have, manifest, report)
            elif not self._copy_from_other_authority(planned, manifest, report):
                self._get(planned, manifest, report)
        if html is not None and not entry.get("incomplete"):  # the page changed: a publication fetched before may have gone from it
            listed = {pub.url for pub in publications}
            gone = sorted(str(e.get("file")) for (who, address), e in manifest.items() if who == slug and address not in listed)
            if gone:
                self._note(report, "warning", slug, f"{slug}: no longer listed by the site (withdrawn, or re-issued at another "
                                                    f"address), kept: {', '.join(gone)}")
        if html is not None and not dry_run and not self.stopped:
            # Saved after the downloads: a run stopped half way reads the page again next time.
            state["pages"][url] = entry
            write_state(self.folder, state)

    def _kept(self, slug: str, have: dict[str, Any], report: FetchReport) -> bool:
        """The file of a manifest line is on disk, as long as the line records (a stat, not a
        read: a copy of the folder stopped half way leaves reports cut short under their lines)."""
        try:
            size = (self.folder / str(have.get("file"))).stat().st_size
        except OSError:
            return False
        recorded = have.get("bytes")
        if isinstance(recorded, int) and size != recorded:
            self._note(report, "warning", slug, f"{slug}: {have.get('file')}: {size} bytes on disk, not the {recorded} its manifest "
                                                "line records (cut short?); asked for again, unless it reads as a whole PDF (kept as it is)")
            return False
        return True

    def _unwritable(self, folder: Path) -> str | None:
        """Why reports cannot be saved in ``folder`` (made if need be), or None. A full or
        read-only disk stops the run (``run``): no other folder can be written either."""
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            return f"cannot write into {folder}: a file by that name is in the way"
        except OSError as exc:
            if exc.errno in FOLDER_FULL:
                raise
            return f"cannot write into {folder}: {exc.strerror or exc}"
        if not os.access(folder, os.W_OK | os.X_OK):
            return f"cannot write into {folder}: no permission"
        return None

    def _file_name(self, slug: str, pub: site.Publication, taken: dict[str, str], avoid: str | None = None) -> str:
        """The publication's file: one taken by another publication, or ``avoid`` (its earlier
        file, kept), or (when there is an earlier file) any file on disk, gets a number."""
        stem = f"{slug}/{pub.published or 'undated'}_{safe_name(pub.label)}"
        name, n = f"{stem}.pdf", 1
        while (name in taken and taken[name] != pub.url) or (avoid is not None and (name == avoid or (self.folder / name).exists())):
            n += 1
            name = f"{stem}-{n}.pdf"
        return name

    def _copy_from_other_authority(self, planned: Planned, manifest: Manifest, report: FetchReport) -> bool:
        """A publication the site lists under another authority too (a joint targeted area
        inspection, a shared service's report), already saved there: the same file under this
        authority's folder as well (a hard link where the disk allows, else a copy), so a fetch
        or ingest of this authority's folder has it; asked of the site once. Ingest reads the
        same bytes once, into the history of the authority the document is about."""
        for (other, url), entry in manifest.items():
            if url != planned.url or other == planned.authority or not isinstance(entry.get("file"), str):
                continue
            source = self.folder / entry["file"]
            try:
                data = source.read_bytes()
            except OSError:
                continue
            if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
                continue  # changed or replaced since: fetched afresh
            save_copy(source, self.folder / planned.file)
            self._record(planned, entry["sha256"], len(data), manifest, report, fresh=True)  # new to this folder
            return True
        return False

    def _get(self, planned: Planned, manifest: Manifest, report: FetchReport) -> None:
        target = self.folder / planned.file
        if target.is_file():
            # Downloaded before the manifest line was written (a stop in between): keep it if whole.
            data = target.read_bytes()
            if check_pdf(data[:1024], data[-2048:]) is None:
                # an ingest in between stored it without the line's date: the next one reads it again
                if self._to_reread(planned, report, "on disk without its manifest line"):
                    self._record(planned, hashlib.sha256(data).hexdigest(), len(data), manifest, report, fresh=False)
                return
        got = self._download(planned, report)
        if got is not None:
            self._record(planned, got.sha256, got.bytes, manifest, report, fresh=True)

    def _to_reread(self, planned: Planned, report: FetchReport, why: str) -> bool:
        """Mark a file whose manifest line is about to change for the next ingest to read again
        (``ofstl.fetch.rereads``); False (one failure) when the list of such files cannot be
        read: the line is left as it was, so the next run finds the same change to make."""
        try:
            rereads.mark(self.folder, planned.file)
            return True
        except rereads.PendingUnreadable as exc:
            self._note(report, "failed", planned.authority, f"{planned.authority}: {planned.file}: {why}, not recorded: {exc}")
            return False

    def _download(self, planned: Planned, report: FetchReport, unless_sha: str | None = None) -> Download | None:
        target = self.folder / planned.file
        what = f"{planned.authority}: {planned.label} ({planned.published or 'undated'})"
        try:
            return self.client.download_pdf(planned.url, target, unless_sha)
        except FetchFailed as exc:
            self._failed(report, planned.authority, f"{what}: {exc}", exc)
        except OSError as exc:  # the folder, not the site: a full disk, no permission
            if exc.errno in FOLDER_FULL:
                raise  # no later file fits either: the run stops with one line (run())
            self._note(report, "failed", planned.authority, f"{what}: cannot write {target}: {exc.strerror or exc}")
        return None

    def _reissued(self, planned: Planned, have: dict[str, Any], manifest: Manifest, report: FetchReport) -> None:
        """The site lists a publication we have with another date or label: the file is asked
        for again. The same bytes: the file stays where it is (a store that read it records it
        there), and its manifest line takes the site's date and label (``report.redated``: a
        store's reading needs ``ingest --reread`` to take the new date). New bytes: a new file,
        recorded as the publication's; the earlier one is kept, with its own manifest line."""
        kept = have.get("sha256") if isinstance(have.get("sha256"), str) else None
        got = self._download(planned, report, unless_sha=kept)  # the same bytes: not saved a second time
        if got is None:
            return
        relabelled = have.get("label") != planned.label
        before = f"{have.get('published') or 'undated'}" + (f", {have.get('label')!r}" if relabelled else "")
        now = f"{planned.published or 'undated'}" + (f", {planned.label!r}" if relabelled else "")
        if got.sha256 == have.get("sha256"):
            planned.file = str(have["file"])
            # marked before its line changes: an ingest stopped before reading it again (or a
            # fetch stopped before its --ingest) leaves the mark for the next ingest to finish
            if not self._to_reread(planned, report, f"the site now lists it as {now} (was {before})"):
                return
            self._record(planned, got.sha256, got.bytes, manifest, report, fresh=False)
            report.redated.append(manifest[(planned.authority, planned.url)])
            self._note(report, "warning", planned.authority, f"{planned.authority}: {planned.file}: the site now lists it as {now} "
                                                             f"(was {before}); the same file, its manifest line updated")
            return
        self._record(planned, got.sha256, got.bytes, manifest, report, fresh=True)
        self._note(report, "warning", planned.authority, f"{planned.authority}: {planned.label}: the site re-issued it with a new file "
                                                         f"({now}; was {before}), saved as {planned.file}; the earlier file "
                                                         f"{have['file']} is kept")

    def _record(self, planned: Planned, sha256: str, size: int, manifest: Manifest, report: FetchReport, fresh: bool) -> None:
        entry = {
            "authority": planned.authority, "urn": planned.urn, "label": planned.label, "kind": planned.kind,
            "published": planned.published, "url": planned.url, "file": planned.file, "sha256": sha256,
            "bytes": size, "fetched_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        }
        append_manifest(self.folder, entry)
        manifest[(planned.authority, planned.url)] = entry
        if fresh:
            report.downloaded.append(entry)
        else:
            report.already += 1
        self.on_event(FetchEvent("downloaded", planned.authority, planned.file))
