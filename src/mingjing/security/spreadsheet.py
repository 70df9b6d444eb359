"""Spreadsheet exports carry no formulas: the one helper every XLSX and CSV export uses.

A name such as ``=HYPERLINK("http://…","点此")`` typed into the system must come out as the
text it is, never as a live formula (CSV/formula injection, OWASP). Text that begins with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return is:

- in XLSX: written as a text cell (type string, never a formula) with Excel's own
  "quote prefix" style, exactly what Excel stores when one types ``'=…``: the cell shows the
  text unchanged, and editing it does not turn it into a formula;
- in CSV: prefixed with an apostrophe, as OWASP recommends (a CSV cell has no type).

Numbers, dates and booleans are never formulas and pass unchanged. In XLSX they stay
numbers and dates with a display format: counts as whole numbers, dates as yyyy-mm-dd, and a
rate given as `Rate(0.875)` as the number 0.875 shown as 87.5% (a sheet can sum and chart
it, which a "87.5%" text cell forbids). An unknown rate (nothing to divide) is an empty cell.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: Any) -> bool:
    """Text a spreadsheet program could take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


PERCENT_FORMAT = "0.0%"
COUNT_FORMAT = "#,##0"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


@dataclass(frozen=True)
class Rate:
    """A share between 0 and 1 for a spreadsheet: a number shown as a percentage."""

    value: float | None

    def __str__(self) -> str:
        return "" if self.value is None else f"{self.value * 100:.1f}%"


def xlsx_cell(sheet: Any, value: Any) -> Any:
    """An openpyxl cell for `sheet` (normal or write-only) holding `value` as data."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, Rate):
        cell = WriteOnlyCell(sheet, value.value)
        if value.value is not None:
            cell.number_format = PERCENT_FORMAT
        return cell
    cell = WriteOnlyCell(sheet, value)
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    elif isinstance(value, int) and not isinstance(value, bool):
        cell.number_format = COUNT_FORMAT
    elif isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    return cell


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    """`sheet.append(values)`, with every text cell written as text, never as a formula."""
    sheet.append([xlsx_cell(sheet, value) for value in values])


def csv_value(value: Any) -> Any:
    """A value for a CSV export: formula-like text gets a leading apostrophe."""
    if isinstance(value, Rate):
        return str(value)
    return "'" + value if is_formula_like(value) else value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_value(value) for value in values]
