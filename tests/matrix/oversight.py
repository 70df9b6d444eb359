"""Writes of 查阅审批 (their pages are in core): ask, decide, revoke. The GET rows stay in
core.py; this module adds no URL of its own."""

from django.urls import reverse

from mingjing.oversight.models import DisclosureRequest
from tests.matrix.court_reporting import code_of
from tests.matrix.helpers import Sent, Write, counted

# Who may open the inspector's pending request: he, the custodian and the approver.
DISCLOSURE_VIEWERS = {"inspector", "custodian", "approver"}


def _with_status(disclosure, status: str):
    found = DisclosureRequest.objects.filter(pk=disclosure.pk, status=status)
    return lambda response: found.exists()


def _request(world, username) -> Sent:
    data = {
        "kind": "view",
        "records": str(world.records.own.id),
        "reason": "核查举报线索，需要查阅该记录",
        "days": "7",
    }
    asked = counted(DisclosureRequest.objects.all())
    return Sent(reverse("oversight:disclosure_new"), data, asked)


def _decide(world, username) -> Sent:
    url = reverse("oversight:disclosure_detail", args=[world.disclosure.id])
    data = {"decision": "approve", "note": "", "otp": code_of(world, username)}
    return Sent(url, data, _with_status(world.disclosure, "approved"))


def _revoke(world, username) -> Sent:
    url = reverse("oversight:disclosure_revoke", args=[world.disclosure.id])
    return Sent(url, {}, _with_status(world.disclosure, "revoked"))


def _seen_by(allowed: set[str]) -> dict:
    """Those who may open the request are refused; the others do not find it."""
    return dict(allowed=allowed, no=404, others=dict.fromkeys(DISCLOSURE_VIEWERS - allowed, 403))


WEB_POST = {
    "oversight:disclosure_new": Write(_request, {"inspector", "custodian"}),
    # The approver decides, with a fresh code.
    "oversight:disclosure_detail": Write(_decide, **_seen_by({"approver"})),
    # The requester withdraws his request, or the approver revokes it.
    "oversight:disclosure_revoke": Write(_revoke, **_seen_by({"inspector", "approver"})),
}
