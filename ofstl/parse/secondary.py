"""Grades as news articles and council papers report them.

Secondary sources list judgements in running prose: "The impact of leaders ... was rated as
outstanding while the experiences and progress of children who need help and protection and
... was rated as good, contributing to an overall effectiveness 'good' grade". Each label
takes the first grade that follows it *as a rating* (after "rated", "judged", "was", a quote
mark ...), so descriptive words like "good-quality early help" are not read as grades.
Short names of a judgement ("leadership", "help and protection") count only right before
their rating, and the grade of children's services as a whole ("children's services in Kent
have been judged outstanding", "judged good overall") is the overall effectiveness. A grade
the sentence gives to an earlier inspection ("has improved since it was rated inadequate",
"at its previous inspection ... was judged", "rated inadequate in 2017" in a 2023 article)
is not the document's own inspection's (the mentions read it).
"""

from __future__ import annotations

import re

from ofstl import authorities
from ofstl.models import InspectionFacts
from ofstl.parse import calendar, dates
from ofstl.parse.dates import DAY, MONTH, WITHIN_YEAR, YEAR
from ofstl.parse.frameworks import framework_by_services
from ofstl.parse.grades import GRADE_PHRASE, canonical
from ofstl.parse.judgements import Reading
from ofstl.parse.subjects import AUTHORITY_SERVICES, GRADED_IN_YEAR, sentences_about

_LABELS: list[tuple[str, str]] = [
    (r"impact of leaders(?: on social work practice(?: with children and families)?)?", "leadership"),
    (r"(?:experiences and progress of )?children (?:who need|in need of) help and protection", "help_and_protection"),
    (r"(?:experiences and progress of )?children in care and care leavers", "children_in_care"),
    (r"(?:experiences and progress of )?children looked after(?: and achieving permanence)?", "children_in_care"),
    (r"experiences and progress of children in care", "children_in_care"),
    (r"experiences and progress of care leavers|services for care leavers", "care_leavers"),
    (r"adoption(?: services| performance)?", "adoption"),
    (r"leadership,? management and governance", "leadership"),
    (r"overall effectiveness|overall judgement|overall rating|overall grade", "overall"),
    (r"local safeguarding children board|\bLSCB\b", "lscb"),
    # A child protection inspection's one judgement (2012-13), by the inspection's own name.
    (r"(?:local authority )?arrangements for the protection of children|child protection (?:arrangements|services)", "help_and_protection"),
    # Short names: only right before their rating ("Leadership was rated outstanding").
    (r"\bleadership\b", "leadership"),
    (r"\bhelp and protection\b", "help_and_protection"),
    (r"\bchildren in care\b", "children_in_care"),
    (r"\bcare leavers\b", "care_leavers"),
]
_SHORT_LABELS = frozenset(range(len(_LABELS) - 4, len(_LABELS)))
_LABEL_RE = re.compile("|".join(f"(?P<k{i}>{p})" for i, (p, _) in enumerate(_LABELS)), re.IGNORECASE)
_RATED_GRADE = re.compile(
    r"(?:(?:rated|judged|graded|assessed|found|was|were|is|are|as|remains?|receiving|received|given|an?)\s+|[:|]\s*)(?:as\s+|to be\s+|being\s+|to (?=require))?"
    r"[‘'\"“]?(?P<g1>" + GRADE_PHRASE + r")(?![\w-])"
    r"|(?P<g2>requires? improvement)"
    r"|[‘'\"“](?P<g3>" + GRADE_PHRASE + r")[’'\"”]"
    r"|\bto be\s+(?P<g4>" + GRADE_PHRASE + r")(?![\w-])",
    re.IGNORECASE,
)
# Only a short name's own verb between it and its grade: "Leadership was rated", "help and
# protection and children in care were both judged".
_SHORT_GAP = re.compile(
    r"^\s*(?:services\s+)?(?:,?\s*(?:and\s+)?(?:leadership|help and protection|children in care|care leavers)(?:\s+services)?\s+)*"
    r"(?:(?:was|were|is|are|has|have|been|both|also|all|each|again)\s+)*$", re.IGNORECASE)
