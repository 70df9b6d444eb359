"""The sealed columns of oversight, for re-encryption (security/reencrypt.py)."""

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from mingjing.org.models import Court
from mingjing.oversight.models import DisclosureRequest, Screening


def sealed_columns(court: Court) -> Iterator[tuple[str, QuerySet[Any], str]]:
    yield "screening-note", Screening.objects.filter(record__court=court), "sealed_note"
    disclosures = DisclosureRequest.objects.filter(court=court)
    yield "disclosure-reason", disclosures, "sealed_reason"
    yield "decision-note", disclosures, "sealed_decision_note"
