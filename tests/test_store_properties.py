"""Property test: a valid authority file mutated at random (types, missing and unknown keys,
anchors and aliases, deep nesting, unicode and control characters, sizes) never makes a
view or an ingest print a traceback, exit 3, take more than 10 s or write to that file.

Each example copies a small hand-written store, replaces one value of Hillingdon's file
(or deletes a key, or adds one) with a raw YAML fragment, then runs every view in process
(typer's CliRunner) and an ingest of a Hillingdon letter into it.
"""

from __future__ import annotations

import datetime as dt
import resource
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ofstl.cli import app
from tests import docgen
from tests.fixture_store import make_store

ENV = {"COLUMNS": "100", "NO_COLOR": "1"}
TOKEN = "ZZ_MUTATION_ZZ"
VIEWS = [["list"], ["export"], ["export", "-f", "csv"], ["themes"], ["timeline", "hillingdon"], ["timeline", "hillingdon", "-f", "json"],
         ["timeline", "hillingdon", "-f", "csv"], ["diff", "hillingdon"], ["show", "hillingdon"], ["show", "hillingdon", "2013", "-f", "markdown"],
         ["show", "hillingdon", "-f", "json"]]

BOMB = "".join(f"b{i}: &b{i} [{', '.join([f'*b{i - 1}'] * 9) if i else 'x, x, x, x, x, x, x, x, x'}]\n" for i in range(10))

FRAGMENTS = st.one_of(
    st.sampled_from([
        "null", "~", "[]", "{}", "''", "2013-11-25", "2013-11-25 10:00:00", "yes", "no", "1e400", ".nan", ".inf", "0x1F", "-7",
        "12345678901234567890123", "3.5", "[good]", "{grade: good}", "{grade: null}", "{grade: goood}", "{grade: 3}",
        "'requires improvement'", "!!binary aGVsbG8=", "!!python/object/apply:os.system ['echo hi']", "!!set {a, b}",
        "!!timestamp 2001-12-14", "&anchor [1, 2]", "*undefined", "{a: &x [1], b: *x}", "[*b9]", "*b9", "<<: {a: 1}",
        "'\x1b]0;title\x07\x1b[2J'", '"\\x9b31m\\u202e"', "'line\nbreak'", "{? [a, b] : c}", "{1: one}", "[[[[[[[[[[]]]]]]]]]]",
    ]),
    st.integers(min_value=1, max_value=3000).map(lambda n: "[" * n + "]" * n),
    st.integers(min_value=1, max_value=400).map(lambda n: "{a: " * n + "1" + "}" * n),
    st.integers(min_value=0, max_value=2_000_000).map(lambda n: "'" + "x" * n + "'"),
    st.text(max_size=40).map(lambda t: yaml.safe_dump(t).strip().removesuffix("...").strip()),
)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _paths(value, prefix + (index,))
    return out


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("base")
    store = make_store(root / "store")
    docs = root / "docs"
    docs.mkdir()
    (docs / "fv.txt").write_text(docgen.focused_visit_letter("Hillingdon", dt.date(2021, 6, 8), seed=3), encoding="utf-8")
    return store, docs


def mutate(data: dict[str, Any], path: tuple, action: str, key: str) -> str:
    """The file's text with the value at ``path`` replaced by TOKEN (or deleted, or a key
    added beside it); the TOKEN is then swapped for a raw YAML fragment."""
    parent: Any = data
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if action == "delete" and isinstance(parent, dict):
        del parent[last]
    elif action == "add" and isinstance(parent, dict):
        parent[key] = TOKEN
    else:
        parent[last] = TOKEN
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10**9)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_a_mutated_store_file_never_breaks_a_view_or_an_ingest(base: tuple[Path, Path], data: st.DataObject) -> None:
    store_base, docs = base
    original = yaml.safe_load((store_base / "authorities" / "hillingdon.yaml").read_text(encoding="utf-8"))
    paths = _paths(original)
    path = data.draw(st.sampled_from(paths), label="path")
    action = data.draw(st.sampled_from(["replace", "replace", "delete", "add"]), label="action")
    key = data.draw(st.sampled_from(["note", "id", "grade", "x" * 300, "judgements", "\x1b[2J"]), label="key")
    fragment = data.draw(FRAGMENTS, label="fragment")
    text = mutate(original, path, action, key)
    if TOKEN in text:
        if fragment.startswith("*b9") or fragment == "[*b9]":
            text = BOMB + text
        indent = text.split(TOKEN)[0].rsplit("\n", 1)[-1]
        # A block fragment keeps its lines under the key; a flow or scalar one stays inline.
        text = text.replace(f"'{TOKEN}'", TOKEN).replace(TOKEN, fragment.replace("\n", "\n" + " " * (len(indent) + 2)), 1)
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        shutil.copytree(store_base, store)
        target = store / "authorities" / "hillingdon.yaml"
        target.write_text(text, encoding="utf-8")
        written = target.read_bytes()
        for view in VIEWS + [["ingest", str(docs), "-j", "1"]]:
            started = time.monotonic()
            result = CliRunner().invoke(app, ["--store", str(store), *view], env=ENV)
            elapsed = time.monotonic() - started
            assert result.exception is None or isinstance(result.exception, SystemExit), (view, repr(result.exception))
            assert result.exit_code in (0, 1, 2), (view, result.exit_code, result.stderr)
            assert "Traceback" not in result.stderr and "internal error" not in result.stderr, (view, result.stderr)
            assert elapsed < 10, (view, elapsed)
            if result.exit_code == 1 and view[0] != "ingest" and "hillingdon" in view:
                assert "hillingdon.yaml" in result.stderr and len(result.stderr.strip().splitlines()) <= 2, result.stderr
            if text != (store_base / "authorities" / "hillingdon.yaml").read_text(encoding="utf-8"):
                assert target.read_bytes() == written, view  # a hand-edited file is never written
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < 1024 * 1024  # KB: under 1 GB
