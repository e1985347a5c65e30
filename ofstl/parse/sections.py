"""Document text as clean lines, without page furniture, for the section parsers.

The improvement and strength lists that ``ofstl.parse.items`` reads span pages, and
pdfminer's reading order breaks them: a bullet glyph or a list number often comes out as
a box of its own, far from its text, and every page repeats running headers, footers,
page numbers and footnotes. This module rebuilds one ordered list of ``Line``s for the
whole document: boxes are re-ordered top to bottom, lone markers are put back in front of
their text, and furniture is dropped. Text and HTML pages (no boxes) go through the same
furniture filter, with blank lines as paragraph breaks.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ofstl.models import Box, Page

# Bullet glyphs seen in Ofsted PDFs (Wingdings private-use code points included) and text.
BULLETS = "◼■▪●•◦‣∙·−\u2043\uf06e\uf0a7\uf02d\uf0b7\uf0d8\uf076\uf0fc\uf02e\uf0a8-–—*"
BULLET_RE = re.compile(rf"^\s*(?:[{re.escape(BULLETS)}]|\(cid:\d+\))(?:\s+|$)")
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
        """"bullet", "number" or None: what kind of list marker the line opens with."""
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
        lines.append(Line(t, page.number, blank or tagged or bool(BULLET_RE.match(t) or NUMBER_RE.match(t)), None))
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
    repeated = {t for t, n in edge_counts.items() if n >= threshold and len(t) > 3 and not LONE_MARKER_RE.match(t)}
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


_FOOTNOTE_RE = re.compile(r"^\d{1,2}\s?[A-Z][a-z]")


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
