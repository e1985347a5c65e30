"""Whose inspection a news article's or council paper's sentence reports.

Local papers and councils write about every Ofsted inspection in their area: a primary
school's, a nursery's, an academy's, a children's home's, as well as the council's children's
services. Such an article names the council ("A spokesperson for Barnet Council said ...") and
grades something ("the school's overall effectiveness was rated good"), so without this it
became a graded inspection of the council. What a sentence grades is read from its words: a
provider named in the singular ("the school", "St Mary's Primary School", "a children's
home") is the thing inspected; the authority's children's services are named by their own
words ("children's services", "social care", "help and protection", "care leavers" ...).
A sentence naming both is about the authority's services (they are the larger subject: "work
with the school" is part of children's services' practice), and a sentence naming neither
("It was rated good", "Inspectors praised leaders") is about what the sentence before it was.
"""

from __future__ import annotations

import functools
import re

from ofstl.parse.dates import WITHIN_YEAR, YEAR
from ofstl.parse.grades import GRADE_PHRASE

# One provider, in the singular: plurals ("schools", "children's homes") are partners a
# children's services article lists, not the thing it says was inspected.
PROVIDER = re.compile(
    r"\b(?:(?:primary|secondary|infant|junior|special|free|faith|grammar|independent|boarding|residential special|c of e|catholic|church)\s+)?"
    r"(?:(?<!virtual )school|academy|college|nursery|pre-?school|playgroup|childminder|day care (?:centre|setting)|early years setting|sixth form centre"
    r"|children.s centre|(?:residential )?family centre"
    r"|children.s home|care home|residential home|secure (?:children.s home|training centre|unit)|pupil referral unit"
    r"|fostering (?:agency|provider|service)|adoption agency|boarding house"
    r"|adult (?:and community )?learning (?:service|provider)|(?:further education|skills|apprenticeship|training) provider)(?!s)\b"
    r"|\bthe home\b|\bthe setting\b|\bthe provider\b"
    # Other services, which other inspectorates inspect (the CQC, HMICFRS, HMI Probation).
    r"|\b(?:youth (?:justice|offending) (?:service|team)|adults?.? social care|police force|police\b|the force\b|probation service"
    r"|(?:hospital|health|NHS|mental health) trust|hospital\b)",
    re.IGNORECASE)
# The authority's children's services and what Ofsted grades them on.
AUTHORITY_SERVICES = re.compile(
    r"children.s services|children.s social care|children.s (?:services )?trust|virtual school|(?<!adult )(?<!adults )(?<!adults' )(?<!adult's )social care|social work|services for children|help and protection"
    r"|children in care and care leavers|care leavers|children looked after and achieving permanence|safeguarding children board"
    r"|local authority children|\bILACS\b|impact of leaders on social work|joint targeted area|focused visit to the (?:council|local authority)"
    r"|local area partnership|area SEND|special educational needs|arrangements for the protection of children|child protection (?:arrangements|services)"
    r"|(?:council|local authority).s (?:children.s )?(?:services|safeguarding)",
    re.IGNORECASE)
# "... were themselves rated good by Ofsted in 2018", "at the last inspection", "previously".
# A grade given in a named year ("rated good by Ofsted in 2018"): that year's inspection.
GRADED_IN_YEAR = re.compile(
    rf"\b(?:judged|rated|graded)\b[^.;,]{{0,80}}?{GRADE_PHRASE}[’'\"”]?(?:\s+overall)?(?:\s+by ofsted)?\s+in\s+{WITHIN_YEAR}?(?P<year>{YEAR})\b", re.IGNORECASE)
_EARLIER = re.compile(
    GRADED_IN_YEAR.pattern + r"|\bprevious(?:ly)?\b|\blast inspect\w*|\b(?:at|in|during) (?:its|the|their) last\b", re.IGNORECASE)
# People's titles name children's services without being about them: HMCI's on every Ofsted
# letter, the director copied into a school's.
_TITLES = re.compile(r"(?:Chief )?Inspector of Education, Children.s Services and Skills|director (?:of|for) children.s services", re.IGNORECASE)
_INSPECTION = re.compile(r"\b(?:ofsted|inspect\w*|rated|rating|judged|judgement|graded|grade)\b", re.IGNORECASE)
# A sentence whose subject is the one before's: "It was rated good", "Its leaders ...".
_CARRIES_ON = re.compile(r"^[\W]*(?:it|its|it's|this|they|their|the report|inspectors|leaders|staff|pupils|children)\b", re.IGNORECASE)


