"""Documents that are not an Ofsted report on a local authority's children's services, as
users collect them: local news, trade press, council cabinet and scrutiny papers, press
releases, letters and improvement-board minutes. ofstl must read what they say of the
authority's inspections and never make an inspection of the authority out of something else
(a school's, nursery's or children's home's inspection in its area).

Every fixture is team-written, true in form; the authorities' grades and dates follow the
public record.

Bugs these tests found: a news article on a school's, academy's, nursery's or council-run
children's home's inspection stored as a graded (or dated) "Other" inspection of the council
it names; a school's grade in a children's services article taking the place of the council's;
a dated, graded inspection of children's services in an article naming no framework stored as
"Other" rather than the framework in force then;
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ofstl.models import ExtractedText, Page
from ofstl.parse.document import parse_document


def parsed(text: str, path: str = "article.txt") -> Any:
    return parse_document(ExtractedText(path, "0" * 64, "text", [Page(1, text, [])]))


def subject(doc: Any) -> Any:
    return next(item for item in doc.inspections if item.role == "subject")


def grades(facts: Any) -> dict[str, str]:
    return {key: judgement.grade for key, judgement in facts.judgements.items()}


SCHOOL_NEWS = """Barnet primary school rated Good by Ofsted

Pupils at St Mary's Primary School in Barnet are "happy, safe and keen to learn", according to inspectors.

Ofsted inspected the school on 14 and 15 March 2023 and judged its overall effectiveness to be good, up from requires improvement at its previous inspection in 2019.

Headteacher Jane Smith said: "We are delighted that inspectors recognised the hard work of our staff and pupils."

A spokesperson for Barnet Council said: "We congratulate the school on this excellent result."
"""

ACADEMY_NEWS = """Croydon academy placed in special measures

Harris Academy Southfield in Croydon has been rated Inadequate by Ofsted, the lowest possible grade.

Inspectors who visited in November 2022 found that the overall effectiveness of the school was inadequate, and that safeguarding was not effective.

The trust's chief executive said: "We accept the findings and have already taken action."

Croydon Council said it would work with the trust to support pupils and families.
"""

NURSERY_NEWS = """Enfield nursery rated Outstanding in first inspection

A nursery in Enfield has been rated Outstanding by Ofsted after its first inspection since opening.

Little Acorns Day Nursery, on Church Street, was inspected on 9 May 2024 and was judged outstanding overall.

Manager Priya Patel said: "The children are at the heart of everything we do and we are so proud."

A spokesperson for Enfield Council said the authority was pleased for the staff.
"""

HOME_NEWS = """Council-run children's home in Kent rated Good

A children's home run by Kent County Council has been rated Good by the education watchdog.

Ofsted inspected the home, in Maidstone, on 7 and 8 February 2023. It was judged good for the overall experiences and progress of children and young people.

A council spokesperson said: "Our staff work tirelessly to give the young people living at the home a safe and caring environment."
"""


@pytest.mark.parametrize("text, provider", [
    (SCHOOL_NEWS, "St Mary's Primary School"),
    (ACADEMY_NEWS, "Harris Academy Southfield"),
    (NURSERY_NEWS, "Little Acorns Day Nursery"),
    (HOME_NEWS, "a children's home"),
])
def test_news_of_a_providers_inspection_is_not_the_councils(text: str, provider: str) -> None:
    """Local news of a school's, academy's, nursery's or council-run children's home's
    inspection names the council; it was stored as the council's "Other" inspection, graded
    with the school's grade (Barnet: "Other, requires improvement", the school's previous
    grade) or dated with the home's visit (Kent: "2023-02-07 Other, not graded")."""
    doc = parsed(text)
    assert doc.inspections == [], [(f.framework, f.start, grades(f)) for f in doc.inspections]
    assert len(doc.warnings) == 1 and doc.warnings[0].endswith(
        f" about an Ofsted inspection of {provider} (a school or other provider), "
        "not an inspection of a local authority's children's services; not stored"), doc.warnings


LA_AND_SCHOOL_NEWS = """Borough's children's services and a school both in the inspectors' spotlight

It has been a busy month for Wakefield. Outwood Academy City was judged outstanding for overall effectiveness by Ofsted last week.

Now Ofsted has reported on Wakefield Council's children's services, inspected between 4 and 15 June 2018. The overall effectiveness of children's services was judged inadequate, and the impact of leaders on social work practice with children and families was judged inadequate.

"We accept the findings in full," a council spokesperson said.
"""


def test_a_schools_grade_in_a_childrens_services_article_is_not_the_councils() -> None:
    """An article on the council's inspection that first mentions a school's: the school's
    "outstanding for overall effectiveness" was the council's overall grade (Wakefield's
    2018 ILACS was inadequate)."""
    doc = parsed(LA_AND_SCHOOL_NEWS)
    facts = subject(doc)
    assert doc.authority == "wakefield" and facts.framework == "ilacs"
    assert (facts.start, facts.end) == ("2018-06-04", "2018-06-15")
    assert grades(facts) == {"overall": "inadequate", "leadership": "inadequate"}


def test_the_council_article_naming_a_school_partner_is_still_read() -> None:
    """Schools named as partners ("work with schools") or a school named beside the
    council's services in one sentence leave the council's inspection as it was. The article
    names no framework: a graded inspection of children's services whose fieldwork was in
    October 2023 is an ILACS (it was stored as "Other", beside no official outcome)."""
    text = """Hillingdon children's services now outstanding

Ofsted has judged children's services in Hillingdon outstanding, after inspectors visited the council between 2 and 6 October 2023.

The overall effectiveness of children's services was rated outstanding. Inspectors praised social workers' work with schools and with the council's own children's homes, and said children's social care staff at a special school in the borough knew pupils well.
"""
    facts = subject(parsed(text))
    assert facts.framework == "ilacs" and facts.type == "short" and grades(facts) == {"overall": "outstanding"}
    assert facts.evidence["framework"]["from"] == "the calendar"
    assert (facts.start, facts.end) == ("2023-10-02", "2023-10-06")
