"""Shares (fractions) as every command's JSON, CSV and workbook give them: one precision.

``themes`` rounded its shares to 3 decimals, ``national`` and the due backtest to 4 and
``due``'s ``share_of_window`` to 2, so the same two in three read 0.667 in one file and 0.6667
in another, and a script joining or comparing them had to know which command wrote which.
Every share is made here: the fraction rounded to ``DECIMALS`` places (enough to tell one
authority in 153 from the next), or None when there is nothing to divide by; the caller says
what that is (an empty cell, or 0 for a theme no inspection raised). Tables for people show
the same values as whole percentages.
"""

from __future__ import annotations

DECIMALS = 4


def share(count: float, total: float) -> float | None:
    """``count / total`` to ``DECIMALS`` places, or None when ``total`` is 0."""
    return round(count / total, DECIMALS) if total else None
