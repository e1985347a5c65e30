"""Where each authority stands in the inspection cycle, and how well the cycle rules predicted
the store's own history.

The rules (kind of the next full inspection after each grade, the window in which it is
expected, pauses such as the 2020-21 pandemic) are data: ``ofstl/data/inspection_cycle.yaml``
cites the framework text they come from, and a user can pass a file of their own. ``due``
applies them to each authority's last full inspection (SIF or ILACS, see ``ofstl.across``);
``backtest`` replays every pair of consecutive full inspections in the store and asks whether
the second fell inside the window predicted from the first, so the estimate's reliability is
measured rather than claimed.
"""

from __future__ import annotations

import calendar
import datetime as dt
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

import yaml

from ofstl import authorities, comparators
from ofstl.across import FULL, day, full_inspections, grade, months_between, today
from ofstl.errors import UsageError
from ofstl.latest import NOT_JUDGED, in_order, judgement_status
from ofstl.parse.calendar import UNDECIDED, spec_fields
from ofstl.parse.grades import GRADE_LEVEL
from ofstl.shares import share
from ofstl.vocabulary import known_date

VISITS = ("monitoring-visit", "focused-visit", "jtai")
UNSETTLED = "framework not settled: no window"  # an inspection since the last full one may have been a full one (open_since)
GRADE_KEYS = ("leadership", "help_and_protection", "children_in_care", "care_leavers")
# Ten years: the longest window (or pause) a rules file may give; the dates it makes stay real dates.
MAX_WINDOW_MONTHS = 120


def load_rules(path: str | None = None) -> dict[str, Any]:
    """The cycle rules: the packaged file, or ``path``; a bad file is a one-line usage error."""
    try:
        if path:
            text = Path(path).read_text(encoding="utf-8")
        else:
            text = (resources.files("ofstl") / "data" / "inspection_cycle.yaml").read_text(encoding="utf-8")
        rules = yaml.safe_load(text)
        for name, rule in rules["rules"].items():
            low, high = rule["window_months"]
            if not (0 <= int(low) <= int(high) <= MAX_WINDOW_MONTHS) or rule["next"] not in ("short", "standard"):
                raise ValueError(f"rule {name!r}: window_months must be [low, high], 0 to {MAX_WINDOW_MONTHS} months, "
                                 "and next short or standard")
        for pause in rules.get("pauses") or []:
            p_from, p_to = dt.date.fromisoformat(str(pause["from"])), dt.date.fromisoformat(str(pause["to"]))
            if not (p_from <= p_to and (p_to - p_from).days <= MAX_WINDOW_MONTHS * 31):
                raise ValueError(f"pause {p_from} to {p_to}: must end after it starts, within {MAX_WINDOW_MONTHS} months")
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the cycle rules ({exc.strerror or exc})") from None
    except (yaml.YAMLError, AttributeError, KeyError, TypeError, ValueError) as exc:
        raise UsageError(f"{path or 'inspection_cycle.yaml'}: not valid cycle rules ({exc})",
                         "see the packaged ofstl/data/inspection_cycle.yaml for the format") from None
    return rules


def add_months(date: str, months: int) -> str:
    d = dt.date.fromisoformat(date)
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1])).isoformat()


def basis(record: dict[str, Any], rules: dict[str, Any]) -> tuple[str | None, str | None]:
    """The grade the next inspection depends on, and which judgement gave it (None for no grade:
    the JSON's null, the CSV's empty cell; it said "no grade", a word ``grade_basis`` does not have)."""
    overall = grade(record, "overall")
    if overall in rules["rules"]:
        return overall, "overall"
    if judgement_status(record, "overall") != NOT_JUDGED:
        # The inspection made an overall judgement that no document in the store gives (a
        # later report's mention, say): its other grades do not stand in for it.
        return None, None
    graded = [g for g in (grade(record, k) for k in GRADE_KEYS) if g in rules["rules"] and g in GRADE_LEVEL]
    if graded and rules.get("without_overall") == "lowest":
        return min(graded, key=lambda g: GRADE_LEVEL[g]), "lowest judgement (no overall)"
    return None, None


def window(start: str, grade_: str, rules: dict[str, Any], *, pauses: bool = True) -> dict[str, Any]:
    """The expected window for the next full inspection after one that began on ``start``."""
    rule = rules["rules"][grade_]
    low, high = (int(x) for x in rule["window_months"])
    opens, closes = add_months(start, low), add_months(start, high)
    paused = []
    if pauses:
        for pause in rules.get("pauses") or []:
            p_from, p_to = str(pause["from"]), str(pause["to"])
            if p_from <= closes and p_to >= start:
                shift = (dt.date.fromisoformat(p_to) - dt.date.fromisoformat(p_from)).days + 1
                opens = (dt.date.fromisoformat(opens) + dt.timedelta(days=shift)).isoformat()
                closes = (dt.date.fromisoformat(closes) + dt.timedelta(days=shift)).isoformat()
                paused.append(f"{p_from} to {p_to}")
    return {"kind": rule["next"], "monitoring": bool(rule.get("monitoring")), "opens": opens, "closes": closes,
            "months": [low, high], "paused": paused, "rule": rule.get("says", "")}


