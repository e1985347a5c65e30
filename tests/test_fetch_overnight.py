"""``ofstl fetch`` as a researcher runs it overnight for every authority on a flaky line: a
server that trickles a report, publications the site re-dates or re-issues under the same
address, a report listed under two authorities, interruptions and re-runs. Each test here
failed before the fix it comes with.

Against the loopback copy of the site in tests/ofsted_site.py; nothing touches the internet.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ofstl.cli import app
from ofstl.fetch import Fetcher
from ofstl.fetch.client import PoliteClient
from ofstl.fetch.manifest import read_entries, read_manifest
from tests.ofsted_site import Provider, Server, Site, every_type, hillingdon

ENV = {"COLUMNS": "100", "NO_COLOR": "1"}


@pytest.fixture
def server():
    with Server(Site([[hillingdon(), every_type()]])) as srv:
        yield srv


def run(folder: Path, srv: Server, *args, **kw):
    return Fetcher(folder, base_url=srv.url, client=PoliteClient(delay=0.0, backoff=0.01, timeout=kw.pop("timeout", 5))).run(*args, **kw)


# --------------------------------------------------------------------------- a download's whole time


def test_a_report_that_trickles_in_is_given_up_and_nothing_is_left_on_disk(server: Server, tmp_path: Path) -> None:
    # One byte every 0.05 s never trips the timeout on the silence between bytes: the 29 kB
    # report held the run for 25 minutes (for ever, for a server that never finishes).
    server.site.script("/files/50231120", "trickle")
    client = PoliteClient(delay=0.0, timeout=0.5, retries=0)
    started = time.monotonic()
    with pytest.raises(Exception, match="too slowly"):
        client.download_pdf(server.url + "/files/50231120", tmp_path / "hillingdon" / "a.pdf")
    assert time.monotonic() - started < 2.0
    assert list((tmp_path / "hillingdon").iterdir()) == []  # no part file, no half a report


def test_a_slow_but_steady_report_is_not_cut_off_at_the_timeout(server: Server, tmp_path: Path) -> None:
    # The bound scales with the size: a report arriving steadily may take longer than --timeout.
    server.site.script("/files/50231120", "slow")  # 8 parts 0.1 s apart: about 0.8 s in all
    client = PoliteClient(delay=0.0, timeout=0.3, retries=0)
    got = client.download_pdf(server.url + "/files/50231120", tmp_path / "a.pdf")
    assert got.bytes == len(server.site.file("50231120").body)


def test_a_trickled_report_is_one_failure_and_the_run_goes_on(server: Server, tmp_path: Path) -> None:
    server.site.script("/files/50231120", *["trickle"] * 5)
    client = PoliteClient(delay=0.0, backoff=0.01, timeout=0.3, retries=1)
    report = Fetcher(tmp_path, base_url=server.url, client=client).run(["hillingdon"])
    assert len(report.failed) == 1 and "too slowly" in report.failed[0] and "gave up after 2 tries" in report.failed[0]
    assert len(report.downloaded) == 3
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".part")]
    assert len(read_manifest(tmp_path)) == 3


# --------------------------------------------------------------------------- one report, two authorities


def test_a_report_listed_under_two_authorities_is_saved_under_each_and_stored_once(tmp_path: Path) -> None:
    # A joint inspection (a JTAI, a shared service's report) is listed on each authority's page
    # under one address: it was saved once, under the first; the second authority's folder
    # lacked it, so "fetch hounslow --ingest" read nothing of it.
    hil = hillingdon()
    shared = hil.pubs[1]  # hillingdon's focused visit letter, listed on hounslow's page too
    hou = Provider("80503", "London Borough of Hounslow", [shared])
    docs, store = tmp_path / "docs", tmp_path / "store"
    with Server(Site([[hil, hou]])) as srv:
        report = run(docs, srv, ["hillingdon", "hounslow"])
        assert not report.failed, report.failed
        assert len(srv.site.requests_to("/files/50200207")) == 1  # asked of the site once
        mine, theirs = docs / "hillingdon/2020-02-07_focused-visit.pdf", docs / "hounslow/2020-02-07_focused-visit.pdf"
        assert mine.read_bytes() == theirs.read_bytes() == shared.body
        entries = [e for (_, url), e in read_entries(docs).items() if url.endswith("/files/50200207")]
        assert sorted((e["authority"], e["urn"], e["file"]) for e in entries) == [
            ("hillingdon", "80501", "hillingdon/2020-02-07_focused-visit.pdf"), ("hounslow", "80503", "hounslow/2020-02-07_focused-visit.pdf")]
        srv.site.log.clear()
        again = run(docs, srv, ["hounslow", "hillingdon"])
        assert again.downloaded == [] and again.already == 5 and srv.site.requests_to("/files/") == []

        # Ingest of the second authority's folder alone reads it, into the history of the
        # authority it is about, with that authority's URN; the other copy is the same document.
        args = ["--store", str(store), "fetch", "--base-url", srv.url, "--to", str(docs), "--delay", "0", "--ingest"]
        first = CliRunner().invoke(app, args[:3] + ["hounslow"] + args[3:], env=ENV)
        assert first.exit_code == 0, first.stderr
        assert "1 added" in first.stderr
        second = CliRunner().invoke(app, args[:3] + ["hillingdon"] + args[3:], env=ENV)
        assert second.exit_code == 0, second.stderr
    export = json.loads(CliRunner().invoke(app, ["--store", str(store), "export"], env=ENV).stdout)
    visits = [i for i in export["inspections"] if i["framework"] == "focused-visit"]
    assert [(i["id"], i["urn"], i["published"]) for i in visits] == [("hillingdon-2020-01-focused-visit", "80501", "2020-02-07")]


def test_a_dry_run_counts_a_report_listed_under_two_authorities_as_linked_not_downloaded(tmp_path: Path) -> None:
    # A dry run said "5 to download" for hillingdon and hounslow, though the shared letter is
    # asked of the site once and linked into the second folder: a plan for bandwidth was wrong.
    hil = hillingdon()
    shared = hil.pubs[1]
    hou = Provider("80503", "London Borough of Hounslow", [shared])
    docs = tmp_path / "docs"
    with Server(Site([[hil, hou]])) as srv:
        args = ["fetch", "hillingdon", "hounslow", "--base-url", srv.url, "--to", str(docs), "--delay", "0", "--dry-run"]
        dry = CliRunner().invoke(app, args, env=ENV)
        assert dry.exit_code == 0, dry.stderr
        lines = [line.split("\t") for line in dry.stdout.splitlines()]
        assert [line[-1] for line in lines if line[0] == "hounslow"] == ["linked from hillingdon/2020-02-07_focused-visit.pdf"]
        assert all(len(line) == 6 for line in lines if line[0] == "hillingdon")
        assert f"{len(hil.pubs)} to download, 1 to link from another authority's folder" in dry.stderr
        assert not docs.exists() or not any(docs.rglob("*.pdf"))  # a dry run downloads nothing
        # Once the first authority's copy is on disk, the second's dry run names it too.
        run(docs, srv, ["hillingdon"])
        again = run(docs, srv, ["hounslow"], dry_run=True)
        assert [p.linked_from for p in again.planned] == ["hillingdon/2020-02-07_focused-visit.pdf"]


# --------------------------------------------------------------------------- re-dated, re-issued


def test_a_report_the_site_redates_takes_the_new_date_in_the_manifest_and_the_store(tmp_path: Path) -> None:
    # The site corrected a publication's date under the same address: the manifest (and so
    # the store) kept the old date for ever, as the file was "already here".
    docs, store = tmp_path / "docs", tmp_path / "store"
    with Server(Site([[hillingdon()]])) as srv:
        args = ["--store", str(store), "fetch", "hillingdon", "--base-url", srv.url, "--to", str(docs), "--delay", "0", "--ingest"]
        assert CliRunner().invoke(app, args, env=ENV).exit_code == 0
        srv.site.providers["80501"].pubs[2].date = "04 June 2018"  # was 30 May 2018
        srv.site.log.clear()
        result = CliRunner().invoke(app, args, env=ENV)
        assert result.exit_code == 0, result.stderr
        assert [r["path"] for r in srv.site.requests_to("/files/")] == ["/files/50180530"]  # only the one re-dated
    assert "now lists it as 2018-06-04" in result.stderr and "was 2018-05-30" in result.stderr
    entry = read_manifest(docs)[srv.url + "/files/50180530"]
    assert (entry["published"], entry["file"]) == ("2018-06-04", "hillingdon/2018-05-30_childrens-services-inspection.pdf")
    assert len(list(docs.rglob("*.pdf"))) == 4  # the same file: not a second copy
    export = json.loads(CliRunner().invoke(app, ["--store", str(store), "export"], env=ENV).stdout)
    ilacs = next(i for i in export["inspections"] if i["id"] == "hillingdon-2018-04-ilacs")
    assert ilacs["published"] == "2018-06-04"


def test_a_report_reissued_with_a_new_file_is_saved_and_the_earlier_file_kept(server: Server, tmp_path: Path) -> None:
    # A re-issue under the same address: the new file was never fetched (the old one was
    # "already here"), so the manifest and the folder said what the site no longer did.
    from ofstl.fetch.manifest import entry_for
    from tests.ofsted_site import tiny_pdf

    run(tmp_path, server, ["hillingdon"])
    old = tmp_path / "hillingdon/2020-02-07_focused-visit.pdf"
    old_sha = read_manifest(tmp_path)[server.url + "/files/50200207"]["sha256"]
    pub = server.site.providers["80501"].pubs[1]
    pub.date, pub.body = "10 February 2020", tiny_pdf("focused visit, corrected")
    report = run(tmp_path, server, ["hillingdon"])
    assert [e["file"] for e in report.downloaded] == ["hillingdon/2020-02-10_focused-visit.pdf"] and not report.failed
    assert any("re-issued" in w and str(old.relative_to(tmp_path)) in w for w in report.warnings), report.warnings
    assert old.is_file()  # a person may have read it: never removed
    entry = read_manifest(tmp_path)[server.url + "/files/50200207"]
    assert (entry["file"], entry["published"]) == ("hillingdon/2020-02-10_focused-visit.pdf", "2020-02-10")
    assert entry_for(old, old_sha)["published"] == "2020-02-07"  # the earlier file still finds its own line

    # Re-issued again with a label whose file name is the same: a file of its own, nothing overwritten.
    pub.label, pub.body = "Focused visit.", tiny_pdf("focused visit, corrected twice")
    again = run(tmp_path, server, ["hillingdon"])
    assert [e["file"] for e in again.downloaded] == ["hillingdon/2020-02-10_focused-visit-2.pdf"]
    assert (tmp_path / "hillingdon/2020-02-10_focused-visit.pdf").read_bytes() == tiny_pdf("focused visit, corrected")
    quiet = run(tmp_path, server, ["hillingdon"])
    assert quiet.downloaded == [] and quiet.already == 4 and not quiet.warnings


def test_without_ingest_the_summary_says_how_a_store_takes_a_new_date(server: Server, tmp_path: Path) -> None:
    args = ["--store", str(tmp_path / "s"), "fetch", "hillingdon", "--base-url", server.url, "--to", str(tmp_path / "d"), "--delay", "0"]
    CliRunner().invoke(app, args, env=ENV)
    server.site.providers["80501"].pubs[0].date = "21 November 2023"
    result = CliRunner().invoke(app, args, env=ENV)
    assert result.exit_code == 0 and "now lists it as 2023-11-21 (was 2023-11-20)" in result.stderr
    assert "ofstl ingest --reread " + str(tmp_path / "d/hillingdon/2023-11-20_childrens-services-inspection.pdf") in result.stderr


# --------------------------------------------------------------------------- the site changed its pages


@pytest.mark.parametrize("change", [
    ("class=\"publication-link\"", "class=\"publication__link\""),  # the links' class renamed
    ("<a class=\"publication-link\" href=", "<a data-kind=\"publication\" href="),  # no class at all
])
def test_a_provider_page_whose_links_changed_shape_fails_rather_than_fetching_nothing(server: Server, tmp_path: Path,
                                                                                        change: tuple[str, str]) -> None:
    # The site links its reports another way: the page still had its heading, so it read as
    # "the site lists no publications" (a warning), and a fetch of every authority fetched
    # nothing with exit 0.
    from tests import ofsted_site

    original = ofsted_site.provider_page
    ofsted_site.provider_page = lambda provider, base: original(provider, base).replace(*change)
    try:
        args = ["--store", str(tmp_path / "s"), "fetch", "hillingdon", "hounslow", "--base-url", server.url,
                "--to", str(tmp_path / "d"), "--delay", "0"]
        result = CliRunner().invoke(app, args, env=ENV)
    finally:
        ofsted_site.provider_page = original
    assert result.exit_code == 1, result.stderr
    assert result.stderr.count("failed: ") == 2 and "layout" in result.stderr, result.stderr
    assert "links to 4 files" in result.stderr


def test_a_provider_page_with_no_reports_is_still_only_a_warning(tmp_path: Path) -> None:
    with Server(Site([[Provider("80486", "London Borough of Barking and Dagenham")]])) as srv:
        report = run(tmp_path, srv, ["barking-and-dagenham"])
    assert not report.failed and any("no publications" in w for w in report.warnings)


# --------------------------------------------------------------------------- a night's log


def test_on_a_pipe_each_authority_done_is_a_line_of_the_log(server: Server, tmp_path: Path) -> None:
    # Without a terminal there was no progress at all: a night's fetch of every authority
    # logged to a file said nothing until the end (and nothing at all if it was killed).
    server.site.script("/files/50140211", *["html"] * 9)
    args = ["--store", str(tmp_path / "s"), "fetch", "hillingdon", "hounslow", "--base-url", server.url,
            "--to", str(tmp_path / "d"), "--delay", "0"]
    result = CliRunner().invoke(app, args, env=ENV)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert "ofstl: hillingdon (1/2): 3 downloaded, 0 already here, 1 failed" in lines
    assert "ofstl: hounslow (2/2): 7 downloaded, 0 already here, 0 failed" in lines
    assert result.stderr.count("Children's services inspection (2014-02-11)") == 1  # the failure itself told once
    quiet = CliRunner().invoke(app, ["-q"] + args, env=ENV)
    assert "(1/2)" not in quiet.stderr
    one = CliRunner().invoke(app, args[:4] + args[5:], env=ENV)  # one authority: the summary says it all
    assert "(1/1)" not in one.stderr


def test_a_second_fetch_into_the_same_folder_stops_at_once(server: Server, tmp_path: Path) -> None:
    # A nightly job still running when the next one starts: both wrote the same part files,
    # renamed each other's half-written downloads and doubled the manifest's lines.
    from ofstl.fetch.manifest import folder_lock

    with folder_lock(tmp_path) as mine:
        assert mine
        report = run(tmp_path, server, ["hillingdon"])
        assert len(report.failed) == 1 and "another ofstl fetch is writing to this folder" in report.failed[0]
        assert server.site.log == []
        assert run(tmp_path, server, ["hillingdon"], dry_run=True).planned  # a dry run writes nothing: not held up
    assert not run(tmp_path, server, ["hillingdon"]).failed  # free again once the other has finished


def test_a_part_file_left_by_a_killed_download_is_cleared_by_the_next_run(server: Server, tmp_path: Path) -> None:
    # SIGKILL (or a power cut) mid-download left ".<name>.pdf.part" for ever when that file was
    # not asked for again (the site re-dated it, --since, another authority fetched next time).
    stale = tmp_path / "hillingdon" / ".2019-01-01_focused-visit.pdf.part"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"%PDF-1.4 half a report")
    assert not run(tmp_path, server, ["hounslow"], dry_run=True).failed
    assert stale.exists()  # a dry run writes (and removes) nothing
    assert not run(tmp_path, server, ["hounslow"]).failed
    assert not stale.exists() and not [p for p in tmp_path.rglob("*") if p.name.endswith(".part")]


def test_a_site_that_refuses_connections_is_one_line_per_authority(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = PoliteClient(delay=0.0, retries=0)
    report = Fetcher(tmp_path, base_url=f"http://127.0.0.1:{port}", client=client).run(["hillingdon", "hounslow"])
    assert len(report.failed) == 2 and all("network error" in f and "gave up after 1 try)" in f for f in report.failed), report.failed


# --------------------------------------------------------------------------- a busy site


def test_after_too_many_requests_the_run_goes_slower_not_back_to_its_pace(tmp_path: Path) -> None:
    # After a 429 and its pause the run went back to one request every --delay seconds, the
    # pace the site had just refused, and met 429s again all night.
    hil = hillingdon()
    hil.pubs = hil.pubs[:1]
    with Server(Site([[hil]])) as srv:
        srv.site.script("/provider/44/80501", "429")  # Retry-After: 1
        client = PoliteClient(delay=0.05)  # the pause after a failure begins at backoff=2 s: the slowest pace at first
        report = Fetcher(tmp_path, base_url=srv.url, client=client).run(["hillingdon"])
        page, file = srv.site.requests_to("/provider/")[-1], srv.site.requests_to("/files/")[0]
    assert not report.failed and len(report.downloaded) == 1
    assert client.delay == 2.0 and file["t"] - page["t"] >= 1.9
    assert any("HTTP 429" in w and "2 s between requests" in w for w in report.warnings), report.warnings


def test_backoff_without_retry_after_and_a_slowed_pace_have_a_ceiling() -> None:
    import httpx

    from tests.test_fetch import FakeClock

    clock = FakeClock()
    answers = iter([httpx.Response(429)] * 6 + [httpx.Response(200, text="ok")] * 3)
    client = PoliteClient(delay=1.0, retries=10, backoff=2.0, max_backoff=60.0, clock=clock, sleep=clock.sleep,
                          transport=httpx.MockTransport(lambda r: next(answers)))
    assert client.get_page("http://127.0.0.1/x").text == "ok"
    assert client.delay == 30.0  # doubled at each 429, to at most 30 s
    assert all(s <= 60.0 for s in clock.sleeps)


# --------------------------------------------------------------------------- stopped part way


@pytest.mark.parametrize("signal_name,code", [("SIGINT", 130), ("SIGTERM", 143)])
def test_a_run_stopped_part_way_says_what_it_did_and_the_next_goes_on(server: Server, tmp_path: Path, signal_name: str, code: int) -> None:
    # Ctrl-C or SIGTERM said only "interrupted": what had failed until then was never told.
    import signal
    import subprocess
    import sys

    server.site.script("/files/50200207", "html")  # hillingdon's second: fails (once)
    server.site.script("/files/50140211", "hold")  # hillingdon's fourth: stopped while it comes (half of it sent)
    args = [sys.executable, "-m", "ofstl", "--store", str(tmp_path / "s"), "fetch", "hillingdon", "hounslow",
            "--base-url", server.url, "--to", str(tmp_path / "d"), "--delay", "0"]
    # A SIGINT ignored here (pytest started in the background, or under nohup) stays ignored
    # across exec, and Python then leaves Ctrl-C ignored in the run too, rightly: the run
    # never stopped and the test failed every time. A handler of our own is reset at exec.
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
                                cwd=Path(__file__).resolve().parent.parent)
    finally:
        signal.signal(signal.SIGINT, inherited)
    try:
        assert server.site.holding.wait(60), "the fourth report was never asked for"
        proc.send_signal(getattr(signal, signal_name))
        _, err = proc.communicate(timeout=60)
    finally:
        server.site.release.set()
    stderr = err.decode()
    assert proc.returncode == code, stderr
    assert "until stopped: 2 downloaded, 0 already here, 1 failed" in stderr
    assert "failed: hillingdon: Focused visit (2020-02-07)" in stderr
    assert not [p for p in (tmp_path / "d").rglob("*") if p.name.endswith(".part")]
    again = run(tmp_path / "d", server, ["hillingdon", "hounslow"])
    assert not again.failed and len(again.downloaded) == 2 + 7 and again.already == 2


def test_a_page_whose_dates_cannot_be_read_says_so(server: Server, tmp_path: Path) -> None:
    # The description lost its date (the site moved it elsewhere): every file was saved
    # "undated" and no ILACS report got a publication date, without a word.
    import re as regex

    from tests import ofsted_site

    original = ofsted_site.provider_page
    ofsted_site.provider_page = lambda provider, base: regex.sub(r", pdf - [^<]*</span>", ", pdf</span>", original(provider, base))
    try:
        report = run(tmp_path, server, ["hillingdon"])
    finally:
        ofsted_site.provider_page = original
    assert len(report.downloaded) == 4 and all(e["file"].startswith("hillingdon/undated_") for e in report.downloaded)
    assert any("no publication on the page has a date" in w for w in report.warnings), report.warnings


def test_a_report_sent_compressed_is_saved_whole(server: Server, tmp_path: Path) -> None:
    # Content-Length counts the bytes sent (compressed); they were compared with the bytes
    # saved, so a report a CDN sent gzipped "stopped after 29000 of 5000 bytes" on every try.
    server.site.script("/files/50231120", "gzip")
    got = PoliteClient(delay=0.0, retries=0).download_pdf(server.url + "/files/50231120", tmp_path / "a.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == server.site.file("50231120").body and got.bytes == len(server.site.file("50231120").body)


def test_a_publication_the_site_no_longer_lists_is_kept_and_told(server: Server, tmp_path: Path) -> None:
    # A report withdrawn (or re-issued at a new address) vanished from the page without a word.
    run(tmp_path, server, ["hillingdon"])
    del server.site.providers["80501"].pubs[1]
    report = run(tmp_path, server, ["hillingdon"])
    assert not report.failed and report.already == 3
    assert any("no longer listed" in w and "hillingdon/2020-02-07_focused-visit.pdf" in w for w in report.warnings), report.warnings
    assert (tmp_path / "hillingdon/2020-02-07_focused-visit.pdf").is_file()
    assert not run(tmp_path, server, ["hillingdon"]).warnings  # told when the page changed, not on every run
