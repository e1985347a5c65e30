"""Plain text and Markdown: decoding bytes whatever their encoding, and splitting pages.

Documents arrive as UTF-8, UTF-8 with a BOM, UTF-16 (Windows "Unicode" saves, with or
without a BOM) or Windows-1252. Binary junk with a text extension is refused rather than
parsed as noise. Form feeds (as pdftotext writes them) separate pages, so page numbers
survive.
"""

from __future__ import annotations

import codecs
import re

from ofstl.errors import DocumentError
from ofstl.models import Page

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


def _utf16_guess(sample: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" for BOM-less UTF-16 of mostly Latin text, else None."""
    if len(sample) < 4:
        return None
    sample = sample[: len(sample) // 2 * 2]
    even, odd = sample[0::2], sample[1::2]
    half = len(sample) // 2
    if odd.count(0) > half * 0.4 and even.count(0) < half * 0.1:
        return "utf-16-le"
    if even.count(0) > half * 0.4 and odd.count(0) < half * 0.1:
        return "utf-16-be"
    return None


def wide_encoding(data: bytes) -> str | None:
    """"utf-32", "utf-16", "utf-16-le" or "utf-16-be" for text that must be decoded whole (by
    its byte-order mark, or BOM-less UTF-16 of mostly Latin text), else None: its lines cannot
    be told apart byte by byte, and its NUL bytes are half of every character, not junk."""
    if data.startswith(codecs.BOM_UTF32_LE) or data.startswith(codecs.BOM_UTF32_BE):
        try:
            data.decode("utf-32")
            return "utf-32"
        except UnicodeDecodeError:
            pass  # b"\xff\xfe\x00\x00" may also start UTF-16 text with a NUL; fall through
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    return _utf16_guess(data[:4096])


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    wide = wide_encoding(data)
    if wide:
        return data.decode(wide, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Mostly UTF-8 with a few stray bytes, or Windows-1252 (whose accented letters and curly
    # quotes rarely form valid UTF-8 sequences)? Count the valid multi-byte sequences.
    valid = len(_UTF8_MULTIBYTE.findall(data[:200000]))
    lossy = data.decode("utf-8", errors="replace")
    invalid = lossy[:200000].count("\ufffd")
    if valid > invalid * 2:
        return lossy
    return data.decode("cp1252", errors="replace")


def decode_text(path: str, data: bytes) -> str:
    """Decode bytes to text, or raise DocumentError when they are not text."""
    text = _decode(data)
    sample = text[:20000]
    controls = len(_CONTROL.findall(sample))
    if "\x00" in sample or controls > max(8, len(sample) // 50):
        raise DocumentError(f"{path}: binary data, not text (wrong file extension?)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def text_pages(text: str) -> list[Page]:
    """Split text into pages at form feeds; a file without them is one page."""
    parts = text.split("\f")
    pages = [Page(number=i + 1, text=part) for i, part in enumerate(parts)]
    while len(pages) > 1 and not pages[-1].text.strip():
        pages.pop()
    return pages
