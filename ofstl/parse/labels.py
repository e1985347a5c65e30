"""Printed judgement labels -> SPEC judgement keys, for every framework.

The same key is printed differently by each framework ("The impact of leaders on social
work practice..." in ILACS, "Leadership, management and governance" in SIF, "Leadership and
management" in the 2013 LAC reports), and the same words mean different keys in different
frameworks ("Overall effectiveness" is the whole service in ILACS but the looked after
children judgement in a LAC report). Order matters: longer, more specific labels first.
"""

from __future__ import annotations

import re

# (pattern over a normalised label, key). Applied with re.search to lower-case text whose
# whitespace is collapsed and whose leading numbering ("2.1") is removed.
LABEL_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), key)
    for p, key in [
        (r"impact of leaders on social work practice", "leadership"),
        (r"children who need help and protection", "help_and_protection"),
        (r"children in need of help and protection", "help_and_protection"),
        (r"children looked after and achieving permanence", "children_in_care"),
        (r"children in care and care leavers", "children_in_care"),
        (r"^(?:the )?(?:experiences and progress of )?children in care$", "children_in_care"),
        (r"^(?:the )?experiences and progress of care leavers$", "care_leavers"),
        (r"^adoption performance$", "adoption"),
        (r"^leadership, management and governance$", "leadership"),
        (r"effectiveness of the local safeguarding children board", "lscb"),
        (r"^the local safeguarding children board(?: \(lscb\))?$", "lscb"),
        (r"^overall effectiveness of (?:the )?services for (?:looked after|children looked after)", "children_in_care"),
        (r"^overall effectiveness of (?:the )?safeguarding services", "help_and_protection"),
        (r"^overall effectiveness$", "overall"),
        (r"^capacity (?:to improve|for improvement)$", "capacity"),
        (r"^outcomes for (?:looked after children|children looked after)(?: and young people| and care leavers)?$", "outcomes"),
        (r"^quality of provision$", "quality_of_provision"),
        (r"^leadership and management$", "leadership"),
        (r"^leadership and governance$", "leadership"),
        (r"^(?:the )?quality of practice$", "quality_of_practice"),
        (r"^(?:the )?effectiveness of the help and protection provided", "help_and_protection_provided"),
        (r"^overall judge?ment on progress", "progress"),
        (r"^overall effectiveness of (?:the council.s )?children.s services$", "overall"),
        (r"^being healthy$", "being_healthy"),
        (r"^staying safe$", "staying_safe"),
        (r"^enjoying and achieving$", "enjoying_and_achieving"),
        (r"^making a positive contribution$", "making_a_positive_contribution"),
        (r"^achieving economic well-?being$", "achieving_economic_wellbeing"),
        (r"^service management$", "service_management"),
    ]
]

DISPLAY = {
    "overall": "Overall effectiveness",
    "leadership": "Leadership",
    "help_and_protection": "Help and protection",
    "children_in_care": "Children in care",
    "care_leavers": "Care leavers",
    "adoption": "Adoption",
    "lscb": "LSCB",
    "capacity": "Capacity to improve",
    "capacity_safeguarding": "Capacity (safeguarding)",
    "capacity_children_in_care": "Capacity (children in care)",
    "outcomes": "Outcomes",
    "quality_of_provision": "Quality of provision",
    "quality_of_practice": "Quality of practice",
    "help_and_protection_provided": "Help and protection provided",
}

# The keys SPEC section 2 names, in display order; others follow alphabetically.
KEY_ORDER = ["overall", "leadership", "help_and_protection", "children_in_care", "care_leavers", "adoption", "lscb", "capacity"]


def normalise_label(text: str) -> str:
    words = " ".join(text.replace("’", "'").split()).lower().lstrip("#* ")
    words = re.sub(r"^\(?\d+(?:\.\d+)?\)?\.?\s+", "", words)  # "2.1 Adoption performance"
    words = re.sub(r"\s*\d+$", "", words)  # footnote markers
    return words.strip(" :.-")


def label_key(text: str) -> str | None:
    """The judgement key a printed label stands for, or None."""
    label = normalise_label(text)
    if not label or len(label) > 120:
        return None
    for pattern, key in LABEL_PATTERNS:
        if pattern.search(label):
            return key
    return None


def display_name(key: str) -> str:
    return DISPLAY.get(key, key.replace("_", " ").capitalize())


def key_sort(key: str) -> tuple[int, str]:
    return (KEY_ORDER.index(key), key) if key in KEY_ORDER else (len(KEY_ORDER), key)
