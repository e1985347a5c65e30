"""Compare the theme rules with a learned model on items the rules were never tuned on.

Why this exists: ofstl/themes.py keeps hand-written rules rather than a learned model because a
model did not score better on unseen items; this script is that measurement, so anyone can
repeat it when the labels grow. It trains one logistic regression per theme (scikit-learn, not a
dependency of ofstl: `pip install scikit-learn`) over an item's words, word pairs and the rules'
own hits, and prints precision and recall for the rules and for the model at a few thresholds:

    python docs/compare_theme_model.py           # trained on tests/data/theme_labels.yaml and the
                                                 # fresh batches tuned on; scored on those held out
    python docs/compare_theme_model.py --cv      # one fold per held-out batch: each scored by a
                                                 # model trained on everything else (more labels)
    python docs/compare_theme_model.py --test    # trained on every label; scored on the test set

`--patterns` (with any of these) also gives the model each rule pattern's own hits and where the
first of a theme's hits falls (the first sentence, a purpose clause such as "so that ...", or a
later sentence), so it can learn which patterns and places readers discount. It also prints the
rules' tags kept only where the model gives them at least a small probability (the model as a
veto). Neither moved the held-out measure by more than a point (issue 14, fifth session).

The fresh batches' texts come from ../shared/domain-data/what_needs_to_improve_items.csv.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ofstl.themes import load_taxonomy, normalise, uncovered_spans  # noqa: E402
from tests.themes_eval import HELD_OUT_BATCHES, fresh_items, load_items, micro  # noqa: E402

WORD = re.compile(r"[a-z0-9]+")
THRESHOLDS = (0.3, 0.4, 0.5)
VETO_THRESHOLDS = (0.05, 0.1, 0.2)
PURPOSE = re.compile(r"\b(?:so that|in order to|in order that|to ensure|to make sure|so as to|which will|to enable|to support|to inform|to help|to reduce|to prevent|to improve)\b")
SENTENCE_END = re.compile(r"(?<=[a-z0-9)])\. +(?=[A-Z])")
PATTERNS = "--patterns" in sys.argv


def features(tax, text: str, with_rules: bool) -> set[str]:
    t = tax.plain(text)
    words = WORD.findall(t.lower())
    found = set(words) | {f"{a}_{b}" for a, b in zip(words, words[1:])}
    if with_rules:
        found |= {f"rule:{theme}" for theme in tax.tag(text)}
    if with_rules and PATTERNS:
        found |= pattern_features(tax, t)
    return found


def pattern_features(tax, plain: str) -> set[str]:
    """Each match pattern that hits uncovered by an exclude, and where a theme's first hit falls."""
    purpose = PURPOSE.search(plain)
    sentence = SENTENCE_END.search(plain)
    purpose_at = purpose.start() if purpose else len(plain)
    sentence_at = sentence.start() if sentence else len(plain)
    found = set()
    for theme in tax.themes:
        excludes = [(rx, plain) for rx in theme.exclude]
        starts = []
        for n, rx in enumerate(theme.match):
            spans = uncovered_spans([(rx, plain)], excludes)
            if spans:
                found.add(f"pattern:{theme.id}:{n}")
                starts += [a for a, _ in spans]
        if starts:
            first = min(starts)
            place = "main" if first < min(purpose_at, sentence_at) else "purpose" if purpose_at <= sentence_at else "later"
            found.add(f"place:{theme.id}:{place}")
    return found


def probabilities(tax, train: list[dict[str, Any]], test: list[dict[str, Any]], with_rules: bool):
    """Per test item and theme, the model's probability (themes with no positive example: 0)."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    found = {id(i): features(tax, i["text"], with_rules) for i in train + test}
    counts = Counter(f for i in train for f in found[id(i)])
    vocab = {f: n for n, f in enumerate(sorted(f for f, c in counts.items() if c >= 2))}

    def matrix(items):
        rows, cols = [], []
        for n, i in enumerate(items):
            for f in found[id(i)]:
                if f in vocab:
                    rows.append(n)
                    cols.append(vocab[f])
        return csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(items), len(vocab)))

    x_train, x_test = matrix(train), matrix(test)
    prob = np.zeros((len(test), len(tax.ids)))
    for j, theme in enumerate(tax.ids):
        y = np.array([theme in i["themes"] for i in train])
        if 0 < y.sum() < len(y):
            prob[:, j] = LogisticRegression(C=4.0, max_iter=3000).fit(x_train, y).predict_proba(x_test)[:, 1]
    return prob


def report(tax, test: list[dict[str, Any]], probs: dict[str, Any]) -> None:
    import numpy as np

    gold = [set(i["themes"]) for i in test]
    p, r = micro(gold, [set(tax.tag(i["text"])) for i in test])
    print(f"{'rules':28s} P {p:.3f}  R {r:.3f}  F {2 * p * r / (p + r):.3f}")
    for name, prob in probs.items():
        for threshold in THRESHOLDS:
            got = [{tax.ids[j] for j in np.flatnonzero(row >= threshold)} for row in prob]
            p, r = micro(gold, got)
            print(f"{name + f' p>={threshold}':28s} P {p:.3f}  R {r:.3f}  F {2 * p * r / (p + r):.3f}")
        if PATTERNS:
            column = {theme: j for j, theme in enumerate(tax.ids)}
            for threshold in VETO_THRESHOLDS:
                got = [{t for t in tax.tag(i["text"]) if row[column[t]] >= threshold} for i, row in zip(test, prob)]
                p, r = micro(gold, got)
                print(f"{'rules, ' + name + f' veto <{threshold}':28s} P {p:.3f}  R {r:.3f}  F {2 * p * r / (p + r):.3f}")


def main(argv: list[str]) -> int:
    import numpy as np

    tax = load_taxonomy()
    fresh = fresh_items()
    if not fresh:
        sys.exit("the fresh batches' texts come from ../shared/domain-data/what_needs_to_improve_items.csv: not found")
    older = load_items(ROOT / "tests" / "data" / "theme_labels.yaml")
    tuned = older + [i for i in fresh if i["batch"] not in HELD_OUT_BATCHES]
    held = [i for i in fresh if i["batch"] in HELD_OUT_BATCHES]
    if "--test" in argv:
        train, test = older + fresh, load_items()
        print(f"{len(train)} training items (every label), the {len(test)}-item test set")
        report(tax, test, {"model": probabilities(tax, train, test, True)})
        return 0
    if "--cv" in argv:
        test, parts = [], []
        for batch in HELD_OUT_BATCHES:
            fold = [i for i in held if i["batch"] == batch]
            parts.append(probabilities(tax, tuned + [i for i in held if i["batch"] != batch], fold, True))
            test += fold
        folds = len(HELD_OUT_BATCHES)
        print(f"{len(test)} held-out items, {folds} folds, each model trained on ~{len(tuned) + len(held) * (folds - 1) // folds} items")
        report(tax, test, {"model": np.vstack(parts)})
        return 0
    print(f"{len(tuned)} training items, {len(held)} held out")
    report(tax, held, {"model": probabilities(tax, tuned, held, True),
                       "model (words only)": probabilities(tax, tuned, held, False)})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
