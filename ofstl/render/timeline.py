"""The timeline report: an event log, the grade matrix and the recurring-theme matrix.

Pure functions of ``views.timeline`` data (already in date order, with headlines, changes,
theme labels and recurrence words worked out) returning styled lines (see
``ofstl.render``), plus its CSV and Markdown forms. The theme block shows the themes raised
by two or more inspections, most frequent first, up to ``THEME_ROWS`` of them unless
``--all-themes``; its notation (``3× persists``) is the same at every width and explained
under it. Where the matrix would not fit (a narrow terminal, many inspections) each theme is
listed instead, its word and the inspections that raised it under its label: folding a
matrix row would part its cells from its label.
"""

from __future__ import annotations

import textwrap
from typing import Any

from ofstl.parse.labels import display_name
from ofstl.render import ARROW_STYLE, COL, GAP, GRADE_STYLE, Line, center, fit, md_text, to_csv, to_markdown, wrapped
from ofstl.render.registry import Options, renders
from ofstl.vocabulary import (
    ARROW, ARROW_LEGEND, CORRECTION_MARK, GLYPH_GRADED, GLYPH_MENTIONED, GLYPH_NOT_GRADED, GRADE_LEGEND, MAX_SHOW_COMMANDS, MENTION_LEGEND,
    MENTION_MARK, Change, correction_legend, could_be_words, date_shown, grade_short, inspections_and_visits, recurrence_legend, year_shown,
)

THEME_ROWS = 8  # recurring themes shown without --all-themes
THEME_TITLE = ("Weaknesses that keep coming back", "themes raised by two or more inspections")
THEME_TITLE_ALL = ("Weakness themes", "every theme, those raised once too")  # --all-themes: not all come back


def once_shown(shown: list[dict[str, Any]]) -> bool:
    return any(not t["recurring"] for t in shown)


def grade_cell(event: dict[str, Any], key: str) -> tuple[str, str]:
    grade = event["judgements"].get(key)
    if not grade:
        return ("·", "dim")
    change = event["changes"].get(key)
    cell = grade_short(grade) + (ARROW[Change(change)] if change else "")
    if event["role"] == "mentioned":
        cell += MENTION_MARK
    if f"judgements.{key}" in event.get("corrections", ()):
        cell += CORRECTION_MARK
    return (cell, GRADE_STYLE.get(grade, ""))


def grades_corrected(events: list[dict[str, Any]]) -> bool:
    """Whether any of these inspections has a grade a person corrected (marked †); a corrected
    date or framework is said in the log, not marked in a matrix."""
    return any(field.startswith("judgements.") for e in events for field in e.get("corrections", ()))


def correction_legends(view: dict[str, Any], events: list[dict[str, Any]], most: int = MAX_SHOW_COMMANDS) -> list[str]:
    """The † legend when these inspections have a corrected grade, naming the command that
    says why for each (``ofstl show AUTHORITY ID``, a predecessor's row too); else none."""
    corrected = [(view["authority"], e["id"]) for e in events if grades_corrected([e])]
    return [correction_legend(corrected, most=most)] if corrected else []


def _note(view: dict[str, Any], event: dict[str, Any]) -> tuple[str, str] | None:
    """What the log says beside an event: a predecessor council's or another council's
    inspection, a mention, the headline's change, the other grades; sources that disagree first."""
    note = _plain_note(view, event)
    if event.get("disagreements"):
        note = ("! sources disagree" + (" · " + note[0] if note else ""), "yellow")
    if event.get("corrections"):
        note = ("corrected by hand" + (f" · {note[0]}" if note else ""), "yellow")
    return note


