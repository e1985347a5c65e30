"""Everything ofstl knows about the layout of Ofsted's reports site, in one place.

If Ofsted changes its site, this is the file to change. The layout is the one the existing
open-source scrapers of the site read (data-to-insight's ILACS scrape tool and others):

- a search for local authority children's services (``level_1_types=3``, children's social
  care; ``level_2_types[]=12``, local authority children's services) lists providers in
  ``start``/``rows`` pages; each result links to ``/provider/44/<URN>``, the link's text
  being the provider's name. The search is paged until a page has no provider links;
- a provider page has the name in ``h1.heading--title`` and its publications as
  ``a.publication-link`` elements (inside ``ol.timeline``) whose ``span.nonvisual`` text
  says what each is: ``"children's services inspection, pdf - 09 may 2025"`` (label,
  format, publication date); the ``href`` points at the file on Ofsted's file host.

The HTML is read with BeautifulSoup over the standard library's parser: the site's markup
is described by CSS classes, and a real parser with selectors reads it the way a browser
does (nesting, entities, attributes in any order), where regular expressions would not.
Pure functions: text in, plain data out; no network here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urljoin, urlsplit

DEFAULT_URL = "https://reports.ofsted.gov.uk"
ROWS_PER_PAGE = 100
# Local authority children's services: children's social care (3), LA children's services (12).
SEARCH_QUERY = "search?q=&location=&lat=&lon=&radius=&level_1_types=3&level_2_types%5B%5D=12"
PROVIDER_PATH = "/provider/44/"
PROVIDER_LINK = re.compile(r"/provider/44/(\d+)/?$")
FILE_LINK = re.compile(r"/files?/[^/]+|\.pdf$", re.IGNORECASE)  # the site's file host: /v1/file/<id>
ANY_PROVIDER_PAGE = re.compile(r"/provider/\d+/[^/]+/?$")  # any provider's page (a children's home: /provider/16/SC...)

# What the site's labels say -> the SPEC framework code. Checked in order; the first match wins.
KINDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"joint targeted area inspection|\bjtai\b"), "jtai"),
    (re.compile(r"\bsend\b|special educational needs"), "send"),
    (re.compile(r"focused visit"), "focused-visit"),
    (re.compile(r"monitoring visit"), "monitoring-visit"),
    (re.compile(r"safeguarding (board|partnership)|\blscb\b"), "lscb-review"),
    (re.compile(r"safeguarding and looked after|looked after children"), "slac"),
    (re.compile(r"contact,? referral and assessment|unannounced"), "cra"),
    (re.compile(r"protection of children|child protection"), "cpi"),
    (re.compile(r"joint area review"), "jar"),
    (re.compile(r"annual performance assessment"), "apa"),
]
# "Children's services inspection" is the site's label for SIF and ILACS reports alike: the
# single inspection framework's reports were published from early 2014 to early 2018 (its
# last fieldwork was in December 2017); ILACS reports from March 2018 on.
SIF_FIRST_PUBLISHED = "2014-01-01"
ILACS_FIRST_PUBLISHED = "2018-03-01"


@dataclass(frozen=True)
class ProviderLink:
    urn: str
    name: str
    url: str


@dataclass(frozen=True)
class Publication:
    label: str  # as the site prints it, e.g. "Children's services inspection"
    format: str  # "pdf", "html", ... ("" when not stated)
    published: str | None  # ISO date
    url: str
    kind: str  # SPEC framework code, or "other"


@dataclass(frozen=True)
class ProviderPage:
    name: str
    publications: list[Publication]
    # The page has the site's provider heading: a provider with no reports yet has it, the
    # site's "sorry, there is a problem" page (which it may send with status 200) has not.
    is_provider_page: bool = True
    # Links to files (reports) the page has outside the form read above: with no publications
    # read, a sign the site changed its layout (not an authority without reports).
    other_file_links: int = 0


def _soup(html: str):  # noqa: ANN202 - bs4 is imported only when a page is read
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")


def base_url(url: str | None) -> str:
    return (url or DEFAULT_URL).rstrip("/")


def search_url(base: str, start: int, rows: int = ROWS_PER_PAGE) -> str:
    return f"{base_url(base)}/{SEARCH_QUERY}&start={start}&rows={rows}"


def provider_url(base: str, urn: str) -> str:
    return f"{base_url(base)}{PROVIDER_PATH}{urn}"


def parse_search_page(html: str, page_url: str) -> list[ProviderLink]:
    """The providers a search results page links to, in page order, each once."""
    found: dict[str, ProviderLink] = {}
    for a in _soup(html).find_all("a", href=True):
        href = urljoin(page_url, str(a["href"]))
        match = PROVIDER_LINK.search(urlsplit(href).path)
        if match and match.group(1) not in found:
            found[match.group(1)] = ProviderLink(match.group(1), " ".join(a.get_text(" ").split()), href)
    return list(found.values())


def parse_provider_page(html: str, page_url: str) -> ProviderPage:
    """A provider's name and every publication the page links to, in page order."""
    soup = _soup(html)
    heading = soup.select_one("h1.heading--title")
    title = heading or soup.find("h1")
    name = " ".join(title.get_text(" ").split()) if title else ""
    publications: list[Publication] = []
    seen: set[str] = set()
    for link in soup.select("a.publication-link[href]"):
        described = link.select_one("span.nonvisual")
        text = " ".join((described or link).get_text(" ").split())
        label, fmt, published = parse_description(text)
        url = urljoin(page_url, str(link["href"]))
        if url in seen or not label:
            continue
        seen.add(url)
        publications.append(Publication(label, fmt, published, url, classify(label, published)))
    read = {id(link) for link in soup.select("a.publication-link[href]")}
    files = sum(1 for a in soup.find_all("a", href=True)
                if id(a) not in read and FILE_LINK.search(urlsplit(urljoin(page_url, str(a["href"]))).path))
    return ProviderPage(name, publications, heading is not None or bool(publications), files)


