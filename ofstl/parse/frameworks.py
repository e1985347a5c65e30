"""Which framework a document belongs to, and what kind of source it is.

Both are read from the document's own structure: its title lines ("Focused visit to ...",
"Inspection of services for children in need of help and protection ..."), its judgement
labels, and the shape of the text (a letter's salutation, a council paper's recommendation
block, a news article's quotes). The earliest title phrase wins, because later text often
names other frameworks ("carried out in line with the ILACS framework").
"""

from __future__ import annotations

import re

from ofstl.parse import calendar

# (pattern, framework, type). Searched in the opening text; the earliest match wins.
TITLE_PATTERNS: list[tuple[re.Pattern[str], str, str | None]] = [
    (re.compile(p, re.IGNORECASE), fw, typ)
    for p, fw, typ in [
        (r"re-?\s?inspection of services for children in need of help and protection", "sif", "reinspection"),
        (r"inspection of services for children in need of help and protection", "sif", None),
        (r"(?<!and )review of the effectiveness of the local safeguarding children board", "lscb-review", None),
        (r"focused visit to", "focused-visit", None),
        (r"findings of (?:the|a) focused visit", "focused-visit", None),
        (r"monitoring visit (?:to|of)", "monitoring-visit", None),
        (r"findings of (?:the|a) \w+ monitoring visit", "monitoring-visit", None),
        (r"joint targeted area inspection", "jtai", None),
        (r"area send inspection|joint area send|area special educational needs and/or disabilities", "send", None),
        (r"inspection of (?:local authority )?looked after children services", "lac", None),
        (r"inspection of safeguarding and looked after children services", "slac", None),
        (r"inspection of local authority arrangements for the protection of children", "cpi", None),
        (r"unannounced inspection of contact,? referral and assessment", "cra", None),
        (r"inspection of progress made in the provision of safeguarding services|joint area review", "jar", None),
        (r"annual performance assessment", "apa", None),
        (r"children.s services assessment|annual (?:rating|assessment) of [\w ,&’'-]{0,60}?children.s services|children.s services (?:annual )?rating", "annual-rating", None),
        (r"inspection of [\w ,&’'-]{0,60}?local authority children.s services", "ilacs", None),
        (r"inspection of children.s social care services", "ilacs", None),
        # An authority's name, not "our", "its" or "the council's": a job advert or a story
        # speaks of "the inspection of our children's services".
        (r"inspection of (?!services for)(?!(?:our|its|their|your|the council.s|the authority.s)\b)[\w ,&’'-]{2,60}? children.s services", "ilacs", None),
        (r"inspection of (?!(?:our|its|their|your|the council.s|the authority.s)\b)[\w ,&’'-]{2,60}? children(?:.s)? (?:and families )?(?:services )?trust", "ilacs", None),
    ]
]
# Judgement wording names a framework too, but only a document with Ofsted's own markers
# (or a title above) is an Ofsted report because of it: news articles quote the labels.
LABEL_ONLY = re.compile(r"impact of leaders on social work practice", re.IGNORECASE)

# Secondary sources name frameworks by their judgement wording or common names.
SECONDARY_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p, re.IGNORECASE), fw)
    for p, fw in [
        (r"focused visit", "focused-visit"),
        (r"monitoring visit", "monitoring-visit"),
        (r"joint targeted area inspection|\bJTAI\b", "jtai"),
        (r"impact of leaders on social work practice|\bILACS\b|inspection of local authority children.s services", "ilacs"),
        (r"children who need help and protection.{0,200}(?:looked after|care leavers)", "ilacs"),
        (r"services for children in need of help and protection,? children looked after|local safeguarding children board \(lscb\)|single inspection framework", "sif"),
        (r"unannounced inspection of contact", "cra"),
        # An area SEND inspection, by Ofsted with the CQC, of the local area partnership.
        (r"(?:local )?area (?:SEND|special educational needs)[^.]{0,40}inspection|(?:SEND|special educational needs and(?:/or)? disabilities)\W[^.]{0,120}?"
         r"(?:joint (?:area )?inspection|inspection by Ofsted and the Care Quality Commission|local area partnership)", "send"),
        (r"safeguarding and looked after children", "slac"),
    ]
]


