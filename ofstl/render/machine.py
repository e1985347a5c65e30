"""The machine formats of the listing views (JSON, CSV, Markdown), registered in one place.

``list``, ``themes`` and ``export`` give the same fields in every machine format (the
Markdown of ``themes`` names each theme by its label, as tables for people do); their
tables for people are in ``ofstl.render.lists``. The stored record of ``show`` in JSON is
here too, so ``ofstl.render.registry`` knows every (view, format) pair.
"""

from __future__ import annotations

from typing import Any

from ofstl.render import to_csv, to_json, to_json_line, to_markdown
from ofstl.render.registry import Options, renders

LIST_FIELDS = ["authority", "name", "inspections", "first", "last", "latest_grade", "latest_year"]
THEMES_FIELDS = ["theme", "inspections", "share", "recurring_share"]


def list_cells(rows: list[dict[str, Any]]) -> list[list[Any]]:
    return [[r[h] if r[h] is not None else "" for h in LIST_FIELDS] for r in rows]


def themes_cells(view: dict[str, Any]) -> list[list[Any]]:
    return [[t["theme"], t["inspections"], f"{t['share']:.0%}", f"{t['recurring_share']:.0%}"] for t in view["themes"]]


@renders("list", "json")
@renders("themes", "json")
@renders("timeline", "json", "the view data")
@renders("diff", "json")
@renders("export", "json", "SPEC section 3", default=True)
def as_json(view: Any, options: Options) -> str:
    return to_json(view)


@renders("show", "json", "the stored record")
def show_json(view: dict[str, Any], options: Options) -> str:
    return to_json(view["record"])


@renders("list", "csv")
def list_csv(rows: list[dict[str, Any]], options: Options) -> str:
    return to_csv(LIST_FIELDS, list_cells(rows))


@renders("list", "markdown")
def list_markdown(rows: list[dict[str, Any]], options: Options) -> str:
    return to_markdown(LIST_FIELDS, list_cells(rows))


@renders("themes", "csv")
def themes_csv(view: dict[str, Any], options: Options) -> str:
    return to_csv(THEMES_FIELDS, themes_cells(view))


@renders("themes", "markdown", "the table for a report, with theme labels")
def themes_markdown(view: dict[str, Any], options: Options) -> str:
    """A table people read in a report: theme labels, as every table shows (the ids stay in JSON and CSV)."""
    return to_markdown(THEMES_FIELDS, [[t["label"], *row[1:]] for t, row in zip(view["themes"], themes_cells(view))])


@renders("export", "csv", "one row per inspection")
def export_csv(view: dict[str, Any], options: Options) -> str:
    return to_csv(*export_rows(view))


CSV_KEYS = ["overall", "leadership", "help_and_protection", "children_in_care", "care_leavers", "adoption", "lscb", "capacity"]


def export_rows(exported: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The contract's columns, then one per further judgement the store holds (a SLAC's
    ``capacity_safeguarding`` and ``capacity_children_in_care``, a LAC inspection's
    ``outcomes`` ...), by name: without them the CSV silently lost those grades."""
    further = sorted({k for r in exported["inspections"] for k in r["judgements"]} - set(CSV_KEYS))
    header = ["id", "authority", "framework", "type", "start", "end", "published", *CSV_KEYS, "weaknesses", "themes", *further]
    rows = []
    for r in exported["inspections"]:
        themes = sorted({t for w in r["weaknesses"] for t in w["themes"]})
        rows.append([r["id"], r["authority"], r["framework"], r["type"] or "", r["start"] or "", r["end"] or "", r["published"] or "",
                     *[r["judgements"].get(k, "") for k in CSV_KEYS], len(r["weaknesses"]), "|".join(themes),
                     *[r["judgements"].get(k, "") for k in further]])
    return header, rows



@renders("tagged", "json", "one JSON line per item: text and theme ids (with --why, the words behind each)")
def tagged_json(tagged: list[dict[str, Any]], options: Options) -> str:
    keep = ("text", "themes", "why")
    return "".join(to_json_line({k: t[k] for k in keep if k in t}) for t in tagged)


@renders("tagged", "csv", "text and theme ids joined by | (with --why, a why column)")
def tagged_csv(tagged: list[dict[str, Any]], options: Options) -> str:
    if tagged and "why" in tagged[0]:  # per theme, in the themes' order: "id: words / words"
        rows = [[t["text"], "|".join(t["themes"]), " | ".join(f"{i}: {' / '.join(t['why'].get(i, []))}" for i in t["themes"])]
                for t in tagged]
        return to_csv(["text", "themes", "why"], rows)
    return to_csv(["text", "themes"], [[t["text"], "|".join(t["themes"])] for t in tagged])
