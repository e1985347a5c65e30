"""File -> text: the first step of the pipeline.

``extract(path)`` picks a reader by the file's content and suffix and returns an
``ExtractedText`` with pages in reading order (PDF pages keep their text boxes and
positions, which the grade-table parser needs). Unreadable files raise ``DocumentError``
with a one-line reason that names the problem, never a traceback.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ofstl.errors import DocumentError, DocumentTimeout
from ofstl.models import ExtractedText

SUFFIXES = {".pdf": "pdf", ".html": "html", ".htm": "html", ".txt": "text", ".md": "text"}

# Hard ceilings on what we read at all: real Ofsted reports are under 5 MB, and a text or
# HTML document of more than a few MB is not a report (a log, a data dump).
MAX_BYTES = 100 * 1024 * 1024
MAX_TEXT_BYTES = 20 * 1024 * 1024


def file_type_for(path: Path) -> str | None:
    """The reader a file's suffix asks for, or None for files ofstl does not read."""
    return SUFFIXES.get(path.suffix.lower())


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def too_large(path: str | Path, size: int) -> str | None:
    """The reason a file of ``size`` bytes is refused unread, or None."""
    limit = MAX_BYTES if file_type_for(Path(path)) in (None, "pdf") else MAX_TEXT_BYTES
    if size > limit:
        return f"file too large ({size / (1024 * 1024):.0f} MB; ofstl reads files up to {limit // (1024 * 1024)} MB)"
    return None


def extract_bytes(path: str, data: bytes, *, timeout: float | None = None) -> ExtractedText:
    """Read one document's bytes (``path`` is used for its suffix and in messages).

    ``timeout`` limits the whole read (seconds); a file over it raises DocumentError.
    """
    from ofstl.extract.limits import FileTimeout, time_limit

    try:
        with time_limit(timeout):
            return _extract_bytes(path, data)
    except FileTimeout as exc:
        raise DocumentTimeout(f"{path}: reading took longer than {exc.seconds:g} s; skipped (a file that makes the parser loop?)") from None


def _extract_bytes(path: str, data: bytes) -> ExtractedText:
    suffix_type = file_type_for(Path(path))
    if suffix_type is None:
        raise DocumentError(f"{path}: not a document ofstl reads (.pdf, .txt, .md, .html, .htm)")
    if not data:
        raise DocumentError(f"{path}: empty file (0 bytes)")
    reason = too_large(path, len(data))
    if reason:
        raise DocumentError(f"{path}: {reason}")
    digest = sha256_of(data)
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if suffix_type != "pdf" and data.startswith(b"%PDF-"):
        suffix_type = "pdf"  # a PDF saved as .txt or .html (a download tool's name) is read as one
    if suffix_type == "pdf":
        if not data[:1024].find(b"%PDF-") >= 0:
            lowered = head[:200].lower()
            if lowered.startswith(b"<!doctype html") or lowered.startswith(b"<html") or b"<html" in lowered:
                raise DocumentError(f"{path}: not a PDF: an HTML page saved as .pdf (a failed download?)")
            raise DocumentError(f"{path}: not a PDF (no %PDF header; a broken or failed download?)")
        if b"%%EOF" not in data[-8192:]:
            raise DocumentError(f"{path}: truncated PDF (no end-of-file marker; an incomplete download?)")
        from ofstl.extract.pdf import read_pdf

        pages = read_pdf(path, data)
    elif suffix_type == "html":
        from ofstl.extract.html import read_html
        from ofstl.extract.text import decode_text

        pages = read_html(decode_text(path, data))
    else:
        from ofstl.extract.text import decode_text, text_pages

        text = decode_text(path, data)
        lowered = text[:500].lower()
        if "<html" in lowered or "<!doctype html" in lowered:
            from ofstl.extract.html import read_html

            pages = read_html(text)
            suffix_type = "html"
        else:
            pages = text_pages(text)
    if not any(p.text.strip() for p in pages):
        raise DocumentError(f"{path}: no text found in the document")
    return ExtractedText(path=path, sha256=digest, file_type=suffix_type, pages=pages)


def extract(path: str | Path, *, timeout: float | None = None) -> ExtractedText:
    """Read one file from disk."""
    p = Path(path)
    try:
        reason = too_large(p, p.stat().st_size)
        if reason:
            raise DocumentError(f"{p}: {reason}")
        data = p.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{p}: cannot read the file ({exc.strerror or exc})") from None
    return extract_bytes(str(p), data, timeout=timeout)
