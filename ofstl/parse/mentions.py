"""Earlier inspections a document refers to: "the previous inspection in December 2009 ...".

A report's "Previous Ofsted inspections" paragraph, a letter's "since the last inspection in
2018, when overall effectiveness was judged to be good", a news article's "since the last
Ofsted inspection in 2014": each becomes a ``mentioned`` InspectionFacts with what the
sentence says (framework, month or year, grades). What a mention may say is bounded by the
framework calendar (``ofstl.parse.calendar``):

- the framework is the one the words name only when it was in force at that date, else the
  one the calendar gives (a safeguarding and a looked after children mention of one month
  before the SIF are the two blocks of one SLAC);
- a grade is read only from the words about that inspection (its sentence, between the
  mentions of others, nearest first), never from the present tense or change since ("is
  now", "has improved to"), only for a judgement its framework had, on its own scale;
- a list of years ("in 2012 and 2011") and another provider's inspection are no mention.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ofstl.models import InspectionFacts, Judgement
from ofstl.parse.dates import MONTH, WHEN, YEAR, month_number, season_span
from ofstl.parse import calendar
from ofstl.parse.frameworks import framework_by_services
from ofstl.parse.grades import GRADE_PHRASE, canonical
from ofstl.parse.raised import read_raised_weakness

_MENTION = re.compile(
    r"(?P<lead>(?:(?:previous|last|earlier|most recent|prior)\s+|(?<=since the )|(?<=at the )|(?<=following the )|(?<=\bThe )(?=inspection of\b)"
    r"|(?:(?<=\bits )|(?<=\bour )|(?<=\btheir ))(?=(?:ofsted|ilacs|sif|full|standard|short|graded)\s))"
    r"(?:(?:full|standard|short|ofsted|ilacs|sif|unannounced|joint|targeted area|single|graded)\s+)*"
    r"(?:re-?inspection|inspection|inspections|joint area review|review|annual performance assessment|annual (?:children's services )?(?:rating|assessment)|(?:focused|monitoring) visit)\b(?:\s+of\s+(?P<what>[^.;]{0,140}?))?)"
    rf"(?:\s*,?\s+(?:was\s+|were\s+|took place\s+|carried out\s+)?(?:in|on|during|of)\s+|\s*\((?:in\s+)?){WHEN}",
    re.IGNORECASE,
)
# "when the local authority was last inspected in 2019", "the 2019 inspection", "since the
# local authority was judged inadequate in May 2022".
_INSPECTED = re.compile(rf"(?P<lead>\b(?:last|previously|was|were|been) inspected)\s+(?:by ofsted\s+|(?:the|its|their)\s+(?:[\w']+\s+){{0,3}}?services\s+|the (?:council|local authority|authority)\s+)?(?:in|on|during)\s+{WHEN}", re.IGNORECASE)
_YEAR_FIRST = re.compile(
    rf"\b(?:the|its|their)\s+{WHEN}\s+(?P<lead>(?:(?:ofsted|ilacs|sif|standard|short|full)\s+)*(?:re-?)?inspection)\b(?!\s+of\s+(?:a|an|the|its)\s+\w+\s+(?:home|school|agency|service))",
    re.IGNORECASE)
_JUDGED_IN = re.compile(
    rf"(?:local authority|council|\bit|services)\s+(?P<lead>(?:was|were)\s+(?:last\s+)?(?:judged|rated)(?:\s+to\s+be|\s+as)?\s+(?:{GRADE_PHRASE}|to require improvement(?: to be good)?))"
    rf"\s+(?:in|at (?:its|the|their) (?:last |previous )?inspection in)\s+{WHEN}", re.IGNORECASE)
# "Ofsted judged our children's services good in 2022", "children's services in Torbay were
# judged inadequate in 2018", "since being judged inadequate in 2018": a grade given in a
# named year is that year's inspection (whoever the sentence says gave it).
_GRADED_IN = re.compile(
    rf"(?P<lead>\b(?:judged|rated|graded)\s+(?:[\w' ]{{0,60}}?\s+)??(?:to be\s+|as\s+)?(?:{GRADE_PHRASE}|to require improvement(?: to be good)?)(?:\s+overall)?)"
    rf"(?:\s+by ofsted)?\s+in\s+{WHEN}\b", re.IGNORECASE)
_SPECIAL_JAR = re.compile(rf"(?P<lead>(?:special\s+)?joint area review)[^.]{{0,80}}?(?:carried out\s+)?in\s+{WHEN}", re.IGNORECASE)
_JAR_BEFORE = re.compile(rf"{WHEN}\s+(?P<lead>(?:special\s+)?joint area review)", re.IGNORECASE)

_GRADE = r"(" + GRADE_PHRASE + r")"
_JUDGED = re.compile(r"(?:judged|judging|rated|found)\s+(?:[a-z' ]{0,60}?\s+)??(?:to be\s+|as\s+|to\s+)?" + _GRADE + r"|was\s+" + _GRADE
                     + r"|\b(?:an?)\s+'?" + _GRADE + r"'?\s+(?:judge?ment|rating|grade)\b", re.IGNORECASE)
_OVERALL_JUDGED = re.compile(r"overall (?:effectiveness|judge?ment) (?:was|were) (?:judged |rated |found )?(?:to be |as )?" + _GRADE + r"|judged (?:as |to be )?" + _GRADE + r" overall"
                             + r"|overall (?:judge?ment|rating|grade|effectiveness) of '?" + _GRADE, re.IGNORECASE)
# "In March 2022 Ofsted judged the council's children's services to be good."
_WHEN_FIRST = re.compile(rf"\bIn\s+{WHEN},?\s+(?P<lead>Ofsted\s+(?:judged|rated|graded|inspected|found))\b", re.IGNORECASE)
_HP_RI = re.compile(r"children (?:in need of|who need) help and protection (?:required|were judged to require|was judged to require) improvement", re.IGNORECASE)


def _framework_for(what: str, lead: str, when: str, subject_framework: str | None, context: str = "") -> str:
    """The framework the words name, if it was in force at ``when``; else the calendar's
    (``context``, the words after the mention, tells a SLAC's blocks from a CPI or LAC)."""
    words = f"{lead} {what}".lower()
    named: str | None = None
    if "contact, referral" in words or "unannounced" in words:
        named = "cra"
    elif "annual performance assessment" in words:
        named = "apa"
    elif re.search(r"annual (?:children's services )?(?:rating|assessment)", words):
        named = "annual-rating"
    elif "focused visit" in words:
        named = "focused-visit"
    elif "monitoring visit" in words:
        named = "monitoring-visit"
    elif "targeted area" in words:
        named = "jtai"
    elif "joint area review" in words:
        named = "jar"
    elif "single inspection" in words or re.search(r"\bsif\b", words) or "children in need of help and protection" in words:
        named = "sif"
    elif "ilacs" in words or "local authority children" in words:
        named = "ilacs"
    elif "protection of children" in words or "child protection" in words:
        named = "cpi"
    elif re.search(r"safeguarding and looked after children", words):
        named = "slac"  # the SLAC's own name (a JAR judged both services too)
    if named and calendar.in_force(named, when):
        return named
    # "in 2018": a SIF or an ILACS; "in 2012": a SLAC or a CPI; "in 2013": a CPI, a LAC inspection or a SIF (words or grades may tell)
    return framework_by_services(when, f"{words} {context}")


def _framework_named(what: str, lead: str, context: str) -> bool:
    """Whether the words say which framework (or which SLAC block) a mention is of."""
    words = f"{lead} {what} {context[:160]}".lower()
    return bool(re.search(r"contact, referral|unannounced|joint area review|annual performance|annual (?:children's services )?(?:rating|assessment)"
                          r"|focused visit|monitoring visit|targeted area|single inspection|\bsif\b|ilacs|re-?inspection|help and protection|protection of children"
                          r"|child protection|safeguarding|looked after|children in care", words))


def find_mentions(pages_text: list[tuple[int, str]], subject_framework: str | None, subject_start: str | None) -> list[InspectionFacts]:
    """Mentioned inspections, one per inspection, earliest first."""
    found: dict[tuple[str, str], InspectionFacts] = {}
    for page_number, raw in pages_text:
        # Paragraph by paragraph, so a weakness raised again is its whole bullet or paragraph.
        for paragraph in re.split(r"(?<=[.:?!])[ \t]*\n\s*\n|\n(?=[ \t]*[-•◼*\uf0b7\uf06e]\s)", raw):
            text = " ".join(paragraph.replace("’", "'").split())
            _scan(text, page_number, found, subject_framework, subject_start)
    return _fold(found, subject_framework)


def _absorb(into: InspectionFacts, other: InspectionFacts) -> None:
    for key, judgement in calendar.rekeyed(other.judgements, other.framework, into.framework).items():
        into.judgements.setdefault(key, replace(judgement, key=key))
    for item in other.weaknesses:
        if all(item.text != mine.text for mine in into.weaknesses):
            into.weaknesses.append(item)


def _fold(found: dict[tuple[str, str], InspectionFacts], subject_framework: str | None = None) -> list[InspectionFacts]:
    """One InspectionFacts per inspection: a safeguarding and a looked after children
    mention of the same month before the SIF are the two blocks of one SLAC, and "2013"
    beside "November 2013" of the same framework is the same inspection."""
    facts = sorted(found.values(), key=lambda f: (-(len(f.start or "")), f.start or "", f.framework))
    kept: list[InspectionFacts] = []
    for item in facts:
        when = item.start or ""
        home = None
        fits: tuple[list[InspectionFacts], ...] = ([], [], [])  # by the rules below, in their order
        for other in kept:
            if (item.start_within or other.start_within) and not calendar.overlap(item.start_within or when, other.start_within or other.start or when):
                continue  # "autumn 2019" beside "March 2019": two inspections
            same_block_pair = {item.framework, other.framework} <= {"slac", "cpi", "lac"} and other.start == when and when < "2013-11"
            if same_block_pair and item.framework != other.framework and calendar.in_force("slac", when):
                other.framework = "slac"
                home = other
                break
            if other.framework == item.framework and len(when) == 4 and (other.start or "").startswith(when):
                fits[0].append(other)
            undecided = calendar.UNDECIDED.get(item.framework, ())
            if other.framework in undecided and when and (other.start or "").startswith(when) and _same_grades(item, other):
                fits[1].append(other)  # "inspected in 2018" beside "the ILACS in April 2018" of the same grades
            guessed = item.evidence.get("framework", {}).get("from") == "the calendar"
            if guessed and len(when) == 4 and len(other.start or "") > 4 and (other.start or "").startswith(when) \
                    and calendar.older_era(item.framework) and calendar.older_era(other.framework):
                fits[2].append(other)  # "the last inspection in 2012" beside "the CPI in September 2012"
        # The one it fits by the first rule any fits; "2019" beside "May 2019" and "November
        # 2019" could be either, and stays a mention of its own (``ofstl.clustering`` places it).
        closest = next((found for found in fits if found), [])
        home = home or (closest[0] if len(closest) == 1 else None)
        if home is None:
            kept.append(item)
        else:
            _absorb(home, item)
    for item in kept:
        settled = calendar.settle(item.framework, set(item.judgements), item.start, grades={j.grade for j in item.judgements.values()})
        # Before an ILACS or a visit, a 2013 inspection its grades allow to be a SIF was the SIF (every council had one by 2018).
        settled = "sif" if subject_framework in {"ilacs", "focused-visit", "monitoring-visit", "jtai", "send"} and "sif" in calendar.UNDECIDED.get(settled, ()) and "ilacs" not in calendar.UNDECIDED[settled] else settled
        item.judgements = {key: replace(j, key=key) for key, j in calendar.rekeyed(item.judgements, item.framework, settled).items()}
        item.framework = settled
        item.judgements = {k: j for k, j in item.judgements.items() if calendar.allowed_judgement(item.framework, k, item.start)}
    return sorted(kept, key=lambda f: f.start or "")


def _same_grades(item: InspectionFacts, other: InspectionFacts) -> bool:
    """No judgement the two give differently (an open inspection's whole grade as the other's own)."""
    return all(other.judgements[k].grade == j.grade for k, j in calendar.rekeyed(item.judgements, item.framework, other.framework).items() if k in other.judgements)


_PROVIDER = re.compile(
    r"adoption (?:service|agency)|fostering (?:service|agency)|children.s homes?|\bhomes?\b|residential|secure (?:unit|children)"
    r"|\bschools?\b|\bpupils?\b|nursery|youth offending|probation|\bpolice\b|health (?:services|trust)|cafcass|\bCQC\b",
    re.IGNORECASE,
)
_PROVIDER_AFTER = re.compile(
    r"^\s*(?:of|at|into)\s+(?:the\s+)?(?:council's\s+|local authority's\s+|its\s+)?(?:[\w']+\s+){0,3}?"
    r"(?:adoption (?:service|agency)|fostering (?:service|agency)|children.s homes?|residential|secure (?:unit|children)|schools?|youth offending)",
    re.IGNORECASE)
_PRONOUN = re.compile(r"(?:One|It|This|These|They|Each|Both|All)\b")


def _about_a_provider(text: str, start: int, end: int) -> bool:
    """Whether the sentence reports another provider's inspection (a children's home, the
    adoption agency) rather than one of the authority's children's services."""
    sentence_start = text.rfind(". ", 0, start) + 2 if text.rfind(". ", 0, start) >= 0 else 0
    after = re.match(r"[^,;.]{0,80}", text[end:])
    if after and _PROVIDER_AFTER.search(after.group(0)):
        return True  # "the previous inspection in 2016 of the council's adoption agency"
    context = text[sentence_start:end]
    if _PRONOUN.match(context) and sentence_start >= 2:
        previous = text.rfind(". ", 0, sentence_start - 2)
        context = text[previous + 2 if previous >= 0 else 0:end]
    return bool(_PROVIDER.search(context))


_YEAR_LIST = re.compile(rf"\s*(?:,|and|or|to|-|–|/)\s*(?:{MONTH}\s+)?{YEAR}\b|'\d\d\b|[-–/]\d\d\b(?![-/]\d)", re.IGNORECASE)
_YEAR_BEFORE = re.compile(rf"{YEAR}\s*(?:,|and|or|-|–|/)\s*$")


def _a_list_of_years(text: str, match: re.Match[str]) -> bool:
    """"services in 2012 and 2011", "inspections in 2010, 2011 and 2012", a financial or school
    year ("in 2018/19", "2018-19"): no one inspection, nor one year."""
    year_start = next((match.start(g) for g in ("month", "season", "mnum") if match.group(g)), match.start("year"))
    return bool(_YEAR_LIST.match(text, match.end()) or _YEAR_BEFORE.search(text[max(0, year_start - 12):year_start]))


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = text.rfind(". ", 0, start)
    right = re.search(r"\.(?:\s|$)", text[end:])
    return (left + 2 if left >= 0 else 0), (end + right.start() if right else len(text))


_FOLLOW_ON = re.compile(r"(?:It|This|That inspection|At that (?:time|inspection)|Then|Services were|The local authority was|For (?:looked after children|children looked after|safeguarding)|Safeguarding services|Services for looked after children)\b", re.IGNORECASE)
_OTHER_BLOCK = re.compile(r"For (?:looked after children|children looked after|safeguarding)|Safeguarding services|Services for looked after children", re.IGNORECASE)
_OTHER_NOUN = re.compile(r"\breview\b", re.IGNORECASE)

_PATTERNS = (_MENTION, _SPECIAL_JAR, _JAR_BEFORE, _INSPECTED, _YEAR_FIRST, _JUDGED_IN, _GRADED_IN, _WHEN_FIRST)
_JAR_PATTERNS = (_SPECIAL_JAR, _JAR_BEFORE)


def _scan(text: str, page: int, found: dict[tuple[str, str], InspectionFacts], subject_framework: str | None, subject_start: str | None) -> None:
    # The joint area review patterns need their own words; without them (nearly every page)
    # they are skipped, the costliest of the scan (one opens with a date, tried everywhere).
    jar = "joint area review" in text.lower()
    patterns = [pattern for pattern in _PATTERNS if jar or pattern not in _JAR_PATTERNS]  # in this order: it settles ties
    found_matches = [m for pattern in patterns for m in pattern.finditer(text)]
    matches: list[re.Match[str]] = []
    for m in sorted(found_matches, key=lambda m: (m.start(), -m.end())):
        if not any(m.start() < kept.end() and kept.start() < m.end() for kept in matches):
            matches.append(m)  # one reading of each stretch of words
    for index, match in enumerate(matches):
        month, year, season, number = (match.group(g) for g in ("month", "year", "season", "mnum"))
        when = f"{year}-{month_number(month):02d}" if month else f"{year}-{int(number):02d}" if number else year
        calendar_when = season_span(season, year) if season else when  # a season is dated by its year; its months decide the framework
        if subject_start and when >= subject_start[: len(when)]:
            continue  # not earlier than the document's own inspection
        if _a_list_of_years(text, match):
            continue
        if _about_a_provider(text, match.start(), match.end()):
            continue  # a children's home, fostering or adoption agency: not the authority's inspection
        lead = match.groupdict().get("lead") or match.group(0)
        what = match.groupdict().get("what") or ""
        if _OTHER_NOUN.search(lead) and "joint area" not in lead.lower() and not re.search(r"safeguarding|lscb|children.s services", what, re.IGNORECASE):
            continue  # "the last review of the workforce strategy": no inspection
        # The words that speak of this inspection: its sentence, between the mentions of others.
        low, high = _sentence_bounds(text, match.start(), match.end())
        sentence_start = low
        if index > 0 and matches[index - 1].end() > low and matches[index - 1].end() <= match.start():
            low = matches[index - 1].end()
        if index + 1 < len(matches) and matches[index + 1].start() < high and matches[index + 1].start() >= match.end():
            high = matches[index + 1].start()
        window = text[low:high]
        framework = _framework_for(what, lead, calendar_when, subject_framework, text[match.start():high])
        # No ILACS is a re-inspection: a SIF's (2014-18); in 2012 a SLAC's (the CPI's came in 2013).
        named_again = bool(re.search(r"\bre-?inspection", lead, re.IGNORECASE))
        framework = calendar.reinspected(framework, when) if named_again else framework
        reinspection = named_again and framework == "sif"
        facts = found.get((framework, calendar_when))  # "spring 2019" and "autumn 2019": two
        if facts is None:
            facts = InspectionFacts(role="mentioned", framework=framework, start=when, start_within=calendar_when if season else None)
            facts.evidence["start"] = {"page": page, "text": match.group(0)[:200]}
            found[(framework, calendar_when)] = facts
        facts.type = "reinspection" if reinspection else facts.type
        if not _framework_named(what, lead, text[match.start():high]):
            facts.evidence.setdefault("framework", {"page": page, "from": "the calendar"})
        else:
            facts.evidence["framework"] = {"page": page, "from": "the words"}
        before = len(facts.judgements)
        # Words before this mention speak of it only when no other mention precedes it.
        _read_grades(facts, window, what, framework, page, anchor=match.end() - low, look_back=low == sentence_start)
        if high < len(text):
            following = text[high + 1:].lstrip()
            if _FOLLOW_ON.match(following) and (len(facts.judgements) == before or _OTHER_BLOCK.match(following)):
                _read_grades(facts, following[: _sentence_bounds(following, 0, 0)[1]], what, framework, page)
        read_raised_weakness(facts, text, page)


_BLOCK_JUDGED = re.compile(
    r"overall effectiveness of (?:the )?(?:services? for |the )?(?P<block>looked after children|children looked after|safeguarding)[^.;]{0,40}?"
    r"\s(?:to be|as|was|were)\s+" + _GRADE, re.IGNORECASE)
# Present tense and change since: "is now inadequate", "has improved to good", "remains".
_NOT_THEN = re.compile(
    r"\b(?:now|currently|remains?|remained|continues? to|this (?:inspection|visit)|has (?:since )?(?:improved|declined|deteriorated|moved|fallen|risen|become)"
    r"|have (?:since )?(?:improved|declined|deteriorated|become)|improved to|declined to|(?:is|are) (?:judged|rated|found|assessed))\b"
    r"|\b(?:is|are)\s+(?:" + GRADE_PHRASE + r")", re.IGNORECASE)


def _then(sentence: str, start: int, matched: str) -> bool:
    """Whether a grade at ``start`` speaks of the earlier inspection, not of today: its own
    words and its clause before it must not be in the present tense or describe change."""
    clause_from = max(sentence.rfind(",", 0, start), sentence.rfind(";", 0, start), sentence.rfind(" and ", 0, start), sentence.rfind(" but ", 0, start), sentence.rfind(" while ", 0, start))
    clause = sentence[clause_from + 1 if clause_from >= 0 else 0:start] + " " + matched
    return not _NOT_THEN.search(clause)


def _grade_key(framework: str, what: str, sentence: str, start: int, anchor: int = 0) -> str | None:
    """The judgement a grade belongs to, on the framework's own terms."""
    before = sentence[:start]
    if re.search(r"\boutcomes\s*$", before.strip(), re.IGNORECASE) or re.search(r"\boutcomes\s+(?:were|was|judged|rated)\s*$", before, re.IGNORECASE):
        return "outcomes"
    clause = before[anchor:] if 0 <= anchor <= start else before[-90:]
    named_block = _block_named(clause)
    if calendar.older_era(framework) and named_block:
        return named_block  # "... in 2010 judged Birmingham's safeguarding services as inadequate"
    what_block = _block_named(what) if len({_block_named(part) for part in re.split(r"\band\b", what)} - {None}) == 1 else None
    if calendar.older_era(framework) and framework != "jar" and what_block:
        return what_block  # "the previous inspection of ... services for looked after children ..."
    if framework == "slac" and _block_named(before):
        return _block_named(before)  # "For looked after children, it judged ..."
    if re.search(r"safeguarding children board|\blscb\b", before[-90:], re.IGNORECASE):
        return "lscb"
    if framework == "jar" or "safeguarding" in before.lower()[-60:]:
        return "help_and_protection"
    # The sentence's subject names the judgement when the grade comes before the mention
    # ("Services for care leavers, previously rated as ... at the last inspection in 2020").
    key = _named_judgement(before[-90:]) or (_named_judgement(before, whole=True) if start < anchor else None) or "overall"
    if key == "overall":
        key = calendar.WHOLE_INSPECTION.get(framework, key)
    return key


def _block_named(words: str) -> str | None:
    """The SLAC block the words name last: safeguarding or looked after children."""
    found = [(m.start(), "children_in_care" if m.group(0).lower().startswith(("looked", "children")) else "help_and_protection")
             for m in re.finditer(r"looked after children|children looked after|safeguarding(?! children board)|child protection|protection of children", words, re.IGNORECASE)]
    return max(found)[1] if found else None


def _record(facts: InspectionFacts, framework: str, key: str | None, grade: str, printed: str, label: str, page: int) -> None:
    if key and calendar.on_scale(framework, grade) and calendar.allowed_judgement(framework, key, facts.start):
        facts.judgements.setdefault(key, Judgement(key, grade, printed, label, page, "mention"))


def _nearest_first(matches: list[re.Match[str]], anchor: int, look_back: bool = True) -> list[re.Match[str]]:
    """Grades after the mention first (nearest first), then those before it (nearest first)."""
    after = [m for m in matches if m.start() >= anchor]
    before = [m for m in matches if m.start() < anchor] if look_back else []
    return after + before[::-1]


def _read_grades(facts: InspectionFacts, sentence: str, what: str, framework: str, page: int, anchor: int = 0, look_back: bool = True) -> None:
    what = what.lower()
    for block in _BLOCK_JUDGED.finditer(sentence):
        if _then(sentence, block.start(), block.group(0)):
            key = "children_in_care" if "looked after" in block.group("block").lower() else "help_and_protection"
            _record(facts, framework, key, canonical(block.group(2)), block.group(0), block.group("block"), page)
    overall = next((m for m in _nearest_first(list(_OVERALL_JUDGED.finditer(sentence)), anchor, look_back) if _then(sentence, m.start(), m.group(0))), None)
    if overall:
        grade = canonical(next(g for g in overall.groups() if g))
        key = calendar.WHOLE_INSPECTION.get(framework, "overall")
        _record(facts, framework, key, grade, grade, "overall effectiveness", page)
    hp = _HP_RI.search(sentence)
    if hp and _then(sentence, hp.start(), hp.group(0)):
        _record(facts, framework, "help_and_protection", "requires improvement", "required improvement", "help and protection", page)
    if overall:
        return
    for judged in _nearest_first(list(_JUDGED.finditer(sentence)), anchor, look_back):
        if not _then(sentence, judged.start(), judged.group(0)):
            continue
        grade = canonical(next(g for g in judged.groups() if g))
        grade_at = next(judged.start(g) for g in range(1, len(judged.groups()) + 1) if judged.group(g))
        key = _grade_key(framework, what, sentence, grade_at, anchor)
        _record(facts, framework, key, grade, judged.group(0), what or "overall", page)


_NAMED = [
    (re.compile(r"help and protection", re.I), "help_and_protection"),
    (re.compile(r"care leavers", re.I), "care_leavers"),
    (re.compile(r"children in care|looked after", re.I), "children_in_care"),
    (re.compile(r"\bleaders|leadership", re.I), "leadership"),
    (re.compile(r"adoption", re.I), "adoption"),
    (re.compile(r"safeguarding children board|\bLSCB\b", re.I), "lscb"),
]


def _named_judgement(before: str, whole: bool = False) -> str | None:
    """The judgement a clause names just before its grade ("when help and protection were
    judged to require improvement"); the first one the clause names wins ("looked after
    children and care leavers outcomes" is the children in care judgement)."""
    if not whole:
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
