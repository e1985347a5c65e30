"""Layouts for the views across authorities: compare, national, due and the due backtest.

Each view has one row-table builder (header and typed rows), shared by CSV, Markdown and the
Excel writer (``ofstl.render.xlsx``), so a workbook carries exactly the CSV's values, and a
terminal layout of styled lines (``ofstl.render.Line``). Pure functions of view data.
"""

from __future__ import annotations

from typing import Any

from ofstl.parse.grades import SHORT
from ofstl.render import GRADE_STYLE, Line, columns_lines, fit, to_csv, to_json, to_markdown, wrapped
from ofstl.render.registry import renders
from ofstl.shares import share
from ofstl.vocabulary import ARROW, CORRECTION_MARK, FRAMEWORKS, GRADE_LEGEND, GRADE_NOT_STATED, correction_legend, same_day_note, show_commands

SHORT_FRAMEWORK = {f.id: f.short for f in FRAMEWORKS.values()}

LABEL = {"overall": "overall", "leadership": "leadership", "help_and_protection": "help & protection",
         "children_in_care": "children in care", "care_leavers": "care leavers", "adoption": "adoption", "lscb": "LSCB"}
COLUMN = {"overall": "overall", "leadership": "leaders", "help_and_protection": "help", "children_in_care": "in care",
          "care_leavers": "leavers", "adoption": "adoption", "lscb": "LSCB"}


def _note(text: str, width: int = 100) -> list[Line]:
    """A dim note, wrapped to the width (continuation lines indented; a slug such as
    north-lincolnshire, a command's word, never split at its hyphen)."""
    return wrapped(text, width, "dim", "  ")


def _fitted(header: list[str], cells: list[list[Any]], styles: list[list[str]] | None, width: int, droppable: list[str],
            shrink: list[int] | None = None) -> tuple[list[Line], list[str]]:
    """Aligned columns that fit the width: when cutting cells is not enough (a row would fold
    across two lines and lose its columns), whole columns go, in the order of ``droppable``
    (header names). Returns the lines and the columns left out."""
    dropped: list[str] = []
    while True:
        lines = columns_lines(header, cells, styles, width=width, shrink=shrink)
        wide = any(len("".join(text for text, _ in line).rstrip()) > width for line in lines)
        left = [h for h in droppable if h in header]
        if not wide or not left:
            return lines, dropped
        i = header.index(left[0])
        dropped.append(left[0])
        header = header[:i] + header[i + 1:]
        cells = [row[:i] + row[i + 1:] for row in cells]
        styles = [row[:i] + row[i + 1:] for row in styles] if styles else None
        shrink = [j - (j > i) for j in shrink or [] if j != i] or None


def _left_out(dropped: list[str], width: int) -> list[Line]:
    return _note(f"left out to fit {width} columns: {', '.join(dropped)} (a wider terminal, or --format csv, has them)", width) if dropped else []


def percent(share: float | None) -> str:
    return "" if share is None else f"{share:.0%}"


# --------------------------------------------------------------------------- compare


# The judgements of full inspections (SIF and ILACS): the CSV's columns whatever the store holds,
# so a script gets the same header for every authority (the table shows only those judged).
FULL_KEYS = ["overall", "leadership", "help_and_protection", "children_in_care", "care_leavers", "adoption", "lscb"]



# The corrected figures each view shows, as (authority, inspection id): the † legend names the
# command that says why for each (ofstl show AUTHORITY ID), in the table and the Markdown page.
DUE_CORRECTED = "the last full inspection's grade, date or framework was corrected by hand"


# what a cell such as '(G 2022)' says: the last full inspection gave no grade; the bracket is older
SUPERSEDED_LEGEND = ("(G 2022): not judged by the last full inspection, an earlier one's grade, superseded · "
                     "?: judged, grade not stated")


def compare_corrected(view: dict[str, Any]) -> list[tuple[str, str]]:
    return [(r["authority"], j["inspection"]) for r in view["rows"] for j in r["judgements"].values() if j.get("corrected")]


