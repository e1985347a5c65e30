"""Store data -> the answers the commands give (pure functions, no printing).

Each view returns plain data (dicts and lists) that the renderers turn into a table, JSON,
CSV or Markdown. Selecting inspections by year, date or id, theme recurrence and the diff
between two inspections all live here so they are tested without the CLI.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any, Iterable

from ofstl.errors import UsageError
from ofstl.parse.grades import GRADE_LEVEL
from ofstl.parse.labels import KEY_ORDER, key_sort

FULL_FRAMEWORKS = {"ilacs", "sif", "slac", "cpi", "lac", "lscb-review", "jar", "apa", "annual-rating"}
FRAMEWORK_NAMES = {
    "apa": "APA", "jar": "JAR", "annual-rating": "Annual rating", "cra": "Contact/referral",
    "slac": "SLAC", "cpi": "Child protection", "lac": "Looked after children", "sif": "SIF",
    "lscb-review": "LSCB review", "ilacs": "ILACS", "focused-visit": "Focused visit",
    "monitoring-visit": "Monitoring visit", "jtai": "JTAI", "send": "Area SEND", "other": "Other",
}


def when(record: dict[str, Any]) -> str:
    return record.get("start") or record.get("published") or "undated"


def is_graded(record: dict[str, Any]) -> bool:
    return bool(record.get("judgements"))


def headline(record: dict[str, Any]) -> str | None:
    """The grade that sums an inspection up: overall, else the first judgement in key order."""
    judgements = record.get("judgements") or {}
    for key in KEY_ORDER:
        if key in judgements:
            return judgements[key]["grade"]
    return next(iter(judgements.values()))["grade"] if judgements else None


@lru_cache(maxsize=4)
def _theme_cache(path: str) -> Any:
    import atexit

    from ofstl.theme_cache import ThemeCache

    cache = ThemeCache(path or None)
    atexit.register(cache.save)
    return cache


def item_themes(text: str) -> list[str]:
    """Themes of one item under the active taxonomy: the packaged one, or the file named by
    ``$OFSTL_THEMES`` (``--themes``). Tagging happens when a view is made, not at ingest,
    so a changed taxonomy applies to everything already stored."""
    return _theme_cache(os.environ.get("OFSTL_THEMES", "")).tags(text)


def theme_label(theme_id: str) -> str:
    return _theme_cache(os.environ.get("OFSTL_THEMES", "")).label(theme_id)


def save_theme_cache() -> None:
    _theme_cache(os.environ.get("OFSTL_THEMES", "")).save()


def themes_of(record: dict[str, Any]) -> dict[str, list[str]]:
    """theme id -> the verbatim weakness texts behind it."""
    out: dict[str, list[str]] = {}
    for item in record.get("weaknesses", []):
        for theme in item_themes(item["text"]):
            out.setdefault(theme, []).append(item["text"])
    return out


# --------------------------------------------------------------------------- list


def authority_rows(stored: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for data in stored:
        records = data["inspections"]
        graded = [r for r in records if is_graded(r) and r["role"] == "subject"] or [r for r in records if is_graded(r)]
        latest = graded[-1] if graded else None
        rows.append({
            "authority": data["authority"],
            "name": data["name"],
            "inspections": len(records),
            "first": when(records[0])[:4] if records else None,
            "last": when(records[-1])[:4] if records else None,
            "latest_graded": latest["id"] if latest else None,
            "latest_grade": headline(latest) if latest else None,
        })
    return rows


# --------------------------------------------------------------------------- timeline


def recurrence(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per theme: the inspections raising it, and whether it recurs, persists or was resolved."""
    with_items = [r for r in records if r.get("weaknesses")]
    by_theme: dict[str, list[int]] = {}
    for index, record in enumerate(with_items):
        for theme in themes_of(record):
            by_theme.setdefault(theme, []).append(index)
    out = []
    for theme, indexes in by_theme.items():
        consecutive = any(b == a + 1 for a, b in zip(indexes, indexes[1:]))
        last = indexes[-1]
        later_full = [r for r in with_items[last + 1:] if r["framework"] in FULL_FRAMEWORKS]
        out.append({
            "theme": theme,
            "inspections": [with_items[i]["id"] for i in indexes],
            "years": [when(with_items[i])[:4] for i in indexes],
            "count": len(indexes),
            "recurring": len(indexes) >= 2,
            "persisting": consecutive,
            "resolved": bool(later_full),
        })
    out.sort(key=lambda t: (-t["count"], t["theme"]))
    return out