def _plain_note(view: dict[str, Any], event: dict[str, Any]) -> tuple[str, str] | None:
    judgements = event["judgements"]
    mentioned = event["role"] == "mentioned"
    if event.get("predecessor_of"):
        return (f"predecessor: {_predecessor_name(view, event['predecessor_of'])}" + (" · mentioned" if mentioned else ""), "dim")
    if event.get("inspected_as") and not event["changes"]:
        name = event.get("inspected_as_name") or event["inspected_as"]
        return (f"inspected as {name}" + (" · only mentioned later" if mentioned else ""), "dim")
    others = ", ".join(f"{display_name(k).lower()} {grade_short(g)}" for k, g in judgements.items() if k != "overall")
    if event.get("could_be"):  # never joined by a guess to one of the inspections it fits
        return (could_be_words(event["could_be"], view["inspections"]), "yellow")
    if mentioned:
        return ("only mentioned later" + (f" · {others}" if others and "overall" not in judgements else ""), "dim")
    if "overall" in judgements and "overall" in event["changes"]:
        change = event["changes"]["overall"]
        previous = event.get("previous", {}).get("overall")
        return (f"{ARROW[Change(change)]} from {previous}" if change != "same" and previous else f"{ARROW[Change.SAME]} unchanged", ARROW_STYLE[change])
    if judgements and "overall" not in judgements:
        return (others, "")
    if event.get("theme"):
        return (event["theme"], "")
    if event.get("outcome"):  # an area SEND inspection's outcome, not a grade
        return (f"outcome: {event['outcome']}", "")
    return None


def _note_lines(note: str, room: int, most: int = 2) -> list[str]:
    parts = textwrap.wrap(note, room, break_on_hyphens=False) or [""]
    if len(parts) > most:
        parts = parts[: most - 1] + [fit(" ".join(parts[most - 1:]), room)]
    return parts


