"""Writes for records: drafts, attachments, submission (immutable from then on), receipts,
amendments. Contents are sealed here, before any save; every mutation is in the audit chain
(never with confidential text in its detail).
"""

import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from mingjing.cases import selectors as case_selectors
from mingjing.cases.models import Case
from mingjing.notify import events
from mingjing.org.models import Person
from mingjing.records import files, subjects
from mingjing.records.models import (
    Amendment,
    Attachment,
    Category,
    PendingUpload,
    Record,
    RecordStatus,
    SubjectKind,
)
from mingjing.records.rules import AMENDMENT_FIELDS, CHOICE_FIELDS, not_about_a_case_problem
from mingjing.security import audit, policy, receipts, transitions
from mingjing.security.actor import Actor, known_or_403
from mingjing.security.crypto import family_of, keyed_hash
from mingjing.security.keys import current_key
from mingjing.security.models import KeyPurpose, Receipt
from mingjing.security.sealing import (
    binding,
    blind_index,
    seal,
    seal_json,
    unseal,
    unseal_json,
)

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
    # Case numbers as typed (any brackets and widths); each must be a case of this court.
    case_numbers: list[str] = field(default_factory=list)
    not_about_a_case: bool = False
    off_hours_contact: bool = False
    late_reason: str = ""


# Seed 四(一): off-hours or off-site contact with these is reported within three days.
CONTACT_SUBJECT_KINDS = frozenset(
    {SubjectKind.PARTY, SubjectKind.LAWYER, SubjectKind.SPECIAL_RELATION, SubjectKind.INTERMEDIARY}
)
CONTACT_REPORT_DAYS = 3
MAX_ATTACHMENTS = 20
_CASE_SEPARATORS = re.compile(r"[\n,，;；、]+")


def split_case_numbers(text: str) -> list[str]:
    """Case numbers typed into one box, separated by new lines, commas or semicolons."""
    return [part.strip() for part in _CASE_SEPARATORS.split(text or "") if part.strip()]


def _check_choices(data: RecordInput) -> None:
    errors = {}
    for name, choices in CHOICE_FIELDS.items():
        if getattr(data, name) not in choices.values:
            errors[name] = _("请选择有效的选项。")
    if data.occurred_at > timezone.now():
        errors["occurred_at"] = _("发生时间不能晚于现在。")
    if problem := not_about_a_case_problem(
        not_about_a_case=data.not_about_a_case, has_case_numbers=bool(data.case_numbers)
    ):
        errors["case_numbers"] = problem
    if data.off_hours_contact and not _is_contact(data.category, data.subject_kind):
        errors["off_hours_contact"] = _(
            "“非工作时间或非工作场所接触”只适用于与当事人、律师、特殊关系人、中介组织的接触。"
        )
    if errors:
        raise ValidationError(errors)


def _is_contact(category: str, subject_kind: str) -> bool:
    return category == Category.IMPROPER_CONTACT or subject_kind in CONTACT_SUBJECT_KINDS


def _cases(actor: Actor, numbers: list[str]) -> list[Case]:
    """The court's cases with these numbers (full, or short and unambiguous: 民初123号);
    a ValidationError naming each unknown or ambiguous one."""
    found, problems, unknown = [], [], []
    for raw in numbers:
        try:
            case = case_selectors.case_by_number(actor, raw)
        except ValidationError as exc:
            if exc.code == "unknown_case":
                unknown.append(raw)
            else:
                problems.extend(exc.messages)
            continue
        if case not in found:
            found.append(case)
    if unknown:
        message = _("本院没有案号为“%(numbers)s”的案件，请核对后重新填写。")
        problems.insert(0, message % {"numbers": "、".join(unknown)})
    if problems:
        raise ValidationError({"case_numbers": problems})
    return found


def _subject_person(actor: Actor, data: RecordInput) -> Person | None:
    if data.subject_person_id is None:
        return None
    person = Person.objects.filter(court=actor.court, pk=data.subject_person_id).first()
    if person is None:
        raise ValidationError({"subject_person_id": _("所选人员不在本院。")})
    return person


