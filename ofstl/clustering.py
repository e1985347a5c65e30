"""Which observations are of one inspection: grouping what documents say by authority,
framework and date.

Split from ``ofstl.records`` (which merges each group into a record) because telling one
inspection from another is most of the work: a mention may give only a year or a month, a
news story only its own publication date, an undated paper only grades, and a later document
only a year the framework calendar cannot place ("inspected in 2018": a SIF or an ILACS).
Each rule here says which group an observation joins, or that it starts its own.
"""

from __future__ import annotations

import copy
from typing import Any

from ofstl.parse.calendar import JUDGEMENTS, UNDECIDED, allowed_judgement, on_scale, overlap, rekeyed
from ofstl.parse.dates import days_between

KIND_RANK = {"ofsted-report": 0, "ofsted-letter": 1, "council-paper": 2, "news": 3, "other": 4}
OFSTED_KINDS = ("ofsted-report", "ofsted-letter")


def rank(obs: dict[str, Any]) -> tuple[int, int, str]:
    return (0 if obs["role"] == "subject" else 1, KIND_RANK.get(obs["kind"], 9), obs["sha256"])


def _dates(obs: dict[str, Any]) -> list[str]:
    return [d for d in (obs.get("start"), obs.get("end"), obs.get("published"), obs.get("report_published")) if d]


def _months(date: str) -> int | None:
    return int(date[:4]) * 12 + int(date[5:7]) if len(date) >= 7 else None