# ... and opening its clause: not "services to help families adopt children in care was judged".
_SHORT_OPENS = re.compile(r"(?:^|[,;:]\s*|\b(?:and|while|whereas|but|the|its|their|for|with|of)\s+)$", re.IGNORECASE)
_JUDGING_VERB = re.compile(r"\b(?:judged|rated|graded|found|assessed|considered|deemed)\b", re.IGNORECASE)
# Children's services as a whole, and "good overall": the overall effectiveness.
_QUOTE = r"[‘'\"“]?"
_PLACE = r"(?:\s+(?:in|at|for)\s+(?:the\s+)?(?:(?-i:[A-Z])[\w'’&-]*(?:\s+(?:of\s+)?(?-i:[A-Z])[\w'’&-]*){0,3}|borough|county|city|district))?"
_SERVICES = r"(?:children.s (?:social care )?services|children.s (?:services )?trust|services for children(?: and (?:young people|families))?)"
# "a 'good' rating", "an overall rating of good", "a good Ofsted rating"
def _a_rating(first: str, second: str) -> str:
    """The pattern of "a 'good' rating" / "a rating of good", its grade in group FIRST or SECOND."""
    return (rf"(?:an?\s+(?:overall\s+)?{_QUOTE}(?P<{first}>{GRADE_PHRASE})[’'\"”]?\s+(?:overall\s+)?(?:ofsted\s+)?(?:rating|grade|judge?ment)"
            rf"|an?\s+(?:overall\s+)?(?:ofsted\s+)?(?:rating|grade|judge?ment)\s+of\s+{_QUOTE}(?P<{second}>{GRADE_PHRASE}))(?![\w-])")
