"""Writes for records: drafts, submission (immutable from then on), receipts.

The recording forms of the next issue call these; contents are sealed here, before any save.
"""

import json
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mingjing.org.models import Person
from mingjing.records.models import Behaviour, Category, Manner, Record, RecordStatus, SubjectKind
from mingjing.security import audit, receipts
from mingjing.security.actor import Actor
from mingjing.security.crypto import family_of, keyed_hash
from mingjing.security.keys import current_key
from mingjing.security.models import KeyPurpose
from mingjing.security.sealing import blind_index, seal_json, unseal_json

SEALED_FIELDS = (
    "subject_name",
    "subject_unit",
    "subject_position",
    "subject_contact",
    "place",
    "content",
    "handling",
)


@dataclass
class RecordInput:
    category: str
    behaviour: str
    manner: str
    subject_kind: str
    occurred_at: datetime
    subject_name: str = ""
    subject_unit: str = ""
    subject_position: str = ""
    subject_contact: str = ""
    subject_person_id: int | None = None
    place: str = ""
    content: str = ""
    handling: str = ""


def _check_choices(data: RecordInput) -> None:
    errors = {}
    for field, choices in (
        ("category", Category),
        ("behaviour", Behaviour),
        ("manner", Manner),
        ("subject_kind", SubjectKind),
    ):
        if getattr(data, field) not in choices.values:
            errors[field] = _("请选择有效的选项。")
    if data.occurred_at > timezone.now():
        errors["occurred_at"] = _("发生时间不能晚于现在。")
    if errors:
        raise ValidationError(errors)


def _subject_person(actor: Actor, data: RecordInput) -> Person | None:
    if data.subject_person_id is None:
        return None
    person = Person.objects.filter(court=actor.court, pk=data.subject_person_id).first()
    if person is None:
        raise ValidationError({"subject_person_id": _("所选人员不在本院。")})
    return person


def _sealed_contents(data: RecordInput, person: Person | None) -> dict:
    contents = {field: getattr(data, field).strip() for field in SEALED_FIELDS}
    if person is not None:
        contents["subject_person_id"] = person.id
        contents["subject_name"] = contents["subject_name"] or person.name
    return contents


def _apply(record: Record, actor: Actor, data: RecordInput) -> None:
    _check_choices(data)
    person = _subject_person(actor, data)
    contents = _sealed_contents(data, person)
    for field in ("category", "behaviour", "manner", "subject_kind", "occurred_at"):
        setattr(record, field, getattr(data, field))
    record.sealed = seal_json(actor.court, contents, purpose="record")
    record.subject_name_index = blind_index(actor.court, contents["subject_name"], kind="name")
    record.subject_person_index = (
        blind_index(actor.court, str(person.id), kind="person") if person else ""
    )


@transaction.atomic
def record_save_draft(*, actor: Actor, data: RecordInput, record: Record | None = None) -> Record:
    """Create or update the actor's own draft. Submitted records cannot be changed here."""
    if actor.person is None or not actor.has("staff"):
        raise PermissionDenied(_("只有本院干警可以填写记录。"))
    if record is None:
        record = Record(court=actor.court, recorder=actor.person)
    elif record.recorder_id != actor.person.id or record.status != RecordStatus.DRAFT:
        raise ValidationError(_("记录已提交，不能修改；如需更正请追加更正说明。"))
    record.department = actor.person.department
    _apply(record, actor, data)
    record.save()
    audit.log_event(action="record.draft", actor=actor, obj=record)
    return record


def content_digest(record: Record) -> str:
    """Keyed digest (the court's index key) of the plaintext contents.

    It identifies exactly what was submitted, survives key rotation and re-encryption, and
    cannot be used to confirm a guessed content without the court's key.
    """
    contents = unseal_json(record.court, record.sealed, purpose="record")
    canonical = json.dumps(contents, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    row, key = current_key(record.court, KeyPurpose.INDEX)
    return keyed_hash(family_of(row.algorithm), key, b"content:" + canonical.encode())


@transaction.atomic
def record_submit(*, actor: Actor, record: Record, request=None):
    """Submit a draft: immutable from now on, logged, and a signed receipt for the recorder."""
    record = Record.objects.select_for_update().get(pk=record.pk)
    if actor.person is None or record.recorder_id != actor.person.id:
        raise PermissionDenied(_("只能提交本人的记录。"))
    if record.status != RecordStatus.DRAFT:
        raise ValidationError(_("该记录已经提交过了，无需重复提交。"))
    record.status = RecordStatus.SUBMITTED
    record.submitted_at = timezone.now()
    record.save(update_fields=["status", "submitted_at", "updated_at"])
    detail = {"digest": content_digest(record)}
    event = audit.log_event(
        action="record.submit", actor=actor, obj=record, detail=detail, request=request
    )
    receipt = receipts.issue_receipt(
        court=record.court, obj=record, digest=detail["digest"], event=event
    )
    return record, receipt
