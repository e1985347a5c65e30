"""One deadline for a whole request: connecting, the answer's headers and its body.

Why this exists: httpx's timeouts count the silence between bytes, so a server that sends its
status line and headers one byte at a time (a broken proxy, a tarpit) held one request for as
long as the headers were allowed to grow (tens of kilobytes: hours), before the body's own
bound (``PoliteClient.download_pdf``) was ever reached. Here every read and write of a
connection, and the connecting itself, is given only the time left of the request's budget:
``timeout`` seconds plus one more for each ``min_rate`` bytes received so far, the bound
fetch already held bodies to. Past it the request fails as a time-out does (and is retried as
one); the connection is closed, never reused.

``PoliteClient`` opens a budget per request (``budget``); ``DeadlineStream`` wraps each
connection the fetch's network backend (``ofstl.fetch.names``) makes, straight to the site or
to a proxy of the environment (HTTP_PROXY and the like). A connection used with no budget
open (none is, outside a fetch) is bounded by httpx's own timeouts only.
"""

from __future__ import annotations

import ssl
import threading
import time
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import httpcore

_current = threading.local()


class _Budget:
    def __init__(self, timeout: float, min_rate: float):
        self.started = time.monotonic()
        self.timeout = timeout
        self.min_rate = min_rate
        self.received = 0

    def left(self, timeout: float | None) -> float | None:
        """The time a read or write may take: the smaller of httpx's and the budget's left
        (none left: a time-out saying so)."""
        left = self.timeout + self.received / self.min_rate - (time.monotonic() - self.started)
        if left <= 0:
            raise self.spent()
        return left if timeout is None else min(timeout, left)

    def spent(self) -> httpcore.ReadTimeout:
        if not self.received:  # nothing at all: the time-out httpx would give
            return httpcore.ReadTimeout("")
        return httpcore.ReadTimeout(too_slow("answer", self.received, time.monotonic() - self.started, self.timeout, self.min_rate))


def too_slow(what: str, received: int, elapsed: float, timeout: float, min_rate: float) -> str:
    """Why a request was given up: one wording for an answer's headers and a file's body."""
    return (f"the {what} came too slowly ({received} bytes in {elapsed:.1f} s, less than {min_rate / 1024:g} kB/s "
            f"after the first {timeout:g} s)")


@contextmanager
def budget(timeout: float, min_rate: float) -> Iterator[None]:
    """Everything the connections of this thread do inside is bounded by one deadline."""
    earlier = getattr(_current, "budget", None)
    _current.budget = _Budget(timeout, min_rate)
    try:
        yield
    finally:
        _current.budget = earlier


def time_left(timeout: float | None) -> float | None:
    """``timeout`` cut to what the request's budget has left (raises a time-out when none is)."""
    spent = getattr(_current, "budget", None)
    return timeout if spent is None else spent.left(timeout)


class DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write is given only the time the request has left."""

    def __init__(self, inner: httpcore.NetworkStream):
        self.inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data: bytes = _within(lambda allowed: self.inner.read(max_bytes, allowed), timeout)
        spent = getattr(_current, "budget", None)
        if spent is not None:
            spent.received += len(data)
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        _within(lambda allowed: self.inner.write(buffer, allowed), timeout)

    def close(self) -> None:
        self.inner.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return DeadlineStream(self.inner.start_tls(ssl_context, server_hostname, time_left(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


def _within(call: Callable[[float | None], Any], timeout: float | None) -> Any:
    """``call`` given the time left; timing out because the budget ran out says so (httpx's
    own time-out names only its class)."""
    spent, allowed = getattr(_current, "budget", None), time_left(timeout)
    try:
        return call(allowed)
    except (httpcore.ReadTimeout, httpcore.WriteTimeout):
        if spent is not None and (timeout is None or (allowed is not None and allowed < timeout)):
            raise spent.spent() from None
        raise
