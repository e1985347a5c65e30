"""Grade words as printed -> canonical grades (SPEC section 2).

Reports print the same grade many ways: "Requires improvement to be good", "Requires
Improvement", "require improvement", "Good (Grade 2)", "Grade 4 (inadequate)", and a table
cell can wrap over lines ("Requires / improvement / to be good"). Annual ratings use
"performs well". This module is the one place that knows the vocabulary.
"""

from __future__ import annotations

import re

# The grade scale and short letters are part of the shared vocabulary.
from ofstl.vocabulary import GRADE_LEVEL, GRADE_SHORT as SHORT  # noqa: E402,F401

_NUMBERED = {"1": "outstanding", "2": "good", "3": "adequate", "4": "inadequate"}

GRADE_PHRASE = (
    r"(?:outstanding|good|inadequate|adequate|"
    r"requir(?:es?|ing)\s+improvement(?:\s+to\s+be\s+good)?|"
    r"perform(?:s|ing)?\s+(?:excellently|well|adequately|poorly))"
)
_GRADE_RE = re.compile(r"^\W*(" + GRADE_PHRASE + r")\W*$", re.IGNORECASE)
_GRADE_NUMBER_RE = re.compile(r"grade\s*([1-4])", re.IGNORECASE)


def normalise_grade(text: str) -> str | None:
    """Canonical grade for a printed phrase, or None if it is not a grade.

    Accepts the phrase alone, with a grade number ("Good (Grade 2)", "Grade 4 (inadequate)"),
    and wrapped over several lines.
    """
    words = " ".join(text.split()).strip().lower().rstrip(".")
    if not words:
        return None
    words = re.sub(r"\(?\s*grade\s*[1-4]\s*\)?", " ", words).strip(" ()")
    words = " ".join(words.split())
    match = _GRADE_RE.match(words)
    if not match:
        number = _GRADE_NUMBER_RE.search(text)
        if number and not words:
            return _NUMBERED[number.group(1)]
        return None
    return canonical(match.group(1))


def canonical(phrase: str) -> str:
    """Canonical form of a phrase already known to be a grade."""
    words = " ".join(phrase.lower().split())
    if words.startswith("requir"):
        return "requires improvement"
    if words.startswith("perform"):
        return "performs " + words.split()[-1]
    return words


def find_grade(text: str) -> str | None:
    """The first grade phrase anywhere in ``text`` (for sentences), canonicalised."""
    match = re.search(r"\b(" + GRADE_PHRASE + r")\b", text, re.IGNORECASE)
    return canonical(match.group(1)) if match else None
