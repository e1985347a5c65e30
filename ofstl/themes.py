"""Tag improvement items with weakness themes, from a taxonomy kept in a YAML file.

Why this exists: "which weaknesses keep coming back?" can only be answered if items written
in different frameworks' vocabulary land in the same theme. Keyword regexes over-match short
words ("plans" in "action plans", "health" in "parental mental health"), so each theme here
has phrase patterns plus context excludes. The rules live in data, not code
(``ofstl/data/themes.yaml``, documented at its top), so a user can extend or replace them
with ``load_taxonomy(path)``. Pure: no I/O beyond reading the taxonomy file.

Why rules and no learned model (issue 14), measured on items no rule was tuned on: with 848
labels a TF-IDF logistic regression (scikit-learn) scored 0.88/0.72 alone and, OR-ed with the
rules, did not beat them. With 3,398 labels (theme_labels.yaml and ten fresh batches of
theme_labels_fresh.yaml) a per-theme logistic regression over words, word pairs and the rules'
own hits scores 0.879/0.907 on the 1,200 fresh items held out, the rules 0.854/0.930: the same
F (docs/compare_theme_model.py; words alone 0.898/0.819), as with 2,598 labels (0.887/0.889
against 0.870/0.907) and in cross-validation over 1,200 fresh items (0.899/0.900 against
0.866/0.925). With every label (4,598), the same model scores 0.917/0.917 on the fresh test set
against the rules' 0.915/0.927, and in six folds over the held-out batches (each scored by a
model trained on ~4,400 items) 0.891/0.907 against 0.854/0.930: F 0.899 against 0.890, one
point, and nothing on the test set. Told each pattern's own hits and where they fall in the item
(first sentence, purpose clause, later), or used only to veto the rules' tags, it still ends near
F 0.895 on the 315 items held out last (two folds; rules 0.858/0.925) and level on the test set
(`--patterns`). A model that does not beat the rules is not worth their loss: they are
deterministic, explainable match by match, editable as data, fast, and need no numeric stack. What limits both is
language the labels have not shown them: two readers labelling the same unseen items apart
agree at 0.97, the rules reach 0.86/0.93 against either (tests/data/theme_labels_fresh.yaml says
how each round moved the held-out batches). `make themes-eval` repeats the measures as the labels grow.

Speed: each pattern is compiled once, together with the literal strings ("needles") that any
of its matches must contain, the other literals each needle's matches hold besides, and a twin
that runs on lower-cased text (ofstl/theme_prefilter.py). ``tag`` finds which needles occur in
the text (those whose rarest run of four characters occurs, then ``in``) and runs only the patterns
whose needle and other literals are all there (about twelve of the ~650 per item, after about
a hundred checks of other literals); the answer is the same as running every pattern as written.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ofstl.errors import UsageError
from ofstl import theme_prefilter

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

_THEME_KEYS = {"id", "label", "match", "exclude", "note", "scope", "examples"}
_TOP_KEYS = {"version", "extends", "ignore", "long_items", "themes"}
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_FOLD = str.maketrans({"\u2019": None, "\u2018": None, "'": None, **{chr(c): "-" for c in (*range(0x2010, 0x2016), 0x2212)}})
_PACKAGED_NAME = "ofstl/data/themes.yaml"
# where one sentence of a normalised item ends and the next begins (". The", "? However")
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)%])[.!?] +(?=[A-Z\u2018\u201c\"(])")


def normalise(text: str) -> str:
    """The form patterns are written against: no apostrophes, ASCII dashes, single spaces."""
    return " ".join(text.translate(_FOLD).split())


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    match: tuple[re.Pattern[str], ...]
    exclude: tuple[re.Pattern[str], ...]
    scope: str = ""  # what the theme covers, in one line
    examples: tuple[str, ...] = ()  # improvement items it should tag

    def applies(self, text: str, match: Any = None, exclude: Any = None) -> bool:
        """Whether the theme applies to normalised ``text`` (optionally with only some rules)."""
        match = self.match if match is None else match
        exclude = self.exclude if exclude is None else exclude
        return _applies([(rx, text) for rx in match], [(rx, text) for rx in exclude])


def _applies(match: Any, exclude: Any) -> bool:
    """The rule of the taxonomy file's header, each pattern run on its own copy of the text
    (the same characters, or the same lower-cased: see ``ofstl.theme_prefilter.lowered``)."""
    if not exclude:
        for rx, text in match:
            if rx.search(text):
                return True
        return False
    return bool(uncovered_spans(match, exclude))


def uncovered_spans(match: Any, exclude: Any) -> list[tuple[int, int]]:
    """The spans of the match patterns' hits that no exclude span covers (what makes a theme apply)."""
    hits = [m.span() for rx, text in match for m in rx.finditer(text)]
    if not hits:
        return []
    last_start = max(a for a, _ in hits)
    for rx, text in exclude:  # drop the hits each exclude covers; one left uncovered: applies
        for m in rx.finditer(text):
            s, e = m.span()
            if s > last_start:  # later matches cannot cover a hit (the scan is the same)
                break
            hits = [(a, b) for a, b in hits if not (s <= a and b <= e)]
        if not hits:
            return []
    return hits


