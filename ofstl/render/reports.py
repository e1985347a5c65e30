"""The diff and show reports: what changed between two inspections, and one inspection
with the evidence for each field. Pure functions returning styled lines (see
``ofstl.render``), plus their CSV and Markdown forms.
"""

from __future__ import annotations

import textwrap
from typing import Any

from ofstl.corrections import evidence as correction_evidence
from ofstl.parse.labels import display_name
from ofstl.render import ARROW_STYLE, GRADE_STYLE, Line, _fit, event_name, to_markdown
from ofstl.views import FRAMEWORK_NAMES


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
    dated_by = record.get("published_evidence")
    published = f"{record['published']} [{dated_by['source']} {dated_by['method']}]" if record.get("published") and dated_by else record.get("published") or "not stated"
    lines.append([(f"fieldwork {record.get('start') or 'not stated'} to {record.get('end') or 'not stated'} · "
                   f"published {published} · {role}", "")])
    if record.get("theme"):
        lines.append([(f"theme: {record['theme']}", "")])
    judgements = record.get("judgements") or {}
    if judgements:
        from ofstl.parse.labels import key_sort

        lines += [[], [("Judgements", "bold")]]
        for key in sorted(judgements, key=key_sort):
            j = judgements[key]
            evidence = f"{j.get('source') or '?'} p.{j.get('page') or '?'} {j.get('method') or ''}".strip()
            if j.get("method") == "correction":
                lines.append([(f"  {_fit(display_name(key), 26):<26}  ", ""), (f"{j['grade']:<21}", GRADE_STYLE.get(j["grade"], "")),
                              (f" {correction_evidence(j)}", "yellow")])
                continue
            lines.append([(f"  {_fit(display_name(key), 26):<26}  ", ""), (f"{j['grade']:<21}", GRADE_STYLE.get(j["grade"], "")),
                          (f" “{j.get('printed')}” ", ""), (f"[{evidence}]", "dim")])
            for reading in j.get("readings", []):
                lines.append([(f"      reading: {reading['grade']} ({reading['method']}, p.{reading['page']})", "dim")])
    for c in record.get("corrections", []):
        if not c["field"].startswith("judgements."):
            lines.append([(f"  {c['field']} {c['value']}: corrected by hand, {c['date']}: {c['note']}", "yellow")])
    disagreements = record.get("disagreements", [])
    if disagreements:
        lines += [[], [("Disagreements (the reading kept first)", "bold")]]
    for d in disagreements:
        lines.append([(f"  ! {disagreement_text(d)}", "yellow")])
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


def disagreement_text(d: dict[str, Any]) -> str:
    """One disagreement in a line: the field, then each reading with its document."""
    if "readings" not in d:  # a store written before disagreements had readings
        return f"{d.get('judgement', '?')}: kept {d.get('kept', '?')}; {d.get('other_kind', '')} {d.get('other_source', '')} says {d.get('other', '?')}"
    readings = []
    for r in d["readings"]:
        value = r.get("value")
        shown = f"{len(value)} items" if isinstance(value, list) else str(value)
        readings.append(f"{shown} ({r.get('kind') or ''} {str(r.get('sha256') or '')[:12]}{' p.' + str(r['page']) if r.get('page') else ''}{' ' + r['method'] if r.get('method') else ''})".replace("( ", "("))
    within = " within one document" if d.get("within") else ""
    return f"{d['field']}{within}: " + " vs ".join(readings)


def show_markdown(data: dict[str, Any], record: dict[str, Any]) -> str:
    """One inspection as Markdown: judgements with their evidence, items, sources."""
    from ofstl.parse.labels import key_sort

    name = FRAMEWORK_NAMES.get(record["framework"], record["framework"]) + (f" ({record['type']})" if record.get("type") else "")
    out = [f"## {data['name']}: {name}, {record.get('start') or 'undated'}", "",
           f"`{record['id']}` · fieldwork {record.get('start') or 'not stated'} to {record.get('end') or 'not stated'} · "
           f"published {record.get('published') or 'not stated'} · {record['role']}", ""]
    judgements = record.get("judgements") or {}
    if judgements:
        rows = [[display_name(k), judgements[k]["grade"],
                 correction_evidence(judgements[k]) if judgements[k].get("method") == "correction" else judgements[k].get("printed") or "",
                 judgements[k].get("source") or "", judgements[k].get("page") or "", judgements[k].get("method") or ""] for k in sorted(judgements, key=key_sort)]
        out += ["### Judgements", "", to_markdown(["judgement", "grade", "as printed", "document", "page", "read from"], rows)]
    fixed = [c for c in record.get("corrections", []) if not c["field"].startswith("judgements.")]
    if fixed:
        out += [f"- {c['field']} {c['value']}: corrected by hand, {c['date']}: {c['note']}" for c in fixed] + [""]
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