def national_corrected(view: dict[str, Any]) -> list[tuple[str, str]]:
    named = {c.split(" ", 1)[0] for c in view.get("corrected", [])}  # "hounslow overall"
    return [(s["authority"], s["inspection"]) for s in view.get("sources", []) if s["authority"] in named]


def due_corrected(view: dict[str, Any]) -> list[tuple[str, str]]:
    return [(r["authority"], r["last_full"]["id"]) for r in view["authorities"] if r.get("corrected") and r["last_full"]]

def compare_table(view: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The CSV's (and workbook's) rows: the seven judgements' four columns each whatever the
    store holds, any other judgement of a full inspection in ``other_judgements`` (key=grade|...)."""
    keys = FULL_KEYS
    header = ["authority", "name", "role", "region", "last_full", "last_full_framework", "last_full_date", "months_since"]
    for k in keys:
        header += [k, f"{k}_date", f"{k}_framework", f"{k}_change"]
    header += ["other_judgements", "last_full_type", "subject", "as_at"]  # added last: as due's CSV names them
    # added after those: whether the last full inspection made each judgement, and the grade an
    # earlier one gave where it gave none (superseded, never in the KEY column; ofstl.latest)
    for k in keys:
        header += [f"{k}_status", f"{k}_superseded", f"{k}_superseded_date"]
    rows = []
    for r in view["rows"]:
        last = r["last_full"] or {}
        row: list[Any] = [r["authority"], r["name"], r["role"], r["region"], last.get("id", ""), last.get("framework", ""),
                          last.get("start", ""), r["months_since"] if r["months_since"] is not None else ""]
        for k in keys:
            j = r["judgements"].get(k)
            row += [j["grade"], j["date"] or "", j["framework"], j["change"] or ""] if j else ["", "", "", ""]
        row += ["|".join(f"{k}={j['grade']}" for k, j in sorted(r["judgements"].items()) if k not in keys and j["grade"]),
                last.get("type") or "", view["authority"], view["as_at"]]
        for k in keys:
            j = r["judgements"].get(k) or {}
            older = j.get("superseded") or {}
            row += [j.get("status", ""), older.get("grade", ""), older.get("date") or ""]
        rows.append(row)
    return header, rows


def short_grade(grade: str) -> str:
    return SHORT.get(grade, grade[:2].upper())


def _cell(judgement: dict[str, Any] | None) -> tuple[str, str]:
    """'G↑'; where the last full inspection gave no grade, an earlier inspection's grade in
    brackets, superseded: '(G 2022)' (not judged), '?(G 2022)' (judged, grade not stated)."""
    if not judgement:
        return "·", "dim"
    if not judgement["grade"]:
        older = judgement.get("superseded")
        text = "?" if judgement["status"] == GRADE_NOT_STATED else ("" if older else "·")
        return text + (f"({short_grade(older['grade'])} {str(older['date'])[:4]})" if older else ""), "dim"
    text = short_grade(judgement["grade"]) + ARROW.get(judgement["change"] or "", "")
    text += CORRECTION_MARK if judgement.get("corrected") else ""
    return text, GRADE_STYLE.get(judgement["grade"], "")


def compare_lines(view: dict[str, Any], width: int = 100) -> list[Line]:
    keys = view["judgement_keys"]
    words = {"neighbour": "statistical neighbours", "region": "its region", "named": "named"}
    basis = sorted({words.get(r["role"].split(" ")[0], r["role"]) for r in view["rows"][1:]})
    count = len(view["rows"]) - 1
    title = (f"{view['name']} ({view['region']}) beside {count} comparator{'' if count == 1 else 's'} "
             f"({', '.join(basis) or 'none'}) · as at {view['as_at']}")
    # 'why' only when the comparators come from more than one source (the title names a single one)
    show_why = len(basis) > 1
    header = ["authority"] + (["why"] if show_why else []) + ["last full", "mths"] + [COLUMN.get(k, k) for k in keys]
    cells, styles = [], []
    for r in view["rows"]:
        last = r["last_full"]
        why = "" if r["role"] == "subject" else r["role"].replace("neighbour ", "SN ")
        if not r["in_store"]:
            last_text = "not stored"
        elif not last:
            last_text = "no full insp."
        else:
            last_text = f"{SHORT_FRAMEWORK.get(last['framework'], last['framework'])} {str(last['start'])[:7]}"
        row = [r["authority"]] + ([why] if show_why else []) + [last_text, "" if r["months_since"] is None else f"{r['months_since']:.0f}"]
        style = ["bold" if r["role"] == "subject" else ""] + (["dim"] if show_why else []) + ["" if last else "dim", ""]
        for k in keys:
            text, st = _cell(r["judgements"].get(k))
            row.append(text)
            style.append(st)
        cells.append(row)
        styles.append(style)
    lines: list[Line] = [[(title, "bold")], []]
    table, dropped = _fitted(header, cells, styles, width, ["LSCB", "adoption", "why", "mths", "leavers"],
                             shrink=[1] if show_why else None)  # 'why' gives way first
    lines += table + _left_out(dropped, width)
    lines += _note("O outstanding · G good · RI requires improvement · I inadequate · ↑ ↓ = against the grade before · "
                   f"{SUPERSEDED_LEGEND}", width)
    lines += _note(("SN n: the n-th closest statistical neighbour · " if show_why else "") + "mths: months since the last full inspection · leaders: impact of leaders · help: help and protection · in care: children in care · leavers: care leavers", width)
    if compare_corrected(view):
        lines += _note(correction_legend(compare_corrected(view)), width)
    lines += _note("counted: " + view["counted"], width)
    for note in ("predecessors", "abolished"):  # a reorganised council: what the table leaves out, and why
        lines += _note(view[note], width) if view.get(note) else []
    if view["not_in_store"]:
        lines += _note(f"not in the store: {', '.join(view['not_in_store'])} (ofstl ingest their documents)", width)
    return lines


# --------------------------------------------------------------------------- national


def national_table(view: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """Long form: one row per (region, judgement, measure, category) with count and share
    (every share from ``ofstl.shares``; none, an empty cell), and the date counted to (added last)."""
    header = ["region", "judgement", "measure", "category", "count", "share", "as_at"]
    rows: list[list[Any]] = []
    groups = [("England", view)] + [(g["region"], g) for g in view.get("regions", [])]
    for name, group in groups:
        rows.append([name, "", "coverage", "authorities", group["authorities"], None])
        rows.append([name, "", "coverage", "covered", group["covered"], share(group["covered"], group["authorities"])])
        for d in group["judgements"]:
            for g, value in [*d["grades"].items(), ("good_or_outstanding", d["good_or_outstanding"])]:
                rows.append([name, d["judgement"], "latest_grade", g, value["count"], value["share"]])
            rows.append([name, d["judgement"], "latest_grade", "not_judged", d["not_judged"], None])
            rows.append([name, d["judgement"], "latest_grade", "not_known", d.get("not_known", 0), None])
        for t in group["transitions"]:
            for kind in ("improved", "stayed_good_or_outstanding", "stayed_below_good", "declined"):
                rows.append([name, t["judgement"], "transition", kind, t[kind], share(t[kind], t["pairs"])])
            rows.append([name, t["judgement"], "transition", "not_comparable", t["not_comparable"], None])
            for pair, counts in t["by_frameworks"].items():
                for kind, n in counts.items():
                    rows.append([name, t["judgement"], f"transition {pair}", kind, n, share(n, sum(counts.values()))])
    return header, [[*row[:-1], "" if row[-1] is None else row[-1], view["as_at"]] for row in rows]


def _grades_rows(group: dict[str, Any], prefix: list[str], shares: bool = True) -> tuple[list[list[Any]], list[list[str]]]:
    def cell(v: dict[str, Any]) -> str:
        return f"{v['count']} ({percent(v['share'])})" if shares and v["share"] is not None else str(v["count"])

    cells, styles = [], []
    for d in group["judgements"]:
        row = prefix + [LABEL.get(d["judgement"], d["judgement"]), str(d["graded"])]
        style = [""] * len(row)
        for g in ("outstanding", "good", "requires improvement", "inadequate"):
            row.append(cell(d["grades"][g]))
            style.append(GRADE_STYLE.get(g, ""))
        row += [cell(d["good_or_outstanding"]), str(d["not_judged"])]
        style += ["bold", "dim"]
        cells.append(row)
        styles.append(style)
    return cells, styles


def _transition_rows(group: dict[str, Any], prefix: list[str]) -> list[list[Any]]:
    out = []
    for t in group["transitions"]:
        out.append(prefix + [LABEL.get(t["judgement"], t["judgement"]), "all", t["pairs"], t["improved"], t["stayed_good_or_outstanding"],
                             t["stayed_below_good"], t["declined"], t["not_comparable"]])
        for pair, c in t["by_frameworks"].items():
            a, _, b = pair.partition("->")
            out.append(prefix + ["", f"{SHORT_FRAMEWORK.get(a, a)} → {SHORT_FRAMEWORK.get(b, b)}", sum(c.values()), c["improved"],
                                 c["stayed_good_or_outstanding"], c["stayed_below_good"], c["declined"], ""])
    return out


def national_lines(view: dict[str, Any], width: int = 100) -> list[Line]:
    lines: list[Line] = [[(f"England as at {view['as_at']} · {view['covered']} of {view['authorities']} authorities have a full "
                           "inspection in the store", "bold")], []]
    by_region = view.get("regions")
    prefix_head = ["region"] if by_region else []
    groups = [("England", view)] + [(g["region"], g) for g in by_region or []]
    lines.append([("Latest grades (each authority's latest full inspection; share of those graded)", "bold")])
    for shares in (True, False):  # counts alone when the shares would fold the rows apart
        cells, styles = [], []
        for name, group in groups:
            c, s = _grades_rows(group, [name] if by_region else [], shares)
            cells += c
            styles += s
        grades = ["outstanding", "good", "RI", "inadequate"] if shares else ["O", "G", "RI", "I"]
        table, dropped = _fitted(prefix_head + ["judgement", "graded", *grades, "good or better", "not judged"], cells, styles, width,
                                 ["not judged", "good or better", "graded"])
        if not shares or all(len("".join(text for text, _ in line).rstrip()) <= width for line in table):
            break
    lines += table + _left_out(dropped + ([] if shares else ["the shares (%)"]), width)
    if not shares:
        lines += _note(GRADE_LEGEND, width)
    unknown = [f"{LABEL.get(d['judgement'], d['judgement'])} {d['not_known']}" for d in view["judgements"] if d.get("not_known")]
    if unknown:  # judged, but no stored document gives the grade: neither graded nor 'not judged'
        lines += _note(f"{GRADE_NOT_STATED} (judged, but no document in the store gives the grade): {', '.join(unknown)}", width)
    lines += [[], [("Transitions between consecutive full inspections of the same authority", "bold")]]
    rows = []
    for name, group in groups:
        rows += _transition_rows(group, [name] if by_region else [])
    table, dropped = _fitted(prefix_head + ["judgement", "frameworks", "pairs", "improved", "stayed good+", "stayed <good",
                                            "declined", "n/a"], rows, None, width, ["n/a", "pairs", "stayed <good", "stayed good+"])
    lines += table + _left_out(dropped, width)
    lines += _note("stayed good+: stayed good or outstanding · stayed <good: stayed below good · n/a: a grade missing "
                   "on either side, or both on the same first day as far as known (not comparable)", width)
    lines += [[]] + _note("counted: " + view["counted"], width) + _note(f"as at: {view['as_at_rule']}; {view['latest_rule']}", width)
    if view.get("corrected"):
        lines += _note(f"corrected by hand, counted as corrected: {', '.join(view['corrected'])} ({show_commands(national_corrected(view))})", width)
    if view["not_covered"] and len(view["not_covered"]) <= 12:
        lines.append([(f"no full inspection in the store: {', '.join(view['not_covered'])}", "dim")])
    elif view["not_covered"]:
        lines.append([(f"{len(view['not_covered'])} authorities have no full inspection in the store (--format json lists them)", "dim")])
    return lines


# --------------------------------------------------------------------------- due


def due_table(view: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    header = ["authority", "name", "region", "last_full", "last_full_framework", "last_full_type", "last_full_date", "grade", "grade_basis",
              "next_kind", "monitoring", "window_opens", "window_closes", "paused", "visits_since", "monitoring_visits", "status",
              "months_since", "months_to_window", "months_into_window", "overdue_months", "share_of_window", "as_at",
              "open_since"]  # added last: the unsettled inspections since the last full one (ids, |-separated)
    rows = []
    for r in view["authorities"]:
        last, nxt = r["last_full"] or {}, r["next"] or {}
        rows.append([r["authority"], r["name"], r["region"], last.get("id", ""), last.get("framework", ""), last.get("type") or "",
                     last.get("start", ""), r["grade"] or "", r["grade_basis"] or "", nxt.get("kind", ""),
                     ("yes" if nxt.get("monitoring") else "no") if nxt else "", nxt.get("opens", ""), nxt.get("closes", ""),
                     "|".join(nxt.get("paused", [])), len(r["visits_since"]), r["monitoring_visits"], r["status"],
                     r.get("months_since", ""), r.get("months_to_window", ""), r.get("months_into_window", ""),
                     "" if r.get("overdue_months") is None else r["overdue_months"], r.get("share_of_window", ""), r["as_at"],
                     "|".join(o["id"] for o in r.get("open_since", []))])
    return header, rows


def open_name(unsettled: dict[str, Any]) -> str:
    """'2018 SIF or ILACS': an inspection whose framework the documents left open."""
    names = " or ".join(SHORT_FRAMEWORK.get(c, c) for c in unsettled.get("framework_candidates") or [unsettled["framework"]])
    return f"{str(unsettled['start'])[:4]} {names}"


def unsettled_notes(view: dict[str, Any]) -> list[str]:
    """Why a due row has no window: the inspection since its last full one that may have been
    a full one itself, named, and how to settle it."""
    out = []
    for r in view["authorities"]:
        for o in r.get("open_since", []):
            judged = f", judged {o['grade']}" if o.get("grade") else ""
            choices = " (or ".join(o.get("framework_candidates") or []) + ")" * (len(o.get("framework_candidates") or []) - 1)
            full = set(o.get("framework_candidates") or []) <= {"sif", "ilacs"}
            out.append(f"{r['authority']}: {o['id']} ({open_name(o)}{judged}) came after the last full inspection and "
                       f"{'was a full one itself, whichever it was' if full else 'may have been a full one itself'}; "
                       f"until its framework is settled there is no window: ofstl correct {r['authority']} {str(o['start'])[:4]} framework {choices}")
    return out


def due_status(r: dict[str, Any], unit: str = "mo") -> tuple[str, str]:
    """The status cell of a due row and its style: ``overdue 14 mo``."""
    if r["status"] == "overdue":
        return f"overdue {r['overdue_months']:.0f} {unit}", "bold red"
    if r["status"] == "in window":
        return f"in window {r['months_into_window']:.0f} {unit}", "yellow"
    if r["status"] == "not yet due":
        return f"opens in {r['months_to_window']:.0f} {unit}", "green"
    if r.get("open_since") and not r["next"]:  # a later inspection may have been a full one: no window, never overdue
        return f"not settled: {open_name(r['open_since'][-1])}", "dim"
    if r["status"].startswith("abolished ") and unit == "mo":  # the table's cell; the note under it names the successors
        return r["status"].split(":")[0], "dim"
    return {"no full inspection in the store": "no full inspection", "grade unknown: no window": GRADE_NOT_STATED}.get(r["status"], r["status"]), "dim"


def due_lines(view: dict[str, Any], single: bool = False, width: int = 100) -> list[Line]:
    lines: list[Line] = [[(f"The inspection cycle as at {view['as_at']} · next full inspection expected under the ILACS rules", "bold")], []]
    header = ["authority", "last full", "grade", "next", "expected window", "visits", "status"]
    cells, styles = [], []
    for r in view["authorities"]:
        last, nxt = r["last_full"], r["next"]
        status, style = due_status(r)
        last_text = f"{SHORT_FRAMEWORK.get(last['framework'], last['framework'])} {str(last['start'])[:7]}" if last else "—"
        kind = ""
        if nxt:
            kind = "MV, standard" if nxt["monitoring"] else nxt["kind"]
        grade_text = SHORT.get(r["grade"] or "", r["grade"] or "—") + ("*" if (r["grade_basis"] or "").startswith("lowest") else "")
        grade_text += CORRECTION_MARK if r.get("corrected") else ""
        cells.append([fit(r["authority"], 18), last_text, grade_text, kind, f"{str(nxt['opens'])[:7]}–{str(nxt['closes'])[:7]}" if nxt else "",
                      str(len(r["visits_since"])), status])
        styles.append(["bold", "", GRADE_STYLE.get(r["grade"] or "", ""), "", "", "", style])
    lines += columns_lines(header, cells, styles, width=width, shrink=[0, 3, 6])  # long names, then next and status give way
    if single and view["authorities"]:
        r = view["authorities"][0]
        for v in r["visits_since"]:
            lines.append([(f"  since: {v['start']}  {v['framework']}  {v['id']}", "dim")])
        if r["status"].startswith("abolished "):
            lines += _note(r["status"], width)
        if r["next"]:
            lines += _note(f"rule: {r['next']['rule']}", width)
            if r["next"]["paused"]:
                lines.append([(f"window moved later by the pause {', '.join(r['next']['paused'])}", "dim")])
    for note in unsettled_notes(view):
        lines += _note(note, width)
    if any((r["grade_basis"] or "").startswith("lowest") for r in view["authorities"]):
        lines.append([("* grade from the lowest judgement: the inspection made no overall judgement", "dim")])
    if any(r.get("corrected") for r in view["authorities"]):
        lines += _note(correction_legend(due_corrected(view), DUE_CORRECTED), width)
    lines += _note("O outstanding · G good · RI requires improvement · I inadequate · MV: monitoring visits · mo: months · "
                   "share of the window gone: --format json · windows count from the first day of fieldwork; a window the 2020-21 pause fell into is moved later by its length", width)
    if view["not_covered"]:
        lines.append([(f"{len(view['not_covered'])} authorities have no full inspection in the store (--format json lists them)", "dim")])
    return lines


# --------------------------------------------------------------------------- the registry


def _register(view: str, lines: Any, table: Any) -> None:
    """An across view's terminal layout, JSON, and its one table as CSV; its Markdown, a page
    for people, is ``ofstl.render.across_markdown``'s."""
    renders(view, "table", "aligned columns for people", default=True)(lambda v, o: lines(v, width=o.width))
    renders(view, "json", "the view data")(lambda v, o: to_json(v))
    renders(view, "csv", "the table's rows")(lambda v, o: to_csv(*table(v)))


_register("compare", compare_lines, compare_table)
_register("national", national_lines, national_table)
_register("due", due_lines, due_table)
_register("due-one", lambda v, width=100: due_lines(v, single=True, width=width), due_table)  # one authority: its visits and rule too
