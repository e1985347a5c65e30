"""The plain data that flows through ofstl: extracted text, parsed facts, stored records.

Every step of the pipeline (file -> text -> parsed document -> inspection records -> store
-> views) passes these dataclasses, so each step can be tested on its own. They carry no
behaviour beyond conversion to and from the plain dicts the YAML store and JSON export use.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


# --------------------------------------------------------------------------- extracted text


@dataclass
class Box:
    """A block of text on a PDF page with its position (PDF points, origin bottom-left)."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass
class Page:
    """One page of a document. ``boxes`` is empty for formats without layout (text, HTML)."""

    number: int
    text: str
    boxes: list[Box] = field(default_factory=list)


@dataclass
class ExtractedText:
    """What a file reader returns: the document's pages, in reading order."""

    path: str
    sha256: str
    file_type: str  # "pdf" | "html" | "text"
    pages: list[Page]

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.pages)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ExtractedText":
        pages = [
            Page(number=p["number"], text=p["text"], boxes=[Box(**b) for b in p.get("boxes", [])])
            for p in data["pages"]
        ]
        return cls(path=data["path"], sha256=data["sha256"], file_type=data["file_type"], pages=pages)


# --------------------------------------------------------------------------- parsed facts


@dataclass
class Judgement:
    """One graded judgement as a document states it.

    ``grade`` is the canonical grade (SPEC section 2); ``printed`` the words as printed;
    ``label`` the printed judgement label; ``method`` says where it was read ("table" for
    the front-page grade table, "body" for a sentence in the text, "summary" for a news or
    council paper's summary). ``readings`` keeps every reading when there were several;
    ``conflict`` is true when they disagree.
    """

    key: str
    grade: str
    printed: str = ""
    label: str = ""
    page: int | None = None
    method: str = "body"
    readings: list[dict[str, Any]] = field(default_factory=list)
    conflict: bool = False


@dataclass
class Item:
    """A weakness or strength as the inspectors wrote it."""

    text: str
    section: str = ""
    page: int | None = None
    priority: bool = False
    national_framework: str | None = None
    themes: list[str] = field(default_factory=list)


@dataclass
class InspectionFacts:
    """What one document says about one inspection (the one it is about, or one it mentions)."""

    role: str  # "subject" | "mentioned"
    framework: str  # SPEC framework code
    type: str | None = None
    start: str | None = None  # ISO date, or YYYY-MM / YYYY
    # A season-dated start ("spring 2019") is stored by its year; the months it may mean
    # ("2019-01/2019-05") tell two inspections of that year apart.
    start_within: str | None = None
    end: str | None = None
    published: str | None = None
    # When Ofsted published the report, as a story or council paper states it (``published``
    # is then the document's own date): Ofsted's date, used when no Ofsted document gives one.
    report_published: str | None = None
    judgements: dict[str, Judgement] = field(default_factory=dict)
    weaknesses: list[Item] = field(default_factory=list)
    strengths: list[Item] = field(default_factory=list)
    theme: str | None = None  # focused-visit or JTAI theme
    outcome: str | None = None  # area SEND inspections: the outcome sentence, not a grade
    visit_number: int | None = None  # monitoring visits: the fourth -> 4
    evidence: dict[str, dict[str, Any]] = field(default_factory=dict)  # field -> {page, text}
    # The council inspected, when a reorganisation has since folded it into today's authority.
    inspected_as: str | None = None
    # Readings the parser could not reconcile: [{field, readings: [{value, page, method}]}]
    # (a printed date that cannot be right, and the date it was corrected to).
    disagreements: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ParsedDocument:
    """Everything ofstl understood from one file."""

    path: str
    sha256: str
    kind: str  # SPEC source kind: ofsted-report, ofsted-letter, council-paper, news, other
    authority: str | None  # canonical slug
    inspections: list[InspectionFacts] = field(default_factory=list)
    title: str = ""
    date_in_document: bool = True
    authority_evidence: str = ""
    warnings: list[str] = field(default_factory=list)
    # the authorities it names when it could not tell which one it is about (``--authority`` picks)
    candidates: list[str] = field(default_factory=list)

    @property
    def subject(self) -> InspectionFacts | None:
        for facts in self.inspections:
            if facts.role == "subject":
                return facts
        return None
