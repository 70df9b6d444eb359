"""Exports carry no formulas: a name typed as `=HYPERLINK(...)` comes out as text, in every
XLSX export (and the CSV helper), opened back with openpyxl."""

import io
import zipfile
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from mingjing.cases.models import Case, CaseStage
from mingjing.security import spreadsheet
from tests.conftest import login_as

HOSTILE_NAME = '=HYPERLINK("http://evil.example","点此")'
HOSTILE_DEPARTMENT = "+民事审判第一庭"
HOSTILE_STAFF_NO = "@SUM(1+1)"
HOSTILE_CASE = "-2+3（2026）豫9001民初123号"


@pytest.fixture
def hostile(cast):
    person = cast.people["staff"]
    person.name, person.staff_no = HOSTILE_NAME, HOSTILE_STAFF_NO
    person.save(update_fields=["name", "staff_no"])
    department = cast.departments["civil"]
    department.name = HOSTILE_DEPARTMENT
    department.save(update_fields=["name"])
    Case.objects.filter(pk=cast.case.pk).update(
        number=HOSTILE_CASE, stage=CaseStage.CLOSED, closed_on=date(2026, 5, 1)
    )
    return cast


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def assert_no_formulas(data: bytes, expected: set[str]) -> None:
    """No formula anywhere in the file; each hostile value is a text cell with quote prefix."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    book = load_workbook(io.BytesIO(data))
    seen = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and spreadsheet.is_formula_like(cell.value):
                    assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
                    seen.add(cell.value)
    assert expected <= seen, expected - seen


def test_missing_declarations_export_has_no_formulas(hostile, client):
    response = login_as(client, hostile.approver).get(reverse("declarations:report_xlsx"))
    assert response.status_code == 200
    expected = {HOSTILE_NAME, HOSTILE_DEPARTMENT, HOSTILE_STAFF_NO, HOSTILE_CASE}
    assert_no_formulas(_body(response), expected)


@pytest.mark.parametrize("scope", ["court", "department"])
def test_compliance_exports_have_no_formulas(hostile, client, scope):
    if scope == "court":
        user, url = hostile.custodian, reverse("court_reporting:compliance_xlsx")
    else:
        user = hostile.deptadmin
        url = reverse(
            "court_reporting:department_compliance_xlsx", args=[hostile.departments["civil"].id]
        )
    response = login_as(client, user).get(url + "?end=2026-10&months=6")
    assert response.status_code == 200
    assert_no_formulas(_body(response), {HOSTILE_NAME, HOSTILE_DEPARTMENT, HOSTILE_STAFF_NO})


@pytest.mark.parametrize("write_only", [True, False])
def test_the_helper_writes_text_and_leaves_numbers_alone(write_only):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("x") if write_only else book.active
    values = ["=1+1", "+1", "-1", "@A1", "\tx", "\rx", "正常", 3, -4, date(2026, 1, 2)]
    spreadsheet.append_row(sheet, values)
    buffer = io.BytesIO()
    book.save(buffer)
    row = next(load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0].iter_rows())
    assert [c.value for c in row[:9]] == values[:9]
    assert [c.data_type for c in row] == ["s"] * 7 + ["n", "n", "d"]
    assert [bool(c.quotePrefix) for c in row] == [True] * 6 + [False] * 4


def test_the_csv_helper_prefixes_formula_like_text():
    row = ["=1+1", "+1", "-1", "@A1", "\tx", "\rx", "正常", -4, None]
    assert spreadsheet.csv_row(row) == ["'=1+1", "'+1", "'-1", "'@A1", "'\tx", "'\rx"] + row[6:]
