"""Renderers as pure functions (pip-audit style): view data in, exact text out."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from ofstl import render


def event(eid: str, start: str | None, framework: str = "ilacs", role: str = "subject", judgements=None, changes=None, theme=None,
          previous=None):
    """One event as ``views.timeline`` makes it (the renderers work nothing out themselves)."""
    from ofstl.vocabulary import framework_name, framework_short

    judgements = judgements or {}
    headline = judgements.get("overall") or ("no overall grade" if judgements else "not graded")
    return {"id": eid, "framework": framework, "type": None, "start": start, "end": None, "published": None, "role": role,
            "date": start or "undated", "name": framework_name(framework), "short": framework_short(framework), "headline": headline,
            "graded": bool(judgements), "judgements": judgements, "changes": changes or {}, "previous": previous or {}, "theme": theme,
            "weaknesses": 0, "sources": [], "disagreements": 0}


def test_plain_and_rich_say_the_same() -> None:
    lines = [[("a", "bold"), ("b  ", "")], [], [("c", "red")]]
    assert render.plain(lines) == "ab\n\nc\n"
    assert render.to_rich(lines).plain == "ab\n\nc\n"


def test_markdown_escapes_pipes() -> None:
    assert render.to_markdown(["a", "b"], [["x|y", 1]]) == "| a | b |\n|---|---|\n| x\\|y | 1 |\n"


def test_csv_quotes() -> None:
    assert render.to_csv(["a"], [["x, y"]]) == 'a\n"x, y"\n'


def test_timeline_marks_every_kind_of_event() -> None:
    view = {"authority": "x", "name": "X", "judgement_keys": ["overall"], "themes": [], "inspections": [
        event("a", "2009-12", "slac", "mentioned", {"overall": "good"}),
        event("b", "2013-11-25", "sif", judgements={"overall": "requires improvement"}, changes={"overall": "down"}, previous={"overall": "good"}),
        event("c", "2020-01-15", "focused-visit", theme="the front door"),
        event("d", None, "ilacs"),
    ]}
    text = render.plain(render.timeline_lines(view))
    assert "◌ 2009-12" in text and "only mentioned later" in text
    assert "● 2013-11-25  SIF" in text and "↓ from good" in text
    assert "○ 2020-01-15  Focused visit" in text and "the front door" in text
    assert text.index("○ undated") > text.index("○ 2020-01-15")  # undated last
    assert "G*" in text and "RI↓" in text
    assert "No weakness theme raised by two or more inspections." in text


def test_a_long_note_in_the_log_takes_a_second_line_before_an_ellipsis() -> None:
    """At 80 columns a JTAI's theme read "multi-agency response…" and a rise "↑ from requires
    impro…": the note wraps under itself, two lines at most, each within the width."""
    view = {"authority": "x", "name": "X", "judgement_keys": [], "themes": [], "inspections": [
        event("j", "2017-03-21", "jtai", theme="multi-agency response to abuse and neglect"),
        event("f", "2020-01-15", "focused-visit", theme="the service that considers contacts and referrals, including "
              "decision-making in the multi-agency safeguarding hub and the quality of assessments"),
    ]}
    lines = render.plain(render.timeline_lines(view, 80)).splitlines()
    assert all(len(line) <= 80 for line in lines)
    jtai = next(i for i, line in enumerate(lines) if "JTAI" in line)
    assert lines[jtai].endswith("multi-agency response") and lines[jtai + 1].strip() == "to abuse and neglect"
    assert lines[jtai + 1].index("to abuse") == lines[jtai].index("multi-agency")  # under the note, not under the dates
    visit = next(i for i, line in enumerate(lines) if "Focused visit" in line)
    assert lines[visit + 1].rstrip().endswith("…") and not lines[visit + 2].startswith(" " * 30)


