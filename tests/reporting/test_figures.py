"""Issue 10 point 6: every total agrees with its breakdown.

A fixture month with a late report, a supplementary report, a report going around the head (a
record names him), a direct report, a "so far" zero report and missing people. The test walks
every total on the court month page (totals = sum of departments, each department = sum of the
people its drill-down lists), on the department page (counts = its rows and missing list) and
on the compliance pages (court = sum of departments), as their users open them.
"""

import re
from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mingjing.reporting import calendar, court, services
from mingjing.reporting.models import ReportKind
from mingjing.security.actor import actor_for
from tests.conftest import login_as, make_record

pytestmark = pytest.mark.django_db

MONTH = calendar.previous_month(services.current_month())
TEXT = f"{MONTH:%Y-%m}"


def on(day: int, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(MONTH.year, MONTH.month, day, hour))


def after() -> datetime:
    start = calendar.next_month(MONTH)
    return timezone.make_aware(datetime(start.year, start.month, 1, 9))


def record_on(person, when, **options):
    from mingjing.records.models import Record

    record = make_record(person, **options)
    Record.objects.filter(pk=record.pk).update(submitted_at=when)
    return Record.objects.get(pk=record.pk)


def client_for(user) -> Client:
    client = Client()
    login_as(client, user)
    return client


@pytest.fixture
def month(cast):
    people, civil = cast.people, cast.departments["civil"]
    submit = services.monthly_report_submit
    # staff: two records, a regular report, then a supplementary one after the department
    # report; staff2: a record naming the head (goes around him) and a direct report;
    # deptadmin: a "so far" zero report never re-confirmed; head: missing; custodian: late zero.
    record_on(people["staff"], on(3))
    regular = submit(actor=actor_for(cast.staff), month=MONTH, zero=False, now=on(5))
    record_on(people["staff2"], on(4), subject_person=people["head"])
    around = submit(actor=actor_for(cast.staff2), month=MONTH, zero=False, now=on(6))
    direct_record = record_on(people["staff2"], on(7))
    services.direct_report_submit(
        actor=actor_for(cast.staff2), month=MONTH, record_ids=[direct_record.id], now=on(7)
    )
    so_far = submit(actor=actor_for(cast.deptadmin), month=MONTH, zero=True, affirm=True, now=on(2))
    services.monthly_report_review(actor=actor_for(cast.head), report=so_far, approve=True)
    services.monthly_report_review(actor=actor_for(cast.head), report=regular, approve=True)
    services.monthly_report_review(actor=actor_for(cast.custodian), report=around, approve=True)
    missing = [p.id for p in services.missing_people(civil, MONTH)]
    services.department_report_submit(
        actor=actor_for(cast.head), department=civil, month=MONTH, confirm=True, missing_ids=missing
    )
    record_on(people["staff"], on(27))
    late = submit(actor=actor_for(cast.staff), month=MONTH, zero=False, now=after())
    services.monthly_report_review(actor=actor_for(cast.head), report=late, approve=True)
    submit(actor=actor_for(cast.custodian), month=MONTH, zero=True, affirm=True, now=after())
    return cast


def _sum(items, name):
    return sum(getattr(item, name) for item in items)


def test_the_fixture_month_has_every_kind_of_report(month):
    kinds = {r.kind for r in court.MonthlyReport.objects.filter(month=MONTH)}
    assert kinds == {ReportKind.REGULAR, ReportKind.SUPPLEMENTARY, ReportKind.DIRECT}


