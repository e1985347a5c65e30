"""Team-written sentences through the real mention parser: the inspection each describes.

``tests/data/mention_sentences.yaml`` holds sentences of the kinds later documents use about
earlier inspections, in every framework and era, and the negative cases (lists of years,
the present tense, change since, other providers' inspections). Each must give exactly the
inspections listed: framework, date and judgements.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ofstl.parse.mentions import find_mentions

CASES = yaml.safe_load((Path(__file__).parent / "data" / "mention_sentences.yaml").read_text(encoding="utf-8"))


def _described(case: dict) -> list[dict]:
    doc = case["document"]
    found = find_mentions([(1, case["text"])], doc["framework"], str(doc["start"]))
    return [{"framework": f.framework, "start": f.start, "judgements": {k: j.grade for k, j in sorted(f.judgements.items())}} for f in found]


def _expected(case: dict) -> list[dict]:
    return [{"framework": e["framework"], "start": str(e["start"]), "judgements": dict(sorted((e.get("judgements") or {}).items()))} for e in case["expect"]]


def test_enough_sentences_in_every_era() -> None:
    assert len(CASES) >= 80
    frameworks = {e["framework"] for c in CASES for e in c["expect"]}
    assert {"jar", "apa", "annual-rating", "cra", "slac", "cpi", "lac", "sif", "ilacs", "focused-visit", "monitoring-visit", "jtai"} <= frameworks
    assert sum(1 for c in CASES if not c["expect"]) >= 10


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:60] for c in CASES])
def test_sentence(case: dict) -> None:
    assert _described(case) == _expected(case)
