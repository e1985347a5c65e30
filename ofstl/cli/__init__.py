"""The command-line skin: typer options over the library, one module per group of commands.

Importing this package registers every command on ``app``. Only this package and
``ofstl.render`` import typer or rich.
"""

from ofstl.cli.app import app, hoist_global_flags, main
from ofstl.cli import commands  # noqa: F401  (registers the commands on app)
from ofstl.cli import themes  # noqa: F401  (registers ofstl themes)
from ofstl.cli import fetch  # noqa: F401  (registers ofstl fetch)
from ofstl.cli import across  # noqa: F401  (compare, national, due)
from ofstl.cli import verify  # noqa: F401  (ofstl verify)
from ofstl.cli import correct  # noqa: F401  (registers ofstl correct)
from ofstl.cli.completion import complete_authority

__all__ = ["app", "complete_authority", "hoist_global_flags", "main"]
