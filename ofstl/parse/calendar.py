"""The framework calendar: which framework was in force when, its judgements and its grades.

A later document's account of an earlier inspection ("the previous inspection in 2011")
rarely names the framework precisely, so the date decides; and what it says can only be a
judgement that framework had, on that framework's own grade scale. These facts come from
``../shared/domain-data/FRAMEWORKS.md`` and Ofsted's official history (first and last
publications of each framework); they describe frameworks, never any authority's outcome.

Dates are ISO prefixes: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``. A mention may give the
fieldwork month or the publication month, so each window spans both.
"""

from __future__ import annotations

# framework -> (first month, last month) in which its fieldwork or publication fell.
WINDOWS: dict[str, tuple[str, str]] = {
    "apa": ("2005-01", "2009-03"),
    "jar": ("2005-01", "2009-12"),
    "annual-rating": ("2009-06", "2012-06"),
    "cra": ("2009-05", "2012-09"),
    "slac": ("2009-05", "2012-08"),
    "cpi": ("2012-06", "2013-12"),
    "lac": ("2013-01", "2013-12"),  # targeted looked after children inspections: 2013 only
    "sif": ("2013-11", "2018-08"),
    "lscb-review": ("2014-01", "2018-08"),
    "ilacs": ("2018-01", "9999-12"),
    "focused-visit": ("2018-01", "9999-12"),
    "monitoring-visit": ("2014-01", "9999-12"),
    "jtai": ("2016-01", "9999-12"),
    "send": ("2016-05", "9999-12"),
    # A full inspection in the months when both were: SIF re-inspections ran and were
    # published until August 2018, the first ILACS from January 2018.
    "sif-or-ilacs": ("2018-01", "2018-08"),
    # A safeguarding inspection of 2012: the last SLACs were published until August 2012, the
    # first CPIs from June (the targeted LAC inspections came only in 2013).
    "slac-or-cpi": ("2012-06", "2012-08"),
}

# A framework code that says the date could not tell which of these it was: a mention of
# "2018" or "March 2018" that names no framework and gives no grade only one of them had, or
# "inspected in 2012 and judged adequate" (a SLAC or a child protection inspection).
UNDECIDED: dict[str, tuple[str, ...]] = {"sif-or-ilacs": ("sif", "ilacs"), "slac-or-cpi": ("slac", "cpi")}


def spec_framework(code: str) -> tuple[str, list[str] | None]:
    """The framework as SPEC section 2 codes it, and the frameworks it could be when undecided.

    The store and the views say "sif-or-ilacs"; the contract's outputs (``export``, ``ingest
    --format json``) keep to the SPEC's codes, so a script that knows them meets no new one:
    there it is ``other`` ("anything else"), with ``framework_candidates`` ["sif", "ilacs"].
    """
    if code in UNDECIDED:
        return "other", list(UNDECIDED[code])
    return code, None

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
JUDGEMENTS["sif-or-ilacs"] = JUDGEMENTS["sif"] | JUDGEMENTS["ilacs"]
JUDGEMENTS["slac-or-cpi"] = JUDGEMENTS["slac"] | JUDGEMENTS["cpi"]

OLD_SCALE = frozenset({"outstanding", "good", "adequate", "inadequate"})
NEW_SCALE = frozenset({"outstanding", "good", "requires improvement", "inadequate"})
RATINGS = frozenset({"performs excellently", "performs well", "performs adequately", "performs poorly"})
SCALES: dict[str, frozenset[str]] = {
    "apa": OLD_SCALE, "jar": OLD_SCALE, "slac": OLD_SCALE, "cpi": OLD_SCALE, "lac": OLD_SCALE,
    "annual-rating": RATINGS, "sif": NEW_SCALE, "lscb-review": NEW_SCALE, "ilacs": NEW_SCALE, "sif-or-ilacs": NEW_SCALE,
    "slac-or-cpi": OLD_SCALE,
}
# The judgement a grade given to the whole inspection belongs to, where the framework made no
# overall one: a CPI's and a LAC inspection's one service; a SLAC's or a CPI's safeguarding
# (both judged how well children were protected), when the words cannot tell which it was.
WHOLE_INSPECTION: dict[str, str] = {"cpi": "help_and_protection", "lac": "children_in_care", "slac-or-cpi": "help_and_protection"}


def _bounds(when: str) -> tuple[str, str]:
    """The first and last month a date prefix can mean."""
    if len(when) == 4:
        return f"{when}-01", f"{when}-12"
    return when[:7], when[:7]


def in_force(framework: str, when: str) -> bool:
    """Whether ``framework`` could have inspected at ``when`` (overlap for a bare year)."""
    window = WINDOWS.get(framework)
    if window is None:
        return True
    low, high = _bounds(when)
    return low <= window[1] and high >= window[0]


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


def undecided_at(framework: str, when: str, *, looked_after: bool = False, child_protection: bool = False) -> str:
    """``framework`` as the calendar gave it, or the undecided code when another full
    framework was also in force at ``when`` (``"2018"``: a SIF re-inspection or an ILACS;
    ``"2012"``: a SLAC or a CPI). In 2012 the words may tell: looked after children were
    judged only by a SLAC, "child protection" names the CPI; "safeguarding" both judged."""
    for code, candidates in UNDECIDED.items():
        if framework in candidates and all(in_force(c, when) for c in candidates):
            if code == "slac-or-cpi" and (looked_after or child_protection):
                return "slac" if looked_after else "cpi"
            return code
    return framework


# Days from the first to the last day on site: an ILACS is one or two weeks (at most 12 days,
# Monday to the Friday after next), a SIF or its re-inspection three or four (15 at the least).
ON_SITE_DAYS: dict[str, tuple[int, int]] = {"ilacs": (0, 12), "sif": (15, 40)}


def settle(framework: str, keys: set[str] | frozenset[str], when: str | None, days_on_site: int | None = None) -> str:
    """An undecided framework settled by the judgements read for it, when only one of its
    candidates had them all then (care leavers or adoption in 2018: a SIF), or by the days on
    site its fieldwork dates span; else as it is."""
    candidates = UNDECIDED.get(framework)
    if not candidates:
        return framework
    fits = [c for c in candidates if all(allowed_judgement(c, key, when) for key in keys)]
    if days_on_site is not None and all(c in ON_SITE_DAYS for c in fits):
        fits = [c for c in fits if ON_SITE_DAYS[c][0] <= days_on_site <= ON_SITE_DAYS[c][1]]
    return fits[0] if len(fits) == 1 else framework


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


__all__ = ["WINDOWS", "JUDGEMENTS", "UNDECIDED", "WHOLE_INSPECTION", "in_force", "framework_at", "undecided_at", "settle", "allowed_judgement", "on_scale"]
