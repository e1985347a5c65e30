"""The ``ofstl`` application: the typer app, its global options and the console entry point.

Commands live in modules of their own (``ofstl.cli.commands`` and one module per newer
command) and register on ``app``; ``ofstl.cli`` imports them all. The CLI is a thin skin:
every answer comes from ``ofstl.views`` and is laid out by
``ofstl.render`` (``ofstl.render.picture`` and ``report_page`` for SVG/HTML). Output decisions (terminal or pipe,
colour, width, quiet/verbose) go through one ``ofstl.cli.env.Env`` built by the top-level
callback. Results go to stdout, messages to stderr; expected failures print one line
(``ofstl: error: ...``) plus a hint and exit with the SPEC code; ``--debug`` shows the
traceback. Heavy imports happen inside commands so ``ofstl`` starts quickly. The shared
plumbing (error handling, store and authority resolution, output helpers) is
``ofstl.cli.support``.
"""

from __future__ import annotations

import copy
import os
import signal
import sys
from typing import Any, Optional

import typer
from typer.core import TyperCommand, TyperGroup

from ofstl import __version__
from ofstl.cli.env import Env, use_env
from ofstl.cli.completion import complete_authority, complete_format, complete_when
from ofstl.errors import ExitCode, Terminated
from ofstl.store_files import remove_pending_temps

EPILOG = ("Exit codes: 0 success · 1 some input could not be processed (diff --exit-code: they differ) · "
          "2 usage error, unknown authority · 3 internal error · 130 interrupted · 143 terminated (SIGTERM).")

class RememberingGroup(TyperGroup):
    """The app's group, keeping the command and its arguments as typed (``ctx.meta``), so a
    hint can give back the same command put right (``Try: ofstl diff hillingdon 2013 2018``)."""

    def invoke(self, ctx: Any) -> Any:
        ctx.meta["ofstl.argv"] = [*getattr(ctx, "_protected_args", []), *ctx.args]
        return super().invoke(ctx)


class PlainUsageCommand(TyperCommand):
    """A command whose usage line names a required argument ``AUTHORITY``, as README, man pages
    and clig.dev write it: typer writes ``{AUTHORITY}``, which reads as a set of choices to type
    braces around. Optional ones keep their brackets (``[WHEN]``); parsing and completion are
    typer's own."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return [piece[1:-1] if piece.startswith("{") and piece.endswith("}") else piece
                for piece in super().collect_usage_pieces(ctx)]


class OfstlTyper(typer.Typer):
    """The app, whose commands are ``PlainUsageCommand``s unless one asks for another class."""

    def command(self, *args: Any, cls: Any = None, **kwargs: Any) -> Any:
        return super().command(*args, cls=cls or PlainUsageCommand, **kwargs)


app = OfstlTyper(
    cls=RememberingGroup,
    epilog=EPILOG,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    pretty_exceptions_enable=False,
)

GLOBAL_FLAGS = {"--no-color", "-q", "--quiet", "-v", "--verbose", "--debug"}
GLOBAL_VALUED = ("--store", "--themes")  # the global options that take a value


def _version(value: bool) -> None:
    if value:
        print(f"ofstl {__version__}")
        raise typer.Exit()


CONCISE = """ofstl: the history of Ofsted inspections of English local authorities' children's services.

  ofstl fetch hillingdon        download its reports from Ofsted's site (--ingest reads them)
  ofstl ingest FOLDER           read Ofsted reports, letters, council papers, news into the store
  ofstl timeline hillingdon     grades over the years, and the weaknesses that keep coming back
  ofstl diff hillingdon         what changed between the latest two graded inspections
  ofstl show hounslow 2018      one inspection, with the evidence behind each field
  ofstl list | themes | export  the whole store: authorities, national themes, JSON or CSV
  ofstl compare hillingdon      beside its statistical neighbours; ofstl national, ofstl due

