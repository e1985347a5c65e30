"""The original seven commands: ingest, timeline, diff, list, show, export, themes.

Each is a thin layer: resolve the store and the authority (``ofstl.cli.support``), ask
``ofstl.views`` for the answer, hand it to ``ofstl.render`` in the chosen format.
"""

from __future__ import annotations

from typing import Any, Optional

import typer

from ofstl.cli.app import AuthorityArg, FormatOpt, StoreOpt, app
from ofstl.cli.support import (
    _authority,
    _emit,
    _emit_err,
    _emit_machine,
    _env,
    _finish_partial,
    _format,
    _latest,
    _load_all,
    _store,
    _write_file,
    handled,
)
from ofstl.errors import ExitCode


@app.command()
@handled
def ingest(
    paths: Optional[list[str]] = typer.Argument(None, metavar="PATH", help="Files or folders (read recursively: .pdf .txt .md .html .htm)."),
    store: Optional[str] = StoreOpt,
    fmt: Optional[str] = FormatOpt("table (a summary on stderr) or json (one object per file on stdout)"),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", metavar="N", help="Worker processes (default: all cores)."),
    timeout: Optional[float] = typer.Option(None, "--timeout", metavar="SECONDS", help="Time limit for one document (default 120, or $OFSTL_FILE_TIMEOUT)."),
    rebuild: Optional[list[str]] = typer.Option(None, "--rebuild", metavar="AUTHORITY", help="Rebuild this authority's file from its sources, dropping hand edits (corrections are kept); repeatable."),
    retry_failed: bool = typer.Option(False, "--retry-failed", help="Read again the files an earlier ingest could not read (time-outs included)."),
) -> None:
    """Read documents and merge what they say into the store.

    Re-reading a file already stored changes nothing. A progress bar shows on a terminal;
    then a summary (added, unchanged, skipped, failed with reasons) goes to stderr.

    Examples:

    \b
      ofstl ingest ~/Downloads/ofsted
      ofstl ingest report.pdf letter.txt --store ./store
      ofstl ingest samples --format json | jq -r .status
      ofstl ingest ~/Downloads/ofsted --retry-failed
      ofstl ingest --rebuild hillingdon
    """
    import shlex

    from ofstl import authorities, render
    from ofstl.cli.progress import Progress
    from ofstl.errors import UsageError
    from ofstl.ingest import Ingest

    env = _env()
    chosen = _format(fmt, ("table", "json"))
    if not paths and not rebuild:
        raise UsageError("no PATH to read", "name files or folders: ofstl ingest FOLDER (or rebuild one: ofstl ingest --rebuild AUTHORITY)")
    st = _store(store, create=True)
    rebuild_slugs = [authorities.lookup(name, known=st.slugs() or None) for name in rebuild or []]
    run = Ingest(st, jobs=jobs, timeout=timeout, rebuild=rebuild_slugs, retry_failed=retry_failed)
    progress = Progress(env)
    if chosen == "json" and env.stdout_isatty:
        progress.enabled = False  # JSON lines and a live bar on the same screen would tangle

    def on_result(result: Any) -> None:
        progress.advance(result)
        if chosen == "json":
            env.out(render.to_json_line(result.to_dict()))
        elif env.verbose:
            progress.log(f"{result.status:<9} {result.path}" + (f"  → {result.authority}" if result.authority else "")
                         + (f"  {render._reason(result)}" if result.status != "added" else f"  ({result.message})"))

    with progress:
        results = run.run(paths or [], on_result=on_result, on_total=progress.start)
    for slug, count in run.rebuilt:
        env.say(f"rebuilt {st.file_for(slug)} from its sources: {count} inspections and visits (hand edits dropped, corrections kept)")
    root_option = store if store is not None else env.store
    suffix = f" --store {shlex.quote(root_option)}" if root_option else ""
    touched = sorted({r.authority for r in results if r.authority and r.status in ("added", "unchanged")})
    if touched:
        nxt = f"ofstl timeline {touched[0]}{suffix}" if len(touched) == 1 or "hillingdon" not in touched else f"ofstl timeline hillingdon{suffix}"
        if len(touched) > 1:
            nxt += f"  ·  ofstl list{suffix}  ({len(touched)} authorities)"
    else:
        nxt = None
    if not paths:
        return
    lines = render.ingest_summary(results, str(st.root), nxt, verbose=env.verbose)
    if not env.quiet:
        _emit_err(lines)
    elif any(r.status == "error" for r in results):
        _emit_err([lines[0]])
    if any(r.status == "error" for r in results):
        raise typer.Exit(int(ExitCode.PARTIAL))


