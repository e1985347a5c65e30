"""The command line's plumbing: one-line errors, store and authority, output through the registry.

Every command in ``ofstl.cli`` resolves the store and the authority, and prints a view
through ``emit_view`` (which asks ``ofstl.render.registry`` for the renderer of the chosen
``--format``), so errors, formats, colour and pipes behave the same everywhere. Part of the
CLI skin (it may import typer and rich); the library never imports it.
"""

from __future__ import annotations

import functools
import os
import signal
import stat
import sys
import threading
from contextlib import contextmanager
from typing import Any, Iterator, Optional

import typer

from ofstl.cli.env import Env, current_env
from ofstl.errors import ExitCode, OfstlError, Terminated, UsageError
from ofstl.store_files import remove_pending_temps


def _fail(message: str, hint: Optional[str]) -> None:
    lines: list[Any] = [[(f"ofstl: error: {message}", "bold red")]]
    if hint:
        lines.append([(f"  {hint}", "")])
    emit_err(lines)


def handled(func: Any) -> Any:
    """Expected failures print one line (and a hint) on stderr and exit with their code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except OfstlError as exc:
            if current_env().debug:
                raise
            hint = exc.hint
            if getattr(exc, "suggestions", None):
                from ofstl.cli.hints import retry_hint

                hint = retry_hint(current_env(), exc)
            _fail(exc.message, hint)
            raise typer.Exit(int(exc.exit_code)) from None
        except Terminated:
            # SIGTERM (ofstl.cli.app.main): the same clean-up as Ctrl-C has run; say so, exit 143.
            remove_pending_temps()
            current_env().err("ofstl: terminated (SIGTERM); what was finished is stored, run the same command again to go on")
            raise typer.Exit(int(ExitCode.TERMINATED)) from None
        except KeyboardInterrupt:
            # Before click turns it into "Aborted!" and exit 1: say so, exit 130.
            remove_pending_temps()
            current_env().err("ofstl: interrupted; what was finished is stored, run the same command again to go on")
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except (typer.Exit, SystemExit):
            raise
        except BrokenPipeError:
            quiet_broken_pipe()
            raise typer.Exit(0) from None
        except Exception as exc:
            if current_env().debug:
                raise
            _fail(f"internal error: {type(exc).__name__}: {exc}",
                  "this is a bug in ofstl; run again with --debug for the traceback and report it")
            raise typer.Exit(int(ExitCode.INTERNAL)) from None

    return wrapper


@contextmanager
def writes_may_fail() -> Iterator[None]:
    """While a command that writes the store runs, a reader that goes away (a closed pipe)
    makes writes fail with BrokenPipeError instead of killing the process (SIGPIPE), so
    `ofstl ingest DIR -f json | head` does not stop the ingest halfway."""
    if not hasattr(signal, "SIGPIPE") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGPIPE, previous)


class ResultLines:
    """Result lines on stdout, one at a time, until the reader goes away (| head, | grep -m1
    error); then the rest are dropped and the command goes on (inside ``writes_may_fail``),
    its exit code still its own."""

    def __init__(self, env: Env):
        self.env = env
        self.gone = False

    def write(self, text: str) -> None:
        if self.gone:
            return
        try:
            self.env.out(text)
        except BrokenPipeError:
            self.gone = True
            quiet_broken_pipe()


def quiet_broken_pipe() -> None:
    # The reader went away (`ofstl export | head`): point stdout at /dev/null so the
    # interpreter's final flush does not complain.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def open_store(option: Optional[str], create: bool = False) -> Any:
    """The store named by --store (command or global), $OFSTL_STORE or the default; views
    need one that exists (``create``: ingest makes it)."""
    from ofstl.store import Store, check_root, store_path

    given = option if option is not None else current_env().store
    root = store_path(given)
    try:
        check_root(root, create=create, program=current_env().program)
    except UsageError as exc:
        if not create and not root.exists():
            from ofstl.cli.hints import demo_store_hint

            exc.hint = demo_store_hint(current_env()) or exc.hint
        raise
    current_env().store_given = given  # a hint's command names the same store
    return Store(root)


def warn_unmatched(store: Any, slug: str, unmatched: list[dict[str, Any]], env: Optional[Env] = None) -> None:
    """A correction whose inspection is no longer in the file: kept, and said by every view
    (README: the store), so that a figure is never taken as corrected when it is not."""
    for c in unmatched:
        warn_once(f"ofstl: warning: {store.file_for(slug)}: the correction of {c['inspection']} {c['field']} ({c['date']}) "
                  "matches no inspection now; it is kept in the file's corrections block (change its inspection: to the right id)", env)


def warn_once(message: str, env: Optional[Env] = None) -> None:
    """A warning said once a run, however many views come across its cause."""
    env = env or current_env()
    if message not in env.warned:
        env.warned.add(message)
        env.err(message)


def _warn_broken(env: Env, exc: Any) -> None:
    """A broken authority file: a warning now, exit 1 at the end (``finish_partial``)."""
    env.broken.append(exc.message)
    emit_err([[("ofstl: warning: ", "yellow"), (f"{exc.message}; the other authorities are shown", "")]])


def history_slugs(known: list[str]) -> list[str]:
    """The authorities whose histories the store's files hold (``known``: their slugs): a
    continued council's file is today's council's, and a split or merged council known only
    from its successors' documents (Dorset County Council in Dorset's file) has no file of its
    own, but its inspections are its own. Possibly some with no inspection (``assemble``)."""
    from ofstl import authorities

    slugs = {authorities.continued_by(s) or s for s in known}
    slugs |= {p.slug for s in list(slugs) for p in authorities.predecessors(s)}
    return sorted(slugs)


def load_histories(store: Any, env: Optional[Env] = None) -> Any:
    """Every authority's history (``ofstl.history.assemble``): a file an older ofstl left under
    a continued council's slug (somerset-county-council) is folded into today's council, as
    its timeline does, instead of being listed as an authority of its own; the rows a successor
    shows for a predecessor that keeps its own history stay with that predecessor (each
    inspection once, under the council inspected, even one known only from a successor's
    document). A broken file is a warning naming it (the rest are shown), and the command
    exits 1 at the end (``finish_partial``)."""
    from ofstl import authorities, history
    from ofstl.errors import StoreError

    env = env or current_env()
    known = store.slugs()
    for slug in history_slugs(known):
        try:
            data = history.assemble(store, slug)
        except StoreError as exc:
            _warn_broken(env, exc)
            continue
        if data is not None and data["inspections"]:  # a predecessor's inspections are listed under the predecessor
            # export, list, verify: a correction applied nowhere is said, for the council's own
            # file and for any file an older ofstl left under a council it continues
            for own in [slug] + [c for c in known if c != slug and authorities.continued_by(c) == slug]:
                warn_unmatched_corrections(store, own, data, known)
            shown = sorted({r["predecessor_of"] for r in data["inspections"] if r.get("predecessor_of")})
            own = dict(data, inspections=[r for r in data["inspections"] if not r.get("predecessor_of")])
            if shown:  # whose inspections its timeline shows besides its own (list names them)
                own["predecessors_shown"] = shown
            yield own


def finish_partial(env: Optional[Env] = None) -> None:
    """Exit 1 if any authority file could not be read (after printing the rest)."""
    env = env or current_env()
    if env.broken:
        env.broken.clear()
        raise typer.Exit(int(ExitCode.PARTIAL))


def load_authority(store: Any, name: str) -> dict[str, Any]:
    from ofstl import authorities
    from ofstl.errors import UsageError

    from ofstl.history import assemble

    known = store.slugs()
    slug = authorities.lookup(name, known=known or None)
    data = assemble(store, slug)  # across reorganisations (predecessors, successors)
    if data is None:
        from ofstl.cli.hints import no_documents_hint, successor_hint

        hint = no_documents_hint(slug, known, current_env().store_given, current_env().program)
        auth = authorities.get(slug)
        if auth.abolished and auth.successors:
            hint = successor_hint(current_env(), name, auth)
        raise UsageError(f"no inspections of {authorities.get(slug).display_name} in the store {store.root}", hint)
    warn_unmatched_corrections(store, slug, data, known)
    return data


def warn_unmatched_corrections(store: Any, slug: str, data: dict[str, Any], known: list[str]) -> None:
    """A warning for each correction in the authority's file that matches no inspection as
    shown (the history may be built from other councils' files too, as Dorset County
    Council's from Dorset's): it is applied nowhere until its inspection: is changed; and for
    each one written by hand that cannot be right for its inspection (not applied)."""
    from ofstl.corrections import apply
    from ofstl.safe_text import escape_controls

    if slug not in known:
        return
    corrections = store.corrections_of(slug)  # as loaded by the history just built
    if not corrections:
        return
    shown = [r for r in data["inspections"] if not r.get("predecessor_of")]
    from ofstl.history import carried

    # a continued council's file, in today's history, is applied as the history applies it:
    # each correction under its own id or today's (``carried``); it is unmatched when neither is
    variants = [carried([c], slug, data["authority"]) if slug != data["authority"] else [c] for c in corrections]
    applied = apply({"inspections": shown, "corrections": [v for vs in variants for v in vs]})
    missed = applied.get("unmatched_corrections", [])
    warn_unmatched(store, slug, [c for c, vs in zip(corrections, variants) if all(v in missed for v in vs)])
    for c in applied.get("unfit_corrections", []):  # written by hand: checked as ofstl correct checks
        warn_once(f"ofstl: warning: {store.file_for(slug)}: the correction of {c['inspection']} {c['field']} ({c['date']}) is not "
                  f"applied: {escape_controls(c['reason'])}; fix it in the file's corrections block")


def emit(lines: list[Any]) -> None:
    """A laid-out report: coloured through rich on a terminal, plain text otherwise."""
    from ofstl import render

    env = current_env()
    if env.color:
        render.console(env).print(render.to_rich(lines), soft_wrap=True, end="")
    else:
        env.out(render.plain(lines))


def emit_err(lines: list[Any]) -> None:
    from ofstl import render

    env = current_env()
    if env.stderr_color:
        render.console(env, stderr=True).print(render.to_rich(lines), soft_wrap=True, end="")
    else:
        env.stderr.write(render.plain(lines))
        env.stderr.flush()


def render_view(view_name: str, fmt: Optional[str], view: Any, env: Optional[Env] = None) -> Any:
    """A view in a format: the registry picks the renderer, with this run's options; styled
    lines wider than the width are folded (unless the renderer keeps its own lengths)."""
    from ofstl.render import fold
    from ofstl.render.registry import Options, renderer

    env = env or current_env()
    chosen = renderer(view_name, fmt)
    output = chosen.render(view, Options(width=env.width, all_themes=env.all_themes, items=env.items, why=env.why, today=env.today))
    if isinstance(output, str) or not chosen.fold:
        return output
    return [piece for line in output for piece in fold(line, env.width)]


def emit_view(view_name: str, fmt: Optional[str], view: Any, env: Optional[Env] = None) -> None:
    """Print a view in the chosen format, one place for all (text as is, reports coloured or plain)."""
    env = env or current_env()
    output = render_view(view_name, fmt, view, env)
    if isinstance(output, str):
        env.out(output)
    else:
        emit(output)


def _picture_marks() -> tuple[str, ...]:
    from ofstl.render.picture import HTML_MARK, SVG_MARK

    return (SVG_MARK, HTML_MARK)


def check_output_file(target: str, what: str, store: Any, force: bool, ours: Any) -> None:
    """The promises every file ofstl writes on request keeps: never inside the store, never a
    folder, over another existing file only when ``ours(path)`` says ofstl wrote it (or --force)."""
    from ofstl.errors import UsageError
    from ofstl.safe_text import escape_controls

    shown = escape_controls(target)
    real = os.path.realpath(target)
    if store is not None:
        root = os.path.realpath(store.root)
        if real == root or real.startswith(root.rstrip(os.sep) + os.sep):
            raise UsageError(f"{shown} is inside the store {store.root}; ofstl will not write a {what} there", "choose a file outside the store")
    if os.path.isdir(real):
        raise UsageError(f"{shown} is a folder", f"name a file to write the {what} to")
    from ofstl.store_files import is_stream

    # a device or a pipe holds nothing to lose (and reading a pipe to see whose it is would wait)
    if os.path.exists(real) and not force and not is_stream(target) and not ours(real):
        raise UsageError(f"{shown} exists and is not a {what} ofstl wrote", "choose another name, or add --force to overwrite it")


def _is_ofstl_picture(path: str) -> bool:
    """Whether the file is a picture ofstl wrote: the SVG's comment or the page's generator
    tag at its head (the words 'ofstl timeline' alone are in any notes about ofstl)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    return any(head.startswith(start.encode()) and mark.encode() in head
               for start, mark in zip(("<?xml", "<!DOCTYPE html>"), _picture_marks()))


