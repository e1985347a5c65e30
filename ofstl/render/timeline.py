"""The timeline report: an event log, the grade matrix and the recurring-theme matrix.

Pure functions of ``views.timeline`` data returning styled lines (see ``ofstl.render``),
plus its CSV and Markdown forms.
"""

from __future__ import annotations

from typing import Any

from ofstl.parse.labels import display_name
from ofstl.render import (
    ARROW, ARROW_STYLE, COL, GAP, GRADE_STYLE, LEGEND, SHORT_FRAMEWORK, Line, _center, _fit,
    _sorted_events, event_date, event_name, grade_cell, headline_key, to_markdown,
)


def timeline_lines(view: dict[str, Any], width: int = 100) -> list[Line]:
    """The log of events, the grade matrix, and the recurring themes under it."""
    events = _sorted_events(view)
    dated = [event_date(e)[:4] for e in events if event_date(e) != "undated"]
    span = f"{dated[0]}–{dated[-1]}" if dated and dated[0] != dated[-1] else (dated[0] if dated else "no dates")
    graded = [e for e in events if e["graded"]]
    n = len(events)
    lines: list[Line] = [[(f"{view['name']}", "bold"), (f" · {n} inspection{'s' if n != 1 else ''} and visits · {span}", "")]]
    lines += _reorganisation_lines(view)
    lines.append([])
    if not events:
        return lines + [[("No inspections stored.", "dim")]]

    # The log: one event per line; ● graded, ○ not graded, ◌ only mentioned by a later document.
    for e in events:
        if e["role"] == "mentioned":
            glyph, gstyle = "◌", "dim"
        else:
            glyph, gstyle = ("●", "bold") if e["graded"] else ("○", "")
        key = headline_key(e)
        grade = e["judgements"].get(key) if key else None
        line: Line = [(f"{glyph} ", gstyle), (f"{event_date(e):<10}  ", ""), (f"{_fit(event_name(e), 20):<20}  ", "")]
        if grade:
            line.append((f"{_fit(grade.capitalize(), 20):<20}", GRADE_STYLE.get(grade, "")))
        else:
            line.append((f"{'not graded':<20}", "dim"))
        note: Line = []
        if e.get("predecessor_of"):
            note = [(f"predecessor: {_predecessor_name(view, e['predecessor_of'])}" + (" · mentioned" if e["role"] == "mentioned" else ""), "dim")]
        elif e.get("inspected_as") and not e["changes"]:
            note = [(f"inspected as {_council_name(e['inspected_as'])}" + (" · only mentioned later" if e["role"] == "mentioned" else ""), "dim")]
        elif e["role"] == "mentioned":
            label = display_name(key).lower() if key and key != "overall" else ""
            note = [(f"only mentioned later{' · ' + label if label else ''}", "dim")]
        elif key and key in e["changes"]:
            change = e["changes"][key]
            prev = _previous_grade(events, e, key)
            text = f"{ARROW[change]} from {prev}" if change != "same" and prev else f"{ARROW[change]} unchanged"
            note = [(text, ARROW_STYLE[change])]
        elif e.get("theme"):
            note = [(e["theme"], "")]
        if e.get("disagreements"):
            note = [("! sources disagree" + (" · " + note[0][0] if note else ""), "yellow")]
        if e.get("corrections"):
            note = [("corrected by hand" + (f" · {note[0][0]}" if note else ""), "yellow")]
        if note:
            room = width - 56 - 2
            note = [(_fit(note[0][0], room), note[0][1])]
            line.append(("  ", ""))
            line.extend(note)
        lines.append(line)

    if graded:
        lines.append([])
        lines.extend(_grade_matrix(view, graded, width))
    lines.append([])
    lines.extend(_theme_matrix(view, events, width))
    return lines


def _council_name(slug: str) -> str:
    from ofstl import authorities

    auth = authorities.by_slug().get(slug)
    return auth.display_name if auth else slug


def _predecessor_name(view: dict[str, Any], slug: str) -> str:
    return next((p["name"] for p in view.get("predecessors", []) if p["authority"] == slug), slug)


def _reorganisation_lines(view: dict[str, Any]) -> list[Line]:
    """Who came before and after a reorganised council (``ofstl.history``)."""
    lines: list[Line] = []
    if view.get("successors"):
        names = ", ".join(s["name"] for s in view["successors"])
        lines.append([(f"abolished {view.get('abolished') or ''} · succeeded by {names}".replace("abolished  ·", "abolished ·"), "dim")])
    if view.get("predecessors"):
        names = ", ".join(f"{p['name']} (until {p['until']})" if p.get("until") else p["name"] for p in view["predecessors"])
        lines.append([(f"succeeds {names}: their inspections are marked 'predecessor'", "dim")])
    return lines


def _previous_grade(events: list[dict[str, Any]], event: dict[str, Any], key: str) -> str | None:
    before = None
    for e in events:
        if e is event:
            return before
        if key in e["judgements"]:
            before = e["judgements"][key]
    return before


def _header_rows(columns: list[dict[str, Any]], label_width: int) -> list[Line]:
    top: Line = [(" " * label_width, "")]
    bottom: Line = [(" " * label_width, "")]
    for e in columns:
        date = event_date(e)
        top.append((" " * GAP + _center(date[:4] if date != "undated" else "n.d."), "bold"))
        bottom.append((" " * GAP + _center(SHORT_FRAMEWORK.get(e["framework"], e["framework"])), "dim"))
    return [top, bottom]


