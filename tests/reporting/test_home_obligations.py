"""Home shows every open obligation, not just this month's (issue 10 point 2): an earlier
month's missing report, a returned one, a head's earlier reviews still waiting, the
department reports the inspection office received, the court report awaiting the president;
each links to where it is acted on; the page's query count does not grow with months."""

from datetime import datetime, time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mingjing.accounts.models import User
from mingjing.reporting import calendar
from mingjing.reporting.models import DepartmentReport, MonthlyReport
from mingjing.reporting.services import current_month
from tests.conftest import login_as
from tests.reporting.helpers import file_report, post_confirmed, review

NOW = current_month()
PREVIOUS = calendar.previous_month(NOW)
EARLIER = calendar.previous_month(PREVIOUS)
LONG_AGO = calendar.previous_month(calendar.previous_month(EARLIER))


def _label(month) -> str:
    return f"{month:%Y-%m}"


def _in_month(month):
    """A moment inside `month` (its 3rd, 10:00)."""
    return timezone.make_aware(datetime.combine(month.replace(day=3), time(10)))


def _joined(*users, month=LONG_AGO) -> None:
    """Accounts that existed since `month` (a report is owed from the month one joined)."""
    User.objects.filter(pk__in=[u.pk for u in users]).update(date_joined=_in_month(month))


def _home(client, user) -> str:
    login_as(client, user)
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    return response.content.decode()


def _link(name, month, *args) -> str:
    return reverse(name, args=list(args)) + f"?month={_label(month)}"


def test_staff_sees_earlier_missing_months_and_a_returned_report(cast, client):
    _joined(cast.staff)
    file_report(cast.staff, zero=True, when=_in_month(EARLIER), month=EARLIER)
    old = file_report(cast.staff, zero=True, when=_in_month(LONG_AGO), month=LONG_AGO)
    review(cast.head, old, approve=False, reason="请核对")
    page = _home(client, cast.staff)
    assert f"报送 {_label(NOW)} 月报告" in page
    assert f"报送 {_label(PREVIOUS)} 月报告" in page  # the month before, still missing
    assert _link("reporting:personal", PREVIOUS) in page
    assert f"修改并重新报送 {_label(LONG_AGO)} 月报告" in page  # returned, however old
    assert "请核对" not in page  # the reason is read on the report page
    assert f"报送 {_label(EARLIER)} 月报告" not in page  # filed


def test_no_report_is_owed_for_months_before_the_account(cast, client):
    _joined(cast.staff, month=NOW)
    page = _home(client, cast.staff)
    assert f"报送 {_label(NOW)} 月报告" in page
    assert f"报送 {_label(PREVIOUS)} 月报告" not in page


def test_the_head_sees_earlier_reviews_and_department_reports(cast, client):
    _joined(cast.head, cast.staff, cast.staff2)
    file_report(cast.staff, zero=True, when=_in_month(PREVIOUS), month=PREVIOUS)
    file_report(cast.staff2, zero=True, when=_in_month(EARLIER), month=EARLIER)
    page = _home(client, cast.head)
    civil = cast.departments["civil"].id
    for month in (PREVIOUS, EARLIER):
        assert f"审核 {_label(month)} 月报告" in page
        assert _link("reporting:department", month, civil) in page
        assert f"报送 {_label(month)} 部门月报告" in page
    DepartmentReport.objects.create(
        court=cast.courts["a"],
        department=cast.departments["civil"],
        month=EARLIER,
        submitted_by=cast.people["head"],
        submitted_at=_in_month(EARLIER),
    )
    page = _home(client, cast.head)
    assert f"报送 {_label(PREVIOUS)} 部门月报告" in page
    assert f"报送 {_label(EARLIER)} 部门月报告" not in page


def test_the_inspection_office_sees_received_department_reports_until_assembled(cast, client):
    login_as(client, cast.head)
    url = reverse("reporting:department_submit", args=[cast.departments["civil"].id])
    assert post_confirmed(client, url, {"month": _label(PREVIOUS)}).status_code == 302
    page = _home(client, cast.inspector)
    assert f"{_label(PREVIOUS)} 部门月报告" in page
    assert "已收到 1 个部门的月报告" in page
    assert _link("court_reporting:month", PREVIOUS) in page
    response = post_confirmed(
        client, reverse("court_reporting:assemble"), {"month": _label(PREVIOUS)}
    )
    assert response.status_code == 302
    page = _home(client, cast.inspector)
    assert "已收到 1 个部门的月报告" not in page
    approver = _home(client, cast.approver)
    assert "审查全院月度报告" in approver
    assert f"{_label(PREVIOUS)} 全院月度报告已汇总，待您审查" in approver


def test_the_custodian_sees_a_heads_report_to_review(cast, client):
    _joined(cast.head)
    file_report(cast.head, zero=True, when=_in_month(PREVIOUS), month=PREVIOUS)
    page = _home(client, cast.custodian)
    assert f"审核 {_label(PREVIOUS)} 月报告" in page


def _home_queries(client, user) -> int:
    login_as(client, user)
    client.get(reverse("web:home"))  # warm the session and caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("web:home")).status_code == 200
    return len(captured)


def test_the_home_pages_query_count_does_not_grow_with_months(
    cast, client, django_assert_max_num_queries
):
    _joined(cast.head, cast.staff, cast.staff2)
    file_report(cast.staff, zero=True, when=_in_month(PREVIOUS), month=PREVIOUS)
    few = {name: _home_queries(client, cast.users[name]) for name in ("head", "staff")}
    for month in (EARLIER, LONG_AGO, calendar.previous_month(LONG_AGO)):
        for user in (cast.staff, cast.staff2):
            report = file_report(user, zero=True, when=_in_month(month), month=month)
            if month == LONG_AGO:
                review(cast.head, report, approve=False, reason="请核对")
    assert MonthlyReport.objects.count() == 7
    for name in ("head", "staff"):
        assert _home_queries(client, cast.users[name]) == few[name], name
    login_as(client, cast.head)
    with django_assert_max_num_queries(30):
        client.get(reverse("web:home"))
