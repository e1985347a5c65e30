"""The diff and show reports: what changed between two inspections, and one inspection
with the evidence for each field. Pure functions of ``ofstl.diff_view.diff`` and
``ofstl.views.show`` data returning styled lines (see ``ofstl.render``), plus their CSV and
Markdown forms.
"""

from __future__ import annotations

import textwrap
from typing import Any

from ofstl.corrections import evidence as correction_evidence, field_evidence
from ofstl.parse.labels import display_name, key_sort
from ofstl.render import ARROW_STYLE, GRADE_STYLE, Line, fit, md_code, md_text, to_csv, to_markdown, wrapped
from ofstl.render.registry import Options, renders
from ofstl.vocabulary import BETTER, NEWLY_RAISED, NO_LONGER_RAISED, STILL_RAISED, WORSE, date_or_undated, date_shown


@renders("diff", "table", "only what changed, each under its path", default=True)
def diff_lines(view: dict[str, Any], options: Options | int = Options()) -> list[Line]:
    """dyff-style: a one-line header, then only what changed, each under its path; each
    weakness item once, with its themes beside it."""
    width = options if isinstance(options, int) else options.width
    a, b = view["from"], view["to"]
    n = view["differences"]
    head = f"{view['authority']}: {a['name']} {date_shown(a['date'])} → {b['name']} {date_shown(b['date'])} · "
    lines: list[Line] = [[(head, "bold"), (f"{n} difference{'s' if n != 1 else ''}" if n else "no differences", "bold")]]
    for warning in view.get("warnings", []):
        lines.extend(wrapped(f"! {warning}", width, "yellow", indent="  "))
    wrap = max(30, width - 6)
    for change in view["changes"]:
        if not change["path"].startswith("judgements."):
            continue
        lines += [[], [(change["path"], "bold"), (f"  ({change['label']})", "dim")]]
        old, new, kind = change["from"], change["to"], change["change"]
        if old and new:
            arrow = {BETTER: " ↑", WORSE: " ↓"}.get(kind, "")
            lines.append([("  ± ", ""), (f"{kind}{arrow}", ARROW_STYLE.get(kind, ""))])
            lines += [[("    - ", "red"), (old, "red")], [("    + ", "green"), (new, "green")]]
        elif new:
            lines.append([("  + ", "green"), (f"{kind}: {new}", "green")])
        else:
            lines.append([("  - ", "red"), (f"{kind}: was {old}", "red")])
    themes = {c["path"].split(".", 1)[1]: c for c in view["changes"] if c["path"].startswith("themes.")}
    for kind, sign, style in ((NEWLY_RAISED, "+", "green"), (NO_LONGER_RAISED, "-", "red")):
        items = [i for i in view.get("items", []) if i["kind"] == kind]
        changed = [t for t, c in themes.items() if c["change"] == kind]
        if not changed:
            continue
        lines += [[], [(f"weaknesses {kind}", "bold"), (f"  ({_count(len(changed), 'theme')}, {_count(len(items), 'item')})", "dim")]]
        for item in items:
            for k, part in enumerate(textwrap.wrap(item["text"], wrap) or [""]):
                lines.append([(f"  {sign} " if k == 0 else "    ", style), (part, "")])
            beside = [label if tk == kind else f"{label} ({tk})" for label, tk in zip(item["labels"], item["theme_kinds"])]
            for line in wrapped("themes: " + "; ".join(beside), wrap, "dim", indent="  "):
                lines.append([("    ", ""), *line])
    tail = []
    if view["unchanged_judgements"]:
        tail.append("unchanged: " + ", ".join(f"{display_name(k).lower()} {v}" for k, v in view["unchanged_judgements"].items()))
    still = [c["label"] for c in themes.values() if c["change"] == STILL_RAISED]
    if still:
        tail.append(f"{STILL_RAISED}: " + "; ".join(still))
    if tail:
        lines.append([])
        for text in tail:
            lines.extend(wrapped(text, width, indent="  "))
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def diff_csv_rows(view: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """One row per difference: path, kind, from, to (themes: the number of items), change,
    then whose they are (added last, so CSVs of several authorities appended still say it):
    authority, from_id, to_id.

    ``kind`` keeps the first contract's codes (a judgement's direction; a theme's new or
    resolved); ``change`` is the wording the table and JSON use too."""
    whose = [view["authority"], view["from"]["id"], view["to"]["id"]]
    rows = []
    for c in view["changes"]:
        if c["change"] == STILL_RAISED:
            continue
        if c["path"].startswith("judgements."):
            rows.append([c["path"], c["direction"], c["from"] or "", c["to"] or "", c["change"], *whose])
        else:
            rows.append([c["path"], c["kind"], len(c["from"]), len(c["to"]), c["change"], *whose])
    return ["path", "kind", "from", "to", "change", "authority", "from_id", "to_id"], rows


@renders("diff", "csv", "one row per difference")
def diff_csv(view: dict[str, Any], options: Options) -> str:
    return to_csv(*diff_csv_rows(view))


def _diff_side(side: dict[str, Any]) -> str:
    """A column of the diff's table: "ILACS (standard), 2019-06-17", and whose inspection it
    was when a predecessor council's ("Northamptonshire: ILACS (standard), 2019-06-17"); two
    inspections of one framework had two columns both headed "ILACS (standard)"."""
    head = f"{side['name']}, {date_shown(side['date'])}"
    return md_text(f"{side['predecessor_name']}: {head}" if side.get("predecessor_name") else head, table=True)


@renders("diff", "markdown", "a page for a report: the grades that changed, then the weaknesses")
def diff_markdown(view: dict[str, Any], options: Options = Options()) -> str:
    """What the table says, for a briefing: the judgements that changed as a table, the
    weaknesses newly raised and no longer raised as lists with their themes, then what held."""
    a, b, n = view["from"], view["to"], view["differences"]
    out = [f"**{md_text(view.get('name') or view['authority'])}: {md_text(a['name'])} {date_shown(a['date'])} → {md_text(b['name'])} {date_shown(b['date'])}**", "",
           f"{n} difference{'s' if n != 1 else ''}." if n else "No differences.", ""]
    out += [f"> {md_text(warning)}" for warning in view.get("warnings", [])] + ([""] if view.get("warnings") else [])
    judged = [c for c in view["changes"] if c["path"].startswith("judgements.")]
    if judged:
        rows = [[md_text(c["label"], table=True), c["from"] or "", c["to"] or "",
                 c["change"] + {BETTER: " ↑", WORSE: " ↓"}.get(c["change"], "")] for c in judged]
        out += [to_markdown(["Judgement", _diff_side(a), _diff_side(b), "Change"], rows).rstrip("\n"), ""]
    for kind in (NEWLY_RAISED, NO_LONGER_RAISED):
        items = [i for i in view.get("items", []) if i["kind"] == kind]
        if items:
            out += [f"Weaknesses {kind}:", ""]
            for item in items:
                beside = [label if tk == kind else f"{label} ({tk})" for label, tk in zip(item["labels"], item["theme_kinds"])]
                out.append(f"- {md_text(item['text'])} *({md_text('; '.join(beside) or 'no theme')})*")
            out.append("")
    if view["unchanged_judgements"]:
        out += ["Unchanged: " + md_text(", ".join(f"{display_name(k).lower()} {v}" for k, v in view["unchanged_judgements"].items())) + ".", ""]
    still = [c["label"] for c in view["changes"] if c["path"].startswith("themes.") and c["change"] == STILL_RAISED]
    if still:
        out += [f"{STILL_RAISED.capitalize()}: " + md_text("; ".join(still)) + ".", ""]
    return "\n".join(out).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- show


def fieldwork(record: dict[str, Any]) -> str:
    """'fieldwork 2013-11-25 to 2013-12-18'; 'fieldwork 2012 (end not stated)' for a mention
    that gives only the year, never 'fieldwork 2012 to not stated'."""
    start, end = record.get("start"), record.get("end")
    if start and end:
        return f"fieldwork {start} to {end}"
    if start:
        return f"fieldwork {start} (end not stated)"
    return f"fieldwork not stated (ended {end})" if end else "fieldwork not stated"


@renders("show", "table", "the record with its evidence", default=True)
def show_lines(view: dict[str, Any], options: Options | int = Options()) -> list[Line]:
    """One inspection with the evidence (document, page, method) behind each field."""
    width = options if isinstance(options, int) else options.width
    record = view["record"]
    lines: list[Line] = [[(f"{view['name']} · {view['title']} · {date_or_undated(record)}", "bold"), (f"  {record['id']}", "dim")]]
    role = "the subject of its documents" if record["role"] == "subject" else "only mentioned by later documents"
    if record.get("could_be"):
        role += f" · could be {' or '.join(record['could_be'])}: the words do not say which, so it is joined to neither"
    dated_by = record.get("published_evidence")
    published = f"{record['published']} [{dated_by['source']} {dated_by['method']}]" if record.get("published") and dated_by else record.get("published") or "not stated"
    if record.get("reported"):
        published += f" (reported {record['reported']}: a story's or council paper's own date)"
    lines.append([(f"{fieldwork(record)} · published {published} · {role}", "")])
    if view.get("council"):
        lines.append([(view["council"], "yellow")])
    if record.get("theme"):
        lines.append([(f"theme: {record['theme']}", "")])
    if record.get("outcome"):  # an area SEND inspection's outcome, not a grade
        lines.append([(f"outcome: {record['outcome']}", "")])
    judgements = record.get("judgements") or {}
    if judgements:
        lines += [[], [("Judgements", "bold")]]
        for key in sorted(judgements, key=key_sort):
            j = judgements[key]
            evidence = f"{j.get('source') or '?'} p.{j.get('page') or '?'} {j.get('method') or ''}".strip()
            head: Line = [(f"  {fit(display_name(key), 26):<26}  ", ""), (f"{j['grade']:<21}", GRADE_STYLE.get(j["grade"], ""))]
            if j.get("method") == "correction":
                corrected = correction_evidence(j)
                if 52 + len(corrected) <= width:
                    lines.append(head + [(f" {corrected}", "yellow")])
                else:  # why it was corrected, under the grade
                    lines += [head, [("    ", ""), (corrected, "yellow")]]
                continue
            said: Line = [(f"“{j.get('printed')}” ", ""), (f"[{evidence}]", "dim")]
            if 51 + sum(len(t) for t, _ in said) <= width:
                lines.append(head + [(" ", "")] + said)
            else:  # the words as printed and the evidence under the grade
                lines += [head, [(" " * 30, "")] + said]
            for reading in j.get("readings", []):
                lines.append([(f"      reading: {reading['grade']} ({reading['method']}, p.{reading['page']})", "dim")])
    for c in record.get("corrections", []):
        if not c["field"].startswith("judgements."):
            lines.append([("  " + field_evidence(c), "yellow")])
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
        for item, themes in zip(items, view["item_themes"][field]):
            extra = []
            if item.get("national_framework"):
                extra.append(item["national_framework"])
            if item.get("priority"):
                extra.append("priority")
            meta = f"p.{item.get('page') or '?'}" + (f" · {', '.join(extra)}" if extra else "")
            if themes:
                meta += f" · {'; '.join(themes)}"
            for k, part in enumerate(textwrap.wrap(item["text"], max(30, width - 4)) or [""]):
                lines.append([("  - " if k == 0 else "    ", ""), (part, "")])
            for line in wrapped(meta, max(30, width - 4), indent="  "):
                lines.append([("    ", ""), *line])
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


@renders("show", "markdown", "a page for a report")
def show_markdown(view: dict[str, Any], options: Options = Options()) -> str:
    """One inspection as Markdown: judgements with their evidence, items, sources. The words
    of documents and of corrections are text, never markup (``md_text``)."""
    record = view["record"]
    out = [f"## {md_text(view['name'])}: {md_text(view['title'])}, {date_or_undated(record)}", "",
           f"`{record['id']}` · {fieldwork(record)} · "
           f"published {record.get('published') or 'not stated'} · {record['role']}", ""]
    if view.get("council"):
        out += [md_text(view["council"][:1].upper() + view["council"][1:]), ""]
    if record.get("theme"):
        out += [f"Theme: {md_text(record['theme'])}", ""]
    if record.get("outcome"):
        out += [f"Outcome: {md_text(record['outcome'])}", ""]
    judgements = record.get("judgements") or {}
    if judgements:
        rows = [[display_name(k), judgements[k]["grade"],
                 md_text(correction_evidence(judgements[k]) if judgements[k].get("method") == "correction" else judgements[k].get("printed") or "", table=True),
                 judgements[k].get("source") or "", judgements[k].get("page") or "", judgements[k].get("method") or ""] for k in sorted(judgements, key=key_sort)]
        out += ["### Judgements", "", to_markdown(["judgement", "grade", "as printed", "document", "page", "read from"], rows)]
    fixed = [c for c in record.get("corrections", []) if not c["field"].startswith("judgements.")]
    if fixed:
        out += [f"- {md_text(field_evidence(c))}" for c in fixed] + [""]
    disagreements = record.get("disagreements", [])
    if disagreements:
        out += ["### Disagreements (the reading kept first)", ""] + [f"- {md_text(disagreement_text(d))}" for d in disagreements] + [""]
    for field in ("weaknesses", "strengths"):
        items = record.get(field, [])
        if items:
            out += [f"### {field.capitalize()} ({len(items)})", ""]
            for item, themes in zip(items, view["item_themes"][field]):
                out.append(f"- {md_text(' '.join(item['text'].split()))} (p.{item.get('page') or '?'}{'; ' + md_text('; '.join(themes)) if themes else ''})")
            out.append("")
    rows = [[s["kind"], s["role"], s["sha256"][:12], md_code(s["path"])] for s in record.get("sources", [])]
    out += ["### Sources", "", to_markdown(["kind", "role", "sha256", "path"], rows)]
    return "\n".join(out).rstrip() + "\n"
