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
import textwrap
from typing import Any, Iterable

from ofstl.parse.grades import SHORT
from ofstl.parse.labels import display_name
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
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def to_json_line(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(", ", ": ")) + "\n"


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
    return "".join("".join(text for text, _ in line).rstrip() + "\n" for line in lines)


def to_rich(lines: Iterable[Line]) -> Any:
    """The report as one rich ``Text`` with its styles."""
    from rich.text import Text

    out = Text()
    for line in lines:
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
    return (cell, GRADE_STYLE.get(grade, ""))


# --------------------------------------------------------------------------- timeline


def timeline_lines(view: dict[str, Any], width: int = 100) -> list[Line]:
    """The log of events, the grade matrix, and the recurring themes under it."""
    events = _sorted_events(view)
    dated = [event_date(e)[:4] for e in events if event_date(e) != "undated"]
    span = f"{dated[0]}–{dated[-1]}" if dated and dated[0] != dated[-1] else (dated[0] if dated else "no dates")
    graded = [e for e in events if e["graded"]]
    n = len(events)
    lines: list[Line] = [[(f"{view['name']}", "bold"), (f" · {n} inspection{'s' if n != 1 else ''} and visits · {span}", "")], []]
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
        if e["role"] == "mentioned":
            label = display_name(key).lower() if key and key != "overall" else ""
            note = [(f"only mentioned later{' · ' + label if label else ''}", "dim")]
        elif key and key in e["changes"]:
            change = e["changes"][key]
            prev = _previous_grade(events, e, key)
            text = f"{ARROW[change]} from {prev}" if change != "same" and prev else f"{ARROW[change]} unchanged"
            note = [(text, ARROW_STYLE[change])]
        elif e.get("theme"):
            note = [(e["theme"], "")]
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


# --------------------------------------------------------------------------- diff


def diff_lines(view: dict[str, Any], width: int = 100) -> list[Line]:
    """dyff-style: a one-line header, then only what changed, each under its path."""
    a, b = view["from"], view["to"]
    n = view["differences"]
    head = f"{view['authority']}: {event_name(a)} {a['start']} → {event_name(b)} {b['start']} · "
    lines: list[Line] = [[(head, "bold"), (f"{n} difference{'s' if n != 1 else ''}" if n else "no differences", "bold")]]
    wrap = max(30, width - 6)
    persisting = []
    for change in view["changes"]:
        if change["kind"] == "persisting":
            persisting.append(change["path"].split(".", 1)[1])
            continue
        lines.append([])
        path = change["path"]
        if path.startswith("judgements."):
            lines.append([(path, "bold"), (f"  ({display_name(path.split('.', 1)[1])})", "dim")])
            old, new = change["from"], change["to"]
            if old and new:
                direction = change.get("direction", "")
                better = {"up": " (↑ better)", "down": " (↓ worse)"}.get(direction, "")
                lines.append([("  ± ", ""), ("grade changed", ""), (better, ARROW_STYLE.get(direction, ""))])
                lines.append([("    - ", "red"), (old, "red")])
                lines.append([("    + ", "green"), (new, "green")])
            elif new:
                lines.append([("  + ", "green"), (f"judged {new}", "green"), (" (not judged before)", "dim")])
            else:
                lines.append([("  - ", "red"), (f"was {old}", "red"), (" (not judged now)", "dim")])
        else:
            lines.append([(path, "bold")])
            if change["kind"] == "new":
                items, sign, style, what = change["to"], "+", "green", "newly raised"
            else:
                items, sign, style, what = change["from"], "-", "red", "no longer raised"
            lines.append([(f"  {sign} ", style), (f"{what}: {len(items)} item{'s' if len(items) != 1 else ''}", style)])
            for text in items:
                for k, part in enumerate(textwrap.wrap(text, wrap) or [""]):
                    lines.append([(f"    {sign} " if k == 0 else "      ", style), (part, "")])
    tail = []
    if view["unchanged_judgements"]:
        tail.append("unchanged: " + ", ".join(f"{display_name(k).lower()} {v}" for k, v in view["unchanged_judgements"].items()))
    if persisting:
        tail.append("still raised: " + ", ".join(persisting))
    if tail:
        lines.append([])
        for text in tail:
            for k, part in enumerate(textwrap.wrap(text, width, subsequent_indent="  ")):
                lines.append([(part, "dim")])
    return lines


