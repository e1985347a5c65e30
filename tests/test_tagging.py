"""`ofstl themes --tag`: users tag their own items with the taxonomy (ofstl.tagging)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from typer.testing import CliRunner

from ofstl.cli import app
from ofstl.errors import UsageError
from ofstl.tagging import ReadItems, parse_items, tag_items
from tests.test_cli import ENV, run

ITEMS = (
    "Quality of care plans and supervision.\n"
    "\n"
    '{"text": "Caseloads in the assessment team.", "id": 7}\n'
    "Areas for improvement\n"
)


def test_parse_items_reads_lines_and_json_lines():
    assert parse_items(ITEMS) == ReadItems([
        "Quality of care plans and supervision.",
        "Caseloads in the assessment team.",
        "Areas for improvement",
    ], [])
    assert parse_items("\ufeffOne item\r\n  \r\n").items == ["One item"]
    assert parse_items(b"\xef\xbb\xbfOne item\r\n").items == ["One item"]
    assert parse_items("") == ReadItems([], [])


@pytest.mark.parametrize(
    ("line", "problem"),
    [('{"text": ', "line 2: not valid JSON"), ('{"action": "x"}', 'line 2: a JSON line needs a "text"'),
     ('{"text": 3}', 'a JSON line needs a "text"'), (b"caf\xe9 culture", "line 2: not UTF-8 text (byte 0xe9 at column 4)"),
     (b"good \x00 bad", "line 2: holds a NUL byte (binary data, not text) at column 6"),
     ('{"text": "a\\u0000b"}', 'line 2: its "text" holds a NUL character'),
     ('["Caseloads", "Supervision"]', 'line 2: a JSON line must be an object with a "text" field, not an array')],
)
def test_a_bad_line_is_a_problem_naming_it_and_the_other_lines_are_read(line, problem):
    # the other lines are UTF-8 ("café" below): a file with no UTF-8 at all is Windows-1252
    data = "fine\n".encode() + line + "\ncafé\n".encode() if isinstance(line, bytes) else "fine\n" + line + "\ncafé\n"
    read = parse_items(data, "plan.jsonl")
    assert read.items == ["fine", "café"]
    assert len(read.problems) == 1 and read.problems[0].startswith("plan.jsonl: ") and problem in read.problems[0]


def test_an_item_opening_with_a_bracket_is_an_item_unless_the_line_is_a_json_array():
    assert parse_items('[Draft] Caseloads in the assessment team.\n[1, 2]\n') == ReadItems(
        ["[Draft] Caseloads in the assessment team."], ['input: line 2: a JSON line must be an object with a "text" field, not an array'])


def test_a_line_longer_than_any_item_is_a_problem_not_minutes_of_tagging():
    from ofstl.tagging import MAX_ITEM_CHARS

    whole = "Case recording is poor. " * 10_000  # a document pasted onto one line
    read = parse_items(f"Caseloads.\n{whole}\n{{\"text\": \"{whole}\"}}\n{'x' * MAX_ITEM_CHARS}\n", "plan.txt")
    assert read.items == ["Caseloads.", "x" * MAX_ITEM_CHARS]
    assert read.problems == [f"plan.txt: line {n}: {len(whole.strip()) + (n == 3):,} characters, more than an item has (at most 10,000): one item a line?"
                             for n in (2, 3)]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig", "cp1252"])
def test_a_file_saved_as_unicode_or_windows_1252_is_read_as_text(encoding):
    # Notepad's "Unicode" and Excel's "Unicode text" are UTF-16 (with or without a mark);
    # Excel's plain "Text" is Windows-1252. ingest reads them all: one NUL byte rejected the file.
    text = "Caf\u00e9 culture \u2013 supervision\r\n\r\n{\"text\": \"Caseloads \u2019high\u2019\"}\r\nLast line"
    assert parse_items(text.encode(encoding), "plan.txt") == ReadItems(
        ["Caf\u00e9 culture \u2013 supervision", "Caseloads \u2019high\u2019", "Last line"], [])


@pytest.mark.parametrize(("data", "what"), [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "it is a PDF, not text"),
    (b"PK\x03\x04\x14\x00\x06\x00", "it is a zip file (a Word or Excel file?), not text"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "it is an old Word or Excel file, not text"),
    (b"x\x00y\x01\nab\x00\x02\n\x00\x00\x00\nfine\n", "binary data, not text (3 of its 4 lines hold NUL bytes)"),
])
def test_a_file_that_is_not_text_is_one_usage_error_saying_what_it_is(data, what):
    # a newcomer gives the action plan itself (plan.xlsx, plan.docx, the report's PDF)
    with pytest.raises(UsageError, match=re.escape(f"plan.txt: cannot read items: {what}")) as caught:
        parse_items(data, "plan.txt")
    assert "plain text, one a line" in (caught.value.hint or "")


def test_one_nul_byte_costs_its_line_only_wherever_it_is():
    lines = [f"Item {n} \u2013 caseloads" for n in range(1, 8)]
    for bad in range(len(lines)):
        data = "\r\n".join(lines).encode()
        data = data.replace(f"Item {bad + 1} ".encode(), f"Item {bad + 1} \x00".encode())
        read = parse_items(data, "plan.txt")
        assert read.items == lines[:bad] + lines[bad + 1:]
        assert read.problems == [f"plan.txt: line {bad + 1}: holds a NUL byte (binary data, not text) at column {len(f'Item {bad + 1} ') + 1}"]


def test_line_numbers_are_an_editors_whatever_the_line_ends():
    # a form feed or a Unicode line separator inside an item is not a new line
    read = parse_items("one\r\ntwo\rthree\u2028still three\x0cand four\n{bad\n".encode("utf-16"), "p")
    assert read.items == ["one", "two", "three\u2028still three\x0cand four"] and read.problems[0].startswith("p: line 4: ")


# one line: printable text with no line break; the file: such lines, ends as Windows or Unix
# write them, a byte-order mark or none, one line spoilt by a NUL byte or by bytes not UTF-8
item_text = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="{[\ufeff"), min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(st.lists(item_text.filter(str.strip), min_size=1, max_size=12), st.data())
def test_one_spoilt_line_is_named_and_every_other_line_is_an_item(good, data):
    bad_at = data.draw(st.integers(0, len(good)), label="bad line index")
    spoil = data.draw(st.sampled_from([b"\x00", b"\xff\xfe\xfd", b"\xc3", b"\xed\xa0\x80"]), label="spoiling bytes")
    end = data.draw(st.sampled_from([b"\n", b"\r\n"]), label="line end")
    bom = data.draw(st.sampled_from([b"", b"\xef\xbb\xbf"]), label="byte-order mark")
    lines = [line.encode() for line in good]
    lines.insert(bad_at, b"spoilt " + spoil + b" line")
    lines.append("caf\u00e9".encode())  # UTF-8 elsewhere in the file: the spoilt line is not Windows-1252
    read = parse_items(bom + end.join(lines) + end, "plan.txt")
    assert read.items == [line.strip() for line in good] + ["caf\u00e9"]
    assert len(read.problems) == 1 and read.problems[0].startswith(f"plan.txt: line {bad_at + 1}: ")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_items_and_problems_or_one_usage_error(data):
    try:
        read = parse_items(data, "x")
    except UsageError as e:
        assert "\n" not in e.message
        return
    assert all(isinstance(i, str) and i.strip() for i in read.items)
    assert all(p.startswith("x: line ") and "\n" not in p for p in read.problems)


def test_tag_items_keeps_order_and_text():
    got = tag_items(["a", "b"], lambda text: ["x"] if text == "a" else [])
    assert got == [{"text": "a", "themes": ["x"]}, {"text": "b", "themes": []}]


# a small fixed taxonomy, so these tests do not move when the packaged rules are tuned
TAXONOMY = """\
themes:
  - {id: plans_quality, label: Plans, match: ['\\bplans?\\b']}
  - {id: supervision, label: Supervision, match: ['\\bsupervision\\b']}
  - {id: workforce_caseloads, label: Caseloads, match: ['\\bcaseloads?\\b']}
