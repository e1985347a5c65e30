"""Hand edits of authority files: telling them apart from ofstl's own writing, and keeping
the part of a file people are meant to write (its ``corrections:`` block) as they wrote it.

ofstl rebuilds an authority's records from the sources stored with them; a file whose
records are not what their sources give was edited by hand (``first_difference`` says
where). The corrections block is the documented place for people's edits: it is located in
the text (``corrections_block``) so that its comments and layout survive every rewrite
(``keep_block_text``).
"""

from __future__ import annotations

from typing import Any

from ofstl.safe_text import escape_controls
from ofstl.schema import show
from ofstl.store_files import dump_yaml, load_yaml


def source_observations(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The observations a file's records were built from (``records.observations_of``),
    with what a hand-written source may leave out filled from its record."""
    from ofstl.records import observations_of

    out = []
    for record in records:
        for obs in observations_of(record):
            obs.setdefault("framework", record["framework"])
            obs.setdefault("judgements", {})
            out.append(obs)
    return out


def corrections_block(text: str) -> tuple[str, str, str]:
    """(text before, the top-level ``corrections:`` block, text after): the block runs from
    its key to the next line starting a top-level key (``inspections:``)."""
    if text.startswith("corrections:"):
        begin = 0
    else:
        found = text.find("\ncorrections:")
        if found < 0:
            return text, "", ""
        begin = found + 1
    lines = text[begin:].splitlines(keepends=True)
    size = len(lines[0])
    for line in lines[1:]:
        if line[:1].isalpha() or line[:1] == "_":  # the next top-level key
            break
        size += len(line)
    return text[:begin], text[begin:begin + size], text[begin + size:]


def first_difference(stored: list[dict[str, Any]], rebuilt: list[dict[str, Any]]) -> str:
    """Where a file's records first differ from what their sources give, in a few words."""
    if len(stored) != len(rebuilt):
        return f"it has {len(stored)} inspections, its sources give {len(rebuilt)}"
    for mine, theirs in zip(stored, rebuilt):
        for key in list(mine) + [k for k in theirs if k not in mine]:
            if mine.get(key) != theirs.get(key):
                where = escape_controls(str(mine.get("id") or "?"))
                if isinstance(mine.get(key), (dict, list)) or isinstance(theirs.get(key), (dict, list)):
                    return f"inspection {where}: its {key} differ from what its sources give"
                return f"inspection {where}: {key} is {show(mine.get(key))}, its sources give {show(theirs.get(key))}"
    return "its records differ from what their sources give"



def keep_block_text(old: bytes, text: str, corrections: list[dict[str, Any]]) -> str:
    """``text`` with the corrections block as the person last wrote it (their comments
    and layout), followed by any corrections added since; the dumped block otherwise."""
    try:
        old_block = corrections_block(old.decode("utf-8"))[1]
        if not old_block:
            return text
        old_list = (load_yaml(old_block) or {}).get("corrections") or []
        if old_list != corrections[: len(old_list)]:
            return text  # a correction replaced: the block is written anew
        block = old_block if old_block.endswith("\n") else old_block + "\n"
        extra = corrections[len(old_list):]
        if extra:
            block += dump_yaml(extra)
        before, _, after = corrections_block(text)
        spliced = before + block + after
        if load_yaml(spliced) != load_yaml(text):
            return text
        return spliced
    except Exception:  # noqa: BLE001 - anything odd: write the block as ofstl lays it out
        return text
