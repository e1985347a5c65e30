"""A soak run by hand, not by the suite: SIGKILL every writing command at random moments.

    .venv/bin/python -m tests.kill_soak [TRIALS] [SEED]

Each trial copies a seeded store (documents of four councils, a correction, a person's comment
in the corrections block), runs one of ``ingest``, ``ingest --reread``, ``ingest --rebuild``,
``correct``, ``timeline --svg --html`` or ``export --xlsx`` as a fresh process, kills it after a
random share of the time a whole run takes, and checks: the store loads, no reading, the
correction or the comment is lost; then runs the command again and checks it succeeds, leaves
no temporary file, and that pictures and workbooks are whole. The suite's fast, deterministic
versions are in test_kill and test_store_stress.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Callable

from ofstl.store import Store, is_temp_name
from tests import docgen

NAMES = [("hillingdon", "Hillingdon"), ("hounslow", "Hounslow"), ("ealing", "Ealing"), ("brent", "Brent")]
COMMENT = "# checked by hand, see the minutes"


def main(trials: int, seed: int) -> int:
    work = Path(tempfile.mkdtemp(prefix="ofstl-soak-"))
    env = {**os.environ, "OFSTL_CACHE": str(work / "themes"), "COLUMNS": "100"}

    def run(args: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "ofstl", *args], capture_output=True, text=True, env=env, timeout=600)

    docgen.good_documents(work / "docs1", 24, seed=5, names=NAMES)
    docgen.good_documents(work / "docs2", 24, seed=6, names=NAMES)
    base = work / "seed"
    assert run(["ingest", str(work / "docs1"), "--store", str(base)]).returncode == 0
    rid = Store(base).load("hillingdon")["inspections"][0]["id"]
    assert run(["correct", "hillingdon", rid, "overall", "inadequate", "--note", "soak", "--store", str(base)]).returncode == 0
    path = base / "authorities" / "hillingdon.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("corrections:\n", f"corrections:\n{COMMENT}\n", 1), encoding="utf-8")
    seeded = {src["sha256"] for data in Store(base).load_all() for r in data["inspections"] for src in r["sources"]}
    other = Store(base).load("hounslow")["inspections"][0]["id"]
    commands: dict[str, Callable[[Path], list[str]]] = {
        "ingest": lambda s: ["ingest", str(work / "docs2"), "--store", str(s)],
        "reread": lambda s: ["ingest", str(work / "docs1"), "--reread", "--store", str(s)],
        "rebuild": lambda s: ["ingest", "--rebuild", "hillingdon", "--rebuild", "hounslow", "--store", str(s)],
        "correct": lambda s: ["correct", "hounslow", other, "overall", "good", "--note", "soak2", "--store", str(s)],
        "svg": lambda s: ["timeline", "hillingdon", "--svg", f"{s}.svg", "--html", f"{s}.html", "--store", str(s)],
        "xlsx": lambda s: ["export", "--xlsx", f"{s}.xlsx", "--store", str(s)],
    }
    duration = {}
    for name, command in commands.items():
        shutil.copytree(base, work / f"time-{name}")
        started = time.monotonic()
        assert run(command(work / f"time-{name}")).returncode == 0, name
        duration[name] = time.monotonic() - started

    def problems(store: Path) -> list[str]:
        try:
            data = list(Store(store).load_all())
        except Exception as exc:  # noqa: BLE001 - what the soak looks for
            return [f"does not load: {exc}"]
        found = []
        stored = {src["sha256"] for d in data for r in d["inspections"] for src in r["sources"]}
        if not seeded <= stored:
            found.append(f"{len(seeded - stored)} readings lost")
        if COMMENT not in (store / "authorities" / "hillingdon.yaml").read_text(encoding="utf-8"):
            found.append("the person's comment lost")
        if not any(c["note"] == "soak" for c in Store(store).load("hillingdon", raw=True).get("corrections", [])):
            found.append("the correction lost")
        return found

    rng = random.Random(seed)
    bad = 0
    for i in range(trials):
        name = rng.choice(list(commands))
        store = work / f"s{i}"
        shutil.copytree(base, store)
        proc = subprocess.Popen([sys.executable, "-m", "ofstl", *commands[name](store)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        delay = rng.uniform(0.2, 1.0) * duration[name]
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        after_kill = problems(store)
        again = run(commands[name](store))
        after_rerun = problems(store) if again.returncode == 0 else [f"the next run failed: {again.stderr.strip()[-200:]}"]
        left = [p.name for p in store.rglob("*") if is_temp_name(p.name)] + [p.name for p in work.glob(f".s{i}.*")]
        whole = all(Path(f"{store}{ext}").read_text(encoding="utf-8").rstrip().endswith(end)
                    for ext, end in ((".svg", "</svg>"), (".html", "</html>")) if Path(f"{store}{ext}").exists())
        if Path(f"{store}.xlsx").exists():
            whole = whole and zipfile.ZipFile(f"{store}.xlsx").testzip() is None
        ok = not after_kill and not after_rerun and not left and whole
        bad += not ok
        print(f"{i:3} {name:8} killed at {delay:5.2f} s (exit {proc.returncode}): {'ok' if ok else 'PROBLEM'}"
              + "".join(f"; {p}" for p in after_kill + after_rerun) + (f"; left {left}" if left else "") + ("" if whole else "; output not whole"))
    print(f"{trials - bad} of {trials} trials ok ({work})")
    if not bad:
        shutil.rmtree(work)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 30, int(sys.argv[2]) if len(sys.argv) > 2 else 1))
