"""HTML pages (saved news articles, council web pages) to readable text.

Navigation, headers, footers, scripts and forms are dropped; block elements become line
breaks and list items become bullet lines, so the parsers see the article as a reader would.
Uses only the standard library's tolerant HTML parser.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ofstl.models import Page

_SKIP = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "svg", "button", "select", "iframe", "template"}
_BLOCK = {
    "p", "div", "section", "article", "main", "br", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
    "table", "tr", "blockquote", "pre", "hr", "dl", "dt", "dd", "figure", "figcaption", "title", "li",
}
_VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "track", "wbr"}


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if tag in _BLOCK and not self.skip_depth:
                self.parts.append("\n")
            return
        attr = dict(attrs)
        role = (attr.get("role") or "").lower()
        classes = (attr.get("class") or "").lower()
        skip = tag in _SKIP or role in {"navigation", "banner", "contentinfo"} or any(
            word in classes.split() for word in ("breadcrumb", "cookie-banner", "site-footer", "site-header", "share", "nav")
        )
        self.stack.append(tag)
        if self.skip_depth or skip:
            self.skip_depth += 1
            return
        if tag in _BLOCK:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("\u2022 ")
        if tag in {"td", "th"}:
            self.parts.append("  ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag not in self.stack:
            return
        while self.stack:
            open_tag = self.stack.pop()
            if self.skip_depth:
                self.skip_depth -= 1
            elif open_tag in _BLOCK:
                self.parts.append("\n")
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.parts.append(data)


_TAG = re.compile(r"<[^>]*>")


def html_to_text(html: str) -> str:
    """Readable text of an HTML page; never raises, however broken the markup."""
    collector = _TextCollector()
    try:
        collector.feed(html)
        collector.close()
        text = "".join(collector.parts)
    except Exception:  # the standard parser gives up on some malformed markup: strip tags
        import html as html_module

        text = html_module.unescape(_TAG.sub("\n", html))
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip() + "\n"


def read_html(html: str) -> list[Page]:
    return [Page(number=1, text=html_to_text(html))]
