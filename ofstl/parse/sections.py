"""Document text as clean paragraphs without page furniture, and the section headings.

The improvement and strength lists that ``ofstl.parse.items`` reads span pages, and
pdfminer's reading order breaks them: a bullet glyph or a list number often comes out as
a box of its own, far from its text, and every page repeats running headers, footers,
page numbers and footnotes. This module rebuilds one ordered list of ``Line``s for the
whole document: boxes are re-ordered top to bottom, lone markers are put back in front of
their text, and furniture is dropped. Text and HTML pages (no boxes) go through the same
furniture filter, with blank lines as paragraph breaks. The heading vocabulary of every
framework's improvement and strength sections (FRAMEWORKS.md section 1.5) lives here too.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ofstl.models import Box, Page

# Bullet glyphs seen in Ofsted PDFs (Wingdings private-use code points included) and text.
BULLETS = "◼■▪●•◦‣∙·−\u2043\uf06e\uf0a7\uf02d\uf0b7\uf0d8\uf076\uf0fc\uf02e\uf0a8-–—*"
# A glyph that is never a word's first character is a bullet even glued to its text ("•Improve",
# as a PDF or a pasted list can give it); a dash, an asterisk or a minus sign is one only before
# a space, or (a dash) glued to a capital ("-Improve"): "-based", "−5", "*see" are words. An
# unmapped glyph "(cid:N)" glued to a small letter is a ligature ("(cid:2)nancial"), not a bullet.
_GLUED_BULLETS = "".join(b for b in BULLETS if b not in "-–—*−")
BULLET_RE = re.compile(
    rf"^\s*(?:[{re.escape(_GLUED_BULLETS)}]\s*|(?:[{re.escape(BULLETS)}]|\(cid:\d+\))(?:\s+|$)|(?:[-–—]|\(cid:\d+\))(?=[A-Z]))"
)
NUMBER_RE = re.compile(r"^\s*\(?(\d{1,3})[.)](?:\s+|$)")
LONE_MARKER_RE = re.compile(rf"^\s*(?:[{re.escape(BULLETS)}]|\(cid:\d+\)|\(?\d{{1,3}}[.)])\s*$")

_FURNITURE_RES = [
    re.compile(p, re.I)
    for p in (
        r"^\d{1,3}$",  # page number
        r"^page \d+( of \d+)?$",
        r"^/?cont\.*$|^/cont",
        r"©|\bcrown copyright\b",
        r"^(https?://|www\.)\S+$",
        r"^(inspection |unique )?ref(erence)?(\s*(no|number))?\.?\s*:?\s*[\w/-]*\d[\w/-]*$",
        r"^(local authority|inspection) (ref|number|reference)\b.{0,40}$",
        r"^inspection of .{3,140}(children.s services|social care services|local authority)\s*$",
        r"^inspection dates?:? .{0,60}\d{4}$",
        r"^.{3,100} inspection of (looked after children|safeguarding|services for).{0,60}$",
        r"^\d{1,2}(st|nd|rd|th)? [a-z]+ (to|-|–) \d{1,2}(st|nd|rd|th)? [a-z]+ \d{4}$",
        r"^\d{1,2} (to|-|–) \d{1,2} [a-z]+ \d{4}$",
        r"^_+$",
    )
]


@dataclass
class Line:
    """One line of document text. ``start`` is true when it opens a box or paragraph;
    ``x0`` is the left edge of its box (None for text without layout)."""

    text: str
    page: int
    start: bool = True
    x0: float | None = None

    @property
    def marker(self) -> str | None:
        """What kind of list marker the line opens with: "bullet", "number" or None."""
        if BULLET_RE.match(self.text):
            return "bullet"
        if NUMBER_RE.match(self.text):
            return "number"
        return None


def clean(text: str) -> str:
    """One line's text with odd spaces collapsed."""
    text = text.replace("\u00a0", " ").replace("\t", " ").replace("\u200b", "")
    return re.sub(r"\s+", " ", text).strip()


def _rows(boxes: list[Box]) -> list[list[Box]]:
    """Boxes grouped into rows by their top edge, top of page first, left to right."""
    rows: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: (-b.y1, b.x0)):
        if rows and abs(rows[-1][0].y1 - box.y1) <= 3:
            rows[-1].append(box)
        else:
            rows.append([box])
    return [sorted(row, key=lambda b: b.x0) for row in rows]