_WHOLE_GRADED = re.compile(
    rf"{_SERVICES}{_PLACE}\s+(?:[a-z]+\s+){{0,3}}?(?:judged|rated|graded|assessed|deemed)\s+(?:by Ofsted\s+)?(?:as\s+|to be\s+|being\s+|to (?=require))?{_QUOTE}(?P<g1>{GRADE_PHRASE})(?![\w-])"
    rf"|{_SERVICES}{_PLACE}\s+(?:are|is|were|was|remain|remains)\s+(?:now\s+|still\s+)?{_QUOTE}(?P<g2>{GRADE_PHRASE})(?![\w-])"
    rf"|(?:judged|rated|graded)\s+(?:the\s+)?(?:(?-i:[A-Z])[\w'’&-]*(?:\s+(?-i:[A-Z])[\w'’&-]*){{0,3}}\s+)?(?:(?:council|local authority).s\s+)?{_SERVICES}{_PLACE}\s+(?:as\s+|to be\s+|to (?=require))?{_QUOTE}(?P<g3>{GRADE_PHRASE})(?![\w-])"
    rf"|(?:judged|rated|graded)\s+(?:as\s+|to be\s+)?{_QUOTE}(?P<g4>{GRADE_PHRASE})[’'\"”]?\s+overall\b"
    rf"|\boverall,\s+[^.;]{{0,60}}?(?:judged|rated|graded)\s+(?:as\s+|to be\s+|to (?=require))?{_QUOTE}(?P<g5>{GRADE_PHRASE})(?![\w-])"
    # The council as a whole, when Ofsted is named as the judge ("Hillingdon Council has been
    # rated outstanding by Ofsted", "Ofsted has rated the council good").
    rf"|\b(?:council|local authority)\s+(?:has|have)?\s*(?:been|was|were|is)\s+(?:judged|rated|graded)\s+(?:as\s+)?{_QUOTE}(?P<g6>{GRADE_PHRASE})[’'\"”]?(?:\s+overall)?\s+by Ofsted\b"
    rf"|\bOfsted\s+(?:has\s+)?(?:judged|rated|graded)\s+(?:the\s+)?(?:(?-i:[A-Z])[\w'’&-]*\s+){{0,3}}(?:council|local authority)\s+(?:as\s+|to be\s+)?{_QUOTE}(?P<g7>{GRADE_PHRASE})(?![\w-])"
    # "children's services were given a 'good' rating", "received an overall rating of good"
    rf"|{_SERVICES}{_PLACE}\s+(?:[a-z]+\s+){{0,2}}?(?:given|received|awarded|achieved|handed|gained)\s+{_a_rating('g8', 'g9')}"
    # "Ofsted has given Torbay's children's services a good rating"
    rf"|\b(?:given|awarded)\s+(?:the\s+)?(?:(?-i:[A-Z])[\w'’&-]*\s+){{0,3}}(?:council.s\s+)?{_SERVICES}\s+{_a_rating('g10', 'g11')}"
    # "the council has received a good Ofsted rating for its children's services"
    rf"|\b(?:council|local authority)\s+(?:has\s+)?(?:received|been given|been awarded|achieved|gained)\s+{_a_rating('g12', 'g13')}\s+for\s+(?:its|their)\s+{_SERVICES}"
    # "the council has been rated good for its children's services"
    rf"|\b(?:council|local authority)\s+(?:has|have)?\s*(?:been|was|were|is)\s+(?:judged|rated|graded)\s+(?:as\s+)?{_QUOTE}(?P<g14>{GRADE_PHRASE})[’'\"”]?\s+(?:by Ofsted\s+)?for\s+(?:its|their)\s+{_SERVICES}"
    # "children's services have improved from inadequate to good": today's grade is the second
    rf"|{_SERVICES}{_PLACE}\s+(?:[a-z]+\s+){{0,2}}?(?:moved|improved|gone|risen|progressed|climbed|jumped)\s+(?:from\s+)?{_QUOTE}{GRADE_PHRASE}[’'\"”]?\s+to\s+(?:be\s+)?{_QUOTE}(?P<g15>{GRADE_PHRASE})(?![\w-])"
    # The council as its sentence's (or main clause's) subject: "The local authority was judged
    # to require improvement to be good" (a council paper's own words for its services).
    rf"|(?:^|,\s+)(?:the\s+)?(?:(?-i:[A-Z])[\w'’&-]*\s+){{0,3}}?(?:council|local authority)\s+(?:has\s+been|have\s+been|was|were)\s+(?:judged|rated|graded)\s+(?:by Ofsted\s+)?(?:as\s+|to be\s+|to (?=require))?{_QUOTE}(?P<g16>{GRADE_PHRASE})(?![\w-])"
    rf"(?!\s+(?:by\s+(?!Ofsted\b)|for\s+))",  # "by the Care Quality Commission", "for adult learning": not Ofsted's of children's services
    re.IGNORECASE)
# A grade given "for" one judgement after the whole service's words ("children's services
# rated outstanding for leadership"): that judgement's, not the overall effectiveness.
_FOR_ONE_JUDGEMENT = re.compile(
    r"[’'\"”]?\s+(?:for|in)\s+(?:its\s+|the\s+|their\s+)?(?:" + "|".join(p for p, key in _LABELS if key != "overall") + r")", re.IGNORECASE)
# Words that put a grade on an earlier inspection.
_EARLIER_BETWEEN = re.compile(r"\b(?:since|previous(?:ly)?|earlier|formerly|last (?:inspected|inspection|time)|when (?:it|they) (?:was|were)|had (?:\w+ )?been)\b", re.IGNORECASE)
_EARLIER_FRAME = re.compile(
    r"\b(?:at|in|during|following|after) (?:its|the|their) (?:previous|last|earlier|first) (?:full |ofsted |graded )?inspection\b|\bpreviously\b"
    r"|\bwhen (?:it|they|the (?:council|local authority|service)) (?:was|were) last inspected\b", re.IGNORECASE)
