"""Events notify at once (issue 10 point 1): after the acting user's POST, the person who must
act finds it in his notification list, with no subject and no contents; a person the records
name gets nothing; email reaches a real local SMTP server once, when configured."""

import socket
from datetime import timedelta

import pyotp
import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from mingjing.notify.models import Notification
from mingjing.org.roles import Role
from mingjing.reporting.models import CourtReport, MonthlyReport
from mingjing.reporting.services import current_month
from mingjing.security.authn import totp_begin_enrolment, totp_verify
from tests.conftest import SECRET_CONTENT, SECRET_SUBJECT, grant_role, login_as, make_record
from tests.recording.conftest import form_data, form_time, submit_form
from tests.reporting.helpers import file_report, post_confirmed, review

REASON = "核查举报线索：反映该案承办人受到请托，需核实记录"
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def _list(client, user) -> str:
    """His notification list, as he opens it."""
    login_as(client, user)
    response = client.get(reverse("notify:list"))
    assert response.status_code == 200
    return response.content.decode()


def _month() -> str:
    return f"{current_month():%Y-%m}"


def _return(client, cast) -> MonthlyReport:
    report = file_report(cast.staff, zero=True, when=timezone.now(), month=current_month())
    login_as(client, cast.head)
    url = reverse("reporting:review", args=[report.id])
    client.post(url, {"decision": "return", "reason": "零报告有误请核对"})
    report.refresh_from_db()
    assert report.status == "returned"
    return report


# --- a returned report --------------------------------------------------------------------


def test_a_returned_report_tells_its_reporter_at_once(cast, client):
    _return(client, cast)
    page = _list(client, cast.staff)
    assert f"{_month()} 月报告被退回，请修改后重新报送" in page
    assert "零报告有误请核对" not in page  # the reason is read on the report page
    assert not Notification.objects.filter(recipient=cast.staff2).exists()