def timeline(data: dict[str, Any]) -> dict[str, Any]:
    records = data["inspections"]
    keys = sorted({k for r in records for k in r.get("judgements", {})}, key=key_sort)
    events = []
    previous: dict[str, str] = {}
    for record in records:
        changes = {}
        for key, j in record.get("judgements", {}).items():
            before = previous.get(key)
            if before and record["role"] == "subject":
                delta = GRADE_LEVEL.get(j["grade"], 0) - GRADE_LEVEL.get(before, 0)
                changes[key] = "up" if delta > 0 else "down" if delta < 0 else "same"
            previous[key] = j["grade"]
        events.append({
            "id": record["id"],
            "framework": record["framework"],
            "type": record.get("type"),
            "start": record.get("start"),
            "end": record.get("end"),
            "published": record.get("published"),
            "role": record["role"],
            "graded": is_graded(record),
            "judgements": {k: v["grade"] for k, v in record.get("judgements", {}).items()},
            "changes": changes,
            "theme": record.get("theme"),
            "outcome": record.get("outcome"),
            "weaknesses": len(record.get("weaknesses", [])),
            "sources": [s["kind"] for s in record.get("sources", [])],
            "disagreements": len(record.get("disagreements", [])),
            **{k: record[k] for k in ("inspected_as", "predecessor_of") if record.get(k)},
        })
        if record.get("corrections"):  # fields a person corrected (ofstl.corrections)
            events[-1]["corrections"] = [c["field"] for c in record["corrections"]]
    view = {"authority": data["authority"], "name": data["name"], "judgement_keys": keys, "inspections": events, "themes": recurrence(records)}
    for extra in ("successors", "predecessors", "abolished"):  # reorganisations (ofstl.history)
        if data.get(extra):
            view[extra] = data[extra]
    return view


# --------------------------------------------------------------------------- selection


def select(records: list[dict[str, Any]], spec: str, *, prefer_graded: bool = True) -> dict[str, Any]:
    """An inspection by id, date prefix ("2013-12") or year ("2013")."""
    exact = [r for r in records if r["id"] == spec]
    if exact:
        return exact[0]
    matches = [r for r in records if when(r).startswith(spec) or (r.get("end") or "").startswith(spec)]
    if not matches:
        choices = ", ".join(f"{when(r)[:7]} {r['framework']}" for r in records)
        raise UsageError(f"no inspection matches {spec!r}", f"choose one of: {choices}")
    ranked = sorted(matches, key=lambda r: (r["role"] != "subject", prefer_graded and not is_graded(r), r["framework"] not in FULL_FRAMEWORKS))
    return ranked[0]


