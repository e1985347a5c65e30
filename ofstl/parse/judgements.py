"""Graded judgements, read twice: from the grade table and from the body text.

The table reading uses positions where the PDF has them: each grade cell is paired with the
label cell beside it (largest vertical overlap), which is what a reader does and what plain
text order gets wrong when a label wraps over two lines. Without positions (text, HTML) the
cells are paired in reading order: a grade goes to the oldest label still waiting for one.
The body reading looks for the sentences reports print ("The overall judgement is ...",
"The experiences and progress of children in care: good"). ``combine`` keeps both and flags
any disagreement instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ofstl.models import Judgement, Page
from ofstl.parse.grades import GRADE_PHRASE, canonical, normalise_grade
from ofstl.parse.labels import label_key


@dataclass
class Reading:
    key: str
    grade: str
    printed: str
    label: str
    page: int
    method: str


@dataclass
class _Cell:
    text: str
    page: int
    x0: float = 0.0
    y0: float = 0.0
    x1: float = 0.0
    y1: float = 0.0
    positioned: bool = False


_NUMBERED_LINE = re.compile(r"^\s*\d(?:\.\d)?\.?\s+\S")
_TAB_GRADE = re.compile(
    r"^(?P<label>.*\S)(?:\t[\t ]*|[ ]{2,})\**(?P<grade>(?:" + GRADE_PHRASE + r")(?:\s*\(grade\s*[1-4]\))?|grade\s*[1-4](?:\s*\(\w+\))?)\**\.?\s*$",
    re.IGNORECASE,
)
# SLAC reports grade two blocks, each with its own "Overall effectiveness" and capacity.
_BLOCK_HEADINGS = [
    (re.compile(r"^(?:\d+\.?\s+)?(?:the )?(?:effectiveness of )?safeguarding services$"), "safeguarding"),
    (re.compile(r"^(?:\d+\.?\s+)?(?:the )?(?:effectiveness of )?(?:services for (?:looked after children|children looked after)|looked after children(?:.s)? services)(?: and young people)?$"), "children_in_care"),
]


def _block_heading(lowered: str) -> str | None:
    lowered = lowered.lstrip("#* ").replace("’", "'")
    if len(lowered) > 90:
        return None
    for pattern, block in _BLOCK_HEADINGS:
        if pattern.match(lowered):
            return block
    return None


def _clean(text: str) -> str:
    # Tabs inside words come from some text conversions ("Child\tren").
    text = re.sub(r"(?<=[a-z])\t(?=[a-z])", "", text)
    return text.replace("**", "").replace("\t", " ")


def _split_labels(cell: _Cell) -> list[_Cell]:
    """A cell holding several numbered labels ("1. ...\\n2. ...") becomes one cell each."""
    lines = [ln for ln in cell.text.split("\n") if ln.strip()]
    if len(lines) < 2 or sum(bool(_NUMBERED_LINE.match(ln)) for ln in lines) < 2:
        return [cell]
    groups: list[list[int]] = []
    for i, line in enumerate(lines):
        if _NUMBERED_LINE.match(line) or not groups:
            groups.append([i])
        else:
            groups[-1].append(i)
    height = (cell.y1 - cell.y0) / len(lines) if cell.positioned else 0
    out = []
    for group in groups:
        top = cell.y1 - group[0] * height
        bottom = cell.y1 - (group[-1] + 1) * height
        out.append(_Cell(" ".join(lines[i] for i in group), cell.page, cell.x0, bottom, cell.x1, top, cell.positioned))
    return out


def _cells(page: Page) -> list[_Cell]:
    if page.boxes:
        raw = [_Cell(b.text, page.number, b.x0, b.y0, b.x1, b.y1, True) for b in page.boxes]
    else:
        raw = [_Cell(part, page.number) for part in re.split(r"\n\s*\n", page.text)]
    cells: list[_Cell] = []
    for cell in raw:
        if not cell.text.strip():
            continue
        if cell.positioned:
            cell.text = _clean(cell.text)
        else:
            # A text table row "label<TAB>grade" is a label cell and a grade cell.
            for line in cell.text.split("\n"):
                line = line.strip().lstrip("#").strip()
                if line.startswith("|"):
                    # A Markdown table row: "| Overall effectiveness | Good (Grade 2) |".
                    parts = [c.strip() for c in line.strip("|").split("|")]
                    if len(parts) >= 2 and label_key(parts[0]) and normalise_grade(parts[1]):
                        cells.append(_Cell(parts[0], page.number))
                        cells.append(_Cell(parts[1], page.number))
                    elif not set(line) <= set("|-: "):
                        cells.append(_Cell(" ".join(parts), page.number))
                    continue
                match = _TAB_GRADE.match(re.sub(r"(?<=[a-z])\t(?=[a-z])", "", line).replace("**", "").strip())
                if match and label_key(match["label"]):
                    cells.append(_Cell(_clean(match["label"]), page.number))
                    cells.append(_Cell(match["grade"], page.number))
                elif line.strip():
                    cells.append(_Cell(_clean(line), page.number))
            continue
        cells.extend(_split_labels(cell))
    return _join_text_cells(cells) if not (page.boxes) else cells


def _join_text_cells(cells: list[_Cell]) -> list[_Cell]:
    """In text without positions, a label or grade wraps over lines: join the pieces."""
    out: list[_Cell] = []
    for cell in cells:
        if out:
            joined = out[-1].text.rstrip() + " " + cell.text.strip()
            prev_is_label = label_key(out[-1].text) is not None
            if normalise_grade(joined) and (not normalise_grade(out[-1].text) or re.fullmatch(r"\s*to be good\W*", cell.text, re.I)):
                out[-1].text = joined
                continue
            if not prev_is_label and not normalise_grade(out[-1].text) and label_key(joined) and not label_key(cell.text):
                out[-1].text = joined
                continue
            starts_grade = re.match(r"\s*(?:requires?|outstanding|good|inadequate|adequate|grade\b|to be good)", cell.text, re.I)
            if prev_is_label and label_key(joined) and not label_key(cell.text) and not normalise_grade(cell.text) and len(cell.text) < 40 and not starts_grade:
                out[-1].text = joined
                continue
        out.append(_Cell(cell.text, cell.page))
    return out


def _overlap(a: _Cell, b: _Cell) -> float:
    return min(a.y1, b.y1) - max(a.y0, b.y0)


def table_readings(pages: list[Page], max_pages: int = 40) -> list[Reading]:
    """Label/grade pairs from grade tables and "heading / Grade 3 (Adequate)" blocks."""
    readings: list[Reading] = []
    block: str | None = None
    for page in pages[:max_pages]:
        cells = _cells(page)
        used: set[int] = set()
        # 1. Positioned pairs: a grade cell with a label cell to its left on the same row.
        if page.boxes:
            labels = [(i, c) for i, c in enumerate(cells) if label_key(c.text)]
            grades = [(i, c) for i, c in enumerate(cells) if normalise_grade(c.text)]
            pairs = []
            for gi, g in grades:
                for li, lab in labels:
                    if lab.x1 <= g.x0 + 4 and _overlap(lab, g) > 0.3 * min(g.y1 - g.y0, lab.y1 - lab.y0):
                        pairs.append((-_overlap(lab, g), gi, li))
            for _, gi, li in sorted(pairs):
                if gi in used or li in used:
                    continue
                used.update({gi, li})
                lab, g = cells[li], cells[gi]
                readings.append(Reading(label_key(lab.text) or "", normalise_grade(g.text) or "", " ".join(g.text.split()), " ".join(lab.text.split()), page.number, "table"))
        # 2. Reading order for the rest: a grade goes to the oldest label still waiting.
        pending: list[_Cell] = []
        for i, cell in enumerate(cells):
            if i in used:
                continue
            text = " ".join(cell.text.split())
            lowered = text.lower().rstrip(" :")
            heading_block = _block_heading(lowered)
            if heading_block:
                block = heading_block
                pending = []
                continue
            grade = normalise_grade(text)
            if grade:
                if pending:
                    lab = pending.pop(0)
                    key = label_key(lab.text) or ""
                    if block and key in {"overall", "capacity"}:
                        key = _block_key(key, block)
                    readings.append(Reading(key, grade, text, " ".join(lab.text.split()), page.number, "table"))
                continue
            if label_key(text):
                pending.append(cell)
            elif re.fullmatch(r"\d{1,3}|grade|judge?ment|judge?ments", lowered):
                continue
            else:
                pending = []
    return readings


def _block_key(key: str, block: str) -> str:
    if key == "overall":
        return "help_and_protection" if block == "safeguarding" else "children_in_care"
    return "capacity_safeguarding" if block == "safeguarding" else "capacity_children_in_care"


_G = r"(?P<grade>" + GRADE_PHRASE + r")(?![\w-])"
_VERB = r"\s*(?:are|is|:|–|-|remains?|continues? to be|now)?\s*(?:judged (?:to be |as )?)?"
BODY_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p, re.IGNORECASE), key)
    for p, key in [
        (r"the overall judge?ment is (?:that )?(?:children.s services (?:are |is )?)?" + _G, "overall"),
        (r"children.s services in [A-Z][A-Za-z ,.'’&-]{1,60}? (?:are|is) " + _G, "overall"),
        (r"children.s services in [A-Z][A-Za-z ,.'’&-]{1,60}? (?P<grade>requires? improvement(?: to be good)?)", "overall"),
        (r"experiences and progress of children who need help and protection" + _VERB + _G, "help_and_protection"),
        (r"experiences and progress of children looked after and achieving permanence" + _VERB + _G, "children_in_care"),
        (r"experiences and progress of children in care and care leavers" + _VERB + _G, "children_in_care"),
        (r"experiences and progress of children in care(?! and)" + _VERB + _G, "children_in_care"),
        (r"experiences and progress of care leavers" + _VERB + _G, "care_leavers"),
        (r"impact of leaders on social work practice with children and families" + _VERB + _G, "leadership"),
        (r"leadership, management and governance" + _VERB + _G, "leadership"),
        (r"graded judge?ment (?:for|about|on) adoption performance is " + _G, "adoption"),
        (r"graded judge?ment (?:for|about|on) the experiences and progress of care leavers is " + _G, "care_leavers"),
        (r"effectiveness of the local safeguarding children board(?: \(lscb\))?" + _VERB + _G, "lscb"),
        (r"\bthe local safeguarding children board(?: \(lscb\))?" + _VERB + _G, "lscb"),
        (r"\bthe lscb (?:is )?" + _G, "lscb"),
        (r"overall effectiveness of services for looked after children and young people in [A-Z][\w ]{1,40}? is " + _G, "children_in_care"),
        (r"children.s services (?:in [A-Z][A-Za-z ,.'’&-]{1,60}? )?(?:is |are )?(?:judged to |rated as )?(?P<grade>performs? (?:excellently|well|adequately|poorly))", "overall"),
        (r"capacity to improve services for looked after children and young people in [A-Z][\w ]{1,40}? is " + _G, "capacity"),
    ]
]


def body_readings(pages: list[Page]) -> list[Reading]:
    """Judgements stated in sentences or headings of the body text."""
    readings: list[Reading] = []
    for page in pages:
        text = " ".join(_clean(page.text).split())
        for pattern, key in BODY_PATTERNS:
            for match in pattern.finditer(text):
                after = text[match.end(): match.end() + 3]
                if after.startswith("-") or re.match(r"\s*(?:practice|quality|progress|standard)", after):
                    continue  # "good-quality", "good practice": description, not a grade
                printed = match["grade"]
                readings.append(Reading(key, canonical(printed), printed, match.group(0)[:80], page.number, "body"))
    return readings


def combine(readings: list[Reading]) -> dict[str, Judgement]:
    """One Judgement per key: the table reading first, the body second; disagreements flagged."""
    by_key: dict[str, list[Reading]] = {}
    for r in readings:
        if r.key and r.grade:
            by_key.setdefault(r.key, []).append(r)
    out: dict[str, Judgement] = {}
    for key, rs in by_key.items():
        first_table = next((r for r in rs if r.method == "table"), None)
        first_body = next((r for r in rs if r.method == "body"), None)
        chosen = first_table or first_body or rs[0]
        # Every distinct grade the document gives for this key is kept as a reading.
        kept: list[Reading] = []
        for r in [chosen] + [r for r in rs if r.method == "body"]:
            if all(r.grade != k.grade or r.method != k.method for k in kept):
                kept.append(r)
        conflict = len({r.grade for r in kept}) > 1
        out[key] = Judgement(
            key=key,
            grade=chosen.grade,
            printed=chosen.printed,
            label=chosen.label,
            page=chosen.page,
            method=chosen.method,
            readings=[{"grade": r.grade, "printed": r.printed, "page": r.page, "method": r.method} for r in kept] if len(kept) > 1 else [],
            conflict=conflict,
        )
    return out
