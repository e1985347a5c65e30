"""One document's text -> ParsedDocument: the parser's entry point.

It asks each specialised module in turn (framework and kind, authority, dates, judgements,
items, mentions) and assembles what they say about the inspection the document is about,
plus the earlier inspections it mentions. Nothing here looks at the file name.
"""

from __future__ import annotations

import re
from typing import Iterator

from ofstl import authorities
from ofstl.models import ExtractedText, InspectionFacts, Judgement, ParsedDocument
from ofstl.parse import calendar, dates, frameworks, judgements, mentions, subjects
from ofstl.parse.items import extract_items
from ofstl.parse.secondary import framework_from_calendar, graded_council, ofsted_publication, secondary_readings
from ofstl.parse.whose import authority_of

GRADED = {"ilacs", "sif", "lscb-review", "lac", "slac", "cpi", "apa", "annual-rating"}
OFSTED_KINDS = {"ofsted-report", "ofsted-letter"}

_DATES_LINE = re.compile(r"(?:(?:inspection|review|visit) dates?|dates? of (?:the )?(?:inspection|visit|review)):?\s*(.{0,80})", re.IGNORECASE)
_VISIT_ON = re.compile(r"(?:children.s services|took place|undertook|was conducted|conducted|carried out|inspection)\s+(?:on|between|from)\s+(.{0,60})", re.IGNORECASE)
_PUBLISHED = re.compile(r"(?:report )?published:\s+(?:[A-Za-z]+\s+){0,3}?(\d{1,2}\s+\w+\s+\d{4})|report published\s+(\d{1,2}\s+\w+\s+\d{4})", re.IGNORECASE)


# What a new council's papers say of its first day (a reorganisation), before "children's services on DATE".
_TOOK_ON = re.compile(r"\b(?:responsib\w*(?: for)?|took (?:on|over)|taken (?:on|over)|transferred|inherited|handed over)\s+(?:the |its |all )?$", re.IGNORECASE)


def _fieldwork(text: str, opening: str, secondary: bool = False) -> tuple[str | None, str | None, str]:
    """The fieldwork dates. In a council paper or a news story, a range of dates is the
    inspection's only when its sentence speaks of an inspection or a visit, and spans at most
    six weeks (not "the awards evening, held on 12 and 13 May", "interviews between 10 and 12
    June", "between 1 April and 31 March")."""
    flat = " ".join(opening.split())
    for pattern in (_DATES_LINE, _VISIT_ON):
        for match in pattern.finditer(flat):
            if pattern is _VISIT_ON and _TOOK_ON.search(flat[max(0, match.start() - 40):match.start()]):
                continue  # "became responsible for children's services on 1 April 2023": a council's first day, not a visit
            found = dates.parse_range(match.group(1))
            if found and secondary and not _a_visits_span(found):
                continue
            if found:
                return found[0], found[1], match.group(0)[:100]
            single = dates.parse_date(match.group(1)[:30])
            if single and pattern is _VISIT_ON:
                return single, single, match.group(0)[:100]
    flat_all = " ".join(text[:20000].split())
    for match in re.finditer(r"\b(?:between|from|on)\s+(?=(.{0,60}))", flat_all, re.IGNORECASE):
        found = dates.parse_range(match.group(1))
        if found and secondary:
            sentence_start = max(flat_all.rfind(". ", 0, match.start()), flat_all.rfind("\n", 0, match.start()))
            sentence = flat_all[sentence_start + 1: match.end() + 60]
            if not _INSPECTION_WORDS.search(sentence) or not _a_visits_span(found):
                continue
        if found:
            return found[0], found[1], match.group(0)[:100]
    return None, None, ""


def _a_visits_span(found: tuple[str, str]) -> bool:
    days = dates.days_between(found[0], found[1])
    return days is not None and 0 <= days <= 42


def _published(text: str, kind: str) -> str | None:
    match = _PUBLISHED.search(" ".join(text[:8000].split()))
    if match:
        return dates.parse_date(match.group(1) or match.group(2))
    if kind == "ofsted-letter":
        head = text[:1500]
        stop = re.search(r"^\s*Dear\s", head, re.MULTILINE)
        for line in head[: stop.start() if stop else len(head)].split("\n"):
            iso = dates.parse_date(line)
            if iso and len(line.strip()) < 25:
                return iso
    return None


