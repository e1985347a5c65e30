#!/usr/bin/env python3
"""Build the sample PDFs in ``samples/`` from the team's source text in ``samples/src/``.

Each ``samples/src/<name>.yaml`` file holds the PDF's file name, metadata, running header and
footer and grade tables, and its text under ``body:`` in a small line-based markup. (The
sources are YAML, not Markdown, so that ``ofstl ingest samples`` skips them and reads only
the documents themselves.)

    # Title line                  large bold line (one per line; consecutive ones stack)
    ## Heading                    section heading
    ### Subheading                smaller bold heading
    Plain lines                   a paragraph (consecutive lines are joined)
    | kept line                   a line printed as is (addresses, signatures, title blocks)
    - bullet text                 a bullet item with a square bullet and a hanging indent
    #. paragraph text             a numbered paragraph (numbers run on through the document)
    @table NAME                   a two-column grade table from the front matter ``tables``
    @letterhead                   Ofsted's address block at the top of a letter
    @footnote TEXT                a footnote at the foot of the current page
    @restart [N]                  number the next numbered paragraph N + 1 (default 1)
    @pagebreak                    start a new page
    @space POINTS                 vertical space

Continuation lines of a bullet or numbered paragraph are indented by two spaces.

The layout copies the traps of real Ofsted PDFs on purpose: on the front page of an ILACS or
SIF report the grade table has a judgement column whose labels wrap over two lines and a
grade column whose words are vertically centred beside them ("Requires improvement" wraps
too), so plain text extraction interleaves the cells; pages after the first carry running
headers and footers with page numbers.

Output is deterministic: the same sources, fpdf2 version and font files give byte-identical
PDFs (fixed creation dates, no random ids). ``samples/src/pdf-build.json`` records the
fpdf2 version and the font files used, so the test can tell a real difference from a
different toolchain.

Usage:  python samples/make_pdfs.py [--out DIR] [NAME ...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import sys
from pathlib import Path

import yaml

try:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos
except ImportError:  # pragma: no cover - reported to the user below
    FPDF = None  # type: ignore[assignment,misc]

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
BUILD_INFO = SRC / "pdf-build.json"

# DejaVu Sans carries the square bullet (U+25FC) and typographic quotes. Looked up in the
# usual places; without it the standard Helvetica font is used, with "-" for bullets and
# ASCII quotes, and the PDFs then differ from the committed ones (the test says so).
FONT_DIRS = [
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/share/fonts/dejavu-sans-fonts"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
]
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}

PAGE_W, PAGE_H = 595.28, 841.89  # A4 in points
LEFT, RIGHT, TOP, BOTTOM = 72.0, 72.0, 64.0, 78.0
BODY_SIZE, BODY_LH = 11.0, 14.2
PARA_GAP = 9.0
BULLET = "\u25fc"


def find_fonts() -> dict[str, Path] | None:
    for folder in FONT_DIRS:
        paths = {style: folder / name for style, name in FONT_FILES.items()}
        if all(p.is_file() for p in paths.values()):
            return paths
    return None


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def toolchain() -> dict:
    """What the output bytes depend on besides the sources."""
    import fpdf

    fonts = find_fonts()
    return {
        "fpdf2": fpdf.__version__,
        "fonts": {p.name: sha256(p) for p in fonts.values()} if fonts else "core Helvetica (DejaVu Sans not found)",
    }


_ASCII = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
    BULLET: "-", "\u00b9": "1", "\u2022": "-",
})


def read_source(path: Path) -> tuple[dict, list[str]]:
    meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(meta, dict) or "file" not in meta or "body" not in meta:
        raise SystemExit(f"{path}: a source needs at least 'file' and 'body'")
    return meta, meta["body"].split("\n")


def parse_blocks(lines: list[str]) -> list[tuple[str, str]]:
    """Markup lines -> (kind, text) blocks."""
    blocks: list[tuple[str, str]] = []
    para: list[str] = []
    item: tuple[str, list[str]] | None = None

    def flush() -> None:
        nonlocal para, item
        if para:
            blocks.append(("para", " ".join(para)))
            para = []
        if item:
            blocks.append((item[0], " ".join(item[1])))
            item = None

    for raw in lines:
        line = raw.rstrip()
        if item and line.startswith("  ") and line.strip():
            item[1].append(line.strip())
            continue
        if not line.strip():
            flush()
            continue
        if line.startswith("@"):
            flush()
            cmd, _, arg = line[1:].partition(" ")
            blocks.append((cmd, arg.strip()))
        elif line.startswith("### "):
            flush()
            blocks.append(("h3", line[4:].strip()))
        elif line.startswith("## "):
            flush()
            blocks.append(("h2", line[3:].strip()))
        elif line.startswith("# "):
            flush()
            blocks.append(("title", line[2:].strip()))
        elif line.startswith("| ") or line == "|":
            flush()
            blocks.append(("line", line[2:]))
        elif line.startswith("- "):
            flush()
            item = ("bullet", [line[2:].strip()])
        elif line.startswith("#. "):
            flush()
            item = ("numbered", [line[3:].strip()])
        else:
            if item:
                flush()
            para.append(line.strip())
    flush()
    return blocks


class SamplePDF(FPDF if FPDF else object):  # type: ignore[misc]
    def __init__(self, meta: dict, fonts: dict[str, Path] | None) -> None:
        super().__init__(orientation="P", unit="pt", format="A4")
        self.meta = meta
        self.unicode = fonts is not None
        if fonts:
            for style, path in fonts.items():
                self.add_font("Body", style, str(path))
            self.family = "Body"
        else:
            self.family = "Helvetica"
        self.set_margins(LEFT, TOP, RIGHT)
        self.set_auto_page_break(True, margin=BOTTOM)
        self.paragraph_no = 0
        created = meta["created"]
        if isinstance(created, str):
            created = dt.date.fromisoformat(created)
        self.set_creation_date(dt.datetime(created.year, created.month, created.day, 10, 0, 0, tzinfo=dt.timezone.utc))
        self.set_title(meta.get("pdf_title", ""))
        self.set_author(meta.get("pdf_author", "Ofsted"))
        self.set_subject(meta.get("pdf_subject", ""))
        self.set_creator("ofstl samples/make_pdfs.py")
        self.set_lang("en-GB")

    # ------------------------------------------------------------------ text helpers
    def t(self, text: str) -> str:
        return text if self.unicode else text.translate(_ASCII).encode("latin-1", "replace").decode("latin-1")

    def font(self, size: float = BODY_SIZE, style: str = "") -> None:
        self.set_font(self.family, style, size)

    def text_width(self) -> float:
        return PAGE_W - LEFT - RIGHT

    def lines_for(self, text: str, width: float) -> list[str]:
        return self.multi_cell(width, BODY_LH, self.t(text), dry_run=True, output="LINES")

    # ------------------------------------------------------------------ page furniture
    def header(self) -> None:
        if self.page_no() < self.meta.get("header_from", 2) or not self.meta.get("header"):
            return
        self.font(8)
        self.set_text_color(90, 90, 90)
        self.set_xy(LEFT, 30)
        self.cell(self.text_width(), 10, self.t(self.meta["header"]), align=self.meta.get("header_align", "R"))
        self.set_draw_color(160, 160, 160)
        self.set_line_width(0.4)
        self.line(LEFT, 43, PAGE_W - RIGHT, 43)
        self.set_text_color(0, 0, 0)
        self.set_xy(LEFT, TOP)

    def footer(self) -> None:
        number_from = self.meta.get("page_numbers_from", 1)
        footer = self.meta.get("footer")
        if footer and self.page_no() >= self.meta.get("footer_from", 2):
            self.font(8)
            self.set_text_color(60, 60, 60)
            y = PAGE_H - 50
            for line in str(footer).strip().split("\n"):
                self.set_xy(LEFT, y)
                self.cell(330, 10, self.t(line))
                y += 10
        if self.page_no() >= number_from:
            self.font(10)
            self.set_text_color(0, 0, 0)
            self.set_xy(PAGE_W - RIGHT - 60, PAGE_H - 52)
            self.cell(60, 12, str(self.page_no()), align="R")
        self.set_text_color(0, 0, 0)

    # ------------------------------------------------------------------ blocks
    def ensure_room(self, height: float) -> None:
        if self.get_y() + height > PAGE_H - BOTTOM:
            self.add_page()

    def block_title(self, text: str) -> None:
        size = self.meta.get("title_size", 20)
        self.font(size, "B")
        self.set_x(LEFT)
        self.multi_cell(self.text_width(), size * 1.25, self.t(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(size * 0.35)

    def block_heading(self, text: str, size: float) -> None:
        self.font(size, "B")
        n = len(self.multi_cell(self.text_width(), size * 1.3, self.t(text), dry_run=True, output="LINES"))
        self.ensure_room(n * size * 1.3 + 3 * BODY_LH + 10)
        self.ln(4)
        self.set_x(LEFT)
        self.multi_cell(self.text_width(), size * 1.3, self.t(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(PARA_GAP * 0.8)

    def block_para(self, text: str) -> None:
        self.font()
        self.set_x(LEFT)
        self.multi_cell(self.text_width(), BODY_LH, self.t(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(PARA_GAP)

    def block_line(self, text: str) -> None:
        self.font()
        self.set_x(LEFT)
        self.cell(self.text_width(), BODY_LH, self.t(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def hanging(self, mark: str, text: str, indent: float) -> None:
        self.font()
        width = self.text_width() - indent
        lines = self.lines_for(text, width)
        self.ensure_room(min(len(lines), 2) * BODY_LH)
        y = self.get_y()
        self.set_xy(LEFT, y)
        self.cell(indent, BODY_LH, self.t(mark))
        self.set_xy(LEFT + indent, y)
        self.multi_cell(width, BODY_LH, self.t(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(PARA_GAP * 0.8)

    def block_bullet(self, text: str) -> None:
        self.hanging(BULLET if self.unicode else "-", text, 16)

    def block_numbered(self, text: str) -> None:
        self.paragraph_no += 1
        self.hanging(f"{self.paragraph_no}.", text, 28)

    def block_letterhead(self) -> None:
        head = self.meta.get("letterhead", {})
        left = head.get("address", ["Ofsted", "Piccadilly Gate", "Store Street", "Manchester", "M1 2WD"])
        right = head.get("contact", ["T 0300 123 1231", "Textphone 0161 618 8524", "enquiries@ofsted.gov.uk", "www.gov.uk/ofsted"])
        top = 40
        self.font(9, "B")
        self.set_xy(LEFT, top)
        self.cell(100, 11, self.t(left[0]))
        self.font(9)
        for i, line in enumerate(left[1:], start=1):
            self.set_xy(LEFT, top + 11 * i)
            self.cell(100, 11, self.t(line))
        for i, line in enumerate(right):
            self.set_xy(LEFT + 116, top + 11 * i)
            self.cell(160, 11, self.t(line))
        self.set_xy(LEFT, top + 11 * max(len(left), len(right)) + 24)

    def block_footnote(self, text: str) -> None:
        self.font(8.5)
        width = self.text_width()
        lines = self.multi_cell(width, 10.5, self.t(text), dry_run=True, output="LINES")
        y0 = PAGE_H - BOTTOM - 6 - 10.5 * len(lines)
        keep = self.get_y()
        self.set_draw_color(0, 0, 0)
        self.set_line_width(0.5)
        self.line(LEFT, y0 - 5, LEFT + 140, y0 - 5)
        self.set_xy(LEFT, y0)
        auto = self.auto_page_break
        self.set_auto_page_break(False)
        self.multi_cell(width, 10.5, self.t(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_auto_page_break(auto, margin=BOTTOM)
        self.set_xy(LEFT, keep)

    def block_table(self, name: str) -> None:
        """A two-column grade table: wrapped labels, grades centred vertically beside them."""
        spec = self.meta["tables"][name]
        x0 = LEFT + spec.get("indent", 0)
        label_w, grade_w = spec["widths"]
        pad = spec.get("padding", 8)
        borders = spec.get("borders", True)
        size = spec.get("size", BODY_SIZE)
        lh = spec.get("line_height", BODY_LH)
        self.set_draw_color(0, 0, 0)
        self.set_line_width(0.6)

        def wrap(text: str, width: float, style: str = "") -> list[str]:
            self.font(size, style)
            return self.multi_cell(width, lh, self.t(text), dry_run=True, output="LINES")

        def draw_lines(lines: list[str], x: float, y: float, style: str) -> None:
            self.font(size, style)
            for i, line in enumerate(lines):
                self.set_xy(x, y + i * lh)
                self.cell(0, lh, line)

        y = self.get_y()
        head = spec.get("head")
        if head:
            h = lh + 2 * pad
            if borders:
                self.set_fill_color(230, 230, 230)
                self.rect(x0, y, label_w, h, style="DF")
                self.rect(x0 + label_w, y, grade_w, h, style="DF")
            draw_lines([self.t(head[0])], x0 + pad, y + pad, "B")
            draw_lines([self.t(head[1])], x0 + label_w + pad, y + pad, "B")
            y += h
        for row in spec["rows"]:
            label, grade = row[0], row[1]
            sub_indent = row[2] if len(row) > 2 else 0
            number = None
            m = re.match(r"^(\d+(?:\.\d+)?\.?)\s+(.*)$", label)
            if spec.get("hang_numbers") and m:
                number, label = m.group(1), m.group(2)
            num_w = spec.get("number_width", 0) if number else 0
            label_lines = wrap(label, label_w - 2 * pad - sub_indent - num_w)
            grade_lines = wrap(grade, grade_w - 2 * pad)
            n = max(len(label_lines), len(grade_lines))
            h = n * lh + 2 * pad
            if borders:
                self.rect(x0, y, label_w, h)
                self.rect(x0 + label_w, y, grade_w, h)
            ly = y + pad + (n - len(label_lines)) * lh / 2
            if number:
                draw_lines([number], x0 + pad + sub_indent, ly, spec.get("label_style", ""))
            draw_lines(label_lines, x0 + pad + sub_indent + num_w, ly, spec.get("label_style", ""))
            gy = y + pad + (n - len(grade_lines)) * lh / 2
            draw_lines(grade_lines, x0 + label_w + pad, gy, spec.get("grade_style", ""))
            y += h + spec.get("row_gap", 0)
        self.set_xy(LEFT, y + 16)

    # ------------------------------------------------------------------ driver
    def render(self, blocks: list[tuple[str, str]]) -> None:
        self.add_page()
        for kind, text in blocks:
            if kind == "title":
                self.block_title(text)
            elif kind == "h2":
                self.block_heading(text, self.meta.get("h2_size", 13))
            elif kind == "h3":
                self.block_heading(text, self.meta.get("h3_size", 11.5))
            elif kind == "para":
                self.block_para(text)
            elif kind == "line":
                self.block_line(text)
            elif kind == "bullet":
                self.block_bullet(text)
            elif kind == "numbered":
                self.block_numbered(text)
            elif kind == "table":
                self.block_table(text)
            elif kind == "letterhead":
                self.block_letterhead()
            elif kind == "footnote":
                self.block_footnote(text)
            elif kind == "pagebreak":
                self.add_page()
            elif kind == "space":
                self.ln(float(text))
            elif kind == "restart":
                self.paragraph_no = int(text or 0)
            else:
                raise SystemExit(f"{self.meta['file']}: unknown directive @{kind}")


def build(source: Path, out_dir: Path, fonts: dict[str, Path] | None) -> Path:
    meta, lines = read_source(source)
    pdf = SamplePDF(meta, fonts)
    pdf.render(parse_blocks(lines))
    target = out_dir / meta["file"]
    target.write_bytes(bytes(pdf.output()))
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE, help="where to write the PDFs (default: samples/)")
    parser.add_argument("names", nargs="*", help="source names to build, e.g. hillingdon_2018-04_ilacs (default: all in samples/src)")
    args = parser.parse_args(argv)
    if FPDF is None:
        print("make_pdfs.py needs fpdf2: pip install fpdf2 (it is in the project's test extra)", file=sys.stderr)
        return 2
    fonts = find_fonts()
    if fonts is None:
        print("warning: DejaVu Sans not found; using Helvetica with '-' bullets (output will differ from the committed PDFs)", file=sys.stderr)
    sources = sorted(SRC.glob("*.yaml"))
    if args.names:
        sources = [s for s in sources if s.stem in args.names or s.name in args.names]
    args.out.mkdir(parents=True, exist_ok=True)
    for source in sources:
        target = build(source, args.out, fonts)
        print(f"wrote {target}", file=sys.stderr)
    if args.out.resolve() == HERE and not args.names:
        BUILD_INFO.write_text(json.dumps(toolchain(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
