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
    readings = themes_eval.load_items(themes_eval.READERS)
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


def test_readers_per_theme_against_the_test_labels(tmp_path):
    items = [{"text": "one", "themes": ["x"]}, {"text": "two", "themes": ["y"]}]
    path = _readings(tmp_path, a=[["x"], ["y", "x"]], b=[["w"], ["y"]])
    rows = themes_eval.readers_on_themes(items, ["x", "y"], path)
    assert rows == [("x", (0.5, 1.0), (1.0, 0.0)), ("y", (1.0, 1.0), (1.0, 1.0))]


def test_readings_of_other_texts_are_refused(tmp_path):
    items = [{"text": "one", "themes": []}, {"text": "three", "themes": []}]
    with pytest.raises(ValueError, match="not the test set"):
        themes_eval.reader_agreement(_Fixed(), items, _readings(tmp_path, [[], []], [[], []]))  # type: ignore[arg-type]


def test_no_readings_file_means_no_rows(tmp_path):
    assert themes_eval.reader_agreement(_Fixed(), [], tmp_path / "absent.yaml") == []  # type: ignore[arg-type]


# --- the third round's fresh batches: eighteen random draws, some tuned on, the rest held out ------


def _fresh() -> list[dict]:
    items = themes_eval.fresh_items()
    if not items:
        pytest.skip(f"the fresh batches' texts come from {themes_eval.DEFAULT_SHARED}/domain-data, not found")
    return items


