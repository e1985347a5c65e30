"""Commands across authorities: ``compare``, ``national`` and ``due``; and the ``--xlsx``
workbooks (for these and for ``export`` and ``timeline``).

Thin layers over ``ofstl.across`` and ``ofstl.cycle`` (the answers) and
``ofstl.render.across`` / ``ofstl.render.xlsx`` (the layouts).
"""

from __future__ import annotations

import re
from typing import Any, Optional

import typer

from ofstl.cli.app import AuthorityArg, FormatOpt, StoreOpt, app
from ofstl.cli.support import check_output_file, current_env, emit_view, finish_partial, handled, load_authority, load_histories, open_store
from ofstl.render.registry import renderer

AsAtOpt = typer.Option(None, "--as-at", metavar="DATE", help="The date to stand on: 2024-03-31, 2024-03 (its last day) or 2024 (31 December); default today.")
XlsxOpt = typer.Option(None, "--xlsx", metavar="FILE", help="Also write an Excel workbook: the tables with typed cells, and where each figure came from.")


def as_at_date(value: Optional[str]) -> Optional[str]:
    """--as-at as a full date; a year or month means its last day."""
    import calendar
    import datetime as dt

    from ofstl.errors import UsageError

    if value is None:
        return None
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", value.strip())
    try:
        if not match:
            raise ValueError
        year, month, day_ = int(match[1]), int(match[2] or 12), match[3]
        last = calendar.monthrange(year, month)[1]
        return dt.date(year, month, int(day_) if day_ else last).isoformat()
    except ValueError:
        raise UsageError(f"--as-at must be a date (2024-03-31), a month (2024-03) or a year (2024), not {value!r}") from None


ForceOpt = typer.Option(False, "--force", help="Overwrite an existing --xlsx file that ofstl did not write.")


def check_xlsx_target(target: str, store: Any, force: bool) -> None:
    """A workbook keeps the promises a picture does (``check_output_file``), and has no stdout form."""
    from ofstl.errors import UsageError
    from ofstl.render import xlsx

    if target == "-":
        raise UsageError("a workbook cannot go to stdout", "name the file: --xlsx FILE")
    if not target.strip():
        raise UsageError("the --xlsx file name is empty", "name the workbook file")
    check_output_file(target, "workbook", store, force, xlsx.is_ofstl_workbook)


def _write_xlsx(target: str, tables: list[Any], sources: Any, about: dict[str, str], store: Any = None, force: bool = False) -> None:
    from ofstl.errors import UsageError
    from ofstl.render import xlsx

    from ofstl.cli.hints import check_folder_of

    check_folder_of(target)
    check_xlsx_target(target, store, force)
    try:
        xlsx.write(target, tables, sources, about)
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}", "choose a folder that exists and is writable") from None
    current_env().say(f"wrote {target} ({len(tables) + 1} sheets)")


def _record(stored: dict[str, dict[str, Any]], inspection_id: str, store: Any) -> dict[str, Any]:
    """A stored inspection by id for a workbook's sources sheet, its documents named where
    they are found (``ofstl.source_paths``)."""
    from ofstl.source_paths import sources_shown

    for data in stored.values():
        for record in data["inspections"]:
            if record["id"] == inspection_id:
                return sources_shown(record, store.root)
    return {"id": inspection_id}


def _show(name: str, fmt: Optional[str], view: Any, workbook: bool) -> None:
    """Print the view, as every table does beside --xlsx/--svg/--html (a workbook alone under
    -q prints nothing), then exit 1 if an authority file could not be read."""
    if not (workbook and fmt is None and current_env().quiet):
        emit_view(name, fmt, view)
    finish_partial()


