"""Tag a user's own improvement items (an action plan, an improvement tracker) with themes.

Why this exists: authorities keep their own lists of what they are improving; tagged with the
same taxonomy as the inspections, those lists line up with what Ofsted keeps raising. It is
also how anyone can measure the tagger: feed it items someone else labelled and compare.
Items come one per line, or as JSON lines with a ``text`` field (other fields are ignored);
blank lines are skipped. A line that cannot be read (not UTF-8, a NUL byte, broken JSON, no
text, longer than any item) is a problem naming the source and line, and the other lines are
still tagged: one bad row of a tracker should not hide the rest. Pure: the caller reads the file or stdin and prints the result.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from ofstl.errors import UsageError


@dataclass(frozen=True)
class ReadItems:
    """The items read, in order, and one message per line that could not be read."""

    items: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def parse_items(data: str | bytes, source: str = "input") -> ReadItems:
    """The items in ``data``: plain lines, or JSON objects with a string ``text`` field.

    A line that starts with "{" is read as JSON, so a plain item never needs quoting; a line
    that is a JSON array is a problem, not an item. Bytes in UTF-16 or UTF-32 are decoded
    whole; a file with no UTF-8 in it is Windows-1252 (an export from Excel), as ingest reads
    it; other bytes are decoded line by line as UTF-8 (a byte-order mark is dropped), so a line
    in another encoding, or holding a NUL byte, costs that line only. A file that is not text
    at all (a PDF, a Word or Excel file, NUL bytes in most lines) is one usage error.
    """
    items: list[str] = []
    problems: list[str] = []
    for number, raw in enumerate(_lines(data, source), 1):
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                problems.append(f"{source}: line {number}: not UTF-8 text (byte 0x{raw[e.start]:02x} at column {e.start + 1})")
                continue
        if "\x00" in raw:
            problems.append(f"{source}: line {number}: holds a NUL byte (binary data, not text) at column {raw.index(chr(0)) + 1}")
            continue
        line = raw.lstrip("\ufeff").strip()  # the mark first: a space may follow it
        if not line:
            continue
        if not line.startswith("{"):
            if line.startswith("[") and _json_list(line):  # a JSON array, not an item: "[Draft] ..." is one
                problems.append(f"{source}: line {number}: a JSON line must be an object with a \"text\" field, not an array")
            elif not _too_long(line, number, source, problems):
                items.append(line)
            continue
        try:
            record: Any = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(f"{source}: line {number}: not valid JSON: {e.msg}")
            continue
        value = record.get("text") if isinstance(record, dict) else None
        if not isinstance(value, str):
            problems.append(f"{source}: line {number}: a JSON line needs a \"text\" field holding a string")
        elif "\x00" in value:
            problems.append(f"{source}: line {number}: its \"text\" holds a NUL character (binary data, not text)")
        elif value.strip() and not _too_long(value, number, source, problems):
            items.append(value)
    return ReadItems(items, problems)


# The first bytes of files people give by mistake for a list of items: what each is.
NOT_TEXT = ((b"%PDF", "a PDF"), (b"PK\x03\x04", "a zip file (a Word or Excel file?)"),
            (b"\xd0\xcf\x11\xe0", "an old Word or Excel file"), (b"{\\rtf", "an RTF document"),
            (b"\x1f\x8b", "a gzip file"), (b"\x89PNG", "a PNG picture"), (b"\xff\xd8\xff", "a JPEG picture"))
def not_text(data: bytes) -> str | None:
    """What a file given for a list of items is, when its first bytes say it is not text."""
    return next((what for magic, what in NOT_TEXT if data.startswith(magic)), None)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # what a text editor counts: line N is the editor's line N


def _lines(data: str | bytes, source: str) -> list[str] | list[bytes]:
    """The lines of ``data``: text, or bytes still to decode one by one (UTF-8 with a bad line)."""
    if isinstance(data, str):
        return _LINE_BREAK.split(data)
    from ofstl.extract.text import wide_encoding

    what = not_text(data)
    if what:
        raise UsageError(f"{source}: cannot read items: it is {what}, not text",
                         "save the items as plain text, one a line (or JSON lines with a text field)")
    wide = wide_encoding(data)
    if wide:
        return _LINE_BREAK.split(data.decode(wide, errors="replace"))
    lines = data.splitlines()
    with_nul = sum(1 for line in lines if b"\x00" in line)
    if with_nul > 1 and with_nul * 2 > sum(1 for line in lines if line.strip()):
        raise UsageError(f"{source}: cannot read items: binary data, not text ({with_nul} of its {len(lines)} lines hold NUL bytes)",
                         "save the items as plain text, one a line (or JSON lines with a text field)")
    if b"\x00" not in data and not _UTF8_SEQUENCE.search(data):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            try:  # no UTF-8 in it at all: Windows-1252 (its accented letters and curly quotes), as ingest reads it
                return _LINE_BREAK.split(data.decode("cp1252"))
            except UnicodeDecodeError:
                pass  # bytes Windows-1252 leaves undefined: junk, line by line
    return lines


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


MAX_ITEM_CHARS = 10_000  # ten times the longest item read from a report; --why on 200,000 took minutes


def _too_long(text: str, number: int, source: str, problems: list[str]) -> bool:
    """Whether ``text`` is longer than any improvement item (a whole document on one line); if so, noted."""
    if len(text) > MAX_ITEM_CHARS:
        problems.append(f"{source}: line {number}: {len(text):,} characters, more than an item has (at most {MAX_ITEM_CHARS:,}): one item a line?")
    return len(text) > MAX_ITEM_CHARS


def _json_list(line: str) -> bool:
    try:
        return isinstance(json.loads(line), list)
    except ValueError:
        return False


def tag_items(items: list[str], tag: Callable[[str], list[str]]) -> list[dict[str, Any]]:
    """Each item with the ids of its themes, in taxonomy order."""
    return [{"text": item, "themes": tag(item)} for item in items]