def _grade_matrix(view: dict[str, Any], columns: list[dict[str, Any]], width: int) -> list[Line]:
    keys = view["judgement_keys"]
    labels = [display_name(k) for k in keys]
    label_width = min(max(len(x) for x in labels), max(14, width - (COL + GAP) * len(columns)))
    lines = _header_rows(columns, label_width)
    for key, label in zip(keys, labels):
        line: Line = [(f"{_fit(label, label_width):<{label_width}}", "")]
        for e in columns:
            text, style = grade_cell(e, key)
            line.append((" " * GAP, ""))
            line.append((_center(text), style))
        lines.append(line)
    notes = [LEGEND, "↑ ↓ = change from the previous grade for that judgement"]
    if any(e["role"] == "mentioned" for e in columns):
        notes[-1] += " · * only mentioned by a later document"
    if any(e.get("corrections") for e in columns):
        notes.append("† corrected by hand (ofstl show AUTHORITY WHEN says why)")
    for note in notes:
        lines.append([(note, "dim")])
    return lines


def _theme_matrix(view: dict[str, Any], events: list[dict[str, Any]], width: int) -> list[Line]:
    recurring = [t for t in view["themes"] if t["recurring"]]
    once = [t for t in view["themes"] if not t["recurring"]]
    if not recurring:
        text = "No weakness theme raised by two or more inspections"
        text += f"; {len(once)} raised once (--format json lists them)." if once else "."
        return [[(text, "dim")]]
    raised = {i for t in view["themes"] for i in t["inspections"]}
    columns = [e for e in events if e["id"] in raised]
    statuses = [_theme_status(t) for t in recurring]
    status_width = max(len(x) for x in statuses) + GAP
    longest = max(len(t["theme"]) for t in recurring)
    room = width - (COL + GAP) * len(columns)
    compact = room - status_width < min(longest, 24)
    if compact:  # too tight for words and whole theme names: "3× ✓" and a legend line
        statuses = [f"{t['count']}×" + (" ✓" if t["resolved"] else "") for t in recurring]
        status_width = max(len(x) for x in statuses) + GAP
    label_width = min(longest, max(16, room - status_width))
    lines: list[Line] = [[("Weaknesses that keep coming back", "bold"), (" (themes raised by two or more inspections)", "dim")]]
    lines.extend(_header_rows(columns, label_width))
    for t, status in zip(recurring, statuses):
        line: Line = [(f"{_fit(t['theme'], label_width):<{label_width}}", "")]
        for e in columns:
            line.append((" " * GAP, ""))
            line.append((_center("■"), "bold red") if e["id"] in t["inspections"] else (_center("·"), "dim"))
        line.append((" " * GAP + status, "dim"))
        lines.append(line)
    if compact:
        lines.append([("n× raised by n inspections · ✓ not raised since by a later full inspection", "dim")])
    if once:
        lines.append([(f"{len(once)} other theme{'s' if len(once) != 1 else ''} raised once (--format json lists them)", "dim")])
    return lines


def _theme_status(theme: dict[str, Any]) -> str:
    status = f"{theme['count']}× " + ("persisting" if theme["persisting"] else "recurring")
    return status + (", not raised since" if theme["resolved"] else "")


def timeline_csv_rows(view: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """One row per inspection (tidy, for scripts): dates, role, a column per judgement, themes."""
    keys = view["judgement_keys"]
    themes_by_id: dict[str, list[str]] = {}
    for t in view["themes"]:
        for i in t["inspections"]:
            themes_by_id.setdefault(i, []).append(t["theme"])
    header = ["id", "framework", "type", "start", "end", "published", "role", *keys, "weaknesses", "themes"]
    rows = []
    for e in _sorted_events(view):
        rows.append([e["id"], e["framework"], e.get("type") or "", e.get("start") or "", e.get("end") or "", e.get("published") or "",
                     e["role"], *[e["judgements"].get(k, "") for k in keys], e["weaknesses"], "|".join(sorted(themes_by_id.get(e["id"], []))),
                     ])
    return header, rows


def timeline_markdown(view: dict[str, Any]) -> str:
    """The grade matrix and the theme matrix as Markdown tables, for reports."""
    events = _sorted_events(view)
    graded = [e for e in events if e["graded"]]
    out = [f"## {view['name']}: inspections", ""]
    header = ["inspection", "framework", "role", "headline grade", "theme"]
    rows = []
    for e in events:
        key = headline_key(e)
        rows.append([event_date(e), event_name(e), e["role"], (e["judgements"].get(key) if key else "") or "not graded", e.get("theme") or ""])
    out.append(to_markdown(header, rows))
    if graded:
        header = ["judgement"] + [f"{event_date(e)[:7]} {SHORT_FRAMEWORK.get(e['framework'], e['framework'])}" for e in graded]
        rows = [[display_name(k)] + [grade_cell(e, k)[0] for e in graded] for k in view["judgement_keys"]]
        out += ["## Grades", "", to_markdown(header, rows), "↑ ↓ = change from the previous grade; * only mentioned by a later document", ""]
    recurring = [t for t in view["themes"] if t["recurring"]]
    if recurring:
        raised = {i for t in recurring for i in t["inspections"]}
        columns = [e for e in events if e["id"] in raised]
        header = ["theme"] + [f"{event_date(e)[:7]} {SHORT_FRAMEWORK.get(e['framework'], e['framework'])}" for e in columns] + ["count"]
        rows = [[t["theme"]] + ["■" if e["id"] in t["inspections"] else "" for e in columns] + [t["count"]] for t in recurring]
        out += ["## Recurring weaknesses", "", to_markdown(header, rows)]
    return "\n".join(out).rstrip() + "\n"


