"""The sealed columns of records, for re-encryption (security/reencrypt.py)."""

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from mingjing.org.models import Court
from mingjing.records.models import Amendment, Attachment, PendingUpload, Record, SpecialReport


def sealed_columns(court: Court) -> Iterator[tuple[str, QuerySet[Any], str]]:
    records = Record.objects.filter(court=court)
    yield "record", records, "sealed"
    yield "late-reason", records, "sealed_late_reason"
    attachments = Attachment.objects.filter(record__court=court)
    yield "attachment-meta", attachments, "sealed_meta"
    yield "attachment-content", attachments, "sealed_content"
    yield "amendment", Amendment.objects.filter(record__court=court), "sealed"
    yield "special-report", SpecialReport.objects.filter(court=court), "sealed"
    pending = PendingUpload.objects.filter(court=court)
    yield "pending-meta", pending, "sealed_meta"
    yield "pending-content", pending, "sealed_content"
