"""Role grants (issue 8, point 2): only approvers see and confirm them."""

from django.urls import reverse

from mingjing.org.models import RoleGrant
from mingjing.org.roles import Role
from mingjing.security.actor import actor_for
from mingjing.security.grants import role_grant_request
from tests.matrix.court_reporting import code_of
from tests.matrix.helpers import Sent, Write, only


def _grant(world) -> str:
    grant = role_grant_request(
        actor=actor_for(world.sysadmin), person=world.people["staff2"], role=Role.DEPT_HEAD
    )
    return reverse("org:grant_detail", args=[grant.id])


WEB = {
    "org:grant_list": (lambda c: reverse("org:grant_list"), only({"approver"}), 302),
    "org:grant_detail": (_grant, only({"approver"}), 302),
}


def _confirm(world, username) -> Sent:
    grant = role_grant_request(
        actor=actor_for(world.sysadmin), person=world.people["staff2"], role=Role.DEPT_HEAD
    )
    confirmed = RoleGrant.objects.filter(pk=grant.id, status="confirmed")
    url = reverse("org:grant_detail", args=[grant.id])
    data = {"decision": "confirm", "note": "", "otp": code_of(world, username)}
    return Sent(url, data, lambda response: confirmed.exists())


# The approver confirms, with a fresh code; everyone else is refused.
WEB_POST = {"org:grant_detail": Write(_confirm, {"approver"})}
