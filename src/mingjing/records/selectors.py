"""Reads of records. Each takes the actor; contents come only through `record_contents`."""

import math
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from mingjing.records import subjects
from mingjing.records.models import Amendment, Attachment, Record, RecordStatus
from mingjing.security import audit, policy
from mingjing.security.actor import Actor
from mingjing.security.models import AuditEvent
from mingjing.security.sealing import binding, unseal, unseal_json

SUBMITTED = [RecordStatus.SUBMITTED, RecordStatus.SCREENED, RecordStatus.DISPOSED]

# Disclosure grants (oversight, a layer above) open single records to whoever asked for them:
# oversight says how to find them from its AppConfig.ready; until it has, none are found.
GrantedIds = Callable[[Actor], frozenset[int]]
CoveringGrantId = Callable[[Actor, int], int | None]
_disclosure_grants: list[tuple[GrantedIds, CoveringGrantId]] = []


def register_disclosure_grants(granted_ids: GrantedIds, covering_grant_id: CoveringGrantId) -> None:
    """The record ids an actor's active grants open, and the grant (id) covering one record."""
    _disclosure_grants[:] = [(granted_ids, covering_grant_id)]


def granted_record_ids(actor: Actor) -> frozenset[int]:
    return _disclosure_grants[0][0](actor) if _disclosure_grants else frozenset()


def _grant_covering_id(actor: Actor, record_id: int) -> int | None:
    return _disclosure_grants[0][1](actor, record_id) if _disclosure_grants else None


def _court_records(actor: Actor) -> QuerySet[Record]:
    """All records, for `policy.visible_records` to narrow to the actor's court and rules."""
    return Record.objects.select_related("recorder", "department")


def records_with_contents(actor: Actor) -> QuerySet[Record]:
    """Records whose substance the actor may read (policy.record_contents_q)."""
    rule = policy.record_contents_q(actor, granted_ids=granted_record_ids(actor))
    return policy.visible_records(actor, _court_records(actor), rule)


def records_with_metadata(actor: Actor) -> QuerySet[Record]:
    """Records whose category, dates and status the actor may see (never their substance)."""
    return policy.visible_records(actor, _court_records(actor), policy.record_metadata_q(actor))


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


# A visit to a page that shows contents: reloads within this time of a logged read (same
# session, same record) are the same visit and not logged again.
VISIT_SECONDS = 15 * 60
VISITS_KEY = "mingjing.record_visits"


def _visits(request: HttpRequest | None) -> dict[str, float] | None:
    """This session's recent visits (record id -> time of the logged read), expired ones gone."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    now = timezone.now().timestamp()
    return {k: v for k, v in session.get(VISITS_KEY, {}).items() if now - v < VISIT_SECONDS}


def _remember_visit(request: HttpRequest | None, record: Record, visits: dict[str, float]) -> None:
    if request is not None:
        visits[str(record.pk)] = timezone.now().timestamp()
        request.session[VISITS_KEY] = visits


def record_contents(
    actor: Actor,
    record: Record,
    *,
    request: HttpRequest | None = None,
    once_per_visit: bool = False,
) -> dict[str, Any]:
    """Unseal a record's substance for the actor, logging the read in the audit chain
    (`once_per_visit`: once per session and record within VISIT_SECONDS, not per reload)."""
    if not may_read(actor, record):
        raise Http404("记录不存在")
    visits = _visits(request) if once_per_visit else None
    if visits is None or str(record.pk) not in visits:
        _log_read(actor, record, request)
        if visits is not None:
            _remember_visit(request, record, visits)
    bind = binding(record, "sealed")
    return unseal_json(record.court, record.sealed, purpose="record", bind=bind)


def _log_read(actor: Actor, record: Record, request: HttpRequest | None) -> None:
    grant = None if _reads_by_role(actor, record) else _grant_covering_id(actor, record.id)
    detail = {"grant": grant} if grant else {}
    audit.log_event(action="record.read", actor=actor, obj=record, detail=detail, request=request)


def _reads_by_role(actor: Actor, record: Record) -> bool:
    return policy.may_view_record_contents(actor, record)


def readers_of(actor: Actor, record: Record) -> list[Any]:
    """Who else read this record and when: shown to its recorder only."""
    if not policy.is_recorder(actor, record):
        raise Http404("记录不存在")
    reads = AuditEvent.objects.filter(
        object_type=record._meta.label, object_id=str(record.pk), action="record.read"
    ).exclude(actor_id=actor.user.pk if actor.user else None)
    return list(reads.order_by("seq").values("at", "actor_name", "detail"))


# --- Recording: drafts, dossiers, attachments, late contact reports -------------------------


def own_drafts(actor: Actor) -> QuerySet[Record]:
    """The actor's unfinished drafts, newest first."""
    if actor.person is None:
        return Record.objects.none()
    rule = Q(recorder_id=actor.person.id, status=RecordStatus.DRAFT)
    return policy.visible_records(actor, _court_records(actor), rule).order_by("-updated_at")


