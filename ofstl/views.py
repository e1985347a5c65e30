"""Store data -> the answers the commands give (pure functions, no printing).

Each view returns plain data (dicts and lists) that the renderers only lay out as a table,
JSON, CSV, Markdown or a picture: dates, names, headline grades, change arrows, theme
labels and recurrence words are all worked out here, in the words of ``ofstl.vocabulary``,
so every format says the same thing. Selecting inspections by year, date or id, theme
recurrence and the diff (``ofstl.diff_view``) live here so they are tested without the CLI.
The theme taxonomy is a ``Tagger`` passed in (default: the packaged one).
"""

from __future__ import annotations

from typing import Any, Iterable

from ofstl.latest import NOT_STATED, judgement_status, latest_judgement, record_counts
from ofstl.diff_view import diff, diff_pair
from ofstl.errors import UsageError
from ofstl.parse.calendar import spec_fields
from ofstl.parse.labels import key_sort
from ofstl.schema import is_calendar_date
from ofstl.shares import share
from ofstl.theme_tagger import Tagger, tagger_for
from ofstl.vocabulary import (
    FULL_FRAMEWORKS, GRADE_NOT_STATED, NO_OVERALL, NONE_OF_ITS_OWN, NOT_GRADED, UNDATED, compare, date_or_undated, framework_name, framework_short, known_date, year_of,
    recurrence_word,
)

__all__ = ["authority_rows", "diff", "diff_pair", "export", "national_themes", "recurrence", "select", "show", "theme_items", "timeline"]

when = date_or_undated  # the name older callers use


def _council_name(slug: str) -> str:
    from ofstl import authorities

    known = authorities.by_slug().get(slug)
    return known.display_name if known else slug


def is_graded(record: dict[str, Any]) -> bool:
    return bool(record.get("judgements"))


def headline(record: dict[str, Any]) -> str | None:
    """The grade that sums an inspection up: its overall judgement, and nothing in its place.
    (An SLAC, or an ILACS from April 2026, is graded but has no overall grade.)"""
    overall = (record.get("judgements") or {}).get("overall")
    return overall["grade"] if overall else None


def headline_text(record: dict[str, Any]) -> str:
    """'outstanding', 'no overall grade', 'not graded', or 'grade not stated' (a mention that does not give it)."""
    grade = headline(record)
    if grade:
        return grade
    if record.get("role") == "mentioned":
        # A later document's words may leave out the overall grade of an inspection that had
        # one (Devon's 2015 SIF, "care leavers were judged inadequate"): not stated, not none.
        from ofstl.parse.calendar import allowed_judgement

        if allowed_judgement(record.get("framework") or "", "overall", record.get("start") or record.get("published") or record.get("reported")):
            return GRADE_NOT_STATED
        if not is_graded(record) and record.get("framework") in FULL_FRAMEWORKS:
            return GRADE_NOT_STATED
    return NO_OVERALL if is_graded(record) else NOT_GRADED


def item_themes(text: str, tagger: Tagger | None = None) -> list[str]:
    """Themes of one item under the given taxonomy (default: the packaged one)."""
    return (tagger or tagger_for(None)).tags(text)


def save_theme_cache(tagger: Tagger | None = None) -> None:
    (tagger or tagger_for(None)).save()


def themes_of(record: dict[str, Any], tagger: Tagger | None = None) -> dict[str, list[str]]:
    """theme id -> the verbatim weakness texts behind it."""
    out: dict[str, list[str]] = {}
    for item in record.get("weaknesses", []):
        for theme in item_themes(item["text"], tagger):
            out.setdefault(theme, []).append(item["text"])
    return out


