"""Six of the original seven commands: ingest, timeline, diff, list, show, export (themes: ``ofstl.cli.themes``).

Each is a thin layer: resolve the store and the authority (``ofstl.cli.support``), ask
``ofstl.views`` for the answer, hand it to ``ofstl.render`` in the chosen format.
"""

from __future__ import annotations

import os

from typing import Any, Optional

import typer

from ofstl.cli.app import AllThemesOpt, AuthorityArg, FormatOpt, StoreOpt, WhenArg, app
from ofstl.cli.completion import complete_when
from ofstl.cli.support import (
    current_env,
    emit_err,
    emit_view,
    finish_partial,
    handled,
    load_histories,
    load_authority,
    open_store,
    ResultLines,
    render_view,
    write_file,
    writes_may_fail,
)
from ofstl.errors import ExitCode, UsageError


@app.command()
@handled
def ingest(
    paths: Optional[list[str]] = typer.Argument(None, metavar="PATH...", help="Files or folders (read recursively: .pdf .txt .md .html .htm)."),
    store: Optional[str] = StoreOpt,
    fmt: Optional[str] = FormatOpt("ingest"),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", metavar="N", help="Worker processes (default, or 0: one per core)."),
    timeout: Optional[float] = typer.Option(None, "--timeout", metavar="SECONDS", help="Time limit for one document (default 120, or $OFSTL_FILE_TIMEOUT)."),
    rebuild: Optional[list[str]] = typer.Option(None, "--rebuild", metavar="AUTHORITY", help="Rebuild this authority's file from its sources, dropping hand edits (corrections are kept); repeatable."),
    retry_failed: bool = typer.Option(False, "--retry-failed", help="Read again the files an earlier ingest could not read (time-outs included)."),
    reread: bool = typer.Option(False, "--reread", help="Read the documents already stored again (after upgrading ofstl) and replace their readings; without PATH, every stored document still where it was read."),
    authority: Optional[str] = typer.Option(None, "--authority", metavar="AUTHORITY", help="The authority the documents are about, for a story or paper naming several (a shared service's); each must name it."),
) -> None:
    """Read documents and merge what they say into the store.

    Re-reading a file already stored changes nothing, unless --reread asks for a new
    reading (after upgrading ofstl). A progress bar shows on a terminal;
    then a summary (added, unchanged, skipped, failed with reasons) goes to stderr.

    Examples:

    \b
      ofstl ingest ~/Downloads/ofsted
      ofstl ingest report.pdf letter.txt --store ./store
      ofstl ingest samples --format json | jq -r .status
      ofstl ingest ~/Downloads/ofsted --retry-failed
      ofstl ingest --rebuild hillingdon
      ofstl ingest ~/Downloads/ofsted --reread
      ofstl ingest afc-press-release.txt --authority kingston-upon-thames
    """
    import os

    from ofstl import authorities
    from ofstl.cli.hints import store_option
    from ofstl.cli.progress import Progress
    from ofstl.ingest import Ingest
    from ofstl.render.ingest import ingest_summary, reason
    from ofstl.render.registry import renderer
    from ofstl.safe_text import escape_controls
    from ofstl.vocabulary import inspections_and_visits

    env = current_env()
    chosen = renderer("ingest", fmt).name
    if not paths and not rebuild and not reread:
        raise UsageError("no PATH to read", "name files or folders: ofstl ingest FOLDER (or rebuild one: ofstl ingest --rebuild AUTHORITY)")
    paths = paths or []
    missing = [p for p in paths if p.strip() and not os.path.lexists(p)]
    if "-" in missing:  # a document is stored by its path (the source a reread goes back to): stdin has none
        raise UsageError("ingest reads files and folders, not stdin ('-')", "save it to a file first (... > story.txt), then: ofstl ingest story.txt")
    if missing:
        raise UsageError(f"{missing[0]}: no such file or folder" + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""),
                         "check the path; nothing was read")
    st = open_store(store, create=True)
    stored = st.slugs()  # one listing of the store's folder, not one per name and council
    rebuild_slugs = [authorities.lookup(name, known=stored or None) for name in rebuild or []]
    # one history, two files: a file an older ofstl left under a continued council's slug is
    # rebuilt with today's council's (--rebuild somerset rebuilt only an empty somerset.yaml)
    legacy = {s: [p.slug for p in authorities.continued_predecessors(s) if p.slug in stored] for s in rebuild_slugs}
    rebuild_slugs = list(dict.fromkeys([s for s in rebuild_slugs if s in stored or not legacy[s]]
                                       + [old for s in rebuild_slugs for old in legacy[s]]))
    chosen_authority = authorities.lookup(authority) if authority is not None else None
    run = Ingest(st, jobs=jobs, timeout=timeout, rebuild=rebuild_slugs, retry_failed=retry_failed, reread=reread, authority=chosen_authority,
                 on_message=lambda m: progress.log(f"ofstl: {m}"), tagger=env.tagger)
    progress = Progress(env)
    if chosen == "json" and env.stdout_isatty:
        progress.enabled = False  # JSON lines and a live bar on the same screen would tangle

    lines_out = ResultLines(env)  # a reader that goes away (| head) does not stop the ingest

    def on_result(result: Any) -> None:
        if chosen == "json":
            lines_out.write(render_view("ingest", "json", [result], env))  # one line per file, as it is read
        elif env.verbose:
            progress.log(f"{result.status:<9} {result.path}" + (f"  → {result.authority}" if result.authority else "")
                         + (f"  {reason(result)}" if result.status != "added" else f"  ({result.message})"))

    with progress, writes_may_fail():
        results = run.run(paths, on_result=on_result, on_total=progress.start, on_read=progress.read)
    for slug, count, edit in run.rebuilt:
        dropped = f"the hand edit dropped: {edit}" if edit else "it had no hand edit"
        env.say(f"rebuilt {st.file_for(slug)} from its sources: {inspections_and_visits(count)} ({dropped}; corrections kept)")
    suffix = store_option(store if store is not None else env.store)
    # under the names the views take: a file an older ofstl left under a continued council's
    # slug (somerset-county-council) is today's council's history
    touched = sorted({authorities.continued_by(r.authority) or r.authority for r in results
                      if r.authority and r.status in ("added", "updated", "unchanged")})
    if touched:
        nxt = f"{env.program} timeline {touched[0]}{suffix}"
        if len(touched) > 1:
            nxt += f"  ·  {env.program} list{suffix}  ({len(touched)} authorities)"
    else:
        nxt = None
    if not paths and not reread and not any(r.status == "error" for r in results):
        return
    empty = [p for p in paths if os.path.isdir(p) and not any(files for _, _, files in os.walk(p))]
    lines = ingest_summary(results, str(st.root), nxt, verbose=env.verbose, empty=[escape_controls(p) for p in empty])
    try:
        if not env.quiet:
            emit_err(lines)
        elif any(r.status == "error" for r in results):
            emit_err([lines[0]])
    except BrokenPipeError:  # stderr closed too: the exit code still tells
        pass
    if any(r.status == "error" for r in results):
        raise typer.Exit(int(ExitCode.PARTIAL))


