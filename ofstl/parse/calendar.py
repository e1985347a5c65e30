"""The framework calendar: which framework was in force when, its judgements and its grades.

A later document's account of an earlier inspection ("the previous inspection in 2011")
rarely names the framework precisely, so the date decides; and what it says can only be a
judgement that framework had, on that framework's own grade scale. These facts come from
``../shared/domain-data/FRAMEWORKS.md`` and Ofsted's official history (first and last
publications of each framework); they describe frameworks, never any authority's outcome.

Dates are ISO prefixes: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, or a span of months
(``YYYY-MM/YYYY-MM``: a season). A mention may give the
fieldwork month or the publication month, so each window spans both.
"""

from __future__ import annotations

# framework -> (first month, last month) in which its fieldwork or publication fell.
WINDOWS: dict[str, tuple[str, str]] = {
    "apa": ("2005-01", "2009-03"),
    # The last JAR report (Haringey's progress inspection) was published on 3 July 2009; the
    # SLAC framework took effect in April 2009 (FRAMEWORKS.md): 2009 may be either.
    "jar": ("2005-01", "2009-07"),
    "annual-rating": ("2009-06", "2012-06"),
    "cra": ("2009-05", "2012-09"),
    "slac": ("2009-05", "2012-08"),
    # The last child protection (and re-inspection) and targeted looked after children reports
    # were published in August 2013 (16 and 23 August, Ofsted's history); the SIF followed in November.
    "cpi": ("2012-06", "2013-08"),
    "lac": ("2013-01", "2013-08"),  # targeted looked after children inspections: 2013 only
    "sif": ("2013-11", "2018-08"),
    "lscb-review": ("2014-01", "2018-08"),
    "ilacs": ("2018-01", "9999-12"),
    "focused-visit": ("2018-01", "9999-12"),
    "monitoring-visit": ("2014-01", "9999-12"),
    "jtai": ("2016-01", "9999-12"),
    "send": ("2016-05", "9999-12"),
}

# The graded full inspections a date alone may leave open, in calendar order. A mention of
# "2013" that names no framework could be a child protection inspection, a targeted looked
# after children inspection or (from November) a SIF; "2018" a SIF re-inspection or an ILACS;
# "2012" a SLAC or a CPI; "2009" a JAR or a SLAC.
OPEN_TO_DOUBT = ("jar", "slac", "cpi", "lac", "sif", "ilacs")


def undecided_code(candidates: "tuple[str, ...] | list[str]") -> str:
    """The store's code for an inspection that was one of ``candidates``: "cpi-or-lac-or-sif"."""
    return "-or-".join(c for c in OPEN_TO_DOUBT if c in candidates)


def _months() -> list[str]:
    return [f"{year}-{month:02d}" for year in range(2005, 2031) for month in range(1, 13)] + [str(year) for year in range(2005, 2031)]


def _undecided_codes() -> dict[str, tuple[str, ...]]:
    """Every set of two or more of them in force at one month or year, and each narrower set
    of two or more (what a grade or the words leave of it), by its code."""
    codes: dict[str, tuple[str, ...]] = {}
    for when in _months():
        at = [c for c in OPEN_TO_DOUBT if in_force(c, when)]
        for mask in range(1, 1 << len(at)):
            subset = tuple(c for i, c in enumerate(at) if mask >> i & 1)
            if len(subset) > 1:
                codes[undecided_code(subset)] = subset
    return codes


# The judgements each framework could give (SPEC keys). A mention adds no other.
JUDGEMENTS: dict[str, frozenset[str]] = {
    "apa": frozenset({"overall", "capacity"}),
    "jar": frozenset({"overall", "help_and_protection", "children_in_care", "capacity", "leadership"}),
    "annual-rating": frozenset({"overall"}),
    "slac": frozenset({"help_and_protection", "children_in_care", "capacity_safeguarding", "capacity_children_in_care", "leadership"}),
    "cpi": frozenset({"help_and_protection", "leadership"}),
    "lac": frozenset({"children_in_care", "capacity", "leadership"}),
    "sif": frozenset({"overall", "help_and_protection", "children_in_care", "adoption", "care_leavers", "leadership", "lscb"}),
    "lscb-review": frozenset({"lscb"}),
    "ilacs": frozenset({"overall", "leadership", "help_and_protection", "children_in_care", "care_leavers"}),
}

