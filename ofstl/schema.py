"""What an authority file may hold, checked record by record when it is loaded.

People read and edit the store's YAML, so a file may hold anything YAML can say: an unquoted
date (a ``date`` object), a judgement written as a bare string, ``grade: null``, a record with
no ``id``, a key misspelt. The views trust the shapes below; without this check such a file
ended them with an internal error. ``check_store_data`` walks a parsed file against the
schema (types of every field, known keys, grade words, dates as ``YYYY[-MM[-DD]]`` strings)
and raises ``SchemaProblem`` naming the record and the field, e.g.
``inspection 3 (hillingdon-2013-11-sif): judgements.overall.grade: 'goood' is not a grade``.

The tables are the contract with ``ofstl.records`` (which writes these files): a new field a
record or a source gains must be added here, or files holding it are refused.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable

from ofstl.parse.grades import GRADE_LEVEL
from ofstl.safe_text import escape_controls
from ofstl.vocabulary import FRAMEWORKS

SCHEMA = 1
DATE = re.compile(r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?")
SHA256 = re.compile(r"[0-9a-f]{64}")
KEY = re.compile(r"[a-z][a-z0-9_]{0,63}")
ROLES = ("subject", "mentioned")
DATE_FIELDS = ("start", "end", "published")
TEXT_FIELDS = ("framework", "type", "theme", "outcome")  # correctable besides judgements and dates


class SchemaProblem(ValueError):
    """A parsed file that is not an ofstl store file: ``where`` names the record and field."""

    def __init__(self, where: str, problem: str):
        super().__init__(f"{where}: {problem}" if where else problem)
        self.where = where
        self.problem = problem


def show(value: Any) -> str:
    """A value as a short, printable quotation for a message."""
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    # YAML's own types as the file wrote them, never Python's repr (datetime.date(2013, 11, 25))
    if isinstance(value, (dt.date, dt.time)):
        text = value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    elif isinstance(value, (bytes, bytearray)):
        text = f"(!!binary, {len(value)} bytes)"
    else:
        text = repr(value)
    return escape_controls(text if len(text) <= 40 else text[:37] + "...")


def _describe(value: Any) -> str:
    """``null``, ``true``, or the kind of value and the value: ``a number 3``."""
    if value is None or isinstance(value, bool):
        return show(value)
    return f"{_kind(value)} {show(value)}"


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dt.datetime):
        return "a date and time (quote it)"
    if isinstance(value, dt.date):
        return "a date (quote it)"
    if isinstance(value, (bytes, bytearray)):
        return "binary data"
    return {int: "a number", float: "a number", str: "text", list: "a list", dict: "a mapping", set: "a set"}.get(type(value), f"a {type(value).__name__} (quote it)")


Check = Callable[[Any, str], None]


def _fail(path: str, problem: str) -> None:
    raise SchemaProblem(path, problem)


def text(optional: bool = False, choices: tuple[str, ...] | None = None, pattern: re.Pattern[str] | None = None, nonempty: bool = False) -> Check:
    def check(value: Any, path: str) -> None:
        if value is None and optional:
            return
        if not isinstance(value, str):
            _fail(path, f"should be text{' or null' if optional else ''}, not {_describe(value)}")
        if nonempty and not value.strip():
            _fail(path, "should not be empty")
        if choices is not None and value not in choices:
            _fail(path, f"{show(value)} is not one of {', '.join(choices)}")
        if pattern is not None and not pattern.fullmatch(value):
            _fail(path, f"{show(value)} is not {'a date (YYYY, YYYY-MM or YYYY-MM-DD)' if pattern is DATE else 'a sha256 (64 hex digits)' if pattern is SHA256 else 'well-formed'}")
    return check


def date(optional: bool = True) -> Check:
    inner = text(optional, pattern=DATE)

    def check(value: Any, path: str) -> None:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):  # the README's own example
            _fail(path, f"should be a date in quotes (\"{value.isoformat()}\"), not a date (quote it)")
        if value is not None and not isinstance(value, str):
            _fail(path, f"should be a date in quotes (\"2013-11-25\"), not {_describe(value)}")
        inner(value, path)
        if isinstance(value, str) and not is_calendar_date(value):
            _fail(path, f"{show(value)} is not a day of the calendar")
    return check


def is_calendar_date(value: str) -> bool:
    """YYYY, YYYY-MM, or a day the calendar has: the pattern alone allows 2013-02-30."""
    if not DATE.fullmatch(value):
        return False
    try:
        return len(value) < 10 or bool(dt.date.fromisoformat(value))
    except ValueError:
        return False


def grade(value: Any, path: str) -> None:
    if not isinstance(value, str) or value not in GRADE_LEVEL:
        _fail(path, f"{show(value)} is not a grade ({', '.join(GRADE_LEVEL)})")


def number(optional: bool = True) -> Check:
    def check(value: Any, path: str) -> None:
        if value is None and optional:
            return
        if type(value) is not int or not -10**9 < value < 10**9:
            _fail(path, f"should be a whole number{' or null' if optional else ''}, not {_describe(value)}")
    return check


def flag(value: Any, path: str) -> None:
    if not isinstance(value, bool):
        _fail(path, f"should be true or false, not {_describe(value)}")


def list_of(item: Check) -> Check:
    def check(value: Any, path: str) -> None:
        if not isinstance(value, list):
            _fail(path, f"should be a list, not {_describe(value)}")
        for index, element in enumerate(value):
            item(element, f"{path}[{index}]")
    return check


def mapping(fields: dict[str, Check], required: tuple[str, ...] = ()) -> Check:
    def check(value: Any, path: str) -> None:
        if not isinstance(value, dict):
            _fail(path, f"should be a mapping, not {_describe(value)}")
        for name in required:
            if name not in value:
                _fail(path, f"has no {name!r}")
        for name, element in value.items():
            where = f"{path}.{name}" if path else str(name)
            if name not in fields:
                _fail(where if isinstance(name, str) else path, f"unknown key {show(name)} (known: {', '.join(fields)})")
            fields[name](element, where)
    return check


def keyed(item: Check) -> Check:
    """A mapping from judgement keys (``overall``, ``children_in_care`` ...) to ``item``."""
    def check(value: Any, path: str) -> None:
        if not isinstance(value, dict):
            _fail(path, f"should be a mapping of judgements, not {_describe(value)}")
        for name, element in value.items():
            if not isinstance(name, str) or not KEY.fullmatch(name):
                _fail(path, f"{show(name)} is not a judgement key (like overall, children_in_care)")
            item(element, f"{path}.{name}")
    return check


def scalar(value: Any, path: str) -> None:
    """Text, a number, null, or a list of those (a disagreement's reading of the weaknesses)."""
    if isinstance(value, list):
        for index, element in enumerate(value):
            if element is not None and not isinstance(element, (str, int, float, bool)):
                _fail(f"{path}[{index}]", f"should be text, a number or null, not {_kind(element)}")
    elif value is not None and not isinstance(value, (str, int, float, bool)):
        _fail(path, f"should be text, a number or null, not {_kind(value)}")


def free_record(value: Any, path: str) -> None:
    """A disagreement or reading: text keys to scalars or lists of flat mappings."""
    if not isinstance(value, dict):
        _fail(path, f"should be a mapping, not {_describe(value)}")
    for name, element in value.items():
        if not isinstance(name, str):
            _fail(path, f"unknown key {show(name)}")
        if isinstance(element, list):
            for index, sub in enumerate(element):
                if isinstance(sub, dict):
                    for sub_name, leaf in sub.items():
                        if not isinstance(sub_name, str):
                            _fail(f"{path}.{name}[{index}]", f"unknown key {show(sub_name)}")
                        scalar(leaf, f"{path}.{name}[{index}].{sub_name}")
                else:
                    scalar(sub, f"{path}.{name}[{index}]")
        else:
            scalar(element, f"{path}.{name}")


READING = mapping({"grade": grade, "printed": text(True), "page": number(), "method": text(True), "label": text(True)}, ("grade",))
JUDGEMENT = mapping({
    "grade": grade, "printed": text(True), "label": text(True), "source": text(True), "page": number(), "method": text(True),
    "readings": list_of(READING), "conflict": flag,
}, ("grade",))
ITEM = mapping({
    "text": text(), "section": text(True), "page": number(), "priority": flag, "national_framework": text(True),
    "themes": list_of(text()), "source": text(True),
}, ("text",))
_SHARED = {
    "framework": text(nonempty=True), "type": text(True), "role": text(choices=ROLES),
    **{name: date() for name in DATE_FIELDS},
    "judgements": keyed(JUDGEMENT), "weaknesses": list_of(ITEM), "strengths": list_of(ITEM),
    "theme": text(True), "outcome": text(True), "visit_number": number(), "disagreements": list_of(free_record),
    # SPEC section 4 additions (reorganised councils, fetch manifests).
    "inspected_as": text(True), "predecessor_of": text(True), "urn": text(True),
}
_SOURCE_FIELDS = {
    **_SHARED, "path": text(), "sha256": text(nonempty=True), "kind": text(nonempty=True), "dated": flag,
    "published_method": text(True),  # "manifest": the date came from a fetch manifest
    "report_published": date(),  # Ofsted's publication, as a story or council paper states it
    "start_within": text(True),  # the months a season-dated start may mean: "2019-01/2019-05"
}
SOURCE = mapping({
    **_SOURCE_FIELDS,
    # what a document that spoke of the inspection twice said each time, to rebuild from
    "folded": list_of(mapping(_SOURCE_FIELDS, ("path", "sha256", "kind", "role"))),
}, ("path", "sha256", "kind", "role"))
RECORD = mapping({
    **_SHARED, "id": text(nonempty=True), "sources": list_of(SOURCE),
    "published_evidence": mapping({"source": text(True), "method": text(True)}),
    "reported": date(),  # a story's or council paper's own date, when no Ofsted document dates it
    "could_be": list_of(text()),  # a mention several stored inspections fit: their ids (never joined by a guess)
}, ("id", "framework", "role"))


def correction_field(value: Any, path: str) -> None:
    text()(value, path)
    if not (value in DATE_FIELDS or value in TEXT_FIELDS or (value.startswith("judgements.") and KEY.fullmatch(value[len("judgements."):]))):
        _fail(path, f"{show(value)} cannot be corrected (judgements.KEY, start, end, published, framework, type, theme or outcome)")


CORRECTION = mapping({
    "inspection": text(nonempty=True), "field": correction_field, "value": text(), "note": text(), "date": date(False),
}, ("inspection", "field", "value", "note", "date"))


def check_correction_value(correction: dict[str, Any], path: str) -> None:
    """The value must suit the field: a grade for a judgement, a date for a date, a
    framework's id for the framework."""
    field, value = correction["field"], correction["value"]
    if field.startswith("judgements."):
        grade(value, f"{path}.value")
    elif field in DATE_FIELDS:
        date(False)(value, f"{path}.value")
    elif field == "framework":
        text(choices=tuple(FRAMEWORKS))(value, f"{path}.value")


TOP = {
    "ofstl_store": number(False), "authority": text(), "name": text(), "gss_code": text(True),
    "corrections": list_of(CORRECTION), "inspections": list_of(lambda v, p: None),  # records checked one by one below
}


def check_store_data(data: Any, slug: str) -> None:
    """Raise ``SchemaProblem`` unless ``data`` is a well-formed store file of ``slug``."""
    if not isinstance(data, dict):
        _fail("", f"not an ofstl store file (it is {_kind(data)}, not a mapping with ofstl_store: {SCHEMA})")
    if type(data.get("ofstl_store")) is int and data["ofstl_store"] > SCHEMA:
        _fail("ofstl_store", f"written by a newer ofstl (store schema {data['ofstl_store']}; this ofstl reads schema {SCHEMA})")
    if data.get("ofstl_store") != SCHEMA or type(data.get("ofstl_store")) is not int:
        _fail("ofstl_store", f"not an ofstl store file of schema {SCHEMA} (ofstl_store: {show(data.get('ofstl_store'))})")
    mapping(TOP, ("ofstl_store", "authority", "name", "inspections"))(data, "")
    if data["authority"] != slug:
        _fail("authority", f"this is the file of {slug!r}, not of {show(data['authority'])}")
    for index, correction in enumerate(data.get("corrections") or []):
        check_correction_value(correction, f"corrections[{index}]")
    for index, record in enumerate(data["inspections"]):
        rid = record.get("id") if isinstance(record, dict) else None
        where = f"inspection {index + 1}" + (f" ({escape_controls(rid)})" if isinstance(rid, str) and rid else "")
        try:
            RECORD(record, "")
        except SchemaProblem as exc:
            raise SchemaProblem(where + (f": {exc.where}" if exc.where else ""), exc.problem) from None


__all__ = ["SCHEMA", "SchemaProblem", "check_store_data", "DATE_FIELDS", "DATE", "KEY", "is_calendar_date"]
