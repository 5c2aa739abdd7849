"""Spreadsheet safety for every CSV orbat writes (query output and ACLED-style exports).

Scraped text can begin with characters Excel and LibreOffice evaluate as a formula
(RELIABILITY row 16); one rule, here, is used by every writer.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: Any) -> Any:
    """Text a spreadsheet would evaluate gets a leading apostrophe; numbers and None pass untouched."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
