"""The tables for people of the store-wide views: ``list`` (authorities) and ``themes``.

Both fit the width of the run (``COLUMNS``): ``list`` drops the names (never the slugs
commands take), then writes grades as letters, before cutting a column with an ellipsis; the
themes table drops its bars first, then stacks each theme over its numbers. The table of
``themes --tag`` lists an item's themes one a row and wraps the item, so nothing is hidden.
Theme labels, not ids, are what people read here; the ids stay in JSON and CSV.
"""

from __future__ import annotations

import textwrap
from typing import Any

from ofstl.parse.grades import SHORT
from ofstl.render import GRADE_STYLE, Line, columns_lines, fit, wrapped
from ofstl.render.registry import Options, renders
from ofstl.vocabulary import GRADE_LEGEND, GRADE_NOT_STATED, NO_OVERALL, NONE_OF_ITS_OWN

# inspections whose own report is in the store; visits (focused, monitoring) likewise; those only a later document mentions
LIST_HEADER = ["authority", "name", "inspections", "visits", "mentioned", "years", "latest grade"]
THEMES_HEADER = ["theme", "inspections", "share", "recurring_share"]
NARROW_HEADER = {"inspections": "insp.", "visits": "vis.", "mentioned": "ment.", "latest grade": "latest"}
NARROW_HEADLINE = {GRADE_NOT_STATED: "not stated", NO_OVERALL: "no overall"}
MIN_LABEL = 16  # narrower than this, a theme's label says too little to stand in a column


@renders("list", "table", "aligned columns for people", default=True)
def list_lines(rows: list[dict[str, Any]], options: Options = Options()) -> list[Line]:
    if not rows:
        return [[("The store is empty. Add documents with: ofstl ingest FOLDER", "dim")]]
    for layout in ("full", "without names", "without visits", "grade letters", "inspections only"):
        # The slug is what commands take, so it is never cut: the name (the same words in
        # capitals) gives way whole, then the visits and mentions columns (JSON has them), then
        # grades become letters, rather than "Barking an…" and "requires improvemen…" losing the year.
        narrow = layout in ("grade letters", "inspections only")
        apart = [] if layout in ("without visits", "inspections only") else ["visits", "mentioned"]
        header = [h for h in LIST_HEADER if (layout == "full" or h != "name") and (h in apart or h not in ("visits", "mentioned"))]
        if narrow:  # headers as narrow as their cells ("latest\n  grade" wrapped at 40)
            header = [NARROW_HEADER.get(h, h) for h in header]
        cells, styles = [], []
        for r in rows:
            years = f"{r['first']}–{r['last']}" if r["first"] and r["last"] and r["first"] != r["last"] else (r["first"] or "")
            grade = r["latest_headline"]
            if narrow:
                grade = SHORT.get(r["latest_grade"] or "", grade) if grade == r["latest_grade"] else NARROW_HEADLINE.get(grade, grade)
            latest = grade + (f" ({r['latest_year']})" if r.get("latest_year") else "")
            if r["latest_headline"] == NONE_OF_ITS_OWN:  # the council whose inspections its timeline shows
                shown = ", ".join(r.get("predecessors", []))
                latest = f"none; see {shown}" if narrow else f"{latest} (predecessor: {shown})"
            counts = [r["inspections_read"]] + ([r["visits_read"], r["mentioned"]] if apart else [])
            cells.append([r["authority"]] + ([r["name"]] if layout == "full" else []) + counts + [years, latest])
            styles.append(["bold"] + ([""] if layout == "full" else []) + [""] * (len(counts) + 1) + [GRADE_STYLE.get(r["latest_grade"] or "", "dim")])
        widths = [max(len(str(c)) for c in column) for column in zip(header, *cells)]
        if not options.width or sum(widths) + 2 * (len(widths) - 1) <= options.width:
            break
    # the slug and the years are never cut ("hillingd…", "2009–20…" said nothing): the grade gives way
    lines = columns_lines(header, cells, styles, width=options.width, shrink=[len(header) - 1], keep=(0, len(header) - 2))
    if narrow:
        legend = f"{GRADE_LEGEND} · insp.: inspections · " + ("vis.: visits · ment.: only mentioned by a later document" if apart
                                                                 else "visits and mentions: --format json")
        lines += [[(line, "dim")] for line in textwrap.wrap(legend, options.width or 100, subsequent_indent="  ")]
    elif not apart:
        lines += [[(line, "dim")] for line in textwrap.wrap("visits and mentions: --format json", options.width or 100)]
    return lines


