"""`mingjing import_people` and `mingjing import_cases`: exit status and Chinese output."""

from pathlib import Path

import pytest
from django.core.management import ManagementUtility
from django.db import connections

from mingjing.cases.models import Case
from mingjing.org.models import Department, Person
from tests.imports.test_people_import import csv_bytes, xlsx_bytes

PEOPLE = [
    ["工号", "姓名", "部门"],
    ["A2001", "新法官", "民事审判第一庭"],
    ["A2002", "新书记员", "XS"],
]
CASES = [
    ["案号", "案由", "承办部门", "承办法官"],
    ["(2026)豫9001民初5号", "借款纠纷", "MY1", "T0001"],
]


@pytest.fixture
def mingjing(monkeypatch, capsys):
    """Run `mingjing …` as the shell would; returns (exit status, stdout, stderr)."""
    # A command closes the connections when it ends; the test's transaction must survive it.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    def run(*argv: str) -> tuple[int, str, str]:
        try:
            ManagementUtility(["mingjing", *argv]).execute()
            status = 0
        except SystemExit as exit:
            status = exit.code
        out, err = capsys.readouterr()
        return status, out, err

    return run


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_import_people_prints_a_chinese_summary_and_exits_zero(cast, mingjing, tmp_path):
    status, out, err = mingjing(
        "import_people", write(tmp_path, "p.csv", csv_bytes(PEOPLE)), "--court", "豫9001"
    )
    assert (status, err) == (0, "")
    assert "导入完成：新增 2 条，更新 0 条，未变 0 条。" in out
    assert Person.objects.filter(staff_no__in=["A2001", "A2002"]).count() == 2


def test_it_prints_each_bad_row_and_exits_non_zero_having_imported_nothing(
    cast, mingjing, tmp_path
):
    rows = [*PEOPLE, ["A2003", "", "后勤处"], ["A2004", "某人", "政治部"]]
    status, out, err = mingjing(
        "import_people", write(tmp_path, "p.csv", csv_bytes(rows)), "--court", "豫9001"
    )
    assert status == 1
    assert "第 4 行：姓名不能为空。" in err
    assert "第 4 行：部门“后勤处”不是本院的部门（请填写部门名称或代码）。" in err
    assert "共 1 行有错误，未导入任何数据" in err
    assert "导入完成" not in out
    assert not Person.objects.filter(staff_no__startswith="A200").exists()


def test_with_skip_errors_it_imports_the_good_rows_and_exits_zero(cast, mingjing, tmp_path):
    rows = [*PEOPLE, ["A2003", "", "后勤处"]]
    path = write(tmp_path, "p.csv", csv_bytes(rows))
    status, out, err = mingjing("import_people", path, "--court", "豫9001", "--skip-errors")
    assert status == 0
    assert "第 4 行：姓名不能为空。" in err
    assert "新增 2 条，更新 0 条，未变 0 条，跳过 1 行（有错误）。" in out
    assert Person.objects.filter(staff_no__startswith="A200").count() == 2


def test_import_cases_reads_an_xlsx_and_reimports_without_duplicates(cast, mingjing, tmp_path):
    path = write(tmp_path, "cases.xlsx", xlsx_bytes(CASES))
    assert mingjing("import_cases", path, "--court", "豫9001")[0] == 0
    status, out, _ = mingjing("import_cases", path, "--court", "豫9001")
    assert status == 0 and "新增 0 条，更新 0 条，未变 1 条" in out
    assert Case.objects.filter(number="（2026）豫9001民初5号").count() == 1


def test_import_cases_reports_a_bad_case_number_and_exits_non_zero(cast, mingjing, tmp_path):
    rows = [*CASES, ["2026民初6号", "", "MY1", "T0001"]]
    status, _, err = mingjing(
        "import_cases", write(tmp_path, "c.csv", csv_bytes(rows)), "--court", "豫9001"
    )
    assert status == 1
    assert "第 3 行：案号格式不正确：2026民初6号" in err
    assert not Case.objects.filter(number="（2026）豫9001民初5号").exists()


def test_import_cases_can_create_unknown_departments(cast, mingjing, tmp_path):
    rows = [CASES[0], ["（2026）豫9001民初6号", "", "少年审判庭", "T0001"]]
    path = write(tmp_path, "c.csv", csv_bytes(rows))
    assert mingjing("import_cases", path, "--court", "豫9001")[0] == 1
    assert mingjing("import_cases", path, "--court", "豫9001", "--create-departments")[0] == 0
    assert Department.objects.filter(court=cast.courts["a"], name="少年审判庭").exists()


def test_a_dry_run_reports_counts_and_writes_nothing(cast, mingjing, tmp_path):
    path = write(tmp_path, "p.csv", csv_bytes(PEOPLE))
    status, out, _ = mingjing("import_people", path, "--court", "豫9001", "--dry-run")
    assert status == 0 and "试运行完成（未写入）：新增 2 条" in out
    assert not Person.objects.filter(staff_no="A2001").exists()


def test_columns_it_does_not_import_are_named(cast, mingjing, tmp_path):
    rows = [[*PEOPLE[0], "身份证号"], [*PEOPLE[1], "410000"]]
    _, out, _ = mingjing(
        "import_people", write(tmp_path, "p.csv", csv_bytes(rows)), "--court", "豫9001"
    )
    assert "以下列未导入：身份证号" in out


def test_a_missing_column_an_unknown_court_and_an_unreadable_file_are_errors(
    cast, mingjing, tmp_path
):
    no_name = write(tmp_path, "p.csv", csv_bytes([["工号"], ["A2001"]]))
    status, _, err = mingjing("import_people", no_name, "--court", "豫9001")
    assert status == 1 and "第 1 行：缺少必填列：姓名。" in err and "文件表头有误" in err
    status, _, err = mingjing("import_people", no_name, "--court", "豫0000")
    assert status == 1 and "法院代码“豫0000”不存在。" in err
    status, _, err = mingjing("import_people", str(tmp_path / "none.csv"), "--court", "豫9001")
    assert status == 1 and "无法读取文件" in err
    old_excel = write(tmp_path, "p.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 64)
    status, _, err = mingjing("import_people", old_excel, "--court", "豫9001")
    assert status == 1 and "不支持旧版 Excel（.xls）文件" in err