def detect_framework(opening: str) -> tuple[str | None, str | None, int]:
    """(framework, type, offset) from a document's opening text, or (None, None, -1)."""
    best: tuple[int, str, str | None] | None = None
    flat = " ".join(opening.split())
    for pattern, fw, typ in TITLE_PATTERNS:
        match = pattern.search(flat)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), fw, typ)
    label = LABEL_ONLY.search(flat)
    if label and _OFSTED_REPORT.search(flat) and (best is None or label.start() < best[0]):
        best = (label.start(), "ilacs", None)
    if best is None:
        return None, None, -1
    return best[1], best[2], best[0]


# A visit still to come is not the one a paper reports: "the service continues to prepare
# for a focused visit", "ahead of its next inspection", "a visit could take place at any time".
_TO_COME_BEFORE = re.compile(r"\b(?:prepar\w*|ready|readiness|ahead of|expect\w*|anticipat\w*|await\w*|upcoming|forthcoming|next|future|due|will|would|could|might)\b[^.;]{0,40}$", re.IGNORECASE)
_TO_COME_AFTER = re.compile(r"^[^.;]{0,40}?\b(?:could|will|would|may|might|is expected to|is due to)\s+(?:\w+\s+)?(?:take place|happen|come|be)\b", re.IGNORECASE)


def detect_secondary_framework(text: str) -> str | None:
    flat = " ".join(text.split())
    best: tuple[int, str] | None = None
    for pattern, fw in SECONDARY_PATTERNS:
        for match in pattern.finditer(flat):
            sentence_start = flat.rfind(". ", 0, match.start()) + 1
            if _TO_COME_BEFORE.search(flat[sentence_start: match.start()]) or _TO_COME_AFTER.match(flat[match.end():]):
                continue
            if best is None or match.start() < best[0]:
                best = (match.start(), fw)
            break
    return best[1] if best else None


# The services words name, which tell the older frameworks apart (``calendar.undecided_at``).
_SAFEGUARDING = re.compile(r"safeguarding(?! children board)|(?:child|help and|need of) protection|protection of children", re.IGNORECASE)
_LOOKED_AFTER = re.compile(r"looked after|children in care", re.IGNORECASE)
_CHILD_PROTECTION = re.compile(r"child protection|protection of children", re.IGNORECASE)


def framework_by_services(when: str, words: str, *, safeguarding: bool = False, looked_after: bool = False) -> str:
    """The graded full inspection in force at ``when``, or the undecided code when the date
    leaves several, narrowed by the services ``words`` name (safeguarding, looked after
    children, child protection; ``safeguarding`` and ``looked_after``: those services known
    otherwise, from the judgements read)."""
    safeguarding = safeguarding or bool(_SAFEGUARDING.search(words))
    looked_after = looked_after or bool(_LOOKED_AFTER.search(words))
    child_protection = bool(_CHILD_PROTECTION.search(words))
    framework = calendar.framework_at(when, safeguarding=safeguarding, looked_after=looked_after)
    return calendar.undecided_at(framework, when, looked_after=looked_after, child_protection=child_protection, safeguarding=safeguarding)


_LETTER = re.compile(r"^\s*Dear\s+\S", re.MULTILINE)
_OFSTED_ADDRESS = re.compile(r"enquiries@ofsted\.gov\.uk|www\.gov\.uk/ofsted|Piccadilly Gate|Aviation House|This letter summarises", re.IGNORECASE)
_COUNCIL = re.compile(
    # a heading line of its own: "Cabinet", "Report to Cabinet", "Recommendations" (any case)
    r"^\s*(?i:cabinet|council|committee|scrutiny|overview and scrutiny|report to|report of the (?:director|cabinet member|executive)|agenda item|cabinet member|officer contact|recommendations?:?)\b.{0,60}$"
    # a meeting's name as its own heading line: "Children and Families Scrutiny Committee"
    r"|^[^\S\n]*[A-Z][^\n.:;]{0,60}\b(?i:committee|cabinet|scrutiny (?:board|panel|commission))[^\S\n]*$"
    r"|\b(?:RECOMMENDATIONS?|HEADLINE INFORMATION|Reasons for recommendation|Wards? affected)\b"
    r"|\b(?i:financial implications|legal implications|purpose of (?:the |this )?report|date of (?:the )?meeting|report (?:of|author)s?:|minutes of the (?:last )?meeting|apologies(?: for absence)?|present:|declarations? of interests?|date of (?:the )?next meeting)",
    re.MULTILINE,
)
# A resolution put to members, as its own paragraph: "That the committee notes ...", "2.1 That Cabinet approves".
_RESOLUTION = re.compile(r"^\s*(?:\d[\d.]*\s+)?That\s+(?:the\s+)?(?i:committee|cabinet|council|board|panel|members?|scrutiny)\b[^.]{0,40}?\b(?i:notes?|agrees?|approves?|endorses?|considers?|comments?|receives?)\b",
                         re.MULTILINE)