def _prominent(spans: list[tuple[int, int]], starts: list[int]) -> bool:
    """Whether a theme's hits (``spans``) in a long item lie in its first sentence or in two."""
    sentences = {bisect.bisect_right(starts, a) - 1 for a, _ in spans}
    return 0 in sentences or len(sentences) > 1


def _outermost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans in text order without those inside a longer one: two rules hitting "local
    placements" and "sufficient local placements" are one piece of evidence, shown once."""
    kept: list[tuple[int, int]] = []
    for a, b in sorted(set(spans), key=lambda span: (span[0], -span[1])):
        if not any(x <= a and b <= y for x, y in kept):
            kept.append((a, b))
    return kept


class Taxonomy:
    """An ordered set of themes; ``tag`` returns the ids that apply to a text."""

    def __init__(self, themes: list[Theme], ignore: re.Pattern[str] | None = None, source: str = "",
                 long_item_sentences: int | None = None):
        self.themes = themes
        self.ignore = ignore
        self.source = source
        # items of this many sentences or more are read as paragraphs (``prominent``); None: never
        self.long_item_sentences = long_item_sentences
        self._by_id = {t.id: t for t in themes}
        found = theme_prefilter.needles(ignore.pattern) if ignore is not None else None
        self._ignore_needles = None if found is None else [n for n, _ in found]
        # per rule: (theme, match or exclude, the pattern to run, whether on the lower-cased text)
        self._runners: list[tuple[int, bool, re.Pattern[str], bool]] = []
        patterns: list[str] = []  # each rule's pattern as written, in the same order
        for ti, theme in enumerate(themes):
            for is_match, rules in ((True, theme.match), (False, theme.exclude)):
                for rx in rules:
                    patterns.append(rx.pattern)
                    fast = theme_prefilter.lowered(rx)
                    self._runners.append((ti, is_match, rx, False) if fast is None else (ti, is_match, fast, True))
        self._prefilter = theme_prefilter.WakeIndex(patterns)

    @property
    def ids(self) -> list[str]:
        return [t.id for t in self.themes]

    def label(self, theme_id: str) -> str:
        try:
            return self._by_id[theme_id].label
        except KeyError:
            raise UsageError(f"unknown theme {theme_id!r}", f"themes are: {', '.join(self.ids)}") from None

    def plain(self, text: str) -> str:
        """The text every rule reads: normalised, and with what the taxonomy ignores blanked."""
        text = normalise(text)
        return self.ignore.sub(" ", text) if self.ignore is not None else text

    def tag(self, text: str) -> list[str]:
        text = normalise(text)
        if not text.isascii():  # needles are lower-cased ASCII: no shortcut elsewhere
            plain = self.plain(text)
            return self.prominent(plain, [t.id for t in self.themes if t.applies(plain)])
        low = text.lower()
        if self.ignore is not None and (self._ignore_needles is None or any(n in low for n in self._ignore_needles)):
            text = self.ignore.sub(" ", text)
            low = text.lower()
        live = self._prefilter.live(low)
        match: dict[int, list[tuple[re.Pattern[str], str]]] = {}
        exclude: dict[int, list[tuple[re.Pattern[str], str]]] = {}
        runners = self._runners
        for r in live:
            ti, is_match, rx, on_low = runners[r]
            (match if is_match else exclude).setdefault(ti, []).append((rx, low if on_low else text))
        found = [ti for ti in sorted(match) if _applies(match[ti], exclude.get(ti, ()))]
        starts = self.sentence_starts(text) if len(found) > 1 else None
        if starts is not None:  # a paragraph: ``prominent``, from the rules woken (the same spans)
            kept = [ti for ti in found if _prominent(uncovered_spans(match[ti], exclude.get(ti, ())), starts)]
            found = kept or found
        return [self.themes[ti].id for ti in found]

    def sentence_starts(self, plain: str) -> list[int] | None:
        """Where each sentence of ``plain`` starts, when the item is long enough to be read as a
        paragraph (``long_items`` in the taxonomy file); None for a shorter item."""
        if self.long_item_sentences is None:
            return None
        starts = [0] + [m.end() for m in _SENTENCE_END.finditer(plain)]
        return starts if len(starts) >= self.long_item_sentences else None

    def prominent(self, plain: str, found: list[str]) -> list[str]:
        """Of the themes ``found`` in ``plain``, those a reader takes as the item's own.

        Why: real items include whole paragraphs of findings (the 2013 looked-after children
        reports' "areas for improvement" above all), and readers label such a paragraph with
        what it is about, not every service it names in passing: a theme counts when the
        paragraph opens with it or comes back to it in another sentence. On 67 such items of the
        tuning labels this raised precision from 0.77 to 0.85 (recall 0.98 to 0.94); elsewhere it
        changed little (issue 14). When it would leave no theme, every theme found stays.
        """
        starts = self.sentence_starts(plain) if len(found) > 1 else None
        if starts is None:
            return found
        kept = [tid for tid in found if _prominent(self._spans(self._by_id[tid], plain), starts)]
        return kept or found

    @staticmethod
    def _spans(theme: Theme, plain: str) -> list[tuple[int, int]]:
        return uncovered_spans([(rx, plain) for rx in theme.match], [(rx, plain) for rx in theme.exclude])

    def evidence(self, text: str) -> dict[str, list[str]]:
        """Each applying theme's id with the words that made it apply (the hits no exclude
        covers, as the normalised text has them), in taxonomy order: the same themes as ``tag``.

        Runs every rule (no prefilter): it is for a person asking why, item by item.
        """
        text = self.plain(text)
        found: dict[str, list[str]] = {}
        for theme in self.themes:
            spans = uncovered_spans([(rx, text) for rx in theme.match], [(rx, text) for rx in theme.exclude])
            if spans:  # a zero-width hit still applies, with no words to show
                found[theme.id] = [w for w in dict.fromkeys(text[a:b].strip() for a, b in _outermost(spans)) if w]
        kept = self.prominent(text, list(found))
        return {tid: found[tid] for tid in kept}

    def __len__(self) -> int:
        return len(self.themes)

    def __repr__(self) -> str:
        return f"Taxonomy({len(self.themes)} themes from {self.source or '?'})"


