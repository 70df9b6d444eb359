"""Writes for roles (DESIGN.md section 3, separation of duties; issue 8, point 2).

- Roles that open no contents: the sysadmin assigns them directly (`role_assign`), never to
  himself, never the sysadmin role beside a content role.
- Roles that open contents (custodian, approver, department head): the sysadmin requests
  (`role_grant_request`), an approver of the court confirms or refuses with a fresh TOTP
  code (`role_grant_decide`); never the person receiving the role, never the requester.
- A new court's first approver: the operator on the server (`mingjing grant_role`,
  `role_grant_bootstrap`), since nobody in the court can confirm yet.

Every step is an audit event: role.assign, role.grant_request, role.grant_confirm,
role.grant_refuse, role.grant_bootstrap, role.revoke.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mingjing.org.models import (
    GrantStatus,
    Person,
    PersonStatus,
    RoleAssignment,
    RoleGrant,
    role_conflict,
)
from mingjing.org.roles import CONTENT_ROLES, Role

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest

    from mingjing.security.actor import Actor


def _audit(
    action: str,
    actor: Actor | None,
    obj: RoleAssignment | RoleGrant,
    detail: dict[str, Any],
    request: HttpRequest | None = None,
) -> None:
    from mingjing.security.audit import log_event

    log_event(action=action, actor=actor, obj=obj, court=obj.court, detail=detail, request=request)


def _may_administer(actor: Actor | None) -> bool:
    from mingjing.security import policy

    return actor is not None and policy.may_administer(actor)


def _check_grantable(actor: Actor | None, person: Person, role: str) -> None:
    """Refusals common to every way of giving a role."""
    if role not in Role.values:
        raise ValidationError(_("未知角色。"))
    if actor is not None and actor.person is not None and actor.person.pk == person.pk:
        raise ValidationError(_("不能给自己授予角色，须由他人办理。"))
    conflict = role_conflict(person, role)
    if conflict:
        raise ValidationError(conflict)
    if RoleAssignment.objects.filter(person=person, court=person.court, role=role).exists():
        raise ValidationError(_("该人员已持有此角色。"))


def role_assign(
    *, actor: Actor, person: Person, role: str, request: HttpRequest | None = None
) -> RoleAssignment:
    """The sysadmin gives a role that opens no contents (staff, inspector, sysadmin, ...)."""
    if not _may_administer(actor):
        raise PermissionDenied(_("只有系统管理员可以设置角色。"))
    if role in CONTENT_ROLES:
        raise ValidationError(
            _("院管理员、院长、部门负责人等角色须提出授予申请，由院长或党组书记确认。")
        )
    _check_grantable(actor, person, role)
    with transaction.atomic():
        assignment = RoleAssignment.objects.create(person=person, court=person.court, role=role)
        _audit("role.assign", actor, assignment, {"person": person.pk, "role": role}, request)
    return assignment


def role_grant_request(
    *,
    actor: Actor | None,
    person: Person,
    role: str,
    reason: str = "",
    request: HttpRequest | None = None,
) -> RoleGrant:
    """The sysadmin (or an import he runs) asks for a content role; nothing opens yet."""
    check_grant_request(actor, person, role)
    with transaction.atomic():
        grant = RoleGrant.objects.create(
            court=person.court,
            person=person,
            role=role,
            reason=(reason or "").strip()[:200],
            requested_by=actor.person if actor is not None else None,
        )
        _audit("role.grant_request", actor, grant, _detail(grant), request)
    return grant


def check_grant_request(actor: Actor | None, person: Person, role: str) -> None:
    """Raise unless `actor` may ask for `role` for `person` (None: the server's operator)."""
    if actor is not None and not _may_administer(actor):
        raise PermissionDenied(_("只有系统管理员可以提出角色授予申请。"))
    if role not in CONTENT_ROLES:
        raise ValidationError(_("该角色不需要确认，可直接设置。"))
    _check_grantable(actor, person, role)
    pending = RoleGrant.objects.filter(person=person, role=role, status=GrantStatus.PENDING)
    if pending.exists():
        raise ValidationError(_("该人员已有同一角色的待确认申请。"))


def _detail(grant: RoleGrant) -> dict[str, Any]:
    return {"person": grant.person_id, "role": grant.role, "grant": grant.pk}


def _check_decidable(actor: Actor, grant: RoleGrant) -> None:
    from mingjing.security import policy

    if not policy.may_confirm_role_grant(actor, grant):
        raise PermissionDenied(_("只有本院院长或党组书记可以确认，且不能确认授予本人的角色。"))
    if grant.status != GrantStatus.PENDING:
        raise ValidationError(_("该申请已经处理过了。"))


def role_grant_decide(
    *,
    actor: Actor,
    grant: RoleGrant,
    confirm: bool,
    otp: str,
    note: str = "",
    request: HttpRequest | None = None,
) -> RoleGrant:
    """An approver confirms (the role takes effect) or refuses, with a fresh TOTP code.

    The code is checked outside the transaction (a wrong one stays counted and audited),
    then the grant is locked and checked again.
    """
    from mingjing.security.authn import totp_verify

    _check_decidable(actor, grant)
    if actor.user is None or not totp_verify(user=actor.user, code=otp or "", request=request):
        raise ValidationError({"otp": _("动态口令不正确或已使用过，请重新输入。")})
    with transaction.atomic():
        locked = RoleGrant.objects.select_for_update().select_related("person").get(pk=grant.pk)
        _check_decidable(actor, locked)
        if confirm:
            _confirm(locked)
        locked.status = GrantStatus.CONFIRMED if confirm else GrantStatus.REFUSED
        locked.decided_by, locked.decided_at = actor.person, timezone.now()
        locked.decision_note = (note or "").strip()[:200]
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        action = "role.grant_confirm" if confirm else "role.grant_refuse"
        _audit(action, actor, locked, _detail(locked), request)
    return locked


def _confirm(grant: RoleGrant) -> None:
    person = grant.person
    if person.status != PersonStatus.SERVING:
        raise ValidationError(_("该人员已不在职，不能授予角色。"))
    conflict = role_conflict(person, grant.role)
    if conflict:
        raise ValidationError(conflict)
    grant.status = GrantStatus.CONFIRMED
    RoleAssignment.objects.get_or_create(
        person=person, court=grant.court, role=grant.role, defaults={"grant": grant}
    )


def role_grant_bootstrap(
    *, person: Person, role: str, reason: str, operator: str = ""
) -> RoleAssignment:
    """The operator on the server gives a content role with nobody to confirm it (a new
    court's first approver; the demo court). Audited with the operator's name."""
    if role not in CONTENT_ROLES:
        raise ValidationError(_("只有院管理员、院长、部门负责人等角色需要服务器端授予。"))
    _check_grantable(None, person, role)
    with transaction.atomic():
        grant = RoleGrant.objects.create(
            court=person.court,
            person=person,
            role=role,
            status=GrantStatus.BOOTSTRAPPED,
            reason=(reason or "").strip()[:200],
            decided_at=timezone.now(),
        )
        assignment = RoleAssignment.objects.create(
            person=person, court=person.court, role=role, grant=grant
        )
        detail = {**_detail(grant), "operator": operator[:50]}
        _audit("role.grant_bootstrap", None, grant, detail)
    return assignment


def role_revoke(
    *, actor: Actor, assignment: RoleAssignment, request: HttpRequest | None = None
) -> None:
    """Take a role away (the sysadmin; an approver may take away content roles too)."""
    from mingjing.security import policy

    if not policy.may_revoke_role(actor, assignment):
        raise PermissionDenied(_("无权撤销该角色。"))
    with transaction.atomic():
        detail = {"person": assignment.person_id, "role": assignment.role}
        _audit("role.revoke", actor, assignment, detail, request)
        grant_revoked(assignment)
        assignment.delete()


def grant_revoked(assignment: RoleAssignment) -> None:
    """A revoked role's grant is spent: it can never back an assignment again."""
    if assignment.grant_id:
        RoleGrant.objects.filter(pk=assignment.grant_id).update(status=GrantStatus.REVOKED)


def pending_grants_for(actor: Actor) -> QuerySet[RoleGrant]:
    """The grants waiting for this approver (none for anyone else)."""
    from mingjing.security import policy

    if not policy.may_list_role_grants(actor):
        return RoleGrant.objects.none()
    pending = RoleGrant.objects.filter(court=actor.court, status=GrantStatus.PENDING)
    return pending.exclude(person=actor.person).select_related("person", "requested_by")