def _sealed_contents(data: RecordInput, person: Person | None) -> dict[str, Any]:
    contents: dict[str, Any] = {name: getattr(data, name).strip() for name in SEALED_FIELDS}
    if person is not None:
        contents["subject_person_id"] = person.id
        contents["subject_name"] = contents["subject_name"] or person.name
    return contents


PLAIN_FIELDS = (
    "category",
    "behaviour",
    "manner",
    "subject_kind",
    "occurred_at",
    "not_about_a_case",
    "off_hours_contact",
)


def _apply(record: Record, actor: Actor, data: RecordInput) -> dict[str, Any]:
    court = known_or_403(actor).court
    _check_choices(data)
    person = _subject_person(actor, data)
    contents = _sealed_contents(data, person)
    for name in PLAIN_FIELDS:
        setattr(record, name, getattr(data, name))
    record.late_reason = data.late_reason.strip()
    record.report_due_at = (
        data.occurred_at + timedelta(days=CONTACT_REPORT_DAYS) if data.off_hours_contact else None
    )
    # Bound to the row: a new record is sealed once saved (record_save_draft).
    record.sealed = _seal_contents(record, contents) if record.pk else b""
    record.subject_name_index = blind_index(court, contents["subject_name"], kind="name")
    record.subject_person_index = (
        blind_index(court, str(person.id), kind="person") if person else ""
    )
    record.named_indexes = subjects.record_named_indexes(
        court, name=contents["subject_name"], person=person
    )
    return contents


def _seal_contents(record: Record, contents: dict[str, Any]) -> bytes:
    return seal_json(record.court, contents, purpose="record", bind=binding(record, "sealed"))


ALREADY_SUBMITTED = _lazy("该记录已经提交，不能再修改；如需更正请追加更正说明。")


def lock_own_draft(actor: Actor, record: Record) -> Record:
    """The actor's draft, re-read and locked; ValidationError once it has been submitted."""
    locked: Record = transitions.locked(Record, record.pk)
    if not policy.is_recorder(actor, locked):
        raise PermissionDenied(_("只能修改本人的记录。"))
    if not policy.may_edit_record(actor, locked):
        raise ValidationError(ALREADY_SUBMITTED)
    return locked


def submitted_since(record: Record | None) -> bool:
    """Whether this draft (as a page or a call loaded it) has been submitted since."""
    if record is None or record.pk is None:
        return False
    return Record.objects.filter(pk=record.pk).exclude(status=RecordStatus.DRAFT).exists()


@transaction.atomic
def record_save_draft(
    *,
    actor: Actor,
    data: RecordInput,
    record: Record | None = None,
    request: HttpRequest | None = None,
) -> Record:
    """Create or update the actor's own draft. Submitted records cannot be changed here.

    The draft is re-read locked (the caller's copy may predate a submission in another tab)
    and written only where it is still his draft: a stale form never turns a submitted record
    back into a draft (ValidationError ALREADY_SUBMITTED, nothing changed).
    """
    if not policy.may_record(actor):
        raise PermissionDenied(_("只有本院干警可以填写记录。"))
    if record is None:
        record = Record(court=actor.court, recorder=actor.person)
    else:
        record = lock_own_draft(actor, record)
    cases = _cases(actor, data.case_numbers)
    record.department = known_or_403(actor).person.department
    contents = _apply(record, actor, data)
    if record.pk is None:
        record.save()  # the row first: its contents are sealed bound to its pk
        record.sealed = _seal_contents(record, contents)
        Record.objects.filter(pk=record.pk).update(sealed=record.sealed)
    else:
        transitions.save_if(
            record, ALREADY_SUBMITTED, status=RecordStatus.DRAFT, recorder=actor.person
        )
    record.cases.set(cases)
    detail = {"cases": len(cases), "contact_report": record.report_due_at is not None}
    audit.log_event(action="record.draft", actor=actor, obj=record, detail=detail, request=request)
    return record


