"""Markdown of the views across authorities, for a report or a briefing paper.

The CSV is for programs: one cell per value, ids and codes. Printed as a Markdown table it
made ``compare`` a 36-column grid of ``ilacs``, ``2023-10-02`` and ``same`` that nobody would
paste into a paper. These pages say what the terminal says, in full words and without its
width limit: a title, the tables with their judgement and grade names, the notes that say
what was counted. Pure functions of view data, like ``ofstl.render.across``.
"""

from __future__ import annotations

from typing import Any

from ofstl.parse.labels import display_name
from ofstl.render import md_text, to_markdown
from ofstl.render.across import (
    DUE_CORRECTED, SHORT_FRAMEWORK, compare_corrected, due_corrected, due_status, national_corrected, percent,
    unsettled_notes,
)
from ofstl.render.backtest import backtest_title, rates_table
from ofstl.render.registry import renders
from ofstl.vocabulary import ARROW, CORRECTION_MARK, GRADE_NOT_STATED, correction_legend, framework_name, same_day_note, show_commands, year_shown

GRADES = ("outstanding", "good", "requires improvement", "inadequate")


def _page(title: str, blocks: list[str], notes: list[str]) -> str:
    parts = [f"**{md_text(title)}**", *blocks]
    if notes:
        parts.append("\n".join(f"{md_text(n)}  " for n in notes).rstrip())
    return "\n\n".join(p.rstrip("\n") for p in parts) + "\n"


def _grade(grade: str | None) -> str:
    return (grade or "").capitalize()


def _inspection(record: dict[str, Any] | None) -> str:
    if not record:
        return ""
    return f"{SHORT_FRAMEWORK.get(record['framework'], record['framework'])}, {str(record['start'])[:7]}"


def _role(role: str) -> str:
    return "statistical " + role if role.startswith("neighbour") else role


# --------------------------------------------------------------------------- compare


def compare_markdown(view: dict[str, Any]) -> str:
    keys = view["judgement_keys"]
    count = len(view["rows"]) - 1
    words = {"neighbour": "statistical neighbours", "region": "its region", "named": "named"}  # as the terminal's title says
    basis = sorted({words.get(r["role"].split(" ")[0], r["role"]) for r in view["rows"][1:]})
    title = (f"{view['name']} ({view['region']}) beside {count} comparator{'' if count == 1 else 's'} ({', '.join(basis) or 'none'})"
             f" · as at {view['as_at']}")
    header = ["Authority", "Why", "Last full inspection", "Months since", *(display_name(k) for k in keys)]
    rows = []
    for r in view["rows"]:
        last = r["last_full"]
        since = "" if r["months_since"] is None else f"{r['months_since']:.0f}"
        where = _inspection(last) if last else ("not in the store" if not r["in_store"] else "no full inspection")
        row = [f"**{r['name']}**" if r["role"] == "subject" else r["name"], _role(r["role"]), where, since]
        for k in keys:
            j = r["judgements"].get(k)
            if not j:
                row.append("")
                continue
            if not j["grade"]:  # the last full inspection gave none: an earlier grade only as superseded
                older = j.get("superseded")
                row.append(j["status"].capitalize() + (f" ({_grade(older['grade'])} {str(older['date'])[:4]}, superseded)" if older else ""))
                continue
            row.append(_grade(j["grade"]) + (f" {ARROW[j['change']]}" if j["change"] in ARROW else "") + (CORRECTION_MARK if j.get("corrected") else ""))
        rows.append(row)
    notes = ["↑ ↓ = against the grade before for that judgement; not judged: the last full inspection made no such judgement "
             "(grade not stated: it made one no stored document gives), and a grade in brackets is an earlier full inspection's, superseded",
             "Counted: " + view["counted"]]
    if compare_corrected(view):
        notes.insert(1, correction_legend(compare_corrected(view)))
    notes += [view[note] for note in ("predecessors", "abolished") if view.get(note)]
    if view["not_in_store"]:
        names = {r["authority"]: r["name"] for r in view["rows"]}  # the table's words, not slugs
        notes.append(f"Not in the store: {', '.join(names.get(a, a) for a in view['not_in_store'])}")
    return _page(title, [to_markdown(header, rows)], notes)


# --------------------------------------------------------------------------- national


