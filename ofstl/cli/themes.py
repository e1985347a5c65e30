"""``ofstl themes``: weakness themes across authorities, one theme's authorities (--theme),
and tagging a user's own items (--tag).

Thin like the other commands: the store's files go to ``ofstl.views.national_themes`` or
``ofstl.theme_across``, a user's items to ``ofstl.tagging``; the renderers lay them out.
"""

from __future__ import annotations

from typing import Any, Optional

import typer

from ofstl.cli.app import FormatOpt, StoreOpt, app
from ofstl.cli.support import current_env, emit_view, finish_partial, handled, load_histories, open_store
from ofstl.errors import UsageError


@app.command()
@handled
def themes(
    file: Optional[str] = typer.Argument(None, metavar="[FILE]", help="With --tag: the items to tag (default: stdin)."),
    store: Optional[str] = StoreOpt,
    fmt: Optional[str] = FormatOpt("themes"),
    tag: bool = typer.Option(False, "--tag", help="Tag your own items (one per line, or JSON lines with a text field) instead; formats: table, json, csv."),
    why: bool = typer.Option(False, "--why", help="With --tag: show the words that made each theme apply."),
    column: Optional[str] = typer.Option(None, "--column", metavar="NAME", help="With --tag: read FILE as a table (CSV, or an .xlsx workbook's first sheet) and tag the cells of this column (a .csv or .xlsx FILE is read so anyway, its column 'text' by default)."),
    theme: Optional[str] = typer.Option(None, "--theme", metavar="THEME", help="One theme across authorities: where it is raised and comes back (its id, or words of its label)."),
    items: bool = typer.Option(False, "--items", help="With --theme: the reports' words under each authority."),
) -> None:
    """Weakness themes across all authorities: how often each occurs and recurs.

    share: of the inspections and visits with weaknesses, how many raise the theme;
    recurring_share: of the authorities with two or more such, in how many it comes back.

    With --theme, one theme: each authority whose inspections raise it, with its recurrence
    word (persists, recurs, resolved, raised once) and the inspections; --items, csv and
    json add the reports' words.

    With --tag, read improvement items from FILE or stdin (an action plan, a tracker) and
    print each one's themes: json gives JSON lines with text and themes, csv a text,themes
    table (themes joined by |). --why adds the words that made each theme apply.

    Examples:

    \b
      ofstl themes
      ofstl themes --format csv
      ofstl themes --tag plan.txt
      ofstl themes --tag --why plan.txt
      jq -c '{text: .action}' tracker.jsonl | ofstl themes --tag --format json
      ofstl themes --theme workforce --items
      ofstl themes --theme "care leavers" --format csv > care-leavers.csv
    """
    from ofstl import views

    if theme is not None and tag:
        raise UsageError("--theme and --tag do not go together", "ofstl themes --theme THEME, or ofstl themes --tag FILE")
    if items and theme is None:
        raise UsageError("--items goes with --theme", "ofstl themes --theme workforce --items")
    if tag:
        from ofstl.render.registry import renderer

        renderer("tagged", fmt)  # a bad --format is reported before any reading
        current_env().why = why
        emit_view("tagged", fmt, tagged_items(file, current_env(), why, column))
        finish_partial()
        return
    if file is not None:
        import os
        import shlex

        if os.path.exists(file):
            raise UsageError(f"unexpected argument {file!r}", "to tag items in a file: ofstl themes --tag FILE")
        # most likely an authority: its themes, with their recurrence words, are in its timeline
        raise UsageError(f"unexpected argument {file!r}: themes takes no authority",
                         f"one authority's themes: ofstl timeline {shlex.quote(file)} --all-themes; to tag items in a file: ofstl themes --tag FILE")
    if why:
        raise UsageError("--why goes with --tag", "ofstl themes --tag --why FILE")
    if column is not None:
        raise UsageError("--column goes with --tag", "ofstl themes --tag tracker.csv --column Action")
    env = current_env()
    if theme is not None:
        from ofstl.render.registry import renderer
        from ofstl.theme_across import find_theme, theme_across

        renderer("theme", fmt)  # a bad --format is reported before the store is read
        chosen = find_theme(theme, env.tagger.themes())
        env.items = items
        emit_view("theme", fmt, theme_across(load_histories(open_store(store)), chosen, env.tagger))
    else:
        emit_view("themes", fmt, views.national_themes(load_histories(open_store(store)), env.tagger))
    finish_partial()


def tagged_items(file: Optional[str], env: Any, why: bool = False, column: Optional[str] = None) -> list[dict[str, Any]]:
    """``themes --tag``: the items of FILE (or stdin) with their theme ids and labels; a line
    that cannot be read is a warning naming it, and the command exits 1 after the rest."""
    import sys

    from ofstl.table_items import is_table, parse_table_items
    from ofstl.tagging import parse_items, tag_items

    if file is None or file == "-":
        if sys.stdin is None or sys.stdin.isatty():  # None: no stdin at all (closed, <&-)
            raise UsageError("no items to tag", "give a FILE, or pipe items in: ofstl themes --tag < plan.txt")
        source, data = "stdin", sys.stdin.buffer.read()
    else:
        source = file
        try:
            with open(file, "rb") as f:
                data = f.read()
        except OSError as e:
            raise UsageError(f"{file}: cannot read items: {e.strerror or type(e).__name__}") from None
    table = column is not None or (file not in (None, "-") and is_table(file))
    read = parse_table_items(data, column, source) if table else parse_items(data, source)
    for problem in read.problems[:MAX_LINE_WARNINGS]:
        env.err(f"ofstl: warning: {problem}; {'skipped' if table else 'the line is skipped'}")
    if len(read.problems) > MAX_LINE_WARNINGS:
        env.err(f"ofstl: warning: {source}: {len(read.problems) - MAX_LINE_WARNINGS} more lines skipped")
    env.broken.extend(read.problems)  # exit 1 at the end (finish_partial), after the items
    tagger = env.tagger
    tagged = [{**t, "labels": [tagger.label(i) for i in t["themes"]]} for t in tag_items(read.items, tagger.tags)]
    if why:
        for t in tagged:
            t["why"] = tagger.evidence(t["text"])
    return tagged


MAX_LINE_WARNINGS = 5  # a file in another encoding would otherwise warn once per line
