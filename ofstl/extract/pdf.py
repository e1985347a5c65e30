"""PDF text with positions, via pdfminer.six.

Ofsted front pages print grades in a table whose cells come out of plain text extraction
in the wrong order, so each page keeps its text boxes with coordinates as well as the
reading-order text. Broken, encrypted and image-only PDFs, and PDFs that make the parser
run away, become one-line ``DocumentError``s.
"""

from __future__ import annotations

import io

from ofstl.errors import DocumentError, DocumentTimeout, DocumentTooLarge
from ofstl.extract.limits import FileTimeout, time_limit
from ofstl.models import Box, Page


def _one_line(text: str, limit: int = 80) -> str:
    return " ".join(str(text).split())[:limit]


def read_pdf(path: str, data: bytes, *, timeout: float | None = None) -> list[Page]:
    """Pages of a PDF with text boxes; raises DocumentError with the reason on failure."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextBox
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psexceptions import PSException

    pages: list[Page] = []
    try:
        with time_limit(timeout):
            for number, layout in enumerate(extract_pages(io.BytesIO(data), laparams=LAParams()), start=1):
                boxes: list[Box] = []
                for element in layout:
                    if isinstance(element, LTTextBox):
                        text = element.get_text()
                        if text.strip():
                            boxes.append(Box(round(element.x0, 1), round(element.y0, 1), round(element.x1, 1), round(element.y1, 1), text))
                pages.append(Page(number=number, text="\n".join(b.text for b in boxes), boxes=boxes))
    except FileTimeout as exc:
        raise DocumentTimeout(f"{path}: PDF parsing took longer than {exc.seconds:g} s; skipped (a PDF that makes the parser loop?)") from None
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise DocumentError(f"{path}: encrypted PDF (needs a password)") from None
    except PDFSyntaxError as exc:
        raise DocumentError(f"{path}: corrupt or truncated PDF ({_one_line(exc)})") from None
    except MemoryError:
        raise DocumentTooLarge(f"{path}: PDF too large to parse in memory (a decompression bomb?)") from None
    except (PSException, ValueError, KeyError, TypeError, AttributeError, IndexError, AssertionError, RecursionError, ZeroDivisionError, OverflowError, EOFError) as exc:
        # pdfminer raises plain Python errors on damaged files; name the type for bug reports.
        raise DocumentError(f"{path}: damaged PDF ({type(exc).__name__}: {_one_line(exc)})") from None
    except Exception as exc:
        msg = _one_line(exc) or type(exc).__name__
        if "encrypt" in msg.lower() or "password" in msg.lower():
            raise DocumentError(f"{path}: encrypted PDF (needs a password)") from None
        if type(exc).__name__.startswith("PDF") or type(exc).__module__.startswith(("pdfminer", "zlib")):
            raise DocumentError(f"{path}: unreadable PDF ({type(exc).__name__}: {msg})") from None
        raise
    if not pages:
        raise DocumentError(f"{path}: PDF has no pages (truncated download?)")
    if not any(p.text.strip() for p in pages):
        raise DocumentError(f"{path}: PDF has no text layer (a scanned image?); ofstl does not do OCR")
    return pages
