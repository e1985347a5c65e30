"""``ofstl fetch`` when the site misbehaves in ways a polite client must not answer by asking
again: a Retry-After longer than ofstl waits stops the run (no other page is asked for), a
redirect loop is one failure (not retried), and each failure is told once on a pipe; a name
lookup that hangs is bounded by the timeout (the resolver is a stand-in the test passes in).

Against the loopback copy of the site in tests/ofsted_site.py; nothing touches the internet.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ofstl.cli import app
from ofstl.fetch import Fetcher
from ofstl.fetch.client import MAX_REDIRECTS, FetchFailed, PoliteClient
from tests.ofsted_site import Server, Site, every_type, hillingdon


@pytest.fixture
def server():
    with Server(Site([[hillingdon(), every_type()]])) as srv:
        yield srv


def test_a_long_retry_after_stops_the_run_before_any_other_request(server: Server, tmp_path: Path) -> None:
    server.site.script("/provider/44/80501", "429-hour")
    client = PoliteClient(delay=0.0, backoff=0.01)
    report = Fetcher(tmp_path, base_url=server.url, client=client).run(["hillingdon", "hounslow"])
    assert len(server.site.log) == 1  # the one request the site refused; hounslow's page never asked for
    assert server.site.requests_to("/provider/44/80503") == [] and server.site.requests_to("/files/") == []
    assert "asks to wait 3600 s" in report.failed[0]
    assert "not fetched: hounslow" in report.failed[1] and "run the same command again later" in report.failed[1]
    assert report.authorities == ["hillingdon"] and not report.downloaded


def test_a_long_retry_after_on_a_file_stops_the_other_downloads(server: Server, tmp_path: Path) -> None:
    server.site.script("/files/50200207", "429-hour")  # hillingdon's second publication
    client = PoliteClient(delay=0.0, backoff=0.01)
    report = Fetcher(tmp_path, base_url=server.url, client=client).run(["hillingdon", "hounslow"])
    assert len(report.downloaded) == 1  # the first file came before the site asked for a pause
    assert [r["path"] for r in server.site.log][-1] == "/files/50200207"
    # the page is read again next time, so the rest is fetched then
    second = Fetcher(tmp_path, base_url=server.url, client=PoliteClient(delay=0.0)).run(["hillingdon"])
    assert len(second.downloaded) == 3 and second.already == 1 and not second.failed


def test_a_redirect_loop_is_one_failure_not_retried(server: Server, tmp_path: Path) -> None:
    server.site.script("/provider/44/80501", *["loop"] * 100)
    client = PoliteClient(delay=0.0, backoff=0.01)
    report = Fetcher(tmp_path, base_url=server.url, client=client).run(["hillingdon", "hounslow"])
    assert len(server.site.requests_to("/provider/44/80501")) == MAX_REDIRECTS + 1
    assert len(report.failed) == 1 and "redirects in a loop" in report.failed[0]
    assert len(report.downloaded) == 7  # hounslow's, the run went on


def test_each_failure_is_told_once_on_a_pipe(server: Server, tmp_path: Path) -> None:
    server.site.script("/files/50140211", *["html"] * 9)
    env = {"COLUMNS": "100", "NO_COLOR": "1", "OFSTL_OFSTED_URL": server.url}
    args = ["--store", str(tmp_path / "store"), "fetch", "hillingdon", "--to", str(tmp_path / "d"), "--delay", "0"]
    for extra in ([], ["-q"]):
        result = CliRunner().invoke(app, extra + args, env=env)
        assert result.exit_code == 1
        assert result.stderr.count("Children's services inspection (2014-02-11)") == 1, result.stderr


@pytest.mark.parametrize("delay", ["inf", "nan", "-1", "1e9"])
def test_a_delay_that_is_not_a_usable_number_of_seconds_is_a_usage_error(server: Server, tmp_path: Path, delay: str) -> None:
    env = {"COLUMNS": "100", "NO_COLOR": "1", "OFSTL_OFSTED_URL": server.url}
    result = CliRunner().invoke(app, ["--store", str(tmp_path / "s"), "fetch", "hillingdon", "--to", str(tmp_path / "d"), "--delay", delay], env=env)
    assert result.exit_code == 2 and "--delay must be" in result.stderr
    assert server.site.log == []


def test_a_site_that_does_not_answer_is_given_up_after_timeout_and_retries(server: Server, tmp_path: Path) -> None:
    # a server that never answers cost five tries of 30 s per page; --timeout and --retries shorten it
    server.site.script("/provider/44/80501", *["stall"] * 9)
    env = {"COLUMNS": "100", "NO_COLOR": "1", "OFSTL_OFSTED_URL": server.url}
    args = ["--store", str(tmp_path / "s"), "fetch", "hillingdon", "hounslow", "--to", str(tmp_path / "d"), "--delay", "0"]
    result = CliRunner().invoke(app, args + ["--timeout", "0.2", "--retries", "1"], env=env)
    assert result.exit_code == 1, result.stderr
    assert len(server.site.requests_to("/provider/44/80501")) == 2  # the first try and one more
    assert "hillingdon" in result.stderr and "no answer in time" in result.stderr and "gave up after 2 tries" in result.stderr
    assert len(list((tmp_path / "d" / "hounslow").glob("*.pdf"))) == 7  # the run went on


@pytest.mark.parametrize("option,value", [("--timeout", "0"), ("--timeout", "inf"), ("--timeout", "nan"), ("--timeout", "601"),
                                          ("--retries", "-1"), ("--retries", "11")])
def test_a_timeout_or_retries_out_of_range_is_a_usage_error(server: Server, tmp_path: Path, option: str, value: str) -> None:
    env = {"COLUMNS": "100", "NO_COLOR": "1", "OFSTL_OFSTED_URL": server.url}
    result = CliRunner().invoke(app, ["--store", str(tmp_path / "s"), "fetch", "hillingdon", "--to", str(tmp_path / "d"), option, value], env=env)
    assert result.exit_code == 2 and f"{option} must be" in result.stderr, result.stderr
    assert server.site.log == []


def test_the_fetch_state_honours_the_umask(server: Server, tmp_path: Path) -> None:
    import os
    import stat

    old = os.umask(0o002)
    try:
        Fetcher(tmp_path, base_url=server.url, client=PoliteClient(delay=0.0)).run(["hillingdon"], dry_run=False)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / ".fetch-state.json").stat().st_mode) == 0o664
    assert stat.S_IMODE((tmp_path / "manifest.jsonl").stat().st_mode) == 0o664


# --------------------------------------------------------------------------- name lookups


def _resolver(port: int, answer_after: threading.Event | None = None, fail: bool = False):
    """A stand-in for the system's resolver: every name is this machine (the test's server),
    answered at once, only when ``answer_after`` is set (or after 20 s), or never found."""
    import socket

    looked_up: list[str] = []

    def resolve(host: str, port_asked: int, *args, **kwargs):
        looked_up.append(host)
        if fail:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        if answer_after is not None:
            answer_after.wait(20)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    resolve.looked_up = looked_up  # type: ignore[attr-defined]
    return resolve


def test_a_name_lookup_that_hangs_is_given_up_after_timeout(server: Server) -> None:
    # getaddrinfo is a blocking call no httpx timeout reaches: a DNS server that did not
    # answer held the run for as long as the resolver's own retries took, on every request
    port = int(server.url.rsplit(":", 1)[1])
    never = threading.Event()
    try:
        client = PoliteClient(delay=0.0, timeout=0.3, retries=1, backoff=0.01, resolve=_resolver(port, never))
        with pytest.raises(FetchFailed) as caught:
            client.get_page(f"http://reports.ofsted.test:{port}/provider/44/80501")
    finally:
        never.set()  # the lookup threads end now, not in 20 s
    assert str(caught.value) == (f"http://reports.ofsted.test:{port}/provider/44/80501: no answer in time (the name "
                                 "reports.ofsted.test was not looked up within 0.3 s (the DNS server did not answer)) "
                                 "(gave up after 2 tries)")
    assert server.site.requests_to("/provider/") == []


def test_a_name_looked_up_in_time_is_fetched_and_one_not_found_is_one_line(server: Server, tmp_path: Path) -> None:
    port = int(server.url.rsplit(":", 1)[1])
    resolve = _resolver(port)
    client = PoliteClient(delay=0.0, timeout=5, resolve=resolve)
    page = client.get_page(f"http://reports.ofsted.test:{port}/provider/44/80501")
    assert page.status == 200 and "Hillingdon" in page.text and resolve.looked_up == ["reports.ofsted.test"]
    assert server.site.requests_to("/provider/")[0]["headers"]["Host"] == f"reports.ofsted.test:{port}"  # asked by its name
    report = Fetcher(tmp_path, base_url=f"http://reports.ofsted.test:{port}",
                     client=PoliteClient(delay=0.0, retries=0, resolve=_resolver(port, fail=True))).run(["hillingdon"])
    assert report.failed == [f"hillingdon: provider page: http://reports.ofsted.test:{port}/provider/44/80501: network error: "
                             "reports.ofsted.test: [Errno -2] Name or service not known (gave up after 1 try)"]


def test_a_proxy_from_the_environment_is_still_used(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    # A council's network reaches the web through a proxy (HTTP_PROXY): the site's name is
    # the proxy's to look up. Giving httpx a transport of ours had turned the proxy off.
    port = int(server.url.rsplit(":", 1)[1])
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", server.url)  # the loopback site answers a proxy's request too
    resolve = _resolver(port, fail=True)  # this machine cannot look the name up
    page = PoliteClient(delay=0.0, retries=0, resolve=resolve).get_page("http://reports.ofsted.test/provider/44/80501")
    assert page.status == 200 and "Hillingdon" in page.text and resolve.looked_up == []