@transaction.atomic
def record_save(
    *,
    actor: Actor,
    data: RecordInput,
    record: Record | None = None,
    uploads: list[tuple[str, bytes]] | None = None,
    submit: bool = False,
    ready_to_submit: bool = False,
    request: HttpRequest | None = None,
    pending: list[str] | None = None,
) -> tuple[Record, Receipt | None]:
    """Save a draft with new attachments and, when asked, submit it: all of it or nothing.

    `pending`: tokens of files kept from an earlier attempt with errors (pending_upload_add);
    they become attachments of the draft.

    `ready_to_submit`: saved only if it could be submitted as it is (submit_problems), for the
    form's confirmation page; otherwise nothing is saved. Returns (record, receipt); the
    receipt is None for a draft.
    """
    record = record_save_draft(actor=actor, data=data, record=record, request=request)
    for name, content in uploads or []:
        attachment_add(actor=actor, record=record, name=name, data=content, request=request)
    for upload in pending_uploads(actor, pending or []):
        name, content = _pending_file(upload)
        attachment_add(actor=actor, record=record, name=name, data=content, request=request)
        upload.delete()
    if ready_to_submit:
        submit_problems(record)
    if not submit:
        return record, None
    return record_submit(actor=actor, record=record, request=request, require_case=True)