FORMATS = {"pdf", "html", "htm", "doc", "docx", "odt", "rtf", "txt", "xls", "xlsx", "ods", "csv", "ppt", "pptx", "odp", "xml", "zip"}
FILE_SIZE = re.compile(r"^\d+(?:\.\d+)?\s*(?:b|bytes|kb|mb|gb)$")


def parse_description(text: str) -> tuple[str, str, str | None]:
    """``"children's services inspection, pdf - 09 may 2025"`` -> (label, format, ISO date).

    The date is what follows the last " - " when it has a digit (a date the site writes
    another way, "09/05/2025", "9th may", is read too; one that is no date gives None); the
    format and a file size are the comma-separated words before it, from the right. The
    label keeps the site's wording (first letter capitalised), commas and dashes included.
    """
    text = " ".join(text.replace("’", "'").split())
    published = None
    head, dash, tail = text.rpartition(" - ")
    if dash and any(c.isdigit() for c in tail):
        text, published = head, _iso(tail)
    parts = text.split(",")
    fmt = ""
    while len(parts) > 1:
        token = parts[-1].strip().lower()
        if token in FORMATS:
            fmt = fmt or token
        elif not FILE_SIZE.match(token):
            break
        parts.pop()
    return _label(",".join(parts)), fmt, published


def _label(text: str) -> str:
    text = " ".join(text.split()).strip(" ,-")
    return text[:1].upper() + text[1:]


def _iso(text: str) -> str | None:
    text = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", " ".join(text.split()).lower())
    text = re.sub(r"\bsept\b", "sep", text).title()
    for fmt in ("%d %B %Y", "%d %b %Y", "%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def classify(label: str, published: str | None) -> str:
    """The SPEC framework code a publication's label stands for ("other" when unknown)."""
    low = label.lower().replace("’", "'")
    for pattern, kind in KINDS:
        if pattern.search(low):
            return kind
    if "children's services" in low and "inspection" in low and published:
        if published >= ILACS_FIRST_PUBLISHED:
            return "ilacs"
        if published >= SIF_FIRST_PUBLISHED:
            return "sif"
    return "other"


def is_document(publication: Publication) -> bool:
    """Publications ofstl downloads: PDFs (the site's reports and letters are PDFs)."""
    address = urlsplit(publication.url)
    if address.scheme not in ("http", "https"):
        return False  # a "share" or "email us" link styled as the others
    if ANY_PROVIDER_PAGE.search(address.path):
        return False  # a link to another provider's page listed among the reports: a page, not a report
    return publication.format in ("pdf", "") and not publication.url.lower().endswith((".html", ".htm"))


def published_year(publication: Publication) -> int | None:
    return date.fromisoformat(publication.published).year if publication.published else None
