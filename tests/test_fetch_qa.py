"""``ofstl fetch`` as a demanding user finds it: the site's error pages sent with status 200,
a manifest cut short in the middle of a character, and the other odd answers a real run
meets. Each test here failed before the fix it comes with.

Against the loopback copy of the site in tests/ofsted_site.py; nothing touches the internet.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ofstl.cli import app
from ofstl.fetch import Fetcher, site
from ofstl.fetch.client import PoliteClient
from ofstl.fetch.manifest import append_manifest, read_manifest
from tests.ofsted_site import Server, Site, every_type, hillingdon

ENV = {"COLUMNS": "100", "NO_COLOR": "1"}


@pytest.fixture
def server():
    with Server(Site([[hillingdon(), every_type()]])) as srv:
        yield srv


def run(folder: Path, srv: Server, *args, **kw):
    return Fetcher(folder, base_url=srv.url, client=PoliteClient(delay=0.0, backoff=0.01)).run(*args, **kw)


def test_an_error_page_sent_as_a_provider_page_is_a_failure_not_an_empty_listing(server: Server, tmp_path: Path) -> None:
    server.site.script("/provider/44/80501", "error-200")
    report = run(tmp_path, server, ["hillingdon", "hounslow"])
    assert len(report.failed) == 1, report.failed
    assert "hillingdon" in report.failed[0] and server.url + "/provider/44/80501" in report.failed[0]
    assert "not the authority's page" in report.failed[0]
    assert not any("hillingdon" in w for w in report.warnings)
    assert len(report.downloaded) == 7  # hounslow's: the run went on
    # the error page is not remembered as the authority's listing: the next run reads the page again
    state = json.loads((tmp_path / ".fetch-state.json").read_text())
    assert server.url + "/provider/44/80501" not in state["pages"]
    again = run(tmp_path, server, ["hillingdon"])
    assert len(again.downloaded) == 4 and not again.failed


def test_a_provider_page_with_no_reports_is_still_only_a_warning(tmp_path: Path) -> None:
    from tests.ofsted_site import Provider

    with Server(Site([[Provider("80486", "London Borough of Barking and Dagenham")]])) as srv:
        report = run(tmp_path, srv, ["barking-and-dagenham"])
    assert not report.failed and any("no publications" in w for w in report.warnings)


def test_an_error_page_sent_as_the_search_results_fails_fetch_all(server: Server, tmp_path: Path) -> None:
    server.site.script("/search", "error-200")
    report = run(tmp_path, server, everything=True)
    assert "search" in report.failed[0] and server.url + "/search" in report.failed[0]
    # not taken for a site with no authorities: every authority the table knows is fetched instead
    assert "fetching the 156 authorities ofstl knows instead" in report.failed[0] and len(report.downloaded) == 11
    state = json.loads((tmp_path / ".fetch-state.json").read_text())
    assert not any("/search" in url for url in state["pages"])  # the error page is not remembered as the search
    result = CliRunner().invoke(app, ["--store", str(tmp_path / "s"), "fetch", "--all", "--base-url", server.url,
                                      "--to", str(tmp_path / "d"), "--delay", "0"], env=ENV)
    assert result.exit_code == 0 and "11 downloaded" in result.stderr  # the site answers properly now
    server.site.script("/search", "error-200")
    again = CliRunner().invoke(app, ["--store", str(tmp_path / "s"), "fetch", "--all", "--base-url", server.url,
                                     "--to", str(tmp_path / "d2"), "--delay", "0"], env=ENV)
    assert again.exit_code == 1 and "failed: search results" in again.stderr


def test_a_manifest_line_cut_inside_a_character_loses_only_that_line(tmp_path: Path) -> None:
    append_manifest(tmp_path, {"url": "u1", "label": "Inspection of children’s services – Hillingdon", "sha256": "a", "file": "a/1.pdf"})
    data = (tmp_path / "manifest.jsonl").read_bytes()
    cut = data.index("’".encode()) + 1  # a crash (a full disk) half way through a character
    (tmp_path / "manifest.jsonl").write_bytes(data[:cut])
    append_manifest(tmp_path, {"url": "u2", "label": "Focused visit", "sha256": "b", "file": "a/2.pdf"})
    entries = read_manifest(tmp_path)
    assert list(entries) == ["u2"]


def test_a_county_council_continued_by_its_unitary_is_fetched_from_the_unitary_page(tmp_path: Path) -> None:
    # Buckinghamshire County Council (abolished 2020) and Buckinghamshire Council share the LA
    # number and Ofsted's page: "ofstl fetch 'Buckinghamshire County Council'" used to search
    # the whole site and fail ("lists no children's services provider for it").
    from tests.ofsted_site import Provider, Pub, tiny_pdf

    bucks = Provider("80442", "Buckinghamshire Council", [
        Pub("Children's services inspection", "24 June 2014", "30140624", tiny_pdf("bucks sif")),
        Pub("Children's services inspection", "14 February 2023", "30230214", tiny_pdf("bucks ilacs"))])
    with Server(Site([[bucks]])) as srv:
        report = run(tmp_path, srv, ["buckinghamshire-county-council"])
        assert not report.failed, report.failed
        assert srv.site.requests_to("/search") == []
    assert report.authorities == ["buckinghamshire"]
    assert sorted(p.name for p in (tmp_path / "buckinghamshire").glob("*.pdf")) == [
        "2014-06-24_childrens-services-inspection.pdf", "2023-02-14_childrens-services-inspection.pdf"]
    assert any("buckinghamshire-county-council" in w and "buckinghamshire" in w for w in report.warnings)


def test_an_abolished_council_split_or_merged_names_its_successors(server: Server, tmp_path: Path) -> None:
    report = run(tmp_path, server, ["dorset-county-council"])
    assert len(report.failed) == 1
    assert "dorset-county-council" in report.failed[0] and "dorset, bournemouth-christchurch-and-poole" in report.failed[0]


def test_a_page_that_trickles_in_is_given_up_after_timeout(tmp_path: Path) -> None:
    # --timeout is "how long one request may take": a page sent a few bytes at a time never
    # tripped httpx's read timeout (which counts the silence between bytes), so a stuck
    # server held the run for as long as it liked.
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Trickle(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            body = b"<html><body>" + b" " * 400 + b"</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                for i in range(0, len(body), 20):
                    self.wfile.write(body[i:i + 20])
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass  # the client gave up, as it should

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        client = PoliteClient(delay=0.0, timeout=0.5, retries=0)
        started = time.monotonic()
        # Two bounds race to give it up, both right: the page's own (whole within --timeout of the
        # request: "no answer in time") and the request's (ofstl.fetch.deadline: "came too slowly"),
        # whichever a chunk or a read's wait reaches first; matching one only failed 4 runs in 30.
        with pytest.raises(Exception, match="no answer in time|came too slowly"):
            client.get_page(f"http://127.0.0.1:{httpd.server_address[1]}/provider/44/80501")
        assert time.monotonic() - started < 1.5  # the whole page would take over 2 s
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_provider_page_redirected_to_another_authority_downloads_nothing(server: Server, tmp_path: Path) -> None:
    # The site moves a page (a URN retired, merged): following the redirect to another
    # authority's page used to file that authority's reports under the one asked for.
    server.site.script("/provider/44/80501", "redirect:/provider/44/80503")
    report = run(tmp_path, server, ["hillingdon"])
    assert len(report.failed) == 1 and "hillingdon" in report.failed[0] and "London Borough of Hounslow" in report.failed[0]
    assert server.url + "/provider/44/80501" in report.failed[0]
    assert not list(tmp_path.rglob("*.pdf")) and server.site.requests_to("/files/") == []


def test_a_page_named_for_the_council_a_unitary_continues_is_still_its_page(tmp_path: Path) -> None:
    from tests.ofsted_site import Provider, Pub, tiny_pdf

    old_name = Provider("80442", "Buckinghamshire County Council", [Pub("Focused visit", "03 March 2021", "30210303", tiny_pdf("bucks"))])
    with Server(Site([[old_name]])) as srv:
        report = run(tmp_path, srv, ["buckinghamshire"])
    assert not report.failed and len(report.downloaded) == 1


def test_a_link_to_another_providers_page_among_the_reports_is_not_downloaded(server: Server, tmp_path: Path) -> None:
    # A provider page can link, among its reports, to another provider (a children's home the
    # council runs): that is a page, not a report; fetching it failed on every run (exit 1).
    from tests import ofsted_site

    original = ofsted_site.provider_page

    def with_a_provider_link(provider, base):  # noqa: ANN001, ANN202
        page = original(provider, base)
        link = ('<li class="timeline__day"><div class="event"><a class="publication-link" href="/provider/16/SC123456">'
                'Hillingdon Children\'s Home<span class="nonvisual">hillingdon children\'s home - 04 april 2022</span></a></div></li>')
        return page.replace("<ol class='timeline'>", "<ol class='timeline'>" + link)

    ofsted_site.provider_page = with_a_provider_link
    try:
        report = run(tmp_path, server, ["hillingdon"])
    finally:
        ofsted_site.provider_page = original
    assert not report.failed, report.failed
    assert len(report.downloaded) == 4 and server.site.requests_to("/provider/16/") == []


def test_an_empty_file_is_called_empty(server: Server, tmp_path: Path) -> None:
    from tests.ofsted_site import Provider, Pub

    with Server(Site([[Provider("80501", "London Borough of Hillingdon", [Pub("Focused visit", "07 February 2020", "50200207", b"")])]])) as srv:
        report = run(tmp_path, srv, ["hillingdon"])
    assert len(report.failed) == 1 and "the site sent an empty file" in report.failed[0] and "/files/50200207" in report.failed[0]
    assert not list(tmp_path.rglob("*.pdf"))


def test_to_a_file_is_a_usage_error_not_an_internal_error(server: Server, tmp_path: Path) -> None:
    (tmp_path / "docs").write_text("not a folder")
    result = CliRunner().invoke(app, ["--store", str(tmp_path / "s"), "fetch", "hillingdon", "--base-url", server.url,
                                      "--to", str(tmp_path / "docs"), "--delay", "0"], env=ENV)
    assert result.exit_code == 2, result.stderr
    assert "--to" in result.stderr and "not a folder" in result.stderr and "internal error" not in result.stderr
    assert server.site.log == [] and not (tmp_path / "s").exists()  # no store made for a command refused
    bad_url = CliRunner().invoke(app, ["--store", str(tmp_path / "s"), "fetch", "hillingdon", "--base-url", "localhost:8000"], env=ENV)
    assert bad_url.exit_code == 2 and not (tmp_path / "s").exists()


def test_a_full_disk_while_recording_stops_the_run_with_one_line(server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from ofstl.fetch import fetcher as fetcher_module

    calls = []

    def full(folder, entry):  # noqa: ANN001, ANN202
        calls.append(entry["file"])
        if len(calls) > 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        append_manifest(folder, entry)

    monkeypatch.setattr(fetcher_module, "append_manifest", full)
    result = CliRunner().invoke(app, ["--store", str(tmp_path / "s"), "fetch", "hillingdon", "hounslow", "--base-url", server.url,
                                      "--to", str(tmp_path / "d"), "--delay", "0"], env=ENV)
    assert result.exit_code == 1, result.stderr
    assert "internal error" not in result.stderr and "No space left on device" in result.stderr
    assert len(read_manifest(tmp_path / "d")) == 2  # what was recorded stays recorded
    assert len(calls) == 3  # the run stopped at the first write that failed
    monkeypatch.undo()
    again = run(tmp_path / "d", server, ["hillingdon", "hounslow"])
    assert not again.failed and len(read_manifest(tmp_path / "d")) == 11
    assert len(again.downloaded) + again.already == 11 and len(again.downloaded) == 8  # the third file was kept, not fetched again


def test_a_search_that_ignores_the_page_asked_for_is_not_paged_for_ever(server: Server, tmp_path: Path) -> None:
    # If the site stops honouring start= (a change of its search), every page lists the same
    # authorities: the search was asked for page after page, one a second, without end.
    first = server.site.search_pages[0]

    class SamePageEveryTime:
        def __getitem__(self, index: int):  # noqa: ANN204
            return first

        def __len__(self) -> int:
            return 10 ** 6

    server.site.search_pages = SamePageEveryTime()
    client = PoliteClient(delay=0.0, backoff=0.01)
    report = Fetcher(tmp_path, base_url=server.url, client=client).run(everything=True, dry_run=True)
    assert len(server.site.requests_to("/search")) == 2  # the second page said nothing new
    assert report.authorities == ["hillingdon", "hounslow"] and len(report.planned) == 11
    assert any("search" in w and "same" in w for w in report.warnings), report.warnings


def test_a_file_larger_than_any_report_is_refused_not_written_to_the_end(server: Server, tmp_path: Path) -> None:
    # A misbehaving server (or a wrong link) sending an endless or enormous file filled the disk.
    import httpx

    client = PoliteClient(delay=0.0, retries=0, max_bytes=10_000)
    with pytest.raises(Exception, match="larger than 10000 bytes"):
        client.download_pdf(server.url + "/files/50231120", tmp_path / "a.pdf")  # 29 kB, said in Content-Length
    assert list(tmp_path.iterdir()) == []

    def endless():  # noqa: ANN202 - no Content-Length: only the bytes themselves tell
        yield b"%PDF-1.4\n"
        while True:
            yield b"0" * 4096

    sent = PoliteClient(delay=0.0, retries=0, max_bytes=100_000,
                        transport=httpx.MockTransport(lambda request: httpx.Response(200, content=endless())))
    with pytest.raises(Exception, match="larger than 100000 bytes"):
        sent.download_pdf("http://127.0.0.1/files/1", tmp_path / "b.pdf")
    assert list(tmp_path.iterdir()) == []
    assert PoliteClient().max_bytes >= 100 * 2 ** 20  # the default leaves room for any real report


@pytest.mark.parametrize("year", ["18", "0", "-2018", "20180"])
def test_since_that_is_not_a_year_is_a_usage_error(server: Server, tmp_path: Path, year: str) -> None:
    # "--since 18" (2018 meant) fetched every publication back to the oldest
    result = CliRunner().invoke(app, ["--store", str(tmp_path / "s"), "fetch", "hillingdon", "--base-url", server.url,
                                      "--to", str(tmp_path / "d"), "--delay", "0", "--since", year], env=ENV)
    assert result.exit_code == 2 and "--since must be a year" in result.stderr, result.stderr
    assert server.site.log == []


def test_links_that_are_not_web_addresses_are_not_reports(server: Server, tmp_path: Path) -> None:
    from tests.ofsted_site import provider_page

    page = provider_page(hillingdon(), server.url).replace(
        "<ol class='timeline'>", "<ol class='timeline'><li><a class='publication-link' href='javascript:void(0)'>Share"
        "<span class='nonvisual'>focused visit, pdf - 01 may 2024</span></a></li>"
        "<li><a class='publication-link' href='mailto:enquiries@ofsted.gov.uk'>Ask"
        "<span class='nonvisual'>monitoring visit, pdf - 02 may 2024</span></a></li>")
    publications = site.parse_provider_page(page, server.url + "/provider/44/80501").publications
    assert [p.url.split(":")[0] for p in publications if site.is_document(p)] == ["http"] * 4


def test_a_unitarys_page_named_for_the_county_council_it_replaced_is_its_page(tmp_path: Path) -> None:
    from tests.ofsted_site import Provider, Pub, tiny_pdf

    dorset = Provider("2532283", "Dorset County Council", [Pub("Focused visit", "03 March 2021", "40210303", tiny_pdf("dorset"))])
    with Server(Site([[dorset]])) as srv:
        report = run(tmp_path, srv, ["dorset"])
    assert not report.failed and len(report.downloaded) == 1


@pytest.mark.parametrize("listing", [[{"label": "Focused visit", "url": "http://x/1"}], "not a list", [["a", "b"]]])
def test_a_fetch_state_in_another_shape_is_a_cache_miss_not_a_crash(server: Server, tmp_path: Path, listing: object) -> None:
    # The state is a cache (one written by another version of ofstl, or edited): a listing
    # it cannot read made every later fetch an internal error until the file was deleted.
    run(tmp_path, server, ["hillingdon"])
    state_file = tmp_path / ".fetch-state.json"
    state = json.loads(state_file.read_text())
    for entry in state["pages"].values():
        entry["publications"] = listing
    state_file.write_text(json.dumps(state))
    server.site.log.clear()
    again = run(tmp_path, server, ["hillingdon"])
    assert not again.failed and again.already == 4
    assert "If-None-Match" not in server.site.log[0]["headers"]  # asked in full, the cache not trusted


@pytest.mark.parametrize("text,expected", [
    # a date written another way: the report was skipped without a word (its format read as "pdf - 09/05/2025")
    ("children's services inspection, pdf - 09/05/2025", ("Children's services inspection", "pdf", "2025-05-09")),
    ("focused visit, pdf - 9th may 2025", ("Focused visit", "pdf", "2025-05-09")),
    ("children's services inspection, pdf - 31 february 2020", ("Children's services inspection", "pdf", None)),
    # "Sept": the report was undated, so not known as an ILACS report
    ("children's services inspection, pdf - 12 sept 2023", ("Children's services inspection", "pdf", "2023-09-12")),
    # the file's size beside its format: the report was skipped (format "123kb")
    ("monitoring visit, pdf, 123kb - 09 may 2025", ("Monitoring visit", "pdf", "2025-05-09")),
    ("contact, referral and assessment, pdf - 01 may 2010", ("Contact, referral and assessment", "pdf", "2010-05-01")),
    ("children's services inspection, pdf", ("Children's services inspection", "pdf", None)),
    ("inspection of children's services - hillingdon, pdf - 01 may 2024", ("Inspection of children's services - hillingdon", "pdf", "2024-05-01")),
])
def test_descriptions_the_site_may_write(text: str, expected: tuple) -> None:
    assert site.parse_description(text) == expected


def test_a_full_disk_while_downloading_stops_the_run_with_one_line(server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # every later file failed too, each with its own line: hundreds for --all
    import errno

    client = PoliteClient(delay=0.0)
    tries = []

    def full(url, target, unless_sha=None):  # noqa: ANN001, ANN202
        tries.append(url)
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(client, "download_pdf", full)
    report = Fetcher(tmp_path, base_url=server.url, client=client).run(["hillingdon", "hounslow"])
    assert len(tries) == 1 and len(report.failed) == 1, report.failed
    assert "No space left on device" in report.failed[0] and "stopped" in report.failed[0]


def test_the_next_command_after_a_fetch_reads_into_the_store_fetched_for(server: Server, tmp_path: Path) -> None:
    # "next: ofstl ingest DIR" filled the default store, not the --store the fetch was given,
    # and a folder with a space in its name was two arguments when pasted
    import shlex

    store, docs = tmp_path / "my store", tmp_path / "ofsted docs"
    result = CliRunner().invoke(app, ["--store", str(store), "fetch", "hillingdon", "--base-url", server.url,
                                      "--to", str(docs), "--delay", "0"], env=ENV)
    assert result.exit_code == 0, result.stderr
    nxt = result.stderr.splitlines()[-1]
    assert nxt == f"next: ofstl ingest {shlex.quote(str(docs))} --store {shlex.quote(str(store))}"
    pasted = CliRunner().invoke(app, shlex.split(nxt[len("next: ofstl "):]), env=ENV)
    assert pasted.exit_code == 0 and "4 added" in pasted.stderr and (store / "authorities" / "hillingdon.yaml").exists()


# --------------------------------------------------------------------------- fetch --all when the search fails


def test_a_search_that_fails_part_way_still_fetches_every_authority_ofstl_knows(tmp_path: Path) -> None:
    # The search's second page failed: the run fetched only the first page's authorities and
    # said nothing of the others (hounslow's reports were simply missing the next morning).
    from ofstl.fetch import urns

    with Server(Site([[hillingdon()], [every_type()]])) as srv:
        srv.site.script("/search", "normal", "500", "500")
        report = Fetcher(tmp_path, base_url=srv.url, client=PoliteClient(delay=0.0, retries=1, backoff=0.01)).run(everything=True)
        asked = {r["path"].rsplit("/", 1)[-1] for r in srv.site.requests_to("/provider/")}
    assert "hounslow" in report.authorities and len(report.downloaded) == 11  # hillingdon's 4 and hounslow's 7
    assert asked == {urns.urn_for(s) for s in urns.all_slugs()}  # every authority the table knows, each once
    search = [f for f in report.failed if f.startswith("search results: ")]
    assert len(search) == 1 and "start=100" in search[0] and "HTTP 500" in search[0]
    assert search[0].endswith(f"; fetching the {len(urns.all_slugs()) - 1} authorities ofstl knows that it did not list "
                              "instead (an authority new to the site is missed until a search works)")


def test_a_site_that_does_not_answer_stops_the_run_after_three_authorities_not_156(tmp_path: Path) -> None:
    # With the search down too, asking each of 156 authorities' pages five times over (with
    # pauses growing to half a minute) kept a night's run at a dead site for over an hour.
    import socket

    from ofstl.fetch import urns

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = PoliteClient(delay=0.0, retries=1, backoff=0.01)
    report = Fetcher(tmp_path, base_url=f"http://127.0.0.1:{port}", client=client).run(everything=True)
    assert client.requests == 2 + 3 * 2  # the search, then three authorities' pages, each tried twice
    assert report.authorities == urns.all_slugs()[:3]
    rest = urns.all_slugs()[3:]
    assert report.failed[-1] == (f"not fetched: {', '.join(rest[:10])} and {len(rest) - 10} more (the site did not answer "
                                 "for 3 authorities in a row; run the same command again later)")


def test_fetch_all_with_the_search_down_exits_1_and_says_so_in_the_summary(tmp_path: Path) -> None:
    with Server(Site([[hillingdon(), every_type()]])) as srv:
        srv.site.script("/search", "error-200")
        result = CliRunner().invoke(app, ["--store", str(tmp_path / "s"), "fetch", "--all", "--base-url", srv.url,
                                          "--to", str(tmp_path / "d"), "--delay", "0", "--retries", "0"], env=ENV)
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if not line.startswith("ofstl: ")]  # each authority's line
    assert lines[0].startswith("11 downloaded, 0 already here, 155 failed")  # the search, and 154 pages the copy lacks
    assert lines[1].startswith("  failed: search results: ") and "lists no local authorities (an error page?); fetching the" in lines[1]