def test_one_event_is_counted_in_the_singular() -> None:
    view = {"authority": "x", "name": "X", "judgement_keys": [], "themes": [], "inspections": [event("c", "2019-10-01", "focused-visit")]}
    assert render.plain(render.timeline_lines(view)).splitlines()[0] == "X · 1 inspection or visit · 2019"
    view["inspections"].append(event("d", "2020-10-13", "focused-visit"))
    assert render.plain(render.timeline_lines(view)).splitlines()[0] == "X · 2 inspections and visits · 2019–2020"


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=1, max_value=10), st.sampled_from(["ilacs", "sif", "slac", "focused-visit", "monitoring-visit"]),
       st.sampled_from([40, 50, 60, 80, 100]))
def test_timeline_fits_the_terminal(n: int, framework: str, width: int) -> None:
    keys = ["overall", "leadership", "help_and_protection", "children_in_care", "care_leavers", "adoption", "lscb",
            "capacity_children_in_care"]
    events = [event(f"e{i}", f"{2005 + i}-03-01", framework, judgements={k: "requires improvement" for k in keys},
                    changes={k: "same" for k in keys}, theme="a very long focused visit theme " * 3) for i in range(n)]
    themes = [{"theme": "an_extremely_long_theme_identifier_that_goes_on", "label": "An extremely long theme label that goes on and on",
               "inspections": [e["id"] for e in events], "years": [], "count": n, "recurring": n > 1, "persisting": True, "resolved": True,
               "status": "resolved"}]
    view = {"authority": "x", "name": "X", "judgement_keys": keys, "themes": themes, "inspections": events}
    text = render.plain(render.timeline_lines(view, width))
    # every row of the matrices fits (a folded row falls apart); prose may be folded by the CLI
    rows = [line for line in text.splitlines() if line.startswith(("Overall", "Leadership", "Capacity", "20", " "))]
    assert rows and all(len(line) <= width for line in rows), text
    if width >= 100:
        assert all(len(line) <= width for line in text.splitlines()), text
    if framework in ("ilacs", "sif", "slac") and n > (width - 14) // 7:  # more inspections than columns fit
        assert "earlier, not shown at this width: 2005" in " ".join(text.split())


def test_diff_without_differences() -> None:
    view = {"authority": "x", "name": "X", "from": {"id": "a", "framework": "sif", "name": "SIF", "start": "2013", "date": "2013"},
            "to": {"id": "b", "framework": "ilacs", "name": "ILACS", "start": "2018", "date": "2018"}, "unchanged_judgements": {"overall": "good"},
            "changes": [{"path": "themes.plans_quality", "label": "Quality of plans", "change": "still raised", "kind": "persisting", "from": ["p"], "to": ["q"]}],
            "items": [], "warnings": [], "differences": 0}
    assert render.plain(render.diff_lines(view)) == (
        "x: SIF 2013 → ILACS 2018 · no differences\n\nunchanged: overall effectiveness good\nstill raised: Quality of plans\n")
    assert render.diff_csv_rows(view) == (["path", "kind", "from", "to", "change", "authority", "from_id", "to_id"], [])


@dataclass
class Result:
    path: str
    status: str
    message: str = ""


def test_ingest_summary_groups_reasons() -> None:
    results = [Result("a.pdf", "added"), Result("b.pdf", "unchanged"), Result("c.docx", "skipped", "c.docx: not a document type ofstl reads"),
               *[Result(f"bad{i}.pdf", "error", f"bad{i}.pdf: names no local authority") for i in range(5)]]
    text = render.plain(render.ingest_summary(results, "/s", "ofstl timeline x"))
    assert text == ("1 added, 1 unchanged, 1 skipped, 5 failed · store /s\n"
                    "  skipped 1: not a document type ofstl reads\n"
                    "  failed 5: names no local authority\n"
                    "    bad0.pdf\n    bad1.pdf\n    bad2.pdf\n"
                    "    … and 2 more (--verbose lists them)\n"
                    "next: ofstl timeline x\n")
    verbose = render.plain(render.ingest_summary(results, "/s", None, verbose=True))
    assert verbose == ("1 added, 1 unchanged, 1 skipped, 5 failed · store /s\n"
                       "  skipped 1: not a document type ofstl reads\n"
                       "  failed 5: names no local authority\n")