_PACKAGED: Taxonomy | None = None


def _packaged_doc() -> dict[str, Any]:
    ref = resources.files("ofstl") / "data" / "themes.yaml"
    return _parse(ref.read_text(encoding="utf-8"), _PACKAGED_NAME)


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """The packaged taxonomy (``path=None``, cached) or a user file, which may extend it.

    A user file that cannot be read or is malformed raises ``UsageError`` naming the file.
    """
    global _PACKAGED
    if path is None:
        if _PACKAGED is None:
            _PACKAGED = _build(_packaged_doc(), "packaged themes.yaml")
        return _PACKAGED
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:  # UTF-16 (a Windows editor's "Unicode"), Latin-1, binary
        at = f"byte 0x{e.object[e.start]:02x} on line {e.object.count(10, 0, e.start) + 1}"  # 10: a newline
        raise UsageError(f"{p}: cannot read theme file: not UTF-8 text ({at})", "save it as UTF-8") from None
    except OSError as e:
        raise UsageError(f"{p}: cannot read theme file: {e.strerror or type(e).__name__}") from None
    doc = _parse(text, str(p))
    extends = doc.get("extends")
    if extends not in (None, "default"):
        raise UsageError(f"{p}: 'extends' must be 'default' (the packaged taxonomy), not {extends!r}")
    if extends == "default":
        packaged = _packaged_doc()  # a packaged id's theme is replaced whole: its errors say so
        return _build(_merge(packaged, doc), str(p), {t.get("id") for t in packaged["themes"]} & {t.get("id") for t in doc["themes"] if isinstance(t, dict)})
    return _build(doc, str(p))


