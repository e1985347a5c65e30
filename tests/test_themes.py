"""Tests for ofstl.themes: accuracy on the tuning labels and the fresh test set, coverage, traps, user files."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from ofstl import theme_prefilter, themes
from ofstl.errors import UsageError
from ofstl.themes import load_taxonomy
from tests import themes_eval

HERE = Path(__file__).resolve().parent
LABELS = HERE / "data" / "theme_labels.yaml"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
ITEMS_CSV = SHARED / "domain-data" / "what_needs_to_improve_items.csv"
BASELINE_CSV = SHARED / "domain-data" / "theme_taxonomy.csv"


@pytest.fixture(scope="module")
def tax():
    return load_taxonomy()


def _with_texts(path: Path) -> list[dict]:
    # items taken word for word from a report name their csv row in ../shared instead of a text
    try:
        return themes_eval.load_items(path)
    except themes_eval.MissingTexts as e:
        pytest.skip(str(e))


@pytest.fixture(scope="module")
def labelled():
    return _with_texts(LABELS)


def _shared_items() -> list[dict[str, str]]:
    if not ITEMS_CSV.is_file():
        pytest.skip(f"shared data not found at {ITEMS_CSV}")
    with ITEMS_CSV.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# --- the hand-labelled set -------------------------------------------------------------


def test_labelled_set_is_well_formed(tax, labelled):
    assert len(labelled) >= 320
    frameworks = Counter(item["framework"] for item in labelled)
    assert set(frameworks) == {"ILACS", "FV", "SIF", "LAC2013"}, frameworks
    for item in labelled:
        # a text written by the team, or one put back from the csv row it names
        assert set(item) in ({"text", "framework", "themes"}, {"text", "row", "sha256", "framework", "themes"},
                             {"text", "row", "cut", "sha256", "framework", "themes"}), item
        assert 0 < len(item["text"]) <= 240, "labelled texts are cut to the clause that matters"
        assert set(item["themes"]) <= set(tax.ids), item
        assert item["themes"] == sorted(item["themes"], key=tax.ids.index), item
    assert sum(1 for item in labelled if not item["themes"]) <= len(labelled) // 100


def test_precision_and_recall_on_labelled_set(tax, labelled):
    tp = fp = fn = 0
    misses: list[tuple[int, str, list[str], list[str]]] = []
    for item in labelled:
        gold, got = set(item["themes"]), set(tax.tag(item["text"]))
        tp += len(gold & got)
        fp += len(got - gold)
        fn += len(gold - got)
        if gold != got:
            misses.append((len(gold ^ got), item["text"], sorted(got - gold), sorted(gold - got)))
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"\nthemes on {len(labelled)} labelled items: precision {precision:.3f}, recall {recall:.3f}")
    worst = "\n".join(f"  +{extra} -{missing}: {text}" for _, text, extra, missing in sorted(misses, reverse=True)[:15])
    assert precision >= 0.90 and recall >= 0.90, (
        f"precision {precision:.3f}, recall {recall:.3f} (need >= 0.90 each); worst misses "
        f"(+ tagged wrongly, - missed):\n{worst}"
    )


def test_at_least_98_percent_of_shared_items_get_a_theme(tax):
    rows = _shared_items()
    assert len(rows) >= 5000
    untagged = [r["text"] for r in rows if not tax.tag(r["text"])]
    coverage = 1 - len(untagged) / len(rows)
    print(f"\ncoverage {coverage:.4f} of {len(rows)} items")
    assert coverage >= themes_eval.MIN_COVERAGE, f"coverage {coverage:.4f}; e.g. untagged: {untagged[:10]}"


# --- the fresh test set: drawn and labelled before the rules, never used for tuning ---------


@pytest.fixture(scope="module")
def test_set():
    return _with_texts(themes_eval.TEST_SET)


def test_fresh_test_set_is_well_formed_and_apart_from_the_tuning_labels(tax, test_set, labelled):
    assert len(test_set) >= 200
    frameworks = Counter(item["framework"] for item in test_set)
    assert set(frameworks) == {"ILACS", "FV", "SIF", "LAC2013"} and min(frameworks.values()) >= 20, frameworks
    for item in test_set:
        # a text written by the team, or one put back from the csv row it names
        assert set(item) in ({"text", "framework", "themes"}, {"text", "row", "sha256", "framework", "themes"},
                             {"text", "row", "cut", "sha256", "framework", "themes"}), item
        assert 0 < len(item["text"]) <= 240
        assert set(item["themes"]) <= set(tax.ids), item
        assert item["themes"] == sorted(item["themes"], key=tax.ids.index), item
    tuning = {themes.normalise(item["text"]).lower() for item in labelled}
    shared = [item["text"] for item in test_set if themes.normalise(item["text"]).lower() in tuning]
    assert not shared, f"test items also in the tuning labels: {shared}"


def test_fresh_test_set_has_not_regressed(tax, test_set):
    # a floor under what the tagger measured when issue 14 closed (0.909 / 0.920): a rule
    # change that loses ground on unseen items fails here even while the tuning set improves
    s = themes_eval.score(tax, test_set)
    print(f"\nfresh test set: precision {s.precision:.3f}, recall {s.recall:.3f} on {s.items} items")
    assert s.precision >= 0.90 and s.recall >= 0.90, (s.precision, s.recall)


@pytest.mark.xfail(reason="issue 14 acceptance (>= 0.95 micro, >= 0.85 per theme) not yet met on the fresh test set",
                   strict=True)
def test_fresh_test_set_meets_the_issue_14_thresholds(tax, test_set):
    s = themes_eval.score(tax, test_set)
    weak = [(t, s.theme(t)) for t in s.measured_themes() if min(s.theme(t)[:2]) < themes_eval.MIN_PER_THEME]
    assert s.precision >= themes_eval.MIN_MICRO and s.recall >= themes_eval.MIN_MICRO, (s.precision, s.recall)
    assert not weak, weak


def test_eval_scores_count_what_they_should():
    class Fixed:  # a tagger whose answers are known
        def tag(self, text: str) -> list[str]:
            return {"a": ["x", "y"], "b": []}[text]

    s = themes_eval.score(Fixed(), [{"text": "a", "themes": ["x", "z"]}, {"text": "b", "themes": ["z"]}])  # type: ignore[arg-type]
    assert (s.tp, s.fp, s.fn, s.untagged) == (1, 1, 2, 1)
    assert s.theme("z") == (1.0, 0.0, 2) and s.theme("y") == (0.0, 1.0, 0)
    assert s.measured_themes(at_least=2) == ["z"]


def test_prefilter_gives_the_same_answer_as_running_every_rule(tax, labelled):
    texts = [item["text"] for item in labelled]
    if ITEMS_CSV.is_file():
        texts += [r["text"] for r in _shared_items()][::4]  # a quarter: running every rule is slow
    texts += ["Children’s “voice” – café (outcome 3, national framework)", "", "   ", "S47 and s.20 PLO"]
    for text in texts:
        plain = tax.plain(text)
        assert tax.tag(text) == tax.prominent(plain, [t.id for t in tax.themes if t.applies(plain)]), text


# --- the packaged taxonomy --------------------------------------------------------------


ADDED_IN_ISSUE_14 = [
    "multi_agency_partnership", "safeguarding_board_partnership", "youth_justice_custody", "practice_quality_risk",
]


def test_packaged_taxonomy_keeps_the_baseline_ids_and_adds_four(tax):
    assert len(tax.ids) == 34
    assert len(set(tax.ids)) == 34
    assert tax.ids[30:] == ADDED_IN_ISSUE_14  # appended: older tags keep their order
    if BASELINE_CSV.is_file():
        with BASELINE_CSV.open(encoding="utf-8", newline="") as f:
            assert set(tax.ids[:30]) == {row["theme"] for row in csv.DictReader(f)}
    assert tax.label("plans_quality").startswith("Quality of children")
    assert load_taxonomy() is tax  # cached


def test_every_packaged_theme_has_a_scope_and_two_examples_it_tags(tax):
    for theme in tax.themes:
        assert theme.scope and "\n" not in theme.scope, theme.id
        assert len(theme.examples) >= 2, theme.id
        for example in theme.examples:
            assert theme.id in tax.tag(example), (theme.id, example, tax.tag(example))


def test_scope_and_examples_must_be_text(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("themes:\n  - id: a\n    label: A\n    match: [x]\n    examples: x\n", encoding="utf-8")
    with pytest.raises(UsageError, match="'examples' must be a list"):
        load_taxonomy(path)


def test_unknown_theme_label_is_a_usage_error(tax):
    with pytest.raises(UsageError, match="unknown theme"):
        tax.label("no_such_theme")


def test_tags_come_in_taxonomy_order(tax):
    got = tax.tag("Supervision, case recording and the quality of care plans and assessments.")
    assert got == sorted(got, key=tax.ids.index)
    assert set(got) == {"plans_quality", "assessment_quality", "supervision", "recording"}


def test_safe_loader_is_the_c_one_when_available():
    if hasattr(yaml, "CSafeLoader"):
        assert themes._Loader is yaml.CSafeLoader
    else:  # pragma: no cover
        assert themes._Loader is yaml.SafeLoader


# --- over-matching traps ----------------------------------------------------------------

TRAPS = [
    # (text, theme, expected)
    ("Progress against the action plan is too slow.", "plans_quality", False),
    ("The pace of implementing the improvement plan.", "plans_quality", False),
    ("The pace of implementing the improvement plan.", "management_oversight", True),
    ("Service plans that are specific and measurable.", "plans_quality", False),
    ("Timely pathway plans for care leavers.", "plans_quality", False),
    ("Personal education plans for children in care.", "plans_quality", False),
    ("Children on child protection plans are visited regularly.", "plans_quality", False),
    ("Action plans are in place, but care plans lack contingency.", "plans_quality", True),
    ("The quality of care plans.", "plans_quality", True),
    ("Staff understanding of data protection when sharing information.", "qa_audit_performance", False),
    ("Accurate performance data to inform leaders.", "qa_audit_performance", True),
    ("Support for parents with parental mental health difficulties.", "health_cla", False),
    ("Support for parents with parental mental health difficulties.", "neglect_domestic_abuse_parental", True),
    ("Access to CAMHS and mental health support for children in care.", "health_cla", True),
    ("The timeliness of initial health assessments.", "assessment_quality", False),
    ("The timeliness of initial health assessments.", "health_cla", True),
    ("The Health and Wellbeing Board's oversight of early help.", "health_cla", False),
    ("Attendance of health partners at strategy meetings.", "health_cla", False),
    ("The response to children missing education.", "exploitation_missing", False),
    ("The response to children missing education.", "education_virtual_school", True),
    ("Return home interviews when children go missing from care.", "exploitation_missing", True),
    ("Return home interviews when children go missing from care.", "permanence_adoption_stability", False),
    ("The council's track record of improvement.", "recording", False),
    ("Case recording of management decisions.", "recording", True),
    ("Caseloads in the referral and assessment team.", "front_door_thresholds", False),
    ("Caseloads in the referral and assessment team.", "assessment_quality", False),
    ("Caseloads in the referral and assessment team.", "workforce_caseloads", True),
    ("Findings from this focused visit and the last monitoring visit.", "cin_cp_practice_drift", False),
    ("Timely statutory visits to children.", "cin_cp_practice_drift", True),
    ("Use of supervision orders in proceedings.", "supervision", False),
    ("Use of supervision orders in proceedings.", "pre_proceedings_court", True),
    ("A performance culture is not embedded across the workforce.", "workforce_caseloads", False),
    ("A performance culture is not embedded across the workforce.", "identity_diversity", False),
    ("Care leavers in education, employment or training.", "education_virtual_school", False),
    ("Care leavers in education, employment or training.", "workforce_caseloads", False),
    ("Care leavers in education, employment or training.", "care_leavers_pathway_eet", True),
    ("The service has adopted a new practice model.", "permanence_adoption_stability", False),
    ("Reliance on agency rather than permanent staff.", "permanence_adoption_stability", False),
    ("Reliance on agency rather than permanent staff.", "workforce_caseloads", True),
    ("Recruitment of foster carers.", "workforce_caseloads", False),
    ("Recruitment of foster carers.", "sufficiency_placements", True),
    ("Mental capacity assessments for young people.", "workforce_caseloads", False),
    ("Delays in initial health assessments.", "cin_cp_practice_drift", False),
    ("Drift and delay for children on child in need plans.", "cin_cp_practice_drift", True),
    ("Oversight by independent reviewing officers.", "management_oversight", False),
    ("Oversight by independent reviewing officers.", "iro_cp_chairs_reviews", True),
    ("Assessments that inform decision-making.", "management_oversight", False),
    ("Understanding of the child's health history.", "history_chronology", False),
    ("Multi-agency participation in strategy discussions.", "voice_participation_advocacy", False),
    ("Participation of children in their reviews.", "voice_participation_advocacy", True),
    ("Information in the MASH (outcome 2, enabler 3: leaders drive conditions for effective practice)",
     "management_oversight", False),
    # the mis-tags and gaps issue 14 reported
    ("Training and apprenticeships for care leavers.", "workforce_caseloads", False),
    ("Training and apprenticeships for care leavers.", "care_leavers_pathway_eet", True),
    ("The local safeguarding children board holds partners to account.", "corporate_parenting_governance", False),
    ("The local safeguarding children board holds partners to account.", "safeguarding_board_partnership", True),
    ("Sufficient, targeted accommodation is secured for looked after children.", "sufficiency_placements", True),
    ("Partners are engaged in the multi-agency aspects of child protection work.", "multi_agency_partnership", True),
    ("The attendance of partners at sub-groups.", "multi_agency_partnership", True),
    ("Children held overnight in police custody.", "youth_justice_custody", True),
    ("Children held overnight in police custody.", "pre_proceedings_court", False),
    ("The identification of and response to risk.", "practice_quality_risk", True),
    ("Children at risk of exploitation are identified.", "practice_quality_risk", False),
    ("The multi-agency safeguarding hub's screening of contacts.", "multi_agency_partnership", False),
    ("Placements in long-term foster homes.", "sufficiency_placements", False),
    # the sharpened scopes of the second issue-14 round
    ("IROs' scrutiny of children's plans.", "corporate_parenting_governance", False),
    ("The scrutiny committee's challenge to children's services.", "corporate_parenting_governance", True),
    ("The quality and consistency of management oversight.", "workforce_caseloads", False),
    ("Additional management capacity at a senior level.", "workforce_caseloads", False),
    ("Additional management capacity at a senior level.", "management_oversight", True),
    ("The sufficiency of frontline workers.", "sufficiency_placements", False),
    ("The sufficiency of frontline workers.", "workforce_caseloads", True),
    ("The independent reviewing service is adequately staffed.", "workforce_caseloads", True),
    ("Transitional support into adulthood for care leavers.", "disabled_children", False),
    ("Learning from the breakdown of placements for children.", "sufficiency_placements", False),
    ("Health assessments for children placed out of the area.", "sufficiency_placements", False),
    ("Assessments that identify emerging risks.", "practice_quality_risk", False),
    ("Audits that analyse the quality of practice.", "practice_quality_risk", False),
    ("The consistency of social work practice across teams.", "practice_quality_risk", True),
    ("Pace of progress for children in pre-proceedings.", "management_oversight", False),
    ("Pace of progress for children in pre-proceedings.", "cin_cp_practice_drift", True),
    ("Timely multi-agency decision-making in strategy discussions.", "management_oversight", False),
    ("Supervision so that social workers progress children's plans.", "plans_quality", False),
    ("Delays in responding to contacts.", "cin_cp_practice_drift", False),
    ("How homeless 16- and 17-year-olds understand their rights and entitlements.", "care_leavers_pathway_eet", False),
    # the pace of the service's improvement is leadership's; a child's plan making slow progress is drift
    ("Slow progress in tackling the areas for improvement raised at the last inspection.", "management_oversight", True),
    ("Slow progress in tackling the areas for improvement raised at the last inspection.", "cin_cp_practice_drift", False),
    ("Children's plans make slow progress.", "cin_cp_practice_drift", True),
]


@pytest.mark.parametrize(("text", "theme", "expected"), TRAPS)
def test_over_matching_traps(tax, text, theme, expected):
    assert (theme in tax.tag(text)) is expected, tax.tag(text)


@pytest.mark.parametrize("text", ["Areas for improvement", "", "Priority and immediate action"])
def test_headings_get_no_theme(tax, text):
    assert tax.tag(text) == []


# --- user taxonomy files ----------------------------------------------------------------

USER_FILE = """\
themes:
  - id: staffing
    label: Staffing
    match: ['\\bcaseloads?\\b', '\\bagency staff']
  - id: plans
    label: Plans
    match: ['\\bplans?\\b']
    exclude: ['\\baction plans?']
