"""``ofstl verify FILE``: the store checked against Ofsted's official outcomes table.

The table is the user's (ofstl ships no outcomes); ``ofstl.official`` reads it and
``ofstl.verify`` compares; this module only wires options to them and prints.
"""

from __future__ import annotations

from typing import Optional

import typer

from ofstl.cli.app import FormatOpt, StoreOpt, app
from ofstl.cli.support import emit_view, finish_partial, handled, load_histories, open_store
from ofstl.render.registry import renderer
from ofstl.errors import ExitCode


@app.command()
@handled
def verify(
    table: str = typer.Argument(..., metavar="FILE", help="Ofsted's official outcomes CSV: the 2009-2023 history or an ILACS outcomes file."),
    store: Optional[str] = StoreOpt,
    fmt: Optional[str] = FormatOpt("verify"),
) -> None:
    """Compare the store with Ofsted's official outcomes table.

    Per framework and judgement: how many stored grades agree with the table, disagree,
    are missing from the store, or are in the store but not in the table; then each
    disagreement with the record id and the evidence for the stored grade. Which table it
    is (the 2009-2023 history, an ILACS outcomes file) is told by its header. Exit 1 when
    anything disagrees.

    Examples:

    \b
      ofstl verify ofsted_la_inspections_2009_2023.csv
      ofstl verify LA_Inspection_Outcomes_2025__ILACS_inspection_history.csv --format json
      ofstl verify history.csv --format csv > disagreements.csv
    """
    from ofstl.official import read_table
    from ofstl.verify import verify as run_verify

    renderer("verify", fmt)  # a bad --format is reported before any reading
    official = read_table(table)
    # Each council's history as its timeline shows it, corrections included (a predecessor's
    # are kept in its own file); a broken file is a warning and the rest is checked (exit 1).
    result = run_verify(official, load_histories(open_store(store))).to_dict()
    emit_view("verify", fmt, result)
    finish_partial()
    if result["disagreements"]:
        raise typer.Exit(int(ExitCode.PARTIAL))
