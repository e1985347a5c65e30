"""Which authorities a fetch run asks the site for: those named, through the package's table of
Ofsted's provider numbers, or with ``--all`` those the site's search lists.

The search is only how a run learns of an authority new to the site. When it fails (an error,
an error page sent with status 200, a page of it that does not come), a run of ``--all`` still
fetches every authority the table knows, and says so in one line: a night's run is not lost to
one page. Part of ``ofstl.fetch.fetcher.Fetcher`` (a mixin: it asks through the fetcher's pages
and notes), kept apart so each module stays readable.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from ofstl import authorities
from ofstl.fetch import site, urns
from ofstl.fetch.client import FetchFailed, SiteAsksToWait
from ofstl.fetch.manifest import write_state
from ofstl.fetch.report import FetchReport


class Targets:
    """The choice of authorities, for ``Fetcher`` (which gives ``_page``, ``_note``, ``base``,
    ``folder`` and ``stopped``)."""

    base: str
    stopped: str | None
    _page: Any
    _note: Any
    folder: Any

    def _targets(self, slugs: list[str], everything: bool, state: dict[str, Any], report: FetchReport, dry_run: bool) -> list[tuple[str, str]]:
        targets: dict[str, str] = {}
        if everything:
            links, problem = self._search(state, report, dry_run)
            for link in links:
                slug = urns.slug_for(link.urn, link.name)
                if slug is None:
                    self._note(report, "warning", None, f"provider {link.name!r} (URN {link.urn}): not a local authority ofstl knows; skipped")
                elif slug not in targets:
                    targets[slug] = link.urn
            if problem and self.stopped:
                self._note(report, "failed", None, problem)
            elif problem:
                # The search is only how a run learns of an authority new to the site: without
                # it, a night's run still fetches every authority the package's table knows.
                known = [s for s in urns.all_slugs() if s not in targets]
                for slug in known:
                    targets[slug] = urns.urn_for(slug) or ""
                unlisted = " that it did not list" if links else ""
                self._note(report, "failed", None, f"{problem}; fetching the {len(known)} authorities ofstl knows{unlisted} "
                                                   "instead (an authority new to the site is missed until a search works)")
        missing = []
        for asked in slugs:
            slug = asked
            successor = authorities.continued_by(asked)
            if urns.urn_for(asked) is None and successor and urns.urn_for(successor):
                # A county council replaced by a unitary of its name: one LA, one page on the site.
                slug = successor
                self._note(report, "warning", asked, f"{asked}: its reports are on {successor}'s page (the same council, "
                                                     f"abolished and continued); fetching {successor}")
            urn = urns.urn_for(slug)
            if urn:
                targets.setdefault(slug, urn)
            else:
                missing.append(slug)
        if missing and not everything:
            # Not in the table (a new authority?): find it in the search by the name it has there.
            links, problem = self._search(state, report, dry_run)
            if problem:
                self._note(report, "failed", None, f"{problem}; run the same command again later")
            for link in links:
                slug = urns.slug_for(link.urn, link.name)
                if slug in missing and slug not in targets:
                    targets[slug] = link.urn
        for slug in missing:
            if slug not in targets:
                known = authorities.by_slug().get(slug)
                if known is not None and known.abolished and known.successors:
                    when = f" {known.valid_to[:4]}" if known.valid_to else ""
                    why = f"abolished{when}; its successors: {', '.join(known.successors)}"
                else:
                    why = "abolished, or not a local authority"
                self._note(report, "failed", slug, f"{slug}: Ofsted's site lists no children's services provider for it ({why})")
        return list(targets.items())

    def _search(self, state: dict[str, Any], report: FetchReport, dry_run: bool) -> tuple[list[site.ProviderLink], str | None]:
        """The providers the site's search lists, and why it could not list them all (None when
        it could): the caller says what it does instead."""
        links: list[site.ProviderLink] = []
        start = 0
        while not self.stopped:
            url = site.search_url(self.base, start)
            try:
                entry, html = self._page(url, state, report, "providers", site.ProviderLink)
            except FetchFailed as exc:
                if isinstance(exc, SiteAsksToWait):
                    self.stopped = str(exc)
                return links, f"search results: {exc}"
            assert entry is not None
            if html is not None:
                entry["providers"] = [asdict(p) for p in site.parse_search_page(html, url)]
                if start == 0 and not entry["providers"]:
                    # There are always local authorities: a first page with none is an error page
                    # (which the site may send with status 200), not an empty list; not remembered.
                    return links, f"search results: {url}: the site sent a page that lists no local authorities (an error page?)"
                if not dry_run:
                    state["pages"][url] = entry
                    write_state(self.folder, state)
            found = cached_listing(entry, "providers", site.ProviderLink) or []
            if not found:
                break
            seen = {link.urn for link in links}
            if all(link.urn in seen for link in found):
                # A site that no longer honours start= lists the same page again and again.
                self._note(report, "warning", None, f"search results: {url} lists the same authorities as the page before; "
                                                    "stopped paging there")
                break
            links.extend(link for link in found if link.urn not in seen)
            start += site.ROWS_PER_PAGE
        return links, None


def cached_listing(entry: Any, key: str, item: type) -> list[Any] | None:
    """``entry[key]`` read back as a list of ``item`` (a missing key: none), or None if it cannot be."""
    if not isinstance(entry, dict):
        return None
    try:
        return [item(**p) for p in entry.get(key, [])]
    except (TypeError, AttributeError):
        return None
