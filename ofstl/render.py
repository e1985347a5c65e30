"""Views -> text: tables for people, JSON, CSV and Markdown for programs.

Formatters for machine formats are pure functions returning strings. Tables are rich
renderables built from the same view data; colour only reinforces what the letters and
arrows already say, so piped or NO_COLOR output carries the same meaning. Text that comes
from documents is printed with markup off (reports contain "[...]").
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ofstl.parse.grades import SHORT
from ofstl.parse.labels import display_name
from ofstl.views import FRAMEWORK_NAMES

GRADE_STYLE = {"outstanding": "bold green", "good": "green", "requires improvement": "yellow", "adequate": "yellow", "inadequate": "bold red"}
ARROW = {"up": "↑", "down": "↓", "same": "="}


def to_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def to_csv(header: list[str], rows: list[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def to_markdown(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |")
    return "\n".join(lines) + "\n"


def column_label(event: dict[str, Any]) -> str:
    date = (event["start"] or event.get("published") or "undated")[:7]
    name = FRAMEWORK_NAMES.get(event["framework"], event["framework"])
    short = {"Focused visit": "FV", "Contact/referral": "CRA", "Looked after children": "LAC", "Child protection": "CPI", "Monitoring visit": "MV"}.get(name, name)
    return f"{date}\n{short}"


def timeline_rows(view: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """The grade matrix as plain cells: judgements as rows, inspections as columns."""
    events = view["inspections"]
    header = ["judgement"] + [column_label(e).replace("\n", " ") for e in events]
    rows = []
    for key in view["judgement_keys"]:
        row = [display_name(key)]
        for e in events:
            grade = e["judgements"].get(key)
            if grade:
                cell = SHORT.get(grade, grade) + ARROW.get(e["changes"].get(key, ""), "")
                if e["role"] == "mentioned":
                    cell += "*"
            else:
                cell = "·" if e["graded"] or e["role"] == "mentioned" else "—"
            row.append(cell)
        rows.append(row)
    return header, rows


def timeline_table(view: dict[str, Any], color: bool) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    events = view["inspections"]
    first = (events[0]["start"] or "?")[:4] if events else "?"
    last = (events[-1]["start"] or "?")[:4] if events else "?"
    title = Text(f"{view['name']} · {len(events)} inspections and visits · {first}–{last}", style="bold")
    grid = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
    grid.add_column("", no_wrap=True)
    for e in events:
        grid.add_column(column_label(e), justify="center", no_wrap=True)
    _, rows = timeline_rows(view)
    for key, row in zip(view["judgement_keys"], rows):
        cells: list[Any] = [Text(row[0])]
        for e, cell in zip(events, row[1:]):
            grade = e["judgements"].get(key)
            cells.append(Text(cell, style=GRADE_STYLE.get(grade or "", "dim") if color else ""))
        grid.add_row(*cells)
    ungraded = ["—" if not e["graded"] and e["role"] == "subject" else "" for e in events]
    if any(ungraded):
        grid.add_row(Text("visit (not graded)", style="dim"), *[Text("○" if u else "") for u in ungraded])
    parts: list[Any] = [title, Text(""), grid]
    notes = []
    if any(e["role"] == "mentioned" for e in events):
        notes.append("* only mentioned by a later document")
    notes.append("O outstanding · G good · RI requires improvement · A adequate · I inadequate · ↑↓= change")
    parts.append(Text("\n".join(notes), style="dim"))
    themes = [t for t in view["themes"] if t["recurring"]]
    parts.append(Text(""))
    if themes:
        parts.append(Text("Weaknesses that keep coming back", style="bold"))
        table = Table(box=None, show_header=False, pad_edge=False)
        table.add_column("theme", no_wrap=True)
        table.add_column("years")
        table.add_column("status", style="dim")
        for t in themes:
            status = "persisting" if t["persisting"] else "recurring"
            if t["resolved"]:
                status += ", not raised since"
            table.add_row(t["theme"], " · ".join(t["years"]), status)
        parts.append(table)
    else:
        parts.append(Text("No weakness theme raised by two or more inspections.", style="dim"))
    return Group(*parts)


def diff_text(view: dict[str, Any]) -> str:
    """dyff-style report: a header line, then only what changed, under its path."""
    a, b = view["from"], view["to"]
    lines = [
        f"{view['authority']}: {a['start']} {FRAMEWORK_NAMES.get(a['framework'], a['framework'])} → "
        f"{b['start']} {FRAMEWORK_NAMES.get(b['framework'], b['framework'])} · {view['differences']} differences",
        "",
    ]
    for change in view["changes"]:
        lines.append(change["path"])
        if change["path"].startswith("judgements."):
            marker = {"up": "↑", "down": "↓"}.get(change.get("direction", ""), "±")
            lines.append(f"  {marker} {change['from'] or '(not judged)'} → {change['to'] or '(not judged)'}")
        else:
            label = {"resolved": "- resolved", "new": "+ new", "persisting": "= persisting"}[change["kind"]]
            lines.append(f"  {label}")
            for text in change["from"]:
                lines.append(f"    - {text}")
            for text in change["to"]:
                lines.append(f"    + {text}")
        lines.append("")
    if view["unchanged_judgements"]:
        same = ", ".join(f"{display_name(k)} {v}" for k, v in view["unchanged_judgements"].items())
        lines.append(f"unchanged: {same}")
    return "\n".join(lines).rstrip() + "\n"


def show_text(data: dict[str, Any], record: dict[str, Any]) -> str:
    lines = [f"{record['id']}  {data['name']}  {FRAMEWORK_NAMES.get(record['framework'], record['framework'])}{' (' + record['type'] + ')' if record.get('type') else ''}"]
    lines.append(f"  fieldwork: {record.get('start') or '?'} to {record.get('end') or '?'}   published: {record.get('published') or '?'}   role: {record['role']}")
    if record.get("theme"):
        lines.append(f"  theme: {record['theme']}")
    if record.get("judgements"):
        lines.append("Judgements")
        for key, j in record["judgements"].items():
            src = f"[{j.get('source')} p.{j.get('page')} {j.get('method')}]"
            lines.append(f"  {display_name(key):<28} {j['grade']:<22} printed {j.get('printed')!r} {src}")
            for reading in j.get("readings", []):
                lines.append(f"      reading: {reading['grade']} ({reading['method']}, p.{reading['page']})")
    for d in record.get("disagreements", []):
        if "other" in d:
            lines.append(f"  ! {d['judgement']}: kept {d['kept']}; {d['other_kind']} {d['other_source']} says {d['other']}")
        else:
            lines.append(f"  ! {d['judgement']}: readings disagree within {d['within']}")
    for field in ("weaknesses", "strengths"):
        items = record.get(field, [])
        if items:
            lines.append(f"{field.capitalize()} ({len(items)})")
            for item in items:
                tag = f" ({item['national_framework']})" if item.get("national_framework") else ""
                pri = " [priority]" if item.get("priority") else ""
                themes = f"  <{', '.join(item.get('themes', []))}>" if item.get("themes") else ""
                lines.append(f"  - {item['text']}{tag}{pri}  p.{item.get('page')}{themes}")
    lines.append("Sources")
    for s in record.get("sources", []):
        lines.append(f"  {s['kind']:<14} {s['role']:<9} {s['sha256'][:12]}  {s['path']}")
    return "\n".join(lines) + "\n"