@renders("timeline", "table", "the log, the grade matrix and the recurring themes", default=True)
def timeline_lines(view: dict[str, Any], options: Options | int = Options()) -> list[Line]:
    """The log of events, the grade matrix, and the recurring themes under it."""
    options = Options(width=options) if isinstance(options, int) else options
    width = options.width
    events = view["inspections"]
    dated = [e["date"][:4] for e in events if e["date"]]
    span = f"{dated[0]}–{dated[-1]}" if dated and dated[0] != dated[-1] else (dated[0] if dated else "no dates")
    n = len(events)
    lines: list[Line] = [[(f"{view['name']}", "bold"), (f" · {inspections_and_visits(n)} · {span}", "")]]
    lines += _reorganisation_lines(view)
    lines.append([])
    if not events:
        return lines + [[("No inspections stored.", "dim")]]

    # name and headline columns of 20 (wider for a name such as "Looked after children"),
    # narrower on a narrow terminal; the note takes the rest
    longest = max(len(e["name"]) for e in events)
    column = max(8, min(max(20, longest), 24, (width - 16) // 2))
    for e in events:
        if e["role"] == "mentioned":
            glyph, gstyle = GLYPH_MENTIONED, "dim"
        else:
            glyph, gstyle = (GLYPH_GRADED, "bold") if e["graded"] else (GLYPH_NOT_GRADED, "")
        grade = e["judgements"].get("overall")
        line: Line = [(f"{glyph} ", gstyle), (f"{date_shown(e['date']):<10}  ", ""), (f"{fit(e['name'], column):<{column}}  ", ""),
                      (f"{fit(e['headline'].capitalize() if grade else e['headline'], column):<{column}}", GRADE_STYLE.get(grade, "") if grade else "dim")]
        note = _note(view, e)
        room = width - 18 - 2 * column
        # fieldwork dates lead the log; when the report came out is asked about almost as often
        published = f"published {e['published']}" if e.get("published") and e["role"] != "mentioned" else \
            f"reported {e['reported']}" if e.get("reported") and e["role"] != "mentioned" else ""
        if published and (note is None or len(note[0]) + 3 + len(published) <= room):
            note, published = ((f"{note[0]} · {published}", note[1]) if note else (published, "dim")), ""
        # A long note (a JTAI's theme, the grades of a mention) takes a second line under
        # itself before its end gives way to an ellipsis; `show` prints it whole.
        if note and room >= 16:
            first, *rest = _note_lines(note[0], room)
            line += [("  ", ""), (first, note[1])]
            lines.append(line)
            lines += [[(" " * (width - room), ""), (more, note[1])] for more in rest]
        else:
            lines.append(line)
        if note and room < 16:  # a narrow terminal: the note on lines of its own
            lines += [[(" " * 14, ""), (part, note[1])] for part in _note_lines(note[0], width - 14)]
        if published:  # no room beside the note: a line of its own
            lines.append([(" " * 14, ""), (fit(published, width - 14), "dim")])

    graded = [e for e in events if e["graded"]]
    if graded:
        lines.append([])
        lines.extend(_grade_matrix(view, graded, width))
    lines.append([])
    lines.extend(_theme_matrix(view, events, options))
    return lines


def _predecessor_name(view: dict[str, Any], slug: str) -> str:
    return next((p["name"] for p in view.get("predecessors", []) if p["authority"] == slug), slug)


def council_of(view: dict[str, Any], event: dict[str, Any]) -> str:
    """The council an inspection was of when it is not the authority itself, as every format
    names it: 'predecessor: Northamptonshire', 'inspected as Somerset County Council', or ''."""
    if event.get("predecessor_of"):
        return f"predecessor: {_predecessor_name(view, event['predecessor_of'])}"
    if event.get("inspected_as"):
        return f"inspected as {event.get('inspected_as_name') or event['inspected_as']}"
    return ""


def council_name(view: dict[str, Any], event: dict[str, Any]) -> str:
    """The other council's name alone ('Northamptonshire'), or ''."""
    if event.get("predecessor_of"):
        return _predecessor_name(view, event["predecessor_of"])
    return event.get("inspected_as_name") or event.get("inspected_as") or ""


def _until(predecessor: dict[str, Any]) -> str:
    """'Bournemouth (until 2019-03-31)'; 'Dorset (county council, until 2019-03-31)', not two
    brackets in a row."""
    name, until = predecessor["name"], predecessor.get("until")
    if not until:
        return name
    return f"{name[:-1]}, until {until})" if name.endswith(")") else f"{name} (until {until})"


def reorganisation_notes(view: dict[str, Any]) -> list[str]:
    """Who came before and after a reorganised council (``ofstl.history``), in every format's words."""
    notes = []
    if view.get("successors"):
        names = ", ".join(s["name"] for s in view["successors"])
        notes.append(f"abolished {view.get('abolished') or ''} · succeeded by {names}".replace("abolished  ·", "abolished ·"))
    if view.get("predecessors"):
        names = ", ".join(_until(p) for p in view["predecessors"])
        notes.append(f"succeeds {names}")
    return notes


def _reorganisation_lines(view: dict[str, Any]) -> list[Line]:
    notes = reorganisation_notes(view)
    if view.get("predecessors"):
        notes[-1] += ": their inspections are marked 'predecessor'"
    return [[(note, "dim")] for note in notes]


def _header_rows(columns: list[dict[str, Any]], label_width: int) -> list[Line]:
    top: Line = [(" " * label_width, "")]
    bottom: Line = [(" " * label_width, "")]
    for e in columns:
        top.append((" " * GAP + center(year_shown(e["date"])), "bold"))
        bottom.append((" " * GAP + center(e["short"]), "dim"))
    return [top, bottom]


MIN_LABEL = 14  # the narrowest the matrices' label column gets ("Help and prot…")


def _grade_matrix(view: dict[str, Any], columns: list[dict[str, Any]], width: int) -> list[Line]:
    keys = view["judgement_keys"]
    labels = [display_name(k) for k in keys]
    # a narrow terminal shows the latest inspections that fit, and names the earlier ones,
    # rather than folding each row of the matrix over two lines
    fits = max(1, (width - MIN_LABEL) // (COL + GAP))
    earlier, columns = columns[: max(0, len(columns) - fits)], columns[-fits:]
    label_width = min(max(len(x) for x in labels), max(MIN_LABEL, width - (COL + GAP) * len(columns)))
    lines = _header_rows(columns, label_width)
    for key, label in zip(keys, labels):
        line: Line = [(f"{fit(label, label_width):<{label_width}}", "")]
        for e in columns:
            text, style = grade_cell(e, key)
            line += [(" " * GAP, ""), (center(text), style)]
        lines.append(line)
    notes = [GRADE_LEGEND, ARROW_LEGEND]
    if earlier:
        names = ", ".join(f"{year_shown(e['date'])} {e['short']}" for e in earlier)
        notes.insert(0, f"earlier, not shown at this width: {names} (--format csv has every one)")
    if any(e["role"] == "mentioned" for e in columns):
        notes.append(MENTION_LEGEND)
    notes += correction_legends(view, columns)
    for note in notes:
        lines.extend(wrapped(note, width, indent="  "))
    return lines


def shown_themes(view: dict[str, Any], all_themes: bool) -> tuple[list[dict[str, Any]], int, int]:
    """The themes the table shows, how many recurring ones it leaves out, how many raised once."""
    recurring = [t for t in view["themes"] if t["recurring"]]
    once = [t for t in view["themes"] if not t["recurring"]]
    if all_themes:
        return recurring + once, 0, 0
    return recurring[:THEME_ROWS], max(0, len(recurring) - THEME_ROWS), len(once)


def _theme_matrix(view: dict[str, Any], events: list[dict[str, Any]], options: Options) -> list[Line]:
    shown, more, once = shown_themes(view, options.all_themes)
    if not shown:
        text = "No weakness theme raised by two or more inspections"
        text += f"; {once} raised once (--all-themes shows them)." if once else "."
        return wrapped(text, options.width, indent="  ")
    raised = {i for t in shown for i in t["inspections"]}
    columns = [e for e in events if e["id"] in raised]
    statuses = [f"{t['count']}× {t['status']}" for t in shown]
    status_width = max(len(x) for x in statuses) + GAP
    longest = max(len(t["label"]) for t in shown)
    room = options.width - (COL + GAP) * len(columns) - status_width
    label_width = min(longest, max(16, room))
    title = THEME_TITLE_ALL if options.all_themes and once_shown(shown) else THEME_TITLE
    lines: list[Line] = [[(title[0], "bold"), (f" ({title[1]})", "dim")]]
    if room < 16:  # too narrow for a matrix whose rows would fold apart: each theme as a list
        lines.extend(_theme_list(shown, statuses, columns, options.width))
    else:
        lines.extend(_header_rows(columns, label_width))
        for t, status in zip(shown, statuses):
            line: Line = [(f"{fit(t['label'], label_width):<{label_width}}", "")]
            for e in columns:
                line.append((" " * GAP, ""))
                line.append((center("■"), "bold red") if e["id"] in t["inspections"] else (center("·"), "dim"))
            line.append((" " * GAP + status, "dim"))
            lines.append(line)
    lines.extend(wrapped(recurrence_legend(t["status"] for t in shown), options.width, indent="  "))
    left = left_out(more, once)
    if left:
        lines.append([(left, "dim")])
    return lines


def left_out(more: int, once: int) -> str:
    """What the theme block leaves out without --all-themes, in the table's and Markdown's words."""
    left = []
    if more:
        left.append(f"{more} more recurring theme{'s' if more != 1 else ''}")
    if once:
        left.append(f"{once} theme{'s' if once != 1 else ''} raised once")
    return " and ".join(left) + " (--all-themes shows them)" if left else ""


def _theme_list(shown: list[dict[str, Any]], statuses: list[str], columns: list[dict[str, Any]], width: int) -> list[Line]:
    """The theme block on a narrow terminal: each theme's label, then its count and word and
    the inspections that raised it (year and framework, as the matrix heads them)."""
    heads = {e["id"]: f"{year_shown(e['date'])} {e['short']}" for e in columns}
    lines: list[Line] = []
    for t, status in zip(shown, statuses):
        lines.append([(fit(t["label"], width), "")])
        row = f"  {status} ·"
        for n, head in enumerate(heads[i] for i in t["inspections"] if i in heads):
            piece = (", " if n else " ") + head
            if len(row) + len(piece) + 1 > width:  # never between a year and its framework; room for a ","
                lines.append([(row + ("," if n else ""), "dim")])
                row = "    " + piece.lstrip(", ")
            else:
                row += piece
        lines.append([(row, "dim")])
    return lines


def timeline_csv_rows(view: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """One row per inspection (tidy, for scripts): dates, role, a column per judgement, themes.

    The columns are the same for every authority, whatever its inspections judged (a script
    appending each authority's CSV to one file gets one header): the seven judgements of full
    inspections where they always were, then after the later-added columns the older
    frameworks' judgements as the export's CSV has them, any other key in ``other_judgements``
    (``key=grade|...``), an area SEND inspection's ``outcome``, the fields documents
    disagree about (``disagreements``, as the export names them) and the subject a focused
    visit or JTAI looked at (``theme``, its own words: "the front door")."""
    from ofstl.render.across import FULL_KEYS
    from ofstl.render.machine import MORE_KEYS

    later = ["capacity", *MORE_KEYS]  # the export's CSV_KEYS end with capacity
    themes_by_id: dict[str, list[str]] = {}
    for t in view["themes"]:
        for i in t["inspections"]:
            themes_by_id.setdefault(i, []).append(t["theme"])
    # inspected_as (last, as the contract adds): the council inspected when not this one, a predecessor's slug
    # corrected: the fields a person corrected (ofstl correct), |-separated, so a script knows which values are by hand
    header = ["id", "framework", "type", "start", "end", "published", "role", *FULL_KEYS, "weaknesses", "themes", "inspected_as",
              "corrected", *later, "other_judgements", "outcome", "disagreements", "theme", "authority", "reported",
              "framework_candidates", "could_be"]  # what an 'other' framework could be; which inspections a mention could be
    rows = []
    for e in view["inspections"]:
        grades = e["judgements"]
        other = "|".join(f"{k}={g}" for k, g in sorted(grades.items()) if k not in FULL_KEYS and k not in later)
        rows.append([e["id"], e["framework"], e.get("type") or "", e.get("start") or "", e.get("end") or "", e.get("published") or "",
                     e["role"], *[grades.get(k, "") for k in FULL_KEYS], e["weaknesses"], "|".join(sorted(themes_by_id.get(e["id"], []))),
                     e.get("inspected_as") or "", "|".join(e.get("corrections", ())), *[grades.get(k, "") for k in later], other,
                     e.get("outcome") or "", "|".join(e.get("disagreement_fields", ())), e.get("theme") or "",
                     view["authority"],  # whose timeline: appended CSVs show a predecessor's row in each successor's
                     e.get("reported") or "",  # a story's own date, when nothing of Ofsted's dates the inspection
                     "|".join(e.get("framework_candidates") or []), "|".join(e.get("could_be") or [])])
    return header, rows


@renders("timeline", "csv", "one row per inspection")
def timeline_csv(view: dict[str, Any], options: Options) -> str:
    return to_csv(*timeline_csv_rows(view))


@renders("timeline", "markdown", "the matrices as tables")
def timeline_markdown(view: dict[str, Any], options: Options = Options()) -> str:
    """The inspections, the grade matrix and the theme matrix as Markdown tables, for reports."""
    events = view["inspections"]
    graded = [e for e in events if e["graded"]]
    out = [f"## {md_text(view['name'])}: inspections", ""]
    out += [md_text(note) + "  " for note in reorganisation_notes(view)] + ([""] if reorganisation_notes(view) else [])

    def role(e: dict[str, Any]) -> str:
        council = council_of(view, e)
        shown = f"{council} · {e['role']}" if council and e["role"] == "mentioned" else council or e["role"]
        return shown + (" · corrected by hand" if e.get("corrections") else "") + (  # as the log says it
            f" · {could_be_words(e['could_be'], events)}" if e.get("could_be") else "")

    rows = [[date_shown(e["date"]), e["name"], role(e), e["headline"], md_text(e.get("theme") or (f"outcome: {e['outcome']}" if e.get("outcome") else ""), table=True)] for e in events]
    out.append(to_markdown(["inspection", "framework", "role", "headline grade", "theme or outcome"], rows))
    if graded:
        header = ["judgement"] + [f"{date_shown(e['date'])[:7]} {e['short']}" for e in graded]
        rows = [[display_name(k)] + [grade_cell(e, k)[0] for e in graded] for k in view["judgement_keys"]]
        legend = [GRADE_LEGEND, ARROW_LEGEND] + [MENTION_LEGEND] * any(e["role"] == "mentioned" for e in graded)
        legend += correction_legends(view, graded)
        out += ["## Grades", "", to_markdown(header, rows), "; ".join(legend), ""]
    shown, more, once = shown_themes(view, options.all_themes)
    if shown:
        raised = {i for t in shown for i in t["inspections"]}
        columns = [e for e in events if e["id"] in raised]
        header = ["theme"] + [f"{date_shown(e['date'])[:7]} {e['short']}" for e in columns] + ["count", "status"]
        rows = [[md_text(t["label"], table=True)] + ["■" if e["id"] in t["inspections"] else "" for e in columns] + [t["count"], t["status"]]
                for t in shown]
        heading = "Weakness themes" if options.all_themes and once_shown(shown) else "Recurring weaknesses"
        out += [f"## {heading}", "", to_markdown(header, rows), recurrence_legend(t["status"] for t in shown), ""]
        if more or once:
            out += [left_out(more, once), ""]
    elif view["themes"]:
        out += ["## Recurring weaknesses", "", f"No weakness theme raised by two or more inspections; {left_out(0, once)}", ""]
    return "\n".join(out).rstrip() + "\n"
