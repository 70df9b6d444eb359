"""Reads of disclosure requests and the grants they make."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from mingjing.oversight.models import DisclosureRequest, DisclosureStatus
from mingjing.security import policy
from mingjing.security.actor import Actor


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


def disclosures_for(actor: Actor) -> QuerySet[DisclosureRequest]:
    """Requests the actor may see: his own; all of the court's for approvers and custodian."""
    if actor.court is None:
        return DisclosureRequest.objects.none()
    qs = DisclosureRequest.objects.filter(court=actor.court).select_related(
        "requester", "decided_by"
    )
    if actor.has(*policy.CONTENT_ROLES_COURTWIDE):
        return qs
    if actor.person is None:
        return qs.none()
    return qs.filter(requester=actor.person)


def pending_for_approver(actor: Actor) -> QuerySet[DisclosureRequest]:
    if not actor.has("approver"):
        return DisclosureRequest.objects.none()
    return disclosures_for(actor).filter(status=DisclosureStatus.PENDING)


def disclosure_for(actor: Actor, disclosure_id: int) -> DisclosureRequest:
    """Fetch and authorize in one step: 404 for anything he may not see."""
    found = disclosures_for(actor).filter(pk=disclosure_id).first()
    if found is None or not policy.may_view_disclosure(actor, found):
        raise Http404("查阅申请不存在")
    return found