@app.command()
@handled
def compare(
    authority: str = AuthorityArg,
    neighbours: bool = typer.Option(False, "--neighbours", help="Its ten statistical neighbours (the default)."),
    region: bool = typer.Option(False, "--region", help="Every authority in its region."),
    with_: Optional[str] = typer.Option(None, "--with", metavar="A,B,...", help="These authorities too (comma-separated names)."),
    as_at: Optional[str] = AsAtOpt,
    store: Optional[str] = StoreOpt,
    fmt: Optional[str] = FormatOpt("compare"),
    xlsx: Optional[str] = XlsxOpt,
    force: bool = ForceOpt,
) -> None:
    """An authority beside its statistical neighbours, its region or named authorities.

    For each judgement the latest grade from a full inspection (SIF or ILACS) with its date and
    framework, and the direction since the grade before; the last full inspection and the
    months since. Neighbours: the ten of the DfE children's services model (data-to-insight).

    Examples:

    \b
      ofstl compare hillingdon
      ofstl compare hillingdon --region --format csv
      ofstl compare "West Northamptonshire" --with north-northamptonshire,northamptonshire
    """
    from ofstl import across, authorities, comparators
    from ofstl.render import across as layout

    renderer("compare", fmt)  # a bad --format is reported before any work
    st = open_store(store)
    # a council continued by today's (somerset-county-council) is today's, as in national and
    # due: its inspections are under today's name, where it was "not stored"
    subject = comparators.entity(load_authority(st, authority)["authority"])
    named = [comparators.entity(authorities.lookup(n.strip())) for n in (with_ or "").split(",") if n.strip()]
    # each council's own inspections, as list and export give them: a predecessor's (even one
    # known only from its successor's papers) are that council's, a continued council's are
    # today's; a broken file is a warning, the rest compared
    stored = {d["authority"]: d for d in load_histories(st)}
    view = across.compare(subject, stored, across.comparator_slugs(subject, neighbours=neighbours, region=region, with_=named),
                          as_at_date(as_at))
    table = layout.compare_table(view)
    if xlsx is not None:
        rows = [(f"{r['authority']} {k}", r["authority"], _record(stored, j["inspection"], st), k)
                for r in view["rows"] for k, j in r["judgements"].items()]
        rows += [(f"{r['authority']} {k} superseded", r["authority"], _record(stored, j["superseded"]["inspection"], st), k)
                 for r in view["rows"] for k, j in r["judgements"].items() if j.get("superseded")]  # the bracketed grades too
        from ofstl.render.xlsx import record_sources

        _write_xlsx(xlsx, [("compare", *table)], record_sources(rows),
                    {"command": f"ofstl compare {subject}", "as at": view["as_at"], "counted": view["counted"]}, st, force)
    _show("compare", fmt, view, workbook=xlsx is not None)


@app.command()
@handled
def national(
    as_at: Optional[str] = AsAtOpt,
    by: Optional[str] = typer.Option(None, "--by", metavar="region", help="Also break the figures down by region."),
    judgement: Optional[str] = typer.Option(None, "--judgement", metavar="KEY", help="Only this judgement (overall, leadership, help_and_protection, children_in_care, care_leavers)."),
    store: Optional[str] = StoreOpt,
    fmt: Optional[str] = FormatOpt("table, json, csv (long form: region, judgement, measure, category, count, share) or markdown"),
    xlsx: Optional[str] = XlsxOpt,
    force: bool = ForceOpt,
) -> None:
    """The national picture: latest grades of every authority and transitions between inspections.

    For each judgement, the distribution of authorities' latest full-inspection grades as at the
    date (count and share), how many of the authorities that existed then the store covers, and
    the transitions between each authority's consecutive full inspections (improved, stayed good
    or outstanding, stayed below good, declined). Full inspections are SIF and ILACS; SLAC, CPI
    and LAC inspections and visits are not counted; ILACS from April 2026 has no overall grade.

    Examples:

    \b
      ofstl national
      ofstl national --as-at 2024-03-31 --judgement overall
      ofstl national --by region --format csv
    """
    from ofstl import across
    from ofstl.errors import UsageError
    from ofstl.render import across as layout

    renderer("national", fmt)  # a bad --format is reported before any work
    if by and by.lower() != "region":
        raise UsageError(f"--by takes 'region', not {by!r}")
    key = None
    if judgement:
        key = re.sub(r"[\s\-&]+", "_", judgement.strip().lower())
        key = {"help_protection": "help_and_protection", "in_care": "children_in_care", "children_looked_after": "children_in_care"}.get(key, key)
        allowed = across.JUDGEMENTS + ["adoption", "lscb"]
        if key not in allowed:
            raise UsageError(f"--judgement must be one of {', '.join(allowed)}, not {judgement!r}")
    st = open_store(store)
    loaded = list(load_histories(st))  # each council's own inspections, as compare
    view = across.national(loaded, as_at_date(as_at), by_region=bool(by), judgement=key)
    table = layout.national_table(view)
    if xlsx is not None:
        stored = {d["authority"]: d for d in loaded}
        header, rows = table
        tables = [("latest grades", header, [r for r in rows if r[2] in ("coverage", "latest_grade")]),
                  ("transitions", header, [r for r in rows if r[2].startswith("transition")])]
        from ofstl.render.xlsx import record_sources

        sources = record_sources([(f"latest full inspection of {s['authority']}", s["authority"], _record(stored, s["inspection"], st))
                                  for s in view["sources"]])
        _write_xlsx(xlsx, tables, sources, {"command": "ofstl national", "as at": view["as_at"], "counted": view["counted"],
                                            "as at rule": view["as_at_rule"], "latest rule": view["latest_rule"]}, st, force)
    _show("national", fmt, view, workbook=xlsx is not None)


