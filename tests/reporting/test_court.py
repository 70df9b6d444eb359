"""The court's month: departments' statuses and counts, reminders, assembling and review."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mingjing.notify.models import Notification
from mingjing.reporting import court
from mingjing.reporting.calendar import next_month
from mingjing.reporting.models import CourtReport, DepartmentReport, MonthlyReport
from mingjing.security.models import AuditEvent
from tests.conftest import SECRET_CONTENT, SECRET_SUBJECT, login_as

SEPTEMBER = date(2026, 9, 1)


def file_report(person, month=SEPTEMBER, *, records=(), late=False, court=None):
    """A regular personal report, built directly: zero unless records are given."""
    report = MonthlyReport.objects.create(
        court=court or person.court,
        person=person,
        department=person.department,
        month=month,
        is_zero=not records,
        is_late=late,
        submitted_at=timezone.now(),
        zero_confirmed_at=None if records else timezone.now(),
    )
    report.records.set(records)
    return report


def department_report(cast, key="civil", month=SEPTEMBER, *, late=False):
    return DepartmentReport.objects.create(
        court=cast.courts["a"],
        department=cast.departments[key],
        month=month,
        submitted_by=cast.people["head"],
        submitted_at=timezone.now(),
        is_late=late,
    )


@pytest.fixture
def september(cast, records):
    """Civil: staff reports a record, staff2 zero (late), deptadmin zero, head missing;
    civil's department report is in. Office: custodian zero, inspector missing, no report."""
    people = cast.people
    file_report(people["staff"], records=[records.own])
    file_report(people["staff2"], late=True)
    file_report(people["deptadmin"])
    file_report(people["custodian"])
    file_report(people["other_court"])
    department_report(cast)
    return cast


def _rows(overview) -> dict:
    return {row.department.code if row.department else None: row for row in overview.rows}


def test_it_counts_each_department_of_the_month(september):
    overview = court.court_month_for(september.courts["a"], SEPTEMBER)
    civil, office = _rows(overview)["MY1"], _rows(overview)["ZH"]
    assert (civil.staff, civil.reported, civil.zero, civil.missing, civil.late) == (4, 3, 2, 1, 1)
    assert civil.records == 1 and civil.by_category == {"leader_interference": 1}
    assert (office.staff, office.reported, office.missing) == (2, 1, 1)


def test_it_shows_department_report_states(september):
    rows = _rows(court.court_month_for(september.courts["a"], SEPTEMBER))
    assert rows["MY1"].state == "submitted" and not rows["MY1"].is_late
    assert rows["ZH"].state == "overdue" and rows["ZH"].is_late


def test_the_page_shows_counts_and_never_contents(september, client):
    login_as(client, september.custodian)
    response = client.get(reverse("court_reporting:month") + "?month=2026-09")
    assert response.status_code == 200
    html = response.content.decode()
    assert "民事审判第一庭" in html and "逾期未报" in html
    assert SECRET_CONTENT not in html and SECRET_SUBJECT not in html


def test_the_department_page_lists_each_persons_status(september, client):
    login_as(client, september.inspector)
    url = reverse("court_reporting:department_month", args=[september.departments["civil"].id])
    response = client.get(url + "?month=2026-09")
    rows = {row.person.name: row for row in response.context["rows"]}
    assert rows["测试head"].report is None
    assert rows["测试staff"].records == 1
    assert SECRET_CONTENT not in response.content.decode()


def _remind(client, month="2026-09"):
    return client.post(reverse("court_reporting:remind"), {"month": month})


def test_reminding_twice_makes_one_notification_per_head(cast, client):
    login_as(client, cast.custodian)
    _remind(client)
    _remind(client)
    sent = Notification.objects.filter(key__startswith="dept-late:")
    assert list(sent.values_list("recipient", flat=True)) == [cast.head.id]
    note = sent.get()
    assert note.key == f"dept-late:{cast.departments['civil'].id}:2026-09"
    assert SECRET_CONTENT not in note.title + note.body
    assert AuditEvent.objects.filter(action="reporting.departments_remind").count() == 2


