"""Issue 10 points 3-5: the month as its users meet it, through the web client, role by role.

The fixture month is last month: what happened in it is filed through the services at its own
moments (the 2nd, the 20th...), and what people do now (after its end) they do on the pages.
"""

from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mingjing.reporting import calendar, services
from mingjing.reporting.models import CourtReport, DepartmentReport, MonthlyReport, ReportKind
from mingjing.security.actor import actor_for
from tests.conftest import login_as, make_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def login():
    """Each role on its own client (its own session), as people on their own phones."""

    def signed_in(user):
        client = Client()
        login_as(client, user)
        return client

    return signed_in


THIS = services.current_month()
LAST = calendar.previous_month(THIS)
LAST_TEXT = f"{LAST:%Y-%m}"


def on(day: int, hour: int = 10, month=LAST) -> datetime:
    return timezone.make_aware(datetime(month.year, month.month, day, hour))


def record_on(person, when: datetime, **options):
    from mingjing.records.models import Record

    record = make_record(person, **options)
    Record.objects.filter(pk=record.pk).update(submitted_at=when)
    record.refresh_from_db()
    return record


def file(user, *, zero: bool, when: datetime, month=LAST):
    return services.monthly_report_submit(
        actor=actor_for(user), month=month, zero=zero, affirm=zero, now=when
    )


def department_url(cast, key="civil", month=LAST_TEXT) -> str:
    return reverse("reporting:department", args=[cast.departments[key].id]) + f"?month={month}"


def approve(client, report):
    return client.post(reverse("reporting:review", args=[report.id]), {"decision": "approve"})


def send_department(client, cast, key="civil"):
    url = reverse("reporting:department_submit", args=[cast.departments[key].id])
    confirm = client.post(url, {"month": LAST_TEXT})
    assert confirm.status_code == 200
    data = {"month": LAST_TEXT, "confirm": "on", "missing": confirm.context["missing_ids"]}
    return client.post(url, data, follow=True)


# --- Point 3: no hollow reports ---------------------------------------------------------------


def test_a_zero_report_before_the_months_end_says_so_far(cast, login):
    client = login(cast.staff)
    page = client.get(reverse("reporting:personal")).content.decode()
    today = f"{timezone.localdate():%Y-%m-%d}"
    assert f"截至{today}，本人本月无过问" in page and "本月尚未结束" in page
    response = client.post(
        reverse("reporting:personal_submit"),
        {"month": f"{THIS:%Y-%m}", "zero": "on", "affirm": "on"},
        follow=True,
    )
    html = response.content.decode()
    assert "零报告已提交（截至目前）" in html and "这是截至目前的零报告" in html
    report = MonthlyReport.objects.get(person=cast.people["staff"])
    assert report.zero_unconfirmed and report.declaration == f"截至{today}，" + (
        services.ZERO_DECLARATION
    )
    assert report.declaration_version == services.DECLARATION_VERSION


def test_the_so_far_zero_report_is_reconfirmed_after_the_month(cast, login):
    report = file(cast.staff, zero=True, when=on(2))
    assert report.zero_unconfirmed and report.zero_through == on(2).date()
    client = login(cast.staff)
    home = client.get("/").content.decode()
    assert f"确认 {LAST_TEXT} 全月零报告" in home
    page = client.get(reverse("reporting:personal"), {"month": LAST_TEXT}).content.decode()
    assert "请确认全月零报告" in page and services.ZERO_DECLARATION in page

    url = reverse("reporting:personal_confirm")
    refused = client.post(url, {"month": LAST_TEXT}, follow=True)
    assert "请勾选" in refused.content.decode()
    report.refresh_from_db()
    assert report.zero_unconfirmed

    done = client.post(url, {"month": LAST_TEXT, "affirm": "on"}, follow=True)
    assert "已确认全月零报告" in done.content.decode()
    report.refresh_from_db()
    assert report.is_final and report.declaration == services.ZERO_DECLARATION
    home = client.get(reverse("web:home"))
    assert home.status_code == 200 and f"确认 {LAST_TEXT} 全月零报告" not in home.content.decode()


def test_the_current_month_cannot_be_confirmed_before_its_end(cast, login):
    file(cast.staff, zero=True, when=timezone.now(), month=THIS)
    client = login(cast.staff)
    response = client.post(
        reverse("reporting:personal_confirm"),
        {"month": f"{THIS:%Y-%m}", "affirm": "on"},
        follow=True,
    )
    assert response.status_code == 200 and "月末之后才能确认" in response.content.decode()
    assert MonthlyReport.objects.get().zero_unconfirmed


def test_until_reconfirmed_the_month_is_not_finally_reported(cast, login):
    file(cast.staff, zero=True, when=on(2))
    client = login(cast.custodian)
    overview = client.get(reverse("court_reporting:month"), {"month": LAST_TEXT}).context[
        "overview"
    ]
    civil = next(r for r in overview.rows if r.department == cast.departments["civil"])
    assert civil.reported == 0 and civil.so_far == 1 and civil.zero == 0


