"""`make accuracy`: ofstl's reading of the labelled corpus, field by field, every miss listed.

Ingests ``<corpus>/docs`` into a temporary store, exports it, and compares each labelled
document's inspections (authority, framework, type, start, end, each judgement, mentions,
weaknesses count) with ``<corpus>/labels.yaml``. Used by the corpus tests as a library.
"""

from __future__ import annotations

import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from ofstl.ingest import Ingest
from ofstl.store import Store
from ofstl.views import export


def ingest_corpus(docs: Path, store_dir: Path, jobs: int | None = None) -> dict[str, Any]:
    store = Store(store_dir)
    Ingest(store, jobs=jobs).run([docs])
    return export(store.load_all())


def _find(exported: dict[str, Any], file: str, authority: str, role: str) -> list[dict[str, Any]]:
    out = []
    for record in exported["inspections"]:
        if record["authority"] != authority:
            continue
        for src in record["sources"]:
            if Path(src["path"]).name == file and src["role"] == role:
                out.append(record)
    return out


def compare(labels: list[dict[str, Any]], exported: dict[str, Any]) -> tuple[dict[str, list[int]], list[str]]:
    """Per field [right, total], and the misses as readable lines."""
    score: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses: list[str] = []

    def check(field: str, file: str, got: Any, want: Any) -> None:
        score[field][1] += 1
        if str(got) == str(want):
            score[field][0] += 1
        else:
            misses.append(f"{file}: {field}: got {got!r}, want {want!r}")

    for doc in labels:
        file = doc["file"]
        for label in doc["inspections"]:
            if label["role"] == "mentioned":
                want_start = str(label["start"])
                found = [r for r in _find(exported, file, doc["authority"], "mentioned") if r["framework"] == label["framework"] and (r["start"] or "").startswith(want_start[:4])]
                check("mentions", file, bool(found), True)
                if not found:
                    continue
                # The mentioned inspection as the label gives it: its date to the label's
                # precision (the record may know more from another document) and its grades.
                record = min(found, key=lambda r: 0 if (r["start"] or "").startswith(want_start) else 1)
                check("mention.start", file, (record["start"] or "")[: len(want_start)], want_start)
                for key, grade in (label.get("judgements") or {}).items():
                    check(f"mention.judgement.{key}", file, record["judgements"].get(key), grade)
                continue
            records = _find(exported, file, doc["authority"], "subject")
            check("authority", file, bool(records), True)
            if not records:
                continue
            record = records[0]
            check("framework", file, record["framework"], label["framework"])
            if "type" in label:
                check("type", file, record["type"], label.get("type"))
            if label.get("date_in_document", True):
                check("start", file, record["start"], label.get("start"))
                if label.get("end"):
                    check("end", file, record["end"], label["end"])
            want = label.get("judgements") or {}
            for key, grade in want.items():
                check(f"judgement.{key}", file, record["judgements"].get(key), grade)
            extra = sorted(set(record["judgements"]) - set(want))
            if doc["source"] in ("ofsted-report", "ofsted-letter"):
                check("no extra judgements", file, extra, [])
            if "weaknesses_min" in label:
                score["weaknesses count"][1] += 1
                n = len(record["weaknesses"])
                if n >= label["weaknesses_min"]:
                    score["weaknesses count"][0] += 1
                else:
                    misses.append(f"{file}: weaknesses count: got {n}, want at least {label['weaknesses_min']}")
    return score, misses


def mentioned_inspections(labels: list[dict[str, Any]], exported: dict[str, Any]) -> list[str]:
    """Every inspection a labelled document mentions, as stored, marked against its label:
    "=" labelled and right, "≠" labelled and wrong, "+" not labelled (labels list only the
    mentions whose framework and year are clear, so "+" is not an error by itself)."""
    lines = []
    for doc in labels:
        wanted = [lab for lab in doc["inspections"] if lab["role"] == "mentioned"]
        for record in _find(exported, doc["file"], doc["authority"], "mentioned"):
            grades = ", ".join(f"{k} {v}" for k, v in record["judgements"].items()) or "no grades"
            match = [lab for lab in wanted if lab["framework"] == record["framework"] and (record["start"] or "").startswith(str(lab["start"])[:4])]
            if not match:
                mark = "+"
            else:
                want = match[0].get("judgements") or {}
                mark = "=" if all(record["judgements"].get(k) == g for k, g in want.items()) else "≠"
            lines.append(f"{mark} {doc['file']}: {record['framework']} {record['start'] or 'undated'} ({grades}) {record['id']}")
    return lines


def main(corpus: str) -> int:
    root = Path(corpus)
    labels = yaml.safe_load((root / "labels.yaml").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        exported = ingest_corpus(root / "docs", Path(tmp) / "store")
    score, misses = compare(labels, exported)
    width = max(len(f) for f in score)
    for field in sorted(score):
        right, total = score[field]
        print(f"{field:<{width}}  {right:>4}/{total:<4} {right / total:6.1%}")
    print()
    for line in misses:
        print("miss:", line)
    print()
    print("mentioned inspections (= labelled and right, ≠ labelled and wrong, + not labelled):")
    for line in mentioned_inspections(labels, exported):
        print(" ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus"))
