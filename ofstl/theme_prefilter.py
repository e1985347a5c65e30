"""The prefilter that lets ``ofstl.themes`` run only the rules that can match a text.

Why this exists: the taxonomy has hundreds of regular expressions, and running each on every
improvement item would make a cold ``ofstl themes`` or ``export`` slow. For each pattern this
works out, from Python's own parse of it, literal strings ("needles") of which every match
holds one; a text lacking all of a rule's needles cannot match it, nor one lacking the
other literals that each needle's matches hold besides (``wake_terms``); ``WakeIndex`` files
them so that a text finds its few live rules in about a hundred checks. And it rewrites each
pattern to run case-sensitively on lower-cased text, which finds the same spans about a third
faster than case-insensitive matching. Both are checked against running every rule as written
(tests/test_themes.py). Pure; no I/O.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import chain, product
from typing import Any

try:  # the regex parser, only to derive needles; any failure just disables the prefilter
    from re import _constants as _C, _parser as _P  # type: ignore[attr-defined]  # Python 3.11+
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _C  # type: ignore[no-redef]
    import sre_parse as _P  # type: ignore[no-redef]

def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _dnf(seq: Any, at_word: bool = False, prefix: str = "") -> list[frozenset[tuple[str, bool]]] | None:
    """Literals any match of the parsed regex ``seq`` contains, as OR-of-ANDs.

    Each literal is (lower-case text, whether it starts at a word start); None: no constraint.
    ``prefix``: literal text just before ``seq`` (the parser factors "d" out of "drift|delay").
    """
    terms: list[frozenset[tuple[str, bool]]] = [frozenset()]
    run, run_at_word, at = prefix, at_word, at_word

    def conj(part: list[frozenset[tuple[str, bool]]] | None) -> None:
        nonlocal terms
        if part is None:
            return
        if len(terms) * len(part) > 32:  # too many combinations: keep one literal per term
            part = [frozenset([n]) for n in _hitting_set(part)]
        if len(terms) * len(part) <= 32:
            terms = [a | b for a, b in product(terms, part)]

    def flush() -> None:
        nonlocal run
        text, word = run, run_at_word
        if text and not _is_word(text[0]):  # " plan": the word after the space starts a word
            text, word = text.lstrip("".join(c for c in text if not _is_word(c))), True
        if len(text) >= 3 or (len(text) == 2 and text.isdigit()):  # "47" in "s47"
            conj([frozenset([(text, word)])])
        run = ""

    for op, arg in seq:
        if op is _C.LITERAL:
            if not run:
                run_at_word = at
            run += chr(arg).lower()
            at = not _is_word(chr(arg))
            continue
        if op is _C.AT:  # zero-width: literals either side stay adjacent
            at = at or arg is _C.AT_BOUNDARY or arg is _C.AT_BEGINNING
            continue
        if op is _C.ASSERT or op is _C.ASSERT_NOT:  # look-arounds consume nothing either
            continue
        if op is _C.BRANCH:  # each alternative continues the pending literal run
            alts = [_dnf(branch, run_at_word if run else at, run) for branch in arg[1]]
            run = ""
            if all(a is not None for a in alts):
                conj([t for a in alts for t in a])  # type: ignore[union-attr]
            at = False
            continue
        flush()
        if op is _C.SUBPATTERN:
            conj(_dnf(arg[-1], at))
        elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT) and arg[0] >= 1:
            conj(_dnf(arg[2], at))
        # after a class of non-word characters ([- ]) the next literal starts a word
        at = op is _C.IN and all(o is _C.LITERAL and not _is_word(chr(a)) for o, a in arg)
    flush()
    if any(not t for t in terms):
        return None
    return terms


# words so frequent in these reports that they make poor needles (a speed heuristic only);
# a needle counts as common when its first word, or that word less a plural s, is one
_COMMON = frozenset("child children care young people looked after social work the and for with that their of in".split())


def _common(needle: str) -> bool:
    first = needle.split()[0] if needle.split() else needle
    return first in _COMMON or first.rstrip("s") in _COMMON


def _hitting_set(terms: list[frozenset[tuple[str, bool]]]) -> set[tuple[str, bool]]:
    """A few literals such that every term holds one: greedy, preferring rare-looking ones."""
    chosen: set[tuple[str, bool]] = set()
    left = list(terms)
    while left:
        counts: dict[tuple[str, bool], int] = {}
        for term in left:
            for n in term:
                counts[n] = counts.get(n, 0) + 1

        def score(n: tuple[str, bool]) -> tuple[bool, int, int, tuple[str, bool]]:
            word = n[0].strip()  # the literal itself last: ties broken the same in every process
            return (not _common(word) and (len(word) >= 4 or word.isdigit()), counts[n], len(word), n)

        best = max(counts, key=score)
        chosen.add(best)
        left = [t for t in left if best not in t]
    return chosen


def _terms(pattern: str) -> list[frozenset[tuple[str, bool]]] | None:
    try:
        return _dnf(_P.parse(pattern, re.IGNORECASE))
    except Exception:  # an internal API: never let it break tagging
        return None


def needles(pattern: str) -> frozenset[tuple[str, bool]] | None:
    """Literals of which one occurs in any match of ``pattern``; None when unknown."""
    terms = _terms(pattern)
    if terms is None:
        return None
    chosen = _hitting_set(terms)
    return frozenset(chosen) if all(n.isascii() for n, _ in chosen) else None


def wake_terms(pattern: str) -> list[tuple[str, tuple[str, ...]]] | None:
    """(needle, the other literals) pairs: a match of ``pattern`` is possible only when, for one
    pair, the needle and every other literal are in the text; None when unknown.

    One needle alone wakes too many rules ("care leaver" wakes a rule that also needs "plan"),
    and running a rule costs far more than looking for a literal. Each set of literals some
    match must hold in full is filed under its rarest-looking literal (not a common word, then
    the longest), and its other literals follow rarest-looking first, so the usual check that
    fails, fails at its first literal. Filing under the one needle the sets share instead
    ("placement" for every placement rule) made each item wake about twice the entries.
    """
    terms = _terms(pattern)
    if terms is None or not all(n.isascii() for term in terms for n, _ in term):
        return None
    found: dict[tuple[str, tuple[str, ...]], None] = {}
    for term in terms:
        ranked = sorted({n for n, _ in term}, key=_rarity)
        found[(ranked[0], tuple(ranked[1:]))] = None
    return list(found)


def _rarity(literal: str) -> tuple[bool, int, str]:
    """Sort key putting the rarest-looking literal first: not a common word, then longer."""
    return (_common(literal.strip()), -len(literal), literal)


_RUN = 4  # characters in the runs of text the index files needles under


class WakeIndex:
    """Which of a list of patterns can match a lower-cased ASCII text: ``live`` gives their
    indices, every pattern that has a match among them (and a few that turn out not to).

    Each pattern's ``wake_terms`` are filed under their needle, and each needle under one run of
    four of its characters: the run that fewest other needles share ("lans" for "plans", not
    "plan", which "planning" has too), so a text looks for about half as many needles that are
    not there as with each needle's first characters. A text looks up each run of its own.
    """

    def __init__(self, patterns: list[str]):
        self.always: list[int] = []  # patterns with no known literal: always run
        # a needle -> the patterns it may wake, each with the other literals it then needs too
        self.wakes: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        for index, pattern in enumerate(patterns):
            terms = wake_terms(pattern)
            if terms is None:
                self.always.append(index)
                continue
            for needle, others in terms:
                self.wakes.setdefault(needle, []).append((index, others))
        runs = {n: {n[i : i + _RUN] for i in range(len(n) - _RUN + 1)} for n in self.wakes}
        shared = Counter(run for needle_runs in runs.values() for run in needle_runs)
        Entry = tuple[str, list[tuple[int, tuple[str, ...]]]]
        self._by_run: dict[str, list[Entry]] = {}
        self._short: list[Entry] = []  # needles shorter than a run: always looked for
        for needle, wakes in self.wakes.items():
            if len(needle) < _RUN:
                self._short.append((needle, wakes))
            else:
                self._by_run.setdefault(min(runs[needle], key=lambda run: (shared[run], run)), []).append((needle, wakes))
        self._runs = frozenset(self._by_run)

    def live(self, low: str) -> set[int]:
        """The patterns whose needle and other literals all occur in ``low``, and those always run."""
        # set & frozenset walks the smaller of the two; .intersection(a dict) walks the whole dict
        runs = {low[i : i + _RUN] for i in range(len(low) - _RUN + 1)} & self._runs
        live = set(self.always)
        for needle, wakes in chain(*map(self._by_run.__getitem__, runs), self._short):
            if needle not in low:
                continue
            for index, others in wakes:
                if index in live:
                    continue
                for m in others:  # a plain loop: all() over a generator costs more than it saves here
                    if m not in low:
                        break
                else:
                    live.add(index)
        return live


_CASE_MATTERS = re.compile(r"\\(?:[xuUNpP0-7])|\(\?[a-zA-Z-]*[iI]")


def lowered(rx: re.Pattern[str]) -> re.Pattern[str] | None:
    """``rx`` rewritten to run case-sensitively on lower-cased ASCII text, with the same matches
    and spans as ``rx`` (case-insensitive) on the text itself, and about a third faster; None
    where case can matter (inline flags such as ``(?-i:PACE)``, escapes naming characters).
    Letters outside escapes are lower-cased; an escape (``\\b``, ``\\W``) is kept as written."""
    if _CASE_MATTERS.search(rx.pattern):
        return None
    out, i, p = [], 0, rx.pattern
    while i < len(p):
        step = 2 if p[i] == "\\" else 1
        out.append(p[i : i + step] if step == 2 else p[i].lower())
        i += step
    try:
        return re.compile("".join(out))
    except re.error:
        return None
