"""Questions across authorities (compare, national, due, --xlsx) on generated stores with known answers.

Every store here is written by the test itself (``Store.save`` with hand-made records), so
each expected count, share, window and hit rate is worked out by hand in the test.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest

from ofstl import across, comparators, cycle
from ofstl.store import Store
from tests.fixture_store import _j, _record, make_store
from tests.test_cli import check_golden, run

ROOT = Path(__file__).resolve().parent.parent
LOOKUP = ROOT.parent / "shared" / "reference" / "Provider_data_lookup.csv"
EXT = {"table": "txt", "json": "json.txt", "csv": "csv.txt", "markdown": "md.txt"}


def full(slug: str, framework: str, start: str, type_: str | None = None, **grades: str) -> dict[str, Any]:
    return _record(f"{slug}-{start[:7]}-{framework}", framework, start, type_=type_,
                   judgements={k: _j(g.replace("_", " ")) for k, g in grades.items()},
                   sources=[{"path": f"docs/{slug}-{start}.pdf", "sha256": start.replace("-", "") * 8, "kind": "ofsted-report", "role": "subject"}])


def visit(slug: str, framework: str, start: str) -> dict[str, Any]:
    return _record(f"{slug}-{start[:7]}-{framework}", framework, start)


# --------------------------------------------------------------------------- neighbours and regions


def test_neighbours_and_regions_of_reorganised_authorities() -> None:
    assert comparators.region("west-northamptonshire") == "East Midlands"
    assert "north-northamptonshire" in comparators.neighbours("west-northamptonshire")
    assert len(comparators.neighbours("west-northamptonshire")) == 10
    assert comparators.neighbours("cumberland")[0] == "westmorland-and-furness"  # the model's closest first
    assert comparators.region("westmorland-and-furness") == "North West"
    assert comparators.region("bournemouth-christchurch-and-poole") == "South West"
    assert "somerset" in comparators.neighbours("dorset") and "dorset" in comparators.neighbours("somerset")
    assert comparators.neighbours("cumbria") == []  # abolished: no neighbours of its own
    assert comparators.region("cumbria") == "North West"
    assert comparators.region("bournemouth") == "South West"  # from ofstl's own list, one spelling
    assert comparators.region("barnsley") == "Yorkshire and the Humber"
    assert all(len(comparators.neighbours(a.slug)) == 10 for a in comparators.current())
    assert {s for a in comparators.current() for s in comparators.neighbours(a.slug)} <= {a.slug for a in comparators.current()}


def test_authorities_existing_on_a_date() -> None:
    assert len(comparators.authorities_on("2024-03-31")) == 153
    on_2018 = comparators.authorities_on("2018-03-31")
    assert len(on_2018) == 152 and "northamptonshire" in on_2018 and "dorset" not in on_2018 and "poole" in on_2018
    assert len(comparators.authorities_on("2020-03-31")) == 151  # BCP and Dorset from three councils
    assert comparators.entity("somerset-county-council") == "somerset"  # continued: same area
    assert comparators.entity("cumbria") == "cumbria" and comparators.created_on("cumberland") == "2023-04-01"


@pytest.mark.skipif(not LOOKUP.exists(), reason="../shared/reference not present")
def test_neighbour_file_is_what_the_script_derives() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_neighbours", ROOT / "docs" / "make_neighbours.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    rows = module.derive(LOOKUP)
    text = (ROOT / "ofstl" / "data" / "neighbours.csv").read_text(encoding="utf-8")
    assert "data-to-insight" in text and "MIT" in text
    shipped = list(csv.DictReader(line for line in io.StringIO(text) if not line.startswith("#")))
    assert shipped == rows


def test_compare_region_of_a_reorganised_authority(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.save("west-northamptonshire", [full("west-northamptonshire", "ilacs", "2022-10-03", "standard", overall="requires_improvement")])
    store.save("northamptonshire", [full("northamptonshire", "sif", "2016-06-06", overall="inadequate"),
                                    full("northamptonshire", "ilacs", "2019-06-17", "standard", overall="inadequate")])
    view = json.loads(run(tmp_path, "compare", "West Northamptonshire", "--region", "--with", "Northamptonshire", "--as-at", "2024-10-03", "-f", "json").stdout)
    roles = {r["authority"]: r["role"] for r in view["rows"]}
    assert roles["west-northamptonshire"] == "subject" and roles["north-northamptonshire"] == "region"
    assert roles["northamptonshire"] == "named" and roles["leicestershire"] == "region"
    assert len([r for r in view["rows"] if r["role"] == "region"]) == 9  # the other current East Midlands authorities
    subject = view["rows"][0]
    assert subject["months_since"] == 24.0 and subject["judgements"]["overall"]["grade"] == "requires improvement"
    old = next(r for r in view["rows"] if r["authority"] == "northamptonshire")
    assert old["judgements"]["overall"] == {"grade": "inadequate", "date": "2019-06-17", "framework": "ilacs", "inspection": "northamptonshire-2019-06-ilacs",
                                            "source": "aaaaaaaaaaaa", "change": "same", "previous": "inadequate",
                                            "status": "graded", "superseded": None}
    assert "north-northamptonshire" in view["not_in_store"]


# --------------------------------------------------------------------------- national


def national_store(root: Path) -> Path:
    store = Store(root)
    store.save("barnet", [full("barnet", "sif", "2017-01-09", overall="inadequate", leadership="inadequate"),
                          full("barnet", "ilacs", "2019-05-13", "standard", overall="good", leadership="good"),
                          visit("barnet", "focused-visit", "2021-06-01")])
    store.save("bexley", [full("bexley", "ilacs", "2019-06-03", "standard", overall="requires_improvement", leadership="good"),
                          full("bexley", "ilacs", "2023-02-06", "standard", overall="outstanding", leadership="outstanding", care_leavers="outstanding")])
    # Inspected after April 2026: no overall judgement.
    store.save("brent", [full("brent", "ilacs", "2022-01-10", "short", overall="good", leadership="good"),
                         full("brent", "ilacs", "2026-04-27", "short", leadership="outstanding", help_and_protection="good")])
    store.save("bromley", [visit("bromley", "focused-visit", "2019-02-01")])  # in the store, no full inspection
    store.save("bury", [_record("bury-2012-01-slac", "slac", "2012-01-09", judgements={"help_and_protection": _j("adequate")})])
    store.save("camden", [full("camden", "ilacs", "2019-03-04", "standard", overall="outstanding", leadership="outstanding"),
                          full("camden", "ilacs", "2023-03-06", "short", overall="good", leadership="outstanding")])
    return root


def test_national_shares_and_transitions(tmp_path: Path) -> None:
    stored = list(Store(national_store(tmp_path)).load_all())
    view = across.national(stored, "2026-06-30")
    assert view["authorities"] == 153 and view["covered"] == 4  # bromley (a visit), bury (a SLAC) are not covered
    assert "bromley" in view["not_covered"] and "bury" in view["not_covered"]
    overall = view["judgements"][0]
    assert overall["judgement"] == "overall"
    assert overall["graded"] == 3 and overall["not_judged"] == 1  # brent's 2026 inspection made no overall judgement
    assert overall["grades"]["good"] == {"count": 2, "share": 0.6667}
    assert overall["grades"]["outstanding"] == {"count": 1, "share": 0.3333}
    assert overall["good_or_outstanding"] == {"count": 3, "share": 1.0}
    transitions = view["transitions"][0]
    # barnet I->G improved, bexley RI->O improved, camden O->G declined, brent G->(none) not comparable
    assert (transitions["pairs"], transitions["improved"], transitions["declined"], transitions["not_comparable"]) == (3, 2, 1, 1)
    assert transitions["by_frameworks"]["sif->ilacs"]["improved"] == 1
    leadership = view["transitions"][1]
    assert (leadership["improved"], leadership["stayed_good_or_outstanding"], leadership["pairs"]) == (3, 1, 4)


def test_national_as_at_a_date_between_two_inspections(tmp_path: Path) -> None:
    stored = list(Store(national_store(tmp_path)).load_all())
    view = across.national(stored, "2021-12-31", judgement="overall")
    assert view["covered"] == 3  # brent's first inspection is in 2022
    d = view["judgements"][0]
    assert d["grades"]["good"]["count"] == 1 and d["grades"]["requires improvement"]["count"] == 1 and d["grades"]["outstanding"]["count"] == 1
    assert view["transitions"][0]["pairs"] == 1  # only barnet's SIF -> ILACS so far
    assert len(comparators.authorities_on("2021-12-31")) == view["authorities"] == 152


def test_national_by_region_cli(tmp_path: Path) -> None:
    national_store(tmp_path)
    out = run(tmp_path, "national", "--as-at", "2026-06", "--by", "region", "--judgement", "overall", "-f", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    london = {r["category"]: r for r in rows if r["region"] == "London" and r["measure"] == "latest_grade"}
    assert london["good"]["count"] == "2" and london["not_judged"]["count"] == "1"
    north_west = {r["category"]: r for r in rows if r["region"] == "North West" and r["measure"] == "coverage"}
    assert north_west["covered"]["count"] == "0"  # bury's SLAC is not a full inspection
    assert any(r["measure"] == "transition sif->ilacs" for r in rows)
    table = run(tmp_path, "national", "--as-at", "2026-06-30").stdout
    assert "4 of 153 authorities" in table and "counted: full inspections only" in table


# --------------------------------------------------------------------------- due


RULES = cycle.load_rules()


@pytest.mark.parametrize("grade,kind,opens,closes", [
    ("outstanding", "short", "2025-07-10", "2026-07-10"),
    ("good", "short", "2025-07-10", "2026-07-10"),
    ("requires improvement", "standard", "2025-07-10", "2026-07-10"),
    ("inadequate", "standard", "2024-07-10", "2026-01-10"),
])
def test_due_window_for_each_grade(grade: str, kind: str, opens: str, closes: str) -> None:
    win = cycle.window("2023-01-10", grade, RULES)
    assert (win["kind"], win["opens"], win["closes"], win["paused"]) == (kind, opens, closes, [])
    assert win["monitoring"] is (grade == "inadequate")


def test_due_window_moves_past_the_pandemic_pause() -> None:
    win = cycle.window("2018-10-01", "good", RULES)
    pause = (dt.date(2021, 4, 11) - dt.date(2020, 3, 17)).days + 1
    assert win["opens"] == (dt.date(2021, 4, 1) + dt.timedelta(days=pause)).isoformat()
    assert win["paused"] == ["2020-03-17 to 2021-04-11"]


def test_due_inadequate_authority_with_monitoring_visits(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.save("barnet", [full("barnet", "ilacs", "2023-01-09", "standard", overall="inadequate"),
                          *[visit("barnet", "monitoring-visit", d) for d in ("2023-06-01", "2023-10-02", "2024-02-05", "2024-06-03")],
                          visit("barnet", "focused-visit", "2022-01-01")])
    store.save("bexley", [full("bexley", "ilacs", "2021-09-06", "short", overall="good")])
    store.save("brent", [full("brent", "ilacs", "2024-02-05", "standard", overall="requires_improvement")])
    view = json.loads(run(tmp_path, "due", "--as-at", "2025-06-30", "-f", "json").stdout)
    order = [r["authority"] for r in view["authorities"]]
    assert order == ["bexley", "barnet", "brent"]  # overdue, in window, not yet due
    bexley, barnet, brent = view["authorities"]
    assert bexley["status"] == "overdue" and bexley["next"]["closes"] == "2025-03-06" and bexley["overdue_months"] == 3.8
    assert barnet["next"]["kind"] == "standard" and barnet["next"]["monitoring"] is True
    assert barnet["monitoring_visits"] == 4 and len(barnet["visits_since"]) == 4  # the 2022 visit came before
    assert barnet["status"] == "in window" and barnet["next"]["opens"] == "2024-07-09"
    assert brent["status"] == "not yet due" and brent["next"]["kind"] == "standard" and brent["months_to_window"] == 13.2
    one = run(tmp_path, "due", "Barnet", "--as-at", "2025-06-30").stdout
    assert "MV, standard" in one and "since: 2024-06-03  monitoring-visit" in one


def test_due_without_overall_uses_the_lowest_judgement(tmp_path: Path) -> None:
    Store(tmp_path).save("brent", [full("brent", "ilacs", "2026-04-27", "short", leadership="outstanding", help_and_protection="requires_improvement")])
    view = cycle.due(Store(tmp_path).load_all(), "2026-11-01")
    row = view["authorities"][0]
    assert (row["grade"], row["grade_basis"], row["next"]["kind"]) == ("requires improvement", "lowest judgement (no overall)", "standard")


def test_backtest_known_hit_rate(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.save("barnet", [full("barnet", "sif", "2014-01-10", overall="requires_improvement"),
                          full("barnet", "ilacs", "2017-01-10", "standard", overall="good"),    # 36 months: hit
                          full("barnet", "ilacs", "2022-01-10", "short", overall="good"),       # after the pause: late even moved
                          full("barnet", "ilacs", "2025-01-10", "short", overall="inadequate"), # 36 months: hit
                          *[visit("barnet", "monitoring-visit", d) for d in ("2025-05-01", "2025-09-01")],
                          full("barnet", "ilacs", "2026-05-11", "standard", leadership="good")])  # 16 months: early
    view = cycle.backtest(store.load_all(), RULES)
    assert view["overall"] == {"pairs": 4, "hits": 2, "early": 1, "late": 1, "hit_rate": 0.5}
    by_grade = {r["grade"]: r["hit_rate"] for r in view["by_grade"]}
    assert by_grade == {"good": 0.5, "requires improvement": 1.0, "inadequate": 0.0}
    assert [p["monitoring_visits_between"] for p in view["pairs"]] == [0, 0, 0, 2]
    assert [p["crossed_pause"] for p in view["pairs"]] == [False, True, False, False]
    out = run(tmp_path, "due", "--backtest").stdout
    assert "2 of 4 next full inspections" in out and "(50%)" in out and "crossed the pause" in out


def test_bad_rules_file_and_bad_options(tmp_path: Path) -> None:
    national_store(tmp_path)
    bad = tmp_path / "rules.yaml"
    bad.write_text("rules: {good: {next: weekly, window_months: [1, 2]}}\n", encoding="utf-8")
    assert "not valid cycle rules" in run(tmp_path, "due", "--rules", str(bad), code=2).stderr
    assert "--as-at must be a date" in run(tmp_path, "national", "--as-at", "last spring", code=2).stderr
    assert "--judgement must be one of" in run(tmp_path, "national", "--judgement", "food", code=2).stderr
    assert "--by takes 'region'" in run(tmp_path, "national", "--by", "county", code=2).stderr
    assert "did you mean" in run(tmp_path, "compare", "Barnett", code=2).stderr
    assert "unknown authority" in run(tmp_path, "compare", "barnet", "--with", "Atlantis", code=2).stderr
    assert run(tmp_path, "national", "--judgement", "Help and protection", "-f", "json").exit_code == 0


# --------------------------------------------------------------------------- golden outputs


GOLDEN_VIEWS = [
    ("compare", ["compare", "hillingdon", "--with", "hounslow", "--as-at", "2026-11-29"]),
    ("national", ["national", "--as-at", "2026-11-29"]),
    ("due", ["due", "--as-at", "2026-11-29"]),
    ("due-backtest", ["due", "--backtest"]),
]
GOLDEN_CASES = [(name, args, fmt) for name, args in GOLDEN_VIEWS for fmt in EXT]


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_store(tmp_path_factory.mktemp("store"))


@pytest.mark.parametrize("name,args,fmt", GOLDEN_CASES, ids=[f"{n}-{f}" for n, _, f in GOLDEN_CASES])
def test_golden(fixture_store: Path, name: str, args: list[str], fmt: str) -> None:
    out = run(fixture_store, *args, "--format", fmt).stdout
    if fmt == "json":
        json.loads(out)
    check_golden(f"{name}.{EXT[fmt]}", out)


# --------------------------------------------------------------------------- Excel


def _cell(value: Any) -> str:
    """A cell as text, numbers by value (Excel gives the float 1.0 back as 1)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    try:
        return repr(float(value)) if not isinstance(value, bool) else str(value)
    except (TypeError, ValueError):
        return str(value)