def _remap(framework: str, found: dict[str, Judgement]) -> dict[str, Judgement]:
    """Framework-specific keys: a LAC report's "overall" is the children in care judgement."""
    target = {"lac": "children_in_care", "cpi": "help_and_protection"}.get(framework)
    if target and "overall" in found:
        overall = found.pop("overall")
        if target not in found:
            overall.key = target
            found[target] = overall
    if framework in {"apa", "jar"}:
        # APA and JAR number grades the other way round: 4 is outstanding.
        for judgement in found.values():
            number = re.fullmatch(r"\W*grade\s*([1-4])\W*", judgement.printed, re.IGNORECASE)
            if number:
                judgement.grade = {"4": "outstanding", "3": "good", "2": "adequate", "1": "inadequate"}[number.group(1)]
    if framework == "lac" and "capacity_children_in_care" in found:
        # A LAC report has one capacity judgement; its findings table heads it like a SLAC block.
        capacity = found.pop("capacity_children_in_care")
        capacity.key = "capacity"
        found.setdefault("capacity", capacity)
    if framework != "annual-rating":
        # Annual rating words ("performs well") grade nothing but an annual rating.
        found = {k: v for k, v in found.items() if v.grade not in calendar.RATINGS}
    if framework == "lscb-review":
        found = {k: v for k, v in found.items() if k == "lscb"}
    if framework == "ilacs":
        found.pop("lscb", None)
    return found


_SEND_OUTCOMES = [
    (re.compile(r"lead to positive experiences and outcomes", re.I), "positive experiences and outcomes"),
    (re.compile(r"lead to inconsistent experiences and outcomes", re.I), "inconsistent experiences and outcomes"),
    (re.compile(r"significant concerns", re.I), "significant concerns"),
]


def _send_outcome(text: str) -> str | None:
    """The 2023 area SEND framework's outcome: the first of its three sentences printed."""
    flat = " ".join(text[:12000].split())
    found = [(m.start(), label) for pattern, label in _SEND_OUTCOMES for m in [pattern.search(flat)] if m]
    return min(found)[1] if found else None


def _visit_theme(text: str) -> str | None:
    title = re.search(r"joint targeted area inspection of the (multi-agency response to .{5,200}?)(?: in [A-Z][\w ]+? (?=between|this|[A-Z])| between|\.)", " ".join(text[:3000].split()), re.IGNORECASE)
    if title:
        return title.group(1).strip()
    match = re.search(r"Inspectors (?:looked at|evaluated) (?:the local authority.s )?(?:arrangements for |services for |the )?([^.]{5,160})\.", " ".join(text[:6000].split()))
    # quotation marks round a term of art ("the ‘front door.’", its full stop inside) are not the theme's
    return re.sub(r"[‘“”\"]|(?<!\w)['’]|['’](?!\w)", "", match.group(1)).strip() if match else None


_VISITED_ON = re.compile(r"\b(?:visit|visited)\s+(?:on|between|from)\s+(.{0,60})", re.IGNORECASE)


def _yearless_visits(flat: str, own_date: str) -> Iterator[tuple[re.Match[str], tuple[str, str]]]:
    """Each visit range the opening prints without its year, dated by the document's own date
    (``dates.parse_range_without_year``), in the order a letter or a story tries them."""
    for pattern in (_DATES_LINE, _VISIT_ON, _VISITED_ON):
        for match in pattern.finditer(flat):
            found = dates.parse_range_without_year(match.group(1), own_date)
            if found:
                yield match, found