def _records_by_entity(stored: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for data in stored:
        out.setdefault(comparators.entity(data["authority"]), []).extend(data["inspections"])
    return out


def position(as_at: str, win: dict[str, Any]) -> dict[str, Any]:
    if as_at < win["opens"]:
        return {"status": "not yet due", "months_to_window": months_between(as_at, win["opens"]), "overdue_months": None}
    if as_at <= win["closes"]:
        span = max(1.0, months_between(win["opens"], win["closes"]))
        into = months_between(win["opens"], as_at)
        return {"status": "in window", "months_into_window": into, "share_of_window": share(into, span), "overdue_months": None}
    return {"status": "overdue", "overdue_months": months_between(win["closes"], as_at)}


def standing(slug: str, records: list[dict[str, Any]], as_at: str, rules: dict[str, Any]) -> dict[str, Any]:
    fulls = full_inspections(records, as_at)
    row: dict[str, Any] = {"authority": slug, "name": authorities.get(slug).display_name, "region": comparators.region(slug),
                           "as_at": as_at, "last_full": None, "grade": None, "grade_basis": None, "next": None,
                           "visits_since": [], "monitoring_visits": 0, "status": "no full inspection in the store"}
    gone = not_in_being(slug, as_at)  # an abolished council is due no inspection; a new one none before it exists
    unsettled = open_since(records, fulls[-1] if fulls else None, as_at)
    if unsettled:  # named in every case: the inspection that moved the window to where no one can say yet
        row["open_since"] = unsettled
    if not fulls:
        row["status"] = gone or (UNSETTLED if unsettled else row["status"])
        return row
    last = fulls[-1]
    start = day(last["start"])
    row["last_full"] = {"id": last["id"], "framework": last["framework"], "type": last.get("type"), "start": last.get("start")}
    # (a mention held apart is one of the visits it could be, not another: ``records.build_records``)
    visits = [r for r in records if r.get("framework") in VISITS and not r.get("could_be") and day(r.get("start"))
              and start < day(r["start"]) <= as_at]  # type: ignore[operator]
    visits.sort(key=lambda r: day(r["start"]) or "")
    row["visits_since"] = [{"id": v["id"], "framework": v["framework"], "start": v.get("start")} for v in visits]
    row["monitoring_visits"] = sum(1 for v in visits if v["framework"] == "monitoring-visit")
    row["months_since"] = months_between(start, as_at)  # type: ignore[arg-type]
    grade_, why = basis(last, rules)
    row["grade"], row["grade_basis"] = grade_, why
    fixed = [c["field"] for c in last.get("corrections", []) if c["field"] in ("start", "framework") or c["field"].startswith("judgements.")]
    if fixed:  # the window stands on a person's reading of the grade, the date or the framework (ofstl correct)
        row["corrected"] = fixed
    if gone or grade_ is None or unsettled:
        row["status"] = gone or (UNSETTLED if unsettled else "grade unknown: no window")
        return row
    win = window(start, grade_, rules)  # type: ignore[arg-type]
    row["next"] = win
    row.update(position(as_at, win))
    return row


def open_since(records: list[dict[str, Any]], last: dict[str, Any] | None, as_at: str) -> list[dict[str, Any]]:
    """Inspections after ``last`` (the last settled full inspection) up to ``as_at`` that may
    themselves have been full ones: a 'SIF or ILACS' the documents left open. Whichever it was,
    the next window counts from it, not from ``last``; so there is no window until a person
    settles it (``ofstl correct``), and never 'overdue' from the inspection before it."""
    after = day(last["start"]) if last else ""
    out = []
    for r in sorted(records, key=in_order):
        candidates = UNDECIDED.get(r.get("framework") or "", ())
        begun = day(known_date(r))
        if set(candidates) & set(FULL) and begun and after < begun <= as_at:  # type: ignore[operator]
            out.append({"id": r["id"], **spec_fields(r["framework"]), "start": known_date(r), "grade": grade(r, "overall")})
    return out


def not_in_being(slug: str, as_at: str) -> str | None:
    """Why ``slug`` has no next inspection on ``as_at`` because it was not a council then
    ("abolished 2021-03-31: succeeded by north-northamptonshire, west-northamptonshire";
    "created 2021-04-01"), else None. ``due northamptonshire`` said "overdue 41 mo"."""
    if comparators.existed_on(slug, as_at):
        return None
    auth = authorities.get(slug)
    if auth.abolished and auth.valid_to and as_at > str(auth.valid_to):
        return f"abolished {auth.valid_to}: succeeded by {', '.join(auth.successors)}"
    start = comparators.created_on(slug)
    return f"created {start}, after the date" if start and as_at < start else None


def _overdue_key(row: dict[str, Any]) -> tuple[int, float, str]:
    """Most overdue first, then furthest into the window, then soonest due, then no window."""
    if not row["next"]:
        return (3, 0.0, row["authority"])
    if row["status"] == "overdue":
        return (0, -row["overdue_months"], row["authority"])
    if row["status"] == "in window":
        return (1, -row["months_into_window"], row["authority"])
    return (2, row["months_to_window"], row["authority"])


def due(stored: Iterable[dict[str, Any]], as_at: str | None = None, rules: dict[str, Any] | None = None,
        only: str | None = None) -> dict[str, Any]:
    """Every authority (or ``only``) with its last full inspection, the next one's kind and
    window, visits since and how far into or past the window it is, most overdue first."""
    rules = rules or load_rules()
    as_at = as_at or today()
    by_entity = _records_by_entity(stored)
    if only:
        slugs = [comparators.entity(only)]
    else:
        slugs = [s for s in comparators.authorities_on(as_at) if s in by_entity]
    rows = [standing(s, by_entity.get(s, []), as_at, rules) for s in slugs]
    rows.sort(key=_overdue_key)
    missing = [] if only else [s for s in comparators.authorities_on(as_at) if not full_inspections(by_entity.get(s, []), as_at)]
    return {"as_at": as_at, "authorities": rows, "not_covered": missing, "rules": _rules_note(rules)}


def _rules_note(rules: dict[str, Any]) -> dict[str, Any]:
    return {
        "windows": {g: {"next": r["next"], "months": r["window_months"], "monitoring": bool(r.get("monitoring"))} for g, r in rules["rules"].items()},
        "anchor": rules.get("anchor", "start"),
        "without_overall": rules.get("without_overall"),
        "pauses": [{"from": str(p["from"]), "to": str(p["to"]), "note": p.get("note", "")} for p in rules.get("pauses") or []],
    }


# --------------------------------------------------------------------------- backtest


def backtest(stored: Iterable[dict[str, Any]], rules: dict[str, Any] | None = None, as_at: str | None = None) -> dict[str, Any]:
    """For every pair of consecutive full inspections: was the second inside the window the
    rules predict from the first? Hit rates overall, by grade, by period (the year of the
    first inspection) and by whether the window crossed a pause (the pandemic)."""
    rules = rules or load_rules()
    pairs = []
    skipped = same_day = 0
    for slug, records in sorted(_records_by_entity(stored).items()):
        fulls = full_inspections(records, as_at)
        for before, after in zip(fulls, fulls[1:]):
            if day(before["start"]) == day(after["start"]):  # which came first is unknown (a year-only mention beside the report)
                same_day += 1
                continue
            grade_, _ = basis(before, rules)
            if grade_ is None:
                skipped += 1
                continue
            start, second = day(before["start"]), day(after["start"])
            win = window(start, grade_, rules)  # type: ignore[arg-type]
            raw = window(start, grade_, rules, pauses=False)  # type: ignore[arg-type]
            between = [r for r in records if r.get("framework") == "monitoring-visit" and not r.get("could_be") and day(r.get("start"))
                       and start < day(r["start"]) < second]  # type: ignore[operator]
            hit = win["opens"] <= second <= win["closes"]  # type: ignore[operator]
            pairs.append({
                "authority": slug, "from": before["id"], "to": after["id"], "grade": grade_,
                "from_start": before.get("start"), "to_start": after.get("start"),
                "months": months_between(start, second),  # type: ignore[arg-type]
                "opens": win["opens"], "closes": win["closes"], "crossed_pause": bool(win["paused"]),
                "result": "hit" if hit else ("early" if second < win["opens"] else "late"),  # type: ignore[operator]
                "hit_without_pause_rule": raw["opens"] <= second <= raw["closes"],  # type: ignore[operator]
                "predicted_kind": win["kind"], "actual_type": after.get("type"),
                "monitoring_visits_between": len(between),
                "period": (before.get("start") or "")[:4],
            })

    def rate(group: list[dict[str, Any]]) -> dict[str, Any]:
        hits = sum(1 for p in group if p["result"] == "hit")
        return {"pairs": len(group), "hits": hits, "early": sum(1 for p in group if p["result"] == "early"),
                "late": sum(1 for p in group if p["result"] == "late"), "hit_rate": share(hits, len(group))}

    def grouped(field: str) -> list[dict[str, Any]]:
        keys = sorted({p[field] for p in pairs}, key=lambda k: (GRADE_LEVEL.get(k, 0) * -1, k) if field == "grade" else (str(k),))
        return [{field: k, **rate([p for p in pairs if p[field] == k])} for k in keys]

    no_pause = [p for p in pairs if p["hit_without_pause_rule"]]
    return {
        "overall": rate(pairs),
        "by_grade": grouped("grade"),
        "by_period": grouped("period"),
        "by_pause": [{"crossed_pause": c, **rate([p for p in pairs if p["crossed_pause"] == c])} for c in (False, True)],
        "hits_without_pause_rule": len(no_pause),
        "skipped_no_grade": skipped,
        "skipped_same_day": same_day,
        "pairs": pairs,
        "rules": _rules_note(rules),
        "pause_rule": "a window that a pause falls into is moved later by the pause's length",
    }
