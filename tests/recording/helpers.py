"""Small builders shared by the recording tests and the permission matrix."""

from datetime import timedelta

from django.utils import timezone

from mingjing.records.services import (
    RecordInput,
    attachment_add,
    record_save_draft,
    record_submit,
)
from mingjing.security.actor import actor_for

# The smallest valid PNG: a 1x1 transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000a49444154789c6300010000050001"
    "0d0a2db40000000049454e44ae426082"
)
CASE_NUMBER = "（2026）豫9001民初123号"
ATTACHMENT_SECRET = b"\x89PNG\r\n\x1a\n" + "机密附件内容-请托材料".encode() * 4


def record_input(**overrides) -> RecordInput:
    values = {
        "category": "internal_inquiry",
        "behaviour": "progress",
        "manner": "phone",
        "subject_kind": "internal_staff",
        "occurred_at": timezone.now() - timedelta(hours=2),
        "subject_name": "王某",
        "content": "询问案件何时开庭",
        "handling": "告知按程序办理",
        "case_numbers": [CASE_NUMBER],
    }
    return RecordInput(**{**values, **overrides})


def submitted_with_attachment(person, *, data: bytes = ATTACHMENT_SECRET, name="照片.png"):
    """A record of `person` about the cast's case, with one attachment, submitted."""
    actor = actor_for(person.user)
    record = record_save_draft(actor=actor, data=record_input())
    attachment = attachment_add(actor=actor, record=record, name=name, data=data)
    record, _ = record_submit(actor=actor, record=record, require_case=True)
    return record, attachment


def api_record_body(**overrides) -> dict:
    """What POST /api/v1/records takes: the smallest valid draft, as JSON."""
    values = {
        "category": "internal_inquiry",
        "behaviour": "progress",
        "manner": "phone",
        "subject_kind": "internal_staff",
        "occurred_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "subject_name": "王某",
        "content": "询问开庭时间",
        "case_numbers": [CASE_NUMBER],
    }
    return {**values, **overrides}
