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
from typing import Any, Iterable

from ofstl.parse.grades import SHORT
from ofstl.safe_text import escape_controls, json_safe
from ofstl.views import FRAMEWORK_NAMES

Segment = tuple[str, str]  # (text, rich style or "")
Line = list[Segment]

GRADE_STYLE = {
    "outstanding": "bold green", "good": "green", "requires improvement": "yellow", "adequate": "yellow",
    "inadequate": "bold red", "performs excellently": "bold green", "performs well": "green",
    "performs adequately": "yellow", "performs poorly": "bold red",
}
ARROW = {"up": "↑", "down": "↓", "same": "="}
ARROW_STYLE = {"up": "green", "down": "red", "same": "dim"}
SHORT_FRAMEWORK = {
    "apa": "APA", "jar": "JAR", "annual-rating": "AR", "cra": "CRA", "slac": "SLAC", "cpi": "CPI", "lac": "LAC",
    "sif": "SIF", "lscb-review": "LSCB", "ilacs": "ILACS", "focused-visit": "FV", "monitoring-visit": "MV",
    "jtai": "JTAI", "send": "SEND", "other": "other",
}
LEGEND = "O outstanding · G good · RI requires improvement · A adequate · I inadequate"
COL = 5  # width of one inspection column in the matrices
GAP = 2


# --------------------------------------------------------------------------- machine formats


