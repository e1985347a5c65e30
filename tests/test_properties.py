"""Property-based tests: malformed and adversarial input at every parser entry point.

None of them may raise (beyond the documented DocumentError of the file readers) or run
away: each example runs under a hard time limit as well as hypothesis's deadline.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import zlib

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ofstl.errors import DocumentError
from ofstl.extract import extract_bytes
from ofstl.extract.html import html_to_text
from ofstl.extract.limits import FileTimeout, time_limit
from ofstl.extract.text import decode_text
from ofstl.models import Box, ExtractedText, Page
from ofstl.parse.dates import parse_date, parse_month_year, parse_range
from ofstl.parse.document import parse_document
from ofstl.parse.grades import find_grade, normalise_grade
from tests import docgen

HARD_LIMIT = 10.0  # seconds: an example slower than this is a hang

SETTINGS = settings(deadline=dt.timedelta(seconds=3), max_examples=120, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def bounded(func):
    """Fail (rather than hang the suite) when one example runs past HARD_LIMIT."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            with time_limit(HARD_LIMIT):
                return func(*args, **kwargs)
        except FileTimeout:
            raise AssertionError(f"{func.__name__} ran for more than {HARD_LIMIT:g} s") from None

    return wrapper


# Words the parsers look for, so random text often comes close to what they match.
VOCAB = [
    "Inspection of", "local authority", "children's services", "children’s services", "Focused visit to", "Monitoring visit to",
    "Hillingdon", "Hounslow", "London Borough of", "Council", "County", "Ofsted", "Inspection dates:", "Report published:",
    "Overall effectiveness", "The impact of leaders on social work practice with children and families", "Leadership, management and governance",
    "The experiences and progress of children in care", "Children who need help and protection", "Adoption performance",
    "Outstanding", "Good", "Requires improvement to be good", "Requires improvement", "Inadequate", "Adequate", "performs well",
    "Grade 1", "(grade 4)", "judged", "was judged", "previous inspection", "in December 2009", "What needs to improve",
    "Areas for improvement", "Recommendations", "Priority actions", "Strengths", "•", "-", "1.", "(a)", "\n", "\n\n", "\f", "  ",
    "January", "February", "March", "April", "May", "Sept", "Dec.", "to", "and", "between", "on", "from", "–", "—", "&",
    "1", "2", "16th", "31", "0", "00", "2013", "2018", "1999", "2099", "9999", ":", ",", ".", "(", ")", "\u00a0", "\u200b", "\ufeff",
    "ILACS", "SIF", "JTAI", "LSCB", "single inspection framework", "joint targeted area inspection", "care leavers",
]

words = st.sampled_from(VOCAB)
noise = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=20)
fragments = st.lists(st.one_of(words, words, words, noise), max_size=120)
texts = st.one_of(fragments.map(" ".join), fragments.map("".join), st.text(max_size=2000))


def _repeated(unit: str, n: int) -> str:
    return unit * n


adversarial = st.builds(_repeated, st.sampled_from(["1 ", "1 to ", "12 and 13 ", "Good ", "grade ", "(", "<", "<!", "<![", "&#", " ", "\n", "a" * 50, "- ", "• "]), st.integers(0, 4000))


@SETTINGS
@given(st.one_of(texts, adversarial))
@example("16 April to 27 April 2018")
@example("31 February 2018 to 1 March 2018")
@example("0 to 0 May 2020")
@bounded
def test_dates_never_raise(text: str) -> None:
    found = parse_range(text)
    if found is not None:
        start, end = found
        assert dt.date.fromisoformat(start) <= dt.date.fromisoformat(end)
    single = parse_date(text)
    assert single is None or dt.date.fromisoformat(single)
    month = parse_month_year(text)
    assert month is None or len(month) == 7


@SETTINGS
@given(st.one_of(texts, adversarial))
@example("Requires improvement to be good (grade 3)")
@example("Grade 4")
@example("")
@bounded
def test_grades_never_raise(text: str) -> None:
    allowed = {None, "outstanding", "good", "requires improvement", "adequate", "inadequate", "performs excellently", "performs well", "performs adequately", "performs poorly"}
    assert normalise_grade(text) in allowed
    assert find_grade(text) in allowed


@SETTINGS
@given(st.one_of(texts, adversarial, st.builds(lambda parts: "<" + "><".join(parts) + ">", st.lists(st.text(max_size=15), max_size=60))))
@example("<![CDATA[x")
@example("<!x")
@example("</>")
@example("<a href='x' class='nav'>x</a><script>never")
@example("&#99999999999;&#x110000;&#0;")
@bounded
def test_html_to_text_never_raises(html: str) -> None:
    assert isinstance(html_to_text(html), str)


@SETTINGS
@given(st.one_of(st.binary(max_size=3000), texts.map(lambda t: t.encode("utf-8")), texts.map(lambda t: t.encode("utf-16")),
                 texts.map(lambda t: t.encode("cp1252", errors="ignore"))))