def diff_csv_rows(view: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """One row per difference: path, kind, from, to (themes: the number of items)."""
    rows = []
    for c in view["changes"]:
        if c["kind"] == "persisting":
            continue
        if c["path"].startswith("judgements."):
            rows.append([c["path"], c.get("direction", c["kind"]), c["from"] or "", c["to"] or ""])
        else:
            rows.append([c["path"], c["kind"], len(c["from"]), len(c["to"])])
    return ["path", "kind", "from", "to"], rows


# --------------------------------------------------------------------------- show


def show_lines(data: dict[str, Any], record: dict[str, Any], width: int = 100) -> list[Line]:
    """One inspection with the evidence (document, page, method) behind each field."""
    name = FRAMEWORK_NAMES.get(record["framework"], record["framework"]) + (f" ({record['type']})" if record.get("type") else "")
    lines: list[Line] = [[(f"{data['name']} · {name} · {record.get('start') or 'undated'}", "bold"), (f"  {record['id']}", "dim")]]
    role = "the subject of its documents" if record["role"] == "subject" else "only mentioned by later documents"
    lines.append([(f"fieldwork {record.get('start') or 'not stated'} to {record.get('end') or 'not stated'} · "
                   f"published {record.get('published') or 'not stated'} · {role}", "")])
    if record.get("theme"):
        lines.append([(f"theme: {record['theme']}", "")])
    judgements = record.get("judgements") or {}
    if judgements:
        from ofstl.parse.labels import key_sort

        lines += [[], [("Judgements", "bold")]]
        for key in sorted(judgements, key=key_sort):
            j = judgements[key]
            evidence = f"{j.get('source') or '?'} p.{j.get('page') or '?'} {j.get('method') or ''}".strip()
            lines.append([(f"  {_fit(display_name(key), 26):<26}  ", ""), (f"{j['grade']:<21}", GRADE_STYLE.get(j["grade"], "")),
                          (f" “{j.get('printed')}” ", ""), (f"[{evidence}]", "dim")])
            for reading in j.get("readings", []):
                lines.append([(f"      reading: {reading['grade']} ({reading['method']}, p.{reading['page']})", "dim")])
    for d in record.get("disagreements", []):
        if "other" in d:
            lines.append([(f"  ! {d['judgement']}: kept {d['kept']}; {d['other_kind']} {d['other_source']} says {d['other']}", "yellow")])
        else:
            lines.append([(f"  ! {d['judgement']}: readings disagree within {d['within']}", "yellow")])
    for field in ("weaknesses", "strengths"):
        items = record.get(field, [])
        if not items:
            continue
        lines += [[], [(f"{field.capitalize()} ({len(items)})", "bold")]]
        for item in items:
            extra = []
            if item.get("national_framework"):
                extra.append(item["national_framework"])
            if item.get("priority"):
                extra.append("priority")
            meta = f"p.{item.get('page') or '?'}" + (f" · {', '.join(extra)}" if extra else "")
            themes = _item_themes(item)
            if themes:
                meta += f" · {', '.join(themes)}"
            for k, part in enumerate(textwrap.wrap(item["text"], max(30, width - 4)) or [""]):
                lines.append([("  - " if k == 0 else "    ", ""), (part, "")])
            lines.append([(f"    {meta}", "dim")])
    lines += [[], [("Sources", "bold")]]
    for s in record.get("sources", []):
        lines.append([(f"  {s['kind']:<14} {s['role']:<9} ", ""), (s["sha256"][:12], "dim"), (f"  {s['path']}", "")])
    return lines


def show_markdown(data: dict[str, Any], record: dict[str, Any]) -> str:
    """One inspection as Markdown: judgements with their evidence, items, sources."""
    from ofstl.parse.labels import key_sort

    name = FRAMEWORK_NAMES.get(record["framework"], record["framework"]) + (f" ({record['type']})" if record.get("type") else "")
    out = [f"## {data['name']}: {name}, {record.get('start') or 'undated'}", "",
           f"`{record['id']}` · fieldwork {record.get('start') or 'not stated'} to {record.get('end') or 'not stated'} · "
           f"published {record.get('published') or 'not stated'} · {record['role']}", ""]
    judgements = record.get("judgements") or {}
    if judgements:
        rows = [[display_name(k), judgements[k]["grade"], judgements[k].get("printed") or "", judgements[k].get("source") or "",
                 judgements[k].get("page") or "", judgements[k].get("method") or ""] for k in sorted(judgements, key=key_sort)]
        out += ["### Judgements", "", to_markdown(["judgement", "grade", "as printed", "document", "page", "read from"], rows)]
    for field in ("weaknesses", "strengths"):
        items = record.get(field, [])
        if items:
            out += [f"### {field.capitalize()} ({len(items)})", ""]
            for item in items:
                themes = _item_themes(item)
                out.append(f"- {item['text']} (p.{item.get('page') or '?'}{'; ' + ', '.join(themes) if themes else ''})")
            out.append("")
    rows = [[s["kind"], s["role"], s["sha256"][:12], s["path"]] for s in record.get("sources", [])]
    out += ["### Sources", "", to_markdown(["kind", "role", "sha256", "path"], rows)]
    return "\n".join(out).rstrip() + "\n"


def _item_themes(item: dict[str, Any]) -> list[str]:
    """Themes of a stored item: tagged now by the active taxonomy when views can, else as stored."""
    from ofstl import views

    tagger = getattr(views, "item_themes", None)
    return list(tagger(item["text"])) if tagger else list(item.get("themes", []))


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
