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


def test_each_store_reading_a_folder_reads_a_redated_file_again(tmp_path: Path) -> None:
    # The list of re-dated files was the folder's: the first store to ingest the folder read the
    # file again and cleared the mark, and the other store kept the old date for good.
    docs, mine, theirs = tmp_path / "docs", tmp_path / "mine", tmp_path / "theirs"
    with Server(Site([[hillingdon()]])) as srv:
        fetch = ["fetch", "hillingdon", "--base-url", srv.url, "--to", str(docs), "--delay", "0"]
        assert cli(mine, *fetch, "--ingest").exit_code == 0
        assert cli(theirs, "ingest", str(docs)).exit_code == 0
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

    docs, mine, theirs = tmp_path / "docs", tmp_path / "mine", tmp_path / "theirs"
    with Server(Site([[hillingdon()]])) as srv:
        fetch = ["fetch", "hillingdon", "--base-url", srv.url, "--to", str(docs), "--delay", "0", "--ingest"]
        assert cli(mine, *fetch).exit_code == 0
        assert cli(theirs, "ingest", str(docs)).exit_code == 0
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
    docs, mine, theirs = tmp_path / "docs", tmp_path / "mine", tmp_path / "theirs"
    with Server(Site([[hillingdon()]])) as srv:
        fetch = ["fetch", "hillingdon", "--base-url", srv.url, "--to", str(docs), "--delay", "0"]
        assert cli(mine, *fetch, "--ingest").exit_code == 0
    assert cli(theirs, "ingest", str(docs)).exit_code == 0
    (docs / ".reread-pending.json").write_text(json.dumps({"files": [REDATED]}) + "\n")
    for store in (mine, theirs):
        first = cli(store, "-v", "ingest", str(docs)).stderr
        assert f"{REDATED}  → hillingdon  read again" in first, first
        assert "read again" not in cli(store, "-v", "ingest", str(docs)).stderr  # once
