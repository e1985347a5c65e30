"""``ofstl fetch`` against a flaky server, as a demanding user runs it: two stores reading one
documents folder, a proxy that trickles its headers, runs stopped and resumed, servers that
lie about lengths or rates. Each test here failed before the fix it comes with.

Against the loopback copy of the site in tests/ofsted_site.py (and, for the proxy, a small
proxy the test starts on loopback); nothing touches the internet.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ofstl.cli import app
from tests.ofsted_site import Server, Site, hillingdon

ENV = {"COLUMNS": "100", "NO_COLOR": "1"}
REDATED = "hillingdon/2018-05-30_childrens-services-inspection.pdf"


def published(store: Path) -> str:
    export = json.loads(CliRunner().invoke(app, ["--store", str(store), "export"], env=ENV).stdout)
    return next(i for i in export["inspections"] if i["id"] == "hillingdon-2018-04-ilacs")["published"]


def cli(store: Path, *args: str):
    """``ofstl [-v] --store STORE ARGS``."""
    verbose = [a for a in args[:1] if a == "-v"]
    return CliRunner().invoke(app, [*verbose, "--store", str(store), *args[len(verbose):]], env=ENV)


# --------------------------------------------------------------------------- two stores, one folder


def read_by_two_stores(srv: Server, tmp_path: Path) -> tuple[Path, Path, Path, list[str]]:
    """The documents folder fetched with --ingest into one store ("mine") and ingested into
    another ("theirs"): (docs, mine, theirs, the fetch's arguments, without --ingest)."""
    docs, mine, theirs = tmp_path / "docs", tmp_path / "mine", tmp_path / "theirs"
    fetch = ["fetch", "hillingdon", "--base-url", srv.url, "--to", str(docs), "--delay", "0"]
    assert cli(mine, *fetch, "--ingest").exit_code == 0
    assert cli(theirs, "ingest", str(docs)).exit_code == 0
    return docs, mine, theirs, fetch


def test_each_store_reading_a_folder_reads_a_redated_file_again(tmp_path: Path) -> None:
    # The list of re-dated files was the folder's: the first store to ingest the folder read the
    # file again and cleared the mark, and the other store kept the old date for good.
    with Server(Site([[hillingdon()]])) as srv:
        docs, mine, theirs, fetch = read_by_two_stores(srv, tmp_path)
        srv.site.providers["80501"].pubs[2].date = "04 June 2018"  # was 30 May 2018
        again = cli(mine, *fetch, "--ingest")  # re-dates the file, and reads it again into "mine"
        assert again.exit_code == 0, again.stderr
    assert published(mine) == "2018-06-04"
    result = cli(theirs, "ingest", str(docs))
    assert result.exit_code == 0, result.stderr
    assert "1 read anew" in result.stderr
    assert published(theirs) == "2018-06-04"
    assert "0 added, 4 unchanged" in cli(theirs, "ingest", str(docs)).stderr  # read again once
    assert "0 added, 4 unchanged" in cli(mine, "ingest", str(docs)).stderr


def test_a_store_ingesting_first_leaves_the_pending_reread_of_the_store_that_fetched(tmp_path: Path,
                                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # A fetch --ingest stopped before its ingest; another store's ingest of the folder then took
    # the mark, and the next fetch --ingest of the first store found nothing to read again.
    from ofstl.ingest import Ingest

    with Server(Site([[hillingdon()]])) as srv:
        docs, mine, theirs, fetch = read_by_two_stores(srv, tmp_path)
        fetch.append("--ingest")
        srv.site.providers["80501"].pubs[2].date = "04 June 2018"

        def stopped(*args, **kw):
            raise KeyboardInterrupt

        with monkeypatch.context() as patch:
            patch.setattr(Ingest, "run", stopped)
            assert cli(mine, *fetch).exit_code == 130
        assert "1 read anew" in cli(theirs, "ingest", str(docs)).stderr
        assert published(theirs) == "2018-06-04"
        again = cli(mine, *fetch)
        assert again.exit_code == 0, again.stderr
        assert "1 read anew" in again.stderr
    assert published(mine) == "2018-06-04"


def test_a_list_of_redated_files_an_earlier_ofstl_wrote_is_read_by_every_store(tmp_path: Path) -> None:
    # The earlier list (one for the folder, {"files": [...]}) is kept: each store reads its
    # files again once, and none takes the others' turn.
    with Server(Site([[hillingdon()]])) as srv:
        docs, mine, theirs, _ = read_by_two_stores(srv, tmp_path)
    (docs / ".reread-pending.json").write_text(json.dumps({"files": [REDATED]}) + "\n")
    for store in (mine, theirs):
        first = cli(store, "-v", "ingest", str(docs)).stderr
        assert f"{REDATED}  → hillingdon  read again" in first, first
        assert "read again" not in cli(store, "-v", "ingest", str(docs)).stderr  # once


# --------------------------------------------------------------------------- through a proxy


class Proxy:
    """A small HTTP proxy on loopback: it passes requests on to the origin and their answers
    back, except to paths in ``trickle``, whose answer's headers it sends a byte every 0.01 s
    (2000 and more of them: 20 s), as a broken proxy might. Counts the bytes so trickled."""

    def __init__(self) -> None:
        import socketserver
        import threading

        proxy = self
        self.trickle: set[str] = set()
        self.asked: list[str] = []
        self.trickled = 0
        self.lock = threading.Lock()

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                import http.client
                import time
                from urllib.parse import urlsplit

                line = self.rfile.readline().decode("latin-1").split()
                headers = {}
                while (header := self.rfile.readline().decode("latin-1").strip()):
                    name, _, value = header.partition(":")
                    headers[name.strip()] = value.strip()
                url = urlsplit(line[1])
                with proxy.lock:
                    proxy.asked.append(url.path)
                if url.path in proxy.trickle:
                    try:
                        for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"a" * 2000:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            with proxy.lock:
                                proxy.trickled += 1
                            time.sleep(0.01)
                        self.wfile.write(b"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    except OSError:
                        pass  # the client gave up, as it should
                    return
                origin = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
                headers.pop("Proxy-Connection", None)
                origin.request(line[0], url.path + (f"?{url.query}" if url.query else ""), headers=headers)
                answer = origin.getresponse()
                body = answer.read()
                self.wfile.write(f"HTTP/1.1 {answer.status} {answer.reason}\r\n".encode())
                for name, value in answer.getheaders():
                    if name.lower() not in ("connection", "content-length", "transfer-encoding"):
                        self.wfile.write(f"{name}: {value}\r\n".encode("latin-1"))
                self.wfile.write(f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
                origin.close()

        class Quiet(socketserver.ThreadingTCPServer):
            daemon_threads = True

            def handle_error(self, request, client_address) -> None:
                pass

        self.server = Quiet(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Proxy":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def through(proxy: Proxy, monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests go through ``proxy``, as the environment of a council's network says."""
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "REQUEST_METHOD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", proxy.url)


def test_headers_trickled_by_a_proxy_are_given_up_within_the_request_deadline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The request's deadline held only for direct connections: through HTTP_PROXY the
    # connection was httpx's own, bounded by the silence between bytes only, and a proxy
    # trickling headers held the request for as long as it kept it up (here 20 s).
    from ofstl.fetch.client import FetchFailed, PoliteClient

    with Server(Site([[hillingdon()]])) as srv, Proxy() as proxy:
        through(proxy, monkeypatch)
        proxy.trickle.add("/provider/44/80501")
        with PoliteClient(delay=0.0, timeout=0.3, retries=0) as client:
            with pytest.raises(FetchFailed, match=": the answer came too slowly \\([0-9]+ bytes in"):
                client.get_page(srv.url + "/provider/44/80501")
        assert proxy.asked == ["/provider/44/80501"]  # through the proxy, not past it
        assert proxy.trickled < 1000
        assert srv.site.requests_to("/provider/") == []


def test_a_fetch_through_a_proxy_gets_its_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The proxy of the environment stays in force (the deadline's connections go through it).
    from ofstl.fetch import Fetcher
    from ofstl.fetch.client import PoliteClient

    with Server(Site([[hillingdon()]])) as srv, Proxy() as proxy:
        through(proxy, monkeypatch)
        with PoliteClient(delay=0.0, timeout=10) as client:
            report = Fetcher(tmp_path, base_url=srv.url, client=client).run(["hillingdon"])
        assert report.failed == [] and len(report.downloaded) == 4
        assert sorted(proxy.asked) == sorted(r["path"] for r in srv.site.log) and len(proxy.asked) == 5


def test_an_address_the_environment_keeps_from_the_proxy_is_held_to_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    # NO_PROXY's addresses went to httpx's own transport: neither the request's deadline nor
    # the bounded name lookup held there, so slow headers held the request for 20 s.
    from ofstl.fetch.client import FetchFailed, PoliteClient

    with Server(Site([[hillingdon()]])) as srv, Proxy() as proxy:
        through(proxy, monkeypatch)
        monkeypatch.setenv("no_proxy", "127.0.0.1")
        srv.site.script("/provider/44/80501", "slow-headers")
        with PoliteClient(delay=0.0, timeout=0.3, retries=0) as client:
            with pytest.raises(FetchFailed, match=": the answer came too slowly \\([0-9]+ bytes in"):
                client.get_page(srv.url + "/provider/44/80501")
        assert srv.site.header_bytes_sent < 1000 and proxy.asked == []


# --------------------------------------------------------------------------- a site asking to wait


def waits_asked(retry_after: bytes, monkeypatch: pytest.MonkeyPatch | None = None) -> list[float]:
    """The pauses a client takes for a 503 with this Retry-After (as the bytes on the wire),
    then an answer."""
    import httpx

    from ofstl.fetch.client import PoliteClient
    from tests.test_fetch import FakeClock

    clock = FakeClock()
    answers = iter([httpx.Response(503, headers=[(b"Retry-After", retry_after)]), httpx.Response(200, text="ok")])
    client = PoliteClient(delay=0, backoff=2.0, clock=clock, sleep=clock.sleep, transport=httpx.MockTransport(lambda r: next(answers)))
    assert client.get_page("http://127.0.0.1/x").text == "ok"
    return clock.sleeps


@pytest.mark.parametrize("value", ["²".encode("latin-1"), "١٢".encode("utf-8"), b"-5", b"1e3", b"soon", b"\xff\xfe"])
def test_a_retry_after_that_is_not_a_number_of_seconds_or_a_date_is_a_plain_backoff(value: bytes) -> None:
    # "Retry-After: ²" (a digit to str.isdigit, not to float) ended the whole fetch with a
    # ValueError; what is not seconds or a date is the usual backoff (here 1 to 2 s).
    [wait] = waits_asked(value)
    assert 1.0 <= wait <= 2.0


@pytest.mark.parametrize("zone", [b"-0000", b""])
def test_a_retry_after_date_without_a_zone_is_greenwich_time_whatever_the_machines_zone(zone: bytes,
                                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # HTTP dates are GMT; one written "-0000" (or with no zone) was read as the machine's local
    # time: in New York a pause of two minutes became one of five hours, and the run stopped.
    import time
    from email.utils import formatdate

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        when = formatdate(time.time() + 120, usegmt=True).removesuffix(" GMT").encode() + (b" " + zone if zone else b"")
        [wait] = waits_asked(when)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert 100 <= wait <= 121


def test_a_long_retry_after_on_the_last_try_still_stops_the_run() -> None:
    # With --retries 0 (or on the last of the tries) a 429 asking for an hour was "the site did
    # not answer", and the run went on asking for the next authorities' pages at once.
    import httpx

    from ofstl.fetch import Fetcher
    from ofstl.fetch.client import PoliteClient

    asked: list[str] = []

    def busy(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        return httpx.Response(429, headers={"Retry-After": "3600"})

    client = PoliteClient(delay=0, retries=0, sleep=lambda s: None, transport=httpx.MockTransport(busy))
    report = Fetcher("/nonexistent-never-written", base_url="http://reports.ofsted.test", client=client).run(
        ["hillingdon", "hounslow", "ealing"], dry_run=True)
    assert asked == ["/provider/44/80501"]
    assert "the site asks to wait 3600 s, more than ofstl will" in report.failed[0]
    assert report.failed[1].startswith("not fetched: hounslow, ealing (the site asked ofstl to pause")


# --------------------------------------------------------------------------- a page without end


def test_a_page_without_end_is_refused_not_held_in_memory() -> None:
    # A page had a time bound but no size bound: a server streaming fast kept it all in memory
    # (300 MB here, gigabytes in the 30 s a page may take).
    import httpx

    from ofstl.fetch.client import MAX_PAGE_BYTES, FetchFailed, PoliteClient

    sent = [0]

    def endless():
        while sent[0] < 300 * 2 ** 20:
            sent[0] += 2 ** 20
            yield b"<p>" + b"a" * (2 ** 20 - 3)

    client = PoliteClient(delay=0, retries=0, transport=httpx.MockTransport(
        lambda r: httpx.Response(200, headers={"Content-Type": "text/html"}, content=endless())))
    with pytest.raises(FetchFailed, match=r"http://127.0.0.1/x: the page is larger than [0-9]+ bytes, more than any page of the site"):
        client.get_page("http://127.0.0.1/x")
    assert sent[0] <= MAX_PAGE_BYTES + 2 ** 20


# --------------------------------------------------------------------------- stopped at the worst moment


def test_a_redated_report_stopped_just_after_its_download_leaves_no_second_copy(tmp_path: Path) -> None:
    # The re-dated report was saved under its new name, compared with the kept file and only
    # then removed: a Ctrl-C in between left the same bytes under a name no manifest line
    # described, for ever (the next run saved its copy as "-2" and removed that one).
    from ofstl.fetch import Fetcher
    from ofstl.fetch.client import PoliteClient
    from ofstl.fetch.manifest import manifest_lines

    with Server(Site([[hillingdon()]])) as srv:
        Fetcher(tmp_path, base_url=srv.url, client=PoliteClient(delay=0)).run(["hillingdon"])
        srv.site.providers["80501"].pubs[2].date = "04 June 2018"
        client = PoliteClient(delay=0)
        download = client.download_pdf

        def then_stopped(*args, **kw):
            download(*args, **kw)
            raise KeyboardInterrupt

        client.download_pdf = then_stopped  # type: ignore[method-assign]
        with pytest.raises(KeyboardInterrupt):
            Fetcher(tmp_path, base_url=srv.url, client=client).run(["hillingdon"])
        files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.pdf*"))
        assert files == sorted({e["file"] for e in manifest_lines(tmp_path)}) and len(files) == 4
        again = Fetcher(tmp_path, base_url=srv.url, client=PoliteClient(delay=0)).run(["hillingdon"])
    assert again.failed == [] and again.already == 4
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.pdf*")) == files
    assert [e for e in manifest_lines(tmp_path) if e["file"] == REDATED][-1]["published"] == "2018-06-04"


# --------------------------------------------------------------------------- a page cut short


def test_a_page_cut_short_by_a_wrong_content_length_is_asked_for_whole_next_time(tmp_path: Path) -> None:
    # The first half of the page (all its Content-Length said) was read as the page, and kept
    # with its ETag: every later run got "304 not modified" and never saw the reports in the
    # half cut off, until the site changed the page.
    from ofstl.fetch import Fetcher
    from ofstl.fetch.client import PoliteClient

    with Server(Site([[hillingdon()]])) as srv:
        srv.site.script("/provider/44/80501", "short-length")
        first = Fetcher(tmp_path, base_url=srv.url, client=PoliteClient(delay=0)).run(["hillingdon"])
        assert len(first.downloaded) < 4
        assert any("the page came incomplete" in w for w in first.warnings), first.warnings
        again = Fetcher(tmp_path, base_url=srv.url, client=PoliteClient(delay=0)).run(["hillingdon"])
        assert "If-None-Match" not in srv.site.requests_to("/provider/")[-1]["headers"]
    assert len(first.downloaded) + len(again.downloaded) == 4 and again.failed == []


def test_a_file_cut_short_on_disk_is_asked_for_again_not_already_here(tmp_path: Path) -> None:
    # A copy of the folder interrupted half way (rsync, a full disk) left a report cut short
    # under its manifest line: every later fetch counted it "already here", and ingest failed it.
    from ofstl.fetch import Fetcher
    from ofstl.fetch.client import PoliteClient

    with Server(Site([[hillingdon()]])) as srv:
        Fetcher(tmp_path, base_url=srv.url, client=PoliteClient(delay=0)).run(["hillingdon"])
        report = tmp_path / REDATED
        whole = report.read_bytes()
        report.write_bytes(whole[: len(whole) // 2])
        again = Fetcher(tmp_path, base_url=srv.url, client=PoliteClient(delay=0)).run(["hillingdon"])
    assert again.failed == [] and again.already == 3 and [e["file"] for e in again.downloaded] == [REDATED]
    assert report.read_bytes() == whole
    assert again.warnings == [f"hillingdon: {REDATED}: {len(whole) // 2} bytes on disk, not the {len(whole)} its manifest "
                              "line records (cut short?); asked for again, unless it reads as a whole PDF (kept as it is)"]