@app.command()
@handled
def timeline(
    authority: str = AuthorityArg,
    store: Optional[str] = StoreOpt,
    fmt: Optional[str] = FormatOpt("table, json, csv (one row per inspection) or markdown"),
    svg: Optional[str] = typer.Option(None, "--svg", metavar="FILE", help="Also write the timeline as an SVG picture ('-' for stdout)."),
    html: Optional[str] = typer.Option(None, "--html", metavar="FILE", help="Also write a self-contained HTML page: grade chart and the items behind each theme."),
    xlsx: Optional[str] = typer.Option(None, "--xlsx", metavar="FILE", help="Also write an Excel workbook (inspections, themes, sources)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing --svg/--html file that ofstl did not write."),
) -> None:
    """One authority's inspections in date order: grades per judgement, recurring themes.

    The log lists every inspection and visit (● graded, ○ not graded, ◌ only mentioned in a
    later document); the matrix has judgements as rows and inspections as columns, each grade
    marked ↑ ↓ = against the previous one; under it, the weakness themes raised more than once.

    Examples:

    \b
      ofstl timeline hillingdon
      ofstl timeline "London Borough of Hillingdon" --format json
      ofstl timeline hillingdon --svg hillingdon.svg --html hillingdon.html
      ofstl timeline hillingdon --svg report/figure1.svg --force
    """
    from ofstl import render, views

    env = _env()
    chosen = _format(fmt, ("table", "json", "csv", "markdown"))
    st = _store(store)
    data = _authority(st, authority)
    view = views.timeline(data)
    if xlsx:
        from ofstl.cli.across import timeline_xlsx

        timeline_xlsx(xlsx, view, data)
    if svg is not None or html is not None or xlsx:
        from ofstl.render import picture

        for target, text in ((svg, lambda: picture.timeline_svg(view)), (html, lambda: picture.timeline_html(view, data))):
            if target is not None:  # an empty name is refused by _write_file
                _write_file(target, text(), view, st, force)
        if fmt is None:
            return
    if chosen == "json":
        env.out(render.to_json(view))
    elif chosen == "csv":
        env.out(render.to_csv(*render.timeline_csv_rows(view)))
    elif chosen == "markdown":
        env.out(render.timeline_markdown(view))
    else:
        _emit(render.timeline_lines(view, env.width))


@app.command()
@handled
def diff(
    authority: str = AuthorityArg,
    from_: Optional[str] = typer.Argument(None, metavar="FROM", help="Year (2013), date (2013-12) or inspection id."),
    to: Optional[str] = typer.Argument(None, metavar="TO", help="Year, date or inspection id (default: the next graded one)."),
    store: Optional[str] = StoreOpt,
    fmt: Optional[str] = FormatOpt("table, json or csv (one row per difference)"),
    exit_code: bool = typer.Option(False, "--exit-code", help="Exit 1 when the inspections differ, 0 when they do not (like diff(1))."),
) -> None:
    """What changed between two inspections (default: the latest two graded ones).

    A one-line header, then only what changed, each change under its path: judgements.KEY
    with before and after, themes.THEME with the items newly raised or no longer raised.

    Examples:

    \b
      ofstl diff hillingdon
      ofstl diff hillingdon 2013 2018
      ofstl diff hounslow 2018 2023 --exit-code --format json
    """
    from ofstl import render, views

    env = _env()
    chosen = _format(fmt, ("table", "json", "csv"))
    data = _authority(_store(store), authority)
    records = data["inspections"]
    if from_ and to:
        before, after = views.select(records, from_), views.select(records, to)
    elif from_:
        before = views.select(records, from_)
        later = [r for r in records if views.is_graded(r) and r["role"] == "subject" and views.when(r) > views.when(before)]
        after = later[0] if later else views.default_pair(records)[1]
    else:
        graded = [r for r in records if views.is_graded(r)]
        if len(graded) < 2:
            from ofstl.errors import UsageError

            choices = " ".join(sorted({views.when(r)[:4] for r in records if views.when(r) != "undated"}))
            raise UsageError(f"{data['name']} has {len(graded)} graded inspection{'s' if len(graded) != 1 else ''} in the store; nothing to compare by default",
                             f"name two: ofstl diff {data['authority']} FROM TO (years stored: {choices or 'none'})")
        before, after = views.default_pair(records)
    view = views.diff(data, before, after)
    view["from"].setdefault("type", before.get("type"))
    view["to"].setdefault("type", after.get("type"))
    if chosen == "json":
        env.out(render.to_json(view))
    elif chosen == "csv":
        env.out(render.to_csv(*render.diff_csv_rows(view)))
    else:
        _emit(render.diff_lines(view, env.width))
    if exit_code and view["differences"]:
        raise typer.Exit(1)


@app.command(name="list")
@handled
def list_(store: Optional[str] = StoreOpt, fmt: Optional[str] = FormatOpt("table, json, csv or markdown")) -> None:
    """Authorities in the store, with inspection count and latest grade.

    Examples:

    \b
      ofstl list
      ofstl list --format json
    """
    from ofstl import render, views

    chosen = _format(fmt, ("table", "json", "csv", "markdown"))
    rows = views.authority_rows(_load_all(_store(store)))
    cells = [[r[h] if r[h] is not None else "" for h in render.LIST_HEADER] for r in rows]
    if chosen in ("json", "csv", "markdown"):
        _emit_machine(chosen, rows, render.LIST_HEADER, cells)
    else:
        _emit(render.list_lines(rows))
    _finish_partial()


