"""Bad input never stops or hangs an ingest, and never costs a good record.

A folder holds every kind of bad file ofstl meets in real downloads, next to good documents:
each bad one gets a one-line reason naming it, every good one is stored, nothing prints a
traceback, and the exit code is 1. Workers stuck where SIGALRM cannot reach, or killed, are
replaced; a store file broken by hand is reported with its line and never overwritten; a
second ingest waits for the lock.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ofstl.extract.text import decode_text
from ofstl.errors import StoreError
from ofstl.ingest import FileResult, Ingest, run_task
from ofstl.models import ExtractedText, Page
from ofstl.parse.document import parse_document
from ofstl.store import Store
from tests import docgen

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ, NO_COLOR="1", **(env or {}))
    return subprocess.run([sys.executable, "-m", "ofstl", *args], capture_output=True, text=True, env=full_env, timeout=timeout, cwd=ROOT)


def json_lines(stdout: str) -> dict[str, dict]:
    out = {}
    for line in stdout.splitlines():
        row = json.loads(line)
        out[Path(row["path"]).name] = row
    return out


def stored_shas(root: Path) -> list[str]:
    return [src["sha256"] for data in Store(root).load_all() for record in data["inspections"] for src in record["sources"] if src["role"] == "subject"]


def letter(name: str, day: dt.date, seed: int) -> str:
    return docgen.focused_visit_letter(name, day, seed=seed)


def test_the_good_letter_parses() -> None:
    text = letter("Hounslow", dt.date(2021, 7, 14), 1)
    doc = parse_document(ExtractedText("x.txt", "0" * 64, "text", [Page(1, text)]))
    assert doc.authority == "hounslow"
    assert doc.subject is not None and doc.subject.framework == "focused-visit"
    assert doc.subject.start == "2021-07-14" and doc.subject.end == "2021-07-15"
    assert len(doc.subject.weaknesses) == 3


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"])
def test_text_encodings_are_read_not_refused(encoding: str) -> None:
    text = "Focused visit to Hounslow children\u2019s services \u2013 \u201cgood\u201d, caf\u00e9, \u00a35\n" * 10
    assert decode_text("x.txt", text.encode(encoding)) == text


def build_bad_folder(folder: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(good file -> slug, bad file -> expected words in its reason)."""
    folder.mkdir()
    good = {
        "hillingdon-fv.txt": ("Hillingdon", "hillingdon", "utf-8"),
        "hounslow-fv.md": ("Hounslow", "hounslow", "utf-8"),
        "ealing-fv-cp1252.txt": ("Ealing", "ealing", "cp1252"),
        "brent-fv-utf16.txt": ("Brent", "brent", "utf-16"),
        "harrow-fv.txt": ("Harrow", "harrow", "utf-8"),
    }
    for i, (name, (la, _, encoding)) in enumerate(good.items()):
        text = letter(la, dt.date(2020 + i, 3, 9), i)
        if encoding == "cp1252":  # curly quotes and a pound sign, as Word saves them
            text = text.replace("children's services", "children\u2019s services") + "\nCost: \u00a35 \u2013 \u201cnoted\u201d.\n"
        (folder / name).write_bytes(text.encode(encoding))
    good_pdf = docgen.pdf_with_text("Focused visit to Barnet local authority children's services " * 20, pages=2)
    bad = {
        "empty.pdf": (b"", "empty"),
        "empty.txt": (b"", "empty"),
        "truncated.pdf": (good_pdf[: len(good_pdf) // 2], "truncated"),
        "corrupt.pdf": (docgen.corrupt_pdf(), "corrupt"),
        "encrypted.pdf": (docgen.encrypted_pdf(), "encrypted"),
        "scanned.pdf": (docgen.image_only_pdf(), "no text layer"),
        "error-page.pdf": (b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body>Not found</body></html>\n", "html page"),
        "junk.txt": (bytes(range(256)) * 40, "binary"),
        "nobody.txt": (letter("Nowhere", dt.date(2021, 5, 4), 9).split("Dear Director", 1)[1].replace("Nowhere local authority", "the local authority").encode(), "names no local authority"),
        "several.txt": (("Joint statement\n\n" + "Hillingdon and Hounslow councils worked together. Hounslow and Hillingdon shared a team.\n" * 5).encode(), "several"),
        "runaway.pdf": (docgen.runaway_pdf(), "longer than"),
    }
    for name, (data, _) in bad.items():
        (folder / name).write_bytes(data)
    with open(folder / "huge.pdf", "wb") as fh:  # sparse: 150 MB on paper, nothing on disk
        fh.truncate(150 * 1024 * 1024)
    with open(folder / "huge.txt", "wb") as fh:  # no report is 25 MB of text
        fh.truncate(25 * 1024 * 1024)
    (folder / "loop").symlink_to(".", target_is_directory=True)  # a folder link loop
    (folder / "sub").mkdir()
    (folder / "sub" / "back").symlink_to("..", target_is_directory=True)
    (folder / "selflink.txt").symlink_to("selflink.txt")  # a file link loop
    os.mkfifo(folder / "pipe.txt")  # reading it would block forever
    (folder / "zz-copy-of-harrow.txt").write_bytes((folder / "harrow-fv.txt").read_bytes())
    reasons = {name: words for name, (_, words) in bad.items()}
    reasons.update({"huge.pdf": "too large", "huge.txt": "too large", "selflink.txt": "cannot read", "pipe.txt": "not a regular file"})
    return {name: slug for name, (_, slug, _) in good.items()}, reasons


def test_bad_inputs_are_reported_and_good_ones_stored(tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    good, bad = build_bad_folder(folder)
    store = tmp_path / "store"
    started = time.monotonic()
    proc = run_cli("ingest", str(folder), "--store", str(store), "--format", "json", env={"OFSTL_FILE_TIMEOUT": "2"})
    elapsed = time.monotonic() - started
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    rows = json_lines(proc.stdout)
    for name, slug in good.items():
        assert rows[name]["status"] == "added", rows[name]
        assert rows[name]["authority"] == slug
    assert rows["zz-copy-of-harrow.txt"]["status"] == "unchanged"
    for name, words in bad.items():
        row = rows[name]
        assert row["status"] == "error", row
        assert name in row["message"] and "\n" not in row["message"], row
        assert words in row["message"].lower(), row
    # every result is one line, and the loops were walked once (no file seen twice)
    assert len(proc.stdout.splitlines()) == len(rows)
    stored = stored_shas(store)
    assert len(stored) == len(set(stored)) == len(good)
    assert elapsed < 60
    # Again: the bad files are not read again (the runaway PDF does not cost its time limit
    # twice), and each gets the same reason; the good ones are unchanged.
    again = run_cli("ingest", str(folder), "--store", str(store), "--format", "json", env={"OFSTL_FILE_TIMEOUT": "2"})
    assert again.returncode == 1 and "Traceback" not in again.stderr
    rows2 = json_lines(again.stdout)
    assert {n: r["status"] for n, r in rows2.items()} == {n: ("unchanged" if r["status"] == "added" else r["status"]) for n, r in rows.items()}
    assert "earlier ingest" in rows2["runaway.pdf"]["message"] and "longer than" in rows2["runaway.pdf"]["message"]
    assert rows2["corrupt.pdf"]["message"].startswith(rows["corrupt.pdf"]["message"])
    # A longer time limit tries the runaway PDF again.
    assert "earlier ingest" not in json_lines(run_cli("ingest", str(folder / "runaway.pdf"), "--store", str(store), "-f", "json",
                                                      env={"OFSTL_FILE_TIMEOUT": "2.5"}).stdout)["runaway.pdf"]["message"]
    # the errors on stderr (table mode) are one line each and name their file
    table = run_cli("ingest", str(folder), "--store", str(tmp_path / "store2"), env={"OFSTL_FILE_TIMEOUT": "2"})
    assert table.returncode == 1 and "Traceback" not in table.stderr
    for name in bad:
        assert name in table.stderr


def test_re_ingest_skips_everything_stored(tmp_path: Path) -> None:
    docs = docgen.good_documents(tmp_path / "docs", 6)
    store = tmp_path / "store"
    first = run_cli("ingest", str(tmp_path / "docs"), "--store", str(store), "-f", "json")
    assert first.returncode == 0, first.stderr
    before = {p.name: p.read_bytes() for p in (store / "authorities").iterdir()}
    again = run_cli("ingest", str(tmp_path / "docs"), "--store", str(store), "-f", "json")
    assert again.returncode == 0
    assert {r["status"] for r in json_lines(again.stdout).values()} == {"unchanged"}
    assert {p.name: p.read_bytes() for p in (store / "authorities").iterdir()} == before
    assert len(list((store / "cache").glob("*.json"))) == len(docs)


# --------------------------------------------------------------------------- stuck workers

def _misbehaving_task(path: str, cache_root: str | None, timeout: float | None):
    """Stands in for the real task: 'stuck' spins where SIGALRM cannot interrupt it (the
    signal is blocked, as it is in effect during a long call into C); 'crash' dies."""
    name = Path(path).name
    if name.startswith("stuck"):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        while True:
            pass
    if name.startswith("crash"):
        os.kill(os.getpid(), signal.SIGKILL)
    return run_task(path, cache_root, timeout)


def test_a_stuck_or_dead_worker_is_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    docgen.good_documents(folder, 4)
    (folder / "stuck.txt").write_text(letter("Barnet", dt.date(2022, 1, 10), 5))
    (folder / "crash.txt").write_text(letter("Camden", dt.date(2022, 2, 10), 6))
    ingest = Ingest(Store(tmp_path / "store"), jobs=2, timeout=0.5)
    ingest.grace = 0.5
    ingest.task = _misbehaving_task
    started = time.monotonic()
    results = {Path(r.path).name: r for r in ingest.run([folder])}
    assert time.monotonic() - started < 20
    assert results["stuck.txt"].status == "error" and "longer than" in results["stuck.txt"].message
    assert results["crash.txt"].status == "error" and "killed" in results["crash.txt"].message
    assert sorted(r.status for n, r in results.items() if n not in {"stuck.txt", "crash.txt"}) == ["added"] * 4


def test_worker_time_limit_stops_a_runaway_pdf(tmp_path: Path) -> None:
    path = tmp_path / "runaway.pdf"
    path.write_bytes(docgen.runaway_pdf())
    started = time.monotonic()
    status, doc, message = run_task(str(path), None, 0.5)
    assert time.monotonic() - started < 5
    assert status == "timeout" and doc is None and "longer than 0.5 s" in message


# --------------------------------------------------------------------------- the store


def test_a_broken_store_file_is_reported_and_never_overwritten(tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = tmp_path / "first"
    first.mkdir()
    (first / "hillingdon.txt").write_text(letter("Hillingdon", dt.date(2019, 5, 1), 1))
    assert run_cli("ingest", str(first), "--store", str(store)).returncode == 0
    path = store / "authorities" / "hillingdon.yaml"
    lines = path.read_text().splitlines()
    lines[6] = lines[6] + " : : [unclosed"  # a hand edit gone wrong
    broken = "\n".join(lines) + "\n"
    path.write_text(broken)
    second = tmp_path / "second"
    second.mkdir()
    (second / "hillingdon-2.txt").write_text(letter("Hillingdon", dt.date(2022, 5, 1), 2))
    (second / "hounslow.txt").write_text(letter("Hounslow", dt.date(2022, 6, 1), 3))
    proc = run_cli("ingest", str(second), "--store", str(store), "-f", "json")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    rows = json_lines(proc.stdout)
    assert rows["hounslow.txt"]["status"] == "added"
    message = rows["hillingdon-2.txt"]["message"]
    assert rows["hillingdon-2.txt"]["status"] == "error"
    assert "hillingdon.yaml" in message and "line 7" in message and "will not overwrite" in message
    assert path.read_text() == broken
    assert "warning" in proc.stderr and "line 7" in proc.stderr  # said at the start, too
    # Views read only the authority they show: the broken file does not stop hounslow's.
    assert run_cli("timeline", "hounslow", "--store", str(store)).returncode == 0
    shown = run_cli("timeline", "hillingdon", "--store", str(store))
    assert shown.returncode == 1 and "line 7" in shown.stderr and "Traceback" not in shown.stderr


def test_store_files_are_named_by_slug_only(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with pytest.raises(Exception):
        store.file_for("../../etc/passwd")
    (tmp_path / "authorities").mkdir()
    (tmp_path / "authorities" / ".hillingdon.yaml.x1y2z3w4.tmp").write_text("partial: [")
    (tmp_path / "authorities" / "notes.yaml").write_text("not: a store file\n")
    assert store.slugs() == []
    with store.lock():
        pass
    assert not (tmp_path / "authorities" / ".hillingdon.yaml.x1y2z3w4.tmp").exists()


def test_a_second_ingest_waits_for_the_lock(tmp_path: Path) -> None:
    docgen.good_documents(tmp_path / "docs", 3)
    store = Store(tmp_path / "store")
    with store.lock():
        proc = subprocess.Popen([sys.executable, "-m", "ofstl", "ingest", str(tmp_path / "docs"), "--store", str(store.root), "-f", "json"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        ready, _, _ = select.select([proc.stderr], [], [], 60)  # it says that it waits ...
        assert ready, "the second ingest did not say it was waiting"
        said = proc.stderr.readline()
        assert "waiting for another ofstl ingest" in said
        time.sleep(0.5)
        assert proc.poll() is None  # ... and really waits
        assert not (store.root / "authorities").exists()
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert len(json_lines(out)) == 3


def test_file_results_are_one_line() -> None:
    assert FileResult("a", None, "error", message="a: bad\nthing\r\n here").message == "a: bad thing here"


def test_json_copies_match_the_yaml_and_never_go_stale(tmp_path: Path) -> None:
    from ofstl.store import load_yaml

    docgen.good_documents(tmp_path / "docs", 8, seed=4)
    assert run_cli("ingest", str(tmp_path / "docs"), "--store", str(tmp_path / "store")).returncode == 0
    store = Store(tmp_path / "store")
    slugs = store.slugs()
    assert slugs and all((store.copies_dir / f"{slug}.json").exists() for slug in slugs)
    for slug in slugs:  # as stored (raw): a view's load also names each source from the current folder
        assert Store(store.root).load(slug, raw=True) == load_yaml(store.file_for(slug).read_text())
    # A hand edit (valid YAML) is seen at once; a hand-written unquoted date is refused
    # (the schema wants dates as strings), naming the record and field.
    path = store.file_for(slugs[0])
    original = path.read_text()
    edited = original.replace("\n  role: subject\n", "\n  role: mentioned\n", 1)
    path.write_text(edited)
    fresh = Store(store.root).load(slugs[0], raw=True)
    assert fresh == load_yaml(edited) and fresh["inspections"][0]["role"] == "mentioned"
    assert Store(store.root).load(slugs[0], raw=True) == fresh
    start = fresh["inspections"][0]["start"]
    path.write_text(original.replace(f"start: '{start}'", f"start: {start}", 1))
    with pytest.raises(StoreError, match=r"inspection 1 \(.*\): start: should be a date in quotes"):
        Store(store.root).load(slugs[0])


def test_file_names_that_are_not_utf8(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    name = os.fsdecode(b"hillingdon-\xff.txt")
    (folder / name).write_text(letter("Hillingdon", dt.date(2021, 2, 3), 4))
    results = Ingest(Store(tmp_path / "store"), jobs=1).run([folder])
    assert [r.status for r in results] == ["added"]
    stored = Store(tmp_path / "store").load("hillingdon")
    assert stored["inspections"][0]["sources"][0]["path"].endswith("hillingdon-\ufffd.txt")


def _virtual_size() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    raise OSError("no VmSize")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_a_decompression_bomb_fails_in_its_own_worker(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    docgen.good_documents(folder, 2)
    (folder / "bomb.pdf").write_bytes(docgen.bomb_pdf(600))
    ingest = Ingest(Store(tmp_path / "store"), jobs=2, timeout=30)
    ingest.memory = _virtual_size() + 300 * 1024**2  # room for the parsers, not for the bomb
    results = {Path(r.path).name: r for r in ingest.run([folder])}
    assert results["bomb.pdf"].status == "error" and "memory" in results["bomb.pdf"].message, results["bomb.pdf"]
    assert sorted(r.status for n, r in results.items() if n != "bomb.pdf") == ["added", "added"]


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_time_limit_survives_an_alarm_swallowed_by_a_finaliser() -> None:
    """An alarm that lands in a __del__ is ignored by Python; the limit must fire again."""
    import gc

    from ofstl.extract.limits import FileTimeout, time_limit

    class SlowFinaliser:
        def __del__(self) -> None:
            until = time.monotonic() + 0.6
            while time.monotonic() < until:
                pass

    started = time.monotonic()
    with pytest.raises(FileTimeout):
        with time_limit(0.3):
            SlowFinaliser()
            gc.collect()
            while time.monotonic() - started < 10:
                pass
    assert time.monotonic() - started < 5
