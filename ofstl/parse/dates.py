"""Dates in every form Ofsted prints them, to ISO 8601.

Fieldwork ranges: "16 April to 27 April 2018", "2 to 6 October 2023", "25 November 2013 -
18 December 2013", "8 - 12 July 2013", "18 and 19 January 2011", "on 15 and 16 January 2020",
"14 January 2014 to 5 February 2014", "27 April to 1 May 2026", "Between 12 and 16 February
2018"; council papers' "Monday 6 March to Friday 17 March 2023" and "06/03/2023 - 17/03/2023". Single dates: "7 February 2020", "16th August 2013". Month-year mentions: "December
2009", "July 2010".
"""

from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?:19|20)\d\d"
SEP = r"\s*(?:to|until|-|–|—|and|&)\s*"

# Council papers name the weekday ("from Monday 6 March to Friday 17 March 2023").
WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
RANGE_RE = re.compile(
    rf"\b{WEEKDAY}(?P<d1>{DAY})(?:\s+(?P<m1>{MONTH}))?(?:,?\s+(?P<y1>{YEAR}))?{SEP}{WEEKDAY}(?P<d2>{DAY})\s+(?P<m2>{MONTH}),?\s+(?P<y2>{YEAR})\b",
    re.IGNORECASE,
)
# ... and print dates as numbers, day first ("between 06/03/2023 and 17/03/2023").
NUMERIC_RANGE_RE = re.compile(rf"\b(?P<d1>[0-3]?\d)/(?P<m1>[01]?\d)/(?P<y1>{YEAR}){SEP}(?P<d2>[0-3]?\d)/(?P<m2>[01]?\d)/(?P<y2>{YEAR})\b")
DATE_RE = re.compile(rf"\b(?P<d>{DAY})\s+(?P<m>{MONTH}),?\s+(?P<y>{YEAR})\b", re.IGNORECASE)
MONTH_YEAR_RE = re.compile(rf"\b(?P<m>{MONTH})\s+(?P<y>{YEAR})\b", re.IGNORECASE)


SEASON = r"(?:spring|summer|autumn|winter|early|mid|late)"


def _within_year(named: bool) -> str:
    """What may come before a year to say when in it: "March 2019", "(the) spring (term) (of)
    2019", "mid-2017", "03/2019"; ``named``: the month, season and month number as the groups
    month, season and mnum."""
    group = (lambda name: f"?P<{name}>") if named else (lambda name: "?:")
    return (rf"(?:({group('month')}{MONTH})\s+|(?:the\s+)?({group('season')}{SEASON})(?:\s+term)?(?:\s+of)?(?:\s+|-)"
            rf"|(?<![\d/])({group('mnum')}0?[1-9]|1[0-2])/)")


WITHIN_YEAR = _within_year(named=False)
# A year and what may say when in it, each part a named group (month, season, mnum, year).
WHEN = rf"{_within_year(named=True)}?(?P<year>{YEAR})"
# The months a season may mean, as the season or the school term (spring term: January to
# April, summer term: April to July); winter may open or close its year; early, mid and late
# are its thirds.
_SEASON_MONTHS = {"spring": ("01", "05"), "summer": ("04", "08"), "autumn": ("09", "12"), "winter": ("01", "12"),
                  "early": ("01", "04"), "mid": ("05", "08"), "late": ("09", "12")}


def season_span(season: str, year: str) -> str:
    """The months "spring 2019" may mean, as a span: "2019-01/2019-05". A season is no one
    month, so an inspection it dates is stored by its year; the span is for the calendar."""
    first, last = _SEASON_MONTHS[season.lower()]
    return f"{year}-{first}/{year}-{last}"


def month_number(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _day(text: str) -> int:
    return int(re.match(r"\d+", text).group(0))  # type: ignore[union-attr]


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def parse_range(text: str) -> tuple[str, str] | None:
    """The first date range in ``text`` as (start, end) ISO dates, or None."""
    for match in RANGE_RE.finditer(text):
        y2 = int(match["y2"])
        m2 = month_number(match["m2"])
        d2 = _day(match["d2"])
        m1 = month_number(match["m1"]) if match["m1"] else m2
        y1 = int(match["y1"]) if match["y1"] else (y2 - 1 if m1 > m2 else y2)
        start, end = _iso(y1, m1, _day(match["d1"])), _iso(y2, m2, d2)
        if start and end and start <= end:
            if _WEEKS_OF.search(text[max(0, match.start() - 40):match.start()]):
                # "the weeks commencing 6 and 13 March": the second date opens the last week,
                # which ends that Friday, not on the Monday it names.
                end = (date.fromisoformat(end) + timedelta(days=4)).isoformat()
            return start, end
    for match in NUMERIC_RANGE_RE.finditer(text):
        start = _iso(int(match["y1"]), int(match["m1"]), int(match["d1"]))
        end = _iso(int(match["y2"]), int(match["m2"]), int(match["d2"]))
        if start and end and start <= end:
            return start, end
    return None


_WEEKS_OF = re.compile(r"\bweeks\s+(?:commencing|beginning|starting)(?:\s+on)?\s*$", re.IGNORECASE)


def parse_date(text: str) -> str | None:
    """The first full date in ``text`` as an ISO date, or None."""
    for match in DATE_RE.finditer(text):
        iso = _iso(int(match["y"]), month_number(match["m"]), _day(match["d"]))
        if iso:
            return iso
    return None


def parse_month_year(text: str) -> str | None:
    """The first "Month YYYY" in ``text`` as YYYY-MM, or None."""
    match = MONTH_YEAR_RE.search(text)
    if not match:
        return None
    return f"{int(match['y']):04d}-{month_number(match['m']):02d}"


def days_between(start: str, end: str) -> int | None:
    """Whole days from start to end, for full ISO dates only."""
    if len(start) != 10 or len(end) != 10:
        return None
    return (date.fromisoformat(end) - date.fromisoformat(start)).days


YEARLESS_RE = re.compile(
    rf"\b(?P<d1>{DAY})(?:\s+(?P<m1>{MONTH}))?{SEP}(?P<d2>{DAY})\s+(?P<m2>{MONTH})\b(?!,?\s+{YEAR})", re.IGNORECASE)


def parse_range_without_year(text: str, letter_date: str) -> tuple[str, str] | None:
    """A visit range printed without its year ("on 13 and 14 July"), dated by the letter:
    the latest such days on or before the letter's date."""
    match = YEARLESS_RE.search(text)
    if not match or len(letter_date) != 10:
        return None
    year = int(letter_date[:4])
    m2 = month_number(match["m2"])
    m1 = month_number(match["m1"]) if match["m1"] else m2
    for y2 in (year, year - 1):
        y1 = y2 - 1 if m1 > m2 else y2
        start, end = _iso(y1, m1, _day(match["d1"])), _iso(y2, m2, _day(match["d2"]))
        if start and end and start <= end and end <= letter_date:
            return start, end
    return None


def reversed_range(text: str) -> tuple[str, str] | None:
    """The first date range whose printed start falls after its end ("30 December 2021 to
    2 January 2021"): a typo in a year, returned as printed for the caller to correct."""
    for match in RANGE_RE.finditer(text):
        if not match["y1"]:
            continue
        start = _iso(int(match["y1"]), month_number(match["m1"] or match["m2"]), _day(match["d1"]))
        end = _iso(int(match["y2"]), month_number(match["m2"]), _day(match["d2"]))
        if start and end and start > end:
            return start, end
    return None
