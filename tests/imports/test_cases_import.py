"""cases_import: a case-management export into cases, participants and handlers."""

from datetime import date, datetime

import pytest

from mingjing.cases.models import (
    Assignment,
    AssignmentRole,
    Case,
    CaseStage,
    Participant,
    ParticipantRole,
)
from mingjing.imports.cases import cases_import
from mingjing.imports.tabular import RowError
from mingjing.org.models import Department, Person
from tests.imports.test_people_import import csv_bytes, xlsx_bytes

HEADER = ["案号", "案由", "承办部门", "立案日期", "结案日期", "承办法官", "书记员", "当事人"]
PARTIES = "原告:张三;被告:某某科技（北京）有限公司;律师:李四(某某律师事务所)"
CASE_5 = ["（2026）豫9001民初5号", "民间借贷纠纷", "民事审判第一庭", "2026-03-02", "", "T0001"]
CASE_5 += ["T0002", PARTIES]
CASE_6 = ["(2026)豫9001刑初6号", "盗窃罪", "XS", "2026/3/5", "2026年4月1日", "", "", ""]
SAMPLE_HEADER = ["案号", "案由", "案件类型", "承办部门", "立案日期", "结案日期", "案件状态"]
SAMPLE_HEADER += ["承办人", "审判长", "书记员", "原告/申请人", "被告/被申请人", "第三人"]
SAMPLE_HEADER += ["代理人", "代理人所在律所"]


def run(cast, rows: list[list], **options):
    return cases_import(court=cast.courts["a"], source=csv_bytes(rows), **options)


def roles_and_names(case: Case) -> set[tuple[str, str, str]]:
    return set(case.participants.values_list("role", "name", "law_firm"))


def test_it_creates_cases_with_their_participants_and_handlers(cast):
    result = run(cast, [HEADER, CASE_5, CASE_6])
    assert (result.created, result.updated, result.errors) == (2, 0, [])
    case = Case.objects.get(court=cast.courts["a"], number="（2026）豫9001民初5号")
    assert (case.year, case.kind, case.cause, case.department) == (
        2026,
        "民初",
        "民间借贷纠纷",
        cast.departments["civil"],
    )
    assert (case.filed_on, case.closed_on, case.stage) == (date(2026, 3, 2), None, CaseStage.FILED)
    assert roles_and_names(case) == {
        (ParticipantRole.PLAINTIFF, "张三", ""),
        (ParticipantRole.DEFENDANT, "某某科技（北京）有限公司", ""),
        (ParticipantRole.LAWYER, "李四", "某某律师事务所"),
    }
    assert set(case.assignments.values_list("person__staff_no", "role")) == {
        ("T0001", AssignmentRole.JUDGE),
        ("T0002", AssignmentRole.CLERK),
    }


def test_half_width_brackets_are_normalised_and_a_closing_date_closes_the_case(cast):
    run(cast, [HEADER, CASE_6])
    case = Case.objects.get(number="（2026）豫9001刑初6号")
    assert (case.kind, case.department, case.filed_on, case.closed_on, case.stage) == (
        "刑初",
        cast.departments["criminal"],
        date(2026, 3, 5),
        date(2026, 4, 1),
        CaseStage.CLOSED,
    )


def test_an_existing_case_written_with_half_width_brackets_is_updated_not_duplicated(cast):
    rows = [["案号", "案由", "承办法官"], ["(2026)豫9001民初123号", "借款合同纠纷", "T0002"]]
    result = run(cast, rows)
    assert (result.created, result.updated) == (0, 1)
    assert Case.objects.filter(court=cast.courts["a"]).count() == 1
    cast.case.refresh_from_db()
    assert cast.case.cause == "借款合同纠纷"
    handlers = set(cast.case.assignments.values_list("person__staff_no", flat=True))
    assert handlers == {"T0001", "T0002"}  # handlers are added, never removed


def test_reimporting_the_same_file_changes_nothing_and_duplicates_nothing(cast):
    run(cast, [HEADER, CASE_5, CASE_6])
    counts = Case.objects.count(), Participant.objects.count(), Assignment.objects.count()
    again = run(cast, [HEADER, CASE_5, CASE_6])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert (Case.objects.count(), Participant.objects.count(), Assignment.objects.count()) == counts