def _page_lines(page: Page) -> list[Line]:
    lines: list[Line] = []
    if page.boxes:
        markers = [b for b in page.boxes if LONE_MARKER_RE.match(b.text)]
        texts = [b for b in page.boxes if not LONE_MARKER_RE.match(b.text)]
        owner: dict[int, Box] = {}  # id(text box) -> the lone marker printed left of it
        for m in markers:
            right = [b for b in texts if b.x0 >= m.x1 - 2 and abs(b.y1 - m.y1) <= 6 and id(b) not in owner]
            if right:
                owner[id(min(right, key=lambda b: b.x0))] = m
        for row in _rows(texts + [m for m in markers if all(o is not m for o in owner.values())]):
            for box in row:
                text = box.text.strip("\n")
                for i, raw in enumerate(text.split("\n")):
                    t = clean(raw)
                    if not t:
                        continue
                    x0 = box.x0
                    if i == 0 and id(box) in owner:
                        t, x0 = clean(owner[id(box)].text) + " " + t, owner[id(box)].x0
                    lines.append(Line(t, page.number, i == 0, x0 if i == 0 else box.x0))
        return lines
    blank = True
    for raw in page.text.split("\n"):
        t = clean(raw)
        if not t or re.fullmatch(r"<[^>]+>", t):
            blank = True
            continue
        tagged = t.startswith("<")
        t = re.sub(r"^(?:<[^>]+>)+", "", t).strip()
        if t.startswith("#"):  # a Markdown heading is its own line
            t = t.lstrip("#").strip().replace("**", "")
            tagged = True
            if not t:
                continue
        # A number opens an item unless it is a wrapped "... (paragraph\n32)."
        numbered = NUMBER_RE.match(t) and (not lines or lines[-1].text.endswith((".", ":", ";", "?")))
        start = blank or tagged or bool(BULLET_RE.match(t) or numbered)
        heading = is_stop(t) or match_sub(t)
        if not start and lines and lines[-1].text.endswith((".", ":", "?")) and heading and not t.endswith("."):
            start = True  # a heading straight after a paragraph, with no blank line between
        lines.append(Line(t, page.number, start, None))
        blank = False
    return lines


def _is_furniture(text: str) -> bool:
    return any(r.search(text) for r in _FURNITURE_RES) and len(text) < 160


def document_lines(pages: list[Page]) -> list[Line]:
    """All pages' lines in reading order, with headers, footers, page numbers, footnotes,
    copyright and reference lines removed."""
    per_page = [_page_lines(p) for p in pages]
    # Running headers and footers: the same short line at the top or bottom of many pages.
    edge_counts: Counter[str] = Counter()
    for lines in per_page:
        edges = {re.sub(r"\d+", "#", l.text.lower()) for l in lines[:3] + lines[-4:]}
        edge_counts.update(edges)
    threshold = max(3, len(pages) * 0.3)
    repeated = {
        t
        for t, n in edge_counts.items()
        if n >= threshold and len(t) > 3 and not LONE_MARKER_RE.match(t) and not match_weakness(t) and not match_strength(t)
    }
    out: list[Line] = []
    for lines in per_page:
        kept = []
        for i, line in enumerate(lines):
            key = re.sub(r"\d+", "#", line.text.lower())
            at_edge = i < 3 or i >= len(lines) - 4
            if _is_furniture(line.text) or (at_edge and key in repeated):
                continue
            kept.append(line)
        out.extend(_drop_footnotes(kept))
    return out


_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_FOOTNOTE_RE = re.compile(rf"^\d{{1,2}}\s?(?!(?:{_MONTHS})\b)[A-Z][a-z]")


def _drop_footnotes(lines: list[Line]) -> list[Line]:
    """Footnotes ("1 The areas for improvement have been ...") sit at a page's foot:
    drop a footnote-looking paragraph and everything after it when it is near the end."""
    for i in range(max(0, len(lines) - 8), len(lines)):
        line = lines[i]
        if line.start and _FOOTNOTE_RE.match(line.text) and not NUMBER_RE.match(line.text):
            rest = lines[i:]
            if all(not l.start or _FOOTNOTE_RE.match(l.text) for l in rest) or len(rest) <= 4:
                return lines[:i]
    return lines


def paragraphs(lines: list[Line]) -> list[Paragraph]:
    """Lines grouped into paragraphs: a start line and the lines continuing it."""
    paras: list[Paragraph] = []
    for line in lines:
        if line.start or not paras:
            paras.append(Paragraph([line]))
        else:
            paras[-1].lines.append(line)
    return paras


@dataclass
class Paragraph:
    """A box or blank-line separated paragraph of text."""

    lines: list[Line]

    @property
    def text(self) -> str:
        return " ".join(l.text for l in self.lines)

    @property
    def first(self) -> Line:
        return self.lines[0]

    @property
    def heading(self) -> str:
        """The paragraph as a heading candidate: its first line when that alone is one."""
        first = self.first.text.strip()
        if len(self.lines) == 1 or match_weakness(first) or match_strength(first) or match_sub(first):
            return first
        return self.text


# --------------------------------------------------------------------------- headings

_H = r"^(?:\d{1,3}\.\s+)?(?:section \d+:?\s*)?"  # a heading may be numbered ("13. Priorities ...")
_END = r"\s*[:?.]?\s*\d?\s*[:?]?$"  # optional punctuation and a footnote mark ("improve?1")

