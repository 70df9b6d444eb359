"""people_import: a personnel export into the court's people, by 工号, all or nothing."""

import csv
import io
from datetime import date, datetime

import openpyxl
import pytest

from mingjing.imports.people import people_import
from mingjing.imports.tabular import ImportFileError, RowError
from mingjing.org.models import Person, PersonStatus, RoleAssignment
from mingjing.org.roles import Role
from mingjing.security.models import AuditEvent

HEADER = ["工号", "姓名", "部门", "职务", "是否院领导", "状态", "状态日期", "分管部门", "角色"]
NEW_JUDGE = ["A2001", "新法官", "民事审判第一庭", "审判员", "否", "在职", "", "", "staff"]
NEW_CLERK = ["A2002", "新书记员", "XS", "书记员", "否", "在职", "", "", "干警"]


def csv_bytes(rows: list[list], encoding: str = "utf-8-sig") -> bytes:
    """A CSV as Excel saves it: CRLF line ends, UTF-8 with a BOM unless told otherwise."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(cast, rows: list[list], **options):
    return people_import(court=cast.courts["a"], source=csv_bytes(rows), **options)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_it_creates_people_from_a_csv_in_any_usual_encoding(cast, encoding):
    source = csv_bytes([HEADER, NEW_JUDGE, NEW_CLERK], encoding=encoding)
    result = people_import(court=cast.courts["a"], source=source)
    assert (result.created, result.updated, result.errors) == (2, 0, [])
    judge = Person.objects.get(court=cast.courts["a"], staff_no="A2001")
    assert (judge.name, judge.department, judge.position) == (
        "新法官",
        cast.departments["civil"],
        "审判员",
    )
    clerk = Person.objects.get(court=cast.courts["a"], staff_no="A2002")
    assert clerk.department == cast.departments["criminal"]  # matched by its code, XS
    assert list(clerk.roles.values_list("role", flat=True)) == [Role.STAFF]


def test_it_reads_an_xlsx_with_the_same_headers_and_excel_dates(cast):
    retired = ["A2003", "老法官", "民事审判第一庭", "审判员", "否", "退休", datetime(2025, 6, 30)]
    source = xlsx_bytes([HEADER[:7], NEW_JUDGE[:7], retired])
    result = people_import(court=cast.courts["a"], source=source)
    assert (result.created, result.errors) == (2, [])
    person = Person.objects.get(staff_no="A2003")
    assert (person.status, person.status_date) == (PersonStatus.RETIRED, date(2025, 6, 30))


def test_it_reports_bad_rows_by_line_and_imports_nothing(cast):
    rows = [
        HEADER,
        NEW_JUDGE,
        ["A2009", "甲", "不存在的庭", "", "", "", "", "", ""],
        ["A2003", "乙", "", "", "也许", "休假", "2026-13-01", "", ""],
        NEW_CLERK,
    ]
    result = run(cast, rows)
    assert result.aborted and not result.committed
    assert result.errors == [
        RowError(3, "部门“不存在的庭”不是本院的部门（请填写部门名称或代码）。"),
        RowError(4, "是否院领导“也许”无法识别（应为“是”或“否”）。"),
        RowError(4, "状态“休假”无法识别（应为 在职、调离、退休、离职 之一）。"),
        RowError(
            4, "状态日期“2026-13-01”不是有效日期（应如 2026-03-02、2026/3/2 或 2026年3月2日）。"
        ),
    ]
    assert str(result.errors[0]).startswith("第 3 行：")
    assert (result.created, result.skipped) == (0, 2)
    assert not Person.objects.filter(staff_no__in=["A2001", "A2002", "A2003", "A2009"]).exists()


def test_with_skip_errors_it_imports_only_the_good_rows(cast):
    rows = [HEADER, NEW_JUDGE, ["A2009", "", "民事审判第一庭"], NEW_CLERK[:1] + ["丙"]]
    result = run(cast, rows, skip_errors=True)
    assert result.errors == [RowError(3, "姓名不能为空。")]
    assert (result.created, result.skipped, result.committed) == (2, 1, True)
    assert set(Person.objects.filter(staff_no__startswith="A2").values_list("name", flat=True)) == {
        "新法官",
        "丙",
    }


def test_reimporting_the_same_file_updates_instead_of_duplicating(cast):
    before = Person.objects.count()
    assert run(cast, [HEADER, NEW_JUDGE, NEW_CLERK]).created == 2
    again = run(cast, [HEADER, NEW_JUDGE, NEW_CLERK])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    renamed = run(cast, [HEADER, ["A2001", "改名法官", "刑事审判庭"], NEW_CLERK])
    assert (renamed.created, renamed.updated, renamed.unchanged) == (0, 1, 1)
    assert Person.objects.count() == before + 2
    judge = Person.objects.get(staff_no="A2001")
    assert (judge.name, judge.department, judge.position) == (
        "改名法官",
        cast.departments["criminal"],
        "审判员",  # a blank cell leaves the field as it is
    )


def test_it_updates_existing_staff_found_by_staff_number(cast):
    result = run(
        cast, [["工号", "姓名", "状态", "离任日期"], ["T0002", "测试staff2", "调离", "2026/3/2"]]
    )
    assert (result.updated, result.errors) == (1, [])
    moved = Person.objects.get(pk=cast.people["staff2"].pk)
    assert (moved.status, moved.status_date) == (PersonStatus.TRANSFERRED, date(2026, 3, 2))
    assert moved.user == cast.staff2  # the account stays linked


def test_people_of_another_court_with_the_same_staff_number_are_not_touched(cast):
    other = cast.people["other_court"]
    result = run(cast, [HEADER, [other.staff_no, "同号新人", "民事审判第一庭"]])
    assert result.created == 1
    other.refresh_from_db()
    assert other.name == "测试other_court"


def test_roles_are_added_never_revoked(cast):
    head = cast.people["head"]
    result = run(cast, [["工号", "姓名", "角色"], [head.staff_no, head.name, "staff、政治部"]])
    assert (result.updated, result.errors) == (1, [])
    roles = set(RoleAssignment.objects.filter(person=head).values_list("role", flat=True))
    assert roles == {Role.STAFF, Role.DEPT_HEAD, Role.PERSONNEL}


def test_it_refuses_to_grant_system_administration(cast):
    result = run(cast, [["工号", "姓名", "角色"], ["A2001", "某人", "staff、sysadmin"]])
    assert result.errors == [
        RowError(2, "系统管理员角色不能通过导入授予，请由系统管理员在管理界面中设置。")
    ]


def test_unknown_roles_are_reported(cast):
    result = run(cast, [["工号", "姓名", "角色"], ["A2001", "某人", "干警、超级用户"]])
    assert result.errors[0].line == 2
    assert "角色“超级用户”无法识别" in result.errors[0].message


def test_an_oversees_cell_replaces_the_departments_a_leader_oversees(cast):
    leader = cast.people["leader"]
    rows = [["工号", "姓名", "部门", "是否院领导", "分管部门"]]
    rows.append([leader.staff_no, leader.name, "院领导", "是", "刑事审判庭、ZZ"])
    result = run(cast, rows)
    assert (result.updated, result.errors) == (1, [])
    assert set(leader.oversees.all()) == {
        cast.departments["criminal"],
        cast.departments["politics"],
    }
    leader.refresh_from_db()
    assert leader.department is None and leader.is_leader


def test_an_unknown_overseen_department_is_an_error(cast):
    result = run(cast, [["工号", "姓名", "分管部门"], ["A2001", "某人", "民事审判第一庭、后勤处"]])
    assert result.errors == [RowError(2, "分管部门“后勤处”不是本院的部门。")]


def test_a_staff_number_twice_in_the_file_is_an_error(cast):
    result = run(cast, [HEADER, NEW_JUDGE, NEW_CLERK, NEW_JUDGE])
    assert result.errors == [RowError(4, "工号 A2001 与第 2 行重复。")]


def test_a_missing_required_column_stops_the_import_even_with_skip_errors(cast):
    result = run(cast, [["工号", "部门"], ["A2001", "民事审判第一庭"]], skip_errors=True)
    assert result.errors == [RowError(1, "缺少必填列：姓名。")]
    assert result.aborted and not Person.objects.filter(staff_no="A2001").exists()


def test_english_headers_a_title_line_spaces_and_blank_rows_are_accepted(cast):
    rows = [
        ["2026年人员名单"],
        [" Staff No ", "NAME", "Department", "Position"],
        ["  A2001 ", " 新法官\u3000", "民事审判第一庭", "审判员"],
        [],
        ["", "", "", ""],
    ]
    result = run(cast, rows)
    assert (result.created, result.errors) == (1, [])
    assert Person.objects.get(staff_no="A2001").name == "新法官"


def test_line_numbers_count_the_lines_of_multi_line_cells(cast):
    rows = [["工号", "姓名", "职务"], ["A2001", "甲", "审判员\n（兼）"], ["A2002", "", "书记员"]]
    assert run(cast, rows).errors == [RowError(4, "姓名不能为空。")]


def test_unused_columns_are_named(cast):
    result = run(cast, [["工号", "姓名", "身份证号"], ["A2001", "甲", "410000"]])
    assert result.unused_columns == ["身份证号"]


def test_a_dry_run_counts_but_writes_nothing(cast):
    result = run(cast, [HEADER, NEW_JUDGE], dry_run=True)
    assert (result.created, result.committed) == (1, False)
    assert not Person.objects.filter(staff_no="A2001").exists()


def test_an_import_is_recorded_in_the_audit_log_with_counts_only(cast):
    run(cast, [HEADER, NEW_JUDGE])
    event = AuditEvent.objects.get(action="people.import")
    assert event.court_code == cast.courts["a"].code
    assert event.detail == {"created": 1, "updated": 0, "unchanged": 0, "skipped": 0}


def test_an_old_xls_file_is_refused_with_a_reason(cast):
    with pytest.raises(ImportFileError, match="xls"):
        people_import(
            court=cast.courts["a"], source=b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 64
        )