@app.command()
@handled
def timeline(
    authority: str = AuthorityArg,
    store: Optional[str] = StoreOpt,
    fmt: Optional[str] = FormatOpt("timeline"),
    svg: Optional[str] = typer.Option(None, "--svg", metavar="FILE", help="Also write the timeline as an SVG picture ('-' for stdout instead of the table)."),
    html: Optional[str] = typer.Option(None, "--html", metavar="FILE", help="Also write a self-contained HTML page: grade chart and the items behind each theme."),
    all_themes: bool = AllThemesOpt,
    xlsx: Optional[str] = typer.Option(None, "--xlsx", metavar="FILE", help="Also write an Excel workbook (inspections, themes, sources)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing --svg/--html/--xlsx file that ofstl did not write."),
) -> None:
    """One authority's inspections in date order: grades per judgement, recurring themes.

    The log lists every inspection and visit (● graded, ○ not graded, ◌ only mentioned in a
    later document) with its overall grade; the matrix has judgements as rows and
    inspections as columns, each grade marked ↑ ↓ = against the latest earlier one; under
    it, the weakness themes raised by two or more inspections, most frequent first.

    Examples:

    \b
      ofstl timeline hillingdon
      ofstl timeline "London Borough of Hillingdon" --format json
      ofstl timeline hillingdon --svg hillingdon.svg --html hillingdon.html
      ofstl timeline hillingdon --svg report/figure1.svg --force
    """
    from ofstl import views

    env = current_env()
    env.all_themes = all_themes
    on_stdout = [name for name, given in (("--svg -", svg == "-"), ("--html -", html == "-"), ("--format", fmt is not None)) if given]
    if len(on_stdout) > 1:  # two documents run together on stdout are neither
        raise UsageError(f"only one of {' and '.join(on_stdout)} can go to stdout", "write the pictures to files: --svg FILE --html FILE")
    files = [(flag, os.path.realpath(target)) for flag, target in (("--svg", svg), ("--html", html), ("--xlsx", xlsx)) if target and target.strip() and target != "-"]
    for i, (flag, path) in enumerate(files):  # one would overwrite the other (or be refused half-way, the first written)
        clash = next((other for other, same in files[:i] if same == path), None)
        if clash:
            raise UsageError(f"{clash} and {flag} name the same file", "give each its own file: --svg chart.svg --html report.html --xlsx data.xlsx")
    st = open_store(store)
    data = load_authority(st, authority)
    view = views.timeline(data, env.tagger, with_items=html is not None or (fmt or "").lower() == "html")
    if xlsx is not None:
        from ofstl.cli.across import timeline_xlsx

        timeline_xlsx(xlsx, view, data, st, force)
    for target, picture in ((svg, "svg"), (html, "html")):
        if target is not None:  # an empty name is refused by write_file
            write_file(target, render_view("timeline", picture, view, env), view, st, force)
    pictures = svg is not None or html is not None
    if fmt is None and (svg == "-" or html == "-" or env.quiet) and (pictures or xlsx):
        return  # the picture went to stdout, or only results were asked for
    emit_view("timeline", fmt, view)