_NEWS = re.compile(r"\b(?:said|says|told|added|according to)\b[^.]{0,80}|[“\"][^”\"]{20,}[”\"]", re.IGNORECASE)
# A story's or press release's own dateline or label ("Published: 14 December 2018", "Press
# release"): Ofsted's reports print "Report published:" among their other markers, its letters a bare date.
_DATELINE = re.compile(
    r"^\s*(?:(?:first\s+)?published|posted|(?:last\s+)?updated)(?:\s+on)?\s*:?\s*(?:[A-Za-z]+,?\s+)?\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]+,?\s+\d{4}\b"
    r"|^\s*(?:press|news|media)\s+release\b|\bpress release\s*$",
    re.IGNORECASE | re.MULTILINE)
_OFSTED_OPENING = re.compile(r"Inspection dates?:|Report published:|Lead inspector|Reporting inspector|Age group:|Reference no:", re.IGNORECASE)
_OFSTED_REPORT = re.compile(r"Inspection dates?:|Report published:|Lead inspector|Reporting inspector|Age group:|Reference no:|Judgement\s+Grade", re.IGNORECASE)


def _in_prose(text: str, offset: int) -> bool:
    """Whether the words at ``offset`` are in a sentence of running prose (a paragraph of a
    dozen words or more that ends like a sentence), not a title ("Inspection of ...")."""
    if offset < 0:
        return False
    start = max(text.rfind("\n\n", 0, offset), 0)
    end = text.find("\n\n", offset)
    paragraph = text[start:end if end >= 0 else len(text)].strip()
    return len(paragraph.split()) >= 12 and bool(re.search(r"[.!?][’'\"”]?$", paragraph))


def detect_kind(text: str, framework: str | None, framework_offset: int) -> str:
    """SPEC source kind: ofsted-report, ofsted-letter, council-paper, news or other."""
    opening = text[:6000]
    council_hits = len(_COUNCIL.findall(opening))
    letter = bool(_LETTER.search(opening))
    ofsted_markers = bool(_OFSTED_REPORT.search(opening)) or bool(_OFSTED_ADDRESS.search(opening))
    # A council paper may table the judgements ("Judgement / Grade"); Ofsted's own report
    # opens with its dates, inspector and reference.
    if council_hits >= 3 and not _OFSTED_OPENING.search(opening[:1500]):
        return "council-paper"
    # A heading of a paper and a resolution put to members: never Ofsted's, though it may copy
    # the report's title, its "Inspection dates:" or its lead inspector.
    if framework and council_hits and _RESOLUTION.search(opening):
        return "council-paper"
    if framework and 0 <= framework_offset < 400 and not (ofsted_markers or letter) and len(_NEWS.findall(text)) >= 2:
        return "news"  # "Ofsted inspectors who carried out a focused visit to ... said": a story about the visit
    if framework and not (ofsted_markers or letter) and _DATELINE.search(opening[:1500]) and _in_prose(opening, framework_offset):
        return "news"  # a press release or story dated by its own publication, naming the framework in a sentence
    # Fewer headings and Ofsted's title as its subject line: Ofsted's reports always open with
    # their dates, inspector or reference (or are letters); a paper has none of them, and
    # headings of its own.
    if framework and not (ofsted_markers or letter) and council_hits >= 2:
        return "council-paper"
    if framework and 0 <= framework_offset < 2500 and (ofsted_markers or framework_offset < 400 or letter):
        if letter or framework in {"focused-visit", "monitoring-visit", "jtai", "cra"}:
            return "ofsted-letter"
        return "ofsted-report"
    if letter and ofsted_markers:
        return "ofsted-letter"
    if re.search(r"\b(?:ofsted|inspectors?|inspection)\b", text, re.IGNORECASE):
        if len(_NEWS.findall(text)) >= 2:
            return "news"
        if _DATELINE.search(opening[:1500]) and not (ofsted_markers or letter):
            return "news"  # a council's press release, dated and labelled as one, quoting no one
    return "other"
