"""The tables for people of the store-wide views: ``list`` (authorities) and ``themes``.

Both fit the width of the run (``COLUMNS``): the widest column is cut with an ellipsis.
Theme labels, not ids, are what people read here; the ids stay in JSON and CSV.
"""

from __future__ import annotations

from typing import Any

from ofstl.render import GRADE_STYLE, Line, columns_lines, wrapped, wrapped
from ofstl.render.registry import Options, renders

LIST_HEADER = ["authority", "name", "inspections", "years", "latest grade"]
THEMES_HEADER = ["theme", "inspections", "share", "recurring_share"]


@renders("list", "table", "aligned columns for people", default=True)
def list_lines(rows: list[dict[str, Any]], options: Options = Options()) -> list[Line]:
    if not rows:
        return [[("The store is empty. Add documents with: ofstl ingest FOLDER", "dim")]]
    cells, styles = [], []
    for r in rows:
        years = f"{r['first']}–{r['last']}" if r["first"] and r["last"] and r["first"] != r["last"] else (r["first"] or "")
        latest = r["latest_headline"] + (f" ({r['latest_year']})" if r.get("latest_year") else "")
        cells.append([r["authority"], r["name"], r["inspections"], years, latest])
        styles.append(["bold", "", "", "", GRADE_STYLE.get(r["latest_grade"] or "", "dim")])
    return columns_lines(LIST_HEADER, cells, styles, width=options.width, shrink=1)


def themes_cells(view: dict[str, Any]) -> list[list[Any]]:
    return [[t["label"], t["inspections"], f"{t['share']:.0%}", f"{t['recurring_share']:.0%}"] for t in view["themes"]]


@renders("themes", "table", "aligned columns for people", default=True)
def themes_lines(view: dict[str, Any], options: Options = Options()) -> list[Line]:
    if not view["themes"]:
        return [[("No weaknesses in the store yet. Add documents with: ofstl ingest FOLDER", "dim")]]
    head: Line = [(f"{view['inspections']} inspections with weaknesses; {view['authorities_with_two_or_more']} authorities with two or more", "")]
    bars = [row + ["█" * max(1, round(t["share"] * 20))] for t, row in zip(view["themes"], themes_cells(view))]
    note = wrapped("share: of those inspections, those raising it · recurring_share: of authorities with two or more, "
                   "where it recurs", options.width)
    return [head, *note, []] + columns_lines(THEMES_HEADER + [""], bars, [["", "", "", "", "cyan"] for _ in bars],
                                              width=options.width, shrink=0)


@renders("tagged", "table", "each item with its themes", default=True)
def tagged_lines(tagged: list[dict[str, Any]], options: Options = Options()) -> list[Line]:
    """``themes --tag``: the labels of each item's themes beside it (a dash when none)."""
    if not tagged:
        return [[("No items to tag.", "dim")]]
    if "why" in tagged[0]:
        return why_lines(tagged, options)
    rows = [["; ".join(t["labels"]) or "-", t["text"]] for t in tagged]
    return columns_lines(["themes", "item"], rows, width=options.width, shrink=0)


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
