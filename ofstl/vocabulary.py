"""The words every view and format shares, written once: frameworks, grades, arrows, legends.

Before this module, framework names, short names, arrows, "undated" and the legends were
written out in three or four places (with two different short-name maps), so a table, its
CSV and the SVG could disagree. Everything a person reads about a framework, a grade, a
change or a recurring theme comes from here; the views put these words into their data and
the renderers only lay them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Iterable

from ofstl.parse.calendar import UNDECIDED


@dataclass(frozen=True)
class Framework:
    """One Ofsted framework: its id in the store, its long and short names, and whether an
    inspection under it is a full inspection (as opposed to a visit)."""

    id: str
    name: str
    short: str
    full: bool


FRAMEWORKS: dict[str, Framework] = {f.id: f for f in (
    Framework("apa", "APA", "APA", True),
    Framework("jar", "JAR", "JAR", True),
    Framework("annual-rating", "Annual rating", "AR", True),
    Framework("cra", "Contact/referral", "CRA", False),
    Framework("slac", "SLAC", "SLAC", True),
    Framework("cpi", "Child protection", "CPI", True),
    Framework("lac", "Looked after children", "LAC", True),
    Framework("sif", "SIF", "SIF", True),
    Framework("lscb-review", "LSCB review", "LSCB", True),
    Framework("ilacs", "ILACS", "ILACS", True),
    Framework("focused-visit", "Focused visit", "FV", False),
    Framework("monitoring-visit", "Monitoring visit", "MV", False),
    Framework("jtai", "JTAI", "JTAI", False),
    Framework("send", "Area SEND", "SEND", False),
    Framework("other", "Other", "other", False),
)}

# A full inspection that a later document names without saying which, of two or more in force
# at its date ("2018": a SIF or an ILACS; "2013": a CPI, a LAC inspection or a SIF): the date
# cannot tell (``ofstl.parse.calendar.UNDECIDED``); ``ofstl correct ... framework`` settles it.
# Not counted as any of them (not ``full``): a view that counts SIFs and ILACS does not guess.
# Named "SIF or ILACS", "Child protection, looked after children or SIF"; short "SIF/I", "C/L/S".
_IN_A_LIST = {"cpi": "child protection", "lac": "looked after children"}
for _code, _candidates in UNDECIDED.items():
    _names = [_IN_A_LIST.get(c, FRAMEWORKS[c].name) for c in _candidates]
    _name = (", ".join(_names[:-1]) + " or " + _names[-1])
    _short = "/".join([FRAMEWORKS[_candidates[0]].short] + [FRAMEWORKS[c].short[0] for c in _candidates[1:]])
    _short = _short if len(_short) <= 6 else "/".join(FRAMEWORKS[c].short[0] for c in _candidates)  # a grid column: C/L/S
    FRAMEWORKS[_code] = Framework(_code, _name[0].upper() + _name[1:], _short, False)

FULL_FRAMEWORKS = frozenset(f.id for f in FRAMEWORKS.values() if f.full)


def framework_name(framework: str, type_: str | None = None) -> str:
    """'ILACS (short)': the long name, with the inspection type when there is one."""
    known = FRAMEWORKS.get(framework)
    name = known.name if known else framework
    return f"{name} ({type_})" if type_ else name


def framework_short(framework: str) -> str:
    """'FV': the name for a narrow column."""
    known = FRAMEWORKS.get(framework)
    return known.short if known else framework[:6]


# --------------------------------------------------------------------------- grades

# Higher is better; used for the change arrows. Annual ratings map onto the same four steps.
GRADE_LEVEL = {
    "outstanding": 4, "good": 3, "requires improvement": 2, "adequate": 2, "inadequate": 1,
    "performs excellently": 4, "performs well": 3, "performs adequately": 2, "performs poorly": 1,
}
GRADE_SHORT = {
    "outstanding": "O", "good": "G", "requires improvement": "RI", "adequate": "A", "inadequate": "I",
    "performs excellently": "PE", "performs well": "PW", "performs adequately": "PA", "performs poorly": "PP",
}
LEVEL_NAME = {4: "Outstanding", 3: "Good", 2: "Requires improvement", 1: "Inadequate"}
GRADE_LEGEND = "O outstanding · G good · RI requires improvement · A adequate · I inadequate"


def grade_short(grade: str) -> str:
    return GRADE_SHORT.get(grade, grade[:2].upper())


NO_OVERALL = "no overall grade"  # an inspection graded, but with no overall judgement (SLAC, ILACS from April 2026)
NOT_GRADED = "not graded"
# A graded inspection (a SIF, an ILACS...) known only from a mention that gives no grade: it was
# graded, the store just does not know how; "not graded" would say it never was.
GRADE_NOT_STATED = "grade not stated"
# list: a successor with no inspection of its own yet (its timeline shows its predecessors')
NONE_OF_ITS_OWN = "no inspection of its own"
UNDATED = "undated"


def inspections_and_visits(n: int) -> str:
    """'8 inspections and visits', '1 inspection or visit'."""
    return "1 inspection or visit" if n == 1 else f"{n} inspections and visits"


def date_shown(date: str | None) -> str:
    """A date as a table says it: 'undated' for none (JSON and CSV give null and an empty cell)."""
    return date or UNDATED


def could_be_words(could_be: Iterable[str], inspections: Iterable[dict[str, Any]]) -> str:
    """Beside a mention held apart: the inspections it could be (ids), by their dates in a view's ``inspections``."""
    dates = {e["id"]: date_shown(e["date"]) for e in inspections}
    return f"could be {' or '.join(dates.get(i, i) for i in could_be)} · which, the words do not say"