"""


@pytest.fixture()
def themes_env(tmp_path: Path) -> dict[str, str]:
    taxonomy = tmp_path / "themes.yaml"
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    return {"OFSTL_THEMES": str(taxonomy)}


@pytest.fixture()
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.txt"
    path.write_text(ITEMS, encoding="utf-8")
    return path


def test_tag_json_lines_from_a_file(plan, themes_env):
    out = run(None, "themes", "--tag", str(plan), "--format", "json", env=themes_env).stdout
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["text"] for r in rows] == parse_items(ITEMS).items
    assert rows[0]["themes"] == ["plans_quality", "supervision"]
    assert rows[1]["themes"] == ["workforce_caseloads"]
    assert rows[2]["themes"] == []


def test_tag_csv_from_stdin(themes_env):
    result = CliRunner().invoke(app, ["themes", "--tag", "--format", "csv"], input=ITEMS, env={**ENV, **themes_env})
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["text", "themes"]
    assert rows[1] == ["Quality of care plans and supervision.", "plans_quality|supervision"]
    assert rows[3] == ["Areas for improvement", ""]


def test_tag_table_shows_untagged_items_with_a_dash(plan, themes_env):
    lines = run(None, "themes", "--tag", str(plan), env=themes_env).stdout.splitlines()
    assert lines[0].split() == ["themes", "item"]
    # labels for people, one theme a row beside the item (a cut cell would hide the second)
    assert lines[1].startswith("Plans ") and lines[1].endswith("Quality of care plans and supervision.") and lines[2] == "Supervision"
    assert any(line.startswith("-") and line.endswith("Areas for improvement") for line in lines)


def test_tag_table_shows_every_theme_and_the_whole_item_at_any_width(tmp_path):
    long_label = "Multi-agency and partnership working, partners' engagement and information sharing"
    taxonomy = tmp_path / "themes.yaml"
    taxonomy.write_text("themes:\n  - {id: strategy, label: Strategy discussions and section 47 enquiries, match: ['strategy']}\n"
                        f"  - {{id: partners, label: \"{long_label}\", match: ['partner']}}\n", encoding="utf-8")
    item = "Partner attendance at strategy meetings, and the way partners share what they know about children who go missing."
    for width in (40, 60, 100):
        result = CliRunner().invoke(app, ["themes", "--tag"], input=item + "\nThe weather.\n",
                                    env={**ENV, "COLUMNS": str(width), "OFSTL_THEMES": str(taxonomy)})
        lines = result.stdout.splitlines()
        assert all(len(line) <= width for line in lines), (width, result.stdout)
        assert any(line.startswith("Strategy discuss") for line in lines) and any(line.startswith("Multi-agency") for line in lines)
        assert " ".join(line[len(lines[0]) - len("item"):].strip() for line in lines[1:]).split() == (item + " The weather.").split()


def test_tag_errors_are_one_line_usage_errors(tmp_path):
    missing = tmp_path / "nope.txt"
    assert "cannot read items" in run(None, "themes", "--tag", str(missing), code=2).stderr
    assert "--format must be one of table, json, csv" in run(None, "themes", "--tag", str(missing), "--format", "markdown", code=2).stderr
    assert "unexpected argument" in run(None, "themes", str(missing), code=2).stderr


def test_bad_lines_are_warnings_and_the_rest_is_tagged_with_exit_1(themes_env):
    data = "Quality of plans.\n{\"nottext\": 1}\n{broken\nCaseloads.\n"
    result = CliRunner().invoke(app, ["themes", "--tag", "--format", "csv"], input=data, env={**ENV, **themes_env})
    assert result.exit_code == 1
    assert list(csv.reader(io.StringIO(result.stdout)))[1:] == [["Quality of plans.", "plans_quality"], ["Caseloads.", "workforce_caseloads"]]
    assert result.stderr.splitlines() == [
        'ofstl: warning: stdin: line 2: a JSON line needs a "text" field holding a string; the line is skipped',
        "ofstl: warning: stdin: line 3: not valid JSON: Expecting property name enclosed in double quotes; the line is skipped",
    ]


def test_a_file_in_another_encoding_warns_a_few_times_not_once_a_line(tmp_path, themes_env):
    path = tmp_path / "plan.txt"
    # UTF-8 (the dash) with lines pasted in Latin-1: not a Windows-1252 file, each such line is spoilt
    path.write_bytes("Plan \u2013 2026\n".encode() + "".join(f"Caf\u00e9 plan {n}\n" for n in range(9)).encode("latin-1"))
    result = run(None, "themes", "--tag", str(path), env=themes_env, code=1)
    assert len(result.stderr.splitlines()) == 6 and result.stderr.splitlines()[-1].endswith("4 more lines skipped")
    assert run(None, "themes", "--tag", str(tmp_path), env=themes_env, code=2).stderr.count("\n") == 1


def test_why_shows_the_words_behind_each_theme_in_every_format(plan, themes_env):
    rows = [json.loads(line) for line in run(None, "themes", "--tag", "--why", str(plan), "--format", "json", env=themes_env).stdout.splitlines()]
    assert rows[0]["why"] == {"plans_quality": ["plans"], "supervision": ["supervision"]}
    assert rows[1]["why"] == {"workforce_caseloads": ["Caseloads"]} and rows[2]["why"] == {}
    table = run(None, "themes", "--tag", "--why", str(plan), env=themes_env).stdout.splitlines()
    assert table[:3] == ["Quality of care plans and supervision.", "  Plans: “plans”", "  Supervision: “supervision”"]
    assert "  no theme" in table
    got = list(csv.reader(io.StringIO(run(None, "themes", "--tag", "--why", str(plan), "--format", "csv", env=themes_env).stdout)))
    assert got[0] == ["text", "themes", "why"] and got[1][2] == "plans_quality: plans | supervision: supervision"


def test_why_without_tag_is_a_usage_error():
    assert "--why goes with --tag" in run(None, "themes", "--why", code=2).stderr


def test_a_byte_order_mark_then_spaces_is_no_part_of_the_item():
    read = parse_items("\ufeff  {\"text\": \"Supervision\"}\n\ufeff Caseloads\n".encode("utf-8"))
    assert read.items == ["Supervision", "Caseloads"] and read.problems == []


def test_a_cache_entry_of_another_shape_is_worked_out_again_not_a_crash(tmp_path, monkeypatch, themes_env):
    # the cache is keyed by the taxonomy, not by ofstl's version: another version's entries,
    # or a hand edit, may hold anything JSON can
    from ofstl.theme_cache import ThemeCache

    monkeypatch.setenv("OFSTL_CACHE", str(tmp_path / "cache"))
    first = ThemeCache(themes_env["OFSTL_THEMES"])
    assert first.tags("Quality of care plans.") == ["plans_quality"] and first.label("plans_quality") == "Plans"
    first.save()
    data = json.loads(first.file.read_text(encoding="utf-8"))
    data["tags"] = {key: 5 for key in data["tags"]}
    data["labels"] = {key: ["Plans"] for key in data["labels"]}
    first.file.write_text(json.dumps(data), encoding="utf-8")
    again = ThemeCache(themes_env["OFSTL_THEMES"])
    assert again.tags("Quality of care plans.") == ["plans_quality"] and again.label("plans_quality") == "Plans"


def test_cached_tags_are_keyed_by_the_tagging_code_too(tmp_path, monkeypatch) -> None:
    # a change in how rules apply (themes.py) must not reuse tags cached under the same taxonomy file
    import shutil
    from importlib import resources

    from ofstl import theme_cache

    package = tmp_path / "ofstl"
    (package / "data").mkdir(parents=True)
    real = resources.files("ofstl")
    shutil.copy(str(real / "data" / "themes.yaml"), package / "data" / "themes.yaml")
    for name in theme_cache.TAGGING_CODE:
        shutil.copy(str(real / name), package / name)
    monkeypatch.setattr(theme_cache.resources, "files", lambda _: package)
    before = theme_cache.taxonomy_digest(None)
    assert theme_cache.taxonomy_digest(None) == before
    with (package / "themes.py").open("a") as f:
        f.write("\n# a change in the tagging code\n")
    assert theme_cache.taxonomy_digest(None) != before


def test_a_nul_byte_in_one_line_is_a_warning_naming_it_and_the_rest_is_tagged(tmp_path, themes_env):
    path = tmp_path / "plan.txt"
    path.write_bytes(b"Quality of plans.\r\nCase\x00loads.\r\nSupervision.\r\n")
    result = run(None, "themes", "--tag", str(path), "--format", "csv", env=themes_env, code=1)
    assert list(csv.reader(io.StringIO(result.stdout)))[1:] == [["Quality of plans.", "plans_quality"], ["Supervision.", "supervision"]]
    assert result.stderr == f"ofstl: warning: {path}: line 2: holds a NUL byte (binary data, not text) at column 5; the line is skipped\n"


def test_no_stdin_at_all_is_no_items_not_an_internal_error(tmp_path):
    # `ofstl themes --tag <&-` (a service or cron job with stdin closed) ended in exit 3
    import subprocess
    import sys

    closed = subprocess.run(f"{sys.executable} -m ofstl themes --tag <&-", shell=True, capture_output=True, text=True,
                            env={**ENV, "PATH": "/usr/bin:/bin"}, cwd=tmp_path, timeout=60)
    assert (closed.returncode, closed.stdout) == (2, "")
    assert closed.stderr.startswith("ofstl: error: no items to tag\n"), closed.stderr