def test_it_does_not_remind_departments_whose_report_is_in(september, client):
    """Civil's report is in: its head gets nothing as head; the people still without a report
    (among them the head and the inspector) are reminded themselves (issue 10 point 11)."""
    login_as(client, september.inspector)
    assert _remind(client).status_code == 302
    assert AuditEvent.objects.filter(action="reporting.departments_remind").exists()
    assert not Notification.objects.filter(key__startswith="dept-").exists()
    nudged = Notification.objects.filter(kind="monthly-nudge")
    reminded = set(nudged.values_list("recipient__username", flat=True))
    assert {"head", "inspector"} <= reminded
    assert not reminded & {"staff", "staff2", "deptadmin", "custodian"}  # they reported


def test_it_does_not_remind_a_future_month(cast, client):
    login_as(client, cast.custodian)
    response = _remind(client, month=f"{next_month(timezone.localdate().replace(day=1)):%Y-%m}")
    assert response.status_code == 302
    assert "不能催报以后月份的报告" in client.get(response["Location"]).content.decode()
    assert not Notification.objects.exists()


def test_before_the_due_date_it_reminds_heads_and_people_once_a_day(cast):
    """Before the 25th the office reminds the departments not yet in and the people who
    have not reported; twice the same day is once; the next day again."""
    from mingjing.security.actor import actor_for

    office = actor_for(cast.custodian)
    month = SEPTEMBER
    before = timezone.make_aware(datetime(2026, 9, 10, 10))
    done = court.departments_remind(actor=office, month=month, now=before)
    assert done.heads == 1 and done.people == 9
    head = Notification.objects.get(recipient=cast.head, key__startswith="dept-remind:")
    assert head.title == "请于 2026-09-25 前审核报送 2026-09 部门月报告"
    again = court.departments_remind(actor=office, month=month, now=before)
    assert (again.heads, again.people) == (0, 0)
    next_day = court.departments_remind(actor=office, month=month, now=before + timedelta(days=1))
    assert (next_day.heads, next_day.people) == (1, 9)
    staff = Notification.objects.filter(recipient=cast.staff, kind="monthly-nudge")
    assert staff.count() == 2
    assert "督察室催报" in staff.first().body


@pytest.mark.parametrize("username", ["approver", "head", "staff", "deptadmin"])
def test_only_the_inspection_office_reminds(cast, client, username):
    login_as(client, cast.users[username])
    assert _remind(client).status_code == 403


def _assemble(client, month="2026-09"):
    return client.post(reverse("court_reporting:assemble"), {"month": month, "confirm": "yes"})


def test_assembling_computes_the_figures(september, client):
    login_as(client, september.custodian)
    _assemble(client)
    report = CourtReport.objects.get(court=september.courts["a"], month=SEPTEMBER)
    figures = report.figures
    assert (figures["staff"], figures["reported"], figures["zero"]) == (9, 4, 3)
    assert figures["missing"] == 5 and figures["late"] == 1 and figures["records"] == 1
    # Rates are over the 9 expected reporters, never over the 4 who reported.
    assert figures["zero_rate"] == 0.3333 and figures["report_rate"] == 0.4444
    assert {p["name"] for p in figures["missing_people"]} >= {"测试head", "测试inspector"}
    assert figures["by_category"]["leader_interference"] == 1
    assert figures["by_behaviour"]["plea"] == 1 and figures["by_behaviour"]["progress"] == 0
    assert figures["by_subject_kind"]["external_cadre"] == 1
    civil = figures["by_department"][str(september.departments["civil"].id)]
    assert civil["reported"] == 3 and civil["report"] == "submitted"
    assert figures["departments_missing"] == 3 and figures["departments_late"] == 3
    assert AuditEvent.objects.filter(action="reporting.court_assemble").count() == 1


def test_it_never_counts_another_courts_reports(september):
    figures = court.court_figures(september.courts["a"], SEPTEMBER)
    assert figures["reported"] == 4


def test_reassembling_before_review_updates_the_figures(september, client):
    login_as(client, september.inspector)
    _assemble(client)
    file_report(september.people["head"])
    _assemble(client)
    report = CourtReport.objects.get()
    assert report.figures["reported"] == 5 and report.assembled_by == september.people["inspector"]