@example(b"\xff\xfe\x00\x00")
@example(b"\xff\xfe")
@example(b"\x00")
@bounded
def test_decode_text_reads_or_refuses(data: bytes) -> None:
    try:
        text = decode_text("x.txt", data)
    except DocumentError as exc:
        assert exc.message.startswith("x.txt: ")
        return
    assert isinstance(text, str) and "\r" not in text


def _pages(draw_pages: list[tuple[str, list[tuple[float, float, float, float, str]]]]) -> ExtractedText:
    pages = [Page(number=i + 1, text=text, boxes=[Box(x0, y0, x1, y1, t) for x0, y0, x1, y1, t in boxes]) for i, (text, boxes) in enumerate(draw_pages)]
    return ExtractedText(path="doc.pdf", sha256="0" * 64, file_type="pdf", pages=pages)


coords = st.floats(min_value=-1000, max_value=2000, allow_nan=False)
boxes = st.lists(st.tuples(coords, coords, coords, coords, st.one_of(words, texts)), max_size=12)
documents = st.lists(st.tuples(st.one_of(texts, adversarial), boxes), min_size=0, max_size=4).map(_pages)


def _letter_variants(seed: int, cut: int, junk: str) -> ExtractedText:
    """A real-looking letter, cut short or with junk spliced in."""
    text = docgen.focused_visit_letter("Hillingdon", dt.date(2021, 3, 9), seed=seed)
    cut = cut % (len(text) + 1)
    spliced = text[:cut] + junk + text[cut:]
    return ExtractedText(path="doc.txt", sha256="1" * 64, file_type="text", pages=[Page(number=1, text=part) for part in spliced.split("\f")])


@settings(deadline=dt.timedelta(seconds=5), max_examples=80, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.one_of(documents, st.builds(_letter_variants, st.integers(0, 100), st.integers(0, 10**6), st.one_of(texts, adversarial))))
@example(ExtractedText(path="d", sha256="0" * 64, file_type="text", pages=[]))
@example(_pages([("", [])]))
@bounded
def test_parse_document_never_raises(extracted: ExtractedText) -> None:
    doc = parse_document(extracted)
    assert doc.path == extracted.path
    for facts in doc.inspections:
        for value in (facts.start, facts.end, facts.published):
            assert value is None or isinstance(value, str)


def _mutated_pdf(seed: int, flips: int, cut: int) -> bytes:
    rng = random.Random(seed)
    data = bytearray(_BASE_PDF)
    for _ in range(flips):
        data[rng.randrange(len(data))] = rng.randrange(256)
    if cut:
        data = data[: max(16, len(data) - cut)] + b"\n%%EOF\n"
    return bytes(data)


_BASE_PDF = docgen.pdf_with_text("Focused visit to Hillingdon local authority children's services\nInspection dates: 2 to 6 October 2023\n" * 3, pages=2)
_FLATE_PDF = docgen.runaway_pdf(operators=50)


@settings(deadline=dt.timedelta(seconds=5), max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.builds(_mutated_pdf, st.integers(0, 10**9), st.integers(1, 40), st.integers(0, 3000)),
                 st.binary(max_size=2000).map(lambda b: b"%PDF-1.4\n" + b + b"\n%%EOF\n"),
                 st.integers(1, 300).map(lambda n: _FLATE_PDF[:-n] + b"%%EOF\n"),
                 st.just(b"%PDF-1.4\n1 0 obj << /Length 5 /Filter /FlateDecode >> stream\n" + zlib.compress(b"BT ET")[:3] + b"\nendstream endobj\n%%EOF")),
       st.sampled_from(["x.pdf", "x.txt"]))
@bounded
def test_damaged_pdfs_raise_only_document_errors(data: bytes, name: str) -> None:
    try:
        extracted = extract_bytes(name, data, timeout=HARD_LIMIT - 2)
    except DocumentError as exc:
        assert exc.message.startswith(name + ": ") and "\n" not in exc.message
        return
    assert extracted.pages


@SETTINGS
@given(st.one_of(st.binary(max_size=3000), texts.map(lambda t: t.encode("utf-8")), texts.map(lambda t: ("<html><body><p>" + t + "</p>").encode("utf-16"))),
       st.sampled_from(["x.txt", "x.md", "x.html", "x.htm"]))
@example(b"%PDF-1.4 not really", "x.txt")
@example(b"<!doctype html><title>x</title>", "x.txt")
@bounded
def test_extract_bytes_reads_or_refuses_any_text_file(data: bytes, name: str) -> None:
    try:
        extracted = extract_bytes(name, data, timeout=HARD_LIMIT - 2)
    except DocumentError as exc:
        assert exc.message.startswith(name + ": ") and "\n" not in exc.message
        return
    assert any(page.text.strip() for page in extracted.pages)
    parse_document(extracted)
