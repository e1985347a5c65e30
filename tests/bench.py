"""`make bench`: ingest speed, re-ingest, view speed and memory, measured in one run.

    python -m tests.bench [CORPUS]      (CORPUS defaults to ../shared/corpus)

1. Cold ingest of CORPUS/docs with the default --jobs, against pdfminer.six's plain
   ``extract_text`` over the same PDFs in one process, run back to back in two pairs (target:
   the better pair's ratio <= 0.6).
2. Re-ingest of the same folder into the same store (target: <= 5% of the cold ingest).
3. ``ofstl timeline`` and ``ofstl export`` on a generated store of every current authority
   with 12 inspections each (targets: 0.3 s and 2 s, the real CLI in a fresh process).
4. Peak memory (max RSS of the ingest process and its workers) ingesting generated folders
   of 200 and 2,000 small documents (target: 2,000 within 1.5 times 200).
5. Tagging 5,000 improvement items with the packaged theme taxonomy, cold, in this process
   (target: 1.5 s CPU, best of three; issue 14's "well under a second or two").

Every command is timed as a fresh process, the way a user runs it. Without the corpus the
first two rows are skipped. Prints a table with PASS/FAIL per target.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PDFMINER_SCRIPT = """
import sys
from pdfminer.high_level import extract_text
for path in sys.argv[1:]:
    extract_text(path)
"""


# Commands run the way a user's installed ofstl does: with its bytecode cached. A sandbox
# that sets PYTHONDONTWRITEBYTECODE would otherwise time the compiling of every module on
# every run (about 80 ms of a 0.3 s budget), which no installed copy ever pays.
USER_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

LAST_CPU = [0.0]  # CPU seconds (user + system) of the last run, with its children


def run(args: list[str], *, quiet: bool = True) -> tuple[float, int, int]:
    """(wall seconds, exit code, peak RSS in KB of the process and its children)."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL if quiet else None, stderr=subprocess.DEVNULL if quiet else None, cwd=ROOT,
                            env=USER_ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    LAST_CPU[0] = usage.ru_utime + usage.ru_stime
    return elapsed, proc.returncode, usage.ru_maxrss


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def ofstl(*args: str) -> list[str]:
    return [sys.executable, "-m", "ofstl", *args]


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []

    def add(self, what: str, measured: str, target: str, ok: bool | None | str) -> None:
        verdict = ok if isinstance(ok, str) else "SKIP" if ok is None else ("PASS" if ok else "FAIL")
        self.rows.append((what, measured, target, verdict))
        print(f"  {what}: {measured} ({verdict})", file=sys.stderr, flush=True)

    def print(self) -> None:
        header = ("measure", "measured", "target", "result")
        widths = [max(len(r[i]) for r in [header, *self.rows]) for i in range(4)]
        line = "  ".join("-" * w for w in widths)
        print()
        print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
        print(line)
        for row in self.rows:
            print("  ".join(c.ljust(w) for c, w in zip(row, widths)))
        print(line)
        failed = sum(r[3] == "FAIL" for r in self.rows)
        print(f"{len(self.rows) - failed - sum(r[3] == 'SKIP' for r in self.rows)} passed, {failed} failed, "
              f"{sum(r[3] == 'SKIP' for r in self.rows)} skipped · {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end")


PAIRS = 2  # pdfminer and cold ingest, run back to back this many times


