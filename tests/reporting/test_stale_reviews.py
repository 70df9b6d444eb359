"""Two tabs on a department's month: a review posted from a page loaded before another review
changes nothing and says so (issue 8 point 4)."""

import pytest
from django.urls import reverse

from mingjing.reporting.models import PersonalStatus
from mingjing.security.models import AuditEvent
from tests.reporting.helpers import at, file_report

pytestmark = pytest.mark.django_db


def test_a_return_from_a_stale_page_after_the_approval_changes_nothing(cast, login):
    report = file_report(cast.staff, zero=True, when=at(10, 10))
    client = login(cast.head)
    page = reverse("reporting:department", args=[cast.departments["civil"].id])
    assert client.get(page, {"month": "2026-10"}).status_code == 200  # both tabs
    review = reverse("reporting:review", args=[report.id])
    client.post(review, {"decision": "approve"})
    report.refresh_from_db()
    reviewed_at = report.reviewed_at
    response = client.post(review, {"decision": "return", "reason": "请补充说明"}, follow=True)
    assert response.status_code == 200
    assert "该月报告已审核" in response.content.decode()
    report.refresh_from_db()
    assert report.status == PersonalStatus.APPROVED and report.reviewed_at == reviewed_at
    assert AuditEvent.objects.filter(action="monthly_report.approve").count() == 1
    assert not AuditEvent.objects.filter(action="monthly_report.return").exists()
