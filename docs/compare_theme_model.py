"""Compare the theme rules with a learned model on the fresh batches no rule was tuned on.

Why this exists: ofstl/themes.py keeps hand-written rules rather than a learned model because a
model did not score better on unseen items; this script is that measurement, so anyone can
repeat it when the labels grow. It trains one logistic regression per theme (scikit-learn, not a
dependency of ofstl: `pip install scikit-learn`) over an item's words, word pairs and the rules'
own hits, on tests/data/theme_labels.yaml plus the fresh batches that are not held out, and
prints precision and recall on the held-out batches for the rules, the model at a few
thresholds, and the model without the rules' hits.

    python docs/compare_theme_model.py
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ofstl.themes import load_taxonomy, normalise  # noqa: E402
from tests.themes_eval import HELD_OUT_BATCHES, fresh_items, load_items, micro  # noqa: E402

WORD = re.compile(r"[a-z0-9]+")


def features(tax, text: str, with_rules: bool) -> set[str]:
    t = normalise(text)
    if tax.ignore is not None:
        t = tax.ignore.sub(" ", t)
    words = WORD.findall(t.lower())
    found = set(words) | {f"{a}_{b}" for a, b in zip(words, words[1:])}
    if with_rules:
        found |= {f"rule:{theme}" for theme in tax.tag(text)}
    return found


def main() -> int:
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    tax = load_taxonomy()
    fresh = fresh_items()  # texts from ../shared's items csv
    if not fresh:
        sys.exit("the fresh batches' texts come from ../shared/domain-data/what_needs_to_improve_items.csv: not found")
    older = load_items(ROOT / "tests" / "data" / "theme_labels.yaml")
    train = older + [i for i in fresh if i["batch"] not in HELD_OUT_BATCHES]
    test = [i for i in fresh if i["batch"] in HELD_OUT_BATCHES]
    gold = [set(i["themes"]) for i in test]
    p, r = micro(gold, [set(tax.tag(i["text"])) for i in test])
    print(f"{len(train)} training items, {len(test)} held out")
    print(f"rules                      P {p:.3f}  R {r:.3f}")
    for with_rules in (True, False):
        counts = Counter(f for i in train for f in features(tax, i["text"], with_rules))
        vocab = {f: n for n, f in enumerate(sorted(f for f, c in counts.items() if c >= 2))}

        def matrix(items):
            rows, cols = [], []
            for n, i in enumerate(items):
                for f in features(tax, i["text"], with_rules):
                    if f in vocab:
                        rows.append(n)
                        cols.append(vocab[f])
            return csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(items), len(vocab)))

        x_train, x_test = matrix(train), matrix(test)
        prob = np.zeros((len(test), len(tax.ids)))
        for j, theme in enumerate(tax.ids):
            y = np.array([theme in i["themes"] for i in train])
            if 0 < y.sum() < len(y):
                prob[:, j] = LogisticRegression(C=4.0, max_iter=2000).fit(x_train, y).predict_proba(x_test)[:, 1]
        for threshold in (0.3, 0.4, 0.5):
            got = [{tax.ids[j] for j in np.flatnonzero(row >= threshold)} for row in prob]
            p, r = micro(gold, got)
            name = f"model{'' if with_rules else ' (words only)'} p>={threshold}"
            print(f"{name:26s} P {p:.3f}  R {r:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