def test_library_does_not_import_typer_or_rich() -> None:
    """Only the CLI skin (the ofstl.cli and ofstl.render packages) may import typer or rich."""
    import ast
    from pathlib import Path

    package = Path(render.__file__).parents[1]
    skin = {package / "cli", package / "render"}
    offenders = []
    for path in package.rglob("*.py"):
        if path.parent in skin:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n.split(".")[0] in ("typer", "rich", "click") for n in names):
                offenders.append(f"{path.relative_to(package)}:{node.lineno}")
    assert offenders == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="ab c·–", max_size=40), st.sampled_from(["", "bold"])), max_size=6),
       st.integers(min_value=10, max_value=60))
def test_fold_fits_the_width_and_keeps_every_character(segments, width) -> None:
    line = list(segments)
    pieces = render.fold(line, width)
    assert all(sum(len(t) for t, _ in piece) <= width for piece in pieces)
    original = "".join(t for t, _ in line).replace(" ", "")
    assert "".join(t for piece in pieces for t, _ in piece).replace(" ", "") == original


def test_fold_cuts_a_word_wider_than_many_lines_into_whole_lines() -> None:
    # a mangled store file's grade of 1.5 million characters: cut at an offset, never by copying
    # the rest of the word once a line (quadratic: show took half a minute)
    word = "".join(chr(97 + i % 26) for i in range(200_003))
    pieces = render.fold([("  printed: ", ""), (word, "bold"), (" end", "")], 100)
    texts = ["".join(t for t, _ in piece) for piece in pieces]
    assert texts[0] == "  printed: " + word[:89] and all(len(t) == 100 for t in texts[:-1])
    assert "".join(t[4:] for t in texts[1:]).replace(" end", "") == word[89:] and texts[-1].endswith(" end")


def test_show_says_what_is_not_known_of_the_fieldwork() -> None:
    from ofstl.render.reports import show_lines, show_markdown

    record = {"id": "x-2012-slac", "framework": "slac", "type": None, "start": "2012", "end": None, "published": None, "role": "mentioned",
              "judgements": {}, "weaknesses": [], "strengths": [], "sources": []}
    view = {"authority": "x", "name": "X", "record": record, "title": "SLAC", "item_themes": {"weaknesses": [], "strengths": []}}
    text = render.plain(show_lines(view))
    assert "fieldwork 2012 (end not stated) · published not stated" in text and "to not stated" not in text
    assert "fieldwork 2012 (end not stated)" in show_markdown(view)
    record.update(start=None)
    assert "fieldwork not stated · published not stated" in render.plain(show_lines(view))


def national_view() -> dict:
    labels = ["Leadership, management oversight and decision-making", "Assessment quality and timeliness", "Private fostering"]
    themes = [{"theme": f"t{i}", "label": label, "inspections": 28 - 9 * i, "share": 0.61 - 0.2 * i, "by_framework": {},
               "recurring_authorities": 1, "recurring_share": 0.5} for i, label in enumerate(labels)]
    return {"inspections": 46, "authorities_with_two_or_more": 8, "frameworks": {}, "themes": themes}


def test_themes_table_fits_a_narrow_terminal_without_cutting_bars_or_headers() -> None:
    from ofstl.render.lists import themes_lines
    from ofstl.render.registry import Options

    for width in (40, 50, 60, 72, 100):
        text = render.plain(themes_lines(national_view(), Options(width=width)))  # before any folding
        assert max(len(line) for line in text.splitlines()) <= width, (width, text)
        assert "█…" not in text, (width, text)
        assert "Private fostering" in text and "61%" in text and "21%" in text, (width, text)
    assert "█" in render.plain(themes_lines(national_view(), Options(width=100)))