def content_digest(record: Record) -> str:
    """Keyed digest (the court's index key) of the plaintext contents.

    It identifies exactly what was submitted, survives key rotation and re-encryption, and
    cannot be used to confirm a guessed content without the court's key.
    """
    contents = unseal_json(
        record.court, record.sealed, purpose="record", bind=binding(record, "sealed")
    )
    canonical = json.dumps(contents, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    row, key = current_key(record.court, KeyPurpose.INDEX)
    return keyed_hash(family_of(row.algorithm), key, b"content:" + canonical.encode())


def _check_case_link(record: Record) -> None:
    if not record.not_about_a_case and not record.cases.exists():
        raise ValidationError({"case_numbers": _("请填写涉及的案号，或勾选“不涉及具体案件”。")})


def _check_deadline(record: Record, late_reason: str | None, now: datetime) -> None:
    """Flag a contact report submitted after its 3-day deadline; such a one needs a reason."""
    if late_reason is not None:
        record.late_reason = late_reason.strip()
    record.is_late = _past_due(record, now)
    if record.is_late and not record.late_reason:
        raise ValidationError({"late_reason": LATE_REASON_NEEDED})


LATE_REASON_NEEDED = _lazy("已超过报告期限（接触后三日内），请填写逾期报告的原因。")


def _past_due(record: Record, now: datetime) -> bool:
    return record.report_due_at is not None and now > record.report_due_at


def submit_problems(record: Record) -> None:
    """What would stop this draft's submission now (no case named, a late contact report
    without its reason), as the ValidationError record_submit would raise; changes nothing.
    The form asks before its confirmation page, so that the page shows what will be filed."""
    _check_case_link(record)
    if _past_due(record, timezone.now()) and not record.late_reason:
        raise ValidationError({"late_reason": LATE_REASON_NEEDED})


def draft_version(record: Record) -> str:
    """What the confirmation page showed: the draft's last save and its files. Submitting
    from the page requires the same (a change in another tab since is shown first)."""
    ids = record.attachments.order_by("pk").values_list("pk", flat=True)
    files_part = ",".join(str(pk) for pk in ids)
    return f"{record.updated_at.timestamp():.6f}|{files_part}"


SUBMITTED_TWICE = _lazy("该记录已经提交过了，无需重复提交。")


@transaction.atomic
def record_submit(
    *,
    actor: Actor,
    record: Record,
    request: HttpRequest | None = None,
    late_reason: str | None = None,
    require_case: bool = False,
) -> tuple[Record, Receipt]:
    """Submit a draft: immutable from now on, logged, and a signed receipt for the recorder.

    A contact report after its deadline is flagged late and needs `late_reason` (or the one
    saved with the draft). `require_case`: the record must name its cases or say it concerns
    none (the forms ask; older callers that link cases themselves do not).
    """
    record = transitions.locked(Record, record.pk)
    if actor.person is None or record.recorder_id != actor.person.id:
        raise PermissionDenied(_("只能提交本人的记录。"))
    if record.status != RecordStatus.DRAFT:
        raise ValidationError(SUBMITTED_TWICE)
    # His person row too, as monthly_report_submit does: a zero report filed at the same
    # moment either sees this record or comes first (the record is then reported later).
    transitions.locked(Person, actor.person.pk)
    if require_case:
        _check_case_link(record)
    now = timezone.now()
    _check_deadline(record, late_reason, now)
    record.status = RecordStatus.SUBMITTED
    record.submitted_at = now
    fields = ["status", "submitted_at", "is_late", "sealed_late_reason", "updated_at"]
    transitions.save_if(record, SUBMITTED_TWICE, fields=fields, status=RecordStatus.DRAFT)
    digest = content_digest(record)
    detail = {"digest": digest, "late": record.is_late}
    event = audit.log_event(
        action="record.submit", actor=actor, obj=record, detail=detail, request=request
    )
    receipt = receipts.issue_receipt(court=record.court, obj=record, digest=digest, event=event)
    if record.is_late:
        events.contact_report_late(
            court=record.court, record=record, recorder=actor.person, url=reverse("records:late")
        )
    return record, receipt


# --- Attachments -----------------------------------------------------------------------------

ATTACHMENT_META = "attachment-meta"
ATTACHMENT_CONTENT = "attachment-content"
AMENDMENT_PURPOSE = "amendment"


def _own_draft(actor: Actor, record: Record) -> Record:
    """The actor's draft, re-read and locked (a submission may have come in since)."""
    if not policy.is_recorder(actor, record):
        raise PermissionDenied(_("只能修改本人的记录。"))
    return lock_own_draft(actor, record)


@transaction.atomic
def attachment_add(
    *, actor: Actor, record: Record, name: str, data: bytes, request: HttpRequest | None = None
) -> Attachment:
    """Keep a file with the actor's draft: type checked by extension and contents, sealed."""
    record = _own_draft(actor, record)
    name = files.clean_name(name)
    content_type = files.check_file(name, data)
    if record.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(_("每条记录最多 %(n)d 个附件。") % {"n": MAX_ATTACHMENTS})
    meta = {"name": name, "content_type": content_type}
    # The row first, then its sealed columns, bound to its pk (security/sealing.py).
    attachment = Attachment.objects.create(
        record=record, size=len(data), sealed_meta=b"", sealed_content=b""
    )
    attachment.sealed_meta = seal_json(
        record.court, meta, purpose=ATTACHMENT_META, bind=binding(attachment, "sealed_meta")
    )
    attachment.sealed_content = seal(
        record.court, data, purpose=ATTACHMENT_CONTENT, bind=binding(attachment, "sealed_content")
    )
    Attachment.objects.filter(pk=attachment.pk).update(
        sealed_meta=attachment.sealed_meta, sealed_content=attachment.sealed_content
    )
    detail = {"record": record.pk, "size": len(data)}
    audit.log_event(
        action="attachment.add", actor=actor, obj=attachment, detail=detail, request=request
    )
    return attachment


@transaction.atomic
def attachment_remove(
    *, actor: Actor, attachment: Attachment, request: HttpRequest | None = None
) -> None:
    """Remove a file from the actor's draft (a submitted record keeps its files for ever)."""
    _own_draft(actor, attachment.record)
    fresh = Attachment.objects.filter(pk=attachment.pk, record_id=attachment.record_id).first()
    if fresh is None:
        raise ValidationError(_("该附件已经删除。"))
    attachment = fresh
    detail = {"record": attachment.record_id, "attachment": attachment.pk}
    audit.log_event(
        action="attachment.remove",
        actor=actor,
        obj=attachment.record,
        detail=detail,
        request=request,
    )
    attachment.delete()


# --- Files kept across a form with errors ---------------------------------------------------

PENDING_META = "pending-meta"
PENDING_CONTENT = "pending-content"
PENDING_HOURS = 24


@transaction.atomic
def pending_upload_add(
    *, actor: Actor, name: str, data: bytes, request: HttpRequest | None = None
) -> PendingUpload:
    """Keep a file chosen with a new record's form that had errors, sealed, for its owner
    only, under a random token; the owner's next save of the form attaches it. Files older
    than PENDING_HOURS (anyone's: abandoned forms) are deleted here."""
    if not policy.may_record(actor):
        raise PermissionDenied(_("只有本院干警可以填写记录。"))
    known = known_or_403(actor)
    name = files.clean_name(name)
    content_type = files.check_file(name, data)
    cutoff = timezone.now() - timedelta(hours=PENDING_HOURS)
    PendingUpload.objects.filter(created_at__lt=cutoff).delete()
    upload = PendingUpload.objects.create(
        court=known.court,
        owner=known.person,
        token=secrets.token_hex(16),
        size=len(data),
        sealed_meta=b"",
        sealed_content=b"",
    )
    meta = {"name": name, "content_type": content_type}
    # The row first, then its sealed columns, bound to its pk (security/sealing.py).
    upload.sealed_meta = seal_json(
        known.court, meta, purpose=PENDING_META, bind=binding(upload, "sealed_meta")
    )
    upload.sealed_content = seal(
        known.court, data, purpose=PENDING_CONTENT, bind=binding(upload, "sealed_content")
    )
    PendingUpload.objects.filter(pk=upload.pk).update(
        sealed_meta=upload.sealed_meta, sealed_content=upload.sealed_content
    )
    audit.log_event(
        action="attachment.pending",
        actor=actor,
        obj=upload,
        detail={"size": len(data)},
        request=request,
    )
    return upload


def pending_uploads(actor: Actor, tokens: list[str]) -> list[PendingUpload]:
    """The actor's own kept files with these tokens, still fresh (others' never)."""
    if actor.person is None or not tokens:
        return []
    cutoff = timezone.now() - timedelta(hours=PENDING_HOURS)
    found = PendingUpload.objects.filter(
        owner=actor.person, court=actor.court, token__in=tokens[:MAX_ATTACHMENTS]
    )
    return list(found.filter(created_at__gte=cutoff).order_by("pk"))


def pending_name(upload: PendingUpload) -> str:
    meta = unseal_json(
        upload.court, upload.sealed_meta, purpose=PENDING_META, bind=binding(upload, "sealed_meta")
    )
    return str(meta["name"])


def _pending_file(upload: PendingUpload) -> tuple[str, bytes]:
    bind = binding(upload, "sealed_content")
    content = unseal(upload.court, upload.sealed_content, purpose=PENDING_CONTENT, bind=bind)
    return pending_name(upload), content


# --- Amendments ------------------------------------------------------------------------------


def _amendment_errors(reason: str, correction: str) -> dict[str, str]:
    errors = {}
    if not reason:
        errors["reason"] = _("请填写更正事由。")
    if not correction:
        errors["correction"] = _("请填写更正内容。")
    for key, value in (("reason", reason), ("correction", correction)):
        if len(value) > AMENDMENT_FIELDS[key]:
            errors[key] = _("不能超过 %(n)d 个字。") % {"n": AMENDMENT_FIELDS[key]}
    return errors


@transaction.atomic
def amendment_add(
    *,
    actor: Actor,
    record: Record,
    reason: str,
    correction: str,
    subject_name: str = "",
    request: HttpRequest | None = None,
) -> Amendment:
    """Append a correction to the actor's submitted record; the record itself never changes.

    A subject name given in the correction names a subject too: its blind index joins the
    record's, so the person it names (picked or typed) no longer sees the record.
    """
    if not policy.may_amend_record(actor, record):
        raise PermissionDenied(_("只有记录人可以更正已提交的记录。"))
    reason, correction = (reason or "").strip(), (correction or "").strip()
    subject_name = (subject_name or "").strip()
    errors = _amendment_errors(reason, correction)
    if len(subject_name) > 100:
        errors["subject_name"] = _("不能超过 %(n)d 个字。") % {"n": 100}
    if errors:
        raise ValidationError(errors)
    contents = {"reason": reason, "correction": correction, "subject_name": subject_name}
    name_index = blind_index(record.court, subject_name, kind="name")
    amendment = Amendment.objects.create(
        record=record,
        author=known_or_403(actor).person,
        sealed=b"",
        subject_name_index=name_index,
    )
    bind = binding(amendment, "sealed")  # the row first: sealed bound to its pk
    amendment.sealed = seal_json(record.court, contents, purpose=AMENDMENT_PURPOSE, bind=bind)
    Amendment.objects.filter(pk=amendment.pk).update(sealed=amendment.sealed)
    if name_index:
        subjects.add_named_index(record, name_index)
    detail = {"record": record.pk}
    audit.log_event(
        action="amendment.add", actor=actor, obj=amendment, detail=detail, request=request
    )
    return amendment
