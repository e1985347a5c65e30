"""The timeline as a self-contained HTML report: the chart, the inspections, the items.

``timeline_html(view, items)`` wraps the SVG chart of ``ofstl.render.picture`` in one HTML
page with no external assets (inline SVG and CSS): the chart, a table of every inspection
with its grades, and the verbatim items behind each weakness theme. A pure function of view
data; every piece of document text is escaped (``picture.escape``).
"""

from __future__ import annotations

from typing import Any

from ofstl.parse.labels import display_name
from ofstl.render.picture import HTML_MARK, arrow_mark, chart_svg, escape, event_date, is_corrected, year_of
from ofstl.render.registry import Options, renders
from ofstl.render.timeline import correction_legends, council_of, reorganisation_notes
from ofstl.vocabulary import (
    ARROW_LEGEND, CORRECTION_MARK, GRADE_LEGEND, GRADE_LEVEL, NOT_GRADED, SOURCE_LINE, UNDATED,
    could_be_words, date_shown, grade_short, inspections_and_visits, recurrence_legend, year_shown,
)


@renders("timeline", "html", "a self-contained page: the picture and the items behind each theme")
def html_format(view: dict[str, Any], options: Options) -> str:
    return timeline_html(view, view.get("theme_items", {}), options.today)


CSS = """
body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;margin:2rem auto;max-width:1000px;color:#1f2328;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem} h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
.sub{color:#57606a;margin-top:0} figure{margin:1rem 0} svg{max-width:100%;height:auto}
table{border-collapse:collapse;font-size:.8rem} td,th{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left} td:first-child{white-space:nowrap}
.g4{background:#1a7f37;color:#fff}.g3{background:#57ab5a;color:#fff}.g2{background:#d4a72c;color:#fff}.g1{background:#cf222e;color:#fff}
details{margin:.5rem 0} summary{cursor:pointer;font-weight:bold} .count{color:#57606a;font-weight:normal}
blockquote{margin:.3rem 0 .3rem 1rem;padding-left:.6rem;border-left:3px solid #d0d7de}
.when{color:#57606a;font-size:.85rem} .label{font-weight:normal} footer{margin-top:2rem;color:#57606a;font-size:.8rem}
"""


def timeline_html(view: dict[str, Any], items: dict[str, list[dict[str, Any]]], today: str = "") -> str:
    """A self-contained page: the chart, the inspections table, and the items behind each
    theme (``items``: ``ofstl.views.theme_items``)."""
    from ofstl import __version__

    events = sorted(view["inspections"], key=lambda e: (year_of(event_date(e)) is None, year_of(event_date(e)) or 0))
    rows = []
    for e in events:
        cells = []
        for key in view["judgement_keys"]:
            grade = e["judgements"].get(key)
            cls = f' class="g{GRADE_LEVEL.get(grade, 2)}"' if grade else ""
            mark = arrow_mark(e, key) + (CORRECTION_MARK if grade and is_corrected(e, key) else "")
            how = " (corrected by hand)" if grade and is_corrected(e, key) else ""
            cells.append(f'<td{cls} title="{escape(grade or "")}{how}">{escape(grade_short(grade) if grade else "")}{" " + mark if mark else ""}</td>')
        role = " · ".join(filter(None, [council_of(view, e), "only mentioned" if e["role"] == "mentioned" else ("" if e["graded"] else NOT_GRADED),
                                        "corrected by hand" if e.get("corrections") else "",
                                        could_be_words(e["could_be"], view["inspections"]) if e.get("could_be") else ""]))
        rows.append(f"<tr><td>{escape(date_shown(e['date']))}</td><td>{escape(e['name'])}</td><td>{escape(role)}"
                    f"{' · ' + escape(e['theme']) if e.get('theme') else ''}</td>{''.join(cells)}</tr>")
    head = "".join(f"<th>{escape(display_name(k))}</th>" for k in view["judgement_keys"])
    theme_blocks = []
    # year and framework: "2009, 2009" would not say which two inspections of 2009
    heads = {e["id"]: f"{year_shown(e['date'])} {e['short']}" for e in view["inspections"]}
    for t in view["themes"]:
        inner = []
        for entry in items.get(t["theme"], []):
            quotes = "".join(f"<blockquote>{escape(text)}</blockquote>" for text in entry["items"])
            inner.append(f'<div class="when">{escape(entry["date"])} · {escape(entry["name"])} · {escape(entry["id"])}</div>{quotes}')
        opened = " open" if t["recurring"] else ""
        theme_blocks.append(f'<details class="theme" id="theme-{escape(t["theme"])}"{opened}><summary>{escape(t["label"])} '
                            f'<span class="count">{t["count"]}× {escape(t["status"])} · {escape(", ".join(heads.get(i, y or UNDATED) for i, y in zip(t["inspections"], t["years"])))}</span></summary>'
                            f'{"".join(inner)}</details>')
    n = len(view["inspections"])
    reorganised = "".join(f"<br>{escape(note[:1].upper() + note[1:])}" for note in reorganisation_notes(view))
    legend = [GRADE_LEGEND, ARROW_LEGEND] + correction_legends(view, events)
    source = SOURCE_LINE.format(date=today) if today else SOURCE_LINE.split(",")[0]
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{HTML_MARK}
<title>{escape(view['name'])}: Ofsted inspection timeline</title>
<style>{CSS}</style>
</head>
<body>
<h1>{escape(view['name'])}</h1>
<p class="sub">Ofsted inspections of children's services: {inspections_and_visits(n)}, read from the documents by ofstl.{reorganised}</p>
<h2>Grades over time</h2>
<figure id="grade-chart">
{chart_svg(view, standalone=False, today=today)}</figure>
<h2>Inspections</h2>
<p class="sub">{escape(" · ".join(legend))}. Level 2 of the chart is requires improvement, or adequate before 2013.</p>
<div style="overflow-x:auto">
<table id="inspections">
<thead><tr><th>date</th><th>inspection</th><th>note</th>{head}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
</div>
<h2>Weakness themes and the items behind them</h2>
<p class="sub">Each theme with the words of the reports that raised it (verbatim), most frequent first. {escape(recurrence_legend(t["status"] for t in view["themes"]))}.</p>
<section id="themes">
{chr(10).join(theme_blocks) or '<p>No weaknesses recorded.</p>'}
</section>
<footer>{escape(source)} (ofstl {escape(__version__)}). Every grade and item comes from a document ofstl read; run <code>ofstl show {escape(view['authority'])} YEAR</code> for the evidence.</footer>
</body>
</html>
"""
