"""The machine formats of the listing views (JSON, CSV, Markdown), registered in one place.

``list``, ``themes`` and ``export`` give the same fields in every machine format (the
Markdown of ``themes`` names each theme by its label, as tables for people do); their
tables for people are in ``ofstl.render.lists``. The stored record of ``show`` in JSON is
here too, so ``ofstl.render.registry`` knows every (view, format) pair.
"""

from __future__ import annotations

from typing import Any

from ofstl.parse.calendar import spec_fields
from ofstl.parse.labels import DISPLAY, key_sort
from ofstl.render import to_csv, to_json, to_json_line, to_markdown
from ofstl.render.registry import Options, renders

# latest_headline and predecessors (added last): why a row has no grade ('not graded', 'grade
# not stated', 'no inspection of its own') and whose inspections a successor's timeline shows
LIST_FIELDS = ["authority", "name", "inspections", "first", "last", "latest_grade", "latest_year", "latest_headline", "predecessors",
               "inspections_read", "visits_read", "mentioned"]  # added last: what 'inspections' (the total) is made of
THEMES_FIELDS = ["theme", "inspections", "share", "recurring_share"]


def list_cells(rows: list[dict[str, Any]]) -> list[list[Any]]:
    def cell(value: Any) -> Any:
        return "" if value is None else "|".join(value) if isinstance(value, list) else value

    return [[cell(r.get(h)) for h in LIST_FIELDS] for r in rows]


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
    """The record as stored, its framework in SPEC's codes as every machine output gives it (an
    open one, stored as 'sif-or-ilacs', is 'other' with ``framework_candidates``) and its
    judgements in the order of every other output (the store's file keeps them alphabetical)."""
    record = view["record"]
    judgements = dict(sorted((record.get("judgements") or {}).items(), key=lambda kv: key_sort(kv[0])))
    return to_json({**record, **spec_fields(record["framework"]), "judgements": judgements})


@renders("list", "csv")
def list_csv(rows: list[dict[str, Any]], options: Options) -> str:
    return to_csv(LIST_FIELDS, list_cells(rows))


@renders("list", "markdown", "the table for a report")
def list_markdown(rows: list[dict[str, Any]], options: Options) -> str:
    """The table people read, in words: the latest headline as the terminal gives it ('grade
    not stated', 'no overall grade' were empty cells, as in the CSV), with its year."""
    cells = []
    for r in rows:
        years = f"{r['first']}–{r['last']}" if r["first"] and r["last"] and r["first"] != r["last"] else (r["first"] or "")
        latest = (r.get("latest_headline") or r["latest_grade"] or "") + (f" ({r['latest_year']})" if r.get("latest_year") else "")
        cells.append([r["authority"], r["name"], r["inspections_read"], r["visits_read"], r["mentioned"], years, latest])
    return to_markdown(["Authority", "Name", "Inspections", "Visits", "Mentioned", "Years", "Latest grade"], cells)


@renders("themes", "csv")
def themes_csv(view: dict[str, Any], options: Options) -> str:
    """The JSON's numbers (shares as fractions, as national and due give them), not the
    percentages people read: a spreadsheet sorts and sums them."""
    return to_csv(THEMES_FIELDS, [[t[f] for f in THEMES_FIELDS] for t in view["themes"]])


@renders("themes", "markdown", "the table for a report, with theme labels")
def themes_markdown(view: dict[str, Any], options: Options) -> str:
    """A table people read in a report: theme labels, as every table shows (the ids stay in JSON and CSV)."""
    table = to_markdown(["Theme", "Inspections", "Share", "Recurring share"], [[t["label"], *row[1:]] for t, row in zip(view["themes"], themes_cells(view))])
    if not view["themes"]:
        return table
    return (table + f"\nShare: of the {view['inspections']} inspections and visits with weaknesses, those raising the theme. Recurring share: of the "
            f"{view['authorities_with_two_or_more']} authorities with two or more such inspections or visits, those where it recurs.\n")


@renders("export", "csv", "one row per inspection")
def export_csv(view: dict[str, Any], options: Options) -> str:
    return to_csv(*export_rows(view))


CSV_KEYS = ["overall", "leadership", "help_and_protection", "children_in_care", "care_leavers", "adoption", "lscb", "capacity"]
# The judgements of the older frameworks (SLAC's two capacities, LAC's outcomes and quality of
# provision ...), after the themes as the contract adds columns; any other key a store holds
# goes to other_judgements ("key=grade|..."), so no grade read is left out of the CSV.
MORE_KEYS = [k for k in DISPLAY if k not in CSV_KEYS]


def export_rows(exported: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    header = ["id", "authority", "framework", "type", "start", "end", "published", *CSV_KEYS, "weaknesses", "themes", *MORE_KEYS,
              "other_judgements", "corrected", "outcome", "inspected_as", "disagreements", "role", "reported", "framework_candidates", "theme",
              "could_be"]
    rows = []
    for r in exported["inspections"]:
        themes = sorted({t for w in r["weaknesses"] for t in w["themes"]})
        other = "|".join(f"{k}={g}" for k, g in sorted(r["judgements"].items()) if k not in CSV_KEYS and k not in MORE_KEYS)
        rows.append([r["id"], r["authority"], r["framework"], r["type"] or "", r["start"] or "", r["end"] or "", r["published"] or "",
                     *[r["judgements"].get(k, "") for k in CSV_KEYS], len(r["weaknesses"]), "|".join(themes),
                     *[r["judgements"].get(k, "") for k in MORE_KEYS], other, "|".join(c["field"] for c in r.get("corrections", [])),
                     r.get("outcome") or "",  # an area SEND inspection's outcome, not a grade
                     r.get("inspected_as") or "",  # the council inspected, when today's continues it (SPEC section 4)
                     # the fields documents read differently, each once (the readings: JSON, ofstl show)
                     "|".join(dict.fromkeys(d["field"] for d in r.get("disagreements", []))),
                     r["role"],  # subject, or mentioned: known only from a later document's account
                     r.get("reported") or "",  # a story's or paper's own date, when nothing of Ofsted's dates it
                     "|".join(r.get("framework_candidates") or []),  # what an 'other' the documents left open could be
                     r.get("theme") or "",  # the subject a focused visit or JTAI looked at, in its words (not the theme ids)
                     "|".join(r.get("could_be") or [])])  # the inspections a mention held apart could be
    return header, rows



@renders("tagged", "json", "one JSON line per item: text and theme ids (with --why, the words behind each)")
def tagged_json(tagged: list[dict[str, Any]], options: Options) -> str:
    keep = ("text", "themes", "why")
    return "".join(to_json_line({k: t[k] for k in keep if k in t}) for t in tagged)


@renders("tagged", "csv", "text and theme ids joined by | (with --why, a why column)")
def tagged_csv(tagged: list[dict[str, Any]], options: Options) -> str:
    if options.why or tagged and "why" in tagged[0]:  # per theme, in the themes' order: "id: words / words"
        rows = [[t["text"], "|".join(t["themes"]), " | ".join(f"{i}: {' / '.join(t['why'].get(i, []))}" for i in t["themes"])]
                for t in tagged]
        return to_csv(["text", "themes", "why"], rows)
    return to_csv(["text", "themes"], [[t["text"], "|".join(t["themes"])] for t in tagged])
