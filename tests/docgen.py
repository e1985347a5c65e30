"""Generated inputs for the robustness tests and the benchmark: small, plausible Ofsted
focused-visit letters for real authorities, bad files of every kind ingest must survive,
and store records for a national store. Nothing here reads ../shared."""

from __future__ import annotations

import csv
import datetime as dt
import random
import zlib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

WEAKNESSES = [
    "The quality and timeliness of assessments for children in need, so that plans address their needs.",
    "Management oversight and supervision of social work practice, so that drift and delay are identified.",
    "The consistency of return home interviews after children have been missing from home.",
    "The stability of the workforce and the size of social workers' caseloads.",
    "Partner agencies' understanding of thresholds for referral to children's social care.",
    "The quality of plans for children in care, which are not specific enough about what needs to change.",
    "The sufficiency of placements that meet the needs of children in care close to home.",
    "Pathway planning for care leavers, including access to suitable accommodation.",
]


def authorities() -> list[tuple[str, str]]:
    """(slug, name) of the current English authorities."""
    with open(ROOT / "ofstl" / "data" / "local_authorities.csv", encoding="utf-8") as fh:
        return [(row["slug"], row["name"]) for row in csv.DictReader(fh)]


def focused_visit_letter(name: str, day: dt.date, seed: int = 0) -> str:
    """A focused-visit letter in the form Ofsted sends them."""
    rng = random.Random(seed)
    end = day + dt.timedelta(days=1)
    published = day + dt.timedelta(days=35)
    items = rng.sample(WEAKNESSES, 3)
    bullets = "\n\n".join(f"  - {item}" for item in items)
    return f"""Ofsted
Piccadilly Gate
Store Street
Manchester
M1 2WD

{published.day} {MONTHS[published.month - 1]} {published.year}

Director of Children's Services
{name} Council

Dear Director

Focused visit to {name} local authority children's services

This letter summarises the findings of the focused visit to {name} local authority children's services on {day.day} and {end.day} {MONTHS[end.month - 1]} {end.year}. The visit was carried out by two of His Majesty's Inspectors.

Inspectors looked at the local authority's arrangements for the front door, including decisions about referrals and the response to children at risk of harm.

Headline findings

Most children referred to the front door receive a timely and proportionate response. Leaders know their services well, but the quality of practice is not yet consistently good. Visit reference {seed}.

What needs to improve in this area of social work practice?

{bullets}

Main findings

1. When children are referred to the multi-agency safeguarding hub, their needs are considered promptly by experienced staff, and most decisions are appropriate.

2. Strategy discussions are timely, and partner agencies contribute to them well.

Yours sincerely

Jane Smith
His Majesty's Inspector
"""


def good_documents(folder: Path, count: int, seed: int = 1, names: list[tuple[str, str]] | None = None) -> list[Path]:
    """``count`` small text documents, each a focused visit to some authority on some date."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    pool = names or authorities()
    out = []
    for i in range(count):
        slug, name = pool[i % len(pool)]
        day = dt.date(2019, 1, 7) + dt.timedelta(days=rng.randrange(0, 6 * 365))
        path = folder / f"{slug}_{i:05d}_focused-visit.txt"
        path.write_text(focused_visit_letter(name, day, seed=seed * 100000 + i), encoding="utf-8")
        out.append(path)
    return out


# ----------------------------------------------------------------------------- bad PDFs


def pdf_with_text(text: str = "Inspection of Hillingdon local authority children's services", pages: int = 1) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for _ in range(pages):
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def encrypted_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner-secret", user_password="user-secret")
    pdf.set_font("helvetica", size=12)
    pdf.add_page()
    pdf.multi_cell(0, 8, "Inspection of Hillingdon local authority children's services")
    return bytes(pdf.output())


def image_only_pdf() -> bytes:
    """A 'scan': shapes on the page, no text at all."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    for i in range(20):
        pdf.rect(10 + i * 4, 10 + i * 6, 60, 4, style="F")
    return bytes(pdf.output())


