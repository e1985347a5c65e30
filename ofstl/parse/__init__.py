"""Text -> parsed document: the second step of the pipeline.

``parse_document(extracted)`` (in ``ofstl.parse.document``) reads an ``ExtractedText`` and
returns a ``ParsedDocument``: which authority, what kind of source, which inspection(s),
every graded judgement with its evidence, and the improvement items. Each concern lives in
its own module (authority, dates, grades, frameworks, judgements, items, mentions) as pure
functions over text, so each is testable alone and none keys on file names.
"""
