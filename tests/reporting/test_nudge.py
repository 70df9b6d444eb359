"""催报 (issue 10 point 11): the head reminds his department's staff who have not reported a
month, from the department page; once a day per person; audited; heads only, own department."""

from django.urls import reverse
from django.utils import timezone

from mingjing.notify.models import Notification
from mingjing.reporting.calendar import next_month
from mingjing.reporting.services import current_month
from mingjing.security.models import AuditEvent
from tests.conftest import login_as
from tests.reporting.helpers import file_report

MONTH = f"{current_month():%Y-%m}"


def _nudge(client, cast, month=MONTH, department="civil"):
    url = reverse("reporting:department_nudge", args=[cast.departments[department].id])
    return client.post(url, {"month": month})


def _page(client, response) -> str:
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


def test_the_head_reminds_his_staff_who_have_not_reported(cast, client):
    file_report(cast.staff2, zero=True, when=timezone.now(), month=current_month())
    login_as(client, cast.head)
    department = client.get(
        reverse("reporting:department", args=[cast.departments["civil"].id])
    ).content.decode()
    assert 'data-testid="nudge"' in department
    page = _page(client, _nudge(client, cast))
    assert "已催报 2 人" in page  # staff and deptadmin; staff2 has reported, he is the head
    login_as(client, cast.staff)
    mine = client.get(reverse("notify:list")).content.decode()
    assert f"请报送 {MONTH} 月度报告" in mine
    reminded = set(
        Notification.objects.filter(kind="monthly-nudge").values_list(
            "recipient__username", flat=True
        )
    )
    assert reminded == {"staff", "deptadmin"}
    event = AuditEvent.objects.get(action="reporting.staff_nudge")
    assert event.detail == {"month": MONTH, "missing": 2, "created": 2}


def test_pressing_twice_the_same_day_reminds_once_and_is_audited_twice(cast, client):
    login_as(client, cast.head)
    _nudge(client, cast)
    before = Notification.objects.count()
    page = _page(client, _nudge(client, cast))
    assert "今天已催报过这些人员" in page
    assert Notification.objects.count() == before
    assert AuditEvent.objects.filter(action="reporting.staff_nudge").count() == 2


def test_only_the_head_of_the_department_may(cast, client):
    for name in ("deptadmin", "staff", "leader", "inspector", "custodian"):
        login_as(client, cast.users[name])
        assert _nudge(client, cast).status_code == 403, name
    login_as(client, cast.other_court)
    assert _nudge(client, cast).status_code == 404
    assert not Notification.objects.exists()
    assert not AuditEvent.objects.filter(action="reporting.staff_nudge").exists()


def test_the_button_is_the_heads_only(cast, client):
    login_as(client, cast.deptadmin)
    response = client.get(reverse("reporting:department", args=[cast.departments["civil"].id]))
    assert response.status_code == 200
    assert 'data-testid="missing-people"' in response.content.decode()
    assert 'data-testid="nudge"' not in response.content.decode()


def test_a_future_month_is_refused(cast, client):
    login_as(client, cast.head)
    future = f"{next_month(current_month()):%Y-%m}"
    page = _page(client, _nudge(client, cast, month=future))
    assert "不能催报以后月份的报告" in page
    assert not Notification.objects.exists()


def test_a_bad_month_changes_nothing(cast, client):
    login_as(client, cast.head)
    page = _page(client, _nudge(client, cast, month="2026-13"))
    assert "月份格式应为 YYYY-MM" in page
    assert not Notification.objects.exists()
