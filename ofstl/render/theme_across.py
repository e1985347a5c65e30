"""Layouts of ``themes --theme``: one theme across authorities (``ofstl.theme_across``).

The terminal lists each authority with its recurrence word and the inspections that raised
the theme, wrapped under it rather than cut (``--items`` adds the reports' words); CSV gives
one row per item, so a spreadsheet can filter by authority, year or framework; JSON is the
view. Pure functions of view data.
"""

from __future__ import annotations

import textwrap
from typing import Any

from ofstl.render import Line, to_csv, to_json, wrapped
from ofstl.render.registry import Options, renders
from ofstl.vocabulary import ONCE_LEGEND, RECURRENCE_LEGEND, Recurrence, year_shown

LEGEND = RECURRENCE_LEGEND + " · " + ONCE_LEGEND
# date: the date the inspection is known by (its start, else its publication, as the timeline's
# JSON), empty when none; start (added last): the fieldwork start, as the other CSVs name it;
# framework_candidates (after it): what an 'other' the documents left open could be, as export's
CSV_HEADER = ["theme", "authority", "name", "status", "count", "inspection", "date", "framework", "item", "start", "framework_candidates"]


def raised_by(row: dict[str, Any]) -> str:
    """'2014 SIF, 2018 ILACS': the inspections of an authority that raised the theme."""
    return ", ".join(f"{year_shown(i['date'])} {i['short']}" for i in row["inspections"])


def timeline_word(row: dict[str, Any], names: bool = False) -> str:
    """' · its timeline, with bournemouth's: 2× persists' when the authority's timeline, which
    shows its predecessors' inspections too, gives the theme another word than its own do
    (``names``: the councils' names, for a page, not their slugs)."""
    shown = row.get("timeline")
    if not shown:
        return ""
    return f" · its timeline, with {', '.join(shown['predecessor_names' if names else 'predecessors'])}'s: {recurrence_cell(shown)}"


def summary(view: dict[str, Any]) -> str:
    def n(count: int, word: str) -> str:  # "in 1 authority", "of the 1 authority": not "1 authorities"
        return f"{count} {word if count == 1 else {'authority': 'authorities', 'inspection or visit': 'inspections and visits'}[word]}"

    return (f"raised by {view['inspections_raising']} of {n(view['inspections_with_weaknesses'], 'inspection or visit')} with weaknesses, "
            f"in {n(view['authorities_raising'], 'authority')} · recurs in {view['authorities_recurring']} of the "
            f"{n(view['authorities_with_two_or_more'], 'authority')} with two or more inspections or visits with weaknesses")


def recurrence_cell(row: dict[str, Any]) -> str:
    """'2× persists', '1× resolved' (as the timeline writes it), or 'raised once': the
    authority's recurrence word with its count, which "raised once" already says."""
    return row["status"] if row["status"] == Recurrence.ONCE.value else f"{row['count']}× {row['status']}"


def theme_lines(view: dict[str, Any], options: Options = Options()) -> list[Line]:
    width, items = options.width or 100, options.items
    lines: list[Line] = [[(view["label"], "bold"), (f" ({view['theme']})", "dim")], *wrapped(summary(view), width, "", "  "), []]
    if not view["authorities"]:
        return lines + [[("No authority in the store raises it.", "dim")]]
    slug = min(max(len(r["authority"]) for r in view["authorities"]), 24)
    indent = slug + 2 + 14
    if width - indent >= 20:
        lines.append([(f"{'authority':<{slug}}  {'':<12}  raised by (year, framework)", "bold")])
    for row in view["authorities"]:
        name = row["authority"] if len(row["authority"]) <= slug else row["authority"][: slug - 1] + "…"
        head = f"{name:<{slug}}  {recurrence_cell(row):<12}  "
        said = raised_by(row) + timeline_word(row)
        if width - indent >= 20:
            parts = wrapped(said, width - indent, "", "")
            lines.append([(head[:slug], "bold"), (head[slug:], ""), *parts[0]])
            lines += [[(" " * indent, ""), *part] for part in parts[1:]]
        else:  # narrow: the inspections on lines of their own
            lines.append([(head.rstrip(), "bold")])
            lines += [[(part, "")] for part in textwrap.wrap(said, width, initial_indent="  ", subsequent_indent="  ")]
        if items:
            for inspection in row["inspections"]:
                for text in inspection["items"]:
                    said = f"{year_shown(inspection['date'])} {inspection['short']}: {text}"
                    lines += [[(part, "")] for part in textwrap.wrap(said, width, initial_indent="    ", subsequent_indent="      ")]
    lines += [[]] + wrapped(LEGEND, width, "dim", "  ")
    if not items:
        lines += wrapped("the reports' words: --items (or --format csv, json)", width, "dim", "  ")
    return lines


def theme_csv_rows(view: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    rows = []
    for row in view["authorities"]:
        for inspection in row["inspections"]:
            for text in inspection["items"] or [""]:
                rows.append([view["theme"], row["authority"], row["name"], row["status"], row["count"], inspection["id"],
                             inspection["date"] or "", inspection["framework"], text, inspection.get("start") or "",
                             "|".join(inspection.get("framework_candidates") or [])])
    return CSV_HEADER, rows


renders("theme", "table", "each authority raising the theme, with its recurrence word", default=True)(theme_lines)
renders("theme", "json", "the view data")(lambda v, o: to_json(v))
renders("theme", "csv", "one row per item")(lambda v, o: to_csv(*theme_csv_rows(v)))