def test_themes_markdown_names_themes_by_label_as_every_table_does() -> None:
    from ofstl.render.registry import Options, renderer

    text = renderer("themes", "markdown").render(national_view(), Options(width=100))
    assert "| Private fostering | 10 | 21% | 50% |" in text and "| t2 |" not in text
    assert "t2," in renderer("themes", "csv").render(national_view(), Options(width=100))  # ids stay in CSV


def _list_row(slug: str, name: str, grade: str | None, headline: str) -> dict:
    return {"authority": slug, "name": name, "inspections": 2, "inspections_read": 2, "visits_read": 0, "mentioned": 0, "first": "2016", "last": "2023",
            "latest_grade": grade, "latest_headline": headline, "latest_year": "2023"}


def test_list_keeps_slugs_whole_and_grades_with_their_year_as_the_width_falls() -> None:
    """At 80 columns the list printed "barking-and-dage…  Barking…  ...  requires improvemen…":
    a slug no command takes and a grade without its year."""
    from ofstl.render.lists import list_lines
    from ofstl.render.registry import Options

    rows = [_list_row("bournemouth-christchurch-and-poole", "Bournemouth, Christchurch & Poole", "requires improvement", "requires improvement"),
            _list_row("bedford", "Bedford", None, "grade not stated")]
    for width, name_shown, grade in ((160, True, "requires improvement (2023)"), (110, False, "requires improvement (2023)"),
                                     (84, False, "RI (2023)")):  # two more count columns than before
        text = render.plain(list_lines(rows, Options(width=width)))
        assert all(len(line) <= width for line in text.splitlines()), text
        assert "bournemouth-christchurch-and-poole " in text and grade in text
        assert ("Christchurch & Poole" in text) is name_shown
    assert "not stated (2023)" in render.plain(list_lines(rows, Options(width=84)))


def test_a_framework_name_longer_than_the_log_column_is_shown_whole() -> None:
    """Norfolk's 2013 inspection read "Looked after childr…": the name column widens for it."""
    view = {"authority": "x", "name": "X", "judgement_keys": ["leadership"], "themes": [], "inspections": [
        event("l", "2013-07-08", "lac", judgements={"leadership": "inadequate"})]}
    text = render.plain(render.timeline_lines(view, 100))
    assert "● 2013-07-08  Looked after children  " in text, text


def test_diff_markdown_is_a_page_with_the_words_as_text() -> None:
    """`diff --format markdown` was refused; a briefing wants the changed grades as a table and
    the weaknesses as words (a report's "*all*" is not emphasis)."""
    from ofstl.render.reports import diff_markdown

    view = {"authority": "x", "name": "X", "from": {"name": "SIF", "start": "2014-01-14", "date": "2014-01-14"},
            "to": {"name": "ILACS", "start": "2018-10-01", "date": "2018-10-01"},
            "warnings": [], "unchanged_judgements": {"children_in_care": "good"}, "differences": 2,
            "changes": [{"path": "judgements.overall", "label": "Overall effectiveness", "from": "requires improvement", "to": "good",
                         "change": "better", "direction": "up"},
                        {"path": "themes.plans_quality", "label": "Plans", "from": [], "to": [1], "change": "newly raised", "kind": "new"}],
            "items": [{"kind": "newly raised", "text": "Plans for *all* children.", "labels": ["Plans"], "theme_kinds": ["newly raised"]}]}
    page = diff_markdown(view)
    assert page.startswith("**X: SIF 2014-01-14 → ILACS 2018-10-01**\n\n2 differences.\n")
    assert "| Overall effectiveness | requires improvement | good | better ↑ |" in page
    assert "- Plans for \\*all\\* children. *(Plans)*" in page and "Unchanged: children in care good." in page
