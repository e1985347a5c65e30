"""Tests for the theme measures of `make themes-eval`: the readings of the fresh test set.

Why this exists: the agreement between readers is what says how high any tagger can score against
one reader's labels, so the second and third readings must stay aligned with the test set, and
the agreement figures must count what they say; the third round's fresh batches must stay apart
from the test set, and the four held out of tuning must stay the ones `make themes-eval` scores.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from ofstl.themes import load_taxonomy, normalise
from tests import themes_eval


def test_readings_cover_the_test_set_in_its_order_with_known_themes():
    tax, items = load_taxonomy(), themes_eval.load_items()
    readings = yaml.safe_load(themes_eval.READERS.read_text(encoding="utf-8"))["items"]
    assert len(readings) == len(items)
    for reading, item in zip(readings, items):
        assert " ".join(reading["text"].split()) == " ".join(item["text"].split())
        assert set(reading["reader_a"]) | set(reading["reader_b"]) <= set(tax.ids), reading
    rows = themes_eval.reader_agreement(tax, items)
    assert [name for name, _, _ in rows][:3] == [
        "reader A against the test labels", "reader B against the test labels", "reader B against reader A"]
    assert all(0.0 <= p <= 1.0 and 0.0 <= r <= 1.0 for _, p, r in rows)


class _Fixed:  # a tagger whose answers are known
    def tag(self, text: str) -> list[str]:
        return {"one": ["x"], "two": ["y", "z"]}[text]


def _readings(tmp_path: Path, a: list[list[str]], b: list[list[str]]) -> Path:
    path = tmp_path / "readers.yaml"
    items = [{"text": t, "reader_a": x, "reader_b": y} for t, x, y in zip(["one", "two"], a, b)]
    path.write_text(yaml.safe_dump({"items": items}), encoding="utf-8")
    return path


def test_agreement_counts_and_majority(tmp_path):
    items = [{"text": "one", "themes": ["x"]}, {"text": "two", "themes": ["y"]}]
    path = _readings(tmp_path, a=[["x"], ["y", "z"]], b=[["w"], ["z"]])
    got = dict((name, (p, r)) for name, p, r in themes_eval.reader_agreement(_Fixed(), items, path))  # type: ignore[arg-type]
    assert got["reader A against the test labels"] == (2 / 3, 1.0)  # x, y right; z extra
    assert got["reader B against reader A"] == (0.5, 1 / 3)  # only z shared
    # majority: one -> {x} (test + A), two -> {y, z} (y: test + A, z: A + B); the tagger gives x, y, z
    assert got["tagger against the majority of three"] == (1.0, 1.0)


def test_readings_of_other_texts_are_refused(tmp_path):
    items = [{"text": "one", "themes": []}, {"text": "three", "themes": []}]
    with pytest.raises(ValueError, match="not the test set"):
        themes_eval.reader_agreement(_Fixed(), items, _readings(tmp_path, [[], []], [[], []]))  # type: ignore[arg-type]


def test_no_readings_file_means_no_rows(tmp_path):
    assert themes_eval.reader_agreement(_Fixed(), [], tmp_path / "absent.yaml") == []  # type: ignore[arg-type]


# --- the third round's fresh batches: sixteen random draws, ten tuned on, six held out ----------


def test_fresh_batches_are_well_formed_and_apart_from_the_test_set():
    tax = load_taxonomy()
    items = yaml.safe_load(themes_eval.FRESH.read_text(encoding="utf-8"))["items"]
    assert Counter(i["batch"] for i in items) == {k: 200 for k in range(1, 17)}
    assert len({i["row"] for i in items}) == len(items), "a csv row drawn twice"
    for item in items:
        second = {"second_reader"} if item["batch"] == 7 else set()  # batch 7 was read twice
        assert set(item) == {"row", "batch", "framework", "text", "themes"} | second, item
        assert item["text"].strip() and item["framework"] in {"ILACS", "FV", "SIF", "LAC2013"}, item
        assert item["themes"] == sorted(set(item["themes"]), key=tax.ids.index), item
    test_texts = {normalise(i["text"]).lower() for i in themes_eval.load_items()}
    assert not [i["row"] for i in items if normalise(i["text"]).lower() in test_texts]


def test_held_out_batches_are_the_six_never_tuned_on():
    held = themes_eval.held_out_items()
    assert len(held) == 1200 and {i["batch"] for i in held} == set(themes_eval.HELD_OUT_BATCHES)


def test_second_reading_is_counted_against_the_first():
    n, p, r = themes_eval.second_reading_agreement()  # type: ignore[misc]
    assert n == 200 and 0.0 < p <= 1.0 and 0.0 < r <= 1.0


def test_tuned_fresh_batches_have_not_regressed():
    # a floor under the rules on the ten batches they were tuned on (rounds 3 to 5)
    items = [i for i in yaml.safe_load(themes_eval.FRESH.read_text(encoding="utf-8"))["items"]
             if i["batch"] not in themes_eval.HELD_OUT_BATCHES]
    s = themes_eval.score(load_taxonomy(), items)
    print(f"\ntuned fresh batches: precision {s.precision:.3f}, recall {s.recall:.3f} on {s.items} items")
    assert s.precision >= 0.93 and s.recall >= 0.93, (s.precision, s.recall)