def draft_for(actor: Actor, record_id: int) -> Record:
    """The actor's own draft, to continue filling in; 404 for anyone else's."""
    record = record_for(actor, record_id)
    if not policy.may_edit_record(actor, record):
        raise Http404("记录不存在")
    return record


def _attachment_meta(record: Record, attachment: Attachment) -> dict[str, Any]:
    meta = unseal_json(
        record.court,
        attachment.sealed_meta,
        purpose="attachment-meta",
        bind=binding(attachment, "sealed_meta"),
    )
    return {
        "id": attachment.pk,
        "size": attachment.size,
        "created_at": attachment.created_at,
        **meta,
    }


def _amendment(record: Record, amendment: Amendment) -> dict[str, Any]:
    body = unseal_json(
        record.court, amendment.sealed, purpose="amendment", bind=binding(amendment, "sealed")
    )
    return {"id": amendment.pk, "created_at": amendment.created_at, **body}


def record_dossier(
    actor: Actor,
    record: Record,
    *,
    request: HttpRequest | None = None,
    once_per_visit: bool = False,
) -> dict[str, Any]:
    """Contents, attachment names and amendments in order: one read, logged once."""
    contents = record_contents(actor, record, request=request, once_per_visit=once_per_visit)
    attachments = [_attachment_meta(record, a) for a in record.attachments.order_by("pk")]
    amendments = [_amendment(record, a) for a in record.amendments.order_by("created_at", "pk")]
    return {"contents": contents, "attachments": attachments, "amendments": amendments}


def subject_colleagues(actor: Actor, contents: dict[str, Any]) -> list[Any]:
    """For the recorder: colleagues whose name matches a subject typed rather than picked.

    Each of them loses sight of the record (named-subject exclusion); the recorder is told so,
    and may link the right one. Empty when a colleague was picked or nobody matches.
    """
    if contents.get("subject_person_id") or not contents.get("subject_name"):
        return []
    if actor.court is None:
        return []
    return subjects.colleagues_named(actor.court, contents["subject_name"])


def draft_contents(actor: Actor, record: Record) -> dict[str, Any]:
    """The recorder's own draft, to fill the form again (his own text: a read, logged)."""
    if not policy.may_edit_record(actor, record):
        raise Http404("记录不存在")
    return record_dossier(actor, record)


def attachment_download(
    actor: Actor, record_id: int, attachment_id: int, *, request: HttpRequest | None = None
) -> tuple[str, str, bytes]:
    """(name, content type, bytes) of an attachment the actor may read; the read is logged."""
    record = record_for(actor, record_id)
    attachment = record.attachments.filter(pk=attachment_id).first()
    if attachment is None or not may_read(actor, record):
        raise Http404("附件不存在")
    meta = _attachment_meta(record, attachment)
    grant = None if _reads_by_role(actor, record) else _grant_covering_id(actor, record.id)
    detail = {"record": record.pk, **({"grant": grant} if grant else {})}
    audit.log_event(
        action="attachment.read", actor=actor, obj=attachment, detail=detail, request=request
    )
    data = unseal(
        record.court,
        attachment.sealed_content,
        purpose="attachment-content",
        bind=binding(attachment, "sealed_content"),
    )
    return meta["name"], meta["content_type"], data


def late_contact_reports(actor: Actor) -> QuerySet[Record]:
    """Contact reports submitted after their deadline: metadata only, for the inspection office.

    Records naming the viewer as their subject are left out, as everywhere.
    """
    if not policy.may_view_late_reports(actor):
        return Record.objects.none()
    rule = Q(is_late=True, status__in=SUBMITTED)
    return policy.visible_records(actor, _court_records(actor), rule).order_by("-submitted_at")


def days_late(record: Record) -> int:
    """Whole days (rounded up) between the deadline and the submission."""
    if not (record.is_late and record.report_due_at and record.submitted_at):
        return 0
    seconds = (record.submitted_at - record.report_due_at).total_seconds()
    return max(1, math.ceil(seconds / 86400))


def time_left(record: Record, now: datetime | None = None) -> timedelta | None:
    """Time until a contact report's deadline (negative once past); None if it has none."""
    if record.report_due_at is None:
        return None
    return record.report_due_at - (now or timezone.now())
