"""The timeline as a picture: a hand-written SVG, and a self-contained HTML report.

``timeline_svg(view)`` draws the grades over time (one step line per judgement, since a
grade holds until the next inspection; grade levels from inadequate to outstanding;
ungraded visits as hollow marks on a strip below), the grade matrix, the recurring
weakness themes and a source line. ``ofstl.render.report_page`` wraps the same chart in
one HTML page. Pure functions of view data; no dependency beyond the standard library, and
every piece of document text is escaped.
"""

from __future__ import annotations

import html
import re
from typing import Any

from ofstl.parse.labels import display_name
from ofstl.render.timeline import correction_legends, council_name, reorganisation_notes
from ofstl.safe_text import escape_controls
from ofstl.render.registry import Options, renders
from ofstl.vocabulary import (
    ARROW, ARROW_LEGEND, CORRECTION_MARK, GRADE_LEGEND, GRADE_LEVEL, LEVEL_NAME, MENTION_LEGEND, MENTION_MARK,
    GRADE_NOT_STATED, RECURRENCE_LEGEND, SOURCE_LINE, Change, date_shown, grade_short, inspections_and_visits,
)

GRADE_FILL = {4: "#1a7f37", 3: "#57ab5a", 2: "#d4a72c", 1: "#cf222e"}
KEY_COLORS = ["#0969da", "#8250df", "#bf3989", "#1b7c83", "#9a6700", "#57606a", "#cf222e", "#116329", "#953800", "#6639ba"]
SVG_THEME_ROWS = 12
MARK_SPREAD = 9.0  # px between markers of one date and grade, side by side rather than stacked
FONT = "font-family:DejaVu Sans,Helvetica,Arial,sans-serif"

# The marks by which a later run knows a file is a picture ofstl wrote (and may overwrite it).
SVG_MARK = "<!-- written by ofstl timeline -->"
HTML_MARK = '<meta name="generator" content="ofstl timeline">'

W = 960
LEFT = 220
RIGHT = 40


def escape(text: str) -> str:
    """Text for SVG and HTML: markup characters as entities, and control characters (which
    XML forbids, and which a file gets as they are) as the visible escapes stdout shows."""
    return html.escape(escape_controls(str(text), keep_layout=True))


