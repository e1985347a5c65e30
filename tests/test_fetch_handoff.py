"""``ofstl fetch`` handing over to ingest, and a night's run going wrong half way: stopped
between the download and the re-read, a server too slow to say even its headers, the site or
the disk misbehaving. Each test here failed before the fix it comes with.

Against the loopback copy of the site in tests/ofsted_site.py; nothing touches the internet.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ofstl.cli import app
PENDING = ".reread-pending.json"  # ofstl.fetch.rereads.PENDING
from tests.ofsted_site import Provider, Server, Site, hillingdon

ENV = {"COLUMNS": "100", "NO_COLOR": "1"}
REDATED = "hillingdon/2018-05-30_childrens-services-inspection.pdf"


def pending(docs: Path, store: Path) -> list[str]:
    """The re-dated files ``store`` has yet to read again."""
    from ofstl.fetch.rereads import pending_files

    return [str(p.relative_to(docs)) for p in pending_files(docs, store)]


def published(store: Path) -> str:
    export = json.loads(CliRunner().invoke(app, ["--store", str(store), "export"], env=ENV).stdout)
    return next(i for i in export["inspections"] if i["id"] == "hillingdon-2018-04-ilacs")["published"]


def fetch(store: Path, docs: Path, srv: Server, *names: str):
    args = ["--store", str(store), "fetch", *names, "--base-url", srv.url, "--to", str(docs), "--delay", "0", "--ingest"]
    return CliRunner().invoke(app, args, env=ENV)


def redated_and_stopped(srv: Server, store: Path, docs: Path, monkeypatch: pytest.MonkeyPatch, how: BaseException):
    """A fetch --ingest, then the site re-dates the 2018 report, and the next fetch --ingest is
    stopped (Ctrl-C, a job's time limit) as its ingest starts: that run's result."""
    from ofstl.ingest import Ingest

    def stopped(*args, **kw):
        raise how

    assert fetch(store, docs, srv, "hillingdon").exit_code == 0
    srv.site.providers["80501"].pubs[2].date = "04 June 2018"  # was 30 May 2018
    with monkeypatch.context() as patch:
        patch.setattr(Ingest, "run", stopped)
        return fetch(store, docs, srv, "hillingdon")


# --------------------------------------------------------------------------- fetch --ingest, stopped half way


@pytest.mark.parametrize("how", [KeyboardInterrupt(), SystemExit(143)])
def test_a_redated_file_left_unread_by_a_stopped_run_is_read_by_the_next_fetch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                               how: BaseException) -> None:
    # Stopped after the download that re-dated a report but before reading it again: its
    # manifest line had the new date, so the next run found it "already here" and the store
    # kept the old date until someone ran ingest --reread by hand.
    docs, store = tmp_path / "docs", tmp_path / "store"
    with Server(Site([[hillingdon(), Provider("80503", "London Borough of Hounslow")]])) as srv:
        assert redated_and_stopped(srv, store, docs, monkeypatch, how).exit_code != 0
        assert published(store) == "2018-05-30"  # the store as it was: the run stopped before reading
        assert json.loads((docs / PENDING).read_text())["files"] == [REDATED]
        # The next run, for another authority even (with nothing to download): the re-dated file is read again.
        again = fetch(store, docs, srv, "hounslow")
        assert again.exit_code == 0, again.stderr
        assert "1 read anew" in again.stderr
    assert published(store) == "2018-06-04"
    assert pending(docs, store) == []  # cleared once the store has it


def test_a_plain_ingest_of_the_folder_finishes_a_stopped_hand_over(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs, store = tmp_path / "docs", tmp_path / "store"
    with Server(Site([[hillingdon()]])) as srv:
        assert redated_and_stopped(srv, store, docs, monkeypatch, KeyboardInterrupt()).exit_code == 130
    # Ingest of the authority's folder, as a person would run it: the file is read again.
    result = CliRunner().invoke(app, ["--store", str(store), "ingest", str(docs / "hillingdon")], env=ENV)
    assert result.exit_code == 0, result.stderr
    assert "1 read anew, 3 unchanged" in result.stderr
    assert published(store) == "2018-06-04"
    assert pending(docs, store) == []
    quiet = CliRunner().invoke(app, ["--store", str(store), "ingest", str(docs)], env=ENV)
    assert "0 added, 4 unchanged" in quiet.stderr  # read again once, not on every ingest


def test_a_redated_mark_stays_until_the_store_has_the_new_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The re-read itself failing (here: the store cannot be written) is not the store having it.
    docs, store = tmp_path / "docs", tmp_path / "store"
    with Server(Site([[hillingdon()]])) as srv:
        assert fetch(store, docs, srv, "hillingdon").exit_code == 0
        srv.site.providers["80501"].pubs[2].date = "04 June 2018"
        from ofstl.ingest.commit import Committer

        def cannot_write(self, doc, replacing=None):
            raise OSError(28, "No space left on device")

        with monkeypatch.context() as patch:
            patch.setattr(Committer, "commit", cannot_write)
            failed = fetch(store, docs, srv, "hillingdon")
        assert failed.exit_code == 1 and "not stored" in failed.stderr
        assert json.loads((docs / PENDING).read_text())["files"] == [REDATED]
        assert fetch(store, docs, srv, "hillingdon").exit_code == 0
    assert published(store) == "2018-06-04" and pending(docs, store) == []


def test_an_unreadable_list_of_redated_files_is_named_and_never_written_over(tmp_path: Path) -> None:
    docs, store = tmp_path / "docs", tmp_path / "store"
    with Server(Site([[hillingdon()]])) as srv:
        assert fetch(store, docs, srv, "hillingdon").exit_code == 0
        (docs / PENDING).write_text('{"files": ["hillingdon/a.pdf", ')  # cut short
        srv.site.providers["80501"].pubs[2].date = "04 June 2018"
        result = fetch(store, docs, srv, "hillingdon")
    assert str(docs / PENDING) in result.stderr and result.exit_code == 1
    assert (docs / PENDING).read_text() == '{"files": ["hillingdon/a.pdf", '  # what a person wrote is kept


# --------------------------------------------------------------------------- a whole request's time


@pytest.mark.parametrize("route", ["/provider/44/80501", "/files/50231120"])
def test_headers_sent_a_byte_at_a_time_are_given_up_within_the_request_deadline(tmp_path: Path, route: str) -> None:
    # httpx's timeout counts the silence between bytes: headers trickled in a byte at a time
    # held the request (and the night's run) for as long as the server kept it up. Bounded by
    # counting what the server sent before the client gave up: 2000 bytes take it 20 s, the
    # deadline (0.3 s and a second per 8 kB) is long past after a few dozen.
    from ofstl.fetch.client import FetchFailed, PoliteClient

    with Server(Site([[hillingdon()]])) as srv:
        srv.site.script(route, "slow-headers")
        client = PoliteClient(delay=0.0, timeout=0.3, retries=0)
        with pytest.raises(FetchFailed, match=": the answer came too slowly \\([0-9]+ bytes in"):
            if route.startswith("/files/"):
                client.download_pdf(srv.url + route, tmp_path / "hillingdon" / "a.pdf")
            else:
                client.get_page(srv.url + route)
        assert srv.site.header_bytes_sent < 1000
    assert not any(tmp_path.rglob("*.pdf*"))  # nothing saved, no part file


# --------------------------------------------------------------------------- the site misbehaving


def test_a_redirect_to_an_address_that_is_not_the_web_is_one_failure_not_retried(tmp_path: Path) -> None:
    # A Location of file:// or ftp:// was retried as a network error (five requests to the
    # site for the one answer) and counted as the site not answering, which stops a run.
    from ofstl.fetch import Fetcher
    from ofstl.fetch.client import PoliteClient, SiteNotAnswering

    with Server(Site([[hillingdon()]])) as srv:
        srv.site.script("/files/50231120", *["redirect:file:///etc/passwd"] * 5)
        report = Fetcher(tmp_path, base_url=srv.url, client=PoliteClient(delay=0.0, backoff=0.01, retries=4)).run(["hillingdon"])
        assert len(srv.site.requests_to("/files/50231120")) == 1
        srv.site.script("/provider/44/80501", "redirect:ftp://reports.ofsted.test/provider/44/80501")
        with pytest.raises(Exception) as caught:
            PoliteClient(delay=0.0, backoff=0.01, retries=4).get_page(srv.url + "/provider/44/80501")
    assert len(report.failed) == 1 and f"{srv.url}/files/50231120: the site redirects to file://" in report.failed[0]
    assert report.failed[0].endswith("/etc/passwd, not a web address; nothing fetched")
    assert len(report.downloaded) == 3
    assert not isinstance(caught.value, SiteNotAnswering) and "redirects to ftp://reports.ofsted.test/" in str(caught.value)


# --------------------------------------------------------------------------- a manifest edited by hand


def hand_edited(docs: Path) -> str:
    """Line 2 broken by an edit (a colon lost), line 3 a note; ofstl's own line cut short by a crash last."""
    manifest = docs / "manifest.jsonl"
    lines = manifest.read_text().splitlines()
    lines[1] = lines[1].replace('"label":', '"label"')
    lines.insert(2, "# fetched for the March board paper")
    text = "\n".join(lines) + '\n{"authority": "hillingdon", "urn": "8050'
    manifest.write_text(text)
    return text


def test_a_manifest_edited_by_hand_is_named_with_its_lines_and_never_written_over(tmp_path: Path) -> None:
    # Lines that did not read were left out without a word: the fetch recorded their files
    # again, and an ingest stored their documents without the dates the lines held.
    docs, store = tmp_path / "docs", tmp_path / "store"
    with Server(Site([[hillingdon()]])) as srv:
        args = ["fetch", "hillingdon", "--base-url", srv.url, "--to", str(docs), "--delay", "0"]
        assert CliRunner().invoke(app, ["--store", str(store)] + args, env=ENV).exit_code == 0
        text = hand_edited(docs)
        srv.site.log.clear()
        result = CliRunner().invoke(app, ["--store", str(store)] + args, env=ENV)
        assert result.exit_code == 0, result.stderr
        assert f"ofstl: {docs / 'manifest.jsonl'}: lines 2, 3 do not read as a manifest entry (edited by hand?)" in result.stderr
        assert "line 5" not in result.stderr  # ofstl's own line cut by a crash is no news
        assert srv.site.requests_to("/files/") == []  # the file on disk is recorded again, not downloaded
    assert (docs / "manifest.jsonl").read_text().startswith(text)  # appended to, never rewritten
    ingest = CliRunner().invoke(app, ["--store", str(tmp_path / "other"), "ingest", str(docs)], env=ENV)
    assert ingest.exit_code == 0
    assert ingest.stderr.count(f"{docs / 'manifest.jsonl'}: lines 2, 3 do not read") == 1, ingest.stderr


def test_a_manifest_that_cannot_be_read_fails_its_documents_naming_it(tmp_path: Path) -> None:
    # A manifest.jsonl that is a folder (or unreadable): "not stored: cannot write the store",
    # which sent the person to look at the wrong folder.
    docs = tmp_path / "docs"
    with Server(Site([[hillingdon()]])) as srv:
        args = ["fetch", "hillingdon", "--base-url", srv.url, "--to", str(docs), "--delay", "0"]
        assert CliRunner().invoke(app, ["--store", str(tmp_path / "s")] + args, env=ENV).exit_code == 0
    (docs / "manifest.jsonl").rename(tmp_path / "manifest.jsonl")
    (docs / "manifest.jsonl").mkdir()
    result = CliRunner().invoke(app, ["-v", "--store", str(tmp_path / "store"), "ingest", str(docs)], env=ENV)
    assert result.exit_code == 1
    assert "cannot write the store" not in result.stderr
    assert f"not stored: {docs / 'manifest.jsonl'}: cannot read it (Is a directory)" in result.stderr


def test_a_file_ingested_before_its_manifest_line_was_written_takes_the_date_when_the_line_is(tmp_path: Path) -> None:
    # Stopped between a download and its manifest line, then an ingest: the ILACS report
    # (which never prints its date) was stored undated; the next fetch wrote the line from
    # the file on disk, and the store kept the report undated for good.
    docs, store = tmp_path / "docs", tmp_path / "store"
    with Server(Site([[hillingdon()]])) as srv:
        assert fetch(store, docs, srv, "hillingdon").exit_code == 0
        manifest = docs / "manifest.jsonl"
        shutil.rmtree(store)
        # as the stop left it: the report's file is on disk, its line is not
        manifest.write_text("".join(line + "\n" for line in manifest.read_text().splitlines() if "/files/50180530" not in line))
        assert CliRunner().invoke(app, ["--store", str(store), "ingest", str(docs)], env=ENV).exit_code == 0
        assert published(store) is None
        again = fetch(store, docs, srv, "hillingdon")
        assert again.exit_code == 0, again.stderr
        assert len(srv.site.requests_to("/files/50180530")) == 1  # not downloaded again
    assert published(store) == "2018-05-30", again.stderr
    assert pending(docs, store) == []


# --------------------------------------------------------------------------- the folder


def test_an_authority_folder_that_cannot_be_written_is_one_line_and_the_run_goes_on(tmp_path: Path) -> None:
    # A file in the way of DIR/hillingdon: four failures, each "cannot write .../<report>.pdf:
    # File exists", none naming the folder that was the trouble.
    from ofstl.fetch import Fetcher
    from ofstl.fetch.client import PoliteClient
    from tests.ofsted_site import every_type

    (tmp_path / "hillingdon").write_text("notes, not a folder")
    with Server(Site([[hillingdon(), every_type()]])) as srv:
        report = Fetcher(tmp_path, base_url=srv.url, client=PoliteClient(delay=0.0)).run(["hillingdon", "hounslow"])
        assert srv.site.requests_to("/files/5") == []  # hillingdon's: none asked for
    assert report.failed == [f"hillingdon: cannot write into {tmp_path / 'hillingdon'}: a file by that name is in the way; "
                             "nothing downloaded for it"]
    assert len(report.downloaded) == 7  # hounslow's
    assert (tmp_path / "hillingdon").read_text() == "notes, not a folder"
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".part")]