def default_pair(records: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    graded = [r for r in records if is_graded(r) and r["role"] == "subject"]
    if len(graded) < 2:
        graded = [r for r in records if is_graded(r)]
    if len(graded) < 2:
        raise UsageError("fewer than two graded inspections to compare", "name two inspections: ofstl diff AUTHORITY FROM TO")
    return graded[-2], graded[-1]


# --------------------------------------------------------------------------- diff


def diff(data: dict[str, Any], before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Only what changed, each change under its path; themes matched by id, not position."""
    changes = []
    jb, ja = before.get("judgements", {}), after.get("judgements", {})
    for key in sorted(set(jb) | set(ja), key=key_sort):
        old = jb.get(key, {}).get("grade")
        new = ja.get(key, {}).get("grade")
        if old == new:
            continue
        if old and new:
            delta = GRADE_LEVEL.get(new, 0) - GRADE_LEVEL.get(old, 0)
            direction = "up" if delta > 0 else "down" if delta < 0 else "same"
        else:
            direction = "added" if new else "removed"
        changes.append({"path": f"judgements.{key}", "kind": "changed" if old and new else direction, "from": old, "to": new, "direction": direction})
    tb, ta = themes_of(before), themes_of(after)
    for theme in sorted(set(tb) | set(ta)):
        if theme in tb and theme in ta:
            kind = "persisting"
        elif theme in tb:
            kind = "resolved"
        else:
            kind = "new"
        changes.append({"path": f"themes.{theme}", "kind": kind, "from": tb.get(theme, []), "to": ta.get(theme, [])})
    unchanged = sorted((k for k in set(jb) & set(ja) if jb[k]["grade"] == ja[k]["grade"]), key=key_sort)
    return {
        "authority": data["authority"],
        "name": data["name"],
        "from": {"id": before["id"], "framework": before["framework"], "start": when(before)},
        "to": {"id": after["id"], "framework": after["framework"], "start": when(after)},
        "unchanged_judgements": {k: ja[k]["grade"] for k in unchanged},
        "changes": changes,
        "differences": sum(1 for c in changes if c["kind"] != "persisting"),
    }


# --------------------------------------------------------------------------- export


def export_record(data: dict[str, Any], record: dict[str, Any]) -> dict[str, Any]:
    """One inspection in the SPEC section 3 shape."""
    exported = {
        "id": record["id"],
        "authority": data["authority"],
        "authority_name": data["name"],
        "gss_code": data.get("gss_code"),
        "framework": record["framework"],
        "type": record.get("type"),
        "role": record["role"],
        "start": record.get("start"),
        "end": record.get("end"),
        "published": record.get("published"),
        "judgements": {k: v["grade"] for k, v in sorted(record.get("judgements", {}).items(), key=lambda kv: key_sort(kv[0]))},
        "weaknesses": [{"text": i["text"], "themes": item_themes(i["text"])} for i in record.get("weaknesses", [])],
        "strengths": [{"text": i["text"], "themes": item_themes(i["text"])} for i in record.get("strengths", [])],
        "sources": [{"path": s["path"], "sha256": s["sha256"], "kind": s["kind"], "role": s["role"]} for s in record.get("sources", [])],
    }
    if record.get("outcome"):
        exported["outcome"] = record["outcome"]  # area SEND: an outcome, not a grade
    if record.get("urn"):
        exported["urn"] = record["urn"]  # Ofsted's provider reference, from a fetch manifest
    for extra in ("inspected_as", "predecessor_of", "disagreements"):  # SPEC section 4, when known
        if record.get(extra):
            exported[extra] = record[extra]
    if record.get("corrections"):
        exported["corrections"] = record["corrections"]  # SPEC section 4: field, value, note, date
    return exported


def export(stored: Iterable[dict[str, Any]]) -> dict[str, Any]:
    inspections = []
    for data in sorted(stored, key=lambda d: d["authority"]):
        rows = [export_record(data, r) for r in data["inspections"]]
        rows.sort(key=lambda r: (r["start"] is None, r["start"] or ""))
        inspections.extend(rows)
    return {"ofstl_export": 1, "inspections": inspections}


CSV_KEYS = ["overall", "leadership", "help_and_protection", "children_in_care", "care_leavers", "adoption", "lscb", "capacity"]


def export_rows(exported: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    header = ["id", "authority", "framework", "type", "start", "end", "published", *CSV_KEYS, "weaknesses", "themes"]
    rows = []
    for r in exported["inspections"]:
        themes = sorted({t for w in r["weaknesses"] for t in w["themes"]})
        rows.append([r["id"], r["authority"], r["framework"], r["type"] or "", r["start"] or "", r["end"] or "", r["published"] or "",
                     *[r["judgements"].get(k, "") for k in CSV_KEYS], len(r["weaknesses"]), "|".join(themes)])
    return header, rows


# --------------------------------------------------------------------------- themes


def national_themes(stored: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Per theme: share of inspections raising it (each counted once per document, whatever
    its number of items), by framework, and share of authorities where it recurs."""
    per_framework_total: dict[str, int] = {}
    per_framework_theme: dict[tuple[str, str], int] = {}
    theme_total: dict[str, int] = {}
    recurring: dict[str, int] = {}
    authorities_with_two = 0
    inspections = 0
    for data in stored:
        records = [r for r in data["inspections"] if r.get("weaknesses")]
        if len(records) >= 2:
            authorities_with_two += 1
            for row in recurrence(records):
                if row["recurring"]:
                    recurring[row["theme"]] = recurring.get(row["theme"], 0) + 1
        for record in records:
            inspections += 1
            fw = record["framework"]
            per_framework_total[fw] = per_framework_total.get(fw, 0) + 1
            for theme in themes_of(record):
                theme_total[theme] = theme_total.get(theme, 0) + 1
                per_framework_theme[(theme, fw)] = per_framework_theme.get((theme, fw), 0) + 1
    rows = []
    for theme, count in theme_total.items():
        rows.append({
            "theme": theme,
            "inspections": count,
            "share": round(count / inspections, 3) if inspections else 0.0,
            "by_framework": {fw: round(per_framework_theme.get((theme, fw), 0) / n, 3) for fw, n in sorted(per_framework_total.items())},
            "recurring_authorities": recurring.get(theme, 0),
            "recurring_share": round(recurring.get(theme, 0) / authorities_with_two, 3) if authorities_with_two else 0.0,
        })
    rows.sort(key=lambda r: (-r["share"], r["theme"]))
    return {"inspections": inspections, "authorities_with_two_or_more": authorities_with_two, "frameworks": per_framework_total, "themes": rows}


# --------------------------------------------------------------------------- theme items (for reports)


def theme_items(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """theme id -> per inspection raising it (date order as stored): id, date, framework and
    the verbatim weakness texts behind the theme. Used by the HTML report."""
    out: dict[str, list[dict[str, Any]]] = {}
    for record in data["inspections"]:
        for theme, texts in themes_of(record).items():
            out.setdefault(theme, []).append({"id": record["id"], "date": when(record), "framework": record["framework"], "items": texts})
    return out