def _parse(text: str, where: str) -> dict[str, Any]:
    try:
        doc = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(e, "problem", None) or "syntax error"
        raise UsageError(f"{where}: not valid YAML{at}: {problem}") from None
    if not isinstance(doc, dict):
        raise UsageError(f"{where}: expected a mapping with a 'themes' list")
    unknown = set(doc) - _TOP_KEYS
    if unknown:
        raise UsageError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    if doc.get("themes") is None and doc.get("extends"):  # extending, a file may change only long_items or ignore
        doc["themes"] = []
    if not isinstance(doc.get("themes"), list) or not (doc["themes"] or doc.get("extends")):
        raise UsageError(f"{where}: 'themes' must be a non-empty list")
    doc["_where"] = where
    return doc


def _merge(base: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
    themes = list(base["themes"])
    index = {t.get("id"): i for i, t in enumerate(themes)}
    for t in user["themes"]:
        tid = t.get("id") if isinstance(t, dict) else None
        if tid in index:
            themes[index[tid]] = t
        else:
            themes.append(t)
    user_ignore = user.get("ignore") or []
    ignore = list(base.get("ignore") or []) + (user_ignore if isinstance(user_ignore, list) else [user_ignore])
    # the user's long_items wins, even null (off)
    return {"themes": themes, "ignore": ignore, "_where": user["_where"], "long_items": user.get("long_items", base.get("long_items"))}


def _patterns(value: Any, where: str, key: str, required: bool) -> tuple[re.Pattern[str], ...]:
    if value is None and not required:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or (required and not value) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{where}: '{key}' must be a {'non-empty ' if required else ''}list of regular expressions")
    out = []
    for v in value:
        try:
            out.append(re.compile(v, re.IGNORECASE))
        except re.error as e:
            raise UsageError(f"{where}: bad regular expression in '{key}': {v!r}: {e}") from None
    return tuple(out)


def _build(doc: dict[str, Any], source: str, replaced: frozenset[str] | set[str] = frozenset()) -> Taxonomy:
    where = doc["_where"]
    ignore_rx = _patterns(doc.get("ignore"), where, "ignore", required=False)
    ignore = re.compile("|".join(f"(?:{rx.pattern})" for rx in ignore_rx), re.IGNORECASE) if ignore_rx else None
    themes: list[Theme] = []
    seen: set[str] = set()
    for n, t in enumerate(doc["themes"], 1):
        if not isinstance(t, dict):
            raise UsageError(f"{where}: theme #{n} is not a mapping")
        tid = t.get("id")
        if not isinstance(tid, str) or not _ID.match(tid):
            raise UsageError(f"{where}: theme #{n}: 'id' must be lower-case letters, digits and _ (got {tid!r})")
        here = f"{where}: theme {tid!r}"
        if tid in seen:
            raise UsageError(f"{here}: duplicate id")
        seen.add(tid)
        unknown = set(t) - _THEME_KEYS
        if unknown:
            raise UsageError(f"{here}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
        label = t.get("label")
        if not isinstance(label, str) or not label.strip():
            raise UsageError(f"{here}: " + ("missing 'label'" if label is None else f"'label' must be text, the theme's name as the views show it (got {label!r})"),
                             f"a theme with a packaged id ({tid}) replaces it: give all its keys" if tid in replaced else None)
        match = _patterns(t.get("match"), here, "match", required=True)
        exclude = _patterns(t.get("exclude"), here, "exclude", required=False)
        scope = t.get("scope") or ""
        examples = t.get("examples") or []
        if not isinstance(scope, str):
            raise UsageError(f"{here}: 'scope' must be one line of text")
        if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
            raise UsageError(f"{here}: 'examples' must be a list of improvement items")
        themes.append(Theme(tid, label.strip(), match, exclude, scope.strip(), tuple(examples)))
    return Taxonomy(themes, ignore, source, _long_item_sentences(doc.get("long_items"), where))


def _long_item_sentences(value: Any, where: str) -> int | None:
    """``long_items: {sentences: N}`` (N >= 2) from a taxonomy file; absent or null: None."""
    if value is None:
        return None
    sentences = value.get("sentences") if isinstance(value, dict) and set(value) == {"sentences"} else None
    if not isinstance(sentences, int) or isinstance(sentences, bool) or sentences < 2:
        raise UsageError(f"{where}: 'long_items' must be a mapping 'sentences: N' with N a whole number of 2 or more")
    return sentences
