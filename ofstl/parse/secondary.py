"""Grades as news articles and council papers report them.

Secondary sources list judgements in running prose: "The impact of leaders ... was rated as
outstanding while the experiences and progress of children who need help and protection and
... was rated as good, contributing to an overall effectiveness 'good' grade". Each label
takes the first grade that follows it *as a rating* (after "rated", "judged", "was", a quote
mark ...), so descriptive words like "good-quality early help" are not read as grades.
"""

from __future__ import annotations

import re

from ofstl.parse.grades import GRADE_PHRASE, canonical
from ofstl.parse.judgements import Reading
from ofstl.parse.subjects import sentence_subjects, split_sentences

_LABELS: list[tuple[str, str]] = [
    (r"impact of leaders on social work practice(?: with children and families)?", "leadership"),
    (r"(?:experiences and progress of )?children (?:who need|in need of) help and protection", "help_and_protection"),
    (r"(?:experiences and progress of )?children in care and care leavers", "children_in_care"),
    (r"(?:experiences and progress of )?children looked after(?: and achieving permanence)?", "children_in_care"),
    (r"experiences and progress of children in care", "children_in_care"),
    (r"experiences and progress of care leavers|services for care leavers", "care_leavers"),
    (r"adoption(?: services| performance)?", "adoption"),
    (r"leadership,? management and governance", "leadership"),
    (r"overall effectiveness|overall judgement|overall rating|overall grade", "overall"),
    (r"local safeguarding children board|\bLSCB\b", "lscb"),
]
_LABEL_RE = re.compile("|".join(f"(?P<k{i}>{p})" for i, (p, _) in enumerate(_LABELS)), re.IGNORECASE)
_RATED_GRADE = re.compile(
    r"(?:(?:rated|judged|graded|assessed|found|was|were|is|are|as|remains?|receiving|received|given|an?)\s+|:\s*)(?:as\s+|to be\s+|being\s+)?"
    r"[‘'\"“]?(?P<g1>" + GRADE_PHRASE + r")(?![\w-])"
    r"|(?P<g2>requires? improvement)"
    r"|[‘'\"“](?P<g3>" + GRADE_PHRASE + r")[’'\"”]",
    re.IGNORECASE,
)


def secondary_readings(text: str) -> list[Reading]:
    readings: list[Reading] = []
    sentences = split_sentences(text)
    # A school's or a children's home's grade, in an article that names the council, is not
    # the council's.
    about = sentence_subjects(sentences)
    for sentence, subject in zip(sentences, about):
        if subject == "provider":
            continue
        labels = [(m.start(), m.end(), _LABELS[int(next(k for k, v in m.groupdict().items() if v)[1:])][1], m.group(0)) for m in _LABEL_RE.finditer(sentence)]
        if not labels:
            continue
        grades = [(m.start(), canonical(m.group("g1") or m.group("g2") or m.group("g3")), m.group(0)) for m in _RATED_GRADE.finditer(sentence)]
        if not grades:
            continue
        for start, end, key, label in labels:
            following = [g for g in grades if g[0] >= end - 1]
            if not following:
                # "... was rated 'good' for leadership": the grade comes first.
                preceding = [g for g in grades if g[0] < start and start - g[0] < 60]
                if not preceding:
                    continue
                grade = preceding[-1]
            else:
                grade = following[0]
                between = sentence[end: grade[0]]
                if len(between) > 160 or re.search(r"\b(?:said|because|although|which|that)\b", between):
                    continue
            readings.append(Reading(key, grade[1], grade[2].strip(), label, 1, "summary"))
    return readings
