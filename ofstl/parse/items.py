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
from ofstl.parse.sections import (
    BULLET_RE,
    LSCB_PART_RE,
    NUMBER_RE,
    Line,
    Paragraph,
    document_lines,
    is_headingish,
    is_stop,
    label,
    match_strength,
    match_sub,
    match_weakness,
    paragraphs,
    toc_pages,
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
class _Draft:
    section: str
    priority: bool
    page: int
    x0: float | None
    parts: list[str] = field(default_factory=list)
    one_line: bool = False  # the last paragraph added was a single line (a wrapped first line)


# --------------------------------------------------------------------------- main entry


def extract_items(pages: list[Page], kind: str) -> tuple[list[Item], list[Item]]:
    """(weaknesses, strengths) as the document lists them. ``kind`` is the source kind
    ("ofsted-report", "ofsted-letter", "council-paper", "news", "other")."""
    lines = document_lines(pages)
    blocks = paragraphs(lines)
    secondary = kind in ("news", "council-paper")
    weaknesses, strengths = _from_headings(blocks, toc_pages(lines), secondary)
    if kind in ("news", "council-paper", "other"):
        reported_weak, reported_strong = _reported_lists(blocks)
        seen = {_key(i.text) for i in weaknesses}
        weaknesses += [i for i in _from_sentences(blocks) + reported_weak if _key(i.text) not in seen]
        strengths += reported_strong
    return weaknesses, strengths


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()[:80]


def _from_headings(blocks: list[Paragraph], toc: set[int], secondary: bool) -> tuple[list[Item], list[Item]]:
    weaknesses: list[Item] = []
    strengths: list[Item] = []
    lscb = False
    umbrella = ""
    i = 0
    while i < len(blocks):
        block = blocks[i]
        text = block.heading
        if id(block.first) in toc:
            i += 1
            continue
        if LSCB_PART_RE.match(text):
            lscb, umbrella = True, ""
        weak = match_weakness(text)
        if weak and secondary and weak[0].lower().startswith("recommendation"):
            weak = None
        strong = None if weak else match_strength(text)
        if not weak and not strong:
            i += 1
            continue
        section = weak[0] if weak else strong
        if weak and re.match(r"(?i)what does the", section):
            umbrella = section if re.search(r"(?i)lscb|safeguarding", section) else ""
            lscb = lscb or bool(umbrella)
        elif umbrella and weak:
            section = f"{umbrella} — {section}"
        elif lscb and not re.search(r"(?i)lscb|safeguarding", section):
            section += " (LSCB)"
        items, i = _collect(blocks, i + 1, section, bool(weak and weak[1]))
        (weaknesses if weak else strengths).extend(items)
    return weaknesses, strengths


def _collect(blocks: list[Paragraph], i: int, section: str, priority: bool) -> tuple[list[Item], int]:
    """Items from blocks[i:] up to the end of the section; returns them and where it ended."""
    drafts: list[_Draft] = []
    sub, sub_prio = "", False
    kind: str | None = None  # "bullet", "number" or "para"
    pending: list[str] = []  # markers printed apart from their text (text without layout)
    while i < len(blocks):
        block, text = blocks[i], blocks[i].text
        first, head = block.first, block.heading
        cur = drafts[-1] if drafts else None
        marker = first.marker
        where = f"{section} — {sub}" if sub else section
        if marker and not _strip_marker(text):
            pending.append(marker)  # a marker with no text: its text comes later
            i += 1
            continue
        if marker is None and match_sub(head):
            sub, sub_prio = match_sub(head)  # type: ignore[misc]
            i += 1
            continue
        if (marker is None or match_weakness(head) or match_strength(head)) and is_stop(head):
            if is_stop(head, soft=False) or not _list_goes_on(cur, kind, blocks, i):
                break
            sub, sub_prio = label(head), False  # a judgement name grouping the items
            i += 1
            continue
        if marker is None and pending and not (cur and cur.one_line and text[:1].islower()):
            marker = pending.pop(0)
        if cur and marker is None and _continues(cur, block, kind, blocks, i):
            cur.parts.append(text)
            cur.one_line = len(block.lines) == 1
            i += 1
            continue
        so_far = " ".join(cur.parts) if cur else ""
        lead_in = so_far.rstrip().endswith(":") and not (marker and _is_sub_bullet(cur, first))  # type: ignore[arg-type]
        if cur and (LEAD_IN_RE.search(so_far) or NOTHING_RE.search(so_far) or lead_in):
            drafts.pop()  # the lead-in ("... should take the following action.")
            cur = drafts[-1] if drafts else None
            kind = kind if drafts else None
        if marker:
            if cur and _is_sub_bullet(cur, first):
                sep = "" if cur.parts[-1].rstrip().endswith(":") else ";"
                cur.parts[-1] = cur.parts[-1].rstrip() + sep
                cur.parts.append(_strip_marker(text))  # a sub-bullet belongs to its parent item
                i += 1
                continue
            if kind == "bullet" and marker == "number" and cur and first.x0 is not None and cur.x0 is not None and first.x0 < cur.x0 - 3:
                break  # numbered body paragraphs after a bullet list
            if (LEAD_IN_RE.search(text) or NOTHING_RE.search(text)) and not drafts:
                i += 1
                continue
            if kind is None or not drafts:
                kind = marker
            elif marker != kind and kind != "para" and not NOT_AN_ITEM_RE.search(text):
                break
            drafts.append(_Draft(where, priority or sub_prio, first.page, first.x0, [text], len(block.lines) == 1))
            i += 1
            continue
        # A paragraph without a marker.
        if is_headingish(head) and len(block.lines) <= 2:
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            follows = nxt is not None and (
                nxt.first.marker and kind in (None, "para", nxt.first.marker) or not drafts and not is_headingish(nxt.heading)
            )
            if follows:
                sub, sub_prio = label(head), False  # a sub-heading inside the list ("Leadership")
                i += 1
                continue
            break
        if NOT_AN_ITEM_RE.search(text) and not drafts:
            i += 1
            continue
        if kind in ("bullet", "number") and drafts:
            break  # prose after the list
        kind = "para"
        drafts.append(_Draft(where, priority or sub_prio, first.page, first.x0, [text]))
        i += 1
    items = [_finish(d) for d in drafts]
    return [it for it in items if it is not None], i


def _list_goes_on(cur: _Draft | None, kind: str | None, blocks: list[Paragraph], i: int) -> bool:
    """Whether the list carries on after a heading: the next paragraph opens an item of the
    same kind and, for numbered lists, with the next number."""
    nxt = blocks[i + 1] if i + 1 < len(blocks) else None
    if cur is None or nxt is None or nxt.first.marker != kind:
        return False
    if kind == "number":
        last, new = NUMBER_RE.match(cur.parts[0]), NUMBER_RE.match(nxt.first.text)
        return bool(last and new and int(new.group(1)) == int(last.group(1)) + 1)
    return True


def _is_sub_bullet(cur: _Draft, line: Line) -> bool:
    """A bullet indented under the current item (a different glyph, or clearly deeper)."""
    other_glyph = line.text.lstrip()[:1] != cur.parts[0].lstrip()[:1]
    if cur.x0 is None or line.x0 is None:
        return other_glyph and any(p.rstrip().endswith(":") for p in cur.parts)
    indent = line.x0 - cur.x0
    return indent > 14 or indent > 8 and other_glyph


def _strip_marker(text: str) -> str:
    text = re.sub(r"^\s*\(cid:\d+\)\s*", "", text)
    return NUMBER_RE.sub("", BULLET_RE.sub("", text, count=1), count=1).strip()


def _continues(cur: _Draft, block: Paragraph, kind: str | None, blocks: list[Paragraph], i: int) -> bool:
    """Whether a new paragraph carries on the current item (wrapped or page-broken)."""
    line = block.first
    so_far = " ".join(cur.parts).rstrip()
    open_end = not so_far.endswith(_TERMINAL)
    if line.text[:1].islower() or line.text[:1] in "(,;":
        return True
    nxt = blocks[i + 1] if i + 1 < len(blocks) else None
    if not open_end and nxt is not None and nxt.first.marker and is_headingish(block.heading):
        return False  # a sub-heading between finished items
    if line.x0 is not None and cur.x0 is not None:
        if kind in ("bullet", "number") and line.x0 > cur.x0 + 3:
            return True
        return open_end and abs(line.x0 - cur.x0) <= 3 and not is_headingish(block.heading)
    if open_end:
        return not is_headingish(block.heading)
    if kind in ("bullet", "number"):
        # Without layout, a paragraph inside a list is part of the item above it when more
        # items of the same list follow.
        for nxt in blocks[i + 1 : i + 4]:
            if nxt.first.marker == kind:
                return True
            if is_stop(nxt.heading) or is_headingish(nxt.heading):
                return False
    return False


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


def _from_sentences(blocks: list[Paragraph]) -> list[Item]:
    """Items reported in running text ("X should focus on A and B. It should also improve C")."""
    items: list[Item] = []
    for n, block in enumerate(blocks):
        text = re.sub(r"\s+", " ", block.text)
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", text):
            m = _REPORTED_RE.search(sentence)
            if not m:
                continue
            if re.search(r"\b(?:we|i|committee|cabinet)\b", sentence[: m.start()], re.I):
                continue  # the council's own intentions, not what inspectors reported
            rest = sentence[m.end():].rstrip(" .")
            if rest.endswith(":"):
                items.extend(_list_after(blocks, n + 1))
                continue
            if not re.search(r"(?i)should|need|improv|including", m.group(0)):
                continue
            for part in _split_list(rest):
                items.append(Item(text=part[:1].upper() + part[1:] + ".", section="reported", page=block.first.page))
    return items


_PRAISE_LEAD_RE = re.compile(r"\b(?:highlighted|noted|found|praised|outlines?|strengths? (?:include|are|were))\b[^:]{0,40}:$", re.I)


def _reported_lists(blocks: list[Paragraph]) -> tuple[list[Item], list[Item]]:
    """Bullet lists an article introduces with "inspectors highlighted:": strengths, except
    the bullets that turn ("However, ...")."""
    weak: list[Item] = []
    strong: list[Item] = []
    for n, block in enumerate(blocks):
        if block.first.marker or not _PRAISE_LEAD_RE.search(block.text.strip()):
            continue
        start = n + 1
        if start + 1 < len(blocks) and not blocks[start].first.marker and blocks[start + 1].first.marker:
            start += 1  # a summary sentence between the lead and its bullets
        for item in _list_after(blocks, start):
            turned = re.sub(r"(?i)^however,?\s*", "", item.text)
            if turned == item.text:
                strong.append(item)
            else:
                item.text = turned[:1].upper() + turned[1:]
                weak.append(item)
    return weak, strong


def _list_after(blocks: list[Paragraph], i: int) -> list[Item]:
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