def year_shown(date: Any) -> str:
    """'2013', or 'n.d.' for an inspection with no date (as the timeline's columns say it)."""
    return "n.d." if date in (None, UNDATED) else str(date)[:4]


def known_date(record: dict[str, Any]) -> str | None:
    """The date an inspection is known by: fieldwork start, else publication, else the date a
    story or council paper reported it (its own), else None (the machine formats' null; the
    word 'undated' is the tables')."""
    return record.get("start") or record.get("published") or record.get("reported") or None


def year_of(record: dict[str, Any]) -> str | None:
    """'2013', or None for an inspection no document dates."""
    date = known_date(record)
    return date[:4] if date else None


def date_or_undated(record: dict[str, Any]) -> str:
    """``known_date``, or 'undated' for a person and for ordering (it sorts after digits)."""
    return known_date(record) or UNDATED


# --------------------------------------------------------------------------- changes


class Change(str, Enum):
    """A judgement's grade against the latest known grade before it."""

    UP = "up"
    DOWN = "down"
    SAME = "same"


ARROW = {Change.UP: "↑", Change.DOWN: "↓", Change.SAME: "="}
ARROW_LEGEND = "↑ ↓ = change from the latest earlier grade for that judgement (a mentioned one too)"
MENTION_MARK = "*"
MENTION_LEGEND = "* only mentioned by a later document"
CORRECTION_MARK = "†"
MAX_SHOW_COMMANDS = 3  # a legend names at most this many commands, then says how many more


def show_commands(shown: Iterable[tuple[str, str]], most: int = MAX_SHOW_COMMANDS) -> str:
    """``ofstl show AUTHORITY ID`` for each corrected inspection a view shows (authority,
    inspection id), the command that says why, filled in as ``ofstl correct``'s refusals
    fill theirs in: "ofstl show hillingdon hillingdon-2013-11-sif says why"."""
    commands = list(dict.fromkeys(f"ofstl show {authority} {inspection}" for authority, inspection in shown))
    if not commands:
        return "ofstl show AUTHORITY WHEN says why"
    more = len(commands) - most
    said = "; ".join(commands[:most]) + (f", and {more} more," if more > 0 else "")
    return said + (" says why" if len(commands) == 1 else " say why")


def correction_legend(shown: Iterable[tuple[str, str]], what: str = "corrected by hand", most: int = MAX_SHOW_COMMANDS) -> str:
    """The legend of the † mark: "† corrected by hand (ofstl show hillingdon
    hillingdon-2013-11-sif says why)" for the corrected inspections shown."""
    return f"{CORRECTION_MARK} {what} ({show_commands(shown, most)})"


def compare(before: str, after: str) -> Change:
    delta = GRADE_LEVEL.get(after, 0) - GRADE_LEVEL.get(before, 0)
    return Change.UP if delta > 0 else Change.DOWN if delta < 0 else Change.SAME


# Diff words: the same in the table, JSON and CSV.
BETTER, WORSE, SAME_GRADE = "better", "worse", "same"
NEWLY_JUDGED, NO_LONGER_JUDGED = "newly judged", "no longer judged"
NEWLY_RAISED, NO_LONGER_RAISED, STILL_RAISED = "newly raised", "no longer raised", "still raised"
DIRECTION_WORD = {Change.UP: BETTER, Change.DOWN: WORSE, Change.SAME: SAME_GRADE}


# --------------------------------------------------------------------------- recurrence


class Recurrence(str, Enum):
    """What a theme's history says, in the words every view uses (see RECURRENCE_LEGEND)."""

    RESOLVED = "resolved"
    PERSISTS = "persists"
    RECURS = "recurs"
    ONCE = "raised once"


RECURRENCE_MEANING = {
    Recurrence.RECURS: "raised by two or more inspections",
    Recurrence.PERSISTS: "raised by consecutive full inspections",
    Recurrence.RESOLVED: "the latest full inspection no longer raises it (visits count as evidence but do not resolve)",
    Recurrence.ONCE: "raised by one inspection",
}
RECURRENCE_LEGEND = ("n× raised by n inspections · recurs: by two or more · persists: by consecutive full inspections · "
                     "resolved: not by the latest full inspection (a visit does not resolve)")


ONCE_LEGEND = "raised once: by one inspection"


def recurrence_legend(statuses: Iterable[str]) -> str:
    """The legend for rows showing ``statuses``: "raised once" explained too when a row says it."""
    return RECURRENCE_LEGEND + (f" · {ONCE_LEGEND}" if Recurrence.ONCE.value in set(statuses) else "")


def recurrence_word(recurring: bool, persisting: bool, resolved: bool) -> Recurrence:
    """One word per theme: resolved wins (it is the latest news), then persists, then recurs."""
    if resolved:
        return Recurrence.RESOLVED
    if persisting:
        return Recurrence.PERSISTS
    return Recurrence.RECURS if recurring else Recurrence.ONCE


# --------------------------------------------------------------------------- timeline log

GLYPH_GRADED, GLYPH_NOT_GRADED, GLYPH_MENTIONED = "●", "○", "◌"
LOG_LEGEND = "● graded · ○ not graded · ◌ only mentioned by a later document"
SOURCE_LINE = "Source: Ofsted reports read by ofstl, {date}"


def same_day_note(n: int) -> str:
    """The backtest's word for pairs it leaves out because their order is unknown."""
    return f"{n} pair{'' if n == 1 else 's'} skipped: both began on the same first day as far as known (which came first is unknown)"