def sentence_subjects(sentences: list[str]) -> list[str | None]:
    """For each sentence, "provider", "authority" or None (it names neither and does not
    carry on from a sentence that did)."""
    subjects: list[str | None] = []
    previous: str | None = None
    for sentence in sentences:
        words = _TITLES.sub(lambda m: " " * len(m.group(0)), sentence)
        services = [m.start() for m in AUTHORITY_SERVICES.finditer(words)]
        providers = [m.start() for m in PROVIDER.finditer(sentence)]
        if services and providers:
            subject: str | None = _nearer_the_inspection(sentence, services, providers)
        elif services:
            subject = "authority"
        elif providers:
            subject = "provider"
        elif _CARRIES_ON.match(sentence):
            subject = previous
        else:
            subject = None
        subjects.append(subject)
        previous = subject
    return subjects


def _nearer_the_inspection(sentence: str, services: list[int], providers: list[int]) -> str:
    """A sentence naming both is the provider's when every inspection word in it is nearer
    the provider ("the council's children's services department runs the home, which Ofsted
    rated good"), else the authority's ("Ofsted rated Barnet's children's services
    outstanding, weeks after Hendon School was judged good")."""
    verbs = [m.start() for m in _INSPECTION.finditer(sentence)]
    if verbs and all(min(abs(v - p) for p in providers) < min(abs(v - s) for s in services) for v in verbs):
        return "provider"
    return "authority"  # any doubt: the authority's (a school beside its services is its partner)


def split_sentences(text: str) -> list[str]:
    """Sentences, paragraphs and bullets as separate statements (a headline has no full stop).
    A table's rows are statements of their own: "Overall effectiveness | Good", a row with
    tabs, and a label whose grade is the next line by itself (a PDF's table, cell by cell)."""
    sentences: list[str] = []
    for paragraph in re.split(r"\n\s*\n|\n\s*[•◼\-\*]\s+|\s[•◼]\s", text.replace("**", "")):
        pending: list[str] = []
        for line in paragraph.split("\n"):
            if "|" in line or "\t" in line:
                _prose(pending, sentences)
                sentences.append(" ".join(line.replace("\t", " | ").split()))
            elif _GRADE_CELL.match(line) and pending and not re.search(r"[.!?;:]\s*$", pending[-1]):
                # The row's label: the lines since the last one that ends a sentence.
                ends = [i for i, earlier in enumerate(pending) if re.search(r"[.!?;:]\s*$", earlier)]
                cut = ends[-1] + 1 if ends else 0
                label = pending[cut:]
                del pending[cut:]
                _prose(pending, sentences)
                sentences.append(" ".join(" ".join(label).split()) + " | " + " ".join(line.split()))
            else:
                pending.append(line)
        _prose(pending, sentences)
    return sentences


_GRADE_CELL = re.compile(rf"^\s*{GRADE_PHRASE}\s*(?:\(grade\s*[1-4]\))?\s*$", re.IGNORECASE)


def _prose(lines: list[str], sentences: list[str]) -> None:
    flat = " ".join(" ".join(lines).split())
    if flat:
        sentences.extend(re.split(r"(?<=[.!?])\s+(?=[A-Z“\"‘'])", flat))
    lines.clear()


@functools.lru_cache(maxsize=4)
def sentences_about(text: str) -> tuple[tuple[str, ...], tuple[str | None, ...]]:
    """A document's statements and whose each is (``sentence_subjects``), read once for both
    the provider check and the grades (a long council paper's thousands of sentences)."""
    sentences = split_sentences(text)
    return tuple(sentences), tuple(sentence_subjects(sentences))


def provider_inspected(text: str) -> str | None:
    """The provider a document's inspection sentences are about, when every sentence about an
    inspection that names a subject names a provider and none the authority's children's
    services ("St Mary's Primary School"), else None."""
    providers: list[str] = []
    for sentence, subject in zip(*sentences_about(text)):
        if not _INSPECTION.search(sentence):
            continue
        if subject == "authority" and not _EARLIER.search(sentence):
            return None  # the article's inspection may be the authority's (an earlier one's is a mention)
        if subject == "provider":
            match = PROVIDER.search(sentence)
            if match:
                providers.append(_provider_name(sentence, match))
    named = [name for name in providers if name[:1].isupper()]
    return (named or providers or [None])[0]


_NAMED = re.compile(r"(?:[A-Z][\w'’.-]*\s+(?:(?:of|the|and|upon)\s+)?){1,6}$")
_NAMED_AFTER = re.compile(r"(?:\s+[A-Z][\w'’-]*){1,3}")


def _provider_name(sentence: str, match: re.Match[str]) -> str:
    """"St Mary's Primary School" when the sentence names it, else the provider word."""
    word = match.group(0)
    before = _NAMED.search(sentence[: match.start()])
    if word[:1].isupper() and (before or all(part[:1].isupper() for part in word.split())):
        after = _NAMED_AFTER.match(sentence, match.end())
        return ((before.group(0) if before else "") + word + (after.group(0) if after else "")).strip()
    word = word.lower()
    if word.startswith("the ") or word.endswith("care"):
        return word  # "the home", "adult social care"
    return ("an " if word[0] in "aeiou" else "a ") + word