# (pattern, priority): the headings items are listed under.
WEAKNESS_HEADINGS: list[tuple[re.Pattern[str], bool]] = [
    (re.compile(_H + p + _END, re.I), prio)
    for p, prio in (
        (r"what needs to improve(?: in this area of (?:social work )?practice)?", False),
        (r"what does the [\w'’ ]{2,60}? need to improve", False),
        (r"priority and immediate actions?", True),
        (r"areas? for priority action", True),
        (r"priority actions?", True),
        (r"(?:key )?areas? for (?:improvement|development)", False),
        (r"recommendations", False),
        (r"priorities for further improvement", False),
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
# Headings that close an item list: whole headings ($) or heading openings.
STOP_RE = re.compile(
    r"^(?:\d{1,3}\.\s+)?(?:"
    r"(?:main |headline |key |summary of (?:key )?)?findings|next steps|executive summary|contents|context|evidence"
    r"|record of main findings|about (?:this|the) inspection|yours sincerely|the local authority|previous ofsted inspections"
    r")\s*:?$"
    r"|^(?:\d{1,3}\.\s+)?(?:case stud(?:y|ies)|practice stud(?:y|ies)|summary (?:for|of)\b|information about\b"
    r"|inspection (?:findings|judgements?)\b|key strengths and weaknesses|the experiences and progress of"
    r"|the impact of leaders|the service meets the requirements|section \d|progress since the"
    r"|what the inspection judgements? mean|the effectiveness of the (?:lscb|local safeguarding))",
    re.I,
)
# Judgement names: they end a list, unless the same list goes on after them (a SIF's
# "Areas for improvement" may group its items under the judgements).
SOFT_STOP_RE = re.compile(
    r"^(?:overall effectiveness|quality of provision|leadership(?:,| and) management(?: and governance)?"
    r"|capacity (?:to|for) improve(?:ment)?|outcomes for looked after children(?: and young people)?"
    r"|children (?:who need help and protection|looked after(?: and achieving permanence)?)"
    r"|(?:the )?experiences and progress of care leavers|adoption performance)\s*:?$",
    re.I,
)
# Where a SIF report's second part, on the LSCB, begins.
LSCB_PART_RE = re.compile(
    r"^(?:section 2\b.*safeguarding|the local safeguarding children board \(lscb\)$|"
    r"inspection findings\s*[–-]\s*the local safeguarding)",
    re.I,
)


def label(text: str) -> str:
    """A heading as a section label: no list number, footnote mark or trailing colon."""
    text = re.sub(r"^\d{1,3}\.\s+", "", text)
    text = re.sub(r"(?<=[a-z?])\d$", "", text.strip())
    return text.rstrip(" :.").strip()


def match_weakness(text: str) -> tuple[str, bool] | None:
    """(label, priority) when ``text`` is an improvement heading."""
    if len(text) <= 120:
        for pattern, prio in WEAKNESS_HEADINGS:
            if pattern.match(text):
                return label(text), prio
    return None


def match_sub(text: str) -> tuple[str, bool] | None:
    """(label, priority) for "Immediately:" / "Within three months:" style sub-headings."""
    for pattern, prio in SUB_HEADINGS:
        if pattern.match(text):
            return label(text), prio
    return None


def match_strength(text: str) -> str | None:
    if len(text) <= 90 and any(p.match(text) for p in STRENGTH_HEADINGS):
        return label(text)
    return None


def is_headingish(text: str) -> bool:
    """Short, unpunctuated and capitalised: looks like a heading of some kind."""
    return (
        len(text) <= 100
        and len(text.split()) <= 14
        and not text.rstrip().endswith((".", ";", ",", ")"))
        and (text[:1].isupper() or text[:1].isdigit())
        and not BULLET_RE.match(text)
    )


def is_stop(text: str, soft: bool = True) -> bool:
    """Whether a heading ends the item list before it (``soft``: judgement names too)."""
    return bool(
        (STOP_RE.match(text) or soft and SOFT_STOP_RE.match(text))
        and len(text) <= 140
        and not text.rstrip().endswith((".", ";", ","))
        or match_weakness(text)
        or match_strength(text)
        or LSCB_PART_RE.match(text)
    )


def toc_pages(lines: list[Line]) -> set[int]:
    """ids of the lines of a table of contents: from a "Contents" line up to the first line
    that reads as prose. (A whole page in a PDF; a block of a text file with no pages.)"""
    out: set[int] = set()
    inside: int | None = None
    for line in lines:
        text = line.text.strip()
        if re.fullmatch(r"(?i)contents?", text):
            inside = line.page
            out.add(id(line))
            continue
        if inside is not None and line.page != inside:
            inside = None
        if inside is not None:
            if len(text) > 100 or text.endswith((".", ";")) and not re.search(r"\d$", text):
                inside = None
                continue
            out.add(id(line))
    return out