def _date_compatible(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Same inspection by date: a mention may give the fieldwork month or the publication
    month, and "2013" matches any date in 2013. Fieldwork starts must agree within a month."""
    if _numbered_apart(a, b):
        return False  # "the fourth monitoring visit" and "the fifth": two visits, however near
    if a.get("start") and b.get("start") and len(a["start"]) == 10 and len(b["start"]) == 10:
        ma, mb = _months(a["start"]), _months(b["start"])
        return ma is not None and mb is not None and abs(ma - mb) <= 1
    if _published_after(a, b) or _published_after(b, a):
        return True
    for da in _dates(a):
        for db in _dates(b):
            n = min(len(da), len(db))
            if da[:n] == db[:n]:
                return True
            ma, mb = _months(da), _months(db)
            if ma is not None and mb is not None and abs(ma - mb) <= 1 and da[:10] != db[:10] and (len(da) == 7 or len(db) == 7):
                return True
    return False


def _numbered_apart(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two Ofsted letters each about the visit they number, and the numbers differ."""
    return all(o["kind"] in OFSTED_KINDS and o["role"] == "subject" and o.get("visit_number") for o in (a, b)) \
        and a["visit_number"] != b["visit_number"]


def _published_after(story: dict[str, Any], other: dict[str, Any]) -> bool:
    """A news story or council paper dated only by its own publication ("Published: 22
    November 2023") reports the inspection published up to a month before it, or whose
    fieldwork ended up to a hundred days before it (the report's own publication date is
    rarely the story's)."""
    if story.get("kind") in ("ofsted-report", "ofsted-letter") or story.get("start") or len(story.get("published") or "") != 10:
        return False
    for field, within in (("published", 31), ("end", 100)):
        theirs = other.get(field) or ""
        if len(theirs) == 10 and 0 <= (days_between(theirs, story["published"]) or -1) <= within:
            return True
    return False


def _day_number(date: str) -> int:
    """Days since year 0 for a full, month or year date (a part missing: its middle)."""
    year, month, day = int(date[:4]), int(date[5:7]) if len(date) >= 7 else 7, int(date[8:10]) if len(date) >= 10 else 15
    return year * 372 + (month - 1) * 31 + day


def _distance(obs: dict[str, Any], group: list[dict[str, Any]]) -> int:
    """How near an observation's dates come to a group's."""
    return min((abs(_day_number(a) - _day_number(b)) for o in group for a in _dates(obs) for b in _dates(o)), default=0)


def _other_visit(obs: dict[str, Any], group: list[dict[str, Any]]) -> bool:
    """The observation numbers its visit ("the second monitoring visit") and the group's another."""
    numbers = {o["visit_number"] for o in group if o.get("visit_number")}
    return bool(obs.get("visit_number") and numbers and obs["visit_number"] not in numbers)


def _precision(obs: dict[str, Any]) -> int:
    """How exactly an observation is dated: 10 a day, 7 a month, 4 a year or a season."""
    return max((len(d) for d in _dates(obs)), default=0)


def _falls_in(obs: dict[str, Any], group: list[dict[str, Any]], fields: tuple[str, ...]) -> bool:
    """Whether a group's ``fields`` (dated at least as exactly) fall in the year, month or
    season an observation gives."""
    when = obs.get("start_within") or max(_dates(obs), key=len)
    exact = 7 if obs.get("start_within") else len(when)
    return any(len(o.get(f) or "") >= exact and overlap(when, o[f]) for o in group for f in fields)


def _fitting(obs: dict[str, Any], homes: list[list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    """Of the inspections in reach of an observation dated only by a year, a month or a season
    ("in 2019", "in June 2019", "in autumn 2019"), those it fits best: the visit it numbers;
    else those whose fieldwork falls in it; else those published in it; else, for a month, those
    whose dates neighbour it (a season neither falls in fits neither). Joining the nearest to
    the middle of the year or month would be a guess."""
    numbered = [g for g in homes if obs.get("visit_number") and any(o.get("visit_number") == obs["visit_number"] for o in g)]
    if len(numbered) == 1:
        return numbered
    homes = [g for g in homes if not _other_visit(obs, g)] or homes
    # (one whose fieldwork no document gives cannot be ruled out by it)
    unknown = [g for g in homes if not any(o.get(f) for o in g for f in ("start", "end"))]
    for fields, also in ((("start", "end"), unknown), (("published", "report_published"), [])):
        fits = [g for g in homes if _falls_in(obs, g, fields) or any(g is u for u in also)]
        if fits:
            return fits
    return [] if obs.get("start_within") else homes


def _dated_by_itself(obs: dict[str, Any]) -> bool:
    """A story or council paper whose only date is its own publication."""
    return obs["kind"] not in OFSTED_KINDS and not obs.get("start") and not obs.get("end") and len(obs.get("published") or "") == 10


def _reported_later(obs: dict[str, Any], groups: list[list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    """A story or paper written months after the inspection it reports (a cabinet paper in
    March on October's inspection): the one inspection of its framework in the nine months
    before it whose grades it repeats, one misreported grade aside, kept as a disagreement
    (several when two could be it; none when it gives another overall grade)."""
    fits = []
    for group in groups:
        if group[0]["framework"] != obs["framework"] and group[0]["framework"] not in UNDECIDED.get(obs["framework"], ()):
            continue
        latest = max((d for o in group for d in _dates(o) if len(d) == 10), default=None)
        gap = days_between(latest, obs["published"]) if latest else None
        if gap is not None and 0 <= gap <= 270 and _mostly_agrees(obs, group):
            fits.append(group)
    return fits


def _mostly_agrees(obs: dict[str, Any], record: list[dict[str, Any]]) -> bool:
    """The same overall grade (when both give one) and more grades the same than not."""
    main = min(record, key=rank)
    same = other = 0
    for key, j in obs["judgements"].items():
        theirs = main["judgements"].get(key)
        if theirs is None:
            continue
        if theirs["grade"] != j["grade"] and key == "overall":
            return False
        same, other = (same + 1, other) if theirs["grade"] == j["grade"] else (same, other + 1)
    return same > other


def _grades_agree(obs: dict[str, Any], record: list[dict[str, Any]]) -> int:
    """How many of an undated observation's grades the record's main source shares (-1: a clash)."""
    main = min(record, key=rank)
    shared = 0
    for key, j in obs["judgements"].items():
        theirs = main["judgements"].get(key)
        if theirs is None:
            continue
        if theirs["grade"] != j["grade"]:
            return -1
        shared += 1
    return shared


def _all_it_could_be(obs: dict[str, Any], groups: list[list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    """For an observation of an undecided framework ("inspected in 2018 and judged
    inadequate": a SIF or an ILACS), the inspections of a framework it could be, in reach of
    its date, whose grades it does not contradict (it joins one only when one is left)."""
    return [g for g in groups if g[0]["framework"] in UNDECIDED[obs["framework"]]
            and any(_date_compatible(obs, o) for o in g) and _grades_agree(_as_of(obs, g[0]["framework"]), g) >= 0]


def _as_of(obs: dict[str, Any], framework: str) -> dict[str, Any]:
    """An undecided observation as one of the inspection it joins: its grade for the whole
    of a CPI-or-LAC inspection ("overall") is that CPI's help and protection judgement."""
    judgements = rekeyed(obs["judgements"], obs["framework"], framework)
    return obs if judgements is obs["judgements"] else dict(obs, judgements=judgements)


def _could_be(obs: dict[str, Any], group: list[dict[str, Any]]) -> bool:
    """An undated paper or story that names no framework ("other") but grades the inspection:
    it could be a graded inspection that made every judgement it gives, on that scale."""
    framework = group[0]["framework"]
    when = next((d for o in group for d in _dates(o)), None)
    return obs["framework"] == "other" and bool(obs["judgements"]) and framework in JUDGEMENTS and all(
        allowed_judgement(framework, key, when) and on_scale(framework, j["grade"]) for key, j in obs["judgements"].items())


def cluster(observations: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Group observations into inspections (each group ordered most authoritative first)."""
    return cluster_with_doubts(observations)[0]


def _hold_apart(obs: dict[str, Any], fits: list[list[dict[str, Any]]], groups: list[list[dict[str, Any]]], doubts: dict[int, list[int]]) -> None:
    """Keep an observation that several inspections fit as a group of its own, noting which
    they are; another saying the same (framework, date, the same inspections) joins it."""
    could_be = sorted(next(i for i, g in enumerate(groups) if g is fit) for fit in fits)
    for index, candidates in doubts.items():
        other = groups[index][0]
        if candidates == could_be and other["framework"] == obs["framework"] and _dates(other)[:1] == _dates(obs)[:1] \
                and other.get("start_within") == obs.get("start_within"):
            groups[index].append(obs)
            return
    doubts[len(groups)] = could_be
    groups.append([obs])


def cluster_with_doubts(observations: list[dict[str, Any]]) -> tuple[list[list[dict[str, Any]]], dict[int, list[int]]]:
    """``cluster``, and for each group held apart because several inspections fit it equally
    (its index), the indexes of those it could be."""
    doubts: dict[int, list[int]] = {}
    groups: list[list[dict[str, Any]]] = []
    # An observation whose framework the date could not tell comes last, to join the one
    # inspection of a framework it could be that is already there; the exactly dated come
    # first, so a bare year never gathers the visits of its year into one before they are placed.
    dated = sorted((o for o in observations if _dates(o)),
                   key=lambda o: (o["framework"] in UNDECIDED, -_precision(o), rank(o)[:2], _dates(o)[0], o["sha256"]))
    undated = sorted((o for o in observations if not _dates(o)), key=rank)
    for obs in dated:
        placed = [g for i, g in enumerate(groups) if i not in doubts]  # a mention held apart is no one's home
        homes = [g for g in placed if g[0]["framework"] == obs["framework"] and any(_date_compatible(obs, o) for o in g)]
        guessing = _precision(obs) < 10  # several in reach of a year, a month or a season: which is a guess
        if not homes and obs["framework"] in UNDECIDED:
            homes, guessing = _all_it_could_be(obs, placed), True
        if not homes and _dated_by_itself(obs):
            homes, guessing = _reported_later(obs, placed), True
        if len(homes) > 1 and _precision(obs) < 10:
            homes = _fitting(obs, homes)
        if len(homes) > 1 and guessing:
            _hold_apart(obs, homes, groups, doubts)
            continue
        # Of two visits in reach (monitoring visits weeks apart), the one it names, else the nearest.
        home = min(homes, key=lambda g: (_other_visit(obs, g), _distance(obs, g))) if homes else None
        if home is None:
            groups.append([obs])
        else:
            home.append(_as_of(obs, home[0]["framework"]))
    for obs in undated:
        scores = [(_grades_agree(obs, g), i) for i, g in enumerate(groups)
                  if i not in doubts and (g[0]["framework"] == obs["framework"] or _could_be(obs, g))]
        best_score = max((score for score, _ in scores), default=0)
        fits = [i for score, i in scores if score == best_score > 0]
        if best_score <= 0:
            # None it repeats exactly: the one it plainly describes, one misreported grade aside
            # (the same overall grade, more grades the same than not), kept as a disagreement.
            fits = [i for _, i in scores if _mostly_agrees(obs, groups[i])]
        # Two inspections it could equally be (both graded good): joining either would be a guess.
        if len(fits) == 1:
            groups[fits[0]].append(obs)
        elif fits:
            _hold_apart(obs, [groups[i] for i in fits], groups, doubts)
        else:
            groups.append([obs])
    groups = [_fold_same_document(sorted(group, key=rank)) for group in groups]
    return groups, doubts


def _fold_same_document(group: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One observation per document in a group: a document that spoke of the inspection
    twice ("in 2013", "in November 2013") is one source with what both said. What each said
    is kept under ``folded``: a document stored before the reports it mentions ("May 2021" and
    "June 2021", one visit until the two letters come) is rebuilt from both, so the history
    does not depend on which came first (``records.observations_of``)."""
    out: list[dict[str, Any]] = []
    for obs in group:
        home = next((o for o in out if o["sha256"] == obs["sha256"]), None)
        if home is None:
            out.append(obs)
            continue
        # copies: the store's YAML holds each thing once, without anchors and aliases
        merged = dict(home, folded=[*(home.get("folded") or [copy.deepcopy(home)]), copy.deepcopy(obs)])
        merged["judgements"] = {**obs["judgements"], **home["judgements"]}
        for field in ("start", "end", "published"):
            if obs.get(field) and len(obs[field]) > len(merged.get(field) or ""):
                merged[field] = obs[field]
        for field in ("weaknesses", "strengths"):
            texts = {i["text"] for i in home[field]}
            merged[field] = list(home[field]) + [i for i in obs[field] if i["text"] not in texts]
        out[out.index(home)] = merged
    return out


__all__ = ["KIND_RANK", "OFSTED_KINDS", "rank", "cluster", "cluster_with_doubts"]