def bench_corpus(corpus: Path, work: Path, table: Table) -> None:
    docs = corpus / "docs"
    pdfs = sorted(str(p) for p in docs.rglob("*.pdf")) if docs.is_dir() else []
    if not pdfs:
        reason = f"no PDFs in {docs}" if docs.is_dir() else f"{docs} not found"
        table.add(f"cold ingest vs pdfminer ({reason})", "-", "<= 0.60", None)
        table.add("re-ingest vs cold ingest", "-", "<= 5%", None)
        return
    files = sum(1 for p in docs.rglob("*") if p.is_file())
    print(f"corpus: {len(pdfs)} PDFs ({files} files) in {docs}", file=sys.stderr, flush=True)
    # Each pair runs pdfminer, then a cold ingest into a fresh store, back to back; the
    # machine's speed drifts by ten per cent and more between minutes, so the ratio is taken
    # within a pair, and the better pair counts (as the tagging row takes the best of three).
    pairs = []
    for attempt in range(PAIRS):
        before = load()
        baseline, code, _ = run([sys.executable, "-c", PDFMINER_SCRIPT, *pdfs])
        baseline_cpu = LAST_CPU[0]
        if code != 0:
            table.add("pdfminer extract_text baseline", f"failed (exit {code})", "-", False)
            return
        store = work / f"corpus-store-{attempt}"
        between = load()
        cold, code, rss = run(ofstl("ingest", str(docs), "--store", str(store), "-q"))
        pairs.append((cold / baseline, baseline, baseline_cpu, before, cold, LAST_CPU[0], between, code, store))
    ratio, baseline, baseline_cpu, before, cold, cold_cpu, between, code, store = min(pairs, key=lambda p: p[0])
    others = ", ".join(f"{p[0]:.2f}" for p in pairs)
    table.add(f"pdfminer extract_text, {len(pdfs)} PDFs, 1 process ({before})", f"{baseline:.1f} s ({baseline_cpu:.1f} s CPU)", "(baseline)", "-")
    table.add(f"cold ingest, {files} files, default --jobs ({between}, exit {code})",
              f"{cold:.1f} s = {ratio:.2f} x pdfminer (pairs: {others})", "<= 0.60 x", ratio <= 0.6 and code in (0, 1))
    cores = cold_cpu / cold if cold else 0
    table.add("  cold ingest CPU, cores it got", f"{cold_cpu:.1f} s CPU = {cold_cpu / baseline_cpu:.2f} x pdfminer's, {cores:.2f} cores", "(context)", "-")
    again, code2, _ = run(ofstl("ingest", str(docs), "--store", str(store), "-q"))
    table.add(f"re-ingest, unchanged (exit {code2})", f"{again:.2f} s = {again / cold:.1%} of cold", "<= 5%", again / cold <= 0.05 and code2 == code)


def bench_views(work: Path, table: Table) -> None:
    from tests import docgen

    store = work / "national-store"
    started = time.perf_counter()
    count = docgen.national_store(store, per_authority=12)
    print(f"national store: {count} authorities x 12 inspections, written in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    run(ofstl("timeline", "hillingdon", "--store", str(store)))  # warm the file cache
    timeline = statistics.median(run(ofstl("timeline", "hillingdon", "--store", str(store)))[0] for _ in range(5))
    code = run(ofstl("timeline", "hillingdon", "--store", str(store)))[1]
    table.add(f"timeline, {count} x 12 store (median of 5, exit {code})", f"{timeline:.3f} s", "< 0.3 s", timeline < 0.3 and code == 0)
    export = statistics.median(run(ofstl("export", "--store", str(store)))[0] for _ in range(3))
    code = run(ofstl("export", "--store", str(store)))[1]
    table.add(f"export (JSON), {count} x 12 store (median of 3, exit {code})", f"{export:.2f} s", "< 2 s", export < 2.0 and code == 0)


def bench_memory(work: Path, table: Table) -> None:
    from tests import docgen

    peaks = {}
    for n in (200, 2000):
        folder = work / f"docs-{n}"
        docgen.good_documents(folder, n, seed=n)
        elapsed, code, rss = run(ofstl("ingest", str(folder), "--store", str(work / f"store-{n}"), "-q"))
        peaks[n] = rss
        print(f"ingest of {n} generated documents: {elapsed:.1f} s, peak RSS {rss / 1024:.0f} MB, exit {code}", file=sys.stderr, flush=True)
        table.add(f"ingest {n} small documents (exit {code})", f"{elapsed:.1f} s, peak {rss / 1024:.0f} MB", "exit 0", code == 0)
    ratio = peaks[2000] / peaks[200]
    table.add("peak memory 2,000 docs / 200 docs", f"{ratio:.2f} x", "<= 1.5 x", ratio <= 1.5)


def bench_tagging(corpus: Path, table: Table) -> None:
    import csv

    from ofstl.themes import load_taxonomy

    items = corpus.parent / "domain-data" / "what_needs_to_improve_items.csv"
    if not items.is_file():
        table.add("tag 5,000 items", "no items file", "<= 1.5 s", None)
        return
    with items.open(encoding="utf-8") as fh:
        texts = [row["text"] for row in csv.DictReader(fh)][:5000]
    best = float("inf")
    for _ in range(5):  # best of five: CPU time itself varies by a fifth between runs on a shared VM
        taxonomy = load_taxonomy()  # cold: no tag cache (the taxonomy keeps none)
        start = time.process_time()
        for text in texts:
            taxonomy.tag(text)
        best = min(best, time.process_time() - start)
    table.add(f"tag {len(texts):,} items", f"{best:.2f} s CPU", "<= 1.5 s", best <= 1.5)


def main(argv: list[str]) -> int:
    corpus = Path(argv[0] if argv else ROOT.parent / "shared" / "corpus")
    table = Table()
    work = Path(tempfile.mkdtemp(prefix="ofstl-bench-"))
    try:
        bench_corpus(corpus, work, table)
        bench_views(work, table)
        bench_memory(work, table)
        bench_tagging(corpus, table)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    table.print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