# "given a good rating in 2017": that year's inspection, as GRADED_IN_YEAR
_RATING_IN_YEAR = re.compile(rf"\b(?:rating|grade|judge?ment)[’'\"”]?\s+(?:by ofsted\s+)?in\s+{WITHIN_YEAR}?(?P<year>{YEAR})\b", re.IGNORECASE)
_DATED = re.compile(rf"^[’'\"”]?,?\s*(?:by ofsted\s+)?(?:in|during)\s+{WITHIN_YEAR}?(?P<year>{YEAR})\b", re.IGNORECASE)
_AT_AN_EARLIER = re.compile(r"^[’'\"”]?,?\s*(?:by ofsted\s+)?(?:at|in|during|following) (?:its|the|their) (?:previous|last|earlier|first) (?:full |ofsted |graded )?inspection\b", re.IGNORECASE)



def _of_an_earlier_inspection(sentence: str, label_start: int, grade_start: int, grade_end: int, subject_year: str | None) -> bool:
    """Whether the words put this grade on an inspection before the document's own."""
    if _EARLIER_FRAME.search(sentence[:max(label_start, grade_start)]):
        return True
    if grade_start > label_start and _EARLIER_BETWEEN.search(sentence[label_start:grade_start]):
        return True
    if _AT_AN_EARLIER.match(sentence[grade_end:]):
        return True
    dated = _DATED.match(sentence[grade_end:])
    return bool(dated and subject_year and dated.group("year") < subject_year)


def secondary_readings(text: str, subject_start: str | None = None, authority: str | None = None) -> list[Reading]:
    """The judgements a news article's or council paper's sentences give its inspection
    (``subject_start``, its fieldwork start when the document prints it; ``authority``, the
    authority it is about: a sentence naming only others, "neighbouring Harrow's children's
    services were rated inadequate", grades none of its)."""
    readings: list[Reading] = []
    subject_year = subject_start[:4] if subject_start else None
    in_full = authorities.named_in_full(text) if authority else set()
    for sentence, found in _graded_sentences(text, subject_year):
        if authority and _names_only_others(sentence, authority, in_full):
            continue
        readings.extend(found)
    return readings


def _graded_sentences(text: str, subject_year: str | None) -> list[tuple[str, list[Reading]]]:
    """Each sentence that grades the document's own inspection, with its readings."""
    out: list[tuple[str, list[Reading]]] = []
    # A school's or a children's home's grade, in an article that names the council, is not
    # the council's.
    for sentence, subject in zip(*sentences_about(text)):
        if subject == "provider":
            continue
        if any(not subject_year or m.group("year") < subject_year for pattern in (GRADED_IN_YEAR, _RATING_IN_YEAR) for m in pattern.finditer(sentence)):
            continue  # "Ofsted judged our services good in 2022, with ...": that year's inspection
        found = _labelled(sentence, subject_year)
        for whole in _WHOLE_GRADED.finditer(sentence):
            group = next(g for g, found in whole.groupdict().items() if found)
            if _FOR_ONE_JUDGEMENT.match(sentence, whole.end(group)):
                continue  # "children's services rated outstanding for leadership": that judgement's grade
            if _one_judgement_named(sentence, whole.start(), whole.start(group)):
                continue  # "services for children in care were judged ...": that judgement's grade
            if not _of_an_earlier_inspection(sentence, whole.start(), whole.start(group), whole.end(group), subject_year):
                found.append(Reading("overall", canonical(whole.group(group)), whole.group(0).strip(), "children's services", 1, "summary"))
        if found:
            out.append((sentence, found))
    return out


def _one_judgement_named(sentence: str, start: int, grade_start: int) -> bool:
    """Whether the words from the clause's opening to the grade name one judgement
    ("the council's leadership of children's services", "services for children in care"):
    the grade is that judgement's, not the whole service's."""
    clause_start = max(sentence.rfind(",", 0, start), sentence.rfind(";", 0, start), sentence.rfind(":", 0, start)) + 1
    return any(_LABELS[int(next(k for k, v in m.groupdict().items() if v)[1:])][1] != "overall"
               for m in _LABEL_RE.finditer(sentence, clause_start, grade_start))