def _x(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def year_of(date: str | None) -> float | None:
    """'2013-11-25' -> 2013.9, '2013-11' -> 2013.87, '2013' -> 2013.5, None/undated -> None."""
    if not date or not re.match(r"^\d{4}", date):
        return None
    parts = date.split("-")
    year = int(parts[0])
    if len(parts) == 1:
        return year + 0.5
    month = int(parts[1])
    day = int(parts[2]) if len(parts) > 2 else 15
    return year + (month - 1) / 12 + (day - 1) / 365


def event_date(event: dict[str, Any]) -> str | None:
    return event.get("start") or event.get("published") or event.get("reported")


def arrow_mark(event: dict[str, Any], key: str) -> str:
    change = event["changes"].get(key)
    return ARROW[Change(change)] if change else ""


def is_corrected(event: dict[str, Any], key: str) -> bool:
    """Whether a person corrected this grade (``ofstl correct``): marked as the terminal marks it."""
    return f"judgements.{key}" in event.get("corrections", ())


def _whose(view: dict[str, Any], event: dict[str, Any]) -> str:
    """' of Northamptonshire' after an inspection of a predecessor or of the council continued
    ("ILACS (standard) of Bournemouth", "SIF of Dorset (county council)": brackets in brackets
    before)."""
    name = council_name(view, event)
    return f" of {name}" if name else ""


def _years(dated: list[str]) -> str:
    return f"{dated[0]}–{dated[-1]}" if dated[0] != dated[-1] else dated[0]


def _steps(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A step line: a grade holds until the next inspection, so no diagonal between them."""
    out: list[tuple[float, float]] = []
    for (x, y), nxt in zip(points, points[1:] + [None]):  # type: ignore[operator]
        out.append((x, y))
        if nxt is not None and nxt[1] != y:
            out.append((nxt[0], y))
    return out


def chart_svg(view: dict[str, Any], standalone: bool = True, today: str = "") -> str:
    """The SVG picture of one authority's timeline (``standalone``: with the XML prolog);
    ``today`` dates its source line."""
    events = [e for e in view["inspections"] if year_of(event_date(e)) is not None]
    events.sort(key=lambda e: year_of(event_date(e)) or 0)
    undated = len(view["inspections"]) - len(events)
    keys = view["judgement_keys"]
    years = [year_of(event_date(e)) or 0 for e in events]
    lo = int(min(years)) if years else 2005
    hi = int(max(years)) + 1 if years else 2025
    plot_w = W - LEFT - RIGHT

    def xpos(y: float) -> float:
        return LEFT + (y - lo) / max(1, hi - lo) * plot_w

    notes = reorganisation_notes(view)
    top = 70 + 16 * len(notes)  # a reorganised council: who came before or after, under the subtitle
    band = 34
    chart_h = band * 4
    parts: list[str] = []
    title = f"{view['name']}: Ofsted inspections of children's services"
    dated = [event_date(e)[:4] for e in events]  # type: ignore[index]
    subtitle = inspections_and_visits(len(view['inspections'])) + (f", {_years(dated)}" if dated else "")
    if undated:
        subtitle += f" ({undated} undated, not drawn)"
    parts.append(f'<text x="20" y="32" font-size="20" font-weight="bold">{escape(title)}</text>')
    parts.append(f'<text x="20" y="54" font-size="13" fill="#57606a">{escape(subtitle)}</text>')
    for i, note in enumerate(notes):
        parts.append(f'<text x="20" y="{70 + 16 * i}" font-size="13" fill="#57606a">{escape(note[:1].upper() + note[1:])}</text>')

    # Grade bands, best at the top.
    parts.append('<g id="grade-bands">')
    for i, level in enumerate((4, 3, 2, 1)):
        y = top + i * band
        parts.append(f'<rect x="{LEFT}" y="{y}" width="{plot_w}" height="{band}" fill="{GRADE_FILL[level]}" fill-opacity="0.10"/>')
        parts.append(f'<text x="{LEFT - 8}" y="{y + band / 2 + 4}" font-size="12" text-anchor="end">{escape(LEVEL_NAME[level])}</text>')
    parts.append("</g>")
    # Year axis.
    parts.append('<g id="axis" font-size="11" fill="#57606a">')
    step = 1 if hi - lo <= 12 else 2
    for yr in range(lo, hi + 1, step):
        x = xpos(yr)
        parts.append(f'<line x1="{_x(x)}" y1="{top}" x2="{_x(x)}" y2="{top + chart_h + 36}" stroke="#d0d7de" stroke-width="1"/>')
        parts.append(f'<text x="{_x(x)}" y="{top + chart_h + 52}" text-anchor="middle">{yr}</text>')
    parts.append("</g>")

    def ypos(level: int, k: int) -> float:
        offset = (k - (len(keys) - 1) / 2) * 3  # keep coincident lines visible side by side
        return top + (4 - level) * band + band / 2 + offset

    # One step line per judgement; markers of one date and grade side by side, not stacked.
    spread: dict[tuple[str, str], float] = {}
    for e in events:
        by_level: dict[int, list[str]] = {}
        for key in keys:
            if key in e["judgements"]:
                by_level.setdefault(GRADE_LEVEL.get(e["judgements"][key], 2), []).append(key)
        for same in by_level.values():
            for i, key in enumerate(same):
                spread[(e["id"], key)] = (i - (len(same) - 1) / 2) * MARK_SPREAD
    parts.append('<g id="grade-lines">')
    for k, key in enumerate(keys):
        color = KEY_COLORS[k % len(KEY_COLORS)]
        points = [(xpos(year_of(event_date(e)) or 0), ypos(GRADE_LEVEL.get(e["judgements"][key], 2), k), e) for e in events if key in e["judgements"]]
        if len(points) > 1:
            path = " ".join(f"{_x(px)},{_x(py)}" for px, py in _steps([(px, py) for px, py, _ in points]))
            parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2" stroke-opacity="0.8" data-judgement="{escape(key)}"/>')
        for px, py, e in points:
            px += spread.get((e["id"], key), 0.0)
            grade = e["judgements"][key]
            fill = GRADE_FILL.get(GRADE_LEVEL.get(grade, 2), "#888")
            mentioned = e["role"] == "mentioned"
            style = f'fill="white" stroke="{fill}" stroke-dasharray="2,2"' if mentioned else f'fill="{fill}" stroke="white"'
            note = " (only mentioned by a later document)" if mentioned else ""
            note += " (corrected by hand)" if is_corrected(e, key) else ""
            parts.append(f'<circle cx="{_x(px)}" cy="{_x(py)}" r="5" {style} stroke-width="1.5">'
                         f'<title>{escape(display_name(key))}: {escape(grade)}, {escape(event_date(e) or "")} {escape(e["name"])}{escape(_whose(view, e))}{note}</title></circle>')
    parts.append("</g>")

    # Ungraded visits on a strip under the chart.
    strip = top + chart_h + 18
    # An inspection that was graded but whose grades no stored document gives (a mention of
    # "the ILACS in 2022") sits on the strip too, marked "?": it is no visit.
    not_stated = [e for e in events if not e["graded"] and e["headline"] == GRADE_NOT_STATED]
    parts.append(f'<text x="{LEFT - 8}" y="{strip + 4}" font-size="12" text-anchor="end">Visits (not graded)</text>')
    if not_stated:
        parts.append(f'<text x="{LEFT - 8}" y="{strip + 18}" font-size="11" fill="#57606a" text-anchor="end">?: {GRADE_NOT_STATED}</text>')
    parts.append('<g id="visits">')
    last_label = -1000.0
    above = False
    for e in events:
        if e["graded"]:
            continue
        x = xpos(year_of(event_date(e)) or 0)
        label = escape(e["short"] + ("?" if e in not_stated else ""))
        dash = ' stroke-dasharray="2,2"' if e["role"] == "mentioned" else ""
        mentioned = " (only mentioned by a later document)" if e["role"] == "mentioned" else ""
        parts.append(f'<circle cx="{_x(x)}" cy="{strip}" r="5" fill="white" stroke="#57606a" stroke-width="1.5"{dash}>'
                     f'<title>{escape(event_date(e) or "")} {escape(e["name"])}{escape(_whose(view, e))}'
                     f'{": " + escape(e["theme"]) if e.get("theme") else ": outcome " + escape(e["outcome"]) if e.get("outcome") else ""}{": " + GRADE_NOT_STATED if e in not_stated else ""}{mentioned}</title></circle>')
        above = (x - last_label < 30) and not above  # labels sit under their mark; close neighbours alternate
        last_label = x
        parts.append(f'<text x="{_x(x)}" y="{strip - 9 if above else strip + 17}" text-anchor="middle" font-size="10" fill="#57606a">{label}</text>')
    parts.append("</g>")

    # Legend: one swatch per judgement.
    legend_y = top + chart_h + 76
    parts.append('<g id="legend" font-size="12">')
    x = 20.0
    for k, key in enumerate(keys):
        name = display_name(key)
        parts.append(f'<line x1="{_x(x)}" y1="{legend_y - 4}" x2="{_x(x + 18)}" y2="{legend_y - 4}" stroke="{KEY_COLORS[k % len(KEY_COLORS)]}" stroke-width="3"/>')
        parts.append(f'<text x="{_x(x + 22)}" y="{legend_y}">{escape(name)}</text>')
        x += 30 + len(name) * 6.8
        if x > W - 160 and k < len(keys) - 1:
            x = 20.0
            legend_y += 18
    parts.append("</g>")

    y = legend_y + 26
    matrix, y = _matrix_svg(view, events, keys, y)
    parts.append(matrix)
    themes, y = _themes_svg(view, events, y)
    parts.append(themes)
    source = SOURCE_LINE.format(date=today) if today else SOURCE_LINE.split(",")[0]
    parts.append(f'<text id="source" x="20" y="{_x(y + 10)}" font-size="11" fill="#57606a">{escape(source)}</text>')
    height = int(y + 30)
    # The comment marks the file as ofstl's, so a later run may overwrite it without --force.
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n{SVG_MARK}\n' if standalone else ""
    # The text alternative: a title and, for a screen reader or a picture that will not load,
    # every inspection's date, name and headline in words (its <title> children are hover hints).
    described = "; ".join(f"{date_shown(e['date'])} {e['name']}{_whose(view, e)}: {e['headline']}" for e in view["inspections"])
    return (f'{head}<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{height}" viewBox="0 0 {W} {height}" '
            f'role="img" aria-labelledby="chart-title chart-desc" style="{FONT}">\n'
            f'<title id="chart-title">{escape(title)}</title>\n<desc id="chart-desc">{escape(subtitle)}. {escape(described)}.</desc>\n'
            f'<rect width="{W}" height="{height}" fill="white"/>\n' + "\n".join(parts) + "\n</svg>\n")


def _cols_x(n: int, reserve: float = 0.0) -> tuple[float, float]:
    cell = min(64.0, (W - LEFT - RIGHT - reserve) / max(1, n))
    return float(LEFT), cell


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


HEAD_CHAR = 7.2  # px per character of 12px bold text in the widest of the fonts named
NOTE_CHAR = 6.2  # px per character of 10px text, likewise


def _column_heads(events: list[dict[str, Any]], x0: float, cell: float, y: float) -> tuple[list[str], float]:
    """Date and framework above each inspection's column, and the height they take. When a
    column is narrower than its head ("2013-11" is 50 px), each head is turned to read
    upwards on one line, since level heads would print over their neighbours."""
    out = []
    dates = [(event_date(e) or "")[:7] for e in events]
    if cell >= HEAD_CHAR * max(len(text) for d, e in zip(dates, events) for text in (d, e["short"])):
        for i, (e, date) in enumerate(zip(events, dates)):
            cx = x0 + i * cell + cell / 2
            out.append(f'<text class="column-head" x="{_x(cx)}" y="{_x(y + 12)}" text-anchor="middle" font-weight="bold">{escape(date)}</text>')
            out.append(f'<text class="column-head" x="{_x(cx)}" y="{_x(y + 26)}" text-anchor="middle" fill="#57606a">{escape(e["short"])}</text>')
        return out, 32
    texts = [f"{date} {e['short']}" for e, date in zip(events, dates)]
    height = max(len(t) for t in texts) * 6.6 + 4  # 11px text
    for i, text in enumerate(texts):
        cx, base = x0 + i * cell + cell / 2 + 4, y + height  # the glyphs stand left of a turned baseline
        out.append(f'<text class="column-head" x="{_x(cx)}" y="{_x(base)}" transform="rotate(-90 {_x(cx)} {_x(base)})" '
                   f'font-size="11">{escape(text)}</text>')
    return out, height + 8


def _matrix_svg(view: dict[str, Any], events: list[dict[str, Any]], keys: list[str], y: float) -> tuple[str, float]:
    graded = [e for e in events if e["graded"]]
    if not graded:
        return "", y
    x0, cell = _cols_x(len(graded))
    out = ['<g id="grade-matrix" font-size="12">', f'<text x="20" y="{_x(y)}" font-size="14" font-weight="bold">Grades</text>']
    y += 10
    heads, height = _column_heads(graded, x0, cell, y)
    out.extend(heads)
    y += height
    for key in keys:
        out.append(f'<text x="{LEFT - 8}" y="{_x(y + 16)}" text-anchor="end">{escape(display_name(key))}</text>')
        for i, e in enumerate(graded):
            grade = e["judgements"].get(key)
            x = x0 + i * cell
            if grade:
                fill = GRADE_FILL.get(GRADE_LEVEL.get(grade, 2), "#888")
                mentioned = e["role"] == "mentioned"
                label = grade_short(grade) + arrow_mark(e, key) + (MENTION_MARK if mentioned else "") + (CORRECTION_MARK if is_corrected(e, key) else "")
                opacity = "0.45" if mentioned else "1"
                how = " (corrected by hand)" if is_corrected(e, key) else ""
                out.append(f'<rect class="grade" x="{_x(x + 2)}" y="{_x(y + 2)}" width="{_x(cell - 4)}" height="20" rx="3" fill="{fill}" fill-opacity="{opacity}">'
                           f'<title>{escape(display_name(key))}: {escape(grade)}{how}</title></rect>')
                size = min(12.0, (cell - 4) / (0.62 * len(label)))  # a narrow cell: a smaller label, not one over its edges
                out.append(f'<text class="grade-label" x="{_x(x + cell / 2)}" y="{_x(y + 16)}" text-anchor="middle" fill="white" '
                           f'font-weight="bold" font-size="{_x(size)}">{escape(label)}</text>')
            else:
                out.append(f'<text x="{_x(x + cell / 2)}" y="{_x(y + 16)}" text-anchor="middle" fill="#afb8c1">·</text>')
        y += 24
    y += 6
    out.append(f'<text x="20" y="{_x(y + 10)}" font-size="11" fill="#57606a">{escape(GRADE_LEGEND)}</text>')
    marks = [ARROW_LEGEND] + [MENTION_LEGEND] * any(e["role"] == "mentioned" for e in graded)
    out.append(f'<text x="20" y="{_x(y + 24)}" font-size="11" fill="#57606a">{escape(" · ".join(marks))}</text>')
    # the † legend on a line of its own: it names the command that says why (one fits)
    for legend in correction_legends(view, graded, most=1):
        y += 14
        out.append(f'<text x="20" y="{_x(y + 24)}" font-size="11" fill="#57606a">{escape(legend)}</text>')
    y += 14
    out.append("</g>")
    return "\n".join(out), y + 30


def _themes_svg(view: dict[str, Any], events: list[dict[str, Any]], y: float) -> tuple[str, float]:
    recurring = [t for t in view["themes"] if t["recurring"]][:SVG_THEME_ROWS]
    if not recurring:
        return "", y
    raised = {i for t in recurring for i in t["inspections"]}
    columns = [e for e in events if e["id"] in raised]
    x0, cell = _cols_x(len(columns), reserve=100)
    out = ['<g id="themes" font-size="12">', f'<text x="20" y="{_x(y)}" font-size="14" font-weight="bold">Weaknesses that keep coming back</text>']
    y += 10
    heads, height = _column_heads(columns, x0, cell, y)
    out.extend(heads)
    y += height
    for t in recurring:
        out.append(f'<text x="{LEFT - 8}" y="{_x(y + 14)}" text-anchor="end">{escape(_fit(t["label"], 30))}<title>{escape(t["label"])}: '
                   f'{t["count"]}× {escape(t["status"])}</title></text>')
        out.append(f'<text x="{_x(x0 + len(columns) * cell + 6)}" y="{_x(y + 14)}" fill="#57606a">{t["count"]}× {escape(t["status"])}</text>')
        for i, e in enumerate(columns):
            x = x0 + i * cell + cell / 2
            if e["id"] in t["inspections"]:
                out.append(f'<rect class="theme-hit" x="{_x(x - 7)}" y="{_x(y + 3)}" width="14" height="14" fill="#cf222e"/>')
            else:
                out.append(f'<circle cx="{_x(x)}" cy="{_x(y + 10)}" r="2" fill="#afb8c1"/>')
        y += 20
    more = sum(1 for t in view["themes"] if t["recurring"]) - len(recurring)
    note = RECURRENCE_LEGEND + (f" · {more} more recurring themes in the HTML report" if more > 0 else "")
    # on lines that fit the picture: one line of it ran some 300px past the right edge
    lines: list[str] = []
    for part in note.split(" · "):  # broken between its phrases, never inside one
        if lines and len(lines[-1]) + 3 + len(part) <= (W - 40) / NOTE_CHAR:
            lines[-1] += " · " + part
        else:
            lines.append(part)
    for n, line in enumerate(lines):
        out.append(f'<text x="20" y="{_x(y + 12 + n * 13)}" font-size="10" fill="#57606a">{escape(line)}</text>')
    out.append("</g>")
    return "\n".join(out), y + 26 + 13 * (len(lines) - 1)


@renders("timeline", "svg", "the picture (SVG)")
def svg_format(view: dict[str, Any], options: Options) -> str:
    return timeline_svg(view, options.today)


def timeline_svg(view: dict[str, Any], today: str = "") -> str:
    return chart_svg(view, standalone=True, today=today)