Store: {store}
Run 'ofstl --help' for every command and option, 'ofstl COMMAND --help' for one command.
"""


@app.callback(invoke_without_command=True)
def main_options(
    ctx: typer.Context,
    store: Optional[str] = typer.Option(None, "--store", metavar="DIR", help="Store folder (default: $OFSTL_STORE, else ~/.local/share/ofstl)."),
    no_color: bool = typer.Option(False, "--no-color", help="No colour, even on a terminal (NO_COLOR=1 works too)."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="Only results and errors: no progress, no summary."),
    verbose: bool = typer.Option(False, "-v", "--verbose", help="Say more: one line per file on ingest, every failure."),
    debug: bool = typer.Option(False, "--debug", help="Show the traceback of any failure (or OFSTL_DEBUG=1)."),
    themes: Optional[str] = typer.Option(None, "--themes", metavar="FILE", help="Weakness theme taxonomy to use instead of the packaged one (or OFSTL_THEMES); 'extends: default' adds to it."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """The history of Ofsted inspections of English local authorities' children's services.

    Examples:

    \b
      ofstl ingest ~/ofsted-docs
      ofstl timeline hillingdon
      ofstl diff hillingdon 2013 2018
      ofstl export --format csv > inspections.csv
    """
    # Tests pass Env overrides (stdout_isatty=..., environ=...) as the context object.
    overrides = ctx.obj if isinstance(ctx.obj, dict) else {}
    debug = debug or bool(os.environ.get("OFSTL_DEBUG"))
    # the command and its arguments as typed, so a hint can give the same command put right
    argv = list(ctx.meta.get("ofstl.argv", []))
    env = use_env(Env(store=store, no_color=no_color, quiet=quiet, verbose=verbose, debug=debug, themes=themes, argv=argv, **overrides))
    if ctx.invoked_subcommand is None:
        from ofstl.errors import OfstlError
        from ofstl.store import Store, store_path

        try:
            root = store_path(store)
        except OfstlError as exc:
            env.err(f"ofstl: error: {exc.message}")
            raise typer.Exit(int(exc.exit_code)) from None
        count = 0
        if root.is_dir():
            # the authorities ``ofstl list`` lists (one history per council, a successor's file
            # holding its predecessor's inspections counted for both, an older ofstl's file
            # under a continued council's slug counted with today's), not the store's files
            from ofstl.cli.support import load_histories

            count = sum(1 for _ in load_histories(Store(root), env))
        state = f"{count} authorit{'y' if count == 1 else 'ies'}" if count else "empty: start with ofstl ingest FOLDER"
        if not count and not root.is_dir():
            from ofstl.cli.hints import demo_store_hint

            demo = demo_store_hint(env)
            state += f"; {demo}" if demo else ""
        if env.broken:  # warned about above; the overview still exits 0
            state = f"{count} authorit{'y' if count == 1 else 'ies'}; {len(env.broken)} file{'' if len(env.broken) == 1 else 's'} could not be read"
            env.broken.clear()
        env.out(CONCISE.format(store=f"{root} ({state})"))
        raise typer.Exit(0)


# --------------------------------------------------------------------------- helpers


AuthorityArg = typer.Argument(..., metavar="AUTHORITY", help="Slug, official name or common variant, any case.", autocompletion=complete_authority)
StoreOpt = typer.Option(None, "--store", metavar="DIR", help="Store folder (overrides the global option and $OFSTL_STORE).")


WhenArg = typer.Argument(None, metavar="WHEN", help="Year, date or inspection id (default: the latest).", autocompletion=complete_when)
AllThemesOpt = typer.Option(False, "--all-themes", help="Show every weakness theme, not only the most frequent recurring ones.")


def FormatOpt(view_or_help: str) -> Any:  # noqa: N802 - reads like the other option constants
    """``--format``: for a view in ``ofstl.render.registry`` the choices come from the
    registry (help and completion); otherwise the text given is the help."""
    from ofstl.render.registry import formats, views

    if view_or_help in views():
        choices = formats(view_or_help)
        text = f"Output format: {', '.join(choices)} (default {choices[0]})."
    else:
        text = f"Output format: {view_or_help}."
    return typer.Option(None, "--format", "-f", metavar="FORMAT", help=text, autocompletion=complete_format)


# --------------------------------------------------------------------------- entry point


def hoist_global_flags(args: list[str]) -> list[str]:
    """Let ``ofstl timeline x --no-color`` mean ``ofstl --no-color timeline x``."""
    if "--" in args:
        cut = args.index("--")
        head, tail = args[:cut], args[cut:]
    else:
        head, tail = args, []
    flags = [a for a in head if a in GLOBAL_FLAGS]
    rest = [a for a in head if a not in GLOBAL_FLAGS]
    return flags + format_after_command(rest) + tail


def format_after_command(args: list[str]) -> list[str]:
    """Let ``ofstl -f json list`` mean ``ofstl list -f json``: ``--format`` belongs to each
    command (its choices are the command's), and before the command name it was "No such
    option: -f" for an option every command that prints has."""
    moved: list[str] = []
    out: list[str] = []
    i = 0
    while i < len(args):
        word = args[i]
        if word in GLOBAL_VALUED and i + 1 < len(args):
            out += args[i:i + 2]
            i += 2
        elif word in ("-f", "--format") and i + 1 < len(args):
            moved += args[i:i + 2]
            i += 2
        elif word.startswith("--format="):
            moved.append(word)
            i += 1
        elif word.startswith("-"):
            out.append(word)
            i += 1
        else:  # the command name: the moved option goes right after it
            return out + [word] + moved + args[i + 1:]
    return out + moved


def _terminate(signum: int, frame: Any) -> None:
    """SIGTERM: stop as Ctrl-C stops (``Terminated`` is a KeyboardInterrupt), once; a second
    SIGTERM while that clean-up runs is ignored, so it finishes (SIGKILL still ends it)."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Terminated()


def utf8_output() -> None:
    """What goes to a file or a pipe is UTF-8, whatever the locale says (Windows writes a
    redirected stdout in its ANSI code page, a latin-1 locale in latin-1): a CSV with a ’ or ≥
    was an internal error there, and a CSV that changes encoding with the machine is no
    contract. A terminal keeps its own encoding, a character it cannot show replaced; stderr
    never fails over one."""
    for stream, redirected in ((sys.stdout, "utf-8"), (sys.stderr, None)):
        try:
            if redirected and not stream.isatty():
                stream.reconfigure(encoding=redirected)
            else:
                stream.reconfigure(errors="replace" if stream is sys.stdout else "backslashreplace")
        except (AttributeError, ValueError, OSError):  # not a text stream ofstl can change (a test's capture)
            pass


def command_word(args: list[str]) -> str | None:
    """The command named in ``args`` (after the global options), or None."""
    i = 0
    while i < len(args):
        word = args[i]
        if word in GLOBAL_VALUED:
            i += 2
        elif word.startswith("-"):
            i += 1
        else:
            return word
    return None


def only_the_command(args: list[str]) -> typer.Typer:
    """``app`` with only the command ``args`` run, when they name one.

    Why: typer turns every registered command into a click command (signatures, type hints,
    completion) before it runs one; with thirteen commands that is a tenth of ``ofstl
    timeline``'s time, paid on every run (bench: timeline < 0.3 s). The full app stays for
    everything that lists or looks up commands: the overview, ``--help``, a name that is no
    command (whose error suggests the near ones) and shell completion."""
    name = command_word(args)
    if name is None or any(key.endswith("_COMPLETE") for key in os.environ):
        return app
    named = [info for info in app.registered_commands
             if (info.name or getattr(info.callback, "__name__", "").replace("_", "-")) == name]
    if len(named) != 1:
        return app
    slim = copy.copy(app)
    slim.registered_commands = named
    return slim


def open_closed_streams() -> None:
    """A stdout or stderr the caller closed (``>&-``, ``2>&-``, a service without one) is
    Python's None: writing a result or an error to it was an internal error (exit 3, or 1 for a
    usage error). What would go there goes nowhere; the exit code still says how it went. A
    closed stdin stays None: ``themes --tag`` says there are no items."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - for the life of the process


def main() -> None:
    """Console entry point: expected failures become one line and an exit code."""
    open_closed_streams()
    utf8_output()
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `ofstl export | head` ends quietly
    if hasattr(signal, "SIGTERM") and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminate)
    try:
        import shutil

        from ofstl.cli.hints import program_name

        # usage lines say "ofstl" as README does; a hint's command is one to paste as it is
        program = program_name(sys.argv[0] if sys.argv else "", sys.executable, shutil.which)
        args = hoist_global_flags(sys.argv[1:])
        only_the_command(args)(args=args, prog_name="ofstl", obj={"program": program})
    except Terminated:
        remove_pending_temps()
        print("ofstl: terminated (SIGTERM)", file=sys.stderr)
        sys.exit(int(ExitCode.TERMINATED))
    except KeyboardInterrupt:
        remove_pending_temps()
        print("ofstl: interrupted", file=sys.stderr)
        sys.exit(int(ExitCode.INTERRUPTED))