def test_a_reimport_adds_participants_and_handlers_and_fills_in_firms(cast):
    run(cast, [HEADER, CASE_5])
    later = CASE_5[:4] + [
        "2026-05-06",
        "T0001",
        "T0002、T0012",
        "第三人:王五;律师:李四（另一律师事务所）",
    ]
    result = run(cast, [HEADER, later])
    assert (result.created, result.updated, result.errors) == (0, 1, [])
    case = Case.objects.get(number="（2026）豫9001民初5号")
    assert (case.closed_on, case.stage) == (date(2026, 5, 6), CaseStage.CLOSED)
    assert (ParticipantRole.THIRD_PARTY, "王五", "") in roles_and_names(case)
    assert (ParticipantRole.LAWYER, "李四", "另一律师事务所") in roles_and_names(case)
    assert case.participants.count() == 4
    assert case.assignments.filter(role=AssignmentRole.CLERK).count() == 2


@pytest.mark.parametrize(
    "number, message",
    [
        ("2026豫9001民初5号", "案号格式不正确：2026豫9001民初5号（应如“（2026）豫9001民初123号”）"),
        (
            "（2026）豫9001民初号",
            "案号格式不正确：（2026）豫9001民初号（应如“（2026）豫9001民初123号”）",
        ),
        ("", "案号不能为空。"),
        ("（2026）豫9002民初5号", "案号“（2026）豫9002民初5号”不是本院（豫9001）的案号。"),
        (
            "（2026）豫90012民初5号",
            "案号格式不正确：（2026）豫90012民初5号（应如“（2026）豫9001民初123号”）",
        ),
    ],
)
def test_invalid_case_numbers_are_rejected_with_their_line(cast, number, message):
    result = run(cast, [["案号", "案由"], ["（2026）豫9001民初1号", "甲"], [number, "乙"]])
    assert result.errors == [RowError(3, message)]
    assert result.aborted and not Case.objects.filter(number="（2026）豫9001民初1号").exists()


def test_the_same_case_twice_in_a_file_is_an_error_whatever_its_brackets(cast):
    rows = [["案号"], ["（2026）豫9001民初5号"], ["(2026)豫9001民初5号"]]
    assert run(cast, rows).errors == [RowError(3, "案号“（2026）豫9001民初5号”与第 2 行重复。")]


def test_unknown_departments_and_handlers_are_reported_and_nothing_is_imported(cast):
    rows = [HEADER, CASE_5, CASE_5[:1] + ["", "后勤处", "", "", "T9999"]]
    rows[2][0] = "（2026）豫9001民初7号"
    result = run(cast, rows)
    assert result.errors == [
        RowError(3, "承办部门“后勤处”不是本院的部门（请填写部门名称或代码）。"),
        RowError(3, "承办法官“T9999”不是本院人员（按工号和姓名均未找到；请先导入人员）。"),
    ]
    assert not Case.objects.filter(number="（2026）豫9001民初5号").exists()


def test_with_skip_errors_only_the_good_rows_are_imported(cast):
    rows = [HEADER, CASE_5, ["（2026）豫9001民初7号", "", "后勤处"], CASE_6]
    result = run(cast, rows, skip_errors=True)
    assert (result.created, result.skipped, len(result.errors)) == (2, 1, 1)
    assert not Case.objects.filter(number="（2026）豫9001民初7号").exists()


def _numbered(count: int) -> list[list[str]]:
    return [[f"（2026）豫9001民初{n}号", "", "民事审判第一庭", "", "", "T0001", "", f"原告:张{n}"]
            for n in range(1001, 1001 + count)]  # fmt: skip


NUMBERED = [f"（2026）豫9001民初{n}号" for n in range(1001, 1011)]


def test_a_streamed_import_writes_chunk_by_chunk_across_the_file(cast, monkeypatch, tmp_path):
    monkeypatch.setattr("mingjing.imports.cases.CHUNK", 3)
    monkeypatch.setattr("mingjing.imports.cases.PG_CHUNK", 3)
    path = tmp_path / "cases.csv"
    path.write_bytes(csv_bytes([HEADER, *_numbered(10)]))
    result = cases_import(court=cast.courts["a"], source=path)
    assert (result.created, result.errors, result.committed) == (10, [], True)
    cases = Case.objects.filter(court=cast.courts["a"], number__in=NUMBERED)
    assert cases.count() == 10
    assert Participant.objects.filter(case__in=cases, role=ParticipantRole.PLAINTIFF).count() == 10
    assert Assignment.objects.filter(case__in=cases, person__staff_no="T0001").count() == 10