def national_markdown(view: dict[str, Any]) -> str:
    by_region = view.get("regions")
    groups = [("England", view)] + [(g["region"], g) for g in by_region or []]
    first = ["Region"] if by_region else []
    title = f"England as at {view['as_at']} · {view['covered']} of {view['authorities']} authorities have a full inspection in the store"

    def cell(v: dict[str, Any]) -> str:
        return str(v["count"]) if v["share"] is None else f"{v['count']} ({percent(v['share'])})"

    grades = []
    for name, group in groups:
        for d in group["judgements"]:
            where = [name, f"{group['covered']} of {group['authorities']}"] if by_region else []
            grades.append(where + [display_name(d["judgement"]), d["graded"], *(cell(d["grades"][g]) for g in GRADES),
                                   cell(d["good_or_outstanding"]), d["not_judged"], d.get("not_known", 0)])
    transitions = []
    for name, group in groups:
        for t in group["transitions"]:
            head = ([name] if by_region else []) + [display_name(t["judgement"])]
            transitions.append(head + ["all", t["pairs"], t["improved"], t["stayed_good_or_outstanding"], t["stayed_below_good"],
                                       t["declined"], t["not_comparable"]])
            for pair, c in t["by_frameworks"].items():
                a, _, b = pair.partition("->")
                transitions.append(head + [f"{SHORT_FRAMEWORK.get(a, a)} → {SHORT_FRAMEWORK.get(b, b)}", sum(c.values()), c["improved"],
                                           c["stayed_good_or_outstanding"], c["stayed_below_good"], c["declined"], ""])
    blocks = [
        "Latest grades: each authority's latest full inspection, with the share of those graded",
        to_markdown(first + (["Covered"] if by_region else []) + ["Judgement", "Graded", *(g.capitalize() for g in GRADES), "Good or better",
                                                                 "Not judged", GRADE_NOT_STATED.capitalize()], grades),
        "Transitions between consecutive full inspections of the same authority",
        to_markdown(first + ["Judgement", "Frameworks", "Pairs", "Improved", "Stayed good or outstanding", "Stayed below good",
                             "Declined", "Not comparable"], transitions),
    ]
    notes = (["Covered: the region's authorities with a full inspection in the store, of all its authorities"] if by_region else [])
    notes += ["Not comparable: a grade missing on either side, or both begun on the same first day as far as known (which came first is unknown). " + GRADE_NOT_STATED.capitalize()
             + ": judged, but no document in the store gives the grade.",
             "Counted: " + view["counted"], f"As at: {view['as_at_rule']}; {view['latest_rule']}"]
    if view.get("corrected"):
        notes.append(f"Corrected by hand, counted as corrected: {', '.join(view['corrected'])} ({show_commands(national_corrected(view))})")
    if view["not_covered"]:
        notes.append(f"No full inspection in the store: {len(view['not_covered'])} authorities"
                     + (f" ({', '.join(view['not_covered'])})" if len(view["not_covered"]) <= 12 else ""))
    return _page(title, blocks, notes)


# --------------------------------------------------------------------------- due


def _next(nxt: dict[str, Any] | None) -> str:
    if not nxt:
        return ""
    return "monitoring visits, then a standard inspection" if nxt["monitoring"] else f"{nxt['kind']} inspection"


def due_markdown(view: dict[str, Any], single: bool = False) -> str:
    title = f"The inspection cycle as at {view['as_at']} · next full inspection expected under the ILACS rules"
    header = ["Authority", "Region", "Last full inspection", "Grade", "Next", "Expected window", "Visits since", "Status"]
    rows = []
    for r in view["authorities"]:
        nxt = r["next"]
        grade = (_grade(r["grade"]) or GRADE_NOT_STATED.capitalize()) if r["last_full"] else ""
        if (r["grade_basis"] or "").startswith("lowest"):
            grade += " (lowest judgement)"
        grade += CORRECTION_MARK if r.get("corrected") else ""
        status = due_status(r, unit="months")[0]
        rows.append([r["name"], r["region"], _inspection(r["last_full"]), grade, _next(nxt),
                     f"{nxt['opens']} to {nxt['closes']}" if nxt else "", len(r["visits_since"]), status])
    notes = ["Windows count from the first day of fieldwork; a window the 2020-21 pause fell into is moved later by its length."]
    notes += unsettled_notes(view)
    if any((r["grade_basis"] or "").startswith("lowest") for r in view["authorities"]):
        notes.append("Lowest judgement: the inspection made no overall judgement, so the lowest of its judgements sets the window.")
    if any(r.get("corrected") for r in view["authorities"]):
        notes.append(correction_legend(due_corrected(view), DUE_CORRECTED))
    if single and view["authorities"] and view["authorities"][0]["next"]:
        one = view["authorities"][0]
        notes.append(f"Rule: {one['next']['rule']}")
        if one["next"]["paused"]:
            notes.append(f"Window moved later by the pause {', '.join(one['next']['paused'])}")
        notes += [f"Visit since: {framework_name(v['framework'])}, {v['start']} ({v['id']})" for v in one["visits_since"]]
    if view["not_covered"]:
        notes.append(f"No full inspection in the store: {len(view['not_covered'])} authorities")
    return _page(title, [to_markdown(header, rows)], notes)


