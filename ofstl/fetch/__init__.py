"""Fetch: local authorities' children's services publications from Ofsted's reports site.

The one place in ofstl that uses the network, and only when a person runs ``ofstl fetch``.
The site's layout is ``site``; pacing, retries and checked downloads ``client`` (name lookups
bounded by its timeout: ``names``); the run itself ``fetcher``, and which authorities it asks
for ``targets``; the manifest and the page state ``manifest`` (which ``ofstl ingest``
reads, so importing this package must stay cheap: the run is loaded when first asked for).
"""

from __future__ import annotations

from typing import Any

__all__ = ["Fetcher", "FetchEvent", "FetchReport", "Planned", "safe_name"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from ofstl.fetch import fetcher

        return getattr(fetcher, name)
    raise AttributeError(f"module 'ofstl.fetch' has no attribute {name!r}")
