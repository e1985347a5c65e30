"""The suite runs in the environment it was written for, whatever the shell that starts it has.

Why this exists: tests read what the machine's environment happens to hold. A proxy
(HTTP_PROXY, as a council's network has) sent every request to the loopback test site
through it, and 75 fetch tests failed; a person who followed the demo's
``export OFSTL_STORE=...`` or set another OFSTL_* variable changed what the CLI tests ran
against; TERM=dumb (an editor's shell) turned rich's colour off under the colour tests, which
give the CLI an environment of their own that rich does not read. These are cleared for the
whole session; a test that is about one of them sets it itself (monkeypatch.setenv, or the
env= of the run it starts). OFSTL_UPDATE_GOLDEN is the suite's own switch and is kept.
"""

from __future__ import annotations

import os
from typing import Iterator

import pytest

# Proxies: httpx takes them from the environment (any case; NO_PROXY would only exempt hosts).
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
# Colour switches read by ofstl and rich, besides NO_COLOR, which a test sets where it matters.
COLOUR_VARIABLES = ("FORCE_COLOR", "OFSTL_NO_COLOR", "TERM")
KEPT = {"OFSTL_UPDATE_GOLDEN"}  # tests/test_cli.py: rewrite the golden files


def _inherited() -> list[str]:
    names = {name for name in os.environ if name.upper() in PROXY_VARIABLES or name.startswith("OFSTL_")}
    return sorted((names | {name for name in COLOUR_VARIABLES if name in os.environ}) - KEPT)


@pytest.fixture(autouse=True, scope="session")
def environment_of_the_suite() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        for name in _inherited():
            patch.delenv(name)
        yield
