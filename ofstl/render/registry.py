"""One registry: for each view, the formats it can be written in and the renderer of each.

pip-audit's ``_format`` package is the model: every output format is an object behind one
interface, chosen once from the command line's ``--format``. A render module registers its
renderers with ``@renders(view, format)``; the CLI asks ``formats(view)`` for the choices
(help, checking, shell completion) and ``renderer(view, format)`` for the one to call. A
renderer is a pure function of the view's data and the ``Options`` of the run; it returns
text, or styled lines (``ofstl.render.Line``) that the CLI prints coloured or plain.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable, Union

from ofstl.errors import UsageError

# The modules whose renderers register here (a new view adds its module to this list).
RENDER_MODULES = ["ofstl.render.timeline", "ofstl.render.reports", "ofstl.render.lists", "ofstl.render.machine", "ofstl.render.ingest",
                  "ofstl.render.picture", "ofstl.render.report_page", "ofstl.render.across", "ofstl.render.backtest", "ofstl.render.across_markdown",
                  "ofstl.render.verify", "ofstl.render.theme_across"]


@dataclass(frozen=True)
class Options:
    """How a run wants its output laid out (from the command line, never the environment)."""

    width: int = 100
    all_themes: bool = False  # timeline: every theme, not only the most frequent recurring ones
    items: bool = False  # themes --theme: the reports' words under each authority
    why: bool = False  # themes --tag --why: the words behind each theme (a why column even with no items)
    today: str = ""  # the date a picture's source line gives


Output = Union[str, list]  # text, or styled lines


@dataclass(frozen=True)
class Format:
    view: str
    name: str
    description: str
    render: Callable[[Any, Options], Output]
    default: bool = False
    fold: bool = True  # lines wider than the width are folded (a layout not yet width-aware says False)


_REGISTRY: dict[str, dict[str, Format]] = {}


def renders(view: str, name: str, description: str = "", default: bool = False,
            fold: bool = True) -> Callable[[Callable[[Any, Options], Output]], Callable[[Any, Options], Output]]:
    """Decorator: register ``func`` as the renderer of ``view`` in format ``name``."""
    def register(func: Callable[[Any, Options], Output]) -> Callable[[Any, Options], Output]:
        _REGISTRY.setdefault(view, {})[name] = Format(view, name, description, func, default, fold)
        return func
    return register


def _loaded() -> dict[str, dict[str, Format]]:
    for module in RENDER_MODULES:
        importlib.import_module(module)
    return _REGISTRY


def views() -> list[str]:
    return sorted(_loaded())


def formats(view: str) -> list[str]:
    """The format names a view can be written in, the default first."""
    known = _loaded().get(view, {})
    canon = ["table", "json", "csv", "markdown", "svg", "html"]
    return sorted(known, key=lambda name: (not known[name].default, canon.index(name) if name in canon else len(canon), name))


def default_format(view: str) -> str:
    return formats(view)[0]


def renderer(view: str, name: str | None) -> Format:
    """The renderer for ``--format name`` (None: the view's default); a usage error otherwise."""
    choices = formats(view)
    chosen = (name or choices[0]).lower()
    if chosen not in choices:
        # a workbook is a file, not a stream: "--format xlsx" is the first thing people try
        hint = ("an Excel workbook is written to a file: --xlsx FILE (timeline, export, compare, national, due)"
                if chosen in ("xlsx", "xls", "excel") else None)
        raise UsageError(f"--format must be one of {', '.join(choices)}, not {name!r}", hint)
    return _loaded()[view][chosen]