OLD_SCALE = frozenset({"outstanding", "good", "adequate", "inadequate"})
NEW_SCALE = frozenset({"outstanding", "good", "requires improvement", "inadequate"})
RATINGS = frozenset({"performs excellently", "performs well", "performs adequately", "performs poorly"})
SCALES: dict[str, frozenset[str]] = {
    "apa": OLD_SCALE, "jar": OLD_SCALE, "slac": OLD_SCALE, "cpi": OLD_SCALE, "lac": OLD_SCALE,
    "annual-rating": RATINGS, "sif": NEW_SCALE, "lscb-review": NEW_SCALE, "ilacs": NEW_SCALE,
}
# The judgement a grade given to the whole inspection belongs to, where the framework made no
# overall one: a CPI's and a LAC inspection's one service; a SLAC's or a CPI's safeguarding
# (both judged how well children were protected), when the words cannot tell which it was.
WHOLE_INSPECTION: dict[str, str] = {"cpi": "help_and_protection", "lac": "children_in_care", "slac-or-cpi": "help_and_protection"}


def _bounds(when: str) -> tuple[str, str]:
    """The first and last month a date prefix, or a span of months ("2019-01/2019-05"), can mean."""
    if "/" in when:
        first, last = when.split("/", 1)
        return first[:7], last[:7]
    if len(when) == 4:
        return f"{when}-01", f"{when}-12"
    return when[:7], when[:7]


def overlap(when: str, other: str) -> bool:
    """Whether two dates (prefixes or spans of months) may mean the same month."""
    low, high = _bounds(when)
    other_low, other_high = _bounds(other)
    return low <= other_high and high >= other_low


def in_force(framework: str, when: str) -> bool:
    """Whether ``framework`` could have inspected at ``when`` (overlap for a bare year)."""
    window = WINDOWS.get(framework)
    if window is None:
        return True
    low, high = _bounds(when)
    return low <= window[1] and high >= window[0]


# A framework code that says the date could not tell which of these it was (a mention of "2018"
# or "March 2018" that names no framework and gives no grade only one of them had; "inspected
# in 2013 and judged adequate": a CPI or a LAC inspection), with what it could be. It could
# have made any judgement one of them made, on either's scale. Its grade for the whole
# inspection is each one's: "overall" when they differ (a CPI's overall effectiveness is its
# help and protection judgement, a LAC inspection's its children in care one), made that
# framework's own when the inspection is settled (``rekeyed``).
UNDECIDED: dict[str, tuple[str, ...]] = _undecided_codes()
for _code, _candidates in UNDECIDED.items():
    _wholes = {WHOLE_INSPECTION.get(c, "overall") for c in _candidates}
    if _code not in WHOLE_INSPECTION and len(_wholes) == 1 and "overall" not in _wholes:
        WHOLE_INSPECTION[_code] = _wholes.pop()
    # A grade for the whole inspection is one only where each candidate made one: a SLAC gave
    # none (its two blocks), so "judged good" of a JAR-or-SLAC would settle it as the JAR.
    _whole_each = all(c in WHOLE_INSPECTION or "overall" in JUDGEMENTS[c] for c in _candidates)
    _judgements = frozenset().union(*(JUDGEMENTS[c] for c in _candidates))
    if not _whole_each:
        _judgements -= {"overall"}
    elif _code not in WHOLE_INSPECTION:
        _judgements |= {"overall"}
    JUDGEMENTS[_code] = _judgements
    SCALES[_code] = frozenset().union(*(SCALES[c] for c in _candidates))
    # In force at a date only where every candidate was: "2013" meets CPI's (to August) and
    # the SIF's (from November) windows, so the window runs from November back to August.
    WINDOWS[_code] = (max(WINDOWS[c][0] for c in _candidates), min(WINDOWS[c][1] for c in _candidates))


