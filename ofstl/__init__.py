"""ofstl: the history of Ofsted inspections of English local authorities' children's services.

The package is a library (extract -> parse -> records -> store -> views) with a thin
command-line skin in ``ofstl.cli``. Nothing outside ``cli`` and ``render`` imports typer or rich.
"""

__version__ = "0.1.0"
