"""Writes for screening and disposition (甄别处置, DESIGN.md sections 2 and 4).

submitted → screened (the custodian's classification) → disposed (what followed). The
custodian of the record's court, never on a record naming him; records naming a custodian
are screened by the approver (policy.may_screen_record). His notes are sealed (purpose
"screening-note"); the classification and disposition stay plain, as statistics need them.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from mingjing.oversight.models import Classification, Disposition, Screening
from mingjing.records.models import Record, RecordStatus
from mingjing.security import audit, policy
from mingjing.security.actor import Actor, known_or_403
from mingjing.security.sealing import binding, seal_json, unseal_json

NOTE_PURPOSE = "screening-note"
MAX_NOTE = 2000


def _locked(actor: Actor, record: Record, expected: str) -> Record:
    """The record, locked, once the actor may screen it and it is in the `expected` status."""
    locked = Record.objects.select_for_update().get(pk=record.pk)
    if locked.status == RecordStatus.DRAFT and policy.may_screen(actor):
        raise ValidationError(_wrong_status(locked.status))
    if not policy.may_screen_record(actor, locked):
        raise PermissionDenied(_("您不能甄别处置该记录。"))
    if locked.status != expected:
        raise ValidationError(_wrong_status(locked.status))
    return locked


def _wrong_status(status: str) -> str:
    if status == RecordStatus.DRAFT:
        return _("该记录尚未提交，不能甄别。")
    if status == RecordStatus.SUBMITTED:
        return _("该记录尚未甄别，请先作出甄别结论。")
    if status == RecordStatus.SCREENED:
        return _("该记录已经甄别，请作出处置决定。")
    return _("该记录已经处置完毕，不能再更改。")


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": _("说明不超过 %(max)d 个字。") % {"max": MAX_NOTE}})
    return note


def _notes(screening: Screening) -> dict[str, Any]:
    if not screening.sealed_note:
        return {}
    court = screening.record.court
    bind = binding(screening, "sealed_note")
    return unseal_json(court, screening.sealed_note, purpose=NOTE_PURPOSE, bind=bind)


def _set_status(record: Record, status: str) -> None:
    record.status = status
    record.save(update_fields=["status", "updated_at"])


@transaction.atomic
def screening_classify(
    *,
    actor: Actor,
    record: Record,
    classification: str,
    note: str = "",
    request: HttpRequest | None = None,
) -> Screening:
    """The custodian's classification of a submitted record: submitted → screened."""
    locked = _locked(actor, record, RecordStatus.SUBMITTED)
    if classification not in Classification.values:
        raise ValidationError({"classification": _("请选择甄别结论。")})
    note = _clean_note(note)
    screening = Screening.objects.create(
        record=locked,
        classification=classification,
        screened_by=known_or_403(actor).person,
        screened_at=timezone.now(),
    )
    # Sealed once the row has its pk: the note is bound to this screening (sealing.py).
    bind = binding(screening, "sealed_note")
    notes = {"classification": note}
    screening.sealed_note = seal_json(locked.court, notes, purpose=NOTE_PURPOSE, bind=bind)
    Screening.objects.filter(pk=screening.pk).update(sealed_note=screening.sealed_note)
    _set_status(locked, RecordStatus.SCREENED)
    detail = {"record": locked.pk, "classification": classification}
    audit.log_event(
        action="screening.classify", actor=actor, obj=screening, detail=detail, request=request
    )
    return screening


@transaction.atomic
def screening_dispose(
    *,
    actor: Actor,
    record: Record,
    disposition: str,
    note: str = "",
    request: HttpRequest | None = None,
) -> Screening:
    """What followed the classification: screened → disposed; final."""
    locked = _locked(actor, record, RecordStatus.SCREENED)
    if disposition not in Disposition.values:
        raise ValidationError({"disposition": _("请选择处置决定。")})
    note = _clean_note(note)
    screening = (
        Screening.objects.select_for_update().select_related("record__court").get(record=locked)
    )
    notes = {**_notes(screening), "disposition": note}
    screening.disposition = disposition
    screening.disposed_at = timezone.now()
    bind = binding(screening, "sealed_note")
    screening.sealed_note = seal_json(locked.court, notes, purpose=NOTE_PURPOSE, bind=bind)
    screening.save(update_fields=["disposition", "disposed_at", "sealed_note"])
    _set_status(locked, RecordStatus.DISPOSED)
    detail = {"record": locked.pk, "disposition": disposition}
    audit.log_event(
        action="screening.dispose", actor=actor, obj=screening, detail=detail, request=request
    )
    return screening