def to_json(data: Any) -> str:
    return json_safe(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def to_json_line(data: Any) -> str:
    return json_safe(json.dumps(data, ensure_ascii=False, separators=(", ", ": "))) + "\n"


def to_csv(header: list[str], rows: list[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def to_markdown(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in row) + " |")
    return "\n".join(lines) + "\n"


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


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def _center(text: str, width: int = COL) -> str:
    return text.center(width) if len(text) <= width else _fit(text, width)


def _sorted_events(view: dict[str, Any]) -> list[dict[str, Any]]:
    """Events in date order, undated last (stable, so the store's order breaks ties)."""
    def key(e: dict[str, Any]) -> tuple[bool, str]:
        date = e.get("start") or e.get("published")
        return (date is None, date or "")
    return sorted(view["inspections"], key=key)


def event_date(event: dict[str, Any]) -> str:
    return event.get("start") or event.get("published") or "undated"


def event_name(event: dict[str, Any]) -> str:
    name = FRAMEWORK_NAMES.get(event["framework"], event["framework"])
    return f"{name} ({event['type']})" if event.get("type") else name


def headline_key(event: dict[str, Any]) -> str | None:
    from ofstl.parse.labels import KEY_ORDER

    for key in KEY_ORDER:
        if key in event["judgements"]:
            return key
    return next(iter(event["judgements"]), None)


def grade_cell(event: dict[str, Any], key: str) -> Segment:
    grade = event["judgements"].get(key)
    if not grade:
        return ("·", "dim")
    cell = SHORT.get(grade, grade[:2].upper()) + ARROW.get(event["changes"].get(key, ""), "")
    if event["role"] == "mentioned":
        cell += "*"
    if f"judgements.{key}" in event.get("corrections", ()):
        cell += "†"
    return (cell, GRADE_STYLE.get(grade, ""))


# --------------------------------------------------------------------------- list, themes


def columns_lines(header: list[str], rows: list[list[Any]], styles: list[list[str]] | None = None) -> list[Line]:
    """Aligned columns with a bold header (pip-audit style)."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [max(len(x) for x in col) for col in zip(header, *cells)] if header else []
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


LIST_HEADER = ["authority", "name", "inspections", "first", "last", "latest_grade"]


def list_lines(rows: list[dict[str, Any]]) -> list[Line]:
    if not rows:
        return [[("The store is empty. Add documents with: ofstl ingest FOLDER", "dim")]]
    cells = [[r[h] if r[h] is not None else "" for h in LIST_HEADER] for r in rows]
    styles = [["bold", "", "", "", "", GRADE_STYLE.get(r["latest_grade"] or "", "")] for r in rows]
    return columns_lines(LIST_HEADER, cells, styles)


THEMES_HEADER = ["theme", "inspections", "share", "recurring_share"]


def themes_cells(view: dict[str, Any]) -> list[list[Any]]:
    return [[t["theme"], t["inspections"], f"{t['share']:.0%}", f"{t['recurring_share']:.0%}"] for t in view["themes"]]


def themes_lines(view: dict[str, Any]) -> list[Line]:
    if not view["themes"]:
        return [[("No weaknesses in the store yet. Add documents with: ofstl ingest FOLDER", "dim")]]
    head: Line = [(f"{view['inspections']} inspections with weaknesses; {view['authorities_with_two_or_more']} authorities with two or more", "")]
    bar_cells = []
    rows = themes_cells(view)
    for t, row in zip(view["themes"], rows):
        bar_cells.append(row + ["█" * max(1, round(t["share"] * 20))])
    return [head, [("share: of those inspections, those raising it · recurring_share: of authorities with two or more, "
                    "where it recurs", "dim")], []] + columns_lines(THEMES_HEADER + [""], bar_cells,
                                                                        [["", "", "", "", "cyan"] for _ in bar_cells])


# --------------------------------------------------------------------------- ingest


def ingest_summary(results: list[Any], store: str, next_command: str | None, verbose: bool = False) -> list[Line]:
    """added/unchanged/skipped/failed counts, failures grouped by reason, the next command."""
    counts = {s: sum(1 for r in results if r.status == s) for s in ("added", "unchanged", "skipped", "error")}
    line: Line = [(f"{counts['added']} added", "green" if counts["added"] else ""), (f", {counts['unchanged']} unchanged", ""),
                  (f", {counts['skipped']} skipped", ""), (f", {counts['error']} failed", "bold red" if counts["error"] else ""),
                  (f" · store {store}", "dim")]
    lines: list[Line] = [line]
    skipped: dict[str, list[str]] = {}
    for r in results:
        if r.status == "skipped":
            skipped.setdefault(_reason(r), []).append(r.path)
    failed: dict[str, list[str]] = {}
    for r in results:
        if r.status == "error":
            failed.setdefault(_reason(r), []).append(r.path)
    for title, groups, style in (("skipped", skipped, "dim"), ("failed", failed, "red")):
        for reason, paths in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            if title == "skipped" or verbose:  # with --verbose every file already had its line
                lines.append([(f"  {title} {len(paths)}: ", style), (reason, "" if title == "failed" else "dim")])
                continue
            lines.append([(f"  {title} {len(paths)}: ", style), (reason, "")])
            shown = paths[:3]
            for p in shown:
                lines.append([(f"    {p}", "dim")])
            if len(paths) > len(shown):
                lines.append([(f"    … and {len(paths) - len(shown)} more (--verbose lists them)", "dim")])
    if next_command:
        lines.append([("next: ", "dim"), (next_command, "bold")])
    return lines


def _reason(result: Any) -> str:
    """The message without the path it starts with, so identical reasons group together."""
    message = result.message or result.status
    prefix = f"{result.path}: "
    return message[len(prefix):] if message.startswith(prefix) else message


# The reports live in modules of their own (they import this one); they are part of this
# module's interface, loaded when first asked for.
_REPORTS = {
    "timeline_lines": "render.timeline", "timeline_csv_rows": "render.timeline", "timeline_markdown": "render.timeline",
    "diff_lines": "render.reports", "diff_csv_rows": "render.reports", "show_lines": "render.reports", "show_markdown": "render.reports",
}


def __getattr__(name: str) -> Any:
    if name in _REPORTS:
        import importlib

        return getattr(importlib.import_module(f"ofstl.{_REPORTS[name]}"), name)
    raise AttributeError(f"module 'ofstl.render' has no attribute {name!r}")