def themes_cells(view: dict[str, Any]) -> list[list[Any]]:
    return [[t["label"], t["inspections"], f"{t['share']:.0%}", f"{t['recurring_share']:.0%}"] for t in view["themes"]]


@renders("themes", "table", "aligned columns for people", default=True)
def themes_lines(view: dict[str, Any], options: Options = Options()) -> list[Line]:
    if not view["themes"]:
        return [[("No weaknesses in the store yet. Add documents with: ofstl ingest FOLDER", "dim")]]
    head = wrapped(f"{view['inspections']} inspections and visits with weaknesses; {view['authorities_with_two_or_more']} authorities with two or more",
                   options.width or 100, "", "  ")
    cells = themes_cells(view)
    note = wrapped("share: of those inspections and visits, those raising it · recurring_share: of authorities with two or more, "
                   "where it recurs", options.width)
    bars = [row + ["█" * max(1, round(t["share"] * 20))] for t, row in zip(view["themes"], cells)]
    numbers = sum(len(h) for h in THEMES_HEADER[1:]) + 2 * len(THEMES_HEADER[1:])  # the columns beside the label
    width = options.width or 100
    if width - numbers - 2 - max(len(b[-1]) for b in bars) >= MIN_LABEL + 4:  # room for the bars too
        table = columns_lines(THEMES_HEADER + [""], bars, [["", "", "", "", "cyan"] for _ in bars], width=width, shrink=0)
    elif width - numbers >= MIN_LABEL:
        table = columns_lines(THEMES_HEADER, cells, width=width, shrink=0)
    else:  # too narrow for columns: each theme's label, its numbers under it
        table = []
        for row in cells:
            table += [[(fit(row[0], width), "")],
                      *wrapped(f"  {row[1]} inspections · share {row[2]} · recurring_share {row[3]}", width, indent="  ")]
    hint = wrapped("where one theme is raised and comes back: ofstl themes --theme THEME", width, "dim", "  ")
    return [*head, *note, []] + table + [[], *hint]


@renders("tagged", "table", "each item with its themes", default=True)
def tagged_lines(tagged: list[dict[str, Any]], options: Options = Options()) -> list[Line]:
    """``themes --tag``: the labels of each item's themes beside it (a dash when none)."""
    if not tagged:
        return [[("No items to tag.", "dim")]]
    if "why" in tagged[0]:
        return why_lines(tagged, options)
    # one theme per row and the item wrapped beside them: a cut cell would hide an item's
    # second theme, and the item is the user's own words
    import textwrap

    width = options.width or 100
    longest = max([len(label) for t in tagged for label in t["labels"]] + [len("themes")])
    label_width = min(longest, max(16, (width - 2) // 2))
    item_width = max(16, width - label_width - 2)
    rows: list[list[Line]] = []
    for t in tagged:
        labels = [fit(label, label_width) for label in t["labels"]] or ["-"]
        words = textwrap.wrap(t["text"], item_width) or [""]
        rows.append([[(labels[n].ljust(label_width) + "  " if n < len(labels) else " " * (label_width + 2), "" if t["labels"] else "dim"),
                      (words[n] if n < len(words) else "", "")] for n in range(max(len(labels), len(words)))])
    apart = any(len(row) > 1 for row in rows)  # items of several lines: a blank line between them
    lines: list[Line] = [[("themes".ljust(label_width) + "  ", "bold"), ("item", "bold")]]
    for row in rows:
        lines += row + ([[]] if apart else [])
    return lines[:-1] if apart else lines


def why_lines(tagged: list[dict[str, Any]], options: Options) -> list[Line]:
    """``themes --tag --why``: each item, then each theme's label with the words that made it apply."""
    width = options.width or 100
    lines: list[Line] = []
    for t in tagged:
        lines += [[(row[0][0], "bold")] for row in wrapped(t["text"], width, "", "  ")]
        for theme_id, label in zip(t["themes"], t["labels"]):
            words = ", ".join(f"“{w}”" for w in t["why"].get(theme_id, []))
            lines += wrapped(f"  {label}: {words}" if words else f"  {label}", width, "", "      ")
        if not t["themes"]:
            lines.append([("  no theme", "dim")])
        lines.append([])
    return lines[:-1]