def test_every_court_total_is_the_sum_of_its_breakdown(month):
    office = client_for(month.inspector)
    response = office.get(reverse("court_reporting:month"), {"month": TEXT})
    assert response.status_code == 200
    overview = response.context["overview"]
    html = response.content.decode()
    for name in court.FIGURES:
        assert getattr(overview.totals, name) == _sum(overview.rows, name), name
        shown = re.search(rf'data-testid="total-{name}">(\d+)', html)
        assert shown is None or int(shown.group(1)) == getattr(overview.totals, name), name
    assert overview.totals.by_category == _merged(row.by_category for row in overview.rows)
    checked = 0
    for row in overview.rows:
        if row.department is None:
            continue
        url = reverse("court_reporting:department_month", args=[row.department.id])
        drill = office.get(url, {"month": TEXT})
        assert drill.status_code == 200
        lines = drill.context["rows"]
        for name in court.FIGURES:
            assert getattr(row, name) == _sum(lines, name), (row.department.name, name)
        assert row.by_category == _merged(line.by_category for line in lines)
        assert (
            sum(int(n) for n in re.findall(r'data-figure="records">(\d+)', drill.content.decode()))
            == row.records
        )
        checked += 1
    assert checked >= 2
    civil = next(r for r in overview.rows if r.department == month.departments["civil"])
    # staff (regular + supplementary), staff2 (around the head + direct): 4 records.
    assert (civil.records, civil.supplementary, civil.direct, civil.forwarded_late) == (4, 1, 1, 1)
    assert (civil.reported, civil.so_far, civil.missing) == (2, 1, 1)


def test_the_court_report_figures_are_the_pages_figures(month):
    figures = court.court_figures(month.courts["a"], MONTH)
    overview = court.court_month_for(month.courts["a"], MONTH)
    for name in court.FIGURES:
        assert figures[name] == getattr(overview.totals, name)
        assert figures[name] == sum(d[name] for d in figures["by_department"].values())
    assert len(figures["missing_people"]) == figures["missing"]


def test_every_department_page_count_is_the_sum_of_its_rows(month):
    for user in (month.custodian, month.head, month.leader, month.deptadmin):
        client = client_for(user)
        response = client.get(
            reverse("reporting:department", args=[month.departments["civil"].id]),
            {"month": TEXT},
        )
        assert response.status_code == 200
        view = response.context["view"]
        regular = [r.report for r in view.rows if r.report.kind == ReportKind.REGULAR]
        assert view.counts["reported"] == sum(1 for r in regular if r.is_final)
        assert view.counts["so_far"] == sum(1 for r in regular if not r.is_final)
        assert view.counts["missing"] == len(view.missing)
        assert view.counts["unreviewed"] == sum(
            1 for r in view.rows if r.report.status == "submitted"
        )
        summaries = client.get(reverse("reporting:departments"), {"month": TEXT}).context[
            "summaries"
        ]
        civil = next(c for d, c, _sent in summaries if d == month.departments["civil"])
        assert {k: civil[k] for k in ("reported", "zero", "missing")} == {
            k: view.counts[k] for k in ("reported", "zero", "missing")
        }


def test_the_head_sees_no_count_of_the_report_that_went_around_him(month):
    response = client_for(month.head).get(
        reverse("reporting:department", args=[month.departments["civil"].id]), {"month": TEXT}
    )
    assert response.status_code == 200
    view = response.context["view"]
    people = {row.report.person.name for row in view.rows}
    assert people == {"测试staff", "测试deptadmin"}  # staff2's reports are not his to see
    assert view.counts["reported"] == 1 and view.counts["so_far"] == 1


def test_every_compliance_total_is_the_sum_of_its_departments(month):
    response = client_for(month.custodian).get(reverse("court_reporting:compliance"), {"end": TEXT})
    assert response.status_code == 200
    figures = response.context["figures"]
    for i, total in enumerate(figures.court_rates):
        rates = [d.rates[i] for d in figures.departments]
        assert total.expected == _sum(rates, "expected")
        assert total.reported == _sum(rates, "reported")
        assert total.on_time == _sum(rates, "on_time")
    assert figures.court_reports == _sum(figures.departments, "reports")
    assert figures.court_zero == _sum(figures.departments, "zero")
    last = {d.department.code: d.rates[-1] for d in figures.departments}
    assert last["MY1"].reported == 2  # the "so far" zero report does not count yet


def _merged(dicts):
    result: dict = {}
    for found in dicts:
        for key, n in found.items():
            result[key] = result.get(key, 0) + n
    return result
