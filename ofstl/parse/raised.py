"""What a later document says an earlier inspection raised, as that inspection's weakness.

"Partners do not apply thresholds consistently. This was an area for development at the
previous inspection" tells us what the earlier inspection asked for; "the inspection in July
2016 identified a number of areas for improvement, the majority of which have not been
delivered" tells us only that it asked for something. Stored as a weakness, a sentence of
the second kind gives the earlier inspection a theme on no evidence (or none at all), and a
"recurs" or "persists" in every view built on it; so a sentence is kept only when, besides
the words that refer to the earlier inspection and its findings, it names what was raised.
"""

from __future__ import annotations

import re

from ofstl.models import InspectionFacts, Item
from ofstl.parse.dates import MONTH

RAISED_SECTION = "Raised again by a later document"

_PARAGRAPH_NUMBER = re.compile(r"^\d{1,3}\.\s+(?=[A-Z])")
_RAISED = re.compile(
    r"areas? (?:for|of) (?:development|improvement|priority action)|identified (?:for|as) (?:development|improvement|an area)"
    r"|recommendations? (?:made|from|at)|with the exception of",
    re.IGNORECASE,
)

# a judgement's heading run into the paragraph under it ("The impact of leaders on social work
# practice with children and families: Requires improvement to be good 34. Most children ...")
_HEADING_FIRST = re.compile(
    r"^[A-Z][^.:;]{10,160}:\s*(?:outstanding|good|requires improvement(?: to be good)?|inadequate|adequate)\b\s*(?:\d{1,3}\.)?\s+(?=[A-Z])",
    re.IGNORECASE)

# The words a sentence uses to point at an earlier inspection's findings, their number and
# the pace of work on them, without naming any: what is left once these, grade words, dates
# and names are taken out is what the sentence says was raised.
_REFERRING_WORDS = frozenset("""
a an the of for at in on to by as and or but with from since then when while that which who
this these those it its they their there is are was were be been being has have had not no
yet still only also further more most many some several all any each both other a number
majority minority few key main significant important identified raised found highlighted
set out made make given area areas development improvement improvements improve priority
action actions recommendation recommendations inspection inspections inspected previous
last earlier prior preceding time date ofsted addressed delivered implemented tackled
tackling tackle met achieved completed progress slow slowly limited insufficient sufficient
sufficiently enough result results continue continues continued receive receives received
service services children children's child young people local authority authority's council
council's require requires required requirement good outstanding adequate inadequate
judged judgement judgment overall effectiveness effective remain remains remained
""".split())

# who made progress on them is the later inspection's subject, not what was raised
_PROGRESS_BY = re.compile(
    r"\b(?:senior |political |strategic )?(?:leaders|leadership|managers|the (?:local )?authority|the council|partners)"
    r" (?:have|has) (?:made|achieved|shown|secured)\b(?: (?:steady|good|some|little|slow|limited|considerable|positive|strong|insufficient|variable))?",
    re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
_MONTH_WORD = re.compile(rf"^(?:{MONTH})$", re.IGNORECASE)


def names_what_was_raised(sentence: str) -> bool:
    """Whether the sentence names a matter, beyond referring to earlier findings.

    Title-case words after the first are names (the council, "Children's Services"); words
    in capitals (MASH, LADO) and the first word are read as words."""
    for position, word in enumerate(_WORD.findall(_PROGRESS_BY.sub(" ", sentence))):
        plain = word.replace("’", "'").lower()
        if plain in _REFERRING_WORDS or _MONTH_WORD.match(word):
            continue
        if position and word[0].isupper() and not word.isupper():
            continue
        return True
    return False


def read_raised_weakness(facts: InspectionFacts, text: str, page: int) -> None:
    """Add to ``facts`` the weakness ``text`` says the earlier inspection raised, if it names one.

    The weakness ends with the sentence saying it was raised: sentences before it may be what
    was raised ("Partners do not apply thresholds consistently. This was an area for
    development at the previous inspection"), those after it are the later inspection's own
    findings."""
    sentence = _HEADING_FIRST.sub("", text.strip().lstrip("-•◼*\uf0b7\uf06e ").strip())
    sentence = _PARAGRAPH_NUMBER.sub("", sentence)
    raised = _RAISED.search(sentence)
    if not raised or len(sentence) > 800:
        return
    end = re.search(r"[.!?](?=\s+[A-Z\u2018\u201c\"(])", sentence[raised.end():])
    if end:
        sentence = sentence[: raised.end() + end.end()]
    if not names_what_was_raised(sentence):
        return
    if all(item.text != sentence for item in facts.weaknesses):
        facts.weaknesses.append(Item(text=sentence[:600], section=RAISED_SECTION, page=page))
