"""Questions across authorities: one authority beside its comparators, and the national picture.

Pure functions over the loaded store (``Store(root).load_all()``): every grade counted comes
from a stored inspection record, so every figure can name the inspection behind it.

What is counted, honestly: only *full inspections*, the graded whole-service inspections (SIF
with its re-inspections, 2013-18, and ILACS standard and short inspections, 2018-). Both grade
on the same four points (outstanding, good, requires improvement, inadequate); SIF's
"children looked after and achieving permanence" is the ``children_in_care`` judgement. SLAC,
CPI and LAC inspections (2009-13) judged one service, not the whole, on a different scale
("adequate"), so they are left out; so are visits, which are not graded. ILACS inspections from
April 2026 make no overall judgement: they count for the other judgements and are reported as
"not judged" for the overall one. A judgement the inspection made but no stored document gives
(a later report mentioning only some grades) is "grade not stated" (`not_known`), never "not judged".
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from ofstl import authorities, comparators
from ofstl.latest import NOT_STATED, day, grade, in_order, judgement_status, latest_judgement
from ofstl.parse.grades import GRADE_LEVEL
from ofstl.parse.labels import KEY_ORDER, key_sort
from ofstl.shares import share

FULL = ("sif", "ilacs")
SCALE = ["outstanding", "good", "requires improvement", "inadequate"]
TRANSITIONS = ["improved", "stayed_good_or_outstanding", "stayed_below_good", "declined"]
JUDGEMENTS = ["overall", "leadership", "help_and_protection", "children_in_care", "care_leavers"]
COUNTED = ("full inspections only: SIF (2013-18, with re-inspections) and ILACS (2018-), on one four-point scale; "
           "SLAC, CPI and LAC inspections (one service each, graded 'adequate' not 'requires improvement') and "
           "ungraded visits are not counted; ILACS from April 2026 makes no overall judgement")
AS_AT_RULE = "an inspection counts from the first day of its fieldwork"


def months_between(earlier: str, later: str) -> float:
    a, b = dt.date.fromisoformat(earlier), dt.date.fromisoformat(later)
    return round((b - a).days / 30.4375, 1)


def full_inspections(records: Iterable[dict[str, Any]], as_at: str | None = None) -> list[dict[str, Any]]:
    """The authority's full inspections (SIF, ILACS) with a known start, oldest first (``in_order``), up to ``as_at``
    (a mention held apart, which could be either of two, is one of them: not counted again)."""
    out = [r for r in records if r.get("framework") in FULL and day(r.get("start")) and not r.get("could_be")]
    if as_at:
        out = [r for r in out if day(r["start"]) <= as_at]  # type: ignore[operator]
    return sorted(out, key=in_order)


def direction(before: str | None, after: str | None) -> str | None:
    if not before or not after or before not in GRADE_LEVEL or after not in GRADE_LEVEL:
        return None
    a, b = GRADE_LEVEL[before], GRADE_LEVEL[after]
    return "up" if b > a else "down" if b < a else "same"


def transition(before: str, after: str) -> str:
    """improved / declined on the four-point scale; an unchanged grade stays good or
    outstanding, or stays below good."""
    change = direction(before, after)
    if change == "up":
        return "improved"
    if change == "down":
        return "declined"
    return "stayed_good_or_outstanding" if GRADE_LEVEL[after] >= GRADE_LEVEL["good"] else "stayed_below_good"


def today() -> str:
    return dt.date.today().isoformat()


# --------------------------------------------------------------------------- compare


def comparator_slugs(slug: str, *, neighbours: bool = False, region: bool = False, with_: list[str] | None = None) -> list[tuple[str, str]]:
    """(slug, why) for each comparator, in a stable order; neighbours when nothing is asked."""
    out: list[tuple[str, str]] = []
    if not (neighbours or region or with_):
        neighbours = True
    if neighbours:
        out += [(s, f"neighbour {i}") for i, s in enumerate(comparators.neighbours(slug), 1)]
    if region:
        out += [(s, "region") for s in comparators.region_members(comparators.region(slug))]
    for s in with_ or []:
        out.append((s, "named"))
    seen = {slug}
    unique = []
    for s, why in out:
        if s not in seen:
            seen.add(s)
            unique.append((s, why))
    return unique


def standing(slug: str, data: dict[str, Any] | None, as_at: str) -> dict[str, Any]:
    """One authority's row: per judgement what the last full inspection gave (``ofstl.latest``:
    its grade, or none, with an earlier grade only as ``superseded``), its date, framework and
    direction since the grade before; the last full inspection and time since."""
    fulls = full_inspections(data["inspections"] if data else [], as_at)
    last = fulls[-1] if fulls else None
    judgements: dict[str, Any] = {}
    keys = {k for r in fulls for k in (r.get("judgements") or {})}
    # and what the last one judged that no stored document gives (Bedford's SIF, known from a mention): '?', as national counts it
    keys |= {k for k in KEY_ORDER if last and judgement_status(last, k) == NOT_STATED}
    for key in sorted(keys, key=key_sort):
        reading = latest_judgement(fulls, key)
        if reading is None:
            continue
        latest = reading["record"]
        judgements[key] = {
            "grade": reading["grade"], "date": reading["date"], "framework": reading["framework"],
            "inspection": reading["inspection"], "source": (latest["judgements"][key].get("source") if reading["grade"] else None),
            "change": direction(reading["previous"], reading["grade"]), "previous": reading["previous"],
            "status": reading["status"],
            "superseded": ({k: v for k, v in reading["superseded"].items() if k != "record"} if reading["superseded"] else None),
        }
        if reading["grade"] and latest["judgements"][key].get("method") == "correction":  # a person's reading (ofstl correct): marked † as in timeline
            judgements[key]["corrected"] = True
    return {
        "authority": slug,
        "name": authorities.get(slug).display_name,
        "region": comparators.region(slug),
        "in_store": data is not None,
        "last_full": ({"id": last["id"], "framework": last["framework"], "type": last.get("type"), "start": last.get("start")}
                      if last else None),
        "months_since": months_between(day(last["start"]), as_at) if last else None,  # type: ignore[arg-type]
        "full_inspections": len(fulls),
        "judgements": judgements,
    }


def compare(slug: str, stored: dict[str, dict[str, Any]], comparators_: list[tuple[str, str]], as_at: str | None = None) -> dict[str, Any]:
    """The authority and its comparators side by side (``stored``: slug -> loaded data)."""
    as_at = as_at or today()
    rows = [{**standing(slug, stored.get(slug), as_at), "role": "subject"}]
    rows += [{**standing(s, stored.get(s), as_at), "role": why} for s, why in comparators_]
    keys = sorted({k for r in rows for k in r["judgements"]} | {"overall"}, key=key_sort)
    missing = [r["authority"] for r in rows if not r["in_store"]]
    view = {
        "authority": slug, "name": authorities.get(slug).display_name, "region": comparators.region(slug), "as_at": as_at,
        "judgement_keys": [k for k in KEY_ORDER if k in keys] + [k for k in keys if k not in KEY_ORDER],
        "rows": rows, "not_in_store": missing, "counted": COUNTED,
    }
    shown = [p for p in (stored.get(slug) or {}).get("predecessors_shown", []) if p not in {r["authority"] for r in rows}]
    if shown:  # its timeline shows them; the table counts each council's own inspections
        one = len(shown) == 1
        view["predecessors"] = (f"the inspections of {', '.join(shown)} ({'a predecessor council' if one else 'predecessor councils'}) are "
                                f"{'that council' if one else 'each council'}'s own, not counted here: beside "
                                f"{'it' if one else 'them'}, ofstl compare {slug} --with {','.join(shown)}")
    auth = authorities.get(slug)
    if auth.abolished and auth.successors:  # "beside 0 comparators (none)" said nothing of why
        view["abolished"] = (f"{auth.display_name} was abolished on {auth.valid_to} (succeeded by {', '.join(auth.successors)}) and has "
                             f"no statistical neighbours of its own; beside a successor: ofstl compare {auth.successors[0]} --with {slug}")
    return view


# --------------------------------------------------------------------------- national


def _entities(stored: Iterable[dict[str, Any]], as_at: str) -> dict[str, list[dict[str, Any]]]:
    """authority existing on ``as_at`` -> its full inspections up to then (a continued
    council's inspections count for its continuation)."""
    out: dict[str, list[dict[str, Any]]] = {s: [] for s in comparators.authorities_on(as_at)}
    for data in stored:
        who = comparators.entity(data["authority"])
        if who in out:
            out[who].extend(full_inspections(data["inspections"], as_at))
    for who in out:
        out[who].sort(key=in_order)
    return out


def _distribution(latest: dict[str, dict[str, Any]], key: str) -> dict[str, Any]:
    counts = {g: 0 for g in SCALE}
    not_judged = not_known = 0
    for record in latest.values():
        reading = latest_judgement([record], key)  # the one reading of a latest grade (ofstl.latest)
        if reading and reading["grade"] in counts:
            counts[reading["grade"]] += 1
        elif reading and reading["status"] == NOT_STATED:
            not_known += 1  # judged, but no document in the store gives the grade (a mention, say)
        else:
            not_judged += 1
    graded = sum(counts.values())
    of_graded = (lambda n: share(n, graded))
    return {
        "judgement": key, "graded": graded, "not_judged": not_judged, "not_known": not_known,
        "grades": {g: {"count": n, "share": of_graded(n)} for g, n in counts.items()},
        "good_or_outstanding": {"count": counts["outstanding"] + counts["good"], "share": of_graded(counts["outstanding"] + counts["good"])},
    }


def _transitions(fulls: dict[str, list[dict[str, Any]]], key: str) -> dict[str, Any]:
    counts = {t: 0 for t in TRANSITIONS}
    by_pair: dict[str, dict[str, int]] = {}
    not_comparable = 0
    for records in fulls.values():
        for before, after in zip(records, records[1:]):
            a, b = grade(before, key), grade(after, key)
            # on the same first day (a year-only mention beside the report) which came first is unknown
            if a not in GRADE_LEVEL or b not in GRADE_LEVEL or day(before["start"]) == day(after["start"]):
                not_comparable += 1
                continue
            kind = transition(a, b)  # type: ignore[arg-type]
            counts[kind] += 1
            pair = by_pair.setdefault(f"{before['framework']}->{after['framework']}", {t: 0 for t in TRANSITIONS})
            pair[kind] += 1
    return {"judgement": key, "pairs": sum(counts.values()), **counts, "not_comparable": not_comparable,
            "by_frameworks": dict(sorted(by_pair.items()))}


def _summary(fulls: dict[str, list[dict[str, Any]]], keys: list[str]) -> dict[str, Any]:
    latest = {who: records[-1] for who, records in fulls.items() if records}
    return {
        "authorities": len(fulls),
        "covered": len(latest),
        "not_covered": sorted(who for who, records in fulls.items() if not records),
        "judgements": [_distribution(latest, k) for k in keys],
        "transitions": [_transitions(fulls, k) for k in keys],
    }


def national(stored: Iterable[dict[str, Any]], as_at: str | None = None, by_region: bool = False,
             judgement: str | None = None) -> dict[str, Any]:
    """Latest full-inspection grades of every authority existing on ``as_at`` (count and share
    per judgement), how many the store covers, and transitions between consecutive full
    inspections; with ``by_region`` the same per region."""
    as_at = as_at or today()
    fulls = _entities(stored, as_at)
    keys = [judgement] if judgement else JUDGEMENTS
    view: dict[str, Any] = {"as_at": as_at, "counted": COUNTED, "as_at_rule": AS_AT_RULE,
                            "latest_rule": "each authority's latest full inspection by the date; a judgement it did not make is 'not judged', "
                                           "one it made that no stored document gives is 'grade not stated'",
                            **_summary(fulls, keys)}
    view["sources"] = [{"authority": who, "inspection": records[-1]["id"], "framework": records[-1]["framework"],
                        "start": records[-1].get("start"),
                        "grades": {k: grade(records[-1], k) for k in keys if grade(records[-1], k)}}
                       for who, records in sorted(fulls.items()) if records]
    # latest grades a person corrected (ofstl correct): counted, and said, so a share is never
    # taken as the documents' alone
    corrected = [f"{who} {k}" for who, records in sorted(fulls.items()) if records for k in keys
                 if grade(records[-1], k) and (records[-1]["judgements"].get(k) or {}).get("method") == "correction"]
    # a framework settled by hand (an open 'SIF or ILACS') is why the inspection is counted at all
    corrected += [f"{who} framework" for who, records in sorted(fulls.items())
                  if records and any(c["field"] == "framework" for c in records[-1].get("corrections", []))]
    if corrected:
        view["corrected"] = corrected
    if by_region:
        groups: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for who, records in fulls.items():
            groups.setdefault(comparators.region(who), {})[who] = records
        view["regions"] = [{"region": name, **_summary(groups[name], keys)} for name in sorted(groups)]
    return view
