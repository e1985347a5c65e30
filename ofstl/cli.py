"""The ``ofstl`` command line: parse options, call the library, print the result.

This module is a thin skin: every answer comes from ``ofstl.views`` and is formatted by
``ofstl.render``. Results go to stdout, messages to stderr; expected failures print one line
(``ofstl: error: ...``) and exit with the SPEC code; ``--debug`` shows the traceback. Heavy
imports happen inside commands so ``ofstl timeline`` starts quickly.
"""

from __future__ import annotations

import functools
import os
import signal
import sys
from dataclasses import dataclass
from typing import Any, Optional

import typer

from ofstl import __version__
from ofstl.errors import ExitCode, OfstlError

app = typer.Typer(
    help="The history of Ofsted inspections of English local authorities' children's services.\n\n"
    "Example: ofstl ingest ~/ofsted-docs && ofstl timeline hillingdon",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


@dataclass
class Env:
    """Decides once how output looks: terminal or pipe, colour or not, width."""

    store: Optional[str]
    color: bool
    quiet: bool
    verbose: bool
    debug: bool

    @property
    def stdout_tty(self) -> bool:
        return sys.stdout.isatty()

    def console(self, stderr: bool = False) -> Any:
        from rich.console import Console

        color = self.color and not os.environ.get("NO_COLOR")
        return Console(stderr=stderr, no_color=not color, highlight=False, soft_wrap=False, markup=False, emoji=False)

    def say(self, message: str) -> None:
        if not self.quiet:
            print(message, file=sys.stderr)


STATE: dict[str, Env] = {}


def handled(func: Any) -> Any:
    """Expected failures print one line (and a hint) on stderr and exit with their code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except OfstlError as exc:
            print(f"ofstl: error: {exc.message}", file=sys.stderr)
            if exc.hint:
                print(f"hint: {exc.hint}", file=sys.stderr)
            if _env().debug:
                raise
            raise typer.Exit(int(exc.exit_code)) from None
        except (typer.Exit, KeyboardInterrupt, SystemExit):
            raise
        except BrokenPipeError:
            raise typer.Exit(0) from None
        except Exception as exc:
            if _env().debug:
                raise
            print(f"ofstl: internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)", file=sys.stderr)
            raise typer.Exit(int(ExitCode.INTERNAL)) from None

    return wrapper


def _env() -> Env:
    return STATE.get("env") or Env(None, True, False, False, False)


def _version(value: bool) -> None:
    if value:
        print(f"ofstl {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    store: Optional[str] = typer.Option(None, "--store", help="Store folder (default: $OFSTL_STORE, else ~/.local/share/ofstl)."),
    no_color: bool = typer.Option(False, "--no-color", help="No colour, even on a terminal (NO_COLOR works too)."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="Only results and errors."),
    verbose: bool = typer.Option(False, "-v", "--verbose", help="Say more about each file."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    STATE["env"] = Env(store, not no_color, quiet, verbose, debug)


def _store(option: Optional[str]) -> Any:
    from ofstl.store import Store, store_path

    return Store(store_path(option or _env().store))


def _authority(store: Any, name: str) -> dict[str, Any]:
    from ofstl import authorities
    from ofstl.errors import UsageError

    slug = authorities.lookup(name, known=store.slugs() or None)
    data = store.load(slug)
    if data is None:
        raise UsageError(f"no inspections of {authorities.get(slug).display_name} in the store {store.root}", "ingest documents first: ofstl ingest FOLDER")
    return data


def _format(fmt: Optional[str], allowed: tuple[str, ...]) -> str:
    from ofstl.errors import UsageError

    chosen = fmt or "table"
    if chosen not in allowed:
        raise UsageError(f"--format must be one of {', '.join(allowed)}, not {chosen!r}")
    return chosen


def _print_table(renderable: Any) -> None:
    _env().console().print(renderable)


StoreOpt = typer.Option(None, "--store", help="Store folder (overrides the global option).")
FormatOpt = typer.Option(None, "--format", "-f", help="table, json, csv or markdown (as the command allows).")


@app.command()
@handled
def ingest(
    paths: list[str] = typer.Argument(..., help="Files or folders (read recursively)."),
    store: Optional[str] = StoreOpt,
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="table (summary) or json (one object per file)."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", help="Worker processes (default: all cores)."),
) -> None:
    """Read documents and merge what they say into the store.

    Example: ofstl ingest ~/Downloads/ofsted --store ./store
    """
    from ofstl.ingest import Ingest
    from ofstl.progress import Progress

    env = _env()
    chosen = _format(fmt, ("table", "json"))
    st = _store(store)
    progress = Progress(enabled=chosen == "table" and not env.quiet and sys.stderr.isatty())

    def on_result(result: Any) -> None:
        progress.advance(result)
        if chosen == "json":
            from ofstl.render import to_json

            print(to_json(result.to_dict()).replace("\n", " ").replace("  ", "").strip(), flush=True)
        elif result.status == "error":
            progress.log(f"ofstl: {result.message}")
        elif env.verbose:
            progress.log(f"{result.status:<9} {result.path}  {result.authority or ''} {result.message}")

    with progress:
        results = Ingest(st, jobs=jobs).run(paths, on_result=on_result, on_total=progress.start)
    counts = {s: sum(1 for r in results if r.status == s) for s in ("added", "unchanged", "skipped", "error")}
    authorities = sorted({r.authority for r in results if r.authority})
    env.say(f"{counts['added']} added, {counts['unchanged']} unchanged, {counts['skipped']} skipped, {counts['error']} failed · store {st.root}")
    if authorities and chosen == "table":
        env.say(f"next: ofstl timeline {authorities[0]}" + (f" --store {store or env.store}" if (store or env.store) else ""))
    if counts["error"]:
        raise typer.Exit(ExitCode.PARTIAL)


@app.command()
@handled
def timeline(authority: str = typer.Argument(..., help="Slug or name, any case."), store: Optional[str] = StoreOpt, fmt: Optional[str] = FormatOpt) -> None:
    """One authority's inspections in date order, grades per judgement, recurring themes.

    Example: ofstl timeline hillingdon --format json
    """
    from ofstl import render, views

    chosen = _format(fmt, ("table", "json", "csv", "markdown"))
    view = views.timeline(_authority(_store(store), authority))
    if chosen == "json":
        sys.stdout.write(render.to_json(view))
    elif chosen in ("csv", "markdown"):
        header, rows = render.timeline_rows(view)
        sys.stdout.write(render.to_csv(header, rows) if chosen == "csv" else render.to_markdown(header, rows))
    else:
        _print_table(render.timeline_table(view, _env().color))


@app.command()
@handled
def diff(
    authority: str = typer.Argument(..., help="Slug or name."),
    from_: Optional[str] = typer.Argument(None, metavar="[FROM]", help="Year, date (2013-12) or inspection id."),
    to: Optional[str] = typer.Argument(None, metavar="[TO]", help="Year, date or inspection id."),
    store: Optional[str] = StoreOpt,
    fmt: Optional[str] = FormatOpt,
    exit_code: bool = typer.Option(False, "--exit-code", help="Exit 1 when the inspections differ, 0 when not."),
) -> None:
    """What changed between two inspections (default: the latest two graded ones).

    Example: ofstl diff hillingdon 2013 2018
    """
    from ofstl import render, views

    chosen = _format(fmt, ("table", "json"))
    data = _authority(_store(store), authority)
    records = data["inspections"]
    if from_ and to:
        before, after = views.select(records, from_), views.select(records, to)
    elif from_:
        before = views.select(records, from_)
        later = [r for r in records if views.is_graded(r) and r["role"] == "subject" and views.when(r) > views.when(before)]
        after = later[-1] if later else views.default_pair(records)[1]
    else:
        before, after = views.default_pair(records)
    view = views.diff(data, before, after)
    sys.stdout.write(render.to_json(view) if chosen == "json" else render.diff_text(view))
    if exit_code and view["differences"]:
        raise typer.Exit(1)


@app.command(name="list")
@handled
def list_(store: Optional[str] = StoreOpt, fmt: Optional[str] = FormatOpt) -> None:
    """Authorities in the store, with inspection count and latest grade.

    Example: ofstl list --format json
    """
    from ofstl import render, views

    chosen = _format(fmt, ("table", "json", "csv", "markdown"))
    rows = views.authority_rows(_store(store).load_all())
    header = ["authority", "name", "inspections", "first", "last", "latest_grade"]
    cells = [[r[h] if r[h] is not None else "" for h in header] for r in rows]
    if chosen == "json":
        sys.stdout.write(render.to_json(rows))
    elif chosen == "csv":
        sys.stdout.write(render.to_csv(header, cells))
    else:
        sys.stdout.write(render.to_markdown(header, cells) if chosen == "markdown" else _plain_table(header, cells))


def _plain_table(header: list[str], rows: list[list[Any]]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths)).rstrip()]
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines) + "\n"


@app.command()
@handled
def show(
    authority: str = typer.Argument(..., help="Slug or name."),
    when: Optional[str] = typer.Argument(None, help="Year, date or inspection id (default: the latest)."),
    store: Optional[str] = StoreOpt,
    fmt: Optional[str] = FormatOpt,
) -> None:
    """Everything stored about one inspection, with the evidence for each field.

    Example: ofstl show hounslow 2018
    """
    from ofstl import render, views

    chosen = _format(fmt, ("table", "json"))
    data = _authority(_store(store), authority)
    record = views.select(data["inspections"], when) if when else data["inspections"][-1]
    sys.stdout.write(render.to_json(record) if chosen == "json" else render.show_text(data, record))


@app.command()
@handled
def export(store: Optional[str] = StoreOpt, fmt: Optional[str] = typer.Option(None, "--format", "-f", help="json (default) or csv.")) -> None:
    """The whole store as one JSON document (SPEC section 3) or CSV.

    Example: ofstl export --format csv > inspections.csv
    """
    from ofstl import render, views

    chosen = fmt or "json"
    if chosen not in ("json", "csv"):
        from ofstl.errors import UsageError

        raise UsageError(f"--format must be json or csv, not {chosen!r}")
    exported = views.export(_store(store).load_all())
    if chosen == "json":
        sys.stdout.write(render.to_json(exported))
    else:
        sys.stdout.write(render.to_csv(*views.export_rows(exported)))


@app.command()
@handled
def themes(store: Optional[str] = StoreOpt, fmt: Optional[str] = FormatOpt) -> None:
    """Weakness themes across all authorities: how often each occurs and recurs.

    Example: ofstl themes --format json
    """
    from ofstl import render, views

    chosen = _format(fmt, ("table", "json", "csv", "markdown"))
    view = views.national_themes(_store(store).load_all())
    if chosen == "json":
        sys.stdout.write(render.to_json(view))
        return
    header = ["theme", "inspections", "share", "recurring_share"]
    rows = [[t["theme"], t["inspections"], f"{t['share']:.0%}", f"{t['recurring_share']:.0%}"] for t in view["themes"]]
    if chosen == "csv":
        sys.stdout.write(render.to_csv(header, rows))
    elif chosen == "markdown":
        sys.stdout.write(render.to_markdown(header, rows))
    else:
        sys.stdout.write(f"{view['inspections']} inspections with weaknesses; {view['authorities_with_two_or_more']} authorities with two or more\n")
        sys.stdout.write(_plain_table(header, rows))


def main() -> None:
    """Console entry point: expected failures become one line and an exit code."""
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `ofstl export | head` ends quietly
    try:
        app()
    except KeyboardInterrupt:
        print("ofstl: interrupted", file=sys.stderr)
        sys.exit(int(ExitCode.INTERRUPTED))