def test_a_bad_row_late_in_the_file_undoes_the_chunks_already_written(cast, monkeypatch, tmp_path):
    monkeypatch.setattr("mingjing.imports.cases.CHUNK", 3)
    monkeypatch.setattr("mingjing.imports.cases.PG_CHUNK", 3)
    rows = [HEADER, *_numbered(9), ["（2026）豫9001民初99号", "", "后勤处"], *_numbered(2)]
    path = tmp_path / "cases.csv"
    path.write_bytes(csv_bytes(rows))
    result = cases_import(court=cast.courts["a"], source=path)
    assert result.aborted
    assert (result.created, result.committed) == (0, False)
    assert result.errors == [
        RowError(11, "承办部门“后勤处”不是本院的部门（请填写部门名称或代码）。"),
        RowError(12, "案号“（2026）豫9001民初1001号”与第 2 行重复。"),
        RowError(13, "案号“（2026）豫9001民初1002号”与第 3 行重复。"),
    ]
    assert not Case.objects.filter(court=cast.courts["a"], number__in=NUMBERED).exists()


def test_unknown_departments_can_be_created_when_asked(cast):
    result = run(
        cast,
        [["案号", "承办部门"], ["（2026）豫9001民初7号", "少年审判庭"]],
        create_departments=True,
    )
    assert result.errors == []
    department = Department.objects.get(court=cast.courts["a"], name="少年审判庭")
    assert Case.objects.get(number="（2026）豫9001民初7号").department == department


def test_a_handler_of_another_court_is_not_found(cast):
    rows = [["案号", "承办法官"], ["（2026）豫9001民初7号", cast.people["other_court"].staff_no]]
    assert run(cast, rows).errors[0].message.startswith("承办法官“T0013”不是本院人员")


def test_handlers_given_by_name_are_looked_for_in_the_handling_department_first(cast):
    namesake = Person.objects.create(
        court=cast.courts["a"],
        staff_no="A3001",
        name="测试staff",
        department=cast.departments["criminal"],
    )
    rows = [["案号", "承办部门", "承办人"], ["（2026）豫9001刑初7号", "刑事审判庭", "测试staff"]]
    rows.append(["（2026）豫9001民初7号", "民事审判第一庭", "测试staff"])
    rows.append(["（2026）豫9001民初8号", "", "测试staff"])
    rows.append(["（2026）豫9001民初9号", "", "测试staff（T0001）"])
    result = run(cast, rows)
    assert result.errors == [
        RowError(4, "承办法官“测试staff”有 2 人同名（工号 A3001、T0001），请改填工号。")
    ]
    result = run(cast, [rows[0], rows[1], rows[2], rows[4]])
    assert result.errors == []
    handlers = dict(Assignment.objects.values_list("case__number", "person"))
    assert handlers["（2026）豫9001刑初7号"] == namesake.pk
    assert handlers["（2026）豫9001民初7号"] == cast.people["staff"].pk
    assert handlers["（2026）豫9001民初9号"] == cast.people["staff"].pk


def test_a_case_management_export_with_party_columns_is_understood(cast):
    rows = [
        SAMPLE_HEADER,
        ["（2026）豫9001刑初8号", "诈骗罪", "刑事一审", "刑事审判庭", "2026-02-24", "2026-05-22"]
        + ["已结", "测试staff", "", "T0002", "示例市人民检察院", "彭然", "", "张斌、魏然"]
        + ["甲律师事务所、某法律服务所"],
        ["（2026）豫9001执8号", "执行案", "执行实施", "MY1", "2026-04-09", "", "在办", "T0003"]
        + ["T0003", "", "金宁明", "汤飞杰", "", "刘国", "某法律服务所"],
        ["（2026）豫9001民初9号", "离婚纠纷", "民事一审", "MY1", "2026-01-03", "", "", "T0001"]
        + ["", "", "范磊", "石海海", "赵六", "上诉人:钱七", ""],
    ]
    result = run(cast, rows)
    assert (result.created, result.errors, result.unused_columns) == (3, [], ["案件类型"])
    criminal, enforcement, civil = (Case.objects.get(number=row[0]) for row in rows[1:])
    assert criminal.stage == CaseStage.CLOSED and enforcement.stage == CaseStage.TRIAL
    assert roles_and_names(criminal) == {
        (ParticipantRole.PROSECUTOR, "示例市人民检察院", ""),
        (ParticipantRole.ACCUSED, "彭然", ""),
        (ParticipantRole.DEFENDER, "张斌", "甲律师事务所"),
        (ParticipantRole.DEFENDER, "魏然", "某法律服务所"),
    }
    assert roles_and_names(enforcement) == {
        (ParticipantRole.APPLICANT, "金宁明", ""),
        (ParticipantRole.RESPONDENT, "汤飞杰", ""),
        (ParticipantRole.AGENT, "刘国", "某法律服务所"),
    }
    assert roles_and_names(civil) == {
        (ParticipantRole.PLAINTIFF, "范磊", ""),
        (ParticipantRole.DEFENDANT, "石海海", ""),
        (ParticipantRole.THIRD_PARTY, "赵六", ""),
        (ParticipantRole.APPELLANT, "钱七", ""),
    }
    assert set(enforcement.assignments.values_list("role", flat=True)) == {
        AssignmentRole.JUDGE,
        AssignmentRole.PRESIDING,
    }


