"""``ofstl correct``: a person's correction of one field of one inspection, kept for good.

The correction goes into the authority file's ``corrections:`` block (``ofstl.corrections``),
which every ingest keeps and every view applies, shown as its own evidence. The command
holds the store lock like an ingest, so it never races one.
"""

from __future__ import annotations

from typing import Optional

import typer

from ofstl.cli.app import AuthorityArg, StoreOpt, app
from ofstl.cli.support import current_env, handled, open_store


@app.command()
@handled
def correct(
    authority: str = AuthorityArg,
    when: str = typer.Argument(..., metavar="WHEN", help="Year (2013), date (2013-11) or inspection id."),
    key: str = typer.Argument(..., metavar="KEY", help="A judgement (overall, leadership, help_and_protection, children_in_care, ...) or start, end, published, framework, type, theme, outcome."),
    value: str = typer.Argument(..., metavar="VALUE", help="The right value: a grade (good, 'requires improvement', or RI), a date (2013-11-25), a framework (cpi)."),
    note: str = typer.Option(..., "--note", metavar="WHY", help="Why: shown beside the value wherever it appears."),
    store: Optional[str] = StoreOpt,
) -> None:
    """Correct a reading by hand: the correction wins over every document and survives re-ingest.

    It is stored in the authority file's corrections block and shown as its own evidence
    ("corrected by hand, DATE: WHY") in show, timeline and export. Correcting the same
    field again replaces the earlier correction. What cannot be right for that inspection (a
    judgement its framework never made, a grade off its scale, fieldwork ending before it
    starts) is refused. A predecessor council's inspection in AUTHORITY's timeline is
    corrected in that council's own file.

    Examples:

    \b
      ofstl correct hillingdon 2013 overall "requires improvement" --note "the table misprints it; see page 3"
      ofstl correct hounslow hounslow-2018-10-ilacs start 2018-10-01 --note "fieldwork began on the Monday"
      ofstl correct doncaster 2012 framework cpi --note "the 2015 report names a child protection inspection"
    """
    from ofstl import authorities, corrections, history, views
    from ofstl.errors import UsageError
    from ofstl.safe_text import escape_controls
    from ofstl.hand_edits import corrections_block
    from ofstl.vocabulary import framework_name

    env = current_env()
    if not note.strip():
        raise UsageError("--note is empty", "say why, e.g. --note \"the report's table misprints the grade\"")
    st = open_store(store)
    slug = authorities.lookup(authority, known=st.slugs() or None)
    with st.lock(on_wait=lambda: env.err(f"ofstl: waiting for another ofstl ingest to finish with {st.root}")):
        # The inspection as the timeline shows it (across reorganisations); the correction goes
        # to the council inspected, whose history every view builds with its corrections: a
        # predecessor's row in a successor's timeline is the predecessor's (its file is made
        # when it has none, as Dorset County Council known only from Dorset's documents).
        shown = history.assemble(st, slug)
        if shown is None:
            raise UsageError(f"no inspections of {authorities.get(slug).display_name} in the store {st.root}", "add its documents first: ofstl ingest FOLDER")
        record = views.select(shown["inspections"], when)
        owner = record.get("predecessor_of") or slug
        path = st.file_for(owner)
        data = st.load(owner, raw=True, trust_copy=False) or {"inspections": [], "corrections": []}
        field = corrections.field_for(key, known=record.get("judgements") or {})
        fixed = corrections.value_for(field, value)
        corrections.check_fits(record, field, fixed, data.get("corrections") or [])
        edited = st.hand_edit(owner, path.read_bytes(), data) if path.exists() else None
        before, _, after = corrections_block(path.read_text(encoding="utf-8")) if path.exists() else ("", "", "")
        if edited and any(line.lstrip().startswith("#") for line in (before + after).splitlines()):
            raise UsageError(f"{path} was edited by hand and has comments, which rewriting it would lose",
                             "add the correction to its corrections: block by hand (README: the store), or move the comments into --note")
        new = corrections.make(record["id"], field, fixed, note)
        block, replaced = corrections.add(list(data.get("corrections") or []), new)
        st.save(owner, data["inspections"], corrections=block, keep_edits=True)
        for notice in st.notices:  # a link replaced by the file
            env.err(f"ofstl: warning: {escape_controls(notice)}")
    old = next((c for c in [replaced] if c), None)
    shown = fixed
    if field == "framework":  # as the views will name it, with the code when that differs
        shown = framework_name(fixed) + (f" ({fixed})" if framework_name(fixed).lower() != fixed else "")
    env.say(f"corrected {record['id']} {field}: {escape_controls(shown)} (by hand, {new['date']}: {escape_controls(new['note'])})"
            + (f"; replaces the correction of {old['date']} ({escape_controls(old['value'])})" if old else "")
            + (f"; an inspection of {authorities.get(owner).display_name}, kept in {path}" if owner != slug else ""))
    if edited:
        env.say(f"note: {path} was already edited by hand ({edited}); ingest leaves it alone until: ofstl ingest --rebuild {slug}")