XLSX_CASES = [
    (["export"], ["inspections"]),
    (["timeline", "hillingdon"], ["inspections"]),
    (["compare", "hillingdon", "--with", "hounslow", "--as-at", "2026-11-29"], ["compare"]),
    (["national", "--as-at", "2026-11-29"], ["latest grades", "transitions"]),
    (["due", "--as-at", "2026-11-29"], ["due"]),
    (["due", "--backtest"], ["pairs"]),
]


@pytest.mark.parametrize("args,sheets", XLSX_CASES, ids=[a[0] + ("-backtest" if "--backtest" in a else "") for a, _ in XLSX_CASES])
def test_xlsx_carries_the_csv_values(fixture_store: Path, tmp_path: Path, args: list[str], sheets: list[str]) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "out.xlsx"
    result = run(fixture_store, *args, "--xlsx", str(target))
    # a table still prints, as with --svg/--html; export's whole JSON document does not
    assert (result.stdout == "") == (args[0] == "export") and "wrote" in result.stderr
    assert run(fixture_store, "-q", *args, "--xlsx", str(target)).stdout == ""  # unless -q
    expected = list(csv.reader(io.StringIO(run(fixture_store, *args, "--format", "csv").stdout)))
    book = load_workbook(target)
    assert book.sheetnames[-1] == "sources"
    got_header, got_rows = None, []
    for name in sheets:
        sheet = book[name]
        assert sheet.freeze_panes == "B2"
        rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        got_header = rows[0]
        got_rows += rows[1:]
    assert got_header == expected[0]
    assert sorted(got_rows) == sorted([_cell(v) for v in row] for row in expected[1:])
    first = book[sheets[0]]
    dated = book["sources"] if args[0] == "national" else first  # national's table has counts, its sources dates
    dates = [c for row in dated.iter_rows(min_row=2) for c in row if isinstance(c.value, dt.datetime)]
    assert dates and all(c.number_format == "yyyy-mm-dd" for c in dates)  # typed dates
    if args[0] in ("export", "compare", "due"):
        fills = {c.value: c.fill.fgColor.rgb for row in first.iter_rows(min_row=2) for c in row if c.value in ("good", "outstanding")}
        assert fills and fills.get("good", "00C6EFCE").endswith("C6EFCE")  # grades coloured
    sources = [row for row in book["sources"].iter_rows(values_only=True)]
    assert sources[0][0] == "figure" and any(r and r[0] == "made by" for r in sources)