@app.command()
@handled
def due(
    authority: Optional[str] = typer.Argument(None, metavar="[AUTHORITY]", help="One authority (default: every authority in the store, most overdue first)."),
    as_at: Optional[str] = AsAtOpt,
    backtest: bool = typer.Option(False, "--backtest", help="Replay the store's history: was each next full inspection inside the predicted window?"),
    rules: Optional[str] = typer.Option(None, "--rules", metavar="FILE", help="Cycle rules to use instead of the packaged ofstl/data/inspection_cycle.yaml."),
    store: Optional[str] = StoreOpt,
    fmt: Optional[str] = FormatOpt("due"),
    xlsx: Optional[str] = XlsxOpt,
    force: bool = ForceOpt,
) -> None:
    """Who is due next: where each authority stands in the ILACS inspection cycle.

    The last full inspection and grade; the kind of the next one (short after good or
    outstanding, standard after requires improvement; after inadequate, monitoring visits and
    a standard re-inspection); the window it is expected in; visits since; how far into or
    past the window. The rules are a data file citing the framework (--rules to use your own).

    Examples:

    \b
      ofstl due
      ofstl due hillingdon --as-at 2026-06-30
      ofstl due --backtest --format csv
    """
    from ofstl import cycle
    from ofstl.render import across as layout
    from ofstl.render import backtest as backtest_layout

    renderer("due", fmt)  # a bad --format is reported before any work
    st = open_store(store)
    only = load_authority(st, authority)["authority"] if authority else None
    loaded = list(load_histories(st))  # each council's own inspections, as compare
    the_rules = cycle.load_rules(rules)
    stored = {d["authority"]: d for d in loaded}
    if backtest:
        view = cycle.backtest([stored[only]] if only else loaded, the_rules, as_at_date(as_at))
        table = backtest_layout.backtest_table(view)
        if xlsx is not None:
            from ofstl.render.xlsx import record_sources

            sources = record_sources([(f"pair {p['from']} -> {p['to']}", p["authority"], _record(stored, i, st))
                                      for p in view["pairs"] for i in (p["from"], p["to"])])
            _write_xlsx(xlsx, [("hit rates", *backtest_layout.rates_table(view)), ("pairs", *table)], sources,
                        {"command": "ofstl due --backtest", "pause rule": view["pause_rule"]}, st, force)
        _show("backtest", fmt, view, workbook=xlsx is not None)
        return
    view = cycle.due(loaded, as_at_date(as_at), the_rules, only=only)
    table = layout.due_table(view)
    if xlsx is not None:
        from ofstl.render.xlsx import record_sources

        sources = record_sources([(f"last full inspection of {r['authority']}", r["authority"], _record(stored, r["last_full"]["id"], st))
                                  for r in view["authorities"] if r["last_full"]])
        _write_xlsx(xlsx, [("due", *table)], sources, {"command": "ofstl due", "as at": view["as_at"],
                                                        "rules": rules or "ofstl/data/inspection_cycle.yaml"}, st, force)
    _show("due-one" if only else "due", fmt, view, workbook=xlsx is not None)


# --------------------------------------------------------------------------- --xlsx on export and timeline


def export_xlsx(target: str, exported: dict[str, Any], store: Any = None, force: bool = False) -> None:
    from ofstl.render.machine import export_rows
    from ofstl.render.xlsx import record_sources

    rows = [(f"inspection {r['id']}", r["authority"], r) for r in exported["inspections"]]
    _write_xlsx(target, [("inspections", *export_rows(exported))], record_sources(rows), {"command": "ofstl export"}, store, force)


def timeline_xlsx(target: str, view: dict[str, Any], data: dict[str, Any], store: Any, force: bool = False) -> None:
    from ofstl import render
    from ofstl.render.xlsx import record_sources
    from ofstl.views import in_date_order

    # status: the one recurrence word every view shows (a theme can be persisting and resolved at once)
    themes = (["theme", "inspections", "years", "count", "recurring", "persisting", "resolved", "status", "label"],
              [[t["theme"], "|".join(t["inspections"]), "|".join(y or "" for y in t["years"]), t["count"], t["recurring"], t["persisting"], t["resolved"],
                t["status"], t["label"]] for t in view["themes"]])
    # the council inspected: a predecessor's inspection is that council's, not the successor's
    from ofstl.source_paths import sources_shown

    rows = [(f"inspection {r['id']}", r.get("inspected_as") or data["authority"], sources_shown(r, store.root))
            for r in in_date_order(data["inspections"])]  # in the order of the sheet
    _write_xlsx(target, [("inspections", *render.timeline_csv_rows(view)), ("themes", *themes)], record_sources(rows),
                {"command": f"ofstl timeline {data['authority']}"}, store, force)