def spec_framework(code: str) -> tuple[str, list[str] | None]:
    """The framework as SPEC section 2 codes it, and the frameworks it could be when undecided.

    The store and the views say "sif-or-ilacs"; the contract's outputs (``export``, ``ingest
    --format json``) keep to the SPEC's codes, so a script that knows them meets no new one:
    there it is ``other`` ("anything else"), with ``framework_candidates`` ["sif", "ilacs"].
    """
    if code in UNDECIDED:
        return "other", list(UNDECIDED[code])
    return code, None


def spec_fields(code: str) -> dict[str, object]:
    """The framework fields of every machine output (JSON; a CSV's ``framework`` and, last,
    ``framework_candidates`` columns): SPEC's code, and beside it, for one the documents left
    open, the codes it could be."""
    framework, candidates = spec_framework(code)
    return {"framework": framework, **({"framework_candidates": candidates} if candidates else {})}


def framework_at(when: str, *, safeguarding: bool = False, looked_after: bool = False) -> str:
    """The graded full inspection in force at ``when``, told apart by what the words name.

    Between June 2012 and October 2013 a "safeguarding" inspection is a CPI and a "looked
    after children" one a targeted LAC inspection (2013); before that both are the two
    blocks of one SLAC inspection.
    """
    low, high = _bounds(when)
    if high < "2009-04":
        return "jar"
    if low >= "2018-01":
        return "ilacs"
    if low >= "2013-11" or (len(when) == 4 and when >= "2014"):
        return "sif"
    if len(when) == 4 and when == "2013":
        return "lac" if looked_after and not safeguarding else "cpi"
    if high <= "2012-05" or (len(when) == 4 and when <= "2012") or (safeguarding and looked_after and high <= "2012-08"):
        return "slac"
    if looked_after and not safeguarding and low >= "2013-01":
        return "lac"
    if looked_after and not safeguarding:
        return "slac"
    return "cpi"


def undecided_at(framework: str, when: str, *, looked_after: bool = False, child_protection: bool = False, safeguarding: bool = False) -> str:
    """``framework`` as the calendar gave it, or the undecided code when another full
    framework was also in force at ``when`` ("2018": a SIF re-inspection or an ILACS; "2012":
    a SLAC or a CPI; "2013": a CPI, a LAC inspection or a SIF). The services the words name
    may tell the older ones apart: looked after children alone were never a CPI's, safeguarding
    alone never a LAC inspection's, "child protection" names the CPI, and safeguarding with
    looked after children the two blocks of one SLAC (in 2013 either). They never rule out a JAR (it judged both services), a SIF or an ILACS."""
    if framework not in OPEN_TO_DOUBT:
        return framework
    candidates = [c for c in OPEN_TO_DOUBT if in_force(c, when)]
    if framework not in candidates:
        # framework_at's pick for a span ("autumn 2013": a CPI by its first month) not in force
        # at all of it: what was; a month when none was (October 2013) keeps it.
        return framework if not candidates else candidates[0] if len(candidates) == 1 else undecided_code(candidates)
    older = {"slac", "cpi", "lac"} & set(candidates)
    if looked_after and (safeguarding or child_protection):
        older = {"slac"} if "slac" in older else older  # in 2013 both services: a CPI's or a LAC's
    elif looked_after:
        older -= {"cpi"}
    elif child_protection:
        older &= {"cpi"} if "cpi" in older else older
    elif safeguarding:
        older -= {"lac"}
    candidates = [c for c in candidates if c in older or c not in {"slac", "cpi", "lac"}]
    if not candidates:
        return framework
    return candidates[0] if len(candidates) == 1 else undecided_code(candidates)