def test_xlsx_unwritable_is_a_usage_error(fixture_store: Path, tmp_path: Path) -> None:
    assert "cannot write" in run(fixture_store, "national", "--xlsx", str(tmp_path / "no" / "such" / "x.xlsx"), code=2).stderr


# --------------------------------------------------------------------------- malformed input

from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20))
def test_any_as_at_text_is_a_date_or_a_usage_error(text: str) -> None:
    from ofstl.cli.across import as_at_date
    from ofstl.errors import UsageError

    try:
        value = as_at_date(text)
    except UsageError as exc:
        assert "--as-at must be" in exc.message
        return
    assert value is None or dt.date.fromisoformat(value)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_any_rules_file_loads_or_is_a_usage_error(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    from ofstl.errors import UsageError

    path = tmp_path_factory.mktemp("rules") / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        rules = cycle.load_rules(str(path))
    except UsageError as exc:
        assert str(path) in exc.message
        return
    assert all(r["next"] in ("short", "standard") for r in rules["rules"].values())


@pytest.mark.parametrize("args", [["compare", "hillingdon", "--with", "hounslow"], ["national"], ["due"], ["due", "--backtest"]])
def test_terminal_colour_and_plain_pipe(fixture_store: Path, args: list[str]) -> None:
    tty = run(fixture_store, *args, obj={"stdout_isatty": True, "environ": {"COLUMNS": "100"}}).stdout
    plain = run(fixture_store, *args, obj={"stdout_isatty": False, "environ": {"COLUMNS": "100"}}).stdout
    assert "\x1b[" in tty and "\x1b[" not in plain
    assert all(len(line) <= 100 for line in plain.splitlines() if not line.startswith(("hillingdon ", "hounslow ", "authority ")))


def test_a_broken_authority_file_is_a_warning_and_the_rest_are_counted(fixture_store: Path, tmp_path: Path) -> None:
    """compare, national and due read every other authority, name the broken file, exit 1."""
    import shutil

    store = tmp_path / "store"
    shutil.copytree(fixture_store, store)
    (store / "authorities" / "ealing.yaml").write_text("ofstl_store: 1\nauthority: ealing\ninspections: [\n", encoding="utf-8")
    for args, shown in ((["compare", "hillingdon", "--with", "hounslow"], "hounslow"), (["national"], "of 153 authorities have"),
                        (["due"], "hounslow"), (["due", "--backtest"], "fell in the window")):
        result = run(store, *args, code=1)
        assert "ealing.yaml" in result.stderr and "the other authorities are shown" in result.stderr
        assert shown in result.stdout


def test_timeline_xlsx_themes_sheet_has_the_recurrence_word_every_view_shows(fixture_store: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "t.xlsx"
    run(fixture_store, "-q", "timeline", "hillingdon", "--xlsx", str(target))
    rows = list(load_workbook(target)["themes"].iter_rows(values_only=True))
    header, body = list(rows[0]), rows[1:]
    view = json.loads(run(fixture_store, "timeline", "hillingdon", "--format", "json").stdout)
    words = {t["theme"]: (t["status"], t["label"]) for t in view["themes"]}
    assert {r[0]: (r[header.index("status")], r[header.index("label")]) for r in body} == words
    assert any(status == "resolved" for status, _ in words.values())