def graded_council(text: str, candidates: list[str], subject_start: str | None = None) -> str | None:
    """Of the councils a story or paper names (a shared service's: Achieving for Children runs
    Kingston's and Richmond's children's services), the one its grades are given to, when every
    sentence that grades the inspection and names one of them names that one alone."""
    named: set[str] = set()
    in_full = authorities.named_in_full(text)
    for sentence, _ in _graded_sentences(text, subject_start[:4] if subject_start else None):
        here = {slug for slug, _ in authorities.find_in_text(sentence, in_full)} & set(candidates)
        if len(here) > 1:
            return None  # "Kingston and Richmond were both rated good": no one council's
        named |= here
    return next(iter(named)) if len(named) == 1 else None


def _names_only_others(sentence: str, authority: str, in_full: set[str]) -> bool:
    named = {slug for slug, _ in authorities.find_in_text(sentence, in_full)}
    return bool(named) and authority not in named


def _labelled(sentence: str, subject_year: str | None) -> list[Reading]:
    readings: list[Reading] = []
    labels = [(m.start(), m.end(), int(next(k for k, v in m.groupdict().items() if v)[1:]), m.group(0)) for m in _LABEL_RE.finditer(sentence)]
    if not labels:
        return readings
    grades = []
    for m in _RATED_GRADE.finditer(sentence):
        group = next(g for g in ("g1", "g2", "g3", "g4") if m.group(g))
        grades.append((m.start(), canonical(m.group(group)), m.group(0), m.end(), group))
    if not grades:
        return readings
    for start, end, index, label in labels:
        key = _LABELS[index][1]
        following = [g for g in grades if g[0] >= end - 1 and (g[4] != "g4" or _JUDGING_VERB.search(sentence[:start]))]
        if index in _SHORT_LABELS:
            if not _SHORT_OPENS.search(sentence[:start]):
                continue
            if _as_were(sentence, grades, start):
                grade = [g for g in grades if g[0] < start][-1]  # "..., as were ..., of children in care, and of care leavers"
            elif not following or not _SHORT_GAP.match(sentence[end: following[0][0]]) or following[0][4] == "g2":
                continue
            else:
                grade = following[0]
        elif not following or _as_were(sentence, grades, start):
            # "... was rated 'good' for leadership", "..., as were the impact of leaders and
            # ...": the grade comes first.
            preceding = [g for g in grades if g[0] < start and (start - g[0] < 60 or _as_were(sentence, [g], start))]
            if not preceding:
                continue
            grade = preceding[-1]
        else:
            grade = following[0]
            between = sentence[end: grade[0]]
            if len(between) > 160 or re.search(r"\b(?:said|because|although|which|that)\b", between):
                continue
        if _of_an_earlier_inspection(sentence, start, grade[0], grade[3], subject_year):
            continue
        readings.append(Reading(key, grade[1], grade[2].strip(), label, 1, "summary"))
    return readings


_AS_WERE = re.compile(r"^[^.;:]*?,?\s+as (?:was|were|is|are|did)\b[^.;:]*$", re.IGNORECASE)


def _as_were(sentence: str, grades: list[tuple], start: int) -> bool:
    """Whether the label sits in an "as were ..." clause after the grade before it."""
    before = [g for g in grades if g[0] < start]
    return bool(before) and bool(_AS_WERE.match(sentence[before[-1][3]:start]))


