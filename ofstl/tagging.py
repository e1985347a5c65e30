"""Tag a user's own improvement items (an action plan, an improvement tracker) with themes.

Why this exists: authorities keep their own lists of what they are improving; tagged with the
same taxonomy as the inspections, those lists line up with what Ofsted keeps raising. It is
also how anyone can measure the tagger: feed it items someone else labelled and compare.
Items come one per line, or as JSON lines with a ``text`` field (other fields are ignored);
blank lines are skipped. A line that cannot be read (not UTF-8, broken JSON, no text, longer
than any item) is a problem naming the source and line, and the other lines are still tagged:
one bad row of a tracker should not hide the rest. Pure: the caller reads the file or stdin and prints the result.
"""

from __future__ import annotations

import json
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
    that is a JSON array is a problem, not an item. Bytes are
    decoded line by line as UTF-8 (a byte-order mark is dropped), so one line in another
    encoding costs that line only.
    """
    if isinstance(data, bytes) and b"\x00" in data:  # UTF-16 or binary: no line of it is text
        raise UsageError(f"{source}: cannot read items: not UTF-8 text (it holds NUL bytes; UTF-16 or binary?)")
    items: list[str] = []
    problems: list[str] = []
    lines = data.splitlines()
    for number, raw in enumerate(lines, 1):
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                problems.append(f"{source}: line {number}: not UTF-8 text (byte 0x{raw[e.start]:02x} at column {e.start + 1})")
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
        elif value.strip() and not _too_long(value, number, source, problems):
            items.append(value)
    return ReadItems(items, problems)


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