"""


def test_user_file_replaces_the_packaged_taxonomy(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(USER_FILE, encoding="utf-8")
    mine = load_taxonomy(path)
    assert mine.ids == ["staffing", "plans"]
    assert mine.label("staffing") == "Staffing"
    assert mine.tag("High caseloads and weak care plans.") == ["staffing", "plans"]
    assert mine.tag("The action plan.") == []
    assert mine.tag("Supervision.") == []
    assert load_taxonomy(str(path)).ids == mine.ids  # str paths too


def test_user_file_can_extend_the_packaged_taxonomy(tmp_path, tax):
    path = tmp_path / "extra.yaml"
    path.write_text(
        "extends: default\n"
        "themes:\n"
        "  - id: online_harm\n    label: Online harm\n"
        "    match: ['\\bonline\\b', '\\bsocial media\\b']\n"
        "  - id: uasc\n    label: Asylum\n    match: ['\\basylum']\n",
        encoding="utf-8",
    )
    ext = load_taxonomy(path)
    assert ext.ids == tax.ids + ["online_harm"]
    assert ext.label("uasc") == "Asylum"
    assert ext.tag("Awareness of online harm and social media.") == ["online_harm"]
    assert ext.tag("Unaccompanied children.") == []  # the replaced theme has only the user's rule


def test_an_extending_file_may_change_only_long_items_or_ignore(tmp_path, tax):
    """It had to carry a theme: "'themes' must be a non-empty list" for a file turning long_items off."""
    path = tmp_path / "off.yaml"
    for text in ("extends: default\nlong_items: null\n", "extends: default\nlong_items: null\nthemes:\n"):
        path.write_text(text, encoding="utf-8")
        off = load_taxonomy(path)
        assert off.ids == tax.ids and off.long_item_sentences is None and tax.long_item_sentences == 4
    path.write_text("extends: default\nignore: ['\\bsee annex [a-z]\\b']\n", encoding="utf-8")
    ignoring = load_taxonomy(path)
    assert ignoring.ids == tax.ids and ignoring.long_item_sentences == 4
    assert ignoring.plain("Case recording, see annex b.") != tax.plain("Case recording, see annex b.")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("themes: [\n  - id: x", "not valid YAML"),
        ("- just\n- a list\n", "expected a mapping"),
        ("version: 1\n", "'themes' must be a non-empty list"),
        ("themes:\n  - id: a\n    label: A\n    match: ['(unclosed']\n", "bad regular expression"),
        ("themes:\n  - id: a\n    label: A\n    match: []\n", "'match' must be a non-empty list"),
        ("themes:\n  - id: a\n    label: A\n    match: [x]\n  - id: a\n    label: B\n    match: [y]\n", "duplicate id"),
        ("themes:\n  - id: a\n    label: A\n    match: [x]\n    exlude: [y]\n", "unknown key(s) exlude"),
        ("themes:\n  - id: Bad Id\n    label: A\n    match: [x]\n", "'id' must be"),
        ("themes:\n  - id: a\n    match: [x]\n", "missing 'label'"),
        ("themes:\n  - id: a\n    label: 5\n    match: [x]\n", "'label' must be text"),  # present, so not "missing"
        ("themse:\n  - id: a\n", "unknown key(s) themse"),
        ("extends: other\nthemes:\n  - id: a\n    label: A\n    match: [x]\n", "'extends' must be 'default'"),
    ],
)
def test_broken_user_file_is_a_one_line_usage_error(tmp_path, content, problem):
    path = tmp_path / "broken.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError) as err:
        load_taxonomy(path)
    message = err.value.message
    assert str(path) in message and problem in message, message
    assert "\n" not in message


def test_a_user_file_not_in_utf8_says_so_and_where(tmp_path):
    for name, data, where in [("utf16.yaml", "themes: []\n".encode("utf-16"), "byte 0xff on line 1"),
                              ("latin1.yaml", "themes:\n  - id: a\n    label: Sant\xe9\n".encode("latin-1"), "byte 0xe9 on line 3")]:
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(UsageError) as err:
            load_taxonomy(path)
        assert err.value.message == f"{path}: cannot read theme file: not UTF-8 text ({where})"  # not "UnicodeDecodeError"


def test_an_extending_theme_with_a_packaged_id_and_some_keys_is_told_to_give_them_all(tmp_path):
    path = tmp_path / "patch.yaml"
    path.write_text("extends: default\nthemes:\n  - id: recording\n    match: ['\\brecords?\\b']\n", encoding="utf-8")
    with pytest.raises(UsageError) as err:
        load_taxonomy(path)
    assert "theme 'recording': missing 'label'" in err.value.message
    assert "packaged id (recording) replaces it: give all its keys" in err.value.hint
    path.write_text("extends: default\nthemes:\n  - id: mine\n    match: [x]\n", encoding="utf-8")
    with pytest.raises(UsageError) as err:  # a new id: nothing to say about replacing
        load_taxonomy(path)
    assert "missing 'label'" in err.value.message and err.value.hint is None


def test_missing_user_file_is_a_usage_error(tmp_path):
    path = tmp_path / "nope.yaml"
    with pytest.raises(UsageError, match="cannot read theme file") as err:
        load_taxonomy(path)
    assert str(path) in err.value.message


# --- the needle prefilter ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bdrift\b|\bdelay", {("drift", True), ("delay", True)}),
        (r"\bstrategy (?:discussions?|meetings?)", {("strategy discussion", True), ("strategy meeting", True)}),
        (r"(?:\w+ )?health", {("health", False)}),
        (r"\bs\.? ?47\b", {("47", False)}),
        (r"\w+", None),
        (r"a|\bplan", None),
    ],
)
def test_needles_are_literals_every_match_contains(pattern, expected):
    got = theme_prefilter.needles(pattern)
    assert (None if got is None else set(got)) == expected


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bcare leavers?\b[^.]{0,80}\bplans?\b", [("plan", ("care leaver",))]),  # "care": a common word
        (r"\b(?:drift|delay) in (?:plans|planning)",
         [(n, (f"in {p}",)) for n in ("drift", "delay") for p in ("plans", "planning")]),
        (r"\bdrift\b|\bdelay", [("drift", ()), ("delay", ())]),
        # each set under its own rarest-looking literal, not the "placement" both share: an item
        # about placements then wakes neither rule's set unless its other word is there too
        (r"\bplacements? (?:breakdowns|sufficiency)", [("breakdowns", ("placement",)), ("sufficiency", ("placement",))]),
        (r"\w+", None),
    ],
)
def test_wake_terms_file_each_literal_set_under_one_needle(pattern, expected):
    got = theme_prefilter.wake_terms(pattern)
    assert (None if got is None else sorted(got)) == (None if expected is None else sorted(expected))


def test_wake_index_wakes_a_pattern_only_when_all_the_literals_of_one_of_its_sets_are_there():
    index = theme_prefilter.WakeIndex([r"\bplacements? (?:breakdowns|sufficiency)", r"\bplans?\b", r"\w+ (?:mash|cin)\b"])
    assert index.live("placement breakdowns and plans") == {0, 1}
    assert index.live("placements were planned") == {1}  # "placement" alone wakes nothing
    assert index.live("the cin team") == {2}  # needles shorter than an indexed run are looked for too
    assert index.live("") == set()
    # each needle under the run of four characters no other needle shares, not its first four
    index = theme_prefilter.WakeIndex([r"\bplanning\b", r"\bplans\b"])
    assert {run: [n for n, _ in entries] for run, entries in index._by_run.items()} == {"anni": ["planning"], "lans": ["plans"]}
    assert index.live("planning meetings") == {0}


def test_texts_holding_some_of_a_rules_literals_get_the_answer_every_rule_gives(tax):
    # texts built from the literals the prefilter looks for, so that many hold a needle but only
    # part of what it needs besides: the filter may let a rule sleep only when it cannot match
    import random

    literals = sorted({n for n in tax._prefilter.wakes} | {m for entries in tax._prefilter.wakes.values() for _, others in entries for m in others})
    rng = random.Random(20261130)
    fillers = ["", " ", " the ", " of ", ", ", " and ", ". "]
    for _ in range(1500):
        text = "".join(rng.choice(literals) + rng.choice(fillers) for _ in range(rng.randint(1, 6)))
        plain = tax.plain(text)
        assert tax.tag(text) == tax.prominent(plain, [t.id for t in tax.themes if t.applies(plain)]), text


@pytest.mark.parametrize("pattern, text", [
    (r"\bMASH\b", "the mash and the MASH"),
    (r"\Bpla\w*", "supplant plans Explain"),
    (r"[A-Z]{2,}\W", "PLO, plo; Pre-Proceedings"),
    (r"(?<!care )plans?\b(?! and)", "Care plans and CIN PLANS, care plan"),
    (r"\bstep(?:ping|ped)? down\b", "Stepped Down cases"),
])
def test_lowered_twin_finds_the_same_spans_on_lower_cased_text(pattern, text):
    rx = re.compile(pattern, re.IGNORECASE)
    twin = theme_prefilter.lowered(rx)
    assert twin is not None
    assert [m.span() for m in twin.finditer(text.lower())] == [m.span() for m in rx.finditer(text)]


@pytest.mark.parametrize("pattern", [r"(?-i:\bPACE\b)", r"\bcare(?i:leaver)", r"\x41BC", r"\N{LATIN SMALL LETTER A}"])
def test_patterns_where_case_can_matter_keep_the_case_insensitive_path(pattern):
    assert theme_prefilter.lowered(re.compile(pattern, re.IGNORECASE)) is None


def test_evidence_names_the_same_themes_as_tag_with_words_from_the_text(tax, labelled):
    for item in labelled[::3]:
        found = tax.evidence(item["text"])
        assert list(found) == tax.tag(item["text"]), item["text"]
        plain = themes.normalise(item["text"])
        assert all(w in plain for words in found.values() for w in words), item["text"]


def test_evidence_leaves_out_words_an_exclude_covers(tax):
    # "action plans" are the service's, not a child's: only the child's plan is evidence
    found = tax.evidence("Action plans and the quality of children's care plans.")
    assert "plans_quality" in found and all("action" not in w.lower() for w in found["plans_quality"])


# --- long items: a paragraph of findings is labelled with what it is about ------------------

HEALTH_PARAGRAPH = [
    "The timeliness of initial health assessments for children coming into care is too variable.",
    "Some children wait several months for their assessment.",
    "The virtual school has recently appointed an additional officer.",
    "Health plans are not always reviewed when children move.",
]


@pytest.fixture(scope="module")
def every_mention(tmp_path_factory):
    path = tmp_path_factory.mktemp("themes") / "every_mention.yaml"
    path.write_text("extends: default\nlong_items: null\nthemes:\n  - id: extra\n    label: Extra\n    match: ['\\bzzz\\b']\n")
    return load_taxonomy(path)


def test_a_passing_mention_inside_a_long_paragraph_does_not_count(tax, every_mention):
    text = " ".join(HEALTH_PARAGRAPH)
    assert tax.tag(text) == ["health_cla"]
    assert list(tax.evidence(text)) == ["health_cla"]
    assert set(every_mention.tag(text)) == {"health_cla", "education_virtual_school"}  # the setting turned off


def test_a_theme_the_paragraph_comes_back_to_counts(tax):
    text = " ".join(HEALTH_PARAGRAPH[:3] + [HEALTH_PARAGRAPH[3].rstrip(".") + ", and the virtual school is not told."])
    assert set(tax.tag(text)) == {"health_cla", "education_virtual_school"}
    assert list(tax.evidence(text)) == tax.tag(text)


def test_a_theme_in_the_opening_sentence_counts_and_short_items_count_every_mention(tax):
    opening = "The virtual school does not track attendance. " + " ".join(HEALTH_PARAGRAPH[:2] + HEALTH_PARAGRAPH[3:])
    assert set(tax.tag(opening)) == {"health_cla", "education_virtual_school"}
    three = " ".join(HEALTH_PARAGRAPH[:1] + HEALTH_PARAGRAPH[2:])  # three sentences: one recommendation's length
    assert set(tax.tag(three)) == {"health_cla", "education_virtual_school"}


def test_a_paragraph_whose_themes_are_all_passing_mentions_keeps_them_all(tax):
    text = ("Inspectors met many committed staff. Caseloads in the assessment teams are high. "
            "Some care leavers do not have a pathway plan. Managers do not always record their decisions.")
    assert {"workforce_caseloads", "care_leavers_pathway_eet", "recording"} <= set(tax.tag(text))
    assert list(tax.evidence(text)) == tax.tag(text)


def test_long_items_read_the_same_on_the_slow_path_for_non_ascii_text(tax):
    text = "Leaders have invested £2 million, but " + HEALTH_PARAGRAPH[0][0].lower() + " ".join(HEALTH_PARAGRAPH)[1:]
    assert not themes.normalise(text).isascii()
    assert tax.tag(text) == ["health_cla"]


@pytest.mark.parametrize("value", ["4", "{sentences: 1}", "{sentences: four}", "{sentences: true}", "{sentences: 4, words: 9}", "[4]"])
def test_a_bad_long_items_setting_is_a_usage_error_naming_the_file(tmp_path, value):
    path = tmp_path / "mine.yaml"
    path.write_text(f"extends: default\nlong_items: {value}\nthemes:\n  - id: extra\n    label: Extra\n    match: ['x']\n")
    with pytest.raises(UsageError, match=r"mine\.yaml: 'long_items' must be"):
        load_taxonomy(path)


def test_evidence_shows_words_once_not_again_inside_a_longer_hit(tmp_path):
    # two rules hitting "local placements" and "sufficient local placements": the person asking
    # why reads the longer words once, not the same words again inside them
    path = tmp_path / "mine.yaml"
    path.write_text("themes:\n  - id: sufficiency\n    label: Sufficiency\n    match: ['sufficient local placements', 'local placements', 'older children']\n",
                    encoding="utf-8")
    found = load_taxonomy(path).evidence("Sufficient local placements for older children; local placements.")
    assert found == {"sufficiency": ["Sufficient local placements", "older children", "local placements"]}
