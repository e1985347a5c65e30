"""The sample documents in ``samples/``: every one opens and has text, the PDFs rebuild byte
for byte from ``samples/src/``, and the front-page grade tables keep the layout trap of real
Ofsted PDFs (each grade a separate text box, beside and vertically centred on its label)."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest
import yaml

from ofstl.extract import extract

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SRC = SAMPLES / "src"
DOCUMENT_SUFFIXES = {".pdf", ".txt", ".md", ".html", ".htm"}

EXPECTED = {
    "hillingdon_2009-12_slac.md",
    "hillingdon_2011-01_cra-letter.txt",
    "hillingdon_2013-11_sif.pdf",
    "hillingdon_2014-03_cabinet-paper.txt",
    "hillingdon_2018-04_ilacs.pdf",
    "hillingdon_undated_news-ilacs.html",
    "hillingdon_2020-01_focused-visit.pdf",
    "hillingdon_2023-10_ilacs.pdf",
    "hounslow_2014-01_sif.pdf",
    "hounslow_2018-10_ilacs.pdf",
    "hounslow_2020-01_focused-visit.pdf",
    "hounslow_2021-07_focused-visit.txt",
    "hounslow_2023-10_ilacs.pdf",
}


def sample_documents() -> list[Path]:
    return sorted(
        p for p in SAMPLES.iterdir()
        if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES and p.name.lower() != "readme.md"
    )


def sources() -> list[Path]:
    return sorted(SRC.glob("*.yaml"))


def load_make_pdfs():
    spec = importlib.util.spec_from_file_location("samples_make_pdfs", SAMPLES / "make_pdfs.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_expected_sample_is_there():
    assert {p.name for p in sample_documents()} == EXPECTED


def test_every_pdf_has_a_source():
    built = {yaml.safe_load(s.read_text(encoding="utf-8"))["file"] for s in sources()}
    assert built == {p.name for p in SAMPLES.glob("*.pdf")}


@pytest.mark.parametrize("path", sample_documents(), ids=lambda p: p.name)
def test_sample_opens_and_has_text(path: Path):
    extracted = extract(path)
    assert extracted.text.strip()
    if path.suffix == ".pdf":
        assert extracted.file_type == "pdf"
        assert len(extracted.pages) >= 2
        assert all(page.boxes for page in extracted.pages)
    # The samples say what they are, so that nobody mistakes them for the real thing.
    if path.suffix != ".html":  # the HTML says it in its footer, which the reader drops
        assert "ofstl team" in extracted.text


def test_pdfs_rebuild_byte_for_byte(tmp_path: Path):
    pytest.importorskip("fpdf")
    make_pdfs = load_make_pdfs()
    recorded = json.loads((SRC / "pdf-build.json").read_text(encoding="utf-8"))
    current = make_pdfs.toolchain()
    if current != recorded:
        pytest.skip(f"the committed PDFs were built with {recorded}; this machine has {current}")
    assert make_pdfs.main(["--out", str(tmp_path)]) == 0
    built = sorted(p.name for p in tmp_path.glob("*.pdf"))
    assert built == sorted(p.name for p in SAMPLES.glob("*.pdf"))
    for name in built:
        assert (tmp_path / name).read_bytes() == (SAMPLES / name).read_bytes(), f"{name} differs from its rebuild"


def front_page_boxes(path: Path) -> list[tuple[float, float, float, float, str]]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextBox

    page = next(iter(extract_pages(str(path), laparams=LAParams(), maxpages=1)))
    return [(b.x0, b.y0, b.x1, b.y1, norm(b.get_text())) for b in page if isinstance(b, LTTextBox)]


TABLE_SOURCES = [s for s in sources() if "tables" in yaml.safe_load(s.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("source", TABLE_SOURCES, ids=lambda p: p.stem)
def test_grade_cells_are_separate_boxes_beside_their_labels(source: Path):
    meta = yaml.safe_load(source.read_text(encoding="utf-8"))
    boxes = front_page_boxes(SAMPLES / meta["file"])
    wrapped = 0
    for row in meta["tables"]["grades"]["rows"]:
        label, grade = norm(row[0]), norm(row[1])
        labels = [b for b in boxes if b[4] == label]
        assert len(labels) == 1, f"{meta['file']}: label {label!r} is not one box of its own"
        lx0, ly0, lx1, ly1, _ = labels[0]
        beside = [
            b for b in boxes
            if b[4] == grade and b[0] > lx1 and ly0 - 1 <= (b[1] + b[3]) / 2 <= ly1 + 1
        ]
        assert beside, f"{meta['file']}: no {grade!r} box beside {label!r}"
        if ly1 - ly0 > 20:  # more than one line of text
            wrapped += 1
    assert wrapped >= 1, f"{meta['file']}: the table should have a label that wraps over two lines"


def test_requires_improvement_wraps_in_the_grade_column():
    for name in ("hillingdon_2013-11_sif.pdf", "hounslow_2014-01_sif.pdf", "hounslow_2018-10_ilacs.pdf"):
        raw = [b[4] for b in front_page_boxes(SAMPLES / name)]
        assert "Requires improvement" in raw
        texts = [t for t in extract(SAMPLES / name).pages[0].boxes if "Requires" in t.text and "improvement" in t.text]
        assert any("\n" in t.text.strip() for t in texts), name