def test_agents_and_their_firms_must_pair_up(cast):
    rows = [["案号", "代理人", "代理人所在律所"], ["（2026）豫9001民初7号", "甲、乙", "某所"]]
    assert run(cast, rows).errors == [
        RowError(2, "代理人有 2 位，代理人所在律所却有 1 个，应以“、”分隔一一对应。")
    ]


def test_a_participant_without_a_role_in_the_parties_cell_is_an_error(cast):
    rows = [
        ["案号", "当事人"],
        ["（2026）豫9001民初7号", "原告:张三;李四"],
        ["（2026）豫9001民初8号", "法官:王五"],
    ]
    assert run(cast, rows).errors == [
        RowError(2, "当事人“李四”缺少诉讼地位（应如“原告:张三;被告:某某公司”）。"),
        RowError(3, "当事人中的诉讼地位“法官”无法识别。"),
    ]


@pytest.mark.parametrize("filed", ["2026-03-02", "2026/3/2", "2026年3月2日", "2026.03.02"])
def test_dates_are_accepted_in_the_usual_forms(cast, filed):
    run(cast, [["案号", "立案日期"], ["（2026）豫9001民初7号", filed]])
    assert Case.objects.get(number="（2026）豫9001民初7号").filed_on == date(2026, 3, 2)


def test_bad_dates_and_a_closing_before_filing_are_errors(cast):
    rows = [["案号", "立案日期", "结案日期"], ["（2026）豫9001民初7号", "2026-02-30", ""]]
    rows.append(["（2026）豫9001民初8号", "2026-03-02", "2026-03-01"])
    assert run(cast, rows).errors == [
        RowError(
            2, "立案日期“2026-02-30”不是有效日期（应如 2026-03-02、2026/3/2 或 2026年3月2日）。"
        ),
        RowError(3, "结案日期 2026-03-01 早于立案日期 2026-03-02。"),
    ]


def test_an_xlsx_export_with_excel_date_cells_is_imported(cast):
    rows = [HEADER, CASE_5[:3] + [datetime(2026, 3, 2), None, "T0001", None, "原告:张三"]]
    result = cases_import(court=cast.courts["a"], source=xlsx_bytes(rows))
    assert (result.created, result.errors) == (1, [])
    case = Case.objects.get(number="（2026）豫9001民初5号")
    assert case.filed_on == date(2026, 3, 2)
    assert roles_and_names(case) == {(ParticipantRole.PLAINTIFF, "张三", "")}


def test_a_gb18030_csv_is_imported(cast):
    source = csv_bytes([HEADER, CASE_5], encoding="gb18030")
    assert cases_import(court=cast.courts["a"], source=source).created == 1


def test_a_blank_stage_keeps_the_stage_and_a_given_one_sets_it(cast):
    rows = [["案号", "阶段"], ["（2026）豫9001民初123号", "审理中"]]
    run(cast, rows)
    run(cast, [["案号", "案由"], ["（2026）豫9001民初123号", "民间借贷纠纷"]])
    cast.case.refresh_from_db()
    assert cast.case.stage == CaseStage.TRIAL
    result = run(cast, [["案号", "阶段"], ["（2026）豫9001民初123号", "放弃"]])
    assert result.errors[0].message.startswith("阶段“放弃”无法识别")


def test_a_given_assignment_date_is_set_on_the_handlers(cast):
    rows = [["案号", "承办法官", "分案日期"], ["（2026）豫9001民初123号", "T0001", "2026-03-03"]]
    result = run(cast, rows)
    assert result.updated == 1
    assert cast.case.assignments.get().assigned_on == date(2026, 3, 3)


def test_cases_of_other_courts_are_never_touched(cast):
    run(cast, [HEADER, CASE_5])
    cast.other_case.refresh_from_db()
    assert Case.objects.filter(court=cast.courts["b"]).count() == 1
    assert cast.other_case.cause == "民间借贷纠纷"


def test_a_dry_run_writes_nothing(cast):
    result = run(cast, [HEADER, CASE_5, CASE_6], dry_run=True)
    assert (result.created, result.committed) == (2, False)
    assert Case.objects.filter(court=cast.courts["a"]).count() == 1
