"""Spreadsheet exports carry no formulas: the one helper every XLSX and CSV export uses.

A name such as ``=HYPERLINK("http://…","点此")`` typed into the system must come out as the
text it is, never as a live formula (CSV/formula injection, OWASP). Text that begins with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return is:

- in XLSX: written as a text cell (type string, never a formula) with Excel's own
  "quote prefix" style, exactly what Excel stores when one types ``'=…``: the cell shows the
  text unchanged, and editing it does not turn it into a formula;
- in CSV: prefixed with an apostrophe, as OWASP recommends (a CSV cell has no type).

Numbers, dates and booleans are never formulas and pass unchanged.
"""

from collections.abc import Iterable
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    """Text a spreadsheet program could take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def xlsx_cell(sheet: Any, value: Any) -> Any:
    """An openpyxl cell for `sheet` (normal or write-only) holding `value` as data."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value)
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    return cell


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    """`sheet.append(values)`, with every text cell written as text, never as a formula."""
    sheet.append([xlsx_cell(sheet, value) for value in values])


def csv_value(value: Any) -> Any:
    """A value for a CSV export: formula-like text gets a leading apostrophe."""
    return "'" + value if is_formula_like(value) else value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_value(value) for value in values]
