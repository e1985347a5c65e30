"""Earlier inspections a document refers to: "the previous inspection in December 2009 ...".

A report's "Previous Ofsted inspections" paragraph, a letter's "since the last inspection in
2018, when overall effectiveness was judged to be good", a news article's "since the last
Ofsted inspection in 2014": each becomes a ``mentioned`` InspectionFacts with what the
sentence says (framework, month or year, grades). The framework comes from the sentence's
words when it names one, otherwise from which framework was in force at that date.
"""

from __future__ import annotations

import re

from ofstl.models import InspectionFacts, Item, Judgement
from ofstl.parse.dates import MONTH, YEAR, _month
from ofstl.parse.grades import GRADE_PHRASE, canonical

_WHEN = rf"(?:(?P<month>{MONTH})\s+)?(?P<year>{YEAR})"
_MENTION = re.compile(
    r"(?P<lead>(?:(?:previous|last|earlier|most recent)\s+|(?<=since the )|(?<=at the )|(?<=following the ))"
    r"(?:(?:full|standard|ofsted|ilacs|unannounced|joint)\s+)*"
    r"(?:inspection|inspections|joint area review|review)\b(?:\s+of\s+(?P<what>[^.;]{0,140}?))?)"
    rf"\s*,?\s+(?:was\s+|were\s+|took place\s+|carried out\s+)?(?:in|on|during|of)\s+{_WHEN}",
    re.IGNORECASE,
)
_SPECIAL_JAR = re.compile(rf"(?P<lead>(?:special\s+)?joint area review)[^.]{{0,80}}?(?:carried out\s+)?in\s+{_WHEN}", re.IGNORECASE)
_JAR_BEFORE = re.compile(rf"{_WHEN}\s+(?P<lead>(?:special\s+)?joint area review)", re.IGNORECASE)

_GRADE = r"(" + GRADE_PHRASE + r")"
_JUDGED = re.compile(r"(?:judged|rated|found)\s+(?:[a-z' ]{0,40}?\s+)?(?:to be\s+|as\s+|to\s+)?" + _GRADE + r"|was\s+" + _GRADE, re.IGNORECASE)
_OVERALL_JUDGED = re.compile(r"overall effectiveness (?:was|were) (?:judged |rated )?(?:to be |as )?" + _GRADE + r"|judged (?:as |to be )?" + _GRADE + r" overall", re.IGNORECASE)
_HP_RI = re.compile(r"children (?:in need of|who need) help and protection (?:required|were judged to require|was judged to require) improvement", re.IGNORECASE)


def _framework_for(what: str, lead: str, when: str, subject_framework: str | None) -> str:
    words = f"{lead} {what}".lower()
    if "contact, referral" in words or "unannounced" in words:
        return "cra"
    if "joint area review" in words:
        return "jar"
    if "ilacs" in words or "local authority children" in words:
        return "ilacs"
    if "protection of children" in words:
        return "cpi"
    if "children in need of help and protection" in words:
        return "sif"
    year = int(when[:4])
    month = int(when[5:7]) if len(when) >= 7 else None
    if "looked after" in words or "safeguarding" in words:
        if when < "2012-06":
            return "slac"
        return "lac" if "looked after" in words and when < "2013-11" else ("cpi" if when < "2013-11" else "sif")
    if year >= 2018:
        return "ilacs"
    if year >= 2014 or (year == 2013 and (month is None or month >= 11)):
        # Before an ILACS or a SIF, the previous full inspection in 2013 was a SIF or CPI.
        if year == 2013 and month is None and subject_framework not in {"ilacs", "focused-visit", "monitoring-visit"}:
            return "cpi"
        return "sif"
    if year >= 2012 and (year > 2012 or (month or 6) >= 6):
        return "cpi"
    if year >= 2009:
        return "slac"
    return "jar"


def _sentence_around(text: str, start: int, end: int) -> str:
    left = text.rfind(". ", 0, start)
    right_match = re.search(r"\.\s", text[end:])
    right = end + right_match.start() if right_match else len(text)
    following = re.search(r"\.\s", text[right + 1:])
    right2 = right + 1 + following.start() if following else len(text)
    return text[left + 2 if left >= 0 else 0: right2]


def find_mentions(pages_text: list[tuple[int, str]], subject_framework: str | None, subject_start: str | None) -> list[InspectionFacts]:
    """Mentioned inspections, one per (framework, date), earliest page first."""
    found: dict[tuple[str, str], InspectionFacts] = {}
    for page_number, raw in pages_text:
        # Paragraph by paragraph, so a weakness raised again is its whole bullet or paragraph.
        for paragraph in re.split(r"(?<=[.:?!])[ \t]*\n\s*\n|\n(?=[ \t]*[-•◼*\uf0b7\uf06e]\s)", raw):
            text = " ".join(paragraph.replace("’", "'").split())
            _scan(text, page_number, found, subject_framework, subject_start)
    return sorted(found.values(), key=lambda f: f.start or "")


_RAISED = re.compile(
    r"areas? (?:for|of) (?:development|improvement|priority action)|identified (?:for|as) (?:development|improvement|an area)"
    r"|recommendations? (?:made|from|at)|with the exception of",
    re.IGNORECASE,
)


