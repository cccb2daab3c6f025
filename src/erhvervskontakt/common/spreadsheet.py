"""Cells of a CSV file that a spreadsheet shows and never runs (CSV formula injection)."""

from __future__ import annotations

from typing import Any

# What makes a spreadsheet read a cell as a formula (OWASP's list): a cell that starts with
# one of them gets a leading apostrophe, which Excel and LibreOffice show as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value: Any) -> Any:
    """``value`` as a CSV cell a spreadsheet shows and never runs (numbers as they are)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