def _date_from_letter(facts: InspectionFacts, text: str, opening: str) -> None:
    """A visit letter's own date fixes its visit's: days printed without a year take the
    letter's, and a printed range that cannot be right (it ends before it starts, or falls
    after the letter or more than a year before it) is corrected to the days before the letter,
    the printed reading kept beside the corrected one as a disagreement."""
    letter = facts.published or ""
    flat = " ".join(opening.split())
    if facts.start is None:
        reversed_ = dates.reversed_range(flat)
        if reversed_:
            _correct(facts, reversed_, letter)
            return
        for match, found in _yearless_visits(flat, letter):
            facts.start, facts.end = found
            facts.evidence["start"] = {"text": match.group(0)[:100], "year": "from the letter's date"}
            return
        return
    if facts.end and len(facts.end) == 10 and len(letter) == 10:
        gap = dates.days_between(facts.end, letter)
        if gap is not None and (gap < 0 or gap > 366):
            _correct(facts, (facts.start, facts.end), letter)


def _date_from_story(facts: InspectionFacts, opening: str) -> None:
    """A story or press release that prints the visit's days without their year ("inspectors
    visited between 25 June and 6 July") dates them by its own date: the latest such days, at
    most six weeks long, ending within a hundred days before it."""
    flat = " ".join(opening.split())
    for match, found in _yearless_visits(flat, facts.published or ""):
        gap = dates.days_between(found[1], facts.published or "")
        if _a_visits_span(found) and gap is not None and 0 <= gap <= 100:
            facts.start, facts.end = found
            facts.evidence["start"] = {"text": match.group(0)[:100], "year": "from the story's own date"}
            return
    # Only the month: "following an inspection in October" (not "its last inspection in October")
    for match in _IN_A_MONTH.finditer(flat):
        month = dates.month_number(match.group("month"))
        year = int(match.group("year") or (facts.published or "")[:4] or 0)
        if not match.group("year") and f"{year}-{month:02d}" > (facts.published or "")[:7]:
            year -= 1
        when = f"{year}-{month:02d}"
        gap = dates.days_between(f"{when}-28", facts.published or "")
        if gap is not None and -28 <= gap <= 100:
            facts.start = when
            facts.evidence["start"] = {"text": match.group(0)[:100], "year": "from the story's own date"}
            return


_IN_A_MONTH = re.compile(rf"(?<!last )(?<!previous )(?<!earlier )(?<!prior )\b(?:inspection|inspected|visit|visited)\s+(?:in|during)\s+(?P<month>(?-i:{dates.MONTH}))\b(?:\s+(?P<year>{dates.YEAR})\b)?", re.IGNORECASE)


def _correct(facts: InspectionFacts, printed: tuple[str, str], letter: str) -> None:
    """Move a printed visit to the latest year that puts it just before the letter."""
    start, end = printed
    for year in (int(letter[:4]), int(letter[:4]) - 1):
        new_end = f"{year}{end[4:]}"
        new_start = f"{year - (1 if start[5:] > end[5:] else 0)}{start[4:]}"
        if new_start <= new_end <= letter:
            readings = {"start": (start, new_start), "end": (end, new_end)}
            for field, (was, now) in readings.items():
                if was != now:
                    facts.disagreements.append({"field": field, "readings": [
                        {"value": now, "method": "corrected from the letter's date"}, {"value": was, "method": "as printed"}]})
            facts.start, facts.end = new_start, new_end
            return


