"""Name lookups bounded by the fetch's timeout.

Why this exists: httpx's timeouts count connecting, reading and writing, but the name lookup
before a connection (``getaddrinfo``, the system's resolver) is a blocking call no timeout
reaches: a DNS server that does not answer held ``ofstl fetch --timeout 30`` for as long as
the resolver's own retries took (minutes), once for every request and every retry. Here the
lookup runs in a thread of its own and the request gives up when ``timeout`` has passed,
failing as a time-out does (and retried as one). The thread left waiting on the resolver is a
daemon: it ends when the resolver gives up and never holds the process.

``BoundedLookupTransport`` is httpx's own transport with a connection pool whose network
backend looks names up so, and gives its connections no more than the request's whole
deadline (``ofstl.fetch.deadline``); the TLS certificate is still checked against the host's name. The
client uses it for every address, through the proxies of the environment where they say
(HTTP_PROXY and the like stay in force: the proxy looks the site's name up), so a proxy
trickling its answer is held to the request's deadline as the site is.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from typing import Any, Callable, Iterable

import httpcore
import httpx

from ofstl.fetch.deadline import DeadlineStream, time_left

Resolve = Callable[..., list[Any]]  # socket.getaddrinfo's signature


class BoundedLookups(httpcore.NetworkBackend):
    """httpcore's network backend, with the name looked up within ``timeout`` seconds (the
    request's connect timeout when it gives one) and each address it gives tried in turn."""

    def __init__(self, timeout: float, resolve: Resolve = socket.getaddrinfo, inner: httpcore.NetworkBackend | None = None):
        self.timeout = timeout
        self.resolve = resolve
        self.inner = inner or httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        last: Exception | None = None
        for address in self.addresses(host, port, self.timeout if timeout is None else timeout):
            try:
                return DeadlineStream(self.inner.connect_tcp(address, port, timeout=time_left(timeout), local_address=local_address,
                                                             socket_options=socket_options))
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:  # the next address may answer
                last = exc
        assert last is not None  # addresses() gives at least one
        raise last

    def addresses(self, host: str, port: int, timeout: float) -> list[str]:
        """The addresses of ``host``: itself when it is one, else what the resolver says in time."""
        try:
            ipaddress.ip_address(host.strip("[]"))
            return [host.strip("[]")]
        except ValueError:
            pass
        answer: dict[str, Any] = {}
        done = threading.Event()

        def look_up() -> None:
            try:
                answer["infos"] = self.resolve(host, port, type=socket.SOCK_STREAM)
            except Exception as exc:  # noqa: BLE001 - handed to the request, which says why in one line
                answer["error"] = exc
            finally:
                done.set()

        threading.Thread(target=look_up, name=f"ofstl-lookup-{host}", daemon=True).start()
        if not done.wait(timeout):
            raise httpcore.ConnectTimeout(f"the name {host} was not looked up within {timeout:g} s "
                                          "(the DNS server did not answer)")
        if "error" in answer:
            raise httpcore.ConnectError(f"{host}: {answer['error']}")
        found = list(dict.fromkeys(str(info[4][0]) for info in answer.get("infos") or []))
        if not found:
            raise httpcore.ConnectError(f"{host}: the name has no address")
        return found

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:  # pragma: no cover - not used
        return self.inner.connect_unix_socket(path, timeout=timeout, socket_options=socket_options)

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


class BoundedLookupTransport(httpx.HTTPTransport):
    """httpx's transport (its defaults: certificates checked, HTTP/1.1, its pool limits) whose
    connections look names up within the timeout, straight to the site or through ``proxy``
    (the proxy's name is looked up so, and its connection held to the request's deadline)."""

    def __init__(self, timeout: float, resolve: Resolve = socket.getaddrinfo, proxy: str | None = None):
        super().__init__(proxy=proxy)  # httpx checks the proxy's address (and SOCKS's package)
        limits, ssl_context = httpx.Limits(), httpx.create_ssl_context()
        pool = {"ssl_context": ssl_context, "max_connections": limits.max_connections,
                "max_keepalive_connections": limits.max_keepalive_connections,
                "keepalive_expiry": limits.keepalive_expiry, "network_backend": BoundedLookups(timeout, resolve)}
        # httpx builds its pool in __init__ and offers no way to hand it a network backend;
        # the pool is replaced by one made the same way, through httpcore's public API.
        if proxy is None:
            self._pool = httpcore.ConnectionPool(**pool)
            return
        via = httpx.Proxy(url=proxy)
        where = httpcore.URL(scheme=via.url.raw_scheme, host=via.url.raw_host, port=via.url.port, target=via.url.raw_path)
        if via.url.scheme in ("http", "https"):
            self._pool = httpcore.HTTPProxy(proxy_url=where, proxy_auth=via.raw_auth, proxy_headers=via.headers.raw,
                                            proxy_ssl_context=via.ssl_context, **pool)
        else:  # socks5, socks5h (any other scheme: httpx has refused it above)
            self._pool = httpcore.SOCKSProxy(proxy_url=where, proxy_auth=via.raw_auth, **pool)


def environment_transports(timeout: float, resolve: Resolve = socket.getaddrinfo) -> dict[str, httpx.BaseTransport]:
    """The mounts httpx would make for the proxies of the environment (HTTP_PROXY, HTTPS_PROXY,
    ALL_PROXY, NO_PROXY), each a ``BoundedLookupTransport``: through a proxy, or (NO_PROXY)
    straight to the site. Read as httpx reads them, by its own function."""
    try:
        from httpx._utils import get_environment_proxies
    except ImportError:  # pragma: no cover - a later httpx: its own mounts then (the deadline: direct connections only)
        return {}
    return {pattern: BoundedLookupTransport(timeout, resolve, proxy=url) for pattern, url in get_environment_proxies().items()}
