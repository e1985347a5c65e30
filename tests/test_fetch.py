"""``ofstl fetch`` against a copy of Ofsted's site on loopback (tests/ofsted_site.py).

Nothing here touches the internet: the server binds 127.0.0.1 on a free port, and the
client is pointed at it with ``base_url``. Delays are kept tiny (0.05 s) except in the
test of the default pacing, which uses a fake clock.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from ofstl.cli import app
from ofstl.fetch import Fetcher, FetchEvent, safe_name, site
from ofstl.fetch.client import USER_AGENT, PoliteClient, check_pdf
from ofstl.fetch.manifest import FIELDS, read_manifest
from tests.ofsted_site import Provider, Pub, Server, Site, every_type, hillingdon, tiny_pdf

DELAY = 0.05


def make_site() -> Site:
    # Two search pages: the second has a provider with no publications and one whose URN
    # the packaged table does not know (matched on its name).
    return Site([[hillingdon(), every_type()],
                 [Provider("80486", "London Borough of Barking and Dagenham"),
                  Provider("9990001", "London Borough of Barnet", [Pub("Focused visit", "03 March 2021", "70000001", tiny_pdf("barnet fv"))])]])


@pytest.fixture
def server():
    with Server(make_site()) as srv:
        yield srv


def fetcher(folder: Path, srv: Server, events: list | None = None, **kw) -> Fetcher:
    client = PoliteClient(delay=DELAY, backoff=0.05, timeout=5)
    return Fetcher(folder, base_url=srv.url, client=client, on_event=(events.append if events is not None else None), **kw)


def gaps(log: list[dict]) -> list[float]:
    return [b["t"] - a["t"] for a, b in zip(log, log[1:])]


# --------------------------------------------------------------------------- the site's layout


def test_site_parsing_reads_the_structure(server: Server) -> None:
    site_ = server.site
    from tests.ofsted_site import provider_page, search_page

    links = site.parse_search_page(search_page(site_.search_pages[0]), server.url + "/search")
    assert [(p.urn, p.name) for p in links] == [("80501", "London Borough of Hillingdon"), ("80503", "London Borough of Hounslow")]
    page = site.parse_provider_page(provider_page(every_type(), server.url), server.url + "/provider/44/80503")
    assert page.name == "London Borough of Hounslow"
    assert [p.kind for p in page.publications] == ["ilacs", "focused-visit", "monitoring-visit", "jtai", "send", "sif", "slac"]
    assert page.publications[0].published == "2018-11-12" and page.publications[0].format == "pdf"


def test_description_and_names() -> None:
    assert site.parse_description("children's services inspection, pdf - 09 may 2025") == ("Children's services inspection", "pdf", "2025-05-09")
    assert site.parse_description("focused visit, pdf - 7 feb 2020") == ("Focused visit", "pdf", "2020-02-07")
    assert site.parse_description("something odd")[2] is None
    assert site.classify("Children's services inspection", "2018-01-19") == "sif"
    assert site.classify("Children's services inspection", None) == "other"
    assert safe_name("Children’s services inspection: re/visit") == "childrens-services-inspection-re-visit"
    assert site.search_url("https://x.test/", 100).endswith("level_1_types=3&level_2_types%5B%5D=12&start=100&rows=100")


def test_check_pdf() -> None:
    assert check_pdf(b"%PDF-1.4 ...", b"... %%EOF\n") is None
    assert "HTML" in check_pdf(b"<!DOCTYPE html><html>", b"</html>")
    assert "incomplete" in check_pdf(b"%PDF-1.4", b"stream ... ")


# --------------------------------------------------------------------------- a whole run


def test_fetch_all_files_manifest_and_pacing(server: Server, tmp_path: Path) -> None:
    site_ = server.site
    site_.script("/files/50180530", "429")  # Retry-After: 1
    site_.script("/files/60000001", "500")  # then success
    site_.script("/files/60000002", "drop")  # connection dropped half way, then success
    site_.script("/files/60000003", *["html"] * 9)  # an HTML error page served as a PDF, always
    events: list[FetchEvent] = []
    report = fetcher(tmp_path, server, events).run(everything=True)

    # Files: every publication but the one that is never a PDF, under the authority's slug.
    files = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.pdf"))
    assert len(files) == 4 + 6 + 1
    assert "hillingdon/2018-05-30_childrens-services-inspection.pdf" in files
    assert "hounslow/2022-08-02_area-send-inspection.pdf" in files
    assert "barnet/2021-03-03_focused-visit.pdf" in files  # unknown URN, matched on its name
    assert not any("joint-targeted" in f for f in files)
    assert not list(tmp_path.rglob("*.part"))
    assert (tmp_path / "hillingdon/2023-11-20_childrens-services-inspection.pdf").read_bytes() == site_.file("50231120").body

    # One line per failure, naming what and why; the warning for the empty provider.
    assert len(report.failed) == 1 and "HTML page, not a PDF" in report.failed[0] and "Joint targeted area inspection" in report.failed[0]
    assert any("barking-and-dagenham" in w and "no publications" in w for w in report.warnings)
    assert [e.total for e in events if e.kind == "authorities"] == [4]
    assert sum(e.kind == "downloaded" for e in events) == 11

    # The manifest: SPEC fields, checksums that match the files.
    manifest = read_manifest(tmp_path)
    assert len(manifest) == 11
    for entry in manifest.values():
        assert list(entry) == list(FIELDS)
        data = (tmp_path / entry["file"]).read_bytes()
        assert entry["bytes"] == len(data)
        import hashlib

        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    ilacs = next(e for e in manifest.values() if e["published"] == "2018-05-30")
    assert (ilacs["authority"], ilacs["urn"], ilacs["kind"], ilacs["label"]) == ("hillingdon", "80501", "ilacs", "Children's services inspection")

    # Politeness: pages searched until one had no providers; one request at a time, spaced;
    # the 429's Retry-After honoured; retries after the 500 and the dropped connection.
    starts = [r["query"].rsplit("start=", 1)[1] for r in site_.requests_to("/search")]
    assert starts == ["0&rows=100", "100&rows=100", "200&rows=100"]
    # (Arrival times jitter on a busy machine: one request logged late shortens the gap after
    # it by as much as it lengthens the gap before, so single gaps are not checked (one came
    # to 3 ms under load). Most gaps are whole delays, and the run as a whole cannot be shorter
    # than the delays it owes. Without pacing the gaps are ~1 ms.)
    spacing = gaps(site_.log)
    assert sorted(spacing)[len(spacing) // 2] >= DELAY * 0.9
    assert sum(spacing) >= DELAY * len(spacing) - 0.02
    tries = [r for r in site_.log if r["path"] == "/files/50180530"]
    assert len(tries) == 2 and tries[1]["t"] - tries[0]["t"] >= 0.9  # Retry-After: 1 (less the jitter of logging the first)
    assert len(site_.requests_to("/files/60000001")) == 2 and len(site_.requests_to("/files/60000002")) == 2
    assert all(r["headers"]["User-Agent"] == USER_AGENT for r in site_.log)
    assert USER_AGENT.startswith("ofstl/") and "http" in USER_AGENT


def test_second_run_downloads_nothing_and_asks_only_for_changes(server: Server, tmp_path: Path) -> None:
    first = fetcher(tmp_path, server).run(["hillingdon", "hounslow"])
    assert len(first.downloaded) == 11 and first.ok
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*.pdf")}
    server.site.log.clear()
    second = fetcher(tmp_path, server).run(["hillingdon", "hounslow"])
    assert second.downloaded == [] and second.already == 11 and second.ok
    assert [r["path"] for r in server.site.log] == ["/provider/44/80501", "/provider/44/80503"]
    assert all("If-None-Match" in r["headers"] for r in server.site.log)
    assert second.unchanged_pages == 2
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*.pdf")} == before

    # A new publication: the changed page is read again and only the new file is fetched.
    server.site.providers["80501"].pubs.insert(0, Pub("Monitoring visit", "01 October 2025", "50251001", tiny_pdf("new")))
    server.site.log.clear()
    third = fetcher(tmp_path, server).run(["hillingdon", "hounslow"])
    assert [e["file"] for e in third.downloaded] == ["hillingdon/2025-10-01_monitoring-visit.pdf"]
    assert [r["path"] for r in server.site.requests_to("/files/")] == ["/files/50251001"]


def test_interrupted_run_resumes(server: Server, tmp_path: Path) -> None:
    seen: list[str] = []

    def stop_after_two(event: FetchEvent) -> None:
        if event.kind == "downloaded":
            seen.append(event.message)
            if len(seen) == 2:
                raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        Fetcher(tmp_path, base_url=server.url, client=PoliteClient(delay=DELAY), on_event=stop_after_two).run(["hillingdon"])
    assert len(read_manifest(tmp_path)) == 2 and len(list(tmp_path.rglob("*.pdf"))) == 2
    server.site.log.clear()
    again = fetcher(tmp_path, server).run(["hillingdon"])
    assert len(again.downloaded) == 2 and again.already == 2
    fetched = [r["path"] for r in server.site.requests_to("/files/")]
    assert len(fetched) == 2 and not {"/files/" + Path(s).name for s in seen} & set(fetched)
    assert len(read_manifest(tmp_path)) == 4


def test_file_saved_but_not_recorded_is_kept_without_downloading(server: Server, tmp_path: Path) -> None:
    fetcher(tmp_path, server).run(["hillingdon"])
    (tmp_path / "manifest.jsonl").unlink()  # as if stopped between the rename and the manifest line
    (tmp_path / ".fetch-state.json").unlink()
    server.site.log.clear()
    report = fetcher(tmp_path, server).run(["hillingdon"])
    assert report.downloaded == [] and report.already == 4
    assert server.site.requests_to("/files/") == []
    assert len(read_manifest(tmp_path)) == 4


def test_dry_run_and_since(server: Server, tmp_path: Path) -> None:
    report = fetcher(tmp_path, server).run(["hillingdon"], since=2018, dry_run=True)
    assert [(p.published, p.kind) for p in report.planned] == [("2023-11-20", "ilacs"), ("2020-02-07", "focused-visit"), ("2018-05-30", "ilacs")]
    assert not any(tmp_path.iterdir())  # nothing written, not even the state
    assert server.site.requests_to("/files/") == []


def test_unknown_and_abolished_authorities_fail_in_one_line(server: Server, tmp_path: Path) -> None:
    report = fetcher(tmp_path, server).run(["dorset-county-council"])
    assert len(report.failed) == 1 and "dorset-county-council" in report.failed[0]


def test_server_error_on_a_page_is_one_failure(server: Server, tmp_path: Path) -> None:
    server.site.script("/provider/44/80501", *["500"] * 10)
    client = PoliteClient(delay=0.0, retries=2, backoff=0.01)
    report = Fetcher(tmp_path, base_url=server.url, client=client).run(["hillingdon", "hounslow"])
    assert len(report.failed) == 1 and "HTTP 500" in report.failed[0] and "gave up after 3 tries" in report.failed[0]
    assert len(report.downloaded) == 7  # Hounslow's, all the same


# --------------------------------------------------------------------------- pacing, without waiting


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_default_delay_is_one_second_between_request_starts() -> None:
    clock = FakeClock()
    starts: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        starts.append(clock.now)
        clock.now += 0.3  # the request itself takes a while
        return httpx.Response(200, text="<html></html>")

    client = PoliteClient(clock=clock, sleep=clock.sleep, transport=httpx.MockTransport(answer))
    for _ in range(4):
        client.get_page("http://127.0.0.1/x")
    assert [round(b - a, 6) for a, b in zip(starts, starts[1:])] == [1.0, 1.0, 1.0]
    assert [round(s, 6) for s in clock.sleeps] == [0.7, 0.7, 0.7]


def test_backoff_grows_and_honours_retry_after() -> None:
    clock = FakeClock()
    answers = iter([httpx.Response(503), httpx.Response(503), httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200, text="ok")])
    client = PoliteClient(delay=0, backoff=2.0, clock=clock, sleep=clock.sleep, transport=httpx.MockTransport(lambda r: next(answers)))
    assert client.get_page("http://127.0.0.1/x").text == "ok"
    first, second, third = clock.sleeps
    assert 1.0 <= first <= 2.0 and 2.0 <= second <= 4.0 and third == 7.0
    too_long = PoliteClient(delay=0, clock=clock, sleep=clock.sleep,
                            transport=httpx.MockTransport(lambda r: httpx.Response(429, headers={"Retry-After": "3600"})))
    with pytest.raises(Exception, match="more than ofstl will"):
        too_long.get_page("http://127.0.0.1/x")


# --------------------------------------------------------------------------- the command, then ingest


def test_cli_fetch_ingest_then_timeline(server: Server, tmp_path: Path) -> None:
    store, docs = tmp_path / "store", tmp_path / "docs"
    env = {"COLUMNS": "100", "NO_COLOR": "1"}
    result = CliRunner().invoke(app, ["--store", str(store), "fetch", "hillingdon", "--base-url", server.url, "--to", str(docs),
                                      "--ingest", "--delay", str(DELAY)], env=env)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert "4 downloaded, 0 already here, 0 failed" in result.stderr
    assert "4 added" in result.stderr
    timeline = CliRunner().invoke(app, ["--store", str(store), "timeline", "hillingdon", "--format", "csv"], env=env)
    rows = {line.split(",")[0]: line.split(",") for line in timeline.stdout.splitlines()[1:]}
    published = {rid: row[5] for rid, row in rows.items() if row[6] == "subject"}  # the SIF also mentions 2009
    assert published == {"hillingdon-2013-11-sif": "2014-02-11", "hillingdon-2018-04-ilacs": "2018-05-30",
                         "hillingdon-2020-01-focused-visit": "2020-02-07", "hillingdon-2023-10-ilacs": "2023-11-20"}
    table = CliRunner().invoke(app, ["--store", str(store), "timeline", "hillingdon"], env=env)
    assert "2018-04-16  ILACS (standard)" in table.stdout and "2023-10-02  ILACS (short)" in table.stdout
    for date in published.values():  # the table shows when each fetched report came out
        assert f"published {date}" in table.stdout
    export = json.loads(CliRunner().invoke(app, ["--store", str(store), "export"], env=env).stdout)
    ilacs = next(i for i in export["inspections"] if i["id"] == "hillingdon-2018-04-ilacs")
    assert ilacs["urn"] == "80501" and ilacs["published"] == "2018-05-30"
    show = CliRunner().invoke(app, ["--store", str(store), "show", "hillingdon", "2018"], env=env)
    assert "published 2018-05-30 [" in show.stdout and " manifest]" in show.stdout

    # Again: nothing downloaded, nothing changed in the store.
    again = CliRunner().invoke(app, ["--store", str(store), "fetch", "hillingdon", "--base-url", server.url, "--to", str(docs),
                                     "--ingest", "--delay", str(DELAY)], env=env)
    assert again.exit_code == 0 and "0 downloaded, 4 already here" in again.stderr and "0 added, 4 unchanged" in again.stderr


def test_cli_failure_exit_code_dry_run_and_usage(server: Server, tmp_path: Path) -> None:
    server.site.script("/files/50140211", *["html"] * 9)
    env = {"COLUMNS": "100", "NO_COLOR": "1", "OFSTL_OFSTED_URL": server.url}
    args = ["--store", str(tmp_path / "store"), "fetch", "hillingdon", "--to", str(tmp_path / "d"), "--delay", str(DELAY)]
    dry = CliRunner().invoke(app, args + ["--dry-run"], env=env)
    assert dry.exit_code == 0 and len(dry.stdout.splitlines()) == 4
    assert dry.stdout.splitlines()[0].split("\t")[:4] == ["hillingdon", "2023-11-20", "ilacs", "Children's services inspection"]
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 1
    assert "failed: hillingdon: Children's services inspection (2014-02-11)" in result.stderr
    assert len(list((tmp_path / "d").rglob("*.pdf"))) == 3
    usage = CliRunner().invoke(app, ["fetch"], env=env)
    assert usage.exit_code == 2 and "--all" in usage.stderr
    unknown = CliRunner().invoke(app, ["fetch", "Hilingdon"], env=env)
    assert unknown.exit_code == 2 and "hillingdon" in unknown.stderr


def test_default_folder_is_beside_the_store(tmp_path: Path) -> None:
    from ofstl.cli.fetch import documents_folder

    assert documents_folder(None, tmp_path / "store") == (tmp_path / "documents").resolve()
    assert documents_folder(str(tmp_path / "x"), tmp_path / "store") == tmp_path / "x"
    # the default store's parent (~/.local/share) is every program's: its documents go in it
    default = tmp_path / "share" / "ofstl"
    assert documents_folder(None, default, default_store=default) == default.resolve() / "documents"
    assert documents_folder(None, tmp_path / "other", default_store=default) == (tmp_path / "documents").resolve()
    # ... unless an earlier ofstl fetched beside it: those downloads are not made again
    (tmp_path / "share" / "documents").mkdir(parents=True)
    (tmp_path / "share" / "documents" / "manifest.jsonl").write_text("", encoding="utf-8")
    assert documents_folder(None, default, default_store=default) == (tmp_path / "share" / "documents").resolve()


def test_cli_fetch_into_the_default_store_keeps_its_documents_in_it(server: Server, tmp_path: Path) -> None:
    env = {"COLUMNS": "100", "NO_COLOR": "1", "HOME": str(tmp_path)}
    result = CliRunner().invoke(app, ["fetch", "hillingdon", "--base-url", server.url, "--ingest", "--delay", str(DELAY)],
                                env={**env, "OFSTL_STORE": None})
    assert result.exit_code == 0, (result.stdout, result.stderr)
    share = tmp_path / ".local" / "share"
    assert len(list((share / "ofstl" / "documents" / "hillingdon").glob("*.pdf"))) == 4
    assert not (share / "documents").exists() and "4 added" in result.stderr


def test_cli_progress_on_a_terminal_and_bad_base_url(server: Server, tmp_path: Path) -> None:
    env = {"COLUMNS": "100", "NO_COLOR": "1"}
    args = ["--store", str(tmp_path / "s"), "fetch", "--all", "--base-url", server.url, "--to", str(tmp_path / "d"), "--delay", "0"]
    result = CliRunner().invoke(app, args, env=env, obj={"stderr_isatty": True})
    assert result.exit_code == 0, result.stderr
    assert "12 downloaded" in result.stderr and "next: ofstl ingest" in result.stderr
    bad = CliRunner().invoke(app, ["fetch", "hillingdon", "--base-url", "localhost:8000"], env=env)
    assert bad.exit_code == 2 and "http://" in bad.stderr


# --------------------------------------------------------------------------- the manifest, read by ingest


def test_manifest_survives_a_cut_line_and_later_lines_win(tmp_path: Path) -> None:
    from ofstl.fetch.manifest import append_manifest

    append_manifest(tmp_path, {"url": "u1", "file": "a/1.pdf", "sha256": "x"})
    with open(tmp_path / "manifest.jsonl", "a", encoding="utf-8") as fh:
        fh.write('{"url": "u2", "fi')  # a crash half way through a line
    append_manifest(tmp_path, {"url": "u1", "file": "a/1-new.pdf", "sha256": "y"})
    entries = read_manifest(tmp_path)
    assert list(entries) == ["u1"] and entries["u1"]["file"] == "a/1-new.pdf"


def test_annotate_keeps_a_printed_date_and_adds_the_urn(tmp_path: Path) -> None:
    from ofstl.fetch.manifest import annotate, append_manifest
    from ofstl.models import InspectionFacts, ParsedDocument

    (tmp_path / "hillingdon").mkdir()
    doc_path = tmp_path / "hillingdon" / "x.pdf"
    doc_path.write_bytes(b"%PDF")
    append_manifest(tmp_path, {"url": "u", "urn": "80501", "label": "Focused visit", "published": "2020-02-07", "sha256": "abc", "file": "hillingdon/x.pdf"})
    undated = ParsedDocument(str(doc_path), "abc", "ofsted-letter", "hillingdon", [InspectionFacts("subject", "focused-visit")])
    assert annotate(undated)
    assert undated.subject.published == "2020-02-07" and undated.subject.evidence["published"]["method"] == "manifest"
    assert undated.subject.evidence["urn"]["text"] == "80501"
    printed = ParsedDocument(str(doc_path), "abc", "ofsted-letter", "hillingdon", [InspectionFacts("subject", "focused-visit", published="2020-02-06")])
    annotate(printed)
    assert printed.subject.published == "2020-02-06" and "published" not in printed.subject.evidence
    other = ParsedDocument(str(doc_path), "def", "ofsted-letter", "hillingdon", [InspectionFacts("subject", "focused-visit")])
    assert not annotate(other) and other.subject.published is None


# --------------------------------------------------------------------------- malformed pages


from hypothesis import given, settings, strategies as st  # noqa: E402

MARKUP = st.lists(st.sampled_from(["<a class='publication-link' href='/f/1'>", "<span class='nonvisual'>", "</span>", "</a>",
                                   "<a href='/provider/44/80501'>", "<h1 class='heading--title'>", "</h1>", "<ol class='timeline'>",
                                   "children's services inspection, pdf - 31 february 2020", "focused visit, pdf - 09 may 2025",
                                   "&amp;", "<", ">", "\x00", "é", " - ", ","]), max_size=40).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.one_of(MARKUP, st.text(max_size=300)))
def test_parsers_never_crash_on_malformed_pages(text: str) -> None:
    page = site.parse_provider_page(text, "http://127.0.0.1/provider/44/1")
    for pub in page.publications:
        assert pub.url.startswith("http://127.0.0.1/") and pub.kind
        assert pub.published is None or len(pub.published) == 10
    for link in site.parse_search_page(text, "http://127.0.0.1/search"):
        assert link.urn.isdigit()
    site.parse_description(text)


def test_weekly_all_asks_each_page_once_and_conditionally(server: Server, tmp_path: Path) -> None:
    first = fetcher(tmp_path, server).run(everything=True)
    assert len(first.downloaded) == 12 and first.ok
    server.site.log.clear()
    again = fetcher(tmp_path, server).run(everything=True)
    assert again.downloaded == [] and again.already == 12
    paths = [r["path"] for r in server.site.log]
    assert paths == ["/search"] * 3 + ["/provider/44/80501", "/provider/44/80503", "/provider/44/80486", "/provider/44/9990001"]
    assert all("If-None-Match" in r["headers"] for r in server.site.log)
    assert again.unchanged_pages == 7
