"""Views -> text: laid-out reports for people; JSON, CSV and Markdown for programs.

Every formatter is a pure function of view data (``ofstl.views``). The human reports are
built as *lines of styled segments* (``Line``), so one layout gives both the plain text
(pipes, NO_COLOR, golden tests) and the coloured terminal version (``to_rich``). Colour only
reinforces what the letters, arrows and markers already say. Text from documents is never
parsed as markup (reports contain "[...]"). rich is imported only inside ``to_rich``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any, Iterable

from ofstl.safe_text import escape_controls, json_safe
from ofstl.vocabulary import GRADE_LEGEND as LEGEND  # noqa: F401  (older name)

Segment = tuple[str, str]  # (text, rich style or "")
Line = list[Segment]

GRADE_STYLE = {
    "outstanding": "bold green", "good": "green", "requires improvement": "yellow", "adequate": "yellow",
    "inadequate": "bold red", "performs excellently": "bold green", "performs well": "green",
    "performs adequately": "yellow", "performs poorly": "bold red",
}
ARROW_STYLE = {"up": "green", "down": "red", "same": "dim", "better": "green", "worse": "red"}
COL = 5  # width of one inspection column in the matrices
GAP = 2


# --------------------------------------------------------------------------- machine formats


def to_json(data: Any) -> str:
    return json_safe(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def to_json_line(data: Any) -> str:
    return json_safe(json.dumps(data, ensure_ascii=False, separators=(", ", ": "))) + "\n"


# A cell a spreadsheet would take for a formula: "=", "+", "-", "@" (or a tab, CR or LF before
# one) at its start. A number ("-3", "+0.5") is a number, never a formula, and stays as it is.
_FORMULA_START = frozenset("=+-@\t\r\n")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def csv_cell(value: Any) -> Any:
    """A CSV cell as ofstl writes it: text a spreadsheet would run as a formula (an item's
    words, a person's note, a file name from a document, "=HYPERLINK(...)", "-Leaders ...")
    gets a leading apostrophe, which Excel and LibreOffice read as "this is text" (OWASP's
    advice for CSV injection). Text already starting with apostrophes before such a character
    gets one more, so a script undoes it exactly: drop one leading "'" from a cell matching
    ``'+[-=+@\\t\\r\\n]``. Numbers, dates and ofstl's own codes never start so and are left alone."""
    if isinstance(value, str) and value.lstrip("'")[:1] in _FORMULA_START and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def to_csv(header: list[str], rows: list[list[Any]]) -> str:
    """Every CSV ofstl writes, through one writer: a header row, then the rows, ``\n`` line
    ends, each cell through ``csv_cell``. A cell holding a CR is quoted as one holding a LF is:
    Python before 3.13 quotes only the line terminator's characters, and a bare CR in a cell
    (a JSON line given to ``themes --tag``) split the row in two for every reader."""
    out, row_text = [], io.StringIO()
    writer = csv.writer(row_text, lineterminator="\r\n")  # CR and LF both make a cell quoted
    for row in [header, *rows]:
        row_text.seek(0)
        row_text.truncate()
        writer.writerow([csv_cell(c) for c in row])
        out.append(row_text.getvalue()[:-2] + "\n")
    return "".join(out)


def to_markdown(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in row) + " |")
    return "\n".join(lines) + "\n"


def md_text(text: Any, table: bool = False) -> str:
    """Text from a document or a person, in a Markdown page as the words themselves: its
    emphasis, link, HTML, entity and heading characters escaped (a weakness reading "<b>" or
    "*all* children" is not markup). In a table cell, ``to_markdown`` escapes the pipes."""
    import re

    special = "\\`*_[]<>#&~" + ("" if table else "|")
    # an underscore inside a word ("hillingdon_2013_sif") is never emphasis: left as it is
    return re.sub(f"[{re.escape(special)}]", lambda m: m.group(0) if m.group(0) == "_" and _inside_word(m) else "\\" + m.group(0), str(text))


def _inside_word(match: Any) -> bool:
    text, i = match.string, match.start()
    return 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()


def md_code(text: Any) -> str:
    """A file name or an id in a Markdown page: a code span, shown exactly as it is."""
    import re

    text = str(text)
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# --------------------------------------------------------------------------- styled lines


def plain(lines: Iterable[Line]) -> str:
    """The report as plain text (trailing spaces trimmed)."""
    return "".join("".join(escape_controls(text) for text, _ in line).rstrip() + "\n" for line in lines)


def to_rich(lines: Iterable[Line]) -> Any:
    """The report as one rich ``Text`` with its styles."""
    from rich.text import Text

    out = Text()
    for line in lines:
        line = [(escape_controls(t), s) for t, s in line]  # text from documents and file names
        width = sum(len(t) for t, _ in line)
        trimmed = width - len("".join(t for t, _ in line).rstrip())
        for text, style in line:
            out.append(text, style=style or None)
        if trimmed:
            out.right_crop(trimmed)
        out.append("\n")
    return out


def console(env: Any, stderr: bool = False) -> Any:
    """A rich console bound to the env's stream, coloured only as the env decides; markup and
    highlighting off (document text contains '[...]')."""
    from rich.console import Console

    color = env.stderr_color if stderr else env.color
    return Console(
        file=env.stderr if stderr else env.stdout, force_terminal=color, no_color=not color,
        color_system="auto" if color else None, width=env.width, highlight=False, markup=False,
        emoji=False, soft_wrap=False,
    )


def fit(text: str, width: int) -> str:
    """The text cut to ``width`` characters, with an ellipsis when cut."""
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def center(text: str, width: int = COL) -> str:
    return text.center(width) if len(text) <= width else fit(text, width)


# --------------------------------------------------------------------------- list, themes


def columns_lines(header: list[str], rows: list[list[Any]], styles: list[list[str]] | None = None, width: int | None = None,
                  shrink: int | list[int] | None = None, keep: tuple[int, ...] = ()) -> list[Line]:
    """Aligned columns with a bold header (pip-audit style); with ``width``, the column(s)
    ``shrink`` (in that order), then the widest others, are cut so that every line fits;
    the columns ``keep`` are never cut (a slug a command takes, a span of years)."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [max(len(x) for x in col) for col in zip(header, *cells)] if header else []
    if width and widths and sum(widths) + 2 * (len(widths) - 1) > width:
        first = [shrink] if isinstance(shrink, int) else list(shrink or [])
        order = [i for i in first + sorted(range(len(widths)), key=lambda i: -widths[i]) if i not in keep]
        for column in order:  # the chosen column first, then the widest others
            over = sum(widths) + 2 * (len(widths) - 1) - width
            if over <= 0:
                break
            widths[column] = min(widths[column], max(len(header[column]), 8, widths[column] - over))
        cells = [[fit(c, widths[i]) for i, c in enumerate(row)] for row in cells]
    out: list[Line] = [[(h.ljust(w) + ("  " if i < len(header) - 1 else ""), "bold") for i, (h, w) in enumerate(zip(header, widths))]]
    for r, row in enumerate(cells):
        line: Line = []
        for i, (c, w) in enumerate(zip(row, widths)):
            style = styles[r][i] if styles else ""
            line.append((c.ljust(w), style))
            if i < len(row) - 1:
                line.append(("  ", ""))
        out.append(line)
    return out


def fold(line: Line, width: int) -> list[Line]:
    """A styled line broken between words so that no piece is wider than ``width``; the
    continuation is indented two more than the line. Lines that fit come back unchanged,
    so every report honours the width even where its layout did not plan for it."""
    if sum(len(text) for text, _ in line) <= width:
        return [line]
    import re

    first = "".join(text for text, _ in line)
    indent = " " * min(width // 2, len(first) - len(first.lstrip(" ")) + 2)
    out: list[Line] = [[]]
    used = 0
    for text, style in line:
        for chunk in re.findall(r"\S+\s*|\s+", text):
            # an offset into the chunk, never a copy of its rest: a word of a million characters
            # (a mangled store file) was copied once a line, and ``show`` took half a minute
            end, at = len(chunk.rstrip(" ")), 0
            while at < len(chunk):
                room = width - used
                word = max(0, end - at)
                if word <= room:
                    out[-1].append((chunk[at:at + room], style))
                    used += min(len(chunk) - at, room)
                    break
                if used > len(indent) and word <= width - len(indent):
                    out.append([(indent, "")])  # the word to the next line
                    used = len(indent)
                    continue
                out[-1].append((chunk[at:at + room], style))  # a word wider than a line: cut it
                at += room
                out.append([(indent, "")])
                used = len(indent)
    return [piece for piece in out if "".join(t for t, _ in piece).strip()]


def wrapped(text: str, width: int, style: str = "dim", indent: str = "") -> list[Line]:
    """A note wrapped to the width, one styled line per row."""
    import textwrap

    return [[(part, style)] for part in textwrap.wrap(text, width, subsequent_indent=indent, break_on_hyphens=False)]


# Older names for what now lives in modules of their own, loaded when first asked for.
_MOVED = {
    "timeline_lines": "render.timeline", "timeline_csv_rows": "render.timeline", "timeline_markdown": "render.timeline",
    "diff_lines": "render.reports", "diff_csv_rows": "render.reports", "show_lines": "render.reports", "show_markdown": "render.reports",
    "list_lines": "render.lists", "themes_lines": "render.lists", "themes_cells": "render.lists", "LIST_HEADER": "render.lists",
    "THEMES_HEADER": "render.lists", "ingest_summary": "render.ingest", "reason": "render.ingest",
}


def __getattr__(name: str) -> Any:
    if name in _MOVED:
        import importlib

        return getattr(importlib.import_module(f"ofstl.{_MOVED[name]}"), name)
    raise AttributeError(f"module 'ofstl.render' has no attribute {name!r}")