def _review(client, report, note="已阅，请督察室对逾期部门跟进。"):
    """Reviews as the signed-in user, with a fresh code of a second factor enrolled now."""
    import pyotp

    from mingjing.accounts.models import User
    from tests.conftest import enrolled_totp

    user = User.objects.get(pk=client.session["_auth_user_id"])
    code = pyotp.TOTP(enrolled_totp(user)).now()
    url = reverse("court_reporting:review", args=[report.id])
    return client.post(url, {"note": note, "otp": code})


def test_the_review_needs_a_fresh_code_and_counts_a_wrong_one(september, client):
    report = court.court_report_assemble(
        actor=_actor(september.custodian), month=SEPTEMBER, confirm=True
    )
    login_as(client, september.approver)
    url = reverse("court_reporting:review", args=[report.id])
    response = client.post(url, {"note": "已阅", "otp": "000000"}, follow=True)
    assert "动态口令不正确" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "assembled"
    assert AuditEvent.objects.filter(action="auth.totp_failed").count() == 0  # not enrolled
    _review(client, report)
    report.refresh_from_db()
    assert report.status == "reviewed"


def test_a_wrong_review_code_is_counted_and_audited(september, client):
    from tests.conftest import enrolled_totp

    report = court.court_report_assemble(
        actor=_actor(september.custodian), month=SEPTEMBER, confirm=True
    )
    enrolled_totp(september.approver)
    login_as(client, september.approver)
    url = reverse("court_reporting:review", args=[report.id])
    client.post(url, {"note": "已阅", "otp": "12345x"})
    september.approver.refresh_from_db()
    assert september.approver.failed_login_count == 1
    assert AuditEvent.objects.filter(action="auth.totp_failed").count() == 1
    report.refresh_from_db()
    assert report.status == "assembled"


def test_the_president_reviews_and_then_it_is_final(september, client):
    login_as(client, september.custodian)
    _assemble(client)
    report = CourtReport.objects.get()
    login_as(client, september.approver)
    assert _review(client, report).status_code == 302
    report.refresh_from_db()
    assert report.status == "reviewed" and report.reviewed_by == september.people["approver"]
    assert report.review_note.startswith("已阅")
    login_as(client, september.custodian)
    file_report(september.people["head"])
    _assemble(client)
    report.refresh_from_db()
    assert report.figures["reported"] == 4
    assert AuditEvent.objects.filter(action="reporting.court_review").count() == 1


def test_a_reviewed_report_is_not_reviewed_twice(september, client):
    report = court.court_report_assemble(
        actor=_actor(september.custodian), month=SEPTEMBER, confirm=True
    )
    login_as(client, september.approver)
    _review(client, report, note="第一次")
    _review(client, report, note="第二次")
    report.refresh_from_db()
    assert report.review_note == "第一次"


def _actor(user):
    from mingjing.security.actor import actor_for

    return actor_for(user)


@pytest.mark.parametrize("username", ["approver", "head", "deptadmin", "leader", "personnel"])
def test_others_may_not_assemble(cast, client, username):
    login_as(client, cast.users[username])
    assert _assemble(client).status_code == 403
    assert not CourtReport.objects.exists()


@pytest.mark.parametrize("username", ["custodian", "inspector", "head", "staff"])
def test_only_the_president_reviews(cast, client, username):
    report = court.court_report_assemble(
        actor=_actor(cast.custodian), month=SEPTEMBER, confirm=True
    )
    login_as(client, cast.users[username])
    assert _review(client, report).status_code == 403
    report.refresh_from_db()
    assert report.status == "assembled"


def test_another_courts_report_is_not_found(cast, client):
    other = CourtReport.objects.create(
        court=cast.courts["b"],
        month=SEPTEMBER,
        assembled_by=cast.people["other_court"],
        assembled_at=timezone.now(),
    )
    login_as(client, cast.approver)
    assert _review(client, other).status_code == 404
    other.refresh_from_db()
    assert other.status == "assembled"


def test_the_president_sees_the_review_form(september, client):
    court.court_report_assemble(actor=_actor(september.custodian), month=SEPTEMBER, confirm=True)
    login_as(client, september.approver)
    response = client.get(reverse("court_reporting:month") + "?month=2026-09")
    assert response.context["may_review"] and not response.context["may_assemble"]
    assert 'name="note"' in response.content.decode()
