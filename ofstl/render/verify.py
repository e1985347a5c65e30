"""``ofstl verify`` laid out: counts per framework and judgement, then each disagreement.

Pure functions of ``Verification.to_dict()``; the table report for people, the rows for CSV.
"""

from __future__ import annotations

from typing import Any

from ofstl.corrections import evidence as correction_evidence
from ofstl.render import Line, columns_lines, to_csv, to_json
from ofstl.render.registry import Options, renders

HEADER = ["framework", "judgement", "agree", "disagree", "missing", "not_in_table"]


def verify_cells(view: dict[str, Any]) -> list[list[Any]]:
    return [[r["framework"], r["judgement"], r["agree"], r["disagree"], r["missing"], r["not_in_table"]] for r in view["by_judgement"]]


def verify_csv_rows(view: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """One row per disagreement (the counts are in the table and JSON formats). official_published
    is the table's publication date only (it gave the inspection date when the table has no
    publication date, under the wrong name); official_start, added last, the inspection date."""
    header = ["id", "authority", "framework", "judgement", "store", "official", "official_published", "official_line", "printed", "source", "page", "method",
              "official_start"]
    rows = [[d["id"], d["authority"], d["framework"], d["judgement"], d["store"], d["official"], d.get("published") or "",
             d["line"], d["evidence"].get("printed", ""), d["evidence"].get("source") or "", d["evidence"].get("page") or "", d["evidence"].get("method") or "",
             d.get("start") or ""]
            for d in view["disagreements"]]
    return header, rows


def verify_lines(view: dict[str, Any]) -> list[Line]:
    totals = view["totals"]
    found = view["inspections"]
    lines: list[Line] = [[(f"{view['table']} ({view['shape']})", "bold")],
                         [(f"judgements: {totals['agree']} agree · {totals['disagree']} disagree · {totals['missing']} missing from the store · "
                           f"{totals['not_in_table']} in the store but not in the table", "")],
                         [(f"inspections: {found['matched']} in both · {found['missing']} missing from the store · "
                           f"{found['not_in_table']} in the store but not in the table", "")], []]
    if view["by_judgement"]:
        lines += columns_lines(HEADER, verify_cells(view))
    else:
        lines.append([("no authority in the store is in the table", "dim")])
    if view["disagreements"]:
        lines += [[], [("Disagreements", "bold")]]
        for d in view["disagreements"]:
            ev = d["evidence"]
            where = f"{ev.get('source') or '?'} p.{ev.get('page') or '?'} {ev.get('method') or ''}".strip()
            said = correction_evidence(ev) if ev.get("method") == "correction" else f"“{ev.get('printed') or ''}” [{where}]"
            official_when = d.get("start") or d.get("published") or "?"
            lines.append([(f"  {d['id']}  {d['judgement']}: ", ""), (f"store {d['store']}", "yellow"),
                          (f", table {d['official']} (line {d['line']}, {official_when})", ""),
                          (f"  {said}", "dim")])
    if view["unnamed"]:
        lines += [[], [(f"{len(view['unnamed'])} table rows name no authority ofstl knows:", "dim")]]
        lines += [[(f"  {u}", "dim")] for u in view["unnamed"]]
    return lines


@renders("verify", "table", "counts per framework and judgement, then each disagreement", default=True)
def verify_table(view: dict[str, Any], options: Options) -> list[Line]:
    return verify_lines(view)


@renders("verify", "json", "the comparison's data")
def verify_json(view: dict[str, Any], options: Options) -> str:
    return to_json(view)


@renders("verify", "csv", "one row per disagreement")
def verify_csv(view: dict[str, Any], options: Options) -> str:
    return to_csv(*verify_csv_rows(view))
