"""``ofstl fetch``: download authorities' publications from Ofsted's reports site.

The command only wires options to ``ofstl.fetch.Fetcher``, draws its progress (the library
reports through a callback) and prints the summary; ``--ingest`` then reads what is in the
folder into the store. This is the only command that uses the network.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path
from typing import Any, Optional

import typer

from ofstl.cli.app import StoreOpt, app
from ofstl.cli.support import current_env, emit_err, handled, open_store
from ofstl.errors import ExitCode, UsageError


MAX_DELAY = 3600  # an hour between requests is already a fetch that never ends
MAX_TIMEOUT = 600  # ten minutes for one page or report: beyond it the site is not answering
MAX_RETRIES = 10  # more would only keep asking a site that has said no
FIRST_YEAR, LAST_YEAR = 1990, 2100  # --since: Ofsted's oldest reports on the site are from the 2000s


class _FetchProgress:
    """A bar over the authorities on a terminal's stderr; otherwise a plain line as each
    authority is done (when there are several)."""

    def __init__(self, env: Any):
        self.env = env
        self.bar: Any = None
        self.task: Any = None
        self.done = 0  # authorities finished

    def __enter__(self) -> "_FetchProgress":
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None

    def log(self, message: str) -> None:
        if self.bar is not None:
            self.bar.console.print(message, markup=False, highlight=False, soft_wrap=True)
        else:
            self.env.err(message)

    def __call__(self, event: Any) -> None:
        if event.kind == "authorities" and self.env.progress and event.total:
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as RichProgress

            from ofstl.render import console

            self.bar = RichProgress(TextColumn("fetching"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                    TextColumn("{task.description}", style="dim"),
                                    console=console(self.env, stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("", total=event.total)
        elif event.kind == "authority" and self.bar is not None:
            self.bar.update(self.task, advance=1)
        elif event.kind == "authority" and not self.env.quiet and (event.total or 0) > 1:
            # No bar (a pipe, a log file of a night's run): a line as each authority is done.
            self.done += 1
            self.log(f"ofstl: {event.authority} ({self.done}/{event.total}): {event.message}")
        elif event.kind == "downloaded":
            if self.bar is not None:
                self.bar.update(self.task, description=event.message[-50:])
            elif self.env.verbose:
                self.log(f"downloaded {event.message}")
        elif event.kind == "failed" and (self.bar is not None or self.env.verbose):
            # as it happens above the bar (or with -v); the summary lists every failure once more
            self.log(f"ofstl: failed: {event.message}")
        elif event.kind == "warning" and not self.env.quiet:
            self.log(f"ofstl: {event.message}")


def documents_folder(option: Optional[str], store_root: Path, default_store: Optional[Path] = None) -> Path:
    """--to, else ``documents/`` beside the store; for the default store, ``documents/`` in it.

    Why: beside a project's ``./store`` is the project folder, where the documents belong; but
    the default store's parent is ``~/.local/share``, which every program shares, and a folder
    named ``documents`` there is nobody's. A default store that an earlier ofstl filled from
    there (its manifest is in ``~/.local/share/documents``) keeps using it, so nothing is
    downloaded twice."""
    from ofstl.fetch.manifest import MANIFEST
    from ofstl.store_files import DEFAULT_STORE

    if option:
        return Path(os.path.expanduser(option))
    root = store_root.resolve()
    default = (default_store or Path(os.path.expanduser(DEFAULT_STORE))).resolve()
    beside = root.parent / "documents"
    if root != default or (beside / MANIFEST).is_file():
        return beside
    return root / "documents"


@app.command()
@handled
def fetch(
    authorities: Optional[list[str]] = typer.Argument(None, metavar="AUTHORITY...", help="Authorities to fetch (slug, name or variant); or --all."),
    everything: bool = typer.Option(False, "--all", help="Every local authority the site lists."),
    to: Optional[str] = typer.Option(None, "--to", metavar="DIR", help="Folder for the documents (default: documents/ beside the store; in it for the default store)."),
    since: Optional[int] = typer.Option(None, "--since", metavar="YEAR", help="Only publications from this year on."),
    ingest: bool = typer.Option(False, "--ingest", help="Then read the authorities' documents into the store."),
    delay: float = typer.Option(1.0, "--delay", metavar="S", show_default=False, help="Seconds between requests to the site (default 1)."),
    timeout: float = typer.Option(30.0, "--timeout", metavar="S", show_default=False,
                                  help="Seconds a request may take before it is given up (default 30; a report: "
                                       "that plus a second per 8 kB)."),
    retries: int = typer.Option(4, "--retries", metavar="N", show_default=False,
                                help="Tries after the first for a request that failed or timed out (default 4)."),
    base_url: Optional[str] = typer.Option(None, "--base-url", metavar="URL", help="Another copy of the site (default $OFSTL_OFSTED_URL, else https://reports.ofsted.gov.uk)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="List what would be downloaded (reads the site's pages, downloads nothing)."),
    store: Optional[str] = StoreOpt,
) -> None:
    """Download authorities' children's services publications from Ofsted's reports site.

    Inspection reports (SIF, ILACS), focused and monitoring visit letters, joint targeted
    area inspections, area SEND reports and older reports the site lists go to
    DIR/<authority>/<published>_<label>.pdf, each recorded in DIR/manifest.jsonl (ingest
    reads its publication dates). One request at a time, --delay seconds apart, retried
    politely; run it again to fetch only what is new. Exit 1 if anything failed (the rest
    is kept).

    Examples:

    \b
      ofstl fetch hillingdon --ingest
      ofstl fetch hillingdon hounslow --since 2018 --to ~/ofsted-docs
      ofstl fetch --all --dry-run
    """
    from ofstl import authorities as known_authorities
    from ofstl.fetch import Fetcher
    from ofstl.fetch.client import PoliteClient

    env = current_env()
    names = authorities or []
    if not names and not everything:
        raise UsageError("name the authorities to fetch, or --all", "e.g. ofstl fetch hillingdon")
    if not (0 <= delay <= MAX_DELAY):  # also refuses nan and inf (a sleep of inf seconds is an overflow)
        raise UsageError(f"--delay must be a number of seconds from 0 to {MAX_DELAY}, not {delay}")
    if not (0 < timeout <= MAX_TIMEOUT):  # also refuses nan and inf
        raise UsageError(f"--timeout must be a number of seconds above 0 and at most {MAX_TIMEOUT}, not {timeout}")
    if since is not None and not (FIRST_YEAR <= since <= LAST_YEAR):  # "--since 18" meant 2018, not year 18
        raise UsageError(f"--since must be a year from {FIRST_YEAR} to {LAST_YEAR}, not {since}", "e.g. --since 2018")
    if not (0 <= retries <= MAX_RETRIES):
        raise UsageError(f"--retries must be a whole number from 0 to {MAX_RETRIES}, not {retries}")
    slugs: list[str] = []
    for name in names:
        slug = known_authorities.lookup(name)
        if slug not in slugs:
            slugs.append(slug)
    url = base_url or (env.environ or {}).get("OFSTL_OFSTED_URL") or None
    if url and not url.lower().startswith(("http://", "https://")):
        raise UsageError(f"--base-url must be an http:// or https:// address, not {url!r}")
    if to:  # checked before the store is opened (and created): a usage error leaves nothing behind
        _check_folder(documents_folder(to, Path(".")))
    st = open_store(store, create=True)  # fetch writes into the store folder (created if need be)
    folder = documents_folder(to, Path(st.root))
    _check_folder(folder)
    progress = _FetchProgress(env)
    with PoliteClient(delay=delay, timeout=timeout, retries=retries) as client:
        fetcher = Fetcher(folder, base_url=url, client=client, on_event=progress)
        try:
            with progress:
                report = fetcher.run(slugs, everything, since, dry_run)
        except KeyboardInterrupt:  # Ctrl-C, SIGTERM: what the run did until then, then the usual exit
            report = fetcher.report
            report.requests = client.requests
            if report.downloaded or report.failed:
                emit_err(_summary(report, folder, dry_run, ingest, interrupted=True, store=store or env.store))
            raise
    if dry_run:
        for p in report.planned:
            env.out(f"{p.authority}\t{p.published or 'undated'}\t{p.kind}\t{p.label}\t{p.file}\t{p.url}"
                    + (f"\tlinked from {p.linked_from}" if p.linked_from else "") + "\n")
    if not env.quiet or report.failed:
        emit_err(_summary(report, folder, dry_run, ingest, store=store or env.store))
    failed = bool(report.failed)
    if ingest and not dry_run:
        failed = _ingest(folder, report.authorities, st, store) or failed
    if failed:
        raise typer.Exit(int(ExitCode.PARTIAL))


def _check_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--to {folder}: not a folder", "give a folder for the documents (it is created if need be)")


def _summary(report: Any, folder: Path, dry_run: bool, ingest: bool, interrupted: bool = False, store: Optional[str] = None) -> list[Any]:
    """The summary: counts, each failure, then the command to run next, to paste as it is (the
    program as run, the folder quoted, the store the fetch was given)."""
    from ofstl.cli.hints import store_option

    program = current_env().program
    linked = sum(1 for p in report.planned if p.linked_from)
    got = (f"{len(report.planned) - linked} to download" + (f", {linked} to link from another authority's folder" if linked else "")
           if dry_run else f"{len(report.downloaded)} downloaded")
    if interrupted:
        got = f"until stopped: {got}"
    line = [(got, "green" if report.downloaded else ""), (f", {report.already} already here", ""),
            (f", {len(report.failed)} failed", "bold red" if report.failed else ""),
            (f" · {_count(report.requests, 'request')} ({_count(report.unchanged_pages, 'page')} unchanged) · {folder}", "dim")]
    lines: list[Any] = [line]
    lines += [[("  failed: ", "red"), (message, "")] for message in report.failed]
    if report.downloaded and not ingest and not dry_run:
        lines.append([("next: ", "dim"), (f"{program} ingest {shlex.quote(str(folder))}{store_option(store)}", "bold")])
    if report.redated and not ingest:  # a store that read them keeps the old date until they are read again
        files = " ".join(shlex.quote(str(folder / e["file"])) for e in report.redated)
        lines.append([("re-dated by the site: ", "dim"), (f"{program} ingest --reread {files}{store_option(store)}", "bold")])
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _ingest(folder: Path, slugs: list[str], st: Any, store: Optional[str]) -> bool:
    """Read the fetched authorities' folders into the store; True if any file failed.

    Files the site now dates otherwise (the same bytes, marked by the fetch: ``ofstl.fetch.rereads``)
    are read again, so their readings take the manifest's new date; those an earlier run
    marked and did not get to are among them, whichever authorities that run was fetching."""
    from ofstl import authorities
    from ofstl.cli.progress import Progress
    from ofstl.fetch.rereads import PendingUnreadable, pending_files
    from ofstl.ingest import Ingest
    from ofstl.render.ingest import ingest_summary

    env = current_env()
    paths = [str(folder / slug) for slug in slugs if (folder / slug).is_dir()]
    try:
        paths += [str(path) for path in pending_files(folder, st.root) if not any(path.is_relative_to(p) for p in paths)]
    except PendingUnreadable:
        pass  # the ingest names the file once, as it meets the files the list is for
    if not paths:
        return False
    progress = Progress(env)
    with progress:
        results = Ingest(st, on_message=lambda m: progress.log(f"ofstl: {m}"), tagger=env.tagger).run(
            paths, on_total=progress.start, on_read=progress.read)
    touched = sorted({authorities.continued_by(r.authority) or r.authority for r in results
                      if r.authority and r.status in ("added", "unchanged")})  # the names the views take
    from ofstl.cli.hints import store_option

    nxt = f"{env.program} timeline {touched[0]}{store_option(store or env.store)}" if touched else None
    lines = ingest_summary(results, str(st.root), nxt, verbose=env.verbose)
    failed = any(r.status == "error" for r in results)
    if not env.quiet:
        emit_err(lines)
    elif failed:
        emit_err([lines[0]])
    return failed
