"""A polite HTTP client for one site: one request at a time, spaced, retried, checked.

Ofsted's site is a public service, so ofstl asks it for as little as it can and as slowly as
a person would: requests go one after another, at least ``delay`` seconds apart (start to
start); every request has a timeout; network errors, 429 and 5xx answers are retried with
exponential backoff and jitter, waiting as long as a ``Retry-After`` header asks (and after a
429, "too many requests", the delay between requests doubles for the rest of the run); pages are
asked for conditionally (ETag / Last-Modified) so an unchanged page costs a 304. Files are
streamed to a temporary file beside the target and renamed only when complete and checked;
a page must come whole within the timeout, a file within a time that grows with its size, and
a request's headers within that too (``ofstl.fetch.deadline``).

Built on httpx (a well-kept client with real timeouts and streaming); the clock and the
sleep are injectable so the pacing can be tested without waiting.
"""

from __future__ import annotations

import email.utils
import hashlib
import os
import random
import re
import shutil
import time
from dataclasses import dataclass
from datetime import timezone
from pathlib import Path
from typing import Callable

from ofstl import __version__

HOME_PAGE = "https://github.com/ofstl/ofstl"
USER_AGENT = f"ofstl/{__version__} (+{HOME_PAGE}; fetches Ofsted reports for local analysis, one request at a time)"
RETRY_STATUS = {429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 300.0  # a longer wait than this is a failure, not a pause
MAX_SLOWED_DELAY = 30.0  # the slowest pace ofstl takes on of itself when the site says 429
MAX_REDIRECTS = 5  # the site moves a page once or twice; more is a loop
# Ofsted's reports are a few MB (the longest, with annexes, tens); a file far larger is not a
# report (a wrong link, a server streaming without end) and must not fill the disk.
MAX_BYTES = 200 * 2 ** 20
# A page of the site (a provider's, a hundred search results) is tens of kilobytes; one far
# larger is a server streaming without end, which must not fill the memory.
MAX_PAGE_BYTES = 16 * 2 ** 20
# A report must come at least this fast on average, after the first ``timeout`` seconds: the
# timeout alone counts only the silence between bytes, so a server sending a byte now and then
# held a download (and the run) for ever. 8 kB/s is a very poor line (a 10 MB report: 22 min).
MIN_BYTES_PER_SECOND = 8 * 1024


class FetchFailed(Exception):
    """One URL could not be fetched; the message is one line saying why."""


class SiteNotAnswering(FetchFailed):
    """Every try failed as a busy or absent site fails (no answer, a dropped connection, 5xx,
    429): not an answer about this URL, so the next URL may fail the same way."""


class SiteAsksToWait(FetchFailed):
    """The site asked for a longer pause than ofstl will wait: no further request should go to
    it in this run (honouring Retry-After means asking nothing else either)."""


@dataclass
class Page:
    status: int  # 200, or 304 when unchanged since the validators given
    text: str
    etag: str | None
    last_modified: str | None
    # Whether the page ends as a page does (``</html>``): a server whose Content-Length is too
    # short (or that closes early without one) hands over the first part of a page as all of it.
    complete: bool = True


@dataclass
class Download:
    path: Path
    sha256: str
    bytes: int


def check_pdf(head: bytes, tail: bytes) -> str | None:
    """Why these bytes are not a whole PDF, or None. An HTML error page is never a PDF."""
    if not head:
        return "the site sent an empty file"
    if not head.startswith(b"%PDF"):
        start = head[:200].lstrip().lower()
        if start.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body")):
            return "the site sent an HTML page, not a PDF"
        return "not a PDF (it does not start with %PDF)"
    if b"%%EOF" not in tail:
        return "the PDF is incomplete (no %%EOF at its end)"
    return None


class PoliteClient:
    def __init__(
        self,
        delay: float = 1.0,
        timeout: float = 30.0,
        retries: int = 4,
        backoff: float = 2.0,
        max_backoff: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        transport: object | None = None,
        max_bytes: int = MAX_BYTES,
        min_rate: float = MIN_BYTES_PER_SECOND,
        resolve: Callable[..., list] | None = None,
    ):
        import socket

        import httpx

        from ofstl.fetch.names import BoundedLookupTransport, environment_transports

        self.delay = max(0.0, delay)
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.min_rate = min_rate
        self.retries = max(0, retries)
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.clock = clock
        self.sleep = sleep
        self.requests = 0
        self._last_start: float | None = None
        self._httpx = httpx
        lookup = resolve or socket.getaddrinfo
        self._client = httpx.Client(
            headers={"User-Agent": USER_AGENT},
            timeout=httpx.Timeout(timeout),
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            # a name lookup is bounded by the timeout too, and a request by its deadline, through
            # the proxies of the environment as well (ofstl.fetch.names: a transport given turns
            # httpx's own proxy mounts off, so they are made here alike); tests give their own
            transport=transport or BoundedLookupTransport(timeout, lookup),  # type: ignore[arg-type]
            mounts=None if transport else environment_transports(timeout, lookup),
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> "PoliteClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ pacing and retries

    def _pace(self) -> None:
        """Wait until ``delay`` seconds have passed since the previous request started."""
        if self._last_start is not None:
            wait = self._last_start + self.delay - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last_start = self.clock()
        self.requests += 1

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return retry_after
        # Exponential backoff with "full jitter": many clients never retry in step.
        ceiling = min(self.max_backoff, self.backoff * (2 ** attempt))
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    @staticmethod
    def _retry_after(value: str | None) -> float | None:
        """Seconds to wait: ``Retry-After`` as seconds (ASCII digits: "²" is a digit to
        ``str.isdigit``, not to ``float``) or an HTTP date, always Greenwich time (one written
        "-0000" or with no zone is no less so, whatever the machine's zone); else None."""
        if not value:
            return None
        value = value.strip()
        if re.fullmatch(r"[0-9]+", value):
            return float(value)
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return max(0.0, when.timestamp() - time.time())

    def _attempts(self, url: str, action: Callable[[], object]) -> object:
        """Run ``action`` (one request) with pacing and retries; it returns a value or raises."""
        from ofstl.fetch.deadline import budget  # httpcore: loaded with httpx, when a fetch runs

        last = ""
        for attempt in range(self.retries + 1):
            self._pace()
            try:
                with budget(self.timeout, self.min_rate):  # the whole request, headers too (ofstl.fetch.deadline)
                    return action()
            except _Retry as exc:
                last, retry_after = exc.reason, exc.retry_after
                if exc.reason.startswith("HTTP 429"):
                    # "Too many requests": the pace was too quick for the site, and going back to it
                    # after this pause would soon be too quick again. Slower for the rest of the run.
                    self.delay = min(MAX_SLOWED_DELAY, max(2 * self.delay, self.backoff))
            except self._httpx.TooManyRedirects:  # asking again would only go round again
                raise FetchFailed(f"{url}: the site redirects in a loop (more than {MAX_REDIRECTS} redirects)") from None
            except self._httpx.UnsupportedProtocol as exc:  # an answer (a redirect to file://, ftp://): asking again gets the same
                raise FetchFailed(f"{url}: the site redirects to {_request_url(exc)}, not a web address; nothing fetched") from None
            except self._httpx.RequestError as exc:  # network errors, time-outs, broken answers
                last, retry_after = _network_reason(exc), None
            wait = self._backoff(attempt, retry_after)
            if wait > MAX_RETRY_AFTER:  # on the last try too: the site asks nothing more of this run
                raise SiteAsksToWait(f"{url}: {last}; the site asks to wait {wait:.0f} s, more than ofstl will")
            if attempt == self.retries:
                break
            # The pause before the next request also counts towards the delay between requests.
            self.sleep(wait)
        tries = f"{self.retries + 1} tries" if self.retries else "1 try"
        raise SiteNotAnswering(f"{url}: {last} (gave up after {tries})")

    # ------------------------------------------------------------------ pages

    def get_page(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Page:
        headers = {"Accept": "text/html"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified

        def once() -> Page:
            # httpx's timeout counts the silence between bytes; a page must also come whole within
            # it (a stuck server sending a byte now and then would otherwise hold the run for ever).
            # Reports are held to a bound that grows with their size (download_pdf).
            deadline = time.monotonic() + self.timeout
            with self._client.stream("GET", url, headers=headers) as response:
                _raise_for_retry(response)
                if response.status_code == 304:
                    return Page(304, "", etag, last_modified)
                if response.status_code != 200:
                    raise FetchFailed(f"{url}: HTTP {response.status_code} {response.reason_phrase}")
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > MAX_PAGE_BYTES:  # asking again would only get more of it
                        raise FetchFailed(f"{url}: the page is larger than {MAX_PAGE_BYTES} bytes, more than any page of the site")
                    if time.monotonic() > deadline:
                        raise _Retry(f"no answer in time (the page was still arriving after {self.timeout:g} s)")
                text = bytes(body).decode(response.encoding or "utf-8", errors="replace")
                return Page(200, text, response.headers.get("ETag"), response.headers.get("Last-Modified"),
                            complete=re.search(rb"</html\s*>", body, re.IGNORECASE) is not None)

        return self._attempts(url, once)  # type: ignore[return-value]

    # ------------------------------------------------------------------ files

    def download_pdf(self, url: str, target: Path, unless_sha: str | None = None) -> Download:
        """Stream ``url`` into ``target``: a temporary file first, renamed when complete and a PDF.
        Bytes whose sha256 is ``unless_sha`` (a file kept already) are not saved at all: a stop
        between saving and comparing would leave a second copy no manifest line names."""
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(f".{target.name}.part")

        def once() -> Download:
            from ofstl.fetch.deadline import too_slow

            started = time.monotonic()
            digest = hashlib.sha256()
            size = 0
            head = b""
            tail = b""
            try:
                with self._client.stream("GET", url, headers={"Accept": "application/pdf"}) as response:
                    _raise_for_retry(response)
                    if response.status_code != 200:
                        raise FetchFailed(f"{url}: HTTP {response.status_code} {response.reason_phrase}")
                    expected = response.headers.get("Content-Length")
                    too_large = f"{url}: the file is larger than {self.max_bytes} bytes, more than any report; nothing saved"
                    if expected and expected.isdigit() and int(expected) > self.max_bytes:
                        raise FetchFailed(too_large)
                    with open(temp, "wb") as fh:
                        for chunk in response.iter_bytes():
                            if size + len(chunk) > self.max_bytes:
                                raise FetchFailed(too_large)
                            if len(head) < 1024:
                                head += chunk[: 1024 - len(head)]
                            tail = (tail + chunk)[-2048:]
                            digest.update(chunk)
                            size += len(chunk)
                            fh.write(chunk)
                            elapsed = time.monotonic() - started
                            if elapsed > self.timeout + size / self.min_rate:
                                raise _Retry(too_slow("file", size, elapsed, self.timeout, self.min_rate))
                        fh.flush()
                        os.fsync(fh.fileno())
                # Content-Length counts the bytes as sent: compressed ones when the site (a CDN) compressed them.
                sent = response.num_bytes_downloaded if response.headers.get("Content-Encoding", "identity") != "identity" else size
                if expected and expected.isdigit() and int(expected) != sent:
                    raise _Retry(f"the download stopped after {sent} of {expected} bytes")
                problem = check_pdf(head, tail)
                if problem:
                    raise FetchFailed(f"{url}: {problem}; nothing saved")
                if digest.hexdigest() != unless_sha:
                    os.replace(temp, target)
                return Download(target, digest.hexdigest(), size)
            finally:
                if temp.exists():
                    temp.unlink()

        return self._attempts(url, once)  # type: ignore[return-value]


def save_copy(source: Path, target: Path) -> None:
    """``source``'s bytes at ``target`` too, whole or not at all: a hard link where the disk
    allows (no second copy of a report), else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.part")
    try:
        try:
            os.link(source, temp)
        except OSError:
            shutil.copyfile(source, temp)
        os.replace(temp, target)
    finally:
        if temp.exists():
            temp.unlink()


class _Retry(Exception):
    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def _raise_for_retry(response: object) -> None:
    status = response.status_code  # type: ignore[attr-defined]
    if status in RETRY_STATUS:
        after = PoliteClient._retry_after(response.headers.get("Retry-After"))  # type: ignore[attr-defined]
        raise _Retry(f"HTTP {status} {response.reason_phrase}", after)  # type: ignore[attr-defined]


def _request_url(exc: Exception) -> str:
    """The address a request that failed was made to (the last redirect's), as far as httpx says."""
    try:
        return str(exc.request.url)  # type: ignore[attr-defined]
    except (AttributeError, RuntimeError):  # httpx raises RuntimeError for an error made without its request
        return "an address"


def _network_reason(exc: Exception) -> str:
    name = type(exc).__name__
    text = " ".join(str(exc).split())
    if "Timeout" in name and text.startswith("the answer came too slowly"):  # the request's deadline (ofstl.fetch.deadline)
        return text
    if "Timeout" in name:
        return f"no answer in time ({text if text.startswith('the name ') else name})"
    if name == "RemoteProtocolError":
        return f"the connection was dropped ({text or name})"
    return f"network error: {text or name}"
