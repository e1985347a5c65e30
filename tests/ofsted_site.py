"""A small copy of Ofsted's reports site on loopback, for the fetch tests.

The pages are the team's own, in the structure the site has (a children's services search
paged with ``start``/``rows``, provider pages at ``/provider/44/<URN>`` whose publications
are ``a.publication-link`` elements with a ``span.nonvisual`` description); the files are
served from ``/files/<id>``, as the site serves them from its file host. Each route can be
given a script of misbehaviours (429 with Retry-After, 500, a connection dropped half way,
an HTML error page sent as a PDF). Every request is logged with a server-side timestamp.
Only ever binds 127.0.0.1.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def tiny_pdf(note: str) -> bytes:
    """A small, well-formed PDF (one empty page) whose bytes differ by ``note``."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    out = bytearray(b"%PDF-1.4\n% " + note.encode() + b"\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


ERROR_PAGE = (b"<!DOCTYPE html><html lang='en'><head><title>Sorry, there is a problem with the service - Ofsted</title></head>"
              b"<body><main><h1 class='govuk-heading-l'>Sorry, there is a problem with the service</h1>"
              b"<p>Try again later.</p></main></body></html>")


@dataclass
class Pub:
    label: str  # "Children's services inspection"
    date: str  # "30 May 2018"
    file_id: str
    body: bytes
    fmt: str = "pdf"


@dataclass
class Provider:
    urn: str
    name: str
    pubs: list[Pub] = field(default_factory=list)


def search_page(providers: list[Provider]) -> str:
    items = "\n".join(
        f'<li class="search-result"><h3 class="search-result__title heading--sub">'
        f'<a href="/provider/44/{p.urn}">{html.escape(p.name)}</a></h3>'
        f'<ul class="search-result__provider-info"><li>Local authority children\'s services</li>'
        f'<li>URN: <strong>{p.urn}</strong></li></ul></li>'
        for p in providers
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><title>Search results - Ofsted</title></head><body>"
        "<header><a href='/'>Find an inspection report</a> <a href='/provider/44/'>Help</a></header>"
        f"<main><p class='search-summary'>{len(providers)} results</p><ul class='results-list'>{items}</ul></main>"
        "</body></html>"
    )


def provider_page(provider: Provider, base: str) -> str:
    days = "\n".join(
        f'<li class="timeline__day"><p class="timeline__date">{html.escape(p.date)}</p>'
        f'<div class="event"><span class="event__type">{html.escape(p.label)}</span>'
        f'<a class="publication-link" href="{base}/files/{p.file_id}">{html.escape(p.label)}'
        f'<span class="nonvisual">{html.escape(p.label.lower())}, {p.fmt} - {html.escape(p.date.lower())}</span></a></div></li>'
        for p in provider.pubs
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><title>" + html.escape(provider.name) + " - Ofsted</title></head><body>"
        f"<main><h1 class='heading--title'>{html.escape(provider.name)}</h1>"
        f"<p class='info'>Local authority children's services · URN: {provider.urn}</p>"
        "<h2>Reports</h2>"
        + (f"<ol class='timeline'>{days}</ol>" if days else "<p>There are no reports for this provider.</p>")
        + "</main></body></html>"
    )


