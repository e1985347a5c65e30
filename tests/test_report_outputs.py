"""What an analyst takes away: pictures, workbooks, Markdown pages, CSV, after corrections.

Each test here was written for a fault found by using the outputs as a person writing a
briefing paper would: a file of theirs overwritten, a picture that is not well-formed XML,
a correction the picture does not show, document text read as Markdown, column heads
printed over each other. The stores are written by hand (``tests.fixture_store``).
"""

from __future__ import annotations

import copy
import datetime as dt
import csv
import io
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ofstl.cli import app
from ofstl.store import Store
from tests.fixture_store import HILLINGDON, HOUNSLOW, _j, _record, _src, _w, make_store

ENV = {"COLUMNS": "100", "NO_COLOR": "1"}
# Document text that is also markup in every format ofstl writes.
NASTY = 'Children <b>at risk</b> & "families" | *all* of_them [see](http://x) \x1b[31m\x0c end'


def cli(store: Path, *args: str, code: int = 0) -> Any:
    result = CliRunner().invoke(app, ["--store", str(store), *args], env=ENV)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    return result


@pytest.fixture()
def store(tmp_path: Path) -> Path:
    return make_store(tmp_path / "store")


def nasty_store(root: Path) -> Path:
    """Hillingdon with a focused visit whose theme, weakness and source path are markup."""
    records = copy.deepcopy(HILLINGDON)
    visit = next(r for r in records if r["framework"] == "focused-visit")
    visit["theme"] = NASTY
    visit["weaknesses"].append(_w(NASTY, "exploitation_missing"))
    visit["sources"][0]["path"] = "docs/<b>visit</b> & *letter*.pdf"
    Store(root).save("hillingdon", records)
    Store(root).save("hounslow", HOUNSLOW)
    return root


# --------------------------------------------------------------------------- pictures


