"""The case page's 一案一表, declaring on the web, binding, close check and the report."""

import io
from datetime import date

from django.urls import reverse
from openpyxl import load_workbook

from mingjing.cases.models import Assignment, Case, CaseStage
from mingjing.declarations.models import DeclarationStatus
from mingjing.declarations.services import declaration_declare
from tests.conftest import SECRET_CONTENT, SECRET_SUBJECT
from tests.declarations.conftest import actor, declaration_of


def case_page(login, user, case) -> str:
    return login(user).get(reverse("cases:detail", args=[case.id])).content.decode()


def declare(client, case, choice: str):
    return client.post(reverse("declarations:declare", args=[case.id]), {"choice": choice})


def test_the_case_page_shows_each_handlers_status(cast, login):
    page = case_page(login, cast.head, cast.case)
    assert 'data-testid="declarations"' in page
    assert "测试staff" in page and "待填报" in page


def test_the_department_admin_sees_counts_never_contents(cast, login, own_record):
    declaration_declare(actor=actor(cast.staff), case=cast.case, none_to_report=False)
    page = case_page(login, cast.deptadmin, cast.case)
    assert "已填报" in page and "有 1 条记录" in page
    assert SECRET_CONTENT not in page and SECRET_SUBJECT not in page
    assert reverse("records:detail", args=[own_record.id]) not in page


def test_a_colleague_sees_the_status_but_not_the_count(cast, login, own_record):
    declaration_declare(actor=actor(cast.staff), case=cast.case, none_to_report=False)
    page = case_page(login, cast.staff2, cast.case)
    assert "已填报" in page and "条记录" not in page
    assert 'data-testid="my-declaration"' not in page


def test_the_handler_sees_the_buttons_and_his_records(cast, login, own_record):
    page = case_page(login, cast.staff, cast.case)
    assert 'data-testid="my-declaration"' in page
    assert "本人在办理该案过程中无过问、干预、不当接触交往等情况" in page
    assert reverse("records:detail", args=[own_record.id]) in page


def test_the_handler_declares_none_in_one_click(cast, login):
    client = login(cast.staff)
    response = declare(client, cast.case, "none")
    assert response.status_code == 302
    declaration = declaration_of(cast.case, cast.people["staff"])
    assert declaration.status == DeclarationStatus.DECLARED and declaration.none_to_report
    assert "无相关情况" in client.get(response.url).content.decode()


def test_declaring_records_without_any_shows_the_reason_and_changes_nothing(cast, login):
    client = login(cast.staff)
    page = client.get(declare(client, cast.case, "records").url).content.decode()
    assert "您还没有提交与本案有关的记录" in page
    assert declaration_of(cast.case, cast.people["staff"]).status == DeclarationStatus.PENDING


def test_someone_else_cannot_declare(cast, login):
    assert declare(login(cast.staff2), cast.case, "none").status_code == 403
    assert declare(login(cast.other_court), cast.case, "none").status_code == 404


def test_the_department_head_binds_on_the_case_page(cast, login):
    declaration_declare(actor=actor(cast.staff), case=cast.case, none_to_report=True)
    client = login(cast.head)
    response = client.post(reverse("declarations:bind", args=[cast.case.id]))
    assert response.status_code == 302
    assert declaration_of(cast.case, cast.people["staff"]).status == DeclarationStatus.BOUND
    assert "已入卷" in client.get(response.url).content.decode()


def test_binding_too_early_says_who_is_missing(cast, login):
    client = login(cast.head)
    response = client.post(reverse("declarations:bind", args=[cast.case.id]), follow=True)
    assert "尚有 1 人未填报（测试staff）" in response.content.decode()


def test_the_close_check_page_lists_who_has_not_declared(cast, login):
    url = reverse("declarations:close_check", args=[cast.case.id])
    page = login(cast.inspector).get(url).content.decode()
    assert "暂不能报结" in page and "测试staff" in page
    declaration_declare(actor=actor(cast.staff), case=cast.case, none_to_report=True)
    assert "可以结案" in login(cast.inspector).get(url).content.decode()


def close(case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(stage=CaseStage.CLOSED, closed_on=date(2026, 5, 1))


def criminal_case(cast) -> Case:
    case = Case.objects.create(
        court=cast.courts["a"],
        number="（2026）豫9001刑初9号",
        year=2026,
        kind="刑初",
        department=cast.departments["criminal"],
        closed_on=date(2026, 5, 2),
    )
    Assignment.objects.create(case=case, person=cast.people["staff2"], role="judge")
    return case


def test_the_report_lists_closed_cases_with_missing_declarations(cast, login):
    close(cast.case)
    criminal_case(cast)
    page = login(cast.custodian).get(reverse("declarations:report")).content.decode()
    assert "民事审判第一庭" in page and "测试staff" in page
    assert "刑事审判庭" in page and "测试staff2" in page


def test_department_heads_see_only_their_department(cast, login):
    close(cast.case)
    criminal_case(cast)
    page = login(cast.head).get(reverse("declarations:report")).content.decode()
    assert "测试staff" in page and "刑事审判庭" not in page


def test_open_cases_and_declared_ones_are_not_in_the_report(cast, login):
    page = login(cast.custodian).get(reverse("declarations:report")).content.decode()
    assert "没有缺报一案一表的已结案件" in page
    close(cast.case)
    declaration_declare(actor=actor(cast.staff), case=cast.case, none_to_report=True)
    page = login(cast.custodian).get(reverse("declarations:report")).content.decode()
    assert "没有缺报一案一表的已结案件" in page


def test_the_report_exports_to_xlsx(cast, login):
    close(cast.case)
    response = login(cast.approver).get(reverse("declarations:report_xlsx"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    summary, detail = book.worksheets
    assert list(summary.iter_rows(min_row=2, values_only=True)) == [
        ("民事审判第一庭", "测试staff", "T0001", 1)
    ]
    assert list(detail.iter_rows(min_row=2, values_only=True))[0][3] == cast.case.number
    count = summary.cell(row=2, column=4)
    assert count.data_type == "n" and count.number_format == "#,##0"
    closed_on = detail.cell(row=2, column=5)
    assert closed_on.is_date and closed_on.number_format == "yyyy-mm-dd"


def test_staff_may_not_see_the_report(cast, login):
    assert login(cast.staff).get(reverse("declarations:report")).status_code == 403
