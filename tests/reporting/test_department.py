"""Department review: who reported, approve or return, and the department report."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mingjing.reporting import selectors
from mingjing.reporting.models import DepartmentReport, Holiday, MonthlyReport, PersonalStatus
from mingjing.security.actor import actor_for
from mingjing.security.models import AuditEvent
from tests.reporting.helpers import (
    OCTOBER,
    at,
    file_report,
    record_submitted_at,
    review,
    send_department,
)

pytestmark = pytest.mark.django_db


def submit_department(cast, when, user=None):
    return send_department(user or cast.head, cast.departments["civil"], when=when)


def department_page(client, cast, department="civil") -> str:
    url = reverse("reporting:department", args=[cast.departments[department].id])
    return client.get(url, {"month": "2026-10"}).content.decode()


def test_the_cycle_from_first_record_to_the_department_report(cast, login):
    record = record_submitted_at(cast.people["staff"], at(10, 3))
    mine = file_report(cast.staff, zero=False, when=at(10, 8))
    zero = file_report(cast.staff2, zero=True, when=at(10, 27))
    client = login(cast.head)
    page = department_page(client, cast)
    assert reverse("records:detail", args=[record.id]) in page
    assert "测试deptadmin" in page and "测试head" in page  # not reported yet
    for report in (mine, zero):
        client.post(reverse("reporting:review", args=[report.id]), {"decision": "approve"})
    url = reverse("reporting:department_submit", args=[cast.departments["civil"].id])
    confirm = client.post(url, {"month": "2026-10"})
    assert confirm.status_code == 200 and not DepartmentReport.objects.exists()
    names = confirm.context["view"].missing
    assert {p.name for p in names} == {"测试head", "测试deptadmin"}
    assert "确认报送督察室" in confirm.content.decode()
    missing = confirm.context["missing_ids"]
    response = client.post(
        url, {"month": "2026-10", "confirm": "on", "missing": missing}, follow=True
    )
    assert "部门月报告已报送督察室" in response.content.decode()
    sent = DepartmentReport.objects.get()
    assert sent.submitted_by == cast.people["head"]
    assert set(MonthlyReport.objects.values_list("status", flat=True)) == {"approved"}
    figures = sent.figures
    assert figures["reported"] == 2 and figures["zero"] == 1 and figures["late"] == 1
    assert figures["missing"] == 2
    assert {p["name"] for p in figures["missing_people"]} == {"测试head", "测试deptadmin"}
    assert figures["records"] == 1
    assert figures["by_category"] == {"leader_interference": 1}
    assert figures["by_behaviour"] == {"plea": 1}
    assert figures["by_subject_kind"] == {"external_cadre": 1}
    assert AuditEvent.objects.filter(action="department_report.submit").count() == 1
    assert AuditEvent.objects.filter(action="monthly_report.approve").count() == 2


def test_the_department_report_is_refused_while_a_report_is_unreviewed(cast):
    file_report(cast.staff, zero=True, when=at(10, 8))
    with pytest.raises(ValidationError, match="测试staff"):
        submit_department(cast, at(10, 20))
    assert not DepartmentReport.objects.exists()


def test_the_refusal_is_shown_on_the_page(cast, login):
    file_report(cast.staff, zero=True, when=at(10, 8))
    client = login(cast.head)
    response = client.post(
        reverse("reporting:department_submit", args=[cast.departments["civil"].id]),
        {"month": "2026-10"},
        follow=True,
    )
    assert "份个人月报告未审核" in response.content.decode()


def test_a_returned_report_does_not_block_and_is_counted(cast):
    report = file_report(cast.staff, zero=True, when=at(10, 8))
    review(cast.head, report, approve=False, reason="请确认")
    sent = submit_department(cast, at(10, 20))
    assert sent.figures["returned"] == 1


def test_the_department_report_is_sent_once(cast):
    submit_department(cast, at(10, 20))
    with pytest.raises(ValidationError, match="已报送"):
        submit_department(cast, at(10, 21))


def test_the_department_report_is_late_only_after_the_moved_due_date(cast):
    Holiday.objects.create(court=cast.courts["a"], date=date(2026, 10, 26), name="假日")
    assert not submit_department(cast, at(10, 27, hour=22)).is_late
    DepartmentReport.objects.all().delete()
    assert submit_department(cast, at(10, 28, hour=9)).is_late


def test_only_the_head_submits_the_department_report(cast):
    for user in (cast.deptadmin, cast.staff, cast.custodian, cast.leader):
        with pytest.raises(PermissionDenied):
            submit_department(cast, at(10, 20), user=user)


def test_the_head_does_not_review_his_own_report_the_custodian_does(cast):
    own = file_report(cast.head, zero=True, when=at(10, 8))
    with pytest.raises(PermissionDenied):
        review(cast.head, own)
    submit_department(cast, at(10, 20))  # his own report does not block the department
    assert review(cast.custodian, own).status == PersonalStatus.APPROVED


def test_the_custodian_does_not_review_staff_reports(cast):
    report = file_report(cast.staff, zero=True, when=at(10, 8))
    with pytest.raises(PermissionDenied):
        review(cast.custodian, report)


def test_records_naming_the_head_go_around_him(cast, login):
    named = record_submitted_at(
        cast.people["staff2"], at(10, 4), subject_person=cast.people["head"]
    )
    report = file_report(cast.staff2, zero=False, when=at(10, 8))
    view = selectors.department_month(actor_for(cast.head), cast.departments["civil"], OCTOBER)
    assert [r.report for r in view.rows] == []  # no row: the whole report goes around him
    assert cast.people["staff2"] not in view.missing  # nor does he show as missing
    page = department_page(login(cast.head), cast)
    assert "由上一级（院管理员）审核" in page
    assert reverse("records:detail", args=[named.id]) not in page and "测试staff2" not in page
    with pytest.raises(PermissionDenied):
        review(cast.head, report)
    assert review(cast.custodian, report).forwarded_at is not None


def test_the_department_administrator_sees_counts_and_names_but_no_records(cast, login):
    record = record_submitted_at(cast.people["staff"], at(10, 3))
    report = file_report(cast.staff, zero=False, when=at(10, 8))
    client = login(cast.deptadmin)
    page = department_page(client, cast)
    assert "测试staff" in page
    assert reverse("records:detail", args=[record.id]) not in page
    assert "审核通过" not in page and "报送督察室</button>" not in page
    response = client.post(reverse("reporting:review", args=[report.id]), {"decision": "approve"})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == PersonalStatus.SUBMITTED


def test_a_transferred_persons_report_stays_with_the_department_he_filed_in(cast):
    staff = cast.people["staff"]
    file_report(cast.staff, zero=True, when=at(10, 8))
    staff.department = cast.departments["criminal"]
    staff.save()
    civil = selectors.department_month(
        actor_for(cast.custodian), cast.departments["civil"], OCTOBER
    )
    criminal = selectors.department_month(
        actor_for(cast.custodian), cast.departments["criminal"], OCTOBER
    )
    assert [row.report.person for row in civil.rows] == [staff]
    assert staff not in civil.missing and staff not in criminal.missing
    assert criminal.rows == []


def test_a_person_who_has_not_reported_is_missing_in_his_current_department(cast):
    staff2 = cast.people["staff2"]
    staff2.department = cast.departments["criminal"]
    staff2.save()
    custodian = actor_for(cast.custodian)
    civil = selectors.department_month(custodian, cast.departments["civil"], OCTOBER)
    criminal = selectors.department_month(custodian, cast.departments["criminal"], OCTOBER)
    assert staff2 not in civil.missing
    assert staff2 in criminal.missing


def test_another_courts_department_is_not_found(cast, login):
    url = reverse("reporting:department", args=[cast.departments["civil"].id])
    assert login(cast.other_court).get(url).status_code == 404


def test_staff_may_not_see_the_department_page(cast, login):
    url = reverse("reporting:department", args=[cast.departments["civil"].id])
    assert login(cast.staff).get(url).status_code == 403


def test_another_courts_report_cannot_be_reviewed(cast, login):
    report = file_report(cast.staff, zero=True, when=at(10, 8))
    response = login(cast.other_court).post(
        reverse("reporting:review", args=[report.id]), {"decision": "approve"}
    )
    assert response.status_code == 404


def test_the_overview_lists_the_departments_in_view(cast, login):
    file_report(cast.staff, zero=True, when=at(10, 8))
    page = login(cast.leader).get(reverse("reporting:departments"), {"month": "2026-10"})
    text = page.content.decode()
    assert "民事审判第一庭" in text and "刑事审判庭" not in text
    everything = login(cast.inspector).get(reverse("reporting:departments")).content.decode()
    assert "刑事审判庭" in everything


def test_the_return_form_on_the_page_requires_a_reason(cast, login):
    report = file_report(cast.staff, zero=True, when=at(10, 8))
    client = login(cast.head)
    response = client.post(
        reverse("reporting:review", args=[report.id]),
        {"decision": "return", "reason": ""},
        follow=True,
    )
    assert "退回时必须填写退回原因" in response.content.decode()
    client.post(
        reverse("reporting:review", args=[report.id]), {"decision": "return", "reason": "请补充"}
    )
    report.refresh_from_db()
    assert report.status == PersonalStatus.RETURNED and report.return_reason == "请补充"
