"""Layouts of ``due --backtest``: how well the cycle rules predicted the store's own history.

Split from ``ofstl.render.across`` (the layouts of compare, national and due) to keep each
module small: the hit-rate table shared by CSV, Markdown and the workbook, and the terminal
layout. Pure functions of view data.
"""

from __future__ import annotations

from typing import Any

from ofstl.render import Line, columns_lines, to_csv, to_json, wrapped
from ofstl.render.across import percent
from ofstl.render.registry import renders
from ofstl.vocabulary import same_day_note


def backtest_table(view: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    header = ["authority", "from", "to", "grade", "from_start", "to_start", "months", "window_opens", "window_closes",
              "crossed_pause", "result", "hit_without_pause_rule", "predicted_kind", "actual_type", "monitoring_visits_between", "period"]
    rows = [[p["authority"], p["from"], p["to"], p["grade"], p["from_start"], p["to_start"], p["months"], p["opens"], p["closes"],
             "yes" if p["crossed_pause"] else "no", p["result"], "yes" if p["hit_without_pause_rule"] else "no", p["predicted_kind"],
             p["actual_type"] or "", p["monitoring_visits_between"], p["period"]] for p in view["pairs"]]
    return header, rows


def rates_table(view: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    header = ["group", "value", "pairs", "hits", "early", "late", "hit_rate"]
    rows: list[list[Any]] = []

    def add(group: str, value: str, r: dict[str, Any]) -> None:
        rows.append([group, value, r["pairs"], r["hits"], r["early"], r["late"], "" if r["hit_rate"] is None else r["hit_rate"]])

    add("all", "", view["overall"])
    for r in view["by_grade"]:
        add("grade", r["grade"], r)
    for r in view["by_period"]:
        add("period", r["period"], r)
    for r in view["by_pause"]:
        add("window", "crossed the pause" if r["crossed_pause"] else "clear of the pause", r)
    return header, rows


def backtest_title(view: dict[str, Any]) -> str:
    o = view["overall"]
    if not o["pairs"]:  # not '0 of 0 (): ...'
        return "Backtest: no two consecutive full inspections of one authority in the store to test the windows on"
    return (f"Backtest: {o['hits']} of {o['pairs']} next full inspections ({percent(o['hit_rate'])}) fell in the "
            "window predicted from the one before")


def backtest_lines(view: dict[str, Any], width: int = 100) -> list[Line]:
    o = view["overall"]
    lines: list[Line] = [[(backtest_title(view), "bold")], []]
    _, rows = rates_table(view)
    cells = [[g, v, n, h, e, late, percent(rate) if rate != "" else ""] for g, v, n, h, e, late, rate in rows]
    lines += columns_lines(["group", "", "pairs", "hits", "early", "late", "hit rate"], cells, width=width)
    lines += [[], [(f"without moving windows for the 2020-21 pause: {view['hits_without_pause_rule']} hits of {o['pairs']}", "dim")],
              *wrapped("pause rule: " + view["pause_rule"] + "; period: the year of the first inspection", width, "dim", "  ")]
    if view["skipped_no_grade"]:
        n = view["skipped_no_grade"]
        lines.append([(f"{n} pair{'' if n == 1 else 's'} skipped: the first inspection's grade is not known", "dim")])
    lines += [[(same_day_note(view["skipped_same_day"]), "dim")]] if view.get("skipped_same_day") else []
    return lines



renders("backtest", "table", "aligned columns for people", default=True)(lambda v, o: backtest_lines(v, width=o.width))
renders("backtest", "json", "the view data")(lambda v, o: to_json(v))
renders("backtest", "csv", "the table's rows")(lambda v, o: to_csv(*backtest_table(v)))
