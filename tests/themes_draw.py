"""Draw a stratified random sample of real improvement items not yet labelled, for labelling.

Why this exists: a measure is only honest if the items it is taken on were drawn by a rule
anyone can re-run, before any rule was tuned on them. This prints the drawn rows (framework,
row number, text) for a person to read and label; it never labels anything itself.

    python -m tests.themes_draw SEED ILACS=60 FV=54 SIF=60 LAC2013=30 [--csv PATH] [--overlap 0.7]
    python -m tests.themes_draw SEED --unstratified N [--skip K]

Rows whose text is already (nearly) in a labelled file are skipped: labelled texts are cut
or paraphrased, so "already labelled" means most of a labelled item's words are in the row.
That test skips any row holding a short labelled item's words, which by 2026-11-30 left only
~500 rows; ``--unstratified`` (the third round's draw) counts a row as labelled only when a
labelled item holds 80% of its own words and half of the row's, drops repeated texts and rows
of fewer than three words, shuffles what is left once (about 3,500 rows then) and prints rows
K+1..K+N of that order, in csv order: successive batches of one shuffle never overlap.
"""

from __future__ import annotations

import csv
import random
import re
import sys
from pathlib import Path

from tests.themes_eval import load_items

HERE = Path(__file__).resolve().parent
LABEL_FILES = [HERE / "data" / "theme_labels.yaml", HERE / "data" / "theme_test_set.yaml"]
ITEMS_CSV = HERE.parents[1] / "shared" / "domain-data" / "what_needs_to_improve_items.csv"
_WORDS = re.compile(r"[a-z0-9]+")


def words(text: str) -> set[str]:
    return set(_WORDS.findall(text.lower().replace("\u2019", "").replace("'", "")))


def labelled_word_sets() -> list[set[str]]:
    found = []
    for path in LABEL_FILES:
        if path.is_file():
            found += [words(item["text"]) for item in load_items(path, ITEMS_CSV.parents[1])]
    return found


def already_labelled(row_words: set[str], labelled: list[set[str]], overlap: float = 0.7) -> bool:
    # most of a labelled item's words in the row (it was cut from it); paraphrases can slip by
    return any(len(w & row_words) >= overlap * len(w) for w in labelled if len(w) >= 3)


def draw(
    seed: int, quotas: dict[str, int], csv_path: Path = ITEMS_CSV, overlap: float = 0.7
) -> list[tuple[int, dict[str, str]]]:
    with csv_path.open(encoding="utf-8", newline="") as f:
        rows = list(enumerate(csv.DictReader(f), 2))  # csv line numbers, header is line 1
    labelled = labelled_word_sets()
    rng = random.Random(seed)
    out: list[tuple[int, dict[str, str]]] = []
    for framework, quota in quotas.items():
        pool = [(n, r) for n, r in rows if r["framework"] == framework]
        rng.shuffle(pool)
        taken = 0
        for n, r in pool:
            if taken == quota:
                break
            if not already_labelled(words(r["text"]), labelled, overlap):
                out.append((n, r))
                taken += 1
    return out


def draw_unstratified(seed: int, n: int, skip: int = 0, csv_path: Path = ITEMS_CSV) -> list[tuple[int, dict[str, str]]]:
    with csv_path.open(encoding="utf-8", newline="") as f:
        rows = list(enumerate(csv.DictReader(f), 2))
    labelled = [w for w in labelled_word_sets() if len(w) >= 3]
    seen: set[str] = set()
    fresh: list[tuple[int, dict[str, str]]] = []
    for n_row, r in rows:
        text = " ".join(r["text"].split())
        row_words = words(text)
        if text.lower() in seen or len(row_words) < 3:
            continue
        seen.add(text.lower())
        if any(len(w & row_words) >= 0.8 * len(w) and len(w & row_words) >= 0.5 * len(row_words) for w in labelled):
            continue
        fresh.append((n_row, {**r, "text": text}))
    random.Random(seed).shuffle(fresh)
    return sorted(fresh[skip : skip + n], key=lambda row: row[0])


def main(argv: list[str]) -> int:
    options = {"--csv": str(ITEMS_CSV), "--overlap": "0.7"}
    for name in options:
        if name in argv:
            i = argv.index(name)
            options[name] = argv[i + 1]
            argv = argv[:i] + argv[i + 2 :]
    if "--unstratified" in argv:
        i = argv.index("--unstratified")
        skip = int(argv[argv.index("--skip") + 1]) if "--skip" in argv else 0
        drawn = draw_unstratified(int(argv[0]), int(argv[i + 1]), skip, Path(options["--csv"]))
    else:
        seed, quotas = int(argv[0]), {k: int(v) for k, v in (a.split("=") for a in argv[1:])}
        drawn = draw(seed, quotas, Path(options["--csv"]), float(options["--overlap"]))
    for n, r in drawn:
        sys.stdout.write(f"{r['framework']}\t{n}\t{' '.join(r['text'].split())}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
