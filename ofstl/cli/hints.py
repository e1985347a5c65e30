"""Hints that say what to do next: a misspelt name's command put right, a missing folder.

A misspelt name's hint gives back the whole command put right, not a shorter one.

``ofstl diff hilingdon 2013 2018`` was answered "Try: ofstl diff hillingdon", which compares
another pair; ``--rebuild hilingdon`` was answered "Try: ofstl ingest hillingdon", which reads a
folder of that name. The command as typed is kept by the app's group
(``ofstl.cli.app.RememberingGroup``); only the misspelt word changes.
"""

from __future__ import annotations

import os
import shlex
from typing import Any, Callable, Optional


def program_name(argv0: str, executable: str, which: Callable[[str], Optional[str]], cwd: Optional[str] = None) -> str:
    """How to run this ofstl again, as a command to paste: ``ofstl`` when that is the one the
    PATH finds, else the path it was run by (``make demo`` runs ``.venv/bin/ofstl``, which is
    on no PATH: its "next: ofstl timeline ..." was "command not found"), or ``python -m
    ofstl`` with the python that ran it."""
    base = os.path.basename(argv0)
    if base == "__main__.py":  # python -m ofstl
        for name in ("python3", "python"):  # compared as paths: a venv's python links to the system's
            found = which(name)
            if found and os.path.abspath(found) == os.path.abspath(executable):
                return f"{name} -m ofstl"
        here = os.path.abspath(cwd or os.getcwd())
        python = os.path.relpath(executable, here) if executable.startswith(here + os.sep) else executable
        return f"{shlex.quote(python)} -m ofstl"
    if not base or os.sep not in argv0:
        return base or "ofstl"
    found = which(base)
    if found and (os.path.abspath(found) == os.path.abspath(argv0) or _same_file(found, argv0)):
        return base
    return shlex.quote(argv0)


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def retry_hint(env: Any, exc: Any) -> str:
    """``exc``'s hint (an ``UnknownAuthority``'s "did you mean ...?"), then the command to
    run: the one typed, its misspelt name put right, with the global ``--store`` if given."""
    retry = corrected_command(_typed(env), getattr(exc, "name", ""), exc.suggestions[0], env.program)
    return f"{exc.hint}  Try: {retry}" if retry else exc.hint


def _typed(env: Any) -> list[str]:
    """The command as typed, with the global ``--store`` if given (a retry reads the same store)."""
    return env.argv + (["--store", env.store] if env.store and "--store" not in env.argv else [])


def successor_hint(env: Any, typed: str, auth: Any) -> str:
    """For a council abolished in a reorganisation with no inspections stored: its successors,
    and the command as typed for the first of them (it was always ``ofstl timeline``, without
    the store given, whatever the command)."""
    said = f"{auth.display_name} was abolished on {auth.valid_to}; succeeded by {', '.join(auth.successors)}."
    retry = corrected_command(_typed(env), typed, auth.successors[0], env.program)
    retry = retry or f"{env.program} timeline {auth.successors[0]}{store_option(env.store_given)}"
    return f"{said}  Try: {retry}"


def corrected_command(argv: list[str], typed: str, suggestion: str, program: str = "ofstl") -> Optional[str]:
    """The command as typed with the misspelt name put right, or None when the name is not
    one of its words. Only the name changes: 'ofstl diff hilingdon 2013 2018' is retried with
    its years, 'compare hillingdon --with hounslo' keeps its subject, '--rebuild hilingdon'
    keeps its option ('Try: ofstl ingest hillingdon' would have read a folder of that name)."""
    out = list(argv)
    for i, word in enumerate(out):
        option, eq, value = word.partition("=") if word.startswith("--") else ("", "", word)
        names = [n.strip() for n in value.split(",")]
        if typed in names:
            names[names.index(typed)] = suggestion
            out[i] = option + eq + ",".join(names)
            return f"{program} " + shlex.join(out)
    return None


def check_folder_of(target: str) -> None:
    """A picture or workbook goes into a folder that exists (``--svg report/figure-1.svg`` as
    README shows it): say which folder is missing and how to make it, not the OS's "No such
    file or directory" with "choose a folder that exists"."""
    from ofstl.errors import UsageError

    folder = os.path.dirname(target)
    if folder and not os.path.isdir(folder):
        raise UsageError(f"cannot write {target}: there is no folder {folder}",
                         f"make it first (mkdir -p {shlex.quote(folder)}) or name a file in a folder that exists")


def no_documents_hint(slug: str, known: list[str], store_given: Optional[str], program: str = "ofstl") -> str:
    """What to run for an authority the store has no documents of: fetch them, into the same
    store (``--store`` as given: without it the hint filled the default store, not this one),
    after naming what the store does have."""
    from ofstl import authorities

    on = store_option(store_given)
    if not known:
        return f"add its documents first: {program} fetch {slug} --ingest{on} (or {program} ingest FOLDER{on})"
    # under the names the views take: a continued council's file is today's council's
    has = sorted({authorities.continued_by(s) or s for s in known})
    return f"the store has: {', '.join(has[:8])}{' …' if len(has) > 8 else ''}; or add its documents: {program} fetch {slug} --ingest{on}"


def store_option(store: Optional[str]) -> str:
    """`` --store DIR`` for a next command's store as given (quoted), or nothing."""
    return f" --store {shlex.quote(store)}" if store else ""


DEMO_STORE = "demo-store"  # the store `make demo` fills, in the folder it is run from


def demo_store_hint(env: Any) -> Optional[str]:
    """For a view of a store that does not exist, typed where ``make demo`` filled its store:
    the same command on the demo's store (README's tour uses the default store, and a
    newcomer who ran ``make demo`` first met "no store at ~/.local/share/ofstl")."""
    if not os.path.isdir(os.path.join(DEMO_STORE, "authorities")):
        return None
    return f"make demo's store is ./{DEMO_STORE}: {env.program} {shlex.join([*env.argv, '--store', DEMO_STORE])}"