def framework_from_calendar(facts: InspectionFacts, text: str) -> None:
    """A news article or council paper that reports a graded inspection of children's services
    without naming its framework ("rated outstanding after inspectors visited between 2 and 6
    October 2023") reports the full inspection in force at its fieldwork, when every judgement
    it gives is one that framework had, on its scale. A story's own date stands for a report
    published that month or the month before: where the calendar had two frameworks in force
    then (SIF and ILACS reports both published in 2018) it is either, unless a grade only one
    of them gave says which."""
    when = facts.start or facts.report_published or facts.published
    if not (facts.start or facts.report_published) and when and len(when) >= 7:
        when = f"{_month_before(when[:7])}/{when[:7]}"
    if not when or not facts.judgements or not AUTHORITY_SERVICES.search(text):
        return  # graded, but nothing says it was children's services
    keys = set(facts.judgements)
    # Which services the document says were inspected tells a CPI from a LAC inspection (2012-13).
    framework = framework_by_services(when, text, safeguarding="help_and_protection" in keys, looked_after="children_in_care" in keys)
    # Fieldwork in early 2018: a SIF re-inspection or an ILACS, unless a grade only one had says which.
    span = dates.days_between(facts.start, facts.end) if facts.start and facts.end else None
    framework = calendar.settle(framework, set(facts.judgements), when, span, grades={j.grade for j in facts.judgements.values()})
    found = dict(facts.judgements)
    target = calendar.WHOLE_INSPECTION.get(framework)
    if target and "overall" in found and target not in found:
        # A LAC or CPI inspection's overall effectiveness is its one service's judgement.
        found = {(target if k == "overall" else k): j for k, j in found.items()}
        keys = set(found)
    if all(calendar.allowed_judgement(framework, key, when) and calendar.on_scale(framework, j.grade) for key, j in found.items()):
        for key, judgement in found.items():
            judgement.key = key
        facts.judgements = found
        facts.framework = framework
        facts.evidence["framework"] = {"from": "the calendar", "text": f"graded {', '.join(sorted(keys))} at {when}"}
        if framework == "ilacs" and facts.start and facts.end:
            span = dates.days_between(facts.start, facts.end)
            facts.type = "short" if span is not None and span <= 7 else "standard"


def _month_before(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


# When Ofsted published the report, as a story or council paper states it: "Ofsted published its
# report on 8 April 2022", "the report, published on 8 April, ...", "published by Ofsted on ...".
# Not "This report was published" (the paper's own), the council's response, an annual report.
_ON_DAY = rf"on\s+(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?(?P<d>{DAY})\s+(?P<m>{MONTH})(?:,?\s+(?P<y>{YEAR}))?\b"
_OFSTED_PUBLISHED = [re.compile(pattern + _ON_DAY, re.IGNORECASE) for pattern in (
    r"\bOfsted\s+(?:has\s+|then\s+)?published\s+(?:its|the|their)\s+(?:(?:full|final|inspection|ILACS|SIF)\s+)*report(?:\s+(?!on\b)[\w']+){0,6}?\s+",
    r"\b(?:the|Ofsted's|its)\s+(?:(?:full|final|inspection|Ofsted|ILACS|SIF|inspectors')\s+)*report(?:\s+(?:on|into|of)\s+[^,.;]{1,60}?)?,?\s+(?:which\s+)?(?:was\s+)?published\s+(?:by\s+Ofsted\s+)?",
    r"\bpublished\s+by\s+Ofsted\s+",
)]


def ofsted_publication(text: str, own_date: str | None) -> tuple[str, str] | None:
    """The day the text says Ofsted published the report, and the words: a day without a year
    is the latest such day not after the document's own date; a day after it is not Ofsted's."""
    if "published" not in text.lower():
        return None
    flat = " ".join(text.replace("\u2019", "'").split())
    for match in sorted((m for pattern in _OFSTED_PUBLISHED for m in pattern.finditer(flat)), key=lambda m: m.start()):
        year = match.group("y") or (own_date or "")[:4]
        iso = dates.parse_date(f"{match.group('d')} {match.group('m')} {year}") if year else None
        if iso and not match.group("y") and own_date and iso > own_date:
            iso = dates.parse_date(f"{match.group('d')} {match.group('m')} {int(year) - 1}")
        if iso and (not own_date or iso <= own_date):
            return iso, match.group(0)
    return None
