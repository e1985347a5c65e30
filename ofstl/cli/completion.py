"""Shell completion for the command line: authorities, formats and inspections as stored.

Kept apart from ``ofstl.cli.support`` (the commands' plumbing) so each stays short; the
options in ``ofstl.cli.app`` name these functions. A completion never prints a traceback
into the shell: anything that goes wrong completes nothing.
"""

from __future__ import annotations

import typer

from ofstl.cli.support import history_slugs, open_store


def complete_authority(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion: the slugs of the authorities in the store."""
    try:
        root = ctx.params.get("store") or (ctx.parent.params.get("store") if ctx.parent else None)
        slugs = history_slugs(open_store(root).slugs())  # the names list and the views take
    except Exception:  # completion must never print a traceback into the shell
        return []
    return [s for s in slugs if s.startswith(incomplete.lower())]


def complete_format(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion: the formats the command's view can be written in."""
    from ofstl.render.registry import formats, views

    name = (ctx.info_name or "").replace("-", "_")
    view = {"list_": "list"}.get(name, name)
    return [f for f in (formats(view) if view in views() else []) if f.startswith(incomplete.lower())]


def complete_when(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion: the years and inspection ids stored for the authority named before."""
    try:
        from ofstl import authorities, views
        from ofstl.history import assemble

        root = ctx.params.get("store") or (ctx.parent.params.get("store") if ctx.parent else None)
        store = open_store(root)
        # the history the command will read (predecessors' rows, a continued council's file), not the file alone
        data = assemble(store, authorities.lookup(ctx.params.get("authority") or "", known=store.slugs() or None))
        choices = views.when_choices(data["inspections"]) if data else []
    except Exception:  # completion must never print a traceback into the shell
        return []
    return [c for c in choices if c.startswith(incomplete)]
