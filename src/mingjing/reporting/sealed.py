"""The sealed columns of reporting, for re-encryption (security/reencrypt.py)."""

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from mingjing.org.models import Court
from mingjing.reporting.models import CourtReport, MonthlyReport


def sealed_columns(court: Court) -> Iterator[tuple[str, QuerySet[Any], str]]:
    yield "return-reason", MonthlyReport.objects.filter(court=court), "sealed_return_reason"
    yield "review-note", CourtReport.objects.filter(court=court), "sealed_review_note"
