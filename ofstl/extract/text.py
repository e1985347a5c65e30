"""Plain text and Markdown: decoding bytes whatever their encoding, and splitting pages.

Documents arrive as UTF-8, UTF-8 with a BOM, UTF-16 (Windows "Unicode" saves) or
Windows-1252. Binary junk with a text extension is refused rather than parsed as noise.
Form feeds (as pdftotext writes them) separate pages, so page numbers survive.
"""

from __future__ import annotations

import codecs
import re

from ofstl.errors import DocumentError
from ofstl.models import Page

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_text(path: str, data: bytes) -> str:
    """Decode bytes to text, or raise DocumentError when they are not text."""
    text: str | None = None
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    elif data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        text = data.decode("utf-16", errors="replace")
    else:
        sample = data[:4096]
        # UTF-16 without a BOM: every other byte is NUL for mostly-ASCII text.
        if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4 and sample[0::2].count(0) < len(sample) // 16:
            text = data.decode("utf-16-le", errors="replace")
        elif len(sample) >= 4 and sample[0::2].count(0) > len(sample) // 4 and sample[1::2].count(0) < len(sample) // 16:
            text = data.decode("utf-16-be", errors="replace")
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("cp1252", errors="replace")
    controls = len(_CONTROL.findall(text[:20000]))
    if "\x00" in text[:20000] or controls > max(8, len(text[:20000]) // 50):
        raise DocumentError(f"{path}: binary data, not text (wrong file extension?)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def text_pages(text: str) -> list[Page]:
    """Split text into pages at form feeds; a file without them is one page."""
    parts = text.split("\f")
    pages = [Page(number=i + 1, text=part) for i, part in enumerate(parts)]
    while len(pages) > 1 and not pages[-1].text.strip():
        pages.pop()
    return pages
