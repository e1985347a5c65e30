"""The environment a command runs in: terminal or pipe, colour, width, how much to say.

Every output decision reads this object (httpie's ``Environment`` idea), never
``sys.stdout.isatty()`` directly, so tests can build one for a terminal or for a pipe
without a pseudo-terminal. It is built once per run by the CLI's top-level callback and made the run's current
environment (``use_env``); settings such as the theme taxonomy travel in it, never through
``os.environ``. No typer or rich import here: ``ofstl.render.console(env)`` makes the rich
consoles.
"""

from __future__ import annotations

import contextvars
import datetime
import os
import sys
from dataclasses import dataclass, field
from typing import Any, Optional, TextIO

from ofstl.safe_text import escape_controls


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


@dataclass
class Env:
    """How this run talks: streams, whether they are terminals, colour, verbosity."""

    store: Optional[str] = None
    no_color: bool = False  # --no-color
    quiet: bool = False
    verbose: bool = False
    debug: bool = False
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    stdout_isatty: Optional[bool] = None  # None: ask the stream
    stderr_isatty: Optional[bool] = None
    environ: Optional[dict[str, str]] = None  # None: os.environ
    themes: Optional[str] = None  # --themes FILE (else $OFSTL_THEMES, else the packaged taxonomy)
    all_themes: bool = False  # set by commands that take --all-themes
    items: bool = False  # set by themes --theme --items
    why: bool = False  # set by themes --tag --why
    broken: list[str] = field(default_factory=list)  # authority files this run could not read (exit 1 at the end)
    warned: set[str] = field(default_factory=set)  # warnings already given this run (a file read twice warns once)
    store_given: Optional[str] = None  # the --store the command's store came from (None: $OFSTL_STORE or the default)
    argv: list[str] = field(default_factory=list)  # the command and its arguments as typed (for "Try: ..." hints)
    program: str = "ofstl"  # how to run ofstl again, in a hint's command (ofstl.cli.hints.program_name)

    def __post_init__(self) -> None:
        if self.stdout_isatty is None:
            self.stdout_isatty = _isatty(self.stdout)
        if self.stderr_isatty is None:
            self.stderr_isatty = _isatty(self.stderr)
        if self.environ is None:
            self.environ = dict(os.environ)

    # ------------------------------------------------------------- decisions

    def _color_allowed(self) -> bool:
        env = self.environ or {}
        if self.no_color or env.get("NO_COLOR") or env.get("OFSTL_NO_COLOR") or env.get("TERM") == "dumb":
            return False
        return True

    @property
    def color(self) -> bool:
        """Colour on stdout: only on a terminal, and not with NO_COLOR / --no-color / TERM=dumb."""
        env = self.environ or {}
        if not self._color_allowed():
            return False
        return bool(self.stdout_isatty) or bool(env.get("FORCE_COLOR"))

    @property
    def stderr_color(self) -> bool:
        env = self.environ or {}
        return self._color_allowed() and (bool(self.stderr_isatty) or bool(env.get("FORCE_COLOR")))

    @property
    def progress(self) -> bool:
        """Animate only on a terminal's stderr, and never when asked to be quiet."""
        return bool(self.stderr_isatty) and not self.quiet and (self.environ or {}).get("TERM") != "dumb"

    @property
    def width(self) -> int:
        """Terminal width (COLUMNS wins, as rich does); 100 when unknown, e.g. in a pipe or on
        a terminal that reports 0 columns (a serial console, some CI and editor terminals):
        that is "unknown", not "narrow", and laid out at 40 it wrapped every table."""
        env = self.environ or {}
        try:
            columns = int(env["COLUMNS"])
            if columns > 0:
                return max(40, columns)
        except (KeyError, ValueError):
            pass
        if self.stdout_isatty:
            try:
                columns = os.get_terminal_size(self.stdout.fileno()).columns
                if columns > 0:
                    return max(40, columns)
            except (OSError, AttributeError, ValueError):
                pass
        return 100

    @property
    def themes_path(self) -> Optional[str]:
        path = self.themes or (self.environ or {}).get("OFSTL_THEMES") or None
        return os.path.abspath(path) if path else None

    @property
    def tagger(self) -> Any:
        """The theme tagger of this run's taxonomy (one per taxonomy per process)."""
        from ofstl.theme_tagger import tagger_for

        return tagger_for(self.themes_path)

    @property
    def today(self) -> str:
        """The date pictures give in their source line (SOURCE_DATE_EPOCH for reproducible files)."""
        epoch = (self.environ or {}).get("SOURCE_DATE_EPOCH")
        if epoch and epoch.isdigit():
            return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date().isoformat()
        return datetime.date.today().isoformat()

    # ------------------------------------------------------------- output

    def out(self, text: str) -> None:
        """Results, on stdout: control characters from files and documents escaped (the one
        choke point for everything printed; JSON arrives already escaped)."""
        self.stdout.write(escape_controls(text, keep_layout=True))
        self.stdout.flush()

    def say(self, message: str) -> None:
        """A message for people, on stderr; silent with --quiet."""
        if not self.quiet:
            self.err(message)

    def err(self, message: str) -> None:
        """Always printed on stderr (errors). Coloured messages go through ``ofstl.render``."""
        print(escape_controls(message, keep_layout=True), file=self.stderr, flush=True)


_CURRENT: contextvars.ContextVar[Env] = contextvars.ContextVar("ofstl_env")


def use_env(env: Env) -> Env:
    """Make ``env`` the environment of the command now running (the top-level callback does)."""
    _CURRENT.set(env)
    return env


def current_env() -> Env:
    """The environment of the command now running; a default one outside a run."""
    try:
        return _CURRENT.get()
    except LookupError:
        return use_env(Env())