def test_the_head_sends_with_missing_staff_named_and_confirmed(cast, login):
    record_on(cast.people["staff"], on(3))
    report = file(cast.staff, zero=False, when=on(5))
    client = login(cast.head)
    approve(client, report)
    url = reverse("reporting:department_submit", args=[cast.departments["civil"].id])
    confirm = client.post(url, {"month": LAST_TEXT})
    html = confirm.content.decode()
    assert confirm.status_code == 200 and "确认报送督察室" in html
    for name in ("测试staff2", "测试head", "测试deptadmin"):
        assert name in html
    assert not DepartmentReport.objects.exists()

    # A list confirmed before someone else went missing or reported is asked again.
    stale = client.post(url, {"month": LAST_TEXT, "confirm": "on", "missing": ""}, follow=True)
    assert "请确认后再报送" in stale.content.decode()
    assert not DepartmentReport.objects.exists()

    done = send_department(client, cast)
    assert "部门月报告已报送督察室" in done.content.decode()
    sent = DepartmentReport.objects.get()
    assert {p["name"] for p in sent.figures["missing_people"]} == {
        "测试staff2",
        "测试head",
        "测试deptadmin",
    }
    report.refresh_from_db()
    assert report.forwarded_at is not None and not report.forwarded_late


def test_the_court_report_shows_the_missing_and_rates_over_the_expected(cast, login):
    file(cast.staff2, zero=True, when=on(28))  # "so far", re-confirmed on the 1st
    services.zero_report_confirm(
        actor=actor_for(cast.staff2), month=LAST, affirm=True, now=on(1, month=THIS)
    )
    client = login(cast.custodian)
    url = reverse("court_reporting:assemble")
    confirm = client.post(url, {"month": LAST_TEXT})
    assert confirm.status_code == 200 and not CourtReport.objects.exists()
    totals = confirm.context["overview"].totals
    html = confirm.content.decode()
    assert f"1 / {totals.staff}" in html and "测试staff" in html
    assert totals.staff > 1 and totals.zero_rate == 1 / totals.staff

    client.post(url, {"month": LAST_TEXT, "confirm": "yes"})
    figures = CourtReport.objects.get().figures
    assert figures["zero"] == 1 and figures["missing"] == totals.staff - 1
    assert figures["zero_rate"] == round(1 / totals.staff, 4) and figures["zero_rate"] < 1
    page = client.get(reverse("court_reporting:month"), {"month": LAST_TEXT}).content.decode()
    assert "零报告率（按应报告人数）" in page and "测试head" in page


# --- Point 4: late and supplementary reports after the department report ---------------------


def test_late_and_supplementary_reports_reach_the_office_after_the_department_report(cast, login):
    record_on(cast.people["staff"], on(3))
    first = file(cast.staff, zero=False, when=on(5))
    head = login(cast.head)
    approve(head, first)
    send_department(head, cast)

    later = record_on(cast.people["staff"], on(27))
    supplement = file(cast.staff, zero=False, when=on(28))
    late = file(cast.staff2, zero=True, when=on(1, month=THIS))  # after the month: final
    assert supplement.kind == ReportKind.SUPPLEMENTARY and late.is_late

    page = head.get(department_url(cast)).content.decode()
    assert page.count("审核通过并补报督察室") == 2
    for report in (supplement, late):
        assert approve(head, report).status_code == 302
        report.refresh_from_db()
        assert report.forwarded_late and report.forwarded_at is not None
    office = login(cast.inspector)
    overview = office.get(reverse("court_reporting:month"), {"month": LAST_TEXT}).context[
        "overview"
    ]
    assert overview.totals.forwarded_late == 2 and overview.totals.supplementary == 1
    lines = office.get(
        reverse("court_reporting:department_month", args=[cast.departments["civil"].id]),
        {"month": LAST_TEXT},
    ).context["rows"]
    assert sum(line.records for line in lines) == 2
    assert later in supplement.records.all()


# --- Point 5: around a named head, and 信息直报 -------------------------------------------------