def _csv(folder: Path, texts: list[str]) -> Path:
    (folder / "domain-data").mkdir(parents=True)
    lines = ["urn,la,framework,publication_date,item_no,text,themes,source_file"]
    lines += [f'1,x,FV,2020-01-01,{n},"{t}",,x.txt' for n, t in enumerate(texts, 1)]
    (folder / "domain-data" / "what_needs_to_improve_items.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _sha(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def test_fresh_texts_come_back_from_the_csv_whole_or_cut(tmp_path):
    shared = _csv(tmp_path / "shared", ["Supervision   of\nstaff.", "The quality of plans. 7 Page heading"])
    labels = tmp_path / "fresh.yaml"
    labels.write_text(yaml.safe_dump({"items": [
        {"row": 2, "batch": 1, "framework": "FV", "sha256": _sha("Supervision of staff."), "themes": ["supervision"]},
        {"row": 3, "batch": themes_eval.HELD_OUT_BATCHES[0], "framework": "FV", "cut": [[0, 21]], "sha256": _sha("The quality of plans."),
         "themes": ["plans_quality"]},
    ]}), encoding="utf-8")
    got = themes_eval.fresh_items(labels, shared)
    assert [i["text"] for i in got] == ["Supervision of staff.", "The quality of plans."]
    assert [i["text"] for i in themes_eval.held_out_items(labels, shared)] == ["The quality of plans."]
    assert themes_eval.fresh_items(labels, tmp_path / "nowhere") == []  # no csv: nothing to measure, no error


def test_a_changed_csv_row_is_an_error_naming_the_row(tmp_path):
    shared = _csv(tmp_path / "shared", ["The quality of audits."])
    labels = tmp_path / "fresh.yaml"
    labels.write_text(yaml.safe_dump({"items": [
        {"row": 2, "batch": 1, "framework": "FV", "sha256": _sha("The quality of supervision."), "themes": []}]}),
        encoding="utf-8")
    with pytest.raises(ValueError, match="row 2 of the items csv no longer holds"):
        themes_eval.fresh_items(labels, shared)
    labels.write_text(yaml.safe_dump({"items": [{"row": 9, "batch": 1, "framework": "FV", "sha256": "0", "themes": []}]}),
                      encoding="utf-8")
    with pytest.raises(ValueError, match="row 9 is not in the items csv"):
        themes_eval.fresh_items(labels, shared)


READ_TWICE = {7, 17, 18}  # batches two readers labelled apart


def test_fresh_batches_are_well_formed_and_apart_from_the_test_set():
    tax = load_taxonomy()
    items = _fresh()
    assert Counter(i["batch"] for i in items) == {**{k: 200 for k in range(1, 17)}, 17: 158, 18: 157}  # the last 315 rows
    assert len({i["row"] for i in items}) == len(items), "a csv row drawn twice"
    for item in items:
        second = {"second_reader"} if item["batch"] in READ_TWICE else set()
        stored = {"row", "batch", "framework", "sha256", "themes", "text"} | second  # text put back from the csv
        assert stored <= set(item) <= stored | {"cut"}, item
        assert item["text"].strip() and item["framework"] in {"ILACS", "FV", "SIF", "LAC2013"}, item
        assert item["themes"] == sorted(set(item["themes"]), key=tax.ids.index), item
    test_texts = {normalise(i["text"]).lower() for i in themes_eval.load_items()}
    assert not [i["row"] for i in items if normalise(i["text"]).lower() in test_texts]


def test_held_out_batches_are_the_ones_never_tuned_on():
    held = themes_eval.held_out_items()
    assert {i["batch"] for i in held} == set(themes_eval.HELD_OUT_BATCHES)
    assert len(held) == sum({17: 158, 18: 157}.get(b, 200) for b in themes_eval.HELD_OUT_BATCHES)


def test_second_reading_is_counted_against_the_first():
    n, p, r = themes_eval.second_reading_agreement()  # type: ignore[misc]
    assert n == 200 + 158 + 157 and 0.0 < p <= 1.0 and 0.0 < r <= 1.0


def test_tuned_fresh_batches_have_not_regressed():
    # a floor under the rules on the ten batches they were tuned on (rounds 3 to 5)
    items = [i for i in _fresh() if i["batch"] not in themes_eval.HELD_OUT_BATCHES]
    s = themes_eval.score(load_taxonomy(), items)
    print(f"\ntuned fresh batches: precision {s.precision:.3f}, recall {s.recall:.3f} on {s.items} items")
    assert s.precision >= 0.93 and s.recall >= 0.93, (s.precision, s.recall)


def test_a_label_file_naming_rows_needs_the_csv(tmp_path):
    labels = tmp_path / "labels.yaml"
    labels.write_text(yaml.safe_dump({"items": [
        {"text": "Written by the team.", "framework": "FV", "themes": []},
        {"row": 2, "sha256": "0", "framework": "FV", "themes": []}]}), encoding="utf-8")
    with pytest.raises(themes_eval.MissingTexts, match="labels.yaml: its texts come from the items csv"):
        themes_eval.load_items(labels, tmp_path / "nowhere")
    assert themes_eval.fresh_items(labels, tmp_path / "nowhere") == []


# --- corpus-store items nobody tuned on: keys only, texts found in the store ---------------


def test_corpus_labels_keep_no_text_and_name_known_themes():
    items = yaml.safe_load(themes_eval.CORPUS.read_text(encoding="utf-8"))["items"]
    ids = set(load_taxonomy().ids)
    assert len(items) >= 150 and len({i["key"] for i in items}) == len(items)
    for item in items:
        assert set(item) == {"key", "framework", "reader_a", "reader_b"}, item  # the reports' words stay out
        assert len(item["key"]) == 16 and set(item["reader_a"]) | set(item["reader_b"]) <= ids, item


def test_corpus_readings_put_texts_back_by_key_and_count_the_missing(tmp_path):
    path = tmp_path / "corpus.yaml"
    items = [{"key": themes_eval.text_key("Improve  plans."), "framework": "sif", "reader_a": ["x"], "reader_b": ["x"]},
             {"key": "0" * 16, "framework": "jtai", "reader_a": [], "reader_b": []}]
    path.write_text(yaml.safe_dump({"items": items}), encoding="utf-8")
    found, missing = themes_eval.corpus_readings(["Improve plans.", "Something else."], path)
    assert [i["text"] for i in found] == ["Improve plans."] and missing == 1
    assert themes_eval.corpus_readings(["x"], tmp_path / "absent.yaml") == ([], 0)


def test_bootstrap_intervals_bracket_the_measure_and_pair_the_draws() -> None:
    from tests.themes_eval import intervals, micro

    gold = [{"a"}, {"b"}, {"a", "b"}, {"c"}] * 10
    half = [{"a"}, set(), {"a"}, {"c", "d"}] * 10
    spread = intervals(gold, {"same": gold, "half": half, "again": gold}, rounds=300)
    assert spread["precision"]["same"] == (1.0, 1.0) and spread["recall"]["same"] == (1.0, 1.0)
    p, r = micro(gold, half)
    low, high = spread["precision"]["half"]
    assert low <= p <= high and low < high
    low, high = spread["recall"]["half"]
    assert low <= r <= high and low < high
    assert spread["f_minus"]["again"] == (0.0, 0.0)  # the same draws for every labelling
    assert spread["f_minus"]["half"][0] > 0