_ORDINALS = {w: i for i, w in enumerate("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split(), start=1)}


def parse_document(extracted: ExtractedText, authority: str | None = None) -> ParsedDocument:
    """``authority``: the one a person said the document is about (``ingest --authority``),
    taken when the text names it (a shared service's story names both its councils)."""
    text = extracted.text
    opening = "\n".join(p.text for p in extracted.pages[:2])[:6000]
    framework, fw_type, offset = frameworks.detect_framework(opening)
    kind = frameworks.detect_kind(text, framework, offset)
    if kind not in OFSTED_KINDS:
        framework = frameworks.detect_secondary_framework(text) or framework
        fw_type = None
    slug, evidence, candidates = authority_of(extracted)
    if slug is None and len(candidates) > 1 and kind not in OFSTED_KINDS:
        slug = graded_council(text, candidates)
        evidence, candidates = ("the council its grades are given to", []) if slug else (evidence, candidates)
    if authority is not None:
        names = list(dict.fromkeys(s for s, _ in authorities.find_in_text(text)))
        slug, evidence, candidates = (authority, "--authority", []) if authority in names else (None, "", names[:4])
    doc = ParsedDocument(path=extracted.path, sha256=extracted.sha256, kind=kind, authority=slug, authority_evidence=evidence, title=" ".join(opening.split())[:120])
    doc.candidates = list(candidates)
    if authority is not None and slug is None:
        doc.warnings.append(f"does not name {authorities.get(authority).display_name} (--authority {authority}); not stored")
    elif slug is None and candidates:
        doc.warnings.append("names several authorities (" + ", ".join(candidates) + "); cannot tell which one it is about: "
                            f"say which with --authority (e.g. --authority {candidates[0]})")
    start, end, date_evidence = _fieldwork(text, opening, secondary=kind not in OFSTED_KINDS)
    doc.date_in_document = start is not None
    facts = InspectionFacts(role="subject", framework=framework or "other", type=fw_type, start=start, end=end)
    facts.published = _published(text, kind)
    if kind == "ofsted-letter" and facts.published:
        _date_from_letter(facts, text, opening)
        start, end = facts.start, facts.end
        doc.date_in_document = start is not None
    elif kind not in OFSTED_KINDS and facts.published and start is None:
        _date_from_story(facts, opening)
        start, end = facts.start, facts.end
        doc.date_in_document = start is not None
    if date_evidence:
        facts.evidence["start"] = {"text": date_evidence}
    if facts.framework == "ilacs" and start and end:
        span = dates.days_between(start, end)
        facts.type = "short" if span is not None and span <= 7 else "standard"
    if kind in OFSTED_KINDS and facts.framework in GRADED | {"jar"}:
        readings = judgements.table_readings(extracted.pages) + judgements.body_readings(extracted.pages)
        facts.judgements = _remap(facts.framework, judgements.combine(readings))
    elif kind not in OFSTED_KINDS:
        facts.judgements = judgements.combine(secondary_readings(text, facts.start, slug))
        stated = ofsted_publication(text, facts.published)
        if stated:
            facts.report_published, facts.evidence["report_published"] = stated[0], {"text": stated[1]}
        if facts.framework == "other":
            framework_from_calendar(facts, text)
        when = facts.start or facts.report_published or facts.published
        if when and facts.framework in calendar.JUDGEMENTS:
            # Only what that framework judged then: care leavers apart from 2023, no overall from April 2026.
            facts.judgements = {k: j for k, j in facts.judgements.items() if calendar.allowed_judgement(facts.framework, k, when)}
    if facts.framework in {"focused-visit", "jtai"}:
        facts.theme = _visit_theme(text)
    if facts.framework == "send":
        facts.outcome = _send_outcome(text)
    if facts.framework == "monitoring-visit":
        number = re.search(r"\b(" + "|".join(_ORDINALS) + r") monitoring visit", text[:4000], re.IGNORECASE)
        facts.visit_number = _ORDINALS[number.group(1).lower()] if number else None
    facts.weaknesses, facts.strengths = extract_items(extracted.pages, kind)
    doc.inspections.append(facts)
    pages_text = [(p.number, p.text) for p in extracted.pages]
    doc.inspections.extend(mentions.find_mentions(pages_text, facts.framework, start))
    if slug:
        # Reorganised councils: whose history this is, and which council each inspection was of.
        # By the inspection's own date when the text gives one: a story of 2019 looking back at a
        # report of 2018 is about the council inspected then, not the one that followed it.
        own_date = start or facts.report_published or facts.published
        doc.authority = authorities.history_slug(slug, own_date)[0]
        for item in doc.inspections:
            item.inspected_as = authorities.inspected_as(doc.authority, item.start or item.report_published or item.published)
    provider = _provider_report(facts, opening)
    # An article or paper about a school's (nursery's, home's) inspection names the council too.
    provider_written_of = None if provider or (kind in OFSTED_KINDS and facts.framework != "other") else subjects.provider_inspected(text)
    if _LISTING_PAGE.search(opening) and len(_PUBLISHED_ON.findall(text)) >= 2:
        # Ofsted's page listing an authority's reports, saved beside them ("save page as")
        doc.inspections = []
        doc.warnings.append("a page of Ofsted's reports site listing publications, not one of them; save the reports "
                            "themselves (or ofstl fetch AUTHORITY); not stored")
    elif provider:  # a school's, nursery's or children's home's report, naming its local authority
        doc.inspections = []
        doc.warnings.append(f"an Ofsted inspection of a school or other provider (it grades {provider}), "
                            "not an inspection of a local authority's children's services; not stored")
    elif provider_written_of:
        # What it says of the authority's own earlier inspections is kept.
        doc.inspections = [item for item in doc.inspections if item.role == "mentioned"]
        doc.warnings.append(f"{_KIND_WORDS.get(kind, 'a document')} about an inspection of {provider_written_of} (a school, another provider or "
                            "another service), not an inspection of a local authority's children's services; not stored")
    elif not _about_an_inspection(facts, text):
        doc.inspections = []
        doc.warnings.append(("names an authority but no inspection" if slug else "names no local authority and no inspection")
                            + " (no framework, inspection, visit or judgement); not an inspection document")
    elif not (facts.start or facts.published or facts.judgements or facts.outcome
              or (facts.weaknesses and (kind in OFSTED_KINDS or facts.framework != "other"))) and (
            facts.framework == "other"
            or (kind not in OFSTED_KINDS and any(m.framework == facts.framework for m in doc.inspections if m is not facts))):
        # Nothing to place it by: it would be an "undated, Other, not graded" event in the
        # authority's history, an inspection that is not one (a council paper's numbered
        # paragraphs are no inspection's findings). What it says of earlier inspections (its
        # mentions) is kept. A council paper or article whose framework is only that of the
        # inspection it mentions ("at the last inspection of Cumbria in September 2022 ...")
        # is that mention, not a second, undated inspection.
        doc.inspections = [item for item in doc.inspections if item is not facts]
        if not doc.inspections:
            doc.warnings.append("speaks of an inspection but names no framework, date, grade or finding to place it by; not stored")
    return doc


_KIND_WORDS = {"news": "a news article", "council-paper": "a council paper", "ofsted-letter": "a letter"}

# Ofsted's reports site names itself on every page; a report never does.
_LISTING_PAGE = re.compile(r"\bfind an inspection report\b", re.IGNORECASE)
_PUBLISHED_ON = re.compile(r"\bpublished:?\s+\d{1,2}\s+[A-Z][a-z]+\s+\d{4}", re.IGNORECASE)

# Judgements only provider-level inspections give (schools and colleges, early years, children's
# homes and agencies); a local authority's children's services are never graded on them.
_PROVIDER_JUDGEMENTS = re.compile(
    r"\b(?:the quality of education|behaviour and attitudes|personal development|early years provision|sixth form provision"
    r"|outcomes for (?:pupils|children and learners)|quality of teaching, learning and assessment"
    r"|overall experiences and progress of children and young people|how well children and young people are helped and protected"
    r"|effectiveness of leaders and managers)\b", re.IGNORECASE)


def _provider_report(facts: InspectionFacts, opening: str) -> str | None:
    """The provider judgements a document grades when it is a provider's inspection report
    (two or more of them, and no local authority framework read), else None."""
    if facts.framework != "other":
        return None
    found = sorted({" ".join(m.group(0).lower().split()) for m in _PROVIDER_JUDGEMENTS.finditer(opening)})
    return ", ".join(found[:3]) if len(found) >= 2 else None


_INSPECTION_WORDS = re.compile(r"\b(?:inspect(?:ion|ions|ed|ors?|ing)?|visit(?:s|ed)?|ofsted)\b", re.IGNORECASE)


def _about_an_inspection(facts: InspectionFacts, text: str) -> bool:
    """A document is an inspection only when it says so: a framework it names, a judgement,
    or the words inspection or visit (a council's news about library hours is not one)."""
    return facts.framework != "other" or bool(facts.judgements) or bool(facts.outcome) or bool(_INSPECTION_WORDS.search(text))
