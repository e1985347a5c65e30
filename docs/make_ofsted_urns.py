"""Derive ``ofstl/data/ofsted_urns.csv``: Ofsted's provider reference (URN) -> authority slug.

Ofsted lists each local authority's children's services as a provider with a URN; the page
``/provider/44/<URN>`` holds its publications. URNs are identities, not outcomes, so the
package may ship them. The source is data-to-insight's ``Provider_data_lookup.csv`` (MIT
licence, https://github.com/data-to-insight), matched to our authority list by GSS code and
then by name; the newer unitary authorities are in that file too. Run from the repository:

    .venv/bin/python docs/make_ofsted_urns.py ../shared/reference

and commit the CSV it writes. It fails loudly when a row matches no authority, so a change
of either list is noticed.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "ofstl" / "data" / "ofsted_urns.csv"


def main(reference: str) -> int:
    sys.path.insert(0, str(HERE.parent))
    from ofstl import authorities

    ref = Path(reference)
    by_gss = {a.gss_code: a.slug for a in authorities.all_authorities() if a.gss_code}
    with (ref / "local_authorities_changes.csv").open(encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            # Old codes of authorities that are still there (boundary changes).
            if row["status"] == "code_changed" and row["gss_code"]:
                by_gss.setdefault(row["gss_code"], row["successor_slugs"].split("|")[0])
    rows: list[tuple[str, str, str]] = []
    unmatched: list[str] = []
    with (ref / "Provider_data_lookup.csv").open(encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            urn, name = row["urn"].strip(), row["local_authority_ons_name"].strip()
            if not urn.isdigit():
                continue
            slug = by_gss.get(row["la_code_new"].strip()) or authorities.match_name(name)
            if slug is None:
                unmatched.append(f"{urn} {name} {row['la_code_new']}")
                continue
            rows.append((urn, slug, authorities.get(slug).name))
    if unmatched:
        print("no authority for: " + "; ".join(unmatched), file=sys.stderr)
        return 1
    rows.sort(key=lambda r: (r[1], int(r[0])))
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["urn", "slug", "name"])
        writer.writerows(rows)
    slugs = {r[1] for r in rows}
    missing = sorted(a.slug for a in authorities.all_authorities() if not a.abolished and a.slug not in slugs)
    print(f"wrote {OUT} ({len(rows)} URNs, {len(slugs)} authorities; without a URN: {', '.join(missing) or 'none'})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else str(HERE.parent.parent / "shared" / "reference")))