@app.command()
@handled
def show(
    authority: str = AuthorityArg,
    when: Optional[str] = typer.Argument(None, metavar="WHEN", help="Year, date or inspection id (default: the latest)."),
    store: Optional[str] = StoreOpt,
    fmt: Optional[str] = FormatOpt("table, json (the stored record) or markdown"),
) -> None:
    """Everything stored about one inspection, with the evidence for each field.

    Each judgement shows the words as printed, the document (first 12 characters of its
    sha256), the page and how it was read; each weakness its page and themes.

    Examples:

    \b
      ofstl show hounslow 2018
      ofstl show hillingdon hillingdon-2013-11-sif --format json
    """
    from ofstl import render, views

    env = _env()
    chosen = _format(fmt, ("table", "json", "markdown"))
    data = _authority(_store(store), authority)
    records = data["inspections"]
    if not records:
        from ofstl.errors import UsageError

        raise UsageError(f"no inspections of {data['name']} in the store")
    record = views.select(records, when) if when else _latest(records)
    if chosen == "json":
        env.out(render.to_json(record))
    elif chosen == "markdown":
        env.out(render.show_markdown(data, record))
    else:
        _emit(render.show_lines(data, record, env.width))


@app.command()
@handled
def export(store: Optional[str] = StoreOpt, fmt: Optional[str] = FormatOpt("json (default) or csv"),
           xlsx: Optional[str] = typer.Option(None, "--xlsx", metavar="FILE", help="Also write an Excel workbook (one row per inspection, and its sources).")) -> None:
    """The whole store as one JSON document (SPEC section 3) or CSV (one row per inspection).

    Examples:

    \b
      ofstl export > store.json
      ofstl export --format csv > inspections.csv
    """
    from ofstl import render, views

    env = _env()
    chosen = _format(fmt, ("json", "csv"), default="json")
    exported = views.export(_load_all(_store(store)))
    if xlsx:
        from ofstl.cli.across import export_xlsx

        export_xlsx(xlsx, exported)
        if fmt is None:
            _finish_partial()
            return
    if chosen == "json":
        env.out(render.to_json(exported))
    else:
        env.out(render.to_csv(*views.export_rows(exported)))
    _finish_partial()


@app.command()
@handled
def themes(
    file: Optional[str] = typer.Argument(None, metavar="[FILE]", help="With --tag: the items to tag (default: stdin)."),
    store: Optional[str] = StoreOpt,
    fmt: Optional[str] = FormatOpt("table, json, csv or markdown (with --tag: table, json or csv)"),
    tag: bool = typer.Option(False, "--tag", help="Tag your own items (one per line, or JSON lines with a text field) instead."),
) -> None:
    """Weakness themes across all authorities: how often each occurs and recurs.

    share: of the inspections with weaknesses, how many raise the theme; recurring_share: of
    the authorities with two or more such inspections, in how many it comes back.

    With --tag, read improvement items from FILE or stdin (an action plan, a tracker) and
    print each one's themes: json gives JSON lines with text and themes, csv a text,themes
    table (themes joined by |).

    Examples:

    \b
      ofstl themes
      ofstl themes --format csv
      ofstl themes --tag plan.txt
      jq -c '{text: .action}' tracker.jsonl | ofstl themes --tag --format json
    """
    from ofstl import render, views

    if tag:
        _tag_items(file, fmt)
        return
    if file is not None:
        from ofstl.errors import UsageError

        raise UsageError(f"unexpected argument {file!r}", "to tag items in a file: ofstl themes --tag FILE")
    chosen = _format(fmt, ("table", "json", "csv", "markdown"))
    view = views.national_themes(_load_all(_store(store)))
    if chosen in ("json", "csv", "markdown"):
        _emit_machine(chosen, view, render.THEMES_HEADER, render.themes_cells(view))
    else:
        _emit(render.themes_lines(view))
    _finish_partial()


def _tag_items(file: Optional[str], fmt: Optional[str]) -> None:
    """``themes --tag``: the items of FILE (or stdin) with their themes."""
    import sys

    from ofstl import render, views
    from ofstl.errors import UsageError
    from ofstl.tagging import parse_items, tag_items

    chosen = _format(fmt, ("table", "json", "csv"))
    if file is None or file == "-":
        if sys.stdin.isatty():
            raise UsageError("no items to tag", "give a FILE, or pipe items in: ofstl themes --tag < plan.txt")
        source, text = "stdin", sys.stdin.read()
    else:
        source = file
        try:
            with open(file, encoding="utf-8") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as e:
            reason = e.strerror if isinstance(e, OSError) and e.strerror else "not UTF-8 text"
            raise UsageError(f"{file}: cannot read items: {reason}") from None
    tagged = tag_items(parse_items(text, source), views.item_themes)
    env = _env()
    if chosen == "json":
        env.out("".join(render.to_json_line(t) for t in tagged))
    elif chosen == "csv":
        env.out(render.to_csv(["text", "themes"], [[t["text"], "|".join(t["themes"])] for t in tagged]))
    else:
        rows = [[", ".join(t["themes"]) or "-", t["text"]] for t in tagged]
        _emit(render.columns_lines(["themes", "item"], rows) if rows else [[("No items to tag.", "dim")]])