def test_a_304_to_a_request_that_asked_nothing_conditional_is_named_as_such(tmp_path: Path) -> None:
    # A site (a cache in front of it) answering 304 to every request: it was asked twice and
    # reported as "a page that is not the authority's page (an error page?)".
    import httpx

    from ofstl.fetch import Fetcher
    from ofstl.fetch.client import PoliteClient

    asked: list[str] = []

    def not_modified(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.path)
        return httpx.Response(304)

    client = PoliteClient(delay=0.0, retries=0, transport=httpx.MockTransport(not_modified))
    report = Fetcher(tmp_path, base_url="http://reports.ofsted.test", client=client).run(["hillingdon"])
    assert report.failed == ["hillingdon: provider page: http://reports.ofsted.test/provider/44/80501: the site answered 304 "
                             "(not modified) to a request for the whole page; nothing to read"]
    assert asked == ["/provider/44/80501"]


def test_an_ingest_while_a_fetch_writes_the_folder_leaves_the_marks_to_the_next(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Clearing a mark rewrites the list: done while a fetch held the folder, a mark the fetch
    # added meanwhile was lost. The ingest reads the file again all the same, and leaves the list.
    from ofstl.fetch.manifest import folder_lock

    docs, store = tmp_path / "docs", tmp_path / "store"
    with Server(Site([[hillingdon()]])) as srv:
        redated_and_stopped(srv, store, docs, monkeypatch, KeyboardInterrupt())
    with folder_lock(docs) as held:
        assert held
        result = CliRunner().invoke(app, ["--store", str(store), "ingest", str(docs)], env=ENV)
        assert "1 read anew" in result.stderr
        assert json.loads((docs / PENDING).read_text())["files"] == [REDATED]
    assert published(store) == "2018-06-04"
    again = CliRunner().invoke(app, ["--store", str(store), "ingest", str(docs)], env=ENV)
    assert again.exit_code == 0, again.stderr
    assert pending(docs, store) == []