def test_a_resubmitted_report_goes_back_to_the_head(cast, client):
    report = _return(client, cast)
    login_as(client, cast.staff)
    response = client.post(
        reverse("reporting:personal_submit"), {"month": _month(), "zero": "on", "affirm": "on"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"
    assert "已重新报送，待审核" in _list(client, cast.head)


# --- disclosure requests ------------------------------------------------------------------


def _ask(client, cast, record) -> None:
    login_as(client, cast.inspector)
    data = {"kind": "view", "records": f"{record.id}", "reason": REASON, "days": 7}
    response = client.post(reverse("oversight:disclosure_new"), data)
    assert response.status_code == 302


def test_a_disclosure_request_tells_the_approver(cast, records, client):
    _ask(client, cast, records.own)
    page = _list(client, cast.approver)
    assert "待审批" in page
    assert SECRET_SUBJECT not in page and SECRET_CONTENT not in page


def test_a_disclosure_request_about_the_approver_goes_around_him(cast, client):
    second = cast.people["leader"]
    grant_role(second, Role.APPROVER)
    about_him = make_record(cast.people["staff2"], subject_person=cast.people["approver"])
    _ask(client, cast, about_him)
    assert "待审批" in _list(client, second.user)
    assert "待审批" not in _list(client, cast.approver)
    assert not Notification.objects.filter(recipient=cast.approver).exists()


def test_the_decision_tells_the_requester(cast, records, client):
    _ask(client, cast, records.own)
    secret = totp_begin_enrolment(user=cast.approver)
    totp = pyotp.TOTP(secret)
    assert totp_verify(user=cast.approver, code=totp.at(timezone.now() - timedelta(seconds=30)))
    login_as(client, cast.approver)
    disclosure = Notification.objects.get(recipient=cast.approver).url
    response = client.post(disclosure, {"decision": "approve", "otp": totp.now(), "note": "同意"})
    assert response.status_code == 302
    assert "已批准" in _list(client, cast.inspector)


# --- a late contact report -----------------------------------------------------------------


def _late_contact(client, cast, **extra) -> None:
    login_as(client, cast.staff)
    data = form_data(
        category="improper_contact",
        subject_kind="party",
        behaviour="contact",
        off_hours_contact="on",
        occurred_at=form_time(timedelta(days=-5)),
        late_reason="出差在外，回院后补报",
        **extra,
    )
    assert submit_form(client, reverse("records:new"), data).status_code == 302


def test_a_late_contact_report_tells_the_inspection_office(cast, client):
    _late_contact(client, cast)
    for user in (cast.custodian, cast.inspector):
        page = _list(client, user)
        assert "有 1 件接触报告逾期提交" in page
        assert "王某" not in page and "出差在外" not in page
    assert not Notification.objects.filter(recipient=cast.staff).exists()


def test_a_late_contact_report_naming_the_custodian_skips_him(cast, client):
    _late_contact(client, cast, subject_name=cast.people["custodian"].name)
    assert "有 1 件接触报告逾期提交" in _list(client, cast.inspector)
    assert "接触报告逾期提交" not in _list(client, cast.custodian)


# --- the department report and the court report ------------------------------------------------


def test_a_department_report_tells_the_inspection_office(cast, client):
    login_as(client, cast.head)
    url = reverse("reporting:department_submit", args=[cast.departments["civil"].id])
    assert post_confirmed(client, url, {"month": _month()}).status_code == 302
    for user in (cast.custodian, cast.inspector):
        assert f"民事审判第一庭 已报送 {_month()} 部门月报告" in _list(client, user)
    assert not Notification.objects.filter(recipient=cast.staff).exists()


def test_the_court_report_awaits_the_president_and_his_review_returns(cast, client):
    login_as(client, cast.inspector)
    response = post_confirmed(client, reverse("court_reporting:assemble"), {"month": _month()})
    assert response.status_code == 302
    assert f"{_month()} 全院月度报告待您审查" in _list(client, cast.approver)
    home = client.get(reverse("web:home")).content.decode()
    assert "审查全院月度报告" in home  # and on his home page until he has
    report = CourtReport.objects.get()
    secret = totp_begin_enrolment(user=cast.approver)
    totp = pyotp.TOTP(secret)
    assert totp_verify(user=cast.approver, code=totp.at(timezone.now() - timedelta(seconds=30)))
    url = reverse("court_reporting:review", args=[report.id])
    client.post(url, {"note": "已阅", "otp": totp.now()})
    report.refresh_from_db()
    assert report.status == "reviewed"
    assert f"院长已审查 {_month()} 全院月度报告" in _list(client, cast.custodian)


# --- email ----------------------------------------------------------------------------------


class Inbox:
    """An aiosmtpd handler keeping what it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    with socket.socket() as probe:  # a free port (aiosmtpd checks readiness on the real one)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()


def test_the_event_is_emailed_once_to_a_real_smtp_server(
    cast, client, smtp, settings, django_capture_on_commit_callbacks
):
    port, inbox = smtp
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.DEFAULT_FROM_EMAIL = "mingjing@example.test"
    cast.staff.email = "staff@example.test"
    cast.staff.save()
    with override_settings(EMAIL_BACKEND=SMTP_BACKEND):
        with django_capture_on_commit_callbacks(execute=True):
            report = _return(client, cast)
        # The same event told again (a second click, a retry) makes no second email.
        with django_capture_on_commit_callbacks(execute=True):
            from mingjing.reporting import events

            events.returned(report)
    assert len(inbox.messages) == 1
    recipients, content = inbox.messages[0]
    assert recipients == ["staff@example.test"]
    assert "零报告有误请核对" not in content
    assert Notification.objects.get(recipient=cast.staff).emailed_at is not None


def test_no_email_leaves_without_a_host(cast, client, smtp, settings):
    port, inbox = smtp
    settings.EMAIL_HOST, settings.EMAIL_PORT = "", port
    cast.staff.email = "staff@example.test"
    cast.staff.save()
    with override_settings(EMAIL_BACKEND=SMTP_BACKEND):
        _return(client, cast)
    assert Notification.objects.filter(recipient=cast.staff).count() == 1
    assert inbox.messages == []


def test_a_return_through_the_service_notifies_too(cast):
    """A service-level return (no web client) notifies the same way."""
    report = file_report(cast.staff2, zero=True, when=timezone.now(), month=current_month())
    review(cast.head, report, approve=False, reason="请核对")
    assert Notification.objects.filter(recipient=cast.staff2, kind="report-returned").count() == 1


def test_a_resubmitted_report_naming_the_head_goes_to_the_custodian_not_to_him(cast, client):
    make_record(cast.people["staff"], subject_person=cast.people["head"])
    report = file_report(cast.staff, zero=False, when=timezone.now(), month=current_month())
    review(cast.custodian, report, approve=False, reason="请补充处理情况")
    login_as(client, cast.staff)
    response = client.post(reverse("reporting:personal_submit"), {"month": _month()})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"
    assert "已重新报送，待审核" in _list(client, cast.custodian)
    head_list = _list(client, cast.head)
    assert "已重新报送" not in head_list and "通知" in head_list