def rekeyed(judgements: dict, framework: str, settled: str) -> dict:
    """The judgements of an inspection read as ``framework`` once it is ``settled`` (a
    narrower code or one framework): the grade given to the whole of a CPI-or-LAC inspection
    ("overall") becomes a CPI's help and protection judgement, a LAC inspection's children in
    care one."""
    whole = WHOLE_INSPECTION.get(settled, "overall")
    if framework == settled or WHOLE_INSPECTION.get(framework, "overall") != "overall" or whole == "overall" \
            or "overall" not in judgements or whole in judgements:
        return judgements
    return {(whole if key == "overall" else key): value for key, value in judgements.items()}


def older_era(framework: str) -> bool:
    """A framework of the safeguarding and looked after children era (2009-13), or one of
    them the date left open: its blocks are named by the services (safeguarding, looked after
    children), not by a SIF's or an ILACS's judgements."""
    return framework in {"slac", "cpi", "lac", "jar"} or set(UNDECIDED.get(framework, ("sif",))) <= {"slac", "cpi", "lac", "jar"}


# When each framework re-inspected: SLACs to 2012, child protection re-inspections in 2013, SIF
# re-inspections from 2014; an ILACS and a targeted LAC inspection never re-inspected.
REINSPECTED = {"slac": ("2009-05", "2012-08"), "cpi": ("2013-01", "2013-08"), "sif": ("2014-01", "2018-08")}


def reinspected(framework: str, when: str) -> str:
    """Of the frameworks an undecided re-inspection could be, those that re-inspected then
    (any other framework: as it is)."""
    low, high = _bounds(when)
    fits = [c for c in UNDECIDED.get(framework, ()) if c in REINSPECTED and low <= REINSPECTED[c][1] and high >= REINSPECTED[c][0]]
    if not fits:
        return framework
    return fits[0] if len(fits) == 1 else undecided_code(fits)


# Days from the first to the last day on site: an ILACS is one or two weeks (at most 12 days,
# Monday to the Friday after next), a SIF or its re-inspection three or four (15 at the least).
ON_SITE_DAYS: dict[str, tuple[int, int]] = {"ilacs": (0, 12), "sif": (15, 40)}


def settle(framework: str, keys: set[str] | frozenset[str], when: str | None, days_on_site: int | None = None, grades: "set[str] | frozenset[str]" = frozenset()) -> str:
    """An undecided framework settled, or narrowed, by the judgements read for it (care leavers
    or adoption in 2018: a SIF), their grades (adequate in 2013: a CPI or a LAC inspection,
    not a SIF; requires improvement: a SIF) or the days on site its fieldwork dates span;
    else as it is. Each candidate is tried with the whole inspection's grade as its own."""
    candidates = UNDECIDED.get(framework)
    if not candidates:
        return framework
    fits = [c for c in candidates if all(allowed_judgement(c, key, when) for key in rekeyed(dict.fromkeys(keys), framework, c))
            and all(on_scale(c, grade) for grade in grades)]
    if days_on_site is not None and all(c in ON_SITE_DAYS for c in fits):
        fits = [c for c in fits if ON_SITE_DAYS[c][0] <= days_on_site <= ON_SITE_DAYS[c][1]]
    if not fits:
        return framework
    return fits[0] if len(fits) == 1 else undecided_code(fits)


def allowed_judgement(framework: str, key: str, when: str | None) -> bool:
    """Whether ``framework`` had judgement ``key`` at ``when``: ILACS judged care leavers
    apart only from January 2023, and gave no overall effectiveness from April 2026."""
    keys = JUDGEMENTS.get(framework)
    if keys is None:
        return False
    if key not in keys:
        return False
    if framework == "ilacs" and when:
        low, high = _bounds(when)
        if key == "care_leavers" and high < "2023-01":
            return False
        if key == "overall" and low >= "2026-04":
            return False
    return True


def on_scale(framework: str, grade: str) -> bool:
    scale = SCALES.get(framework)
    return scale is None or grade in scale


__all__ = ["WINDOWS", "JUDGEMENTS", "UNDECIDED", "WHOLE_INSPECTION", "OPEN_TO_DOUBT", "undecided_code", "in_force", "framework_at", "undecided_at", "rekeyed", "older_era", "reinspected", "settle", "allowed_judgement", "on_scale", "spec_framework"]
