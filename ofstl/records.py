"""Parsed documents -> inspection records: one record per inspection, however many sources.

Every document contributes *observations* (what it says about one inspection). Observations
are clustered into inspections by authority, framework and date (``ofstl.clustering``); an
undated news article joins the inspection whose grades it repeats. Each record's fields come from the most
authoritative source (Ofsted report > Ofsted letter > council paper > news; the document
about the inspection before one that only mentions it), and every disagreement is kept.
The whole step is a pure function of the observations, so re-ingesting gives the same bytes.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any

from ofstl.clustering import OFSTED_KINDS, cluster, cluster_with_doubts
from ofstl.models import Item, Judgement, ParsedDocument
from ofstl.vocabulary import date_or_undated


def observations_from(doc: ParsedDocument) -> list[dict[str, Any]]:
    """Plain-dict observations of one parsed document (what the store keeps per source).

    Themes are not stored: the views tag items with the active taxonomy.
    """
    out = []
    for facts in doc.inspections:
        obs: dict[str, Any] = {
            "path": doc.path,
            "sha256": doc.sha256,
            "kind": doc.kind,
            "role": facts.role,
            "framework": facts.framework,
            "type": facts.type,
            "start": facts.start,
            "end": facts.end,
            "published": facts.published,
            "dated": doc.date_in_document if facts.role == "subject" else True,
            "judgements": {k: _judgement_dict(j) for k, j in sorted(facts.judgements.items())},
            "weaknesses": [_item_dict(i) for i in facts.weaknesses],
            "strengths": [_item_dict(i) for i in facts.strengths],
        }
        if facts.theme:
            obs["theme"] = facts.theme
        if facts.outcome:
            obs["outcome"] = facts.outcome
        if facts.visit_number:
            obs["visit_number"] = facts.visit_number
        if facts.start_within:
            obs["start_within"] = facts.start_within
        if facts.report_published:
            obs["report_published"] = facts.report_published
        obs.update(_manifest_fields(facts))
        if facts.inspected_as:
            obs["inspected_as"] = facts.inspected_as
        if facts.disagreements:
            obs["disagreements"] = facts.disagreements
        out.append(obs)
    return out


def _manifest_fields(facts: Any) -> dict[str, Any]:
    """What a fetch manifest added (``ofstl.fetch.manifest.annotate``): the URN, and that
    the publication date came from it."""
    fields: dict[str, Any] = {}
    if (facts.evidence.get("published") or {}).get("method") == "manifest":
        fields["published_method"] = "manifest"
    if (facts.evidence.get("urn") or {}).get("method") == "manifest":
        fields["urn"] = facts.evidence["urn"]["text"]
    return fields


def _judgement_dict(j: Judgement) -> dict[str, Any]:
    data: dict[str, Any] = {"grade": j.grade, "printed": j.printed, "label": j.label, "page": j.page, "method": j.method}
    if j.readings:
        data["readings"] = j.readings
    if j.conflict:
        data["conflict"] = True
    return data


def _item_dict(item: Item) -> dict[str, Any]:
    # Themes are not stored: views tag items with the active taxonomy (ofstl.views).
    data = asdict(item)
    data.pop("themes", None)
    return {k: v for k, v in data.items() if v not in (None, False) or k == "text"}


def _reading(obs: dict[str, Any], value: Any, page: Any = None, method: Any = None) -> dict[str, Any]:
    return {"value": value, "sha256": obs["sha256"], "kind": obs["kind"], "page": page, "method": method}


def _disagreements(group: list[dict[str, Any]], record: dict[str, Any]) -> list[dict[str, Any]]:
    """Every field the sources read differently (SPEC section 4: ``{field, readings}``, the
    reading kept first): a judgement graded differently by two documents or twice in one,
    fieldwork dates two documents of the same kind print differently, the weaknesses of two
    documents of the same kind that each claim to be the report, and a date the parser
    corrected (the printed reading and the corrected one)."""
    out: list[dict[str, Any]] = []
    for key in sorted(record["judgements"]):
        readings: list[dict[str, Any]] = []
        for obs in group:
            j = obs["judgements"].get(key)
            if j is None:
                continue
            if j.get("conflict"):
                out.append({"field": f"judgements.{key}", "within": obs["sha256"],
                            "readings": [_reading(obs, r.get("grade"), r.get("page"), r.get("method")) for r in j.get("readings", [])]})
            readings.append(_reading(obs, j["grade"], j.get("page"), j.get("method")))
        if len({r["value"] for r in readings}) > 1:
            out.append({"field": f"judgements.{key}", "readings": readings})
    subjects = [o for o in group if o["role"] == "subject"]
    for field in ("start", "end"):
        readings = [_reading(o, o[field]) for o in subjects if o.get(field) and len(o[field]) == 10]
        kinds = {r["kind"] for r in readings}
        if len({r["value"] for r in readings}) > 1 and any(sum(1 for r in readings if r["kind"] == k) > 1 for k in kinds):
            out.append({"field": field, "readings": readings})
    for kind in sorted({o["kind"] for o in subjects}):
        same = [o for o in subjects if o["kind"] == kind and o["weaknesses"]]
        # The same words typeset differently (curly or straight quotes, spacing) are the same.
        if len({tuple(sorted(re.sub(r"[^a-z0-9]+", "", i["text"].lower()) for i in o["weaknesses"])) for o in same}) > 1:
            out.append({"field": "weaknesses", "readings": [_reading(o, [i["text"] for i in o["weaknesses"]]) for o in same]})
    for obs in group:
        for d in obs.get("disagreements") or []:
            out.append({"field": d["field"], "within": obs["sha256"], "readings": [dict(r, sha256=obs["sha256"], kind=obs["kind"]) for r in d["readings"]]})
    return out


def merge(slug: str, group: list[dict[str, Any]]) -> dict[str, Any]:
    """One inspection record from its observations (most authoritative first)."""
    main = group[0]
    record: dict[str, Any] = {"id": "", "framework": main["framework"], "type": None}
    for field in ("type", "start", "end", "published"):
        candidates = [o[field] for o in group if o.get(field)]
        if field == "published":
            # A news story's, press release's or council paper's "Published:" is its own date
            # (the council's, the paper's), never Ofsted's publication of the report.
            candidates = [o[field] for o in group if o.get(field) and o["kind"] in OFSTED_KINDS]
        # The most precise date from the most authoritative source that has one.
        if field in ("start", "end") and candidates:
            best_len = max(len(c) for c in candidates)
            candidates = [c for c in candidates if len(c) == best_len]
        record[field] = candidates[0] if candidates else None
    stated_by = next((o for o in group if o.get("report_published")), None)
    if not record["published"] and stated_by is not None:
        # No Ofsted document dates it: a paper's or story's "Ofsted published its report on ...".
        record["published"] = stated_by["report_published"]
        record["published_evidence"] = {"source": stated_by["sha256"][:12], "method": "stated"}
    reported = [o["published"] for o in group if o.get("published") and o["kind"] not in OFSTED_KINDS]
    if reported and not record["start"] and not record["published"]:
        record["reported"] = reported[0]  # it places the inspection when nothing else dates it
    dated_by = next((o for o in group if o.get("published") and o["published"] == record["published"]), None)
    if dated_by is not None and dated_by.get("published_method"):
        record["published_evidence"] = {"source": dated_by["sha256"][:12], "method": dated_by["published_method"]}
    urn = next((o["urn"] for o in group if o.get("urn")), None)
    if urn:
        record["urn"] = urn
    record["role"] = "subject" if any(o["role"] == "subject" for o in group) else "mentioned"
    inspected_as = next((o["inspected_as"] for o in group if o.get("inspected_as")), None)
    if inspected_as:
        record["inspected_as"] = inspected_as
    judgements: dict[str, Any] = {}
    for obs in group:
        for key, j in obs["judgements"].items():
            if key not in judgements:
                judgements[key] = {"grade": j["grade"], "printed": j.get("printed", ""), "source": obs["sha256"][:12], "page": j.get("page"), "method": j.get("method")}
                if j.get("conflict"):
                    judgements[key]["readings"] = j.get("readings", [])
    record["judgements"] = {k: judgements[k] for k in sorted(judgements)}
    disagreements = _disagreements(group, record)
    if disagreements:
        record["disagreements"] = disagreements
    outcome = next((o["outcome"] for o in group if o.get("outcome")), None)
    if outcome:
        record["outcome"] = outcome
    theme = next((o["theme"] for o in group if o.get("theme")), None)
    if theme:
        record["theme"] = theme
    number = next((o["visit_number"] for o in group if o.get("visit_number")), None)
    if number:
        record["visit_number"] = number
    shown: dict[str, dict[str, Any] | None] = {}
    for field in ("weaknesses", "strengths"):
        # The document about the inspection speaks for it; a later document's account of
        # what it raised is shown only when no such document is stored.
        shown[field] = next((o for o in group if o["role"] == "subject" and o[field]), None) or next((o for o in group if o[field]), None)
        record[field] = [dict(item, source=shown[field]["sha256"][:12]) for item in shown[field][field]] if shown[field] else []
    record["sources"] = []
    for obs in group:
        if any(src["sha256"] == obs["sha256"] for src in record["sources"]):
            continue  # one document, one source (``cluster`` folded what it said)
        src = {k: v for k, v in obs.items() if k not in {"weaknesses", "strengths"}}
        # Items of sources not shown are kept with the source, so the record can be
        # rebuilt losslessly on the next ingest; shown items are not stored twice.
        for field in ("weaknesses", "strengths"):
            if obs is not shown[field] and obs[field]:
                src[field] = obs[field]
        record["sources"].append(src)
    return record


def observations_of(record: dict[str, Any]) -> list[dict[str, Any]]:
    """Rebuild a record's observations (the inverse of ``merge``); a document that spoke of
    the inspection twice gives back each thing it said (``clustering._fold_same_document``)."""
    out = []
    for src in record.get("sources", []):
        if src.get("folded"):
            out.extend(dict(said) for said in src["folded"])
            continue
        obs = dict(src)
        for field in ("weaknesses", "strengths"):
            if field not in obs:
                obs[field] = [
                    {k: v for k, v in item.items() if k != "source"}
                    for item in record.get(field, [])
                    if src is _shown_source(record, field)
                ]
        out.append(obs)
    return out


def _shown_source(record: dict[str, Any], field: str) -> dict[str, Any] | None:
    items = record.get(field) or []
    if not items:
        return None
    sha = items[0].get("source")
    return next((s for s in record.get("sources", []) if s["sha256"][:12] == sha and field not in s), None)


def build_records(slug: str, observations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """All inspection records of one authority, in date order, with stable ids."""
    groups, doubts = cluster_with_doubts(observations)
    built = [merge(slug, group) for group in groups]
    records = sorted(built, key=lambda r: (r["start"] is None, r["start"] or "", r["framework"], r["sources"][0]["sha256"]))
    seen: dict[str, int] = {}
    held_apart = {id(built[i]) for i in doubts}
    # The inspections placed take their ids first: a mention held apart that dates the same
    # month must not move a visit's id (a person's correction of it would follow the id).
    for record in sorted(records, key=lambda r: id(r) in held_apart):  # stable: date order within each
        when = date_or_undated(record)[:7]
        base = f"{slug}-{when}-{record['framework']}"
        seen[base] = seen.get(base, 0) + 1
        record["id"] = base if seen[base] == 1 else f"{base}-{seen[base]}"
    for index, candidates in doubts.items():
        # What a document said of an inspection several stored ones fit (two monitoring visits
        # in the year it gives): kept apart, naming them, never joined to one by a guess.
        built[index]["could_be"] = sorted(built[i]["id"] for i in candidates)
    return records


__all__ = ["observations_from", "build_records", "observations_of", "cluster", "merge"]
