"""Whose document it is: the authority a document is about, read from its structure.

A report's title names its authority ("Inspection of Hounslow local authority children's
services"), or its first line does ("London Borough of Ealing"); otherwise the authority named
most often, not counting Ofsted's own address (an office in Manchester is not Manchester's
report) nor lines that list several councils (a round-up). Split from
``ofstl.parse.document`` (which assembles the whole reading) to keep each module short.
"""

from __future__ import annotations

import re

from ofstl import authorities
from ofstl.models import ExtractedText

_TITLE_LA = [
    re.compile(p, re.IGNORECASE)
    for p in [
        r"inspection of (?:the )?(?P<la>[\w ,&’'.-]{2,70}?) (?:local authority )?children.s (?:social care )?services",
        r"focused visit to (?:the )?(?P<la>[\w ,&’'.-]{2,70}?) (?:local authority )?children.s services",
        r"monitoring visit (?:to|of) (?:the )?(?P<la>[\w ,&’'.-]{2,70}?) (?:local authority )?children.s services",
        r"arrangements within (?:the )?(?P<la>[\w ,&’'.-]{2,70}?) children.s services",
        r"children.s services in (?P<la>[\w ,&’'.-]{2,60}?) (?:are|is|require|requires)\b",
        r"individual agencies in (?P<la>[\w ,&’'.-]{2,60}?) local authority",
        r"joint targeted area inspection of (?P<la>[\w ,&’'.-]{2,60}?)(?: this| between|$)",
        r"joint targeted area inspection of the multi-agency response to [^.]{0,160}? in (?P<la>[A-Z][\w ,&’'.-]{2,60}?)(?: between| this|$)",
        r"safeguarding services in the (?P<la>[\w ,&’'.-]{2,60}?)(?: care quality| ofsted|$)",
        r"(?P<la>[\w ,&’'.-]{2,60}?) inspection of looked after children services",
        r"(?:joint )?(?:local )?area (?:send|special educational needs and/or disabilities) inspection (?:in|of) (?:the )?(?P<la>[\w ,&’'.-]{2,60}?)(?: local area)?(?: partnership)?(?: inspection dates?| dates? of| between| this|\.|$)",
    ]
]
# Ofsted's own offices: an address of Ofsted's is never the authority of the document.
_OFSTED_OFFICE = re.compile(
    r"Piccadilly Gate|Store Street|Agora\b|Cumberland Place|Aviation House|125 Kingsway|Clive House|Petty France|Royal Exchange Buildings"
    r"|St Ann'?s Square|Freshford House|Redcliffe Way|Cannon House|Priory Queensway|\bM1 2WD\b|\bNG1 6HJ\b|\bWC2B 6SE\b|\bSW1H 9EX\b|\bM2 7LA\b"
    r"|\bBS1 6NL\b|\bB4 6BS\b|enquiries@ofsted\.gov\.uk|0300 123 1231|08456 404040", re.IGNORECASE)


def _without_ofsted_address(text: str) -> str:
    """The text with every block of lines holding Ofsted's own address blanked (an office's
    name, street, town and postcode, on lines of their own or run together on one)."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if _OFSTED_OFFICE.search(line):
            lines[index] = ""
            for step in (-1, 1):  # the rest of the block: short lines next to it
                j = index + step
                while 0 <= j < len(lines) and lines[j].strip() and len(lines[j].split()) <= 4:
                    lines[j] = ""
                    j += step
    return "\n".join(lines)
_NAME_WORDS = re.compile(r"\b(?:london|royal|borough|metropolitan|city|county|district|council|of|the|and|children.s|children|families|trust|safeguarding|board|partnership|inspection)\b|&", re.IGNORECASE)
_ADDRESS_LINE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b|\b(?:Street|Road|Lane|Square|House|Hall|Centre|Park|Avenue)\b")


def authority_of(extracted: ExtractedText) -> tuple[str | None, str, list[str]]:
    """(slug, evidence, other candidates) decided by the document's structure."""
    opening = " ".join(extracted.text[:5000].replace("’", "'").split())
    # A short name ("Kingston") is an authority's only where the document names it in full.
    in_full = authorities.named_in_full(extracted.text)
    for pattern in _TITLE_LA:
        for match in pattern.finditer(opening):
            phrase = match.group("la")
            if re.search(r"\d", phrase) or phrase.rstrip().endswith(","):
                # a sentence, not a title: "the last inspection of Cumbria in September 2022,
                # children's services were judged..." (a successor's paper about its
                # predecessor); no authority's name holds a digit or ends at a comma
                continue
            slug = authorities.match_name(phrase)
            if slug not in in_full:
                slug = None  # a short name ("Kingston") the document never names in full
            if not slug:
                found = authorities.find_in_text(phrase, in_full)
                # A name containing another ("North Northamptonshire") is the longer one.
                slug = max(found, key=lambda f: len(authorities.get(f[0]).name))[0] if found else None
            if slug:
                return slug, match.group(0)[:120], []
    # A report's first line may be just its authority ("London Borough of Ealing").
    lines = [ln.strip().lstrip("#").strip() for ln in _without_ofsted_address(extracted.text).strip().split("\n") if ln.strip()][:3]
    for candidate in lines + [" ".join(lines[:2])]:
        found = authorities.find_in_text(candidate, in_full)
        if len(found) == 1:
            rest = _NAME_WORDS.sub(" ", authorities.strip_names(candidate, in_full)).strip(" ,.-")
            if not rest:
                return found[0][0], candidate[:120], []
    # Otherwise count names in the text, ignoring addresses and lists of several names.
    counts: dict[str, int] = {}
    lines = _without_ofsted_address(extracted.text).split("\n")
    salutation = next((i for i, line in enumerate(lines[:80]) if re.match(r"\s*Dear\s", line)), -1)
    listed: list[str] = []  # named only in lines naming several: a round-up of councils
    for index, line in enumerate(lines):
        names = authorities.find_in_text(line, in_full)
        if names and len({s for s, _ in names}) > 2 and not _ADDRESS_LINE.search(line):
            listed.extend(s for s, _ in names if s not in listed)
        if not names or len({s for s, _ in names}) > 2 or _ADDRESS_LINE.search(line):
            continue
        if index < salutation and len(line.split()) <= 4:
            continue  # a line of an address block above "Dear ..." (Ofsted's own: "Manchester")
        for slug, _ in names:
            counts[slug] = counts.get(slug, 0) + 1
    if not counts:
        return None, "", listed[:4] if len(listed) > 1 else []
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1]:
        return None, "", [s for s, _ in ranked[:4]]
    return ranked[0][0], f"named {ranked[0][1]} times", []


__all__ = ["authority_of"]