def write_file(target: str, text: str, view: dict[str, Any], store: Any = None, force: bool = False) -> None:
    """Write a picture: never over a store file; over another existing file only when it
    is a picture ofstl wrote, or with --force."""
    from ofstl.errors import UsageError

    env = current_env()
    if target == "-":
        env.out(text)
        return
    if not target.strip():
        raise UsageError("the file name is empty", "name the picture file, or - for stdout")
    check_output_file(target, "picture", store, force, _is_ofstl_picture)
    from pathlib import Path

    from ofstl.cli.hints import check_folder_of
    from ofstl.store_files import atomic_write, is_stream

    if is_stream(target):  # /dev/null, a named pipe: written into, never replaced by a file
        try:
            with open(target, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as exc:
            raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
        return
    check_folder_of(target)
    # as the store's files: a new file beside it, renamed over it, so a run stopped half-way
    # leaves the earlier picture whole; a link is followed (the file it names is replaced)
    real = Path(os.path.realpath(target))
    try:
        if not real.parent.is_dir():  # atomic_write would make the folder; a picture's must exist
            raise FileNotFoundError(2, "No such file or directory")
        # the permissions of the file it replaces (one kept private stays so)
        mode = stat.S_IMODE(real.stat().st_mode) if real.is_file() else None
        atomic_write(real, text, mode=mode, tidy=True)
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}", "choose a folder that exists and is writable") from None
    from ofstl.vocabulary import inspections_and_visits

    env.say(f"wrote {target} ({view['name']}, {inspections_and_visits(len(view['inspections']))})")