def in_date_order(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Date order, undated last; stable, so the store's order breaks ties."""
    return sorted(records, key=lambda r: (date_or_undated(r) == UNDATED, date_or_undated(r)))


def latest(records: list[dict[str, Any]]) -> dict[str, Any]:
    """The latest inspection an authority was the subject of (mentioned ones if none)."""
    subjects = [r for r in records if r["role"] == "subject"] or records
    dated = [r for r in subjects if when(r) != UNDATED] or subjects
    return max(dated, key=when)


# --------------------------------------------------------------------------- list


def authority_rows(stored: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for data in stored:
        records = in_date_order(data["inspections"])
        # latest known, mentions too, never an undated one; its overall grade read as every view reads one (ofstl.latest)
        graded = [r for r in records if is_graded(r) or judgement_status(r, "overall") == NOT_STATED]
        reading = latest_judgement([r for r in graded if known_date(r)] or graded[-1:], "overall")
        last_graded = reading["record"] if reading else None
        dated = [year for year in map(year_of, records) if year]
        headline_ = NOT_GRADED if not reading else reading["grade"] or (GRADE_NOT_STATED if reading["status"] == NOT_STATED else NO_OVERALL)
        if not records and data.get("predecessors_shown"):
            # a successor whose file holds only what its papers say of the council it replaced:
            # those inspections are that council's row; its timeline shows them
            headline_ = NONE_OF_ITS_OWN
        rows.append({
            "authority": data["authority"],
            "name": data["name"],
            "inspections": len(records),  # every inspection and visit, mentions too (the timeline's count)
            **record_counts(records),
            "first": dated[0] if dated else None,
            "last": dated[-1] if dated else None,
            "latest_graded": last_graded["id"] if last_graded else None,
            "latest_grade": reading["grade"] if reading else None,
            "latest_year": year_of(last_graded) if last_graded else None,
            "latest_headline": headline_,
        })
        if data.get("predecessors_shown"):
            rows[-1]["predecessors"] = data["predecessors_shown"]
    return rows


# --------------------------------------------------------------------------- timeline


def recurrence(records: list[dict[str, Any]], tagger: Tagger | None = None) -> list[dict[str, Any]]:
    """Per theme: the inspections raising it, and whether it recurs (two or more raise it),
    persists (consecutive full inspections raise it) or is resolved (the latest full
    inspection no longer raises it after an earlier one did; a visit never resolves).

    "Consecutive" and "latest" count every full inspection the store knows of, read or only
    mentioned: a full inspection whose own report was not read (or read without items) sits
    between two that raise a theme, so they are not consecutive; and when it is the latest,
    whether it still raises a theme is unknown, so nothing is resolved by it; an undated one
    counts, but its place is unknown: it neither resolves nor makes a pair. Predecessor councils'
    inspections run in lines of their own: each one's last full is followed by the council's first."""
    ordered = [r for r in in_date_order(records) if not r.get("could_be")]  # held apart: one of the others, not another
    with_items = [r for r in ordered if r.get("weaknesses")]
    raised = [themes_of(r, tagger) for r in with_items]
    position = {id(r): i for i, r in enumerate(with_items)}
    full = [r for r in ordered if r["framework"] in FULL_FRAMEWORKS and date_or_undated(r) != UNDATED]
    pairs = _consecutive_full(full)
    last = full[-1] if full else None
    # the latest full inspection resolves only when its own report was read
    latest_full = position.get(id(last)) if last is not None and last["role"] == "subject" else None
    by_theme: dict[str, list[int]] = {}
    for index, themes in enumerate(raised):
        for theme in themes:
            by_theme.setdefault(theme, []).append(index)

    def raises(record: dict[str, Any], theme: str) -> bool:
        return id(record) in position and theme in raised[position[id(record)]]

    label = (tagger or tagger_for(None)).label
    out = []
    for theme, indexes in by_theme.items():
        persisting = any(raises(a, theme) and raises(b, theme) for a, b in pairs)
        # a predecessor's inspection speaks only for its own council; the council's own for all
        resolved = (latest_full is not None and indexes[-1] < latest_full and last is not None
                    and (not last.get("predecessor_of") or all(with_items[i].get("predecessor_of") == last["predecessor_of"] for i in indexes)))
        recurring = len(indexes) >= 2
        out.append({
            "theme": theme,
            "label": label(theme),
            "inspections": [with_items[i]["id"] for i in indexes],
            "years": [year_of(with_items[i]) for i in indexes],  # null for an undated one, as its date
            "count": len(indexes),
            "recurring": recurring,
            "persisting": persisting,
            "resolved": resolved,
            "status": recurrence_word(recurring, persisting, resolved).value,
        })
    out.sort(key=lambda t: (-t["count"], t["theme"]))
    return out


def _consecutive_full(full: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(earlier, later) pairs of full inspections (in date order) with none between them in
    the same line: a predecessor council's own line, or the council's, which follows the last
    full inspection of each predecessor."""
    pairs = []
    for k, later in enumerate(full):
        council = later.get("predecessor_of")
        same = [r for r in full[:k] if r.get("predecessor_of") == council]
        if same:
            pairs.append((same[-1], later))
        elif not council:  # the council's first: after each predecessor's last
            lasts = {r.get("predecessor_of"): r for r in full[:k]}
            pairs += [(r, later) for r in lasts.values()]
    return pairs


def timeline(data: dict[str, Any], tagger: Tagger | None = None, with_items: bool = False) -> dict[str, Any]:
    """Every inspection in date order with its headline and the change of each grade from
    the latest known grade for that judgement before it (a mentioned one included).
    ``with_items``: also the verbatim items behind each theme (``theme_items``, for the HTML
    report; the JSON of the timeline leaves them out)."""
    records = in_date_order(data["inspections"])
    keys = sorted({k for r in records for k in r.get("judgements", {})}, key=key_sort)
    events = []
    # The grade before is that council's own: a predecessor's row follows only that council's
    # earlier rows (Bournemouth's 2018 ILACS is no change from Dorset County Council's 2016
    # SIF), and the authority's own first grade follows its predecessor's only when it had
    # exactly one (Dorset after Dorset County Council, not BCP after three councils).
    latest_known: dict[str, dict[str, str]] = {}
    own = data["authority"]
    predecessors = [p["authority"] for p in data.get("predecessors") or []]
    for record in records:
        council = record.get("predecessor_of") or own
        known = latest_known.setdefault(council, {})
        inherited = latest_known.get(predecessors[0], {}) if council == own and len(predecessors) == 1 else {}
        changes, previous = {}, {}
        for key, j in sorted(record.get("judgements", {}).items(), key=lambda kv: key_sort(kv[0])):
            before = known.get(key) or inherited.get(key)
            if before:
                changes[key] = compare(before, j["grade"]).value
                previous[key] = before
            known[key] = j["grade"]
        events.append({
            "id": record["id"],
            **spec_fields(record["framework"]),  # SPEC's codes, as export: an open one is 'other', with its candidates
            "type": record.get("type"),
            "start": record.get("start"),
            "end": record.get("end"),
            "published": record.get("published"),
            "date": known_date(record),  # null when no document dates it (the tables say 'undated', 'n.d.')
            "name": framework_name(record["framework"], record.get("type")),
            "short": framework_short(record["framework"]),
            "role": record["role"],
            "graded": is_graded(record),
            "headline": headline_text(record),
            "judgements": {k: v["grade"] for k, v in sorted(record.get("judgements", {}).items(), key=lambda kv: key_sort(kv[0]))},
            "changes": changes,
            "previous": previous,
            "theme": record.get("theme"),
            "outcome": record.get("outcome"),
            "weaknesses": len(record.get("weaknesses", [])),
            "sources": [s["kind"] for s in record.get("sources", [])],
            "disagreements": len(record.get("disagreements", [])),
            **{k: record[k] for k in ("reported", "inspected_as", "predecessor_of", "could_be") if record.get(k)},
            **({"inspected_as_name": _council_name(record["inspected_as"])} if record.get("inspected_as") else {}),
        })
        if record.get("corrections"):  # fields a person corrected (ofstl.corrections)
            events[-1]["corrections"] = [c["field"] for c in record["corrections"]]
        if record.get("disagreements"):  # the fields documents read differently, each once (the CSV's column)
            events[-1]["disagreement_fields"] = list(dict.fromkeys(d["field"] for d in record["disagreements"]))
    view = {"authority": data["authority"], "name": data["name"], "judgement_keys": keys, "inspections": events,
            "themes": recurrence(records, tagger)}
    for extra in ("successors", "predecessors", "abolished"):  # reorganisations (ofstl.history)
        if data.get(extra):
            view[extra] = data[extra]
    if with_items:
        view["theme_items"] = theme_items(data, tagger)
    return view


def theme_items(data: dict[str, Any], tagger: Tagger | None = None) -> dict[str, list[dict[str, Any]]]:
    """theme id -> per inspection raising it (date order): id, date, framework name and the
    verbatim weakness texts behind the theme. For the HTML report."""
    out: dict[str, list[dict[str, Any]]] = {}
    for record in in_date_order(data["inspections"]):
        for theme, texts in themes_of(record, tagger).items():
            out.setdefault(theme, []).append({"id": record["id"], "date": when(record), "framework": record["framework"],
                                              "name": framework_name(record["framework"]), "items": texts})
    return out


# --------------------------------------------------------------------------- show


def show(data: dict[str, Any], record: dict[str, Any], tagger: Tagger | None = None) -> dict[str, Any]:
    """One inspection as stored, with the theme labels of each item worked out."""
    labels = (tagger or tagger_for(None)).label
    items = {field: [[labels(t) for t in item_themes(i["text"], tagger)] for i in record.get(field, [])]
             for field in ("weaknesses", "strengths")}
    view = {"authority": data["authority"], "name": data["name"], "record": record,
            "title": framework_name(record["framework"], record.get("type")), "item_themes": items}
    if record.get("inspected_as"):  # a predecessor's inspection, or the council this one continues: whose it was
        view["council"] = ("predecessor: " if record.get("predecessor_of") else "inspected as ") + _council_name(record["inspected_as"])
    return view


# --------------------------------------------------------------------------- selection


def select(records: list[dict[str, Any]], spec: str, *, prefer_graded: bool = True) -> dict[str, Any]:
    """An inspection by id, date prefix ("2013-12") or year ("2013"). Anything else is refused:
    an empty WHEN (an unset variable) or a fragment ("2", "20") matched every inspection and
    quietly chose one, for ``correct`` too."""
    exact = [r for r in records if r["id"] == spec]
    if exact:
        return exact[0]
    if not is_calendar_date(spec.strip()):  # a year, month or day the calendar has: 2013-13 was "no inspection matches"
        raise UsageError(f"{spec!r} is not a year, a date or an inspection id",
                         f"e.g. 2013, 2013-11, 2013-11-25 or an id: {', '.join(r['id'] for r in records[-2:])}")
    spec = spec.strip()
    matches = [r for r in records if when(r).startswith(spec) or (r.get("end") or "").startswith(spec)]
    if not matches:
        choices = ", ".join(f"{when(r)[:7]} {r['framework']}" for r in records)
        raise UsageError(f"no inspection matches {spec!r}", f"choose one of: {choices}")
    ranked = sorted(matches, key=lambda r: (r["role"] != "subject", prefer_graded and not is_graded(r), r["framework"] not in FULL_FRAMEWORKS))
    return ranked[0]


def when_choices(records: list[dict[str, Any]]) -> list[str]:
    """What WHEN, FROM and TO may be (for shell completion): inspection ids and years."""
    years = sorted({when(r)[:4] for r in records if when(r) != UNDATED})
    return years + [r["id"] for r in records]


# --------------------------------------------------------------------------- export


def export_record(data: dict[str, Any], record: dict[str, Any], tagger: Tagger | None = None) -> dict[str, Any]:
    """One inspection in the SPEC section 3 shape."""
    framework = spec_fields(record["framework"])  # SPEC section 2's codes: an open one is 'other'
    exported = {
        "id": record["id"],
        "authority": data["authority"],
        "authority_name": data["name"],
        "gss_code": data.get("gss_code"),
        "framework": framework["framework"],
        "type": record.get("type"),
        "role": record["role"],
        "start": record.get("start"),
        "end": record.get("end"),
        "published": record.get("published"),
        "judgements": {k: v["grade"] for k, v in sorted(record.get("judgements", {}).items(), key=lambda kv: key_sort(kv[0]))},
        "weaknesses": [{"text": i["text"], "themes": item_themes(i["text"], tagger)} for i in record.get("weaknesses", [])],
        "strengths": [{"text": i["text"], "themes": item_themes(i["text"], tagger)} for i in record.get("strengths", [])],
        "sources": [{"path": s["path"], "sha256": s["sha256"], "kind": s["kind"], "role": s["role"]} for s in record.get("sources", [])],
    }
    # when known: an area SEND outcome (not a grade), Ofsted's URN (fetch manifest), a story's own date, SPEC section 4's
    # fields (corrections: field, value, note, date), a visit's theme, the inspections a mention held apart could be
    for extra in ("outcome", "urn", "reported", "inspected_as", "predecessor_of", "disagreements", "corrections", "theme", "could_be"):
        if record.get(extra):
            exported[extra] = record[extra]
    exported.update({k: v for k, v in framework.items() if k != "framework"})  # framework_candidates: what the documents left open
    return exported


def export(stored: Iterable[dict[str, Any]], tagger: Tagger | None = None) -> dict[str, Any]:
    inspections = []
    for data in sorted(stored, key=lambda d: d["authority"]):
        rows = [export_record(data, r, tagger) for r in data["inspections"]]
        rows.sort(key=lambda r: (r["start"] is None, r["start"] or ""))
        inspections.extend(rows)
    return {"ofstl_export": 1, "inspections": inspections}


# --------------------------------------------------------------------------- themes


def national_themes(stored: Iterable[dict[str, Any]], tagger: Tagger | None = None) -> dict[str, Any]:
    """Per theme: share of inspections raising it (each counted once per document, whatever
    its number of items), by framework, and share of authorities where it recurs."""
    per_framework_total: dict[str, int] = {}
    per_framework_theme: dict[tuple[str, str], int] = {}
    theme_total: dict[str, int] = {}
    recurring: dict[str, int] = {}
    authorities_with_two = 0
    inspections = 0
    for data in stored:
        records = [r for r in data["inspections"] if r.get("weaknesses") and not r.get("could_be")]  # held apart: counted as one of the others
        if len(records) >= 2:
            authorities_with_two += 1
            for row in recurrence(records, tagger):
                if row["recurring"]:
                    recurring[row["theme"]] = recurring.get(row["theme"], 0) + 1
        for record in records:
            inspections += 1
            fw = spec_fields(record["framework"])["framework"]  # SPEC's codes: an open one counts as 'other'
            per_framework_total[fw] = per_framework_total.get(fw, 0) + 1
            for theme in themes_of(record, tagger):
                theme_total[theme] = theme_total.get(theme, 0) + 1
                per_framework_theme[(theme, fw)] = per_framework_theme.get((theme, fw), 0) + 1
    rows = []
    for theme, count in theme_total.items():
        rows.append({
            "theme": theme,
            "label": (tagger or tagger_for(None)).label(theme),
            "inspections": count,
            "share": share(count, inspections) or 0.0,
            "by_framework": {fw: share(per_framework_theme.get((theme, fw), 0), n) or 0.0 for fw, n in sorted(per_framework_total.items())},
            "recurring_authorities": recurring.get(theme, 0),
            "recurring_share": share(recurring.get(theme, 0), authorities_with_two) or 0.0,
        })
    rows.sort(key=lambda r: (-r["share"], r["theme"]))
    return {"inspections": inspections, "authorities_with_two_or_more": authorities_with_two, "frameworks": dict(sorted(per_framework_total.items())), "themes": rows}