class Site:
    """The site's content, its scripted misbehaviours and the log of requests."""

    def __init__(self, pages: list[list[Provider]]):
        self.search_pages = pages
        self.providers = {p.urn: p for page in pages for p in page}
        self.scripts: dict[str, list[str]] = {}  # path -> actions for the next requests
        self.log: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.base = ""
        self.header_bytes_sent = 0  # by "slow-headers"
        self.holding = threading.Event()  # set by "hold" once half the file is sent
        self.release = threading.Event()  # a "hold" sends the rest once this is set

    def script(self, path: str, *actions: str) -> None:
        """``actions`` are used one per request: "429", "429-hour" (Retry-After an hour), "500",
        "loop" (a redirect to itself), "stall" (no answer for a second), "drop", "html", "error-200"
        (the site's error page, sent as text/html with status 200, on any route), "redirect:PATH",
        "trickle" (a file sent one byte every 0.05 s, never a silence long enough to time out),
        "slow" (a file sent in 8 parts 0.1 s apart: slow, but steadily), "gzip" (a file sent
        compressed, Content-Encoding: gzip, as a CDN may), "hold" (half a file, then the rest when ``release`` is set; ``holding`` is set
        meanwhile), "short-length" (a provider page whose
        Content-Length says half its length), "slow-headers" (on any route, the status
        line and headers one byte every 0.01 s, 2000 and more of them); then normal."""
        self.scripts[path] = list(actions)

    def requests_to(self, prefix: str) -> list[dict[str, Any]]:
        return [r for r in self.log if r["path"].startswith(prefix)]

    def file(self, file_id: str) -> Pub:
        for p in self.providers.values():
            for pub in p.pubs:
                if pub.file_id == file_id:
                    return pub
        raise KeyError(file_id)


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # keep the test output clean
            pass

        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            parts = urlsplit(self.path)
            with site.lock:
                site.log.append({"t": time.monotonic(), "path": parts.path, "query": parts.query,
                                 "headers": dict(self.headers.items())})
                script = site.scripts.get(parts.path)
                action = script.pop(0) if script else None
            if action == "stall":  # answers only after the client has given up waiting
                time.sleep(1.0)
                return self._send(503, b"too late", "text/plain")
            if action == "429":
                return self._send(429, b"slow down", "text/plain", {"Retry-After": "1"})
            if action == "429-hour":
                return self._send(429, b"come back in an hour", "text/plain", {"Retry-After": "3600"})
            if action and action.startswith("redirect:"):  # the site moved the page (e.g. to another URN)
                return self._send(302, b"", "text/plain", {"Location": action.split(":", 1)[1]})
            if action == "loop":
                return self._send(302, b"", "text/plain", {"Location": parts.path})
            if action == "slow-headers":  # the status line and headers a byte at a time, for ever (up to 20 s)
                return self._trickle_headers()
            if action == "error-200":  # a busy site's "sorry" page, with a status that says all is well
                return self._send(200, ERROR_PAGE, "text/html; charset=utf-8")
            if action == "500":
                return self._send(500, b"<html><body>Server error</body></html>", "text/html")
            if parts.path == "/search":
                start = int(parse_qs(parts.query).get("start", ["0"])[0])
                index = start // 100
                page = site.search_pages[index] if index < len(site.search_pages) else []
                return self._page(search_page(page))
            if parts.path.startswith("/provider/44/"):
                provider = site.providers.get(parts.path.rsplit("/", 1)[-1])
                if provider is None:
                    return self._send(404, b"<html><body>Not found</body></html>", "text/html")
                return self._page(provider_page(provider, site.base), short=action == "short-length")
            if parts.path.startswith("/files/"):
                try:
                    pub = site.file(parts.path.rsplit("/", 1)[-1])
                except KeyError:
                    return self._send(404, b"not found", "text/plain")
                if action == "html":
                    return self._send(200, b"<!DOCTYPE html><html><body><h1>Sorry, something went wrong</h1></body></html>", "application/pdf")
                if action in ("trickle", "slow"):
                    self.send_response(200)
                    self.send_header("Content-Type", "application/pdf")
                    self.send_header("Content-Length", str(len(pub.body)))
                    self.end_headers()
                    step = 1 if action == "trickle" else -(-len(pub.body) // 8)
                    try:
                        for i in range(0, len(pub.body), step):
                            self.wfile.write(pub.body[i:i + step])
                            self.wfile.flush()
                            time.sleep(0.05 if action == "trickle" else 0.1)
                    except OSError:
                        pass  # the client gave up, as it should
                    self.close_connection = True
                    return None
                if action == "hold":  # half the file, then the rest only when the test says (a run stopped meanwhile)
                    self.send_response(200)
                    self.send_header("Content-Type", "application/pdf")
                    self.send_header("Content-Length", str(len(pub.body)))
                    self.end_headers()
                    self.close_connection = True
                    try:
                        self.wfile.write(pub.body[: len(pub.body) // 2])
                        self.wfile.flush()
                        site.holding.set()
                        site.release.wait(60)
                        self.wfile.write(pub.body[len(pub.body) // 2:])
                    except OSError:
                        pass  # the client went away, as a stopped run does
                    return None
                if action == "gzip":
                    return self._send(200, gzip.compress(pub.body), "application/pdf", {"Content-Encoding": "gzip"})
                if action == "drop":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/pdf")
                    self.send_header("Content-Length", str(len(pub.body)))
                    self.end_headers()
                    self.wfile.write(pub.body[: len(pub.body) // 3])
                    self.wfile.flush()
                    self.close_connection = True
                    return None
                return self._send(200, pub.body, "application/pdf")
            return self._send(404, b"not found", "text/plain")

        def _trickle_headers(self) -> None:
            head = b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nX-Padding: " + b"a" * 2000
            self.close_connection = True
            try:
                for byte in head:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    with site.lock:
                        site.header_bytes_sent += 1
                    time.sleep(0.01)
            except OSError:
                return  # the client gave up, as it should
            self.wfile.write(b"\r\nContent-Length: 0\r\n\r\n")  # a client still waiting gets an answer at last

        def _page(self, text: str, short: bool = False) -> None:
            body = text.encode("utf-8")
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, b"", "text/html", {"ETag": etag})
            if short:  # a Content-Length of half the page (the client reads that much), then all of it
                self.close_connection = True
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body) // 2))
                self.end_headers()
                self.wfile.write(body)
                return None
            return self._send(200, body, "text/html; charset=utf-8", {"ETag": etag})

        def _send(self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)

    return Handler


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that went away (the interrupted-download tests) is expected


class Server:
    def __init__(self, site: Site):
        self.site = site
        self.httpd = _QuietServer(("127.0.0.1", 0), _handler(site))
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        site.base = self.url
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "Server":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def hillingdon() -> Provider:
    """Hillingdon's publications, with the public record's dates, as the team's sample PDFs."""
    def sample(name: str) -> bytes:
        return (SAMPLES / name).read_bytes()

    return Provider("80501", "London Borough of Hillingdon", [
        Pub("Children's services inspection", "20 November 2023", "50231120", sample("hillingdon_2023-10_ilacs.pdf")),
        Pub("Focused visit", "07 February 2020", "50200207", sample("hillingdon_2020-01_focused-visit.pdf")),
        Pub("Children's services inspection", "30 May 2018", "50180530", sample("hillingdon_2018-04_ilacs.pdf")),
        Pub("Children's services inspection", "11 February 2014", "50140211", sample("hillingdon_2013-11_sif.pdf")),
    ])


def every_type() -> Provider:
    """A provider page listing every kind of publication the site has for an authority."""
    kinds = [
        ("Children's services inspection", "12 November 2018"),
        ("Focused visit", "07 February 2020"),
        ("Monitoring visit", "14 March 2016"),
        ("Joint targeted area inspection", "21 June 2019"),
        ("Area SEND inspection", "02 August 2022"),
        ("Children's services inspection", "21 March 2014"),
        ("Safeguarding and looked after children inspection", "15 January 2010"),
    ]
    return Provider("80503", "London Borough of Hounslow",
                    [Pub(label, date, f"6{n:07d}", tiny_pdf(f"hounslow {label} {date}")) for n, (label, date) in enumerate(kinds)])
