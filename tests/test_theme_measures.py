"""Tests for the theme measures of `make themes-eval`: the readings of the fresh test set.

Why this exists: the agreement between readers is what says how high any tagger can score against
one reader's labels, so the second and third readings must stay aligned with the test set, and
the agreement figures must count what they say.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ofstl.themes import load_taxonomy
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
