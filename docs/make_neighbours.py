"""Derive ``ofstl/data/neighbours.csv`` (statistical neighbours and regions) from data-to-insight's
``Provider_data_lookup.csv``, mapped to ofstl's authority slugs.

The DfE children's services statistical neighbour model gives each authority ten neighbours;
data-to-insight publishes them (with Ofsted regions) in ``Provider_data_lookup.csv`` under the
MIT licence. This script keeps only identities (no outcomes): slug, GSS code, region, the
ten neighbours' slugs in the model's order. GSS codes are matched through ofstl's own
authority list (``ofstl/data/local_authorities.csv`` and ``local_authorities_changes.csv``), so
codes that changed (Gateshead, Northumberland, Barnsley, Sheffield) and reorganised authorities
(BCP, Dorset, Buckinghamshire, North and West Northamptonshire, Cumberland, Westmorland and
Furness, North Yorkshire, Somerset) land on today's slugs. Run it again when the lookup changes:

    .venv/bin/python docs/make_neighbours.py ../shared/reference/Provider_data_lookup.csv
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "ofstl" / "data"
HEADER = [
    "# Statistical neighbours (DfE children's services model, ten per authority) and regions.",
    "# Derived by docs/make_neighbours.py from Provider_data_lookup.csv by data-to-insight",
    "# (https://github.com/data-to-insight, MIT licence, (c) data-to-insight): columns",
    "# stat_neighbours_la_code and region_name, mapped to ofstl slugs. Identities only.",
]


def code_to_slug() -> dict[str, str]:
    """GSS code -> current slug, from ofstl's authority files (current codes win)."""
    out: dict[str, str] = {}
    with open(DATA / "local_authorities_changes.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["gss_code"]:
                # A code that changed points at the same authority; an abolished one at itself.
                out[row["gss_code"]] = row["successor_slugs"] if row["status"] == "code_changed" else row["slug"]
    with open(DATA / "local_authorities.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out[row["gss_code"]] = row["slug"]
    return out


def derive(lookup: Path) -> list[dict[str, str]]:
    slugs = code_to_slug()
    rows: list[dict[str, str]] = []
    missing: set[str] = set()
    with open(lookup, encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            code = row["la_code_new"].strip()
            slug = slugs.get(code)
            if not slug:
                missing.add(f"{code} {row['local_authority_ons_name']}")
                continue
            neighbours = []
            for n in (c.strip() for c in row["stat_neighbours_la_code"].split(",")):
                if not n:
                    continue
                if n not in slugs:
                    missing.add(n)
                    continue
                neighbours.append(slugs[n])
            rows.append({"slug": slug, "gss_code": code, "region": row["region_name"].strip(),
                         "neighbours": "|".join(neighbours)})
    if missing:
        raise SystemExit(f"codes not in ofstl's authority list: {', '.join(sorted(missing))}")
    return sorted(rows, key=lambda r: r["slug"])


def main() -> None:
    lookup = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT.parent / "shared" / "reference" / "Provider_data_lookup.csv")
    rows = derive(lookup)
    with open(DATA / "neighbours.csv", "w", encoding="utf-8", newline="") as fh:
        fh.write("\n".join(HEADER) + "\n")
        writer = csv.DictWriter(fh, ["slug", "gss_code", "region", "neighbours"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {DATA / 'neighbours.csv'}: {len(rows)} authorities, "
          f"{sum(1 for r in rows if r['neighbours'])} with neighbours")


if __name__ == "__main__":
    main()