def _read_weakness(facts: InspectionFacts, text: str, page: int) -> None:
    """A weakness the later document says the earlier inspection raised ("This was an area
    for development at the previous inspection in July 2010")."""
    sentence = text.strip().lstrip("-•◼*\uf0b7\uf06e ").strip()
    if not _RAISED.search(sentence) or len(sentence) > 800:
        return
    if all(item.text != sentence for item in facts.weaknesses):
        facts.weaknesses.append(Item(text=sentence[:600], section="Raised again by a later document", page=page))


_PROVIDER = re.compile(
    r"adoption (?:service|agency)|fostering (?:service|agency)|children.s homes?|\bhomes?\b|residential|secure (?:unit|children)"
    r"|\bschools?\b|nursery|youth offending|probation|\bpolice\b|health (?:services|trust)|cafcass|\bCQC\b",
    re.IGNORECASE,
)
_PRONOUN = re.compile(r"(?:One|It|This|These|They|Each|Both|All)\b")


def _about_a_provider(text: str, start: int, end: int) -> bool:
    """Whether the sentence reports another provider's inspection (a children's home, the
    adoption agency) rather than one of the authority's children's services."""
    sentence_start = text.rfind(". ", 0, start) + 2 if text.rfind(". ", 0, start) >= 0 else 0
    context = text[sentence_start:end]
    if _PRONOUN.match(context) and sentence_start >= 2:
        previous = text.rfind(". ", 0, sentence_start - 2)
        context = text[previous + 2 if previous >= 0 else 0:end]
    return bool(_PROVIDER.search(context))


def _scan(text: str, page: int, found: dict[tuple[str, str], InspectionFacts], subject_framework: str | None, subject_start: str | None) -> None:
    for match in list(_MENTION.finditer(text)) + list(_SPECIAL_JAR.finditer(text)) + list(_JAR_BEFORE.finditer(text)):
        month, year = match.group("month"), match.group("year")
        when = f"{year}-{_month(month):02d}" if month else year
        if subject_start and when >= subject_start[: len(when)]:
            continue  # not earlier than the document's own inspection
        if _about_a_provider(text, match.start(), match.end()):
            continue  # a children's home, fostering or adoption agency: not the authority's inspection
        lead = match.groupdict().get("lead") or match.group(0)
        what = match.groupdict().get("what") or ""
        framework = _framework_for(what, lead, when, subject_framework)
        facts = found.get((framework, when))
        if facts is None:
            facts = InspectionFacts(role="mentioned", framework=framework, start=when)
            facts.evidence["start"] = {"page": page, "text": match.group(0)[:200]}
            found[(framework, when)] = facts
        _read_grades(facts, _sentence_around(text, match.start(), match.end()), what, framework, page)
        _read_weakness(facts, text, page)


def _read_grades(facts: InspectionFacts, sentence: str, what: str, framework: str, page: int) -> None:
    what = what.lower()
    overall = _OVERALL_JUDGED.search(sentence)
    if overall:
        grade = canonical(next(g for g in overall.groups() if g))
        facts.judgements.setdefault("overall", Judgement("overall", grade, grade, "overall effectiveness", page, "mention"))
    if _HP_RI.search(sentence):
        facts.judgements.setdefault("help_and_protection", Judgement("help_and_protection", "requires improvement", "required improvement", "help and protection", page, "mention"))
    if overall:
        return
    judged = _JUDGED.search(sentence)
    if not judged:
        return
    grade = canonical(next(g for g in judged.groups() if g))
    if framework in {"slac", "lac"} and "looked after" in what:
        key = "children_in_care"
    elif framework in {"slac", "cpi"} and "safeguarding" in what:
        key = "help_and_protection"
    elif framework == "jar" or "safeguarding" in sentence.lower()[: judged.start()][-60:]:
        key = "help_and_protection"
    else:
        key = _named_judgement(sentence[: judged.start()][-90:]) or "overall"
    facts.judgements.setdefault(key, Judgement(key, grade, judged.group(0), what or "overall", page, "mention"))


_NAMED = [
    (re.compile(r"help and protection", re.I), "help_and_protection"),
    (re.compile(r"care leavers", re.I), "care_leavers"),
    (re.compile(r"children in care|looked after", re.I), "children_in_care"),
    (re.compile(r"\bleaders|leadership", re.I), "leadership"),
    (re.compile(r"adoption", re.I), "adoption"),
]


def _named_judgement(before: str) -> str | None:
    """The judgement a clause names just before its grade ("when help and protection were
    judged to require improvement"); the first one the clause names wins ("looked after
    children and care leavers outcomes" is the children in care judgement)."""
    clause_start = max(before.rfind(","), before.rfind(";"), before.rfind(":")) + 1
    before = before[clause_start:]
    best: tuple[int, str] | None = None
    for pattern, key in _NAMED:
        for match in pattern.finditer(before):
            if best is None or match.start() < best[0]:
                best = (match.start(), key)
    if best is None or re.search(r"overall|services (?:were|was)", before[best[0]:], re.I):
        return None
    return best[1]


__all__ = ["find_mentions"]