def _pdf_from_objects(objects: list[bytes]) -> bytes:
    """A well-formed PDF file (header, objects, xref, trailer) from object bodies 1..n."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def runaway_pdf(operators: int = 3_000_000) -> bytes:
    """A small PDF whose page content inflates to millions of drawing operators: the parser
    runs for minutes (a stand-in for a PDF that makes it loop)."""
    content = zlib.compress(b"1 0 0 1 0 0 cm 0 0 m 1 1 l S\n" * operators, 9)
    return _pdf_from_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
    ])


def corrupt_pdf() -> bytes:
    """A PDF header followed by garbage."""
    rng = random.Random(7)
    return b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(4000))


# ----------------------------------------------------------------------------- store records


def national_record(slug: str, i: int, rng: random.Random) -> dict[str, Any]:
    """One plausible stored inspection record (the shape ofstl.records.merge writes)."""
    year = 2008 + i
    framework, type_ = [("slac", None), ("annual-rating", None), ("cra", None), ("cpi", None), ("lac", None), ("sif", None), ("sif", "reinspection"),
                        ("monitoring-visit", None), ("jtai", None), ("ilacs", "standard"), ("focused-visit", None), ("ilacs", "short")][i % 12]
    start = f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 28):02d}"
    sha = f"{rng.getrandbits(256):064x}"
    grades = ["outstanding", "good", "requires improvement", "inadequate"] if framework in {"sif", "ilacs"} else ["good", "adequate", "inadequate"]
    keys = {"sif": ["overall", "help_and_protection", "children_in_care", "adoption", "care_leavers", "leadership", "lscb"],
            "ilacs": ["overall", "help_and_protection", "children_in_care", "leadership"],
            "slac": ["help_and_protection", "children_in_care", "capacity_safeguarding"], "lac": ["children_in_care", "capacity"], "cpi": ["help_and_protection", "leadership"],
            "annual-rating": ["overall"]}.get(framework, [])
    judgements = {}
    for key in keys:
        grade = rng.choice(["performs well", "performs adequately"]) if framework == "annual-rating" else rng.choice(grades)
        judgements[key] = {"grade": grade, "printed": grade.capitalize(), "source": sha[:12], "page": 1, "method": "table"}
    weaknesses = [{"text": w, "section": "What needs to improve", "page": 3, "priority": False, "national_framework": None, "themes": [], "source": sha[:12]}
                  for w in rng.sample(WEAKNESSES, 4)]
    source = {"path": f"/data/ofsted/{slug}_{start}_{framework}.pdf", "sha256": sha, "kind": "ofsted-report", "role": "subject", "framework": framework,
              "type": type_, "start": start, "end": start, "published": None, "dated": True,
              "judgements": {k: {"grade": j["grade"], "printed": j["printed"], "label": k.replace("_", " "), "page": 1, "method": "table"} for k, j in judgements.items()}}
    return {"id": f"{slug}-{start[:7]}-{framework}", "framework": framework, "type": type_, "role": "subject", "start": start, "end": start,
            "published": None, "judgements": judgements, "weaknesses": weaknesses, "strengths": [], "sources": [source]}


def national_store(root: Path, per_authority: int = 12, seed: int = 3) -> int:
    """Write a store of every current authority with ``per_authority`` inspections each."""
    from ofstl.store import Store

    store = Store(root)
    rng = random.Random(seed)
    count = 0
    for slug, _ in authorities():
        store.save(slug, [national_record(slug, i, rng) for i in range(per_authority)])
        count += 1
    return count


def bomb_pdf(megabytes: int) -> bytes:
    """A PDF of a few hundred KB whose page content inflates to ``megabytes`` MB."""
    packer = zlib.compressobj(1)
    chunk = b" " * (1024 * 1024)
    content = b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()
    return _pdf_from_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
    ])