def test_a_file_that_only_mentions_ofstl_timeline_is_not_overwritten(store: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("# My briefing\n\nThe chart comes from `ofstl timeline hillingdon --svg chart.svg`.\n")
    before = notes.read_text()
    result = cli(store, "-q", "timeline", "hillingdon", "--svg", str(notes), code=2)
    assert "not a picture ofstl wrote" in result.stderr
    assert notes.read_text() == before  # was overwritten: the words 'ofstl timeline' anywhere were taken as ofstl's mark
    for flag in ("--svg", "--html"):  # ofstl's own pictures are still replaced without --force
        picture = tmp_path / f"own{flag[2:]}"
        cli(store, "-q", "timeline", "hillingdon", flag, str(picture))
        cli(store, "-q", "timeline", "hillingdon", flag, str(picture))


def test_a_picture_written_to_a_file_is_well_formed_whatever_the_documents_hold(tmp_path: Path) -> None:
    store = nasty_store(tmp_path / "store")
    svg, html = tmp_path / "t.svg", tmp_path / "t.html"
    cli(store, "-q", "timeline", "hillingdon", "--svg", str(svg), "--html", str(html))
    ET.fromstring(svg.read_bytes())  # a raw ESC or form feed from a document is not XML
    for text in (svg.read_text(), html.read_text(), cli(store, "timeline", "hillingdon", "--format", "svg").stdout):
        assert "\x1b" not in text and "\x0c" not in text
        assert "<b>" not in text and "\\x1b" in text
    assert svg.read_text() == cli(store, "timeline", "hillingdon", "--format", "svg").stdout  # the file is what stdout gets


# --------------------------------------------------------------------------- workbooks


def test_a_workbook_holds_any_path_as_text(tmp_path: Path) -> None:
    """A control character in a file name made openpyxl raise (exit 3); a name starting
    with '=' became a formula the spreadsheet would run."""
    from openpyxl import load_workbook

    store = nasty_store(tmp_path / "store")
    data = Store(store).load("hillingdon", raw=True)
    data["inspections"][0]["sources"][0]["path"] = 'docs/=HYPERLINK("http://example.org")\x1b.pdf'
    Store(store).save("hillingdon", data["inspections"])
    for args in (["export"], ["-q", "timeline", "hillingdon"]):
        book = tmp_path / f"{args[-1]}.xlsx"
        cli(store, *args, "--xlsx", str(book))
        cells = [c for row in load_workbook(book)["sources"].iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
        assert cells and all(c.data_type == "s" and "\\x1b" in c.value for c in cells), [(c.value, c.data_type) for c in cells]


def test_shares_in_a_workbook_read_as_percentages(store: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book = tmp_path / "national.xlsx"
    cli(store, "-q", "national", "--as-at", "2024-03-31", "--xlsx", str(book))
    sheet = load_workbook(book)["latest grades"]
    column = [c.value for c in sheet[1]].index("share") + 1
    shares = [row[column - 1] for row in sheet.iter_rows(min_row=2) if isinstance(row[column - 1].value, (int, float))]
    assert shares and {c.number_format for c in shares} == {"0.0%"}  # was 0.1429 in a General cell
    assert any(c.value == 0.5 for c in shares)  # the value itself is the CSV's


# --------------------------------------------------------------------------- corrections in every view


def test_a_corrected_grade_is_marked_in_the_picture_the_page_and_the_markdown(store: Path) -> None:
    cli(store, "correct", "hillingdon", "2018", "leadership", "good", "--note", "the table misprints it")
    svg = cli(store, "timeline", "hillingdon", "--format", "svg").stdout
    root = ET.fromstring(svg.encode())
    labels = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "G↑†" in labels  # the terminal's matrix says G↑†; the picture said G↑
    assert any(t and t.startswith("† corrected by hand") for t in labels)
    html = cli(store, "timeline", "hillingdon", "--format", "html").stdout
    assert "G ↑†" in html and "† corrected by hand" in html
    markdown = cli(store, "timeline", "hillingdon", "--format", "markdown").stdout
    assert "G↑†" in markdown and "† corrected by hand" in markdown  # the mark had no legend


def test_legends_explain_only_marks_that_are_shown(tmp_path: Path) -> None:
    """Hounslow has no mention and no correction: no '*' or '†' legend under its matrix."""
    store = make_store(tmp_path / "store")
    for fmt in ("svg", "markdown"):
        text = cli(store, "timeline", "hounslow", "--format", fmt).stdout
        assert "only mentioned by a later document" not in text and "corrected by hand" not in text, fmt
    assert "only mentioned by a later document" in cli(store, "timeline", "hillingdon", "--format", "svg").stdout


def test_one_year_of_inspections_is_not_a_range(tmp_path: Path) -> None:
    store = tmp_path / "store"
    Store(store).save("bexley", [_record("bexley-2019-07-ilacs", "ilacs", "2019-07-01", "2019-07-12", type_="standard",
                                         judgements={"overall": _j("good")}, sources=[_src("bexley.pdf", "a")])])
    svg = cli(store, "timeline", "bexley", "--format", "svg").stdout
    assert "1 inspection or visit, 2019<" in svg and "2019–2019" not in svg


def test_a_corrected_framework_is_no_grade_mark(store: Path) -> None:
    cli(store, "correct", "hillingdon", "2020", "framework", "monitoring-visit", "--note", "a monitoring visit letter")
    for fmt in ("table", "markdown", "svg", "html"):
        assert "† corrected by hand" not in cli(store, "timeline", "hillingdon", "--format", fmt).stdout, fmt


# --------------------------------------------------------------------------- Markdown


def rendered(markdown: str) -> str:
    """The page as a Markdown viewer shows it (CommonMark with tables, as GitHub and pandoc)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").render(markdown)


def test_document_text_in_a_markdown_page_is_text_not_markup(tmp_path: Path) -> None:
    store = nasty_store(tmp_path / "store")
    cli(store, "correct", "hillingdon", "2018", "leadership", "good", "--note", "see <the> letter's *table* [p. 3]")
    pages = [cli(store, "show", "hillingdon", "2020", "--format", "markdown").stdout,
             cli(store, "show", "hillingdon", "2018", "--format", "markdown").stdout,
             cli(store, "timeline", "hillingdon", "--format", "markdown").stdout]
    for page in pages:
        html = rendered(page)
        assert "<b>" not in html and "<a " not in html and "<em>" not in html and "<strong>" not in html, html
    shown = rendered(pages[0])
    assert "&lt;b&gt;at risk&lt;/b&gt; &amp; &quot;families&quot; | *all* of_them [see](http://x)" in shown  # the words as printed
    assert "docs/&lt;b&gt;visit&lt;/b&gt; &amp; *letter*.pdf" in shown
    assert "see &lt;the&gt; letter's *table* [p. 3]" in rendered(pages[1])
    assert "&lt;b&gt;at risk" in rendered(pages[2])


def test_the_backtest_page_gives_the_hit_rates_in_words(store: Path) -> None:
    page = cli(store, "due", "--backtest", "--format", "markdown").stdout
    assert page.startswith("**Backtest: ") and "| All pairs |" in page and "| First inspection graded | Good |" in page
    assert "after the window" in page and "hit_without_pause_rule" not in page  # was the CSV's 16 columns of codes, without the rates
    assert "Without moving windows for the 2020-21 pause" in page
    tables = [block for block in page.split("\n\n") if block.startswith("|")]
    assert len(tables) == 2 and all(len({line.count(" | ") for line in t.splitlines() if not line.startswith("|---")}) == 1 for t in tables)


def test_the_due_page_names_things_as_the_table_does(tmp_path: Path) -> None:
    store = make_store(tmp_path / "store")
    records = copy.deepcopy(HOUNSLOW)
    for j in records[-1]["judgements"].values():  # the latest known only from a mention without its grades
        j["grade"] = "good"
    records[-1]["judgements"] = {}
    records[-1]["role"] = "mentioned"
    Store(store).save("hounslow", records)
    page = cli(store, "due", "--as-at", "2024-01-01", "--format", "markdown").stdout
    assert "| Hounslow | London | ILACS, 2018-10 | Grade not stated |" in page, page  # was 'grade not stated' among 'Good', 'Outstanding'
    compare = cli(store, "compare", "hillingdon", "--format", "markdown").stdout
    assert "Not in the store: Redbridge, Waltham Forest" in compare  # the table's names, not slugs
    one = cli(store, "due", "hillingdon", "--as-at", "2019-01-01", "--format", "markdown").stdout
    assert "Window moved later by the pause 2020-03-17 to 2021-04-11" in one  # the terminal says so; the page did not


# --------------------------------------------------------------------------- many inspections

SVG = "{http://www.w3.org/2000/svg}"
CHAR = 7.2  # px per character of 12px bold DejaVu Sans, the widest of the fonts named


def twenty_inspections(root: Path) -> Path:
    """Twenty graded inspections a year apart, each followed by a focused visit: forty columns."""
    grades = ["outstanding", "good", "requires improvement", "inadequate"]
    records = []
    for i in range(20):
        year, framework = 2006 + i, "sif" if 2006 + i < 2018 else "ilacs"
        records.append(_record(f"kent-{year}-03-{framework}", framework, f"{year}-03-10", f"{year}-03-20",
                               type_="standard" if framework == "ilacs" else None,
                               judgements={k: _j(grades[(i + n) % 4]) for n, k in enumerate(("overall", "leadership", "help_and_protection"))},
                               weaknesses=[_w("Plans are not specific enough.", "plans_quality")], sources=[_src(f"kent_{year}.pdf", "c")]))
        records.append(_record(f"kent-{year}-09-focused-visit", "focused-visit", f"{year}-09-10", f"{year}-09-11",
                               weaknesses=[_w("Plans are not specific enough.", "plans_quality")],
                               sources=[_src(f"kent_{year}_fv.pdf", "d", "ofsted-letter")]))
    Store(root).save("kent", records)
    return root


def test_column_heads_never_print_over_each_other(tmp_path: Path) -> None:
    """With twenty inspections the heads '2006-03 SIF' were drawn 35 px apart, each 50 px
    wide: an unreadable band of digits above both matrices."""
    store = twenty_inspections(tmp_path / "store")
    root = ET.fromstring(cli(store, "timeline", "kent", "--format", "svg").stdout.encode())
    for group in ("grade-matrix", "themes"):
        heads = [t for t in root.iter(f"{SVG}text") if t.get("class") == "column-head" and t in list(_group(root, group).iter())]
        assert len(heads) >= 20, group
        level = [t for t in heads if "rotate" not in (t.get("transform") or "")]
        xs = sorted(float(t.get("x")) for t in level)
        widest = max((len(t.text or "") for t in level), default=0) * CHAR
        assert all(b - a >= widest for a, b in zip(xs, xs[1:])), (group, widest, xs[:3])
    labels = [t for t in _group(root, "grade-matrix").iter(f"{SVG}text") if t.get("class") == "grade-label"]
    cell = float(next(r for r in root.iter(f"{SVG}rect") if r.get("class") == "grade").get("width"))
    assert labels and all(len(t.text) * 0.62 * float(t.get("font-size", 12)) <= cell for t in labels)


def _group(root: ET.Element, name: str) -> ET.Element:
    return next(g for g in root.iter(f"{SVG}g") if g.get("id") == name)


def test_a_few_inspections_keep_their_heads_level(store: Path) -> None:
    root = ET.fromstring(cli(store, "timeline", "hillingdon", "--format", "svg").stdout.encode())
    heads = [t for t in root.iter(f"{SVG}text") if t.get("class") == "column-head"]
    assert heads and not any(t.get("transform") for t in heads)


# --------------------------------------------------------------------------- reorganised councils


def successor_store(root: Path) -> Path:
    """Northamptonshire's inspections and West Northamptonshire's first (it began in 2021)."""
    store = Store(root)
    store.save("northamptonshire", [
        _record("northamptonshire-2016-04-sif", "sif", "2016-04-11", "2016-05-05", judgements={"overall": _j("inadequate")},
                weaknesses=[_w("Plans for children are not specific.", "plans_quality")], sources=[_src("n2016.pdf", "a")]),
        _record("northamptonshire-2019-11-ilacs", "ilacs", "2019-11-04", "2019-11-15", type_="standard", judgements={"overall": _j("inadequate")},
                sources=[_src("n2019.pdf", "b")])])
    store.save("west-northamptonshire", [
        _record("west-northamptonshire-2022-10-ilacs", "ilacs", "2022-10-03", "2022-10-14", type_="standard",
                judgements={"overall": _j("requires improvement")}, sources=[_src("w2022.pdf", "c")])])
    return root


def test_a_predecessor_councils_inspection_is_named_as_its_in_every_format(tmp_path: Path) -> None:
    """The terminal says 'predecessor: Northamptonshire'; the Markdown page called the 2016
    inspection West Northamptonshire's own ('subject'), and the CSV, the picture and the HTML
    page did not say whose it was."""
    store = successor_store(tmp_path / "store")
    markdown = cli(store, "timeline", "west-northamptonshire", "--format", "markdown").stdout
    assert "| 2016-04-11 | SIF | predecessor: Northamptonshire | inadequate |" in markdown
    assert "succeeds Northamptonshire (until 2021-03-31)" in markdown
    rows = list(csv.DictReader(io.StringIO(cli(store, "timeline", "west-northamptonshire", "--format", "csv").stdout)))
    assert [r["inspected_as"] for r in rows] == ["northamptonshire", "northamptonshire", ""]
    html = cli(store, "timeline", "west-northamptonshire", "--format", "html").stdout
    assert "<td>predecessor: Northamptonshire</td>" in html and "Succeeds Northamptonshire (until 2021-03-31)" in html
    root = ET.fromstring(cli(store, "timeline", "west-northamptonshire", "--format", "svg").stdout.encode())
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "Succeeds Northamptonshire (until 2021-03-31)" in texts
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert any("2016-04-11 SIF of Northamptonshire" in (t or "") for t in titles), titles


def test_a_workbook_traces_a_corrected_figure_to_the_correction(store: Path, tmp_path: Path) -> None:
    """compare --xlsx gave Hounslow's corrected overall grade the report that reads otherwise
    as its source; the sources sheet now names the correction, and the export's its too."""
    from openpyxl import load_workbook

    day_before = dt.datetime.now(dt.timezone.utc).date()
    cli(store, "correct", "hounslow", "2018", "overall", "requires improvement", "--note", "the letter of 2018-11-12 says so")
    # The day it was made on, as stored (the clock read again may be past midnight UTC by now).
    [made] = [c["date"] for c in Store(store).load("hounslow", raw=True)["corrections"]]
    assert made in {day_before.isoformat(), dt.datetime.now(dt.timezone.utc).date().isoformat()}
    book = tmp_path / "compare.xlsx"
    cli(store, "-q", "compare", "hillingdon", "--with", "hounslow", "--xlsx", str(book))
    rows = [r for r in load_workbook(book)["sources"].iter_rows(values_only=True) if r[0] == "hounslow overall"]
    assert rows == [("hounslow overall", "hounslow", "hounslow-2018-10-ilacs", "ilacs", dt.datetime(2018, 10, 1), None,
                     f"corrected by hand, {made}: the letter of 2018-11-12 says so", "correction", "judgements.overall")]
    assert any(r[0] == "hounslow leadership" and r[7] == "ofsted-report" for r in load_workbook(book)["sources"].iter_rows(values_only=True))
    cli(store, "export", "--xlsx", str(tmp_path / "export.xlsx"))
    kinds = [r[7] for r in load_workbook(tmp_path / "export.xlsx")["sources"].iter_rows(values_only=True) if r[2] == "hounslow-2018-10-ilacs"]
    assert kinds == ["ofsted-report", "correction"]


# --------------------------------------------------------------------------- ofstl correct


def test_a_correction_to_a_day_the_calendar_lacks_is_refused(store: Path) -> None:
    """'2013-02-30' was stored, and due --backtest then ended in exit 3."""
    result = cli(store, "correct", "hillingdon", "2013", "start", "2013-02-30", "--note", "typo", code=2)
    assert "'2013-02-30' is not a date" in result.stderr
    assert "corrections" not in (store / "authorities" / "hillingdon.yaml").read_text()
    cli(store, "correct", "hillingdon", "2013", "start", "2013-11", "--note", "the month is all the letter gives")
    cli(store, "due", "--backtest")


def test_only_sif_and_ilacs_take_a_type(store: Path) -> None:
    """A focused visit took 'type banana' and the log showed 'Focused visit (bana…'."""
    assert "has no type" in cli(store, "correct", "hillingdon", "2020", "type", "banana", "--note", "x", code=2).stderr
    assert "one of: standard, short" in cli(store, "correct", "hillingdon", "2018", "type", "banana", "--note", "x", code=2).stderr
    cli(store, "correct", "hillingdon", "2018", "type", "short", "--note", "a short inspection")


def test_a_correction_that_matches_no_inspection_is_said_by_every_view(store: Path) -> None:
    """timeline, show and compare warned; export, national, due, list and themes were silent,
    so a script took the figure as corrected."""
    path = store / "authorities" / "hounslow.yaml"
    path.write_text(path.read_text().replace("inspections:\n", "corrections:\n- inspection: hounslow-2015-01-sif\n  field: judgements.overall\n"
                                             "  value: good\n  note: an id typed by hand\n  date: '2026-11-29'\ninspections:\n", 1))
    for args in (["export"], ["national"], ["due"], ["list"], ["themes"], ["timeline", "hounslow"], ["compare", "hounslow"]):
        warnings = [line for line in cli(store, *args).stderr.splitlines() if "matches no inspection now" in line]
        assert len(warnings) == 1 and "hounslow-2015-01-sif" in warnings[0], (args, warnings)


def test_the_picture_has_a_text_alternative(store: Path) -> None:
    """It had an aria-label only: no <title> (a browser tab, a screen reader) and nothing that
    said the grades in words to someone who cannot see the chart."""
    root = ET.fromstring(cli(store, "timeline", "hillingdon", "--format", "svg").stdout.encode())
    title, desc = root[0], root[1]
    assert title.tag == f"{SVG}title" and title.text == "Hillingdon: Ofsted inspections of children's services"
    assert desc.tag == f"{SVG}desc" and "2013-11-25 SIF: requires improvement" in desc.text and "2023-10-02 ILACS (short): outstanding" in desc.text
    assert root.get("aria-labelledby") == "chart-title chart-desc"


def test_the_pictures_theme_legend_is_whole_and_inside_the_picture(store: Path) -> None:
    """The legend under the themes was one line of some 1,200px in a 960px picture: its end,
    what "resolved" means, was cut off."""
    from ofstl.render.picture import NOTE_CHAR, W
    from ofstl.vocabulary import RECURRENCE_LEGEND

    root = ET.fromstring(cli(store, "timeline", "hillingdon", "--format", "svg").stdout.encode())
    themes = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "themes")
    notes = [t.text for t in themes if t.tag == f"{SVG}text" and t.get("font-size") == "10"]
    assert RECURRENCE_LEGEND in " · ".join(notes)
    assert len(notes) >= 2 and all(20 + len(n) * NOTE_CHAR <= W - 20 for n in notes), notes
    ys = [float(t.get("y")) for t in themes if t.get("font-size") == "10"]
    assert ys == sorted(set(ys)) and max(ys) < float(root.get("height")) - 20  # above the source line, none overprinted


# --------------------------------------------------------------------------- CSV


def test_the_export_csv_leaves_out_no_grade(tmp_path: Path) -> None:
    """A SLAC's two capacity judgements and a LAC inspection's outcomes and quality of provision
    were in the JSON export but in no column of the CSV or the workbook."""
    store = tmp_path / "store"
    Store(store).save("kent", [
        _record("kent-2010-03-slac", "slac", "2010-03-01", judgements={"help_and_protection": _j("adequate"), "capacity_safeguarding": _j("good"),
                                                                          "capacity_children_in_care": _j("adequate")}, sources=[_src("k.pdf", "a")]),
        _record("kent-2013-07-lac", "lac", "2013-07-01", judgements={"outcomes": _j("adequate"), "quality_of_provision": _j("inadequate")},
                sources=[_src("l.pdf", "b")])])
    text = cli(store, "export", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["capacity_safeguarding"] == "good" and rows[0]["capacity_children_in_care"] == "adequate"
    assert rows[1]["outcomes"] == "adequate" and rows[1]["quality_of_provision"] == "inadequate"
    header = text.splitlines()[0].split(",")
    assert header[:17] == ["id", "authority", "framework", "type", "start", "end", "published", "overall", "leadership", "help_and_protection",
                           "children_in_care", "care_leavers", "adoption", "lscb", "capacity", "weaknesses", "themes"]  # the contract's columns first
    assert header[-10:] == ["other_judgements", "corrected", "outcome", "inspected_as", "disagreements", "role", "reported", "framework_candidates", "theme",
                            "could_be"] and all(r["other_judgements"] == "" for r in rows)


def test_list_and_themes_pages_are_in_words(store: Path) -> None:
    """list --format markdown was the CSV (latest_grade, an empty cell for 'grade not stated')."""
    Store(store).save("bedford", [_record("bedford-2017-02-sif", "sif", "2017-02", role="mentioned", judgements={"leadership": _j("good")},
                                          sources=[_src("b.pdf", "a", role="mentioned")])])
    page = cli(store, "list", "--format", "markdown").stdout
    assert page.startswith("| Authority | Name | Inspections | Visits | Mentioned | Years | Latest grade |")  # visits and mentions apart
    assert "| bedford | Bedford | 0 | 0 | 1 | 2017 | grade not stated (2017) |" in page and "| hillingdon | Hillingdon | 4 | 1 | 1 | 2009–2023 | outstanding (2023) |" in page
    themes = cli(store, "themes", "--format", "markdown").stdout
    assert themes.startswith("| Theme | Inspections | Share | Recurring share |") and "Recurring share: of the " in themes


def test_compare_marks_a_corrected_grade(store: Path) -> None:
    """compare showed a corrected grade as if a report had given it (JSON source: null, nothing else)."""
    cli(store, "correct", "hounslow", "2018", "overall", "requires improvement", "--note", "the letter says so")
    table = cli(store, "compare", "hillingdon", "--with", "hounslow").stdout
    assert "RI=†" in table.split("\n")[4] and "† corrected by hand" in table
    page = cli(store, "compare", "hillingdon", "--with", "hounslow", "--format", "markdown").stdout
    assert "Requires improvement =†" in page and "† corrected by hand" in page
    import json
    rows = json.loads(cli(store, "compare", "hillingdon", "--with", "hounslow", "--format", "json").stdout)["rows"]
    assert rows[1]["judgements"]["overall"]["corrected"] is True and "corrected" not in rows[1]["judgements"]["leadership"]


def test_a_framework_correction_is_confirmed_by_name(store: Path) -> None:
    result = cli(store, "correct", "hillingdon", "2020", "framework", "Monitoring visit", "--note", "the letter is a monitoring visit's")
    assert "framework: Monitoring visit (monitoring-visit)" in result.stderr + result.stdout  # was 'framework: monitoring-visit'


def test_one_theme_across_authorities_has_a_markdown_page(tmp_path: Path) -> None:
    """themes --format markdown worked but themes --theme X --format markdown was refused."""
    records = copy.deepcopy(HILLINGDON)
    records[-2]["weaknesses"].append(_w("Return home interviews for children missing from care are <b>late</b> & *rarely* [offered](x).",
                                        "exploitation_missing"))
    Store(tmp_path / "store").save("hillingdon", records)
    page = cli(tmp_path / "store", "themes", "--theme", "exploitation_missing", "--items", "--format", "markdown").stdout
    assert page.startswith("**") and "| Authority | Recurrence | Raised by (year, framework) |" in page
    assert "| Hillingdon | 2× " in page
    html = rendered(page)
    assert "are &lt;b&gt;late&lt;/b&gt; &amp; *rarely* [offered](x)." in html and "<b>" not in html  # the reports' words as text


def test_two_outputs_to_one_file_are_refused_before_anything_is_written(store: Path, tmp_path: Path) -> None:
    """--svg, --html and --xlsx naming one file: the workbook was written, then the picture
    refused as 'not a picture ofstl wrote' (exit 2, half done); --svg then --html overwrote it."""
    target = tmp_path / "out"
    result = cli(store, "timeline", "hillingdon", "--svg", str(target), "--html", str(target), "--xlsx", str(target), code=2)
    assert "--svg and --html name the same file" in result.stderr and not target.exists()


def test_the_national_page_by_region_says_how_much_of_each_region_it_covers(store: Path) -> None:
    """'London: 2 graded' said nothing of London's 33 authorities; the CSV and JSON have it."""
    page = cli(store, "national", "--by", "region", "--as-at", "2024-03-31", "--judgement", "overall", "--format", "markdown").stdout
    assert "| Region | Covered | Judgement |" in page and "| London | 2 of 33 | Overall effectiveness | 2 |" in page
    assert "| England | 2 of 153 |" in page


def test_the_show_page_lists_disagreements_between_sources() -> None:
    from ofstl.render.reports import show_markdown

    record = {"id": "x-2013-sif", "role": "subject", "start": "2013", "end": None, "published": None, "judgements": {}, "weaknesses": [],
              "strengths": [], "sources": [], "theme": "help <for> families",
              "disagreements": [{"field": "judgements.overall", "readings": [
                  {"value": "good", "sha256": "a" * 64, "kind": "ofsted-report", "page": 1, "method": "table"},
                  {"value": "adequate", "sha256": "b" * 64, "kind": "news", "page": None, "method": "body"}]}]}
    page = show_markdown({"record": record, "name": "X", "title": "SIF", "item_themes": {"weaknesses": [], "strengths": []}})
    assert "- judgements.overall: good (ofsted-report aaaaaaaaaaaa p.1 table) vs adequate (news bbbbbbbbbbbb body)" in page
    assert "Theme: help \\<for\\> families" in page  # the table gives both; the page gave neither


def test_an_inspection_whose_grade_is_not_stated_is_not_drawn_as_a_visit(tmp_path: Path) -> None:
    """A mention of 'the ILACS in 2022' with no grade sat among 'Visits (not graded)' as if it were one."""
    store = tmp_path / "store"
    Store(store).save("west-northamptonshire", [
        _record("west-northamptonshire-2022-10-ilacs", "ilacs", "2022-10", role="mentioned", sources=[_src("w.pdf", "a", role="mentioned")]),
        _record("west-northamptonshire-2023-10-focused-visit", "focused-visit", "2023-10-18", sources=[_src("w.pdf", "a")])])
    root = ET.fromstring(cli(store, "timeline", "west-northamptonshire", "--format", "svg").stdout.encode())
    visits = _group(root, "visits")
    assert [t.text for t in visits.iter(f"{SVG}text")] == ["ILACS?", "FV"]
    assert any("grade not stated" in (t.text or "") for t in visits.iter(f"{SVG}title"))
    assert any(t.text == "?: grade not stated" for t in root.iter(f"{SVG}text"))


def test_csv_says_which_values_a_person_corrected(store: Path) -> None:
    """The JSON lists corrections; the CSV gave a corrected grade as if a report had."""
    cli(store, "correct", "hillingdon", "2018", "leadership", "good", "--note", "misprint")
    cli(store, "correct", "hillingdon", "2018", "published", "2018-06-01", "--note", "the letter's date")
    for args in (["timeline", "hillingdon"], ["export"]):
        rows = {r["id"]: r for r in csv.DictReader(io.StringIO(cli(store, *args, "--format", "csv").stdout))}
        assert rows["hillingdon-2018-04-ilacs"]["corrected"] == "judgements.leadership|published", args
        assert rows["hillingdon-2013-11-sif"]["corrected"] == ""


def test_a_backtest_with_no_pairs_says_so(tmp_path: Path) -> None:
    store = tmp_path / "store"
    Store(store).save("bexley", [_record("bexley-2019-07-ilacs", "ilacs", "2019-07-01", type_="standard", judgements={"overall": _j("good")},
                                         sources=[_src("b.pdf", "a")])])
    for fmt in ("table", "markdown"):
        text = cli(store, "due", "--backtest", "--format", fmt).stdout
        assert "0 of 0" not in text and "()" not in text and "no two consecutive full inspections" in text, fmt


def test_compare_csv_has_the_same_header_whatever_the_store_holds(store: Path) -> None:
    """The columns were the judgements the compared authorities happened to have: 12 for two
    ILACS-only authorities, 36 with a SIF, so a script's header changed with the store."""
    Store(store).save("bexley", [_record("bexley-2019-07-ilacs", "ilacs", "2019-07-01", type_="standard",
                                         judgements={"overall": _j("good")}, sources=[_src("b.pdf", "a")])])
    headers = {cli(store, "compare", subject, "--with", other, "--format", "csv").stdout.splitlines()[0]
               for subject, other in (("hillingdon", "hounslow"), ("hounslow", "bexley"), ("bexley", "greenwich"))}
    # and other_judgements, last_full_type, subject, as_at; then each key's status, superseded grade and its date
    assert len(headers) == 1 and len(headers.pop().split(",")) == 8 + 7 * 4 + 4 + 7 * 3


def test_show_says_whose_inspection_a_predecessors_is(tmp_path: Path) -> None:
    """show west-northamptonshire 2016 titled Northamptonshire's SIF as West Northamptonshire's, in the table and the page."""
    store = successor_store(tmp_path / "store")
    assert "predecessor: Northamptonshire" in cli(store, "show", "west-northamptonshire", "2016").stdout
    assert "Predecessor: Northamptonshire" in cli(store, "show", "west-northamptonshire", "2016", "--format", "markdown").stdout
    assert "predecessor" not in cli(store, "show", "west-northamptonshire", "2022").stdout


def test_diff_says_when_a_side_was_corrected_by_hand(store: Path) -> None:
    """diff gave 'leadership: worse, outstanding -> good' with no word that 'good' was a person's correction."""
    cli(store, "correct", "hillingdon", "2023", "leadership", "good", "--note", "misprint")
    table = cli(store, "diff", "hillingdon").stdout
    assert "has values corrected by hand (leadership): ofstl show hillingdon hillingdon-2023-10-ilacs says why" in " ".join(table.split())
    import json
    assert any("corrected by hand" in w for w in json.loads(cli(store, "diff", "hillingdon", "--format", "json").stdout)["warnings"])


def test_due_marks_a_window_that_stands_on_a_correction(store: Path) -> None:
    cli(store, "correct", "hounslow", "2018", "overall", "requires improvement", "--note", "the letter says so")
    table = cli(store, "due", "--as-at", "2020-01-01").stdout
    assert "RI†" in table and "† the last full inspection's grade, date or framework was corrected by hand" in " ".join(table.split())
    page = cli(store, "due", "--as-at", "2020-01-01", "--format", "markdown").stdout
    assert "| Requires improvement† |" in page
    import json
    rows = {r["authority"]: r for r in json.loads(cli(store, "due", "--as-at", "2020-01-01", "--format", "json").stdout)["authorities"]}
    assert rows["hounslow"]["corrected"] == ["judgements.overall"] and "corrected" not in rows["hillingdon"]


def test_national_says_which_counted_grades_a_person_corrected(store: Path) -> None:
    cli(store, "correct", "hounslow", "2018", "overall", "requires improvement", "--note", "the letter says so")
    for fmt in ("table", "markdown"):
        text = " ".join(cli(store, "national", "--as-at", "2020-01-01", "--format", fmt).stdout.split())
        assert "orrected by hand, counted as corrected: hounslow overall" in text, fmt
    import json
    assert json.loads(cli(store, "national", "--as-at", "2020-01-01", "--format", "json").stdout)["corrected"] == ["hounslow overall"]
    assert "corrected" not in json.loads(cli(store, "national", "--as-at", "2016-01-01", "--format", "json").stdout)


def test_an_area_send_outcome_is_in_show_and_the_export_csv(tmp_path: Path) -> None:
    """The outcome was in the JSON export only: show and the CSV left it out."""
    store = tmp_path / "store"
    record = _record("kent-2019-01-send", "send", "2019-01-14", "2019-01-18", sources=[_src("s.pdf", "a", "ofsted-letter")])
    record["outcome"] = "written statement of action"
    Store(store).save("kent", [record])
    assert "outcome: written statement of action" in cli(store, "show", "kent").stdout
    assert "Outcome: written statement of action" in cli(store, "show", "kent", "--format", "markdown").stdout
    rows = list(csv.DictReader(io.StringIO(cli(store, "export", "--format", "csv").stdout)))
    assert rows[0]["outcome"] == "written statement of action"


def test_a_timeline_workbook_gives_a_predecessors_inspection_to_that_council(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    store = successor_store(tmp_path / "store")
    book = tmp_path / "t.xlsx"
    cli(store, "-q", "timeline", "west-northamptonshire", "--xlsx", str(book))
    owners = {r[2]: r[1] for r in load_workbook(book)["sources"].iter_rows(min_row=2, values_only=True) if r[2]}
    assert owners["northamptonshire-2016-04-sif"] == "northamptonshire"  # was west-northamptonshire
    assert owners["west-northamptonshire-2022-10-ilacs"] == "west-northamptonshire"
    sheet = load_workbook(book)["inspections"]
    header = [c.value for c in sheet[1]]
    assert [row[header.index("inspected_as")] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["northamptonshire", "northamptonshire", None]


def test_an_inspection_corrected_by_hand_says_so_in_the_page_and_the_report(store: Path) -> None:
    """The log says 'corrected by hand' of a corrected framework or date; the Markdown and HTML tables did not."""
    cli(store, "correct", "hillingdon", "2020", "framework", "monitoring-visit", "--note", "a monitoring visit letter")
    assert "| 2020-01-15 | Monitoring visit | subject · corrected by hand |" in cli(store, "timeline", "hillingdon", "--format", "markdown").stdout
    assert "<td>not graded · corrected by hand · vulnerable adolescents</td>" in cli(store, "timeline", "hillingdon", "--format", "html").stdout
