"""Reads of records. Each takes the actor; contents come only through `record_contents`."""

from django.db.models import Q, QuerySet
from django.http import Http404

from mingjing.oversight.selectors import grant_covering, granted_record_ids
from mingjing.records.models import Record, RecordStatus
from mingjing.security import audit, policy
from mingjing.security.actor import Actor
from mingjing.security.models import AuditEvent
from mingjing.security.sealing import unseal_json

SUBMITTED = [RecordStatus.SUBMITTED, RecordStatus.SCREENED, RecordStatus.DISPOSED]


def _court_records(actor: Actor) -> QuerySet[Record]:
    if actor.court is None:
        return Record.objects.none()
    records = Record.objects.filter(court=actor.court).select_related("recorder", "department")
    own_index = policy.subject_index_of(actor)
    return records.exclude(subject_person_index=own_index) if own_index else records


def records_with_contents(actor: Actor) -> QuerySet[Record]:
    """Records whose substance the actor may read (mirrors policy.may_view_record_contents)."""
    if actor.person is None:
        return Record.objects.none()
    visible = Q(recorder=actor.person)
    submitted = Q(status__in=SUBMITTED)
    if actor.has(*policy.CONTENT_ROLES_COURTWIDE):
        visible |= submitted
    elif actor.has("dept_head") and actor.department_id:
        visible |= submitted & Q(department_id=actor.department_id)
    grants = granted_record_ids(actor)
    if grants:
        visible |= submitted & Q(id__in=grants)
    return _court_records(actor).filter(visible)


def records_with_metadata(actor: Actor) -> QuerySet[Record]:
    """Records whose category, dates and status the actor may see (never their substance)."""
    if actor.person is None:
        return Record.objects.none()
    departments = policy.department_ids_for_counts(actor)
    visible = Q(recorder=actor.person)
    if departments is None:
        visible |= Q(status__in=SUBMITTED)
    elif departments:
        visible |= Q(status__in=SUBMITTED, department_id__in=departments)
    return _court_records(actor).filter(visible)


def record_for(actor: Actor, record_id: int) -> Record:
    """The record if the actor may at least see its metadata; else 404, never 403."""
    record = records_with_metadata(actor).filter(pk=record_id).first()
    if record is None:
        record = records_with_contents(actor).filter(pk=record_id).first()
    if record is None:
        raise Http404("记录不存在")
    return record


def may_read(actor: Actor, record: Record) -> bool:
    return policy.may_view_record_contents(actor, record, granted_ids=granted_record_ids(actor))


def record_contents(actor: Actor, record: Record, *, request=None) -> dict:
    """Unseal a record's substance for the actor, logging the read in the audit chain."""
    if not may_read(actor, record):
        raise Http404("记录不存在")
    grant = None if _reads_by_role(actor, record) else grant_covering(actor, record.id)
    detail = {"grant": grant.id} if grant else {}
    audit.log_event(action="record.read", actor=actor, obj=record, detail=detail, request=request)
    return unseal_json(record.court, record.sealed, purpose="record")


def _reads_by_role(actor: Actor, record: Record) -> bool:
    return policy.may_view_record_contents(actor, record)


def readers_of(actor: Actor, record: Record) -> list:
    """Who else read this record and when: shown to its recorder only."""
    if not policy.is_recorder(actor, record):
        raise Http404("记录不存在")
    reads = AuditEvent.objects.filter(
        object_type=record._meta.label, object_id=str(record.pk), action="record.read"
    ).exclude(actor_id=actor.user.pk)
    return list(reads.order_by("seq").values("at", "actor_name", "detail"))