# --------------------------------------------------------------------------- backtest

RESULT = {"hit": "in the window", "early": "before the window", "late": "after the window"}


def backtest_markdown(view: dict[str, Any]) -> str:
    """The hit rates first (what a paper quotes), then every pair in words."""
    o = view["overall"]
    title = backtest_title(view)
    words = {"all": "All pairs", "grade": "First inspection graded", "period": "First inspection in", "window": "Window"}
    rates = [[words.get(g, g), _grade(v) if g == "grade" else v, n, h, e, late, percent(rate) if rate != "" else ""]
             for g, v, n, h, e, late, rate in rates_table(view)[1]]
    pairs = []
    for p in view["pairs"]:
        pairs.append([p["authority"], str(p["from_start"]), _grade(p["grade"]), f"{p['predicted_kind']} inspection",
                      f"{p['opens']} to {p['closes']}", f"{p['to_start']}" + (f" ({p['actual_type']})" if p["actual_type"] else ""),
                      f"{p['months']:.0f}", RESULT.get(p["result"], p["result"]), "yes" if p["crossed_pause"] else "no"])
    if not o["pairs"]:
        return _page(title, [], [f"{view['skipped_no_grade']} pairs skipped: the first inspection's grade is not known"] if view["skipped_no_grade"] else [])
    blocks = [
        "Hit rates",
        to_markdown(["Group", "", "Pairs", "Hits", "Early", "Late", "Hit rate"], rates),
        "Pairs of consecutive full inspections",
        to_markdown(["Authority", "First inspection", "Grade", "Next expected", "Expected window", "Next inspection", "Months between",
                     "Result", "Window crossed the pause"], pairs),
    ]
    notes = [f"Without moving windows for the 2020-21 pause: {view['hits_without_pause_rule']} hits of {o['pairs']}",
             f"Pause rule: {view['pause_rule']}; period: the year of the first inspection"]
    if view["skipped_no_grade"]:
        n = view["skipped_no_grade"]
        notes.append(f"{n} pair{'' if n == 1 else 's'} skipped: the first inspection's grade is not known")
    if view.get("skipped_same_day"):
        notes.append(same_day_note(view["skipped_same_day"]))
    return _page(title, blocks, notes)


# --------------------------------------------------------------------------- one theme (themes --theme)


def theme_markdown(view: dict[str, Any], items: bool = False) -> str:
    """One theme across authorities: who raises it, with its recurrence word and the
    inspections; with ``--items`` the reports' words under each authority, quoted as text."""
    from ofstl.render.theme_across import LEGEND, raised_by, recurrence_cell, summary, timeline_word

    rows = [[r["name"], recurrence_cell(r), raised_by(r) + timeline_word(r, names=True)] for r in view["authorities"]]
    blocks = [md_text(summary(view)[:1].upper() + summary(view)[1:]),
              to_markdown(["Authority", "Recurrence", "Raised by (year, framework)"], rows) if rows else "No authority in the store raises it."]
    if items:
        for r in view["authorities"]:
            said = [f"- {year_shown(i['date'])} {i['short']}: {md_text(' '.join(text.split()))}"
                    for i in r["inspections"] for text in i["items"]]
            blocks += [f"**{md_text(r['name'])}**", "\n".join(said)] if said else []
    notes = [LEGEND]
    return _page(f"{view['label']} ({view['theme']})", blocks, notes)


renders("theme", "markdown", "a page for a report: each authority raising the theme (--items: the reports' words)")(
    lambda v, o: theme_markdown(v, items=o.items))

for _view, _page_of in (("compare", compare_markdown), ("national", national_markdown), ("due", due_markdown),
                        ("due-one", lambda v: due_markdown(v, single=True)), ("backtest", backtest_markdown)):
    renders(_view, "markdown", "a page for a report: full names, the tables and their notes")(
        lambda v, o, page=_page_of: page(v))
