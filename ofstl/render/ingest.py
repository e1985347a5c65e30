"""The ingest summary for people: counts, failures grouped by reason, the next command.

Printed on stderr after an ingest (``--format json`` prints one object per file instead).
"""

from __future__ import annotations

from typing import Any

from ofstl.render import Line, to_json_line
from ofstl.render.registry import Options, renders


def ingest_summary(results: list[Any], store: str, next_command: str | None, verbose: bool = False, empty: list[str] | None = None) -> list[Line]:
    """added/unchanged/skipped/failed counts, failures grouped by reason, the folders named
    that hold no file at all (a mistyped or not yet filled folder), the next command."""
    counts = {s: sum(1 for r in results if r.status == s) for s in ("added", "updated", "unchanged", "removed", "skipped", "error")}
    line: Line = [(f"{counts['added']} added", "green" if counts["added"] else "")]
    if counts["updated"] or counts["removed"]:  # only a re-read (--reread) changes what was stored
        line.append((f", {counts['updated']} read anew", "green" if counts["updated"] else ""))
    line.append((f", {counts['unchanged']} unchanged", ""))
    if counts["removed"]:
        line.append((f", {counts['removed']} removed", "yellow"))
    line += [(f", {counts['skipped']} skipped", ""), (f", {counts['error']} failed", "bold red" if counts["error"] else ""),
             (f" · store {store}", "dim")]
    lines: list[Line] = [line]
    for r in results:  # what a re-read changed, file by file: the person asked for exactly this
        if r.status in ("updated", "removed"):
            lines.append([(f"  {'read anew' if r.status == 'updated' else 'removed'}: ", "green" if r.status == "updated" else "yellow"),
                          (r.path, ""), ("  " + reason(r).removeprefix("read again: "), "dim")])
    skipped: dict[str, list[str]] = {}
    for r in results:
        if r.status == "skipped":
            skipped.setdefault(reason(r), []).append(r.path)
    failed: dict[str, list[str]] = {}
    for r in results:
        if r.status == "error":
            failed.setdefault(reason(r), []).append(r.path)
    for title, groups, style in (("skipped", skipped, "dim"), ("failed", failed, "red")):
        for why, paths in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            if title == "skipped" or verbose:  # with --verbose every file already had its line
                lines.append([(f"  {title} {len(paths)}: ", style), (why, "" if title == "failed" else "dim")])
                continue
            lines.append([(f"  {title} {len(paths)}: ", style), (why, "")])
            shown = paths[:3]
            for p in shown:
                lines.append([(f"    {p}", "dim")])
            if len(paths) > len(shown):
                lines.append([(f"    … and {len(paths) - len(shown)} more (--verbose lists them)", "dim")])
    for folder in empty or []:
        lines.append([("  nothing read from ", "yellow"), (folder, ""), (": the folder holds no files", "")])
    if next_command:
        lines.append([("next: ", "dim"), (next_command, "bold")])
    return lines


def reason(result: Any) -> str:
    """The message without the path it starts with, so identical reasons group together."""
    message = result.message or result.status
    prefix = f"{result.path}: "
    return message[len(prefix):] if message.startswith(prefix) else message


@renders("ingest", "table", "a summary on stderr", default=True)
def summary_lines(results: list[Any], options: Options) -> list[Line]:
    return ingest_summary(results, "", None)


@renders("ingest", "json", "one object per file on stdout")
def result_lines(results: list[Any], options: Options) -> str:
    return "".join(to_json_line(r.to_dict()) for r in results)
