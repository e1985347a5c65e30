"""Improvement items (weaknesses) and strengths, one per bullet or numbered point.

"Which weaknesses keep coming back?" is answered from the items inspectors list under
their improvement headings, which differ by framework and era ("What needs to improve?",
"Areas for improvement" with "Immediately:" / "Within three months:", "Priority and
immediate action", "Recommendations", "Priorities for further improvement", ...), and
from the strengths lists beside them. This module finds those sections in a document's
clean lines (``ofstl.parse.sections``), splits them into items joined across line and
page breaks, marks priority actions, and keeps the 2025 National Framework tags as their
own field. News articles and council papers rarely print the lists; for them the items
are read from the sentences that report them ("should focus on ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ofstl.models import Item, Page
from ofstl.parse.sections import BULLET_RE, NUMBER_RE, Line, document_lines

# --------------------------------------------------------------------------- headings

_H = r"^(?:\d{1,3}\.\s+)?(?:section \d+:?\s*)?"  # a heading may be numbered ("13. Priorities ...")
_END = r"\s*[:?.]?\s*\d?\s*[:?]?$"  # optional punctuation and a footnote mark ("improve?1")

WEAKNESS_HEADINGS: list[tuple[re.Pattern[str], bool]] = [
    (re.compile(_H + p + _END, re.I), prio)
    for p, prio in (
        (r"what needs to improve(?: in this area of (?:social work )?practice)?", False),
        (r"what does the [\w'’ ]{2,60}? need to improve", False),
        (r"priority and immediate actions?", True),
        (r"areas? for priority action", True),
        (r"priority actions?", True),
        (r"areas? for improvement", False),
        (r"areas? for development", False),
        (r"recommendations", False),
        (r"priorities for further improvement", False),
        (r"key areas for improvement", False),
    )
]
SUB_HEADINGS: list[tuple[re.Pattern[str], bool]] = [
    (re.compile(r"^" + p + r"\s*:?$", re.I), prio)
    for p, prio in (
        (r"immediately", True),
        (r"within (?:one|two|three|six|twelve|\d+) months?", False),
    )
]
STRENGTH_HEADINGS = [
    re.compile(_H + p + _END, re.I)
    for p in (
        r"the (?:local authority|council|la)(?:'s|’s| has the following) strengths",
        r"(?:key )?strengths",
        r"areas? of (?:particular )?strength",
    )
]
# Headings that always close an item list.
STOP_RE = re.compile(
    r"^(?:\d{1,3}\.\s+)?(?:findings|main findings|headline findings|case stud(?:y|ies)\b|practice stud(?:y|ies)\b"
    r"|next steps|summary\b|executive summary|information about|inspection findings|inspection judgements?"
    r"|key findings|key strengths and weaknesses|the experiences and progress|the impact of leaders"
    r"|outcomes for|quality of provision|leadership(?:,| and) management|overall effectiveness"
    r"|capacity (?:to|for) improve|the service meets the requirements|record of main findings|contents"
    r"|section \d|progress since|what the inspection judgements? mean|the effectiveness of the (?:lscb|local safeguarding)"
    r"|about (?:this|the) inspection|context|evidence|yours sincerely|the local authority$|previous ofsted)",
    re.I,
)
LSCB_PART_RE = re.compile(
    r"^(?:section 2\b.*safeguarding|the local safeguarding children board \(lscb\)$|"
    r"inspection findings\s*[–-]\s*the local safeguarding)",
    re.I,
)
NOTHING_RE = re.compile(r"did not (?:find|identify) any (?:areas? for )?priority|no areas for priority", re.I)
LEAD_IN_RE = re.compile(
    r"should take the following action|the following (?:action|areas|weakness)|as follows\s*:?$|"
    r"areas of weakness in\s*:$",
    re.I,
)
NOT_AN_ITEM_RE = re.compile(f"{NOTHING_RE.pattern}|{LEAD_IN_RE.pattern}|:$", re.I)
NF_TAG_RE = re.compile(
    r"\s*\((?P<kind>outcome|enabler|principle)\s+(?P<num>\w+)(?:\s*,\s*national\s+framework)?\)\s*\.?\s*$", re.I
)
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_TERMINAL = (".", "!", "?", ")", ";", "”", '"', "’")


@dataclass
class _Block:
    """A paragraph: a start line and the lines that continue it in the same box."""

    lines: list[Line]

    @property
    def text(self) -> str:
        return " ".join(l.text for l in self.lines)

    @property
    def first(self) -> Line:
        return self.lines[0]


@dataclass
class _Draft:
    section: str
    priority: bool
    page: int
    x0: float | None
    parts: list[str] = field(default_factory=list)


def _blocks(lines: list[Line]) -> list[_Block]:
    blocks: list[_Block] = []
    for line in lines:
        if line.start or not blocks:
            blocks.append(_Block([line]))
        else:
            blocks[-1].lines.append(line)
    return blocks


def _heading_text(block: _Block) -> str:
    """The block as a heading candidate: its first line when that alone is a heading."""
    first = block.first.text.strip()
    if len(block.lines) == 1 or _match_weakness(first) or _match_strength(first) or _match_sub(first):
        return first
    return block.text if len(block.lines) <= 3 else first


def _match_weakness(text: str) -> tuple[str, bool] | None:
    if len(text) > 120:
        return None
    for pattern, prio in WEAKNESS_HEADINGS:
        if pattern.match(text):
            return _label(text), prio
    return None


def _match_sub(text: str) -> tuple[str, bool] | None:
    for pattern, prio in SUB_HEADINGS:
        if pattern.match(text):
            return _label(text), prio
    return None


def _match_strength(text: str) -> str | None:
    if len(text) > 90:
        return None
    return _label(text) if any(p.match(text) for p in STRENGTH_HEADINGS) else None


def _label(text: str) -> str:
    text = re.sub(r"^\d{1,3}\.\s+", "", text)
    text = re.sub(r"(?<=[a-z?])\d$", "", text.strip())  # footnote mark
    return text.rstrip(" :.").strip()


def _is_headingish(text: str) -> bool:
    return (
        len(text) <= 100
        and len(text.split()) <= 14
        and not text.rstrip().endswith((".", ";", ",", ")"))
        and (text[:1].isupper() or text[:1].isdigit())
        and not BULLET_RE.match(text)
    )


def _toc_pages(pages_lines: list[Line]) -> set[int]:
    return {l.page for l in pages_lines if re.fullmatch(r"(?i)contents?", l.text.strip())}


# --------------------------------------------------------------------------- main entry


def extract_items(pages: list[Page], kind: str) -> tuple[list[Item], list[Item]]:
    """(weaknesses, strengths) as the document lists them. ``kind`` is the source kind
    ("ofsted-report", "ofsted-letter", "council-paper", "news", "other")."""
    lines = document_lines(pages)
    blocks = _blocks(lines)
    secondary = kind in ("news", "council-paper")
    weaknesses, strengths = _from_headings(blocks, _toc_pages(lines), secondary)
    if kind in ("news", "council-paper", "other"):
        seen = {_key(i.text) for i in weaknesses}
        weaknesses += [i for i in _from_sentences(blocks) if _key(i.text) not in seen]
    return weaknesses, strengths


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()[:80]


def _from_headings(blocks: list[_Block], toc: set[int], secondary: bool) -> tuple[list[Item], list[Item]]:
    weaknesses: list[Item] = []
    strengths: list[Item] = []
    lscb = False
    umbrella = ""
    i = 0
    while i < len(blocks):
        block = blocks[i]
        text = _heading_text(block)
        if block.first.page in toc:
            i += 1
            continue
        if LSCB_PART_RE.match(text):
            lscb, umbrella = True, ""
        weak = _match_weakness(text)
        if weak and secondary and weak[0].lower().startswith("recommendation"):
            weak = None
        strong = None if weak else _match_strength(text)
        if not weak and not strong:
            i += 1
            continue
        label = weak[0] if weak else strong
        if weak and re.match(r"(?i)what does the", label):
            umbrella = label if re.search(r"(?i)lscb|safeguarding", label) else ""
            lscb = lscb or bool(umbrella)
        elif umbrella and weak:
            label = f"{umbrella} — {label}"
        elif lscb and not re.search(r"(?i)lscb|safeguarding", label):
            label += " (LSCB)"
        items, i = _collect(blocks, i + 1, label, bool(weak and weak[1]))
        (weaknesses if weak else strengths).extend(items)
    return weaknesses, strengths


def _is_stop(text: str) -> bool:
    return bool(
        STOP_RE.match(text) and _is_headingish(text)
        or _match_weakness(text)
        or _match_strength(text)
        or LSCB_PART_RE.match(text)
    )


def _collect(blocks: list[_Block], i: int, section: str, priority: bool) -> tuple[list[Item], int]:
    """Items from blocks[i:] up to the end of the section; returns them and where it ended."""
    drafts: list[_Draft] = []
    sub, sub_prio = "", False
    kind: str | None = None  # "bullet", "number" or "para"
    while i < len(blocks):
        block = blocks[i]
        first = block.first
        text = block.text
        head = _heading_text(block)
        cur = drafts[-1] if drafts else None
        marker = first.marker
        if marker and len(re.sub(r"^\s*\S+\s*", "", first.text)) == 0 and len(block.lines) == 1:
            i += 1  # a marker with no text
            continue
        if marker is None and _match_sub(head):
            sub, sub_prio = _match_sub(head)  # type: ignore[misc]
            i += 1
            continue
        if marker is None or _match_weakness(head) or _match_strength(head):
            if _is_stop(head):
                break
        if cur and marker is None and _continues(cur, first, kind):
            cur.parts.append(text)
            i += 1
            continue
        if cur and (LEAD_IN_RE.search(" ".join(cur.parts)) or NOTHING_RE.search(" ".join(cur.parts))):
            drafts.pop()  # the lead-in ("... should take the following action.")
            cur = drafts[-1] if drafts else None
            kind = kind if drafts else None
        if cur and marker and cur.x0 is not None and first.x0 is not None and first.x0 > cur.x0 + 8:
            sub_text = BULLET_RE.sub("", NUMBER_RE.sub("", text, count=1), count=1)
            cur.parts[-1] = cur.parts[-1].rstrip() + ("" if cur.parts[-1].rstrip().endswith(":") else ";")
            cur.parts.append(sub_text)  # a sub-bullet belongs to its parent item
            i += 1
            continue
        label = f"{section} — {sub}" if sub else section
        if marker:
            if kind == "bullet" and marker == "number" and cur and first.x0 is not None and cur.x0 is not None and first.x0 < cur.x0 - 3:
                break
            if (LEAD_IN_RE.search(text) or NOTHING_RE.search(text)) and not drafts:
                i += 1
                continue
            if kind is None or not drafts:
                kind = marker
            elif marker != kind and kind != "para":
                if not _is_intro_or_lead(text):
                    break
            drafts.append(_Draft(label, priority or sub_prio, first.page, first.x0, [text]))
            i += 1
            continue
        # A paragraph without a marker.
        if _is_headingish(head) and len(block.lines) <= 2:
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if nxt is not None and nxt.first.marker and (kind in (None, nxt.first.marker)):
                sub, sub_prio = _label(head), False  # a sub-heading inside the list ("Leadership")
                i += 1
                continue
            break
        if NOT_AN_ITEM_RE.search(text) and not drafts:
            i += 1
            continue
        if kind in ("bullet", "number") and drafts:
            break  # prose after the list
        kind = "para"
        drafts.append(_Draft(label, priority or sub_prio, first.page, first.x0, [text]))
        i += 1
    items = [_finish(d) for d in drafts]
    return [it for it in items if it is not None], i


def _is_intro_or_lead(text: str) -> bool:
    return bool(NOT_AN_ITEM_RE.search(text))


def _continues(cur: _Draft, line: Line, kind: str | None) -> bool:
    """Whether a new paragraph carries on the current item (wrapped or page-broken)."""
    so_far = " ".join(cur.parts).rstrip()
    if line.text[:1].islower():
        return True
    if line.x0 is not None and cur.x0 is not None:
        if kind in ("bullet", "number") and line.x0 > cur.x0 + 3:
            return True
        if not so_far.endswith(_TERMINAL) and abs(line.x0 - cur.x0) <= 3 and kind == "para":
            return True
        return False
    return not so_far.endswith(_TERMINAL) and kind == "para"


def _finish(draft: _Draft) -> Item | None:
    text = " ".join(draft.parts)
    text = BULLET_RE.sub("", text, count=1)
    text = NUMBER_RE.sub("", text, count=1)
    text = re.sub(r"^\(cid:\d+\)\s*", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"(?<=[a-z])- (?!and\b|or\b|to\b)(?=[a-z])", "-", text)  # "multi- agency" split at a line end
    text = re.sub(r"\s*\((?:Recommendation)\)\s*$", "", text)
    nf = None
    m = NF_TAG_RE.search(text)
    if m:
        num = m.group("num").lower()
        num = str(_NUMBERS.get(num, num))
        nf = f"{m.group('kind').lower()} {num}"
        text = text[: m.start()].rstrip()
        if not text.endswith(_TERMINAL):
            text += "."
    if len(text) < 8 or not re.search(r"[a-z]{3}", text) or NOTHING_RE.search(text) or LEAD_IN_RE.search(text):
        return None
    return Item(text=text, section=draft.section, page=draft.page, priority=draft.priority, national_framework=nf)


# --------------------------------------------------------------------------- news and council papers

_REPORTED_RE = re.compile(
    r"\b(?:should|must)\s+(?:also\s+)?(?:focus on|prioriti[sz]e(?: improving)?|improve|address|strengthen|ensure|provide)\s+"
    r"|\b(?:areas? (?:for|of) (?:further )?(?:improvement|development)|further improvements?)\s+"
    r"(?:including|include|includes|are|were|such as)\s*:?\s*(?:the need (?:for|to)\s+)?",
    re.I,
)


def _from_sentences(blocks: list[_Block]) -> list[Item]:
    """Items reported in running text ("X should focus on A and B. It should also improve C")."""
    items: list[Item] = []
    for n, block in enumerate(blocks):
        text = re.sub(r"\s+", " ", block.text)
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", text):
            m = _REPORTED_RE.search(sentence)
            if not m or not re.search(r"ofsted|inspect|report|should|improv|authority|council", text, re.I):
                continue
            subject = sentence[: m.start()]
            if re.search(r"\b(?:we|i|committee|cabinet|members)\b", subject, re.I) and "should" not in m.group(0).lower():
                continue
            rest = sentence[m.end():].rstrip(" .")
            if rest.endswith(":"):
                items.extend(_list_after(blocks, n + 1, block.first.page))
                continue
            if not re.search(r"(?i)should|need|improv|including", m.group(0)):
                continue
            for part in _split_list(rest):
                items.append(Item(text=part[:1].upper() + part[1:] + ".", section="reported", page=block.first.page))
    return items


def _list_after(blocks: list[_Block], i: int, page: int) -> list[Item]:
    out = []
    while i < len(blocks) and blocks[i].first.marker:
        t = _finish(_Draft("reported", False, blocks[i].first.page, None, [blocks[i].text]))
        if t:
            out.append(t)
        i += 1
    return out


def _split_list(text: str) -> list[str]:
    """Split "A and the B, C and D and E" style lists into their items."""
    parts = re.split(r",?\s+and\s+should\s+(?:also\s+)?|\s+and\s+(?=the\s)|;\s*", text)
    out: list[str] = []
    for part in parts:
        part = part.strip(" ,")
        if not part:
            continue
        if "," in part and not re.search(r"\b(?:including|with particular regard to|such as|so that)\b", part):
            pieces = re.split(r",\s*(?:and\s+)?|\s+and\s+(?=\w+ing\b)", part)
            if all(len(p.split()) <= 8 for p in pieces) and len(pieces) > 1:
                out.extend(p.strip() for p in pieces if p.strip())
                continue
        ands = [m.start() for m in re.finditer(r"\s+and\s+", part)]
        if len(ands) >= 2 and "," not in part[ands[0]:ands[1]]:
            tail = part[ands[-1]:].strip()[4:]
            if len(tail.split()) >= 3:
                out.extend([part[: ands[-1]].strip(), tail.strip()])
                continue
        out.append(part)
    return [p for p in out if len(p.split()) >= 2]
