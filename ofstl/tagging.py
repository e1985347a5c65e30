"""Tag a user's own improvement items (an action plan, an improvement tracker) with themes.

Why this exists: authorities keep their own lists of what they are improving; tagged with the
same taxonomy as the inspections, those lists line up with what Ofsted keeps raising. It is
also how anyone can measure the tagger: feed it items someone else labelled and compare.
Items come one per line, or as JSON lines with a ``text`` field (other fields are ignored);
blank lines are skipped. Pure: the caller reads the file or stdin and prints the result.
"""

from __future__ import annotations

import json
from typing import Any, Callable

from ofstl.errors import UsageError


def parse_items(text: str, source: str = "input") -> list[str]:
    """The items in ``text``: plain lines, or JSON objects with a string ``text`` field.

    A line that starts with "{" is read as JSON, so a plain item never needs quoting; a JSON
    line without a usable ``text`` is a usage error naming the line.
    """
    items: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip().lstrip("\ufeff")
        if not line:
            continue
        if not line.startswith("{"):
            items.append(line)
            continue
        try:
            record: Any = json.loads(line)
        except json.JSONDecodeError as e:
            raise UsageError(f"{source}: line {number}: not valid JSON: {e.msg}") from None
        value = record.get("text") if isinstance(record, dict) else None
        if not isinstance(value, str):
            raise UsageError(f"{source}: line {number}: a JSON line needs a \"text\" field holding a string")
        if value.strip():
            items.append(value)
    return items


def tag_items(items: list[str], tag: Callable[[str], list[str]]) -> list[dict[str, Any]]:
    """Each item with the ids of its themes, in taxonomy order."""
    return [{"text": item, "themes": tag(item)} for item in items]