@app.command()
@handled
def diff(
    authority: str = AuthorityArg,
    from_: Optional[str] = typer.Argument(None, metavar="FROM", help="Year (2013), date (2013-12) or inspection id.", autocompletion=complete_when),
    to: Optional[str] = typer.Argument(None, metavar="TO", help="Year, date or inspection id (default: the next graded one).", autocompletion=complete_when),
    store: Optional[str] = StoreOpt,
    fmt: Optional[str] = FormatOpt("diff"),
    exit_code: bool = typer.Option(False, "--exit-code", help="Exit 1 when the inspections differ, 0 when they do not (like diff(1))."),
) -> None:
    """What changed between two inspections (default: the latest two graded ones).

    A one-line header, then only what changed, each change under its path: judgements.KEY
    with before and after; then the weaknesses newly raised and no longer raised, each item
    once with its themes beside it.

    Examples:

    \b
      ofstl diff hillingdon
      ofstl diff hillingdon 2013 2018
      ofstl diff hounslow 2018 2023 --exit-code --format json
    """
    from ofstl import views

    env = current_env()
    data = load_authority(open_store(store), authority)
    before, after = views.diff_pair(data, from_, to)
    view = views.diff(data, before, after, env.tagger)
    emit_view("diff", fmt, view)
    if fmt and fmt.lower() != "table":  # the table says it in its header; machine formats on stderr too
        for warning in view["warnings"]:
            env.say(f"ofstl: warning: {warning}")
    if exit_code and view["differences"]:
        raise typer.Exit(1)


@app.command(name="list")
@handled
def list_(store: Optional[str] = StoreOpt, fmt: Optional[str] = FormatOpt("list")) -> None:
    """Authorities in the store, with inspection count, years and latest grade (with its year).

    Examples:

    \b
      ofstl list
      ofstl list --format json
    """
    from ofstl import views

    emit_view("list", fmt, views.authority_rows(load_histories(open_store(store))))
    finish_partial()


@app.command()
@handled
def show(
    authority: str = AuthorityArg,
    when: Optional[str] = WhenArg,
    store: Optional[str] = StoreOpt,
    fmt: Optional[str] = FormatOpt("show"),
) -> None:
    """Everything stored about one inspection, with the evidence for each field.

    Each judgement shows the words as printed, the document (first 12 characters of its
    sha256), the page and how it was read; each weakness its page and themes.

    Examples:

    \b
      ofstl show hounslow 2018
      ofstl show hillingdon hillingdon-2013-11-sif --format json
    """
    from ofstl import views

    from ofstl.source_paths import sources_shown

    env = current_env()
    st = open_store(store)
    data = load_authority(st, authority)
    records = data["inspections"]
    if not records:
        raise UsageError(f"no inspections of {data['name']} in the store")
    record = views.select(records, when) if when is not None else views.latest(records)
    emit_view("show", fmt, views.show(data, sources_shown(record, st.root), env.tagger))


@app.command()
@handled
def export(store: Optional[str] = StoreOpt, fmt: Optional[str] = FormatOpt("export"),
           xlsx: Optional[str] = typer.Option(None, "--xlsx", metavar="FILE", help="Also write an Excel workbook (one row per inspection, and its sources)."),
           force: bool = typer.Option(False, "--force", help="Overwrite an existing --xlsx file that ofstl did not write.")) -> None:
    """The whole store as one JSON document (SPEC section 3) or CSV (one row per inspection).

    Examples:

    \b
      ofstl export > store.json
      ofstl export --format csv > inspections.csv
    """
    from ofstl import views
    from ofstl.render.registry import renderer
    from ofstl.source_paths import sources_shown

    # Each council's history, as its timeline shows it: an inspection a successor's document
    # mentions is exported once, under the council inspected (not also under the successor).
    st = open_store(store)
    exported = views.export(load_histories(st), current_env().tagger)
    if xlsx is not None or renderer("export", fmt).name != "csv":  # documents named: where a person opens them
        exported["inspections"] = [sources_shown(row, st.root) for row in exported["inspections"]]
    if xlsx is not None:
        from ofstl.cli.across import export_xlsx

        export_xlsx(xlsx, exported, st, force)
        if fmt is None:
            finish_partial()
            return
    emit_view("export", fmt, exported)
    finish_partial()