def test_a_report_naming_the_head_goes_around_him_to_the_custodian(cast, login):
    named = record_on(cast.people["staff2"], on(4), subject_person=cast.people["head"])
    report = file(cast.staff2, zero=False, when=on(6))
    head = login(cast.head)
    response = head.get(department_url(cast))
    assert response.status_code == 200
    view = response.context["view"]
    assert [row.report for row in view.rows] == []
    assert view.counts["unreviewed"] == 0 and view.counts["reported"] == 0
    assert cast.people["staff2"] not in view.missing  # nothing that singles him out
    html = response.content.decode()
    assert "测试staff2" not in html and "记录数 0" not in html
    assert (
        head.post(
            reverse("reporting:review", args=[report.id]), {"decision": "approve"}
        ).status_code
        == 404
    )
    summaries = head.get(reverse("reporting:departments"), {"month": LAST_TEXT}).context[
        "summaries"
    ]
    assert summaries[0][1]["reported"] == 0
    # His home page has no review task for it either; the custodian's has.
    home = head.get(reverse("web:home"))
    assert home.status_code == 200 and f"审核 {LAST_TEXT} 月报告" not in home.content.decode()
    custodian_home = login(cast.custodian).get(reverse("web:home")).content.decode()
    assert f"审核 {LAST_TEXT} 月报告" in custodian_home

    custodian = login(cast.custodian)
    page = custodian.get(department_url(cast)).content.decode()
    assert "测试staff2" in page and "审核通过" in page
    assert approve(custodian, report).status_code == 302
    report.refresh_from_db()
    assert report.status == "approved" and report.forwarded_at is not None
    assert named in report.records.all()
    # The head's department report is not held up by it.
    assert "部门月报告已报送督察室" in send_department(head, cast).content.decode()


def test_a_staff_member_reports_a_record_directly_to_the_inspection_office(cast, login):
    record = record_on(cast.people["staff"], timezone.now())
    client = login(cast.staff)
    page = client.get(reverse("reporting:personal")).content.decode()
    assert "直报督察室" in page and "不经部门负责人审核" in page
    url = reverse("reporting:personal_direct")
    month = f"{THIS:%Y-%m}"
    unticked = client.post(url, {"month": month, "record": record.id}, follow=True)
    assert "请勾选确认" in unticked.content.decode()
    assert not MonthlyReport.objects.exists()
    done = client.post(url, {"month": month, "record": record.id, "confirm": "on"}, follow=True)
    assert "已直报督察室" in done.content.decode()
    direct = MonthlyReport.objects.get()
    assert direct.kind == ReportKind.DIRECT and list(direct.records.all()) == [record]

    this_month = department_url(cast, month=month)
    head = login(cast.head)
    response = head.get(this_month)
    assert response.status_code == 200 and response.context["view"].rows == []
    assert reverse("records:detail", args=[record.id]) not in response.content.decode()
    # Nor does he read the record by reviewing his department: 404 on the record, and his
    # records list still answers without it.
    assert head.get(reverse("records:detail", args=[record.id])).status_code == 404
    listing = head.get(reverse("records:list"))
    assert listing.status_code == 200
    assert reverse("records:detail", args=[record.id]) not in listing.content.decode()
    assert (
        head.post(
            reverse("reporting:review", args=[direct.id]), {"decision": "approve"}
        ).status_code
        == 404
    )

    custodian = login(cast.custodian)
    assert custodian.get(reverse("records:detail", args=[record.id])).status_code == 200
    assert "直报督察室" in custodian.get(this_month).content.decode()
    assert approve(custodian, direct).status_code == 302
    direct.refresh_from_db()
    assert direct.status == "approved" and direct.forwarded_at is not None
    # The regular report of the month still needs filing; the direct record is not in it.
    assert services.unreported_records(cast.people["staff"], THIS).count() == 0


def test_someone_elses_record_cannot_be_reported_directly(cast, login):
    record = record_on(cast.people["staff2"], timezone.now())
    client = login(cast.staff)
    response = client.post(
        reverse("reporting:personal_direct"),
        {"month": f"{THIS:%Y-%m}", "record": record.id, "confirm": "on"},
        follow=True,
    )
    assert response.status_code == 200 and "请选择本月尚未报告的记录" in response.content.decode()
    assert not MonthlyReport.objects.exists()


def test_a_report_naming_the_head_and_the_custodian_goes_to_the_approver(cast, login):
    record_on(cast.people["staff2"], on(4), subject_person=cast.people["head"])
    record_on(cast.people["staff2"], on(5), subject_person=cast.people["custodian"])
    report = file(cast.staff2, zero=False, when=on(6))
    review_url = reverse("reporting:review", args=[report.id])
    for user in (cast.head, cast.custodian):
        client = login(user)
        home = client.get(reverse("web:home"))
        assert home.status_code == 200 and f"审核 {LAST_TEXT} 月报告" not in home.content.decode()
        assert client.post(review_url, {"decision": "approve"}).status_code == 404
    approver = login(cast.approver)
    home = approver.get(reverse("web:home"))
    assert home.status_code == 200 and f"审核 {LAST_TEXT} 月报告" in home.content.decode()
    page = approver.get(department_url(cast))
    assert page.status_code == 200 and review_url in page.content.decode()
    assert approver.post(review_url, {"decision": "approve"}).status_code == 302
    report.refresh_from_db()
    assert report.status == "approved" and report.reviewed_by == cast.people["approver"]
