"""/api/v1/reports: one's own reports, filing one, a department's month (counts only)."""

import pytest
from django.urls import reverse

from mingjing.api import reports as api_reports
from mingjing.api.v1 import openapi_document
from mingjing.reporting import selectors, services
from mingjing.reporting.models import MonthlyReport
from mingjing.security.actor import actor_for
from mingjing.security.authn import api_token_create
from tests.reporting.helpers import OCTOBER, at, file_report, record_submitted_at

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    _, secret = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post(client, user, body):
    return client.post(
        reverse("api:reports_submit"), body, content_type="application/json", **bearer(user)
    )


def department_url(cast, key="civil") -> str:
    return reverse("api:reports_department", args=[cast.departments[key].id])


def test_staff_files_a_zero_report_and_lists_it(cast, client):
    month = f"{services.current_month():%Y-%m}"
    response = post(client, cast.staff, {"month": month, "zero": True, "affirm": True})
    assert response.status_code == 201
    assert response.json()["is_zero"] is True
    listed = client.get(reverse("api:reports_mine"), **bearer(cast.staff)).json()["results"]
    assert [r["month"] for r in listed] == [month]
    assert client.get(reverse("api:reports_mine"), **bearer(cast.staff2)).json()["results"] == []


def test_a_zero_report_with_records_is_refused_with_409(cast, client):
    make = record_submitted_at(cast.people["staff"], at(10, 5))
    assert make.id
    response = post(client, cast.staff, {"month": "2026-10", "zero": True, "affirm": True})
    assert response.status_code == 409
    assert "不能作零报告" in response.json()["error"]
    assert not MonthlyReport.objects.exists()


@pytest.mark.parametrize(
    "body",
    [{"month": "2026/10"}, {"month": "2026-10", "zero": "yes"}, {"month": "2026-10", "x": 1}, []],
)
def test_bad_input_gets_400_and_changes_nothing(cast, client, body):
    assert post(client, cast.staff, body).status_code == 400
    assert not MonthlyReport.objects.exists()


def test_someone_without_the_staff_role_gets_403(cast, client):
    month = f"{services.current_month():%Y-%m}"
    assert (
        post(client, cast.outsider, {"month": month, "zero": True, "affirm": True}).status_code
        == 403
    )


def test_the_department_month_gives_counts_and_statuses_never_records(cast, client):
    record_submitted_at(cast.people["staff"], at(10, 5))
    file_report(cast.staff, zero=False, when=at(10, 8))
    file_report(cast.staff2, zero=True, when=at(10, 9))
    for user in (cast.head, cast.deptadmin, cast.leader, cast.inspector):
        body = client.get(department_url(cast), {"month": "2026-10"}, **bearer(user)).json()
        assert body["counts"]["reported"] == 2 and body["counts"]["zero"] == 1
        assert body["counts"]["missing"] == 2
        assert {r["name"] for r in body["reports"]} == {"测试staff", "测试staff2"}
        assert "record" not in str(body)


def test_the_department_month_follows_the_policy(cast, client):
    assert client.get(department_url(cast), **bearer(cast.staff)).status_code == 403
    assert client.get(department_url(cast), **bearer(cast.other_court)).status_code == 404
    assert client.get(department_url(cast, "criminal"), **bearer(cast.head)).status_code == 403
    assert client.get(department_url(cast, "criminal"), **bearer(cast.approver)).status_code == 200


def test_openapi_describes_every_field_returned(cast):
    schemas = openapi_document()["components"]["schemas"]
    report = file_report(cast.staff, zero=True, when=at(10, 8))
    assert set(api_reports.report_out(report)) == set(schemas["MonthlyReport"]["properties"])
    view = selectors.department_month(actor_for(cast.head), cast.departments["civil"], OCTOBER)
    out = api_reports.department_out(view)
    assert set(out) == set(schemas["DepartmentMonth"]["properties"])
    assert set(out["counts"]) == set(schemas["ReportCounts"]["properties"])
    assert set(out["reports"][0]) == set(schemas["ReportPersonRow"]["properties"])
