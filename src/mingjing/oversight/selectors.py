"""Reads of disclosure requests and the grants they make, and of screening outcomes."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from mingjing.oversight.models import DisclosureRequest, DisclosureStatus, Screening
from mingjing.oversight.screening import NOTE_PURPOSE
from mingjing.records.models import Record, RecordStatus
from mingjing.security import audit, policy
from mingjing.security.actor import Actor
from mingjing.security.sealing import binding, unseal_json


def active_grants(actor: Actor) -> QuerySet[DisclosureRequest]:
    """The actor's own approved requests that have neither expired nor been revoked."""
    if actor.person is None:
        return DisclosureRequest.objects.none()
    return DisclosureRequest.objects.filter(
        court=actor.court,
        requester=actor.person,
        status=DisclosureStatus.APPROVED,
        expires_at__gt=timezone.now(),
        revoked_at__isnull=True,
    )


def granted_record_ids(actor: Actor) -> frozenset[int]:
    ids = active_grants(actor).values_list("records__id", flat=True)
    return frozenset(i for i in ids if i is not None)


def grant_covering(actor: Actor, record_id: int) -> DisclosureRequest | None:
    return active_grants(actor).filter(records__id=record_id).order_by("-expires_at").first()


def grant_covering_id(actor: Actor, record_id: int) -> int | None:
    grant = grant_covering(actor, record_id)
    return grant.id if grant else None


def disclosures_for(actor: Actor) -> QuerySet[DisclosureRequest]:
    """Requests the actor may see: his own; all of the court's for approvers and custodian."""
    if actor.court is None:
        return DisclosureRequest.objects.none()
    qs = DisclosureRequest.objects.filter(court=actor.court).select_related(
        "requester", "decided_by"
    )
    return policy.without_records_naming(actor, qs).filter(policy.disclosures_q(actor))


def pending_for_approver(actor: Actor) -> QuerySet[DisclosureRequest]:
    if not policy.decides_disclosures(actor):
        return DisclosureRequest.objects.none()
    return disclosures_for(actor).filter(status=DisclosureStatus.PENDING)


def disclosure_for(actor: Actor, disclosure_id: int) -> DisclosureRequest:
    """Fetch and authorize in one step: 404 for anything he may not see."""
    found = disclosures_for(actor).filter(pk=disclosure_id).first()
    if found is None or not policy.may_view_disclosure(actor, found):
        raise Http404("查阅申请不存在")
    return found


# --- Screening and disposition (甄别处置) ----------------------------------------------------


def screening_queue(actor: Actor) -> QuerySet[Record]:
    """Submitted records awaiting classification, and screened ones awaiting disposition.

    The custodian's own court only, never records naming him: those go up to the approver,
    whose queue holds exactly the records naming a custodian (policy.screenable).
    """
    if not policy.may_screen(actor):
        return Record.objects.none()
    pending = [RecordStatus.SUBMITTED, RecordStatus.SCREENED]
    records = policy.screenable(actor, Record.objects.filter(court=actor.court, status__in=pending))
    return records.select_related("recorder", "department").order_by("submitted_at", "id")


def screening_of(record: Record) -> Screening | None:
    return Screening.objects.filter(record=record).select_related("screened_by").first()


def screening_outcome_for(actor: Actor, record: Record) -> dict[str, Any] | None:
    """Classification and disposition labels for those who may see them, else None.

    The recorder learns the outcome of his own records; the custodian's note is not part of
    it (see `screening_notes_for`).
    """
    if not policy.may_view_screening_outcome(actor, record):
        return None
    screening = screening_of(record)
    if screening is None:
        return None
    return {
        "classification": screening.get_classification_display(),
        "disposition": screening.get_disposition_display() if screening.disposition else "",
        "screened_at": screening.screened_at,
        "disposed_at": screening.disposed_at,
    }


def screening_notes_for(
    actor: Actor, record: Record, *, request: HttpRequest | None = None
) -> dict[str, Any]:
    """The custodian's sealed notes (classification, disposition), read with a log entry."""
    screening = screening_of(record)
    if screening is None or not screening.sealed_note:
        return {}
    if not policy.may_read_screening_note(actor, record):
        return {}
    audit.log_event(action="screening.read_note", actor=actor, obj=screening, request=request)
    bind = binding(screening, "sealed_note")
    return unseal_json(record.court, screening.sealed_note, purpose=NOTE_PURPOSE, bind=bind)
