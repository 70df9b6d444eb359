"""Writes for disclosure requests (查阅审批): ask, decide with re-authentication, revoke."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mingjing.notify import events
from mingjing.org.roles import Role
from mingjing.oversight.models import DisclosureKind, DisclosureRequest, DisclosureStatus
from mingjing.records.models import Record, RecordStatus
from mingjing.security import audit, policy, transitions
from mingjing.security.actor import Actor, known_or_403
from mingjing.security.authn import totp_verify

MIN_REASON_LENGTH = 10
MAX_DAYS = 30


def _records_in_scope(actor: Actor, record_ids: list[int]) -> list[Record]:
    ids = sorted(set(record_ids))
    if not ids:
        raise ValidationError({"records": _("请至少指定一条记录。")})
    # A record naming the requester answers exactly as a missing one (nothing to learn).
    in_court = Record.objects.filter(court=actor.court, pk__in=ids)
    found = list(policy.without_named_subject(actor, in_court).exclude(status=RecordStatus.DRAFT))
    missing = sorted(set(ids) - {r.pk for r in found})
    if missing:
        numbers = pgettext("list separator", "、").join(str(i) for i in missing)
        message = _("以下记录编号不存在或尚未提交：%(numbers)s") % {"numbers": numbers}
        raise ValidationError({"records": message})
    return found


def _clean_request(kind: str, reason: str, days: int) -> str:
    errors = {}
    if kind not in DisclosureKind.values:
        errors["kind"] = _("请选择申请类型。")
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        errors["reason"] = _("请写明事由（至少 %(count)d 个字）。") % {"count": MIN_REASON_LENGTH}
    if not 1 <= days <= MAX_DAYS:
        errors["days"] = _("有效期应为 1 至 %(max)d 天。") % {"max": MAX_DAYS}
    if errors:
        raise ValidationError(errors)
    return reason


@transaction.atomic
def disclosure_request(
    *,
    actor: Actor,
    kind: str,
    reason: str,
    record_ids: list[int],
    days: int = 7,
    request: HttpRequest | None = None,
) -> DisclosureRequest:
    """An inspector or the custodian asks to see or disclose specific records, with a reason."""
    if not policy.may_request_disclosure(actor):
        raise PermissionDenied(_("只有督察室人员可以申请查阅。"))
    reason = _clean_request(kind, reason, days)
    records = _records_in_scope(actor, record_ids)
    known = known_or_403(actor)
    disclosure = DisclosureRequest.objects.create(  # type: ignore[misc]  # reason: SealedText
        court=known.court, requester=known.person, kind=kind, reason=reason, days=days
    )
    disclosure.records.set(records)
    detail = {"records": [r.pk for r in records], "kind": kind, "days": days}
    audit.log_event(
        action="disclosure.request", actor=actor, obj=disclosure, detail=detail, request=request
    )
    events.disclosure_requested(
        approvers=events.people_holding(known.court, Role.APPROVER),
        disclosure_id=disclosure.pk,
        records=records,
        url=reverse("oversight:disclosure_detail", args=[disclosure.pk]),
        requester=known.person,
    )
    return disclosure


def _lock_pending(actor: Actor, disclosure: DisclosureRequest) -> DisclosureRequest:
    locked = DisclosureRequest.objects.select_for_update().get(pk=disclosure.pk)
    if not policy.may_decide_disclosure(actor, locked):
        raise PermissionDenied(_("只有院长或党组书记可以审批查阅申请。"))
    if locked.status != DisclosureStatus.PENDING:
        raise ValidationError(_("该申请已经处理过了。"))
    if locked.requester_id == known_or_403(actor).person.id:
        raise ValidationError(_("不能审批本人提出的申请。"))
    if any(policy.is_named_subject(actor, r) for r in locked.records.all()):
        raise ValidationError(_("您是所涉记录的被记录人，须回避，请由其他院领导审批。"))
    return locked


def _reauthenticate(actor: Actor, otp: str, request: HttpRequest | None = None) -> None:
    # Never inside the decision's transaction: a wrong code must stay counted and audited
    # when the decision rolls back (totp_verify commits on its own and refuses nesting).
    if actor.user is None or not totp_verify(user=actor.user, code=otp or "", request=request):
        raise ValidationError({"otp": _("动态口令不正确或已使用过，请重新输入。")})


def disclosure_decide(
    *,
    actor: Actor,
    disclosure: DisclosureRequest,
    approve: bool,
    otp: str,
    note: str = "",
    request: HttpRequest | None = None,
) -> DisclosureRequest:
    """The approver approves or refuses, re-authenticating with a fresh TOTP code.

    The request is checked first (no code is spent on a refusal), then the code outside any
    transaction (its failure is recorded for good), then the decision, rechecked under lock.
    """
    with transaction.atomic():
        _lock_pending(actor, disclosure)
    _reauthenticate(actor, otp, request)
    with transaction.atomic():
        return _decide(actor, disclosure, approve, note, request)


def _decide(
    actor: Actor,
    disclosure: DisclosureRequest,
    approve: bool,
    note: str,
    request: HttpRequest | None,
) -> DisclosureRequest:
    locked = _lock_pending(actor, disclosure)
    now = timezone.now()
    locked.status = DisclosureStatus.APPROVED if approve else DisclosureStatus.REFUSED
    locked.decided_by = actor.person
    locked.decided_at = now
    locked.decision_note = (note or "").strip()
    locked.expires_at = now + timedelta(days=locked.days) if approve else None
    transitions.save_if(locked, _("该申请已经处理过了。"), status=DisclosureStatus.PENDING)
    action = "disclosure.approve" if approve else "disclosure.refuse"
    audit.log_event(action=action, actor=actor, obj=locked, request=request)
    events.disclosure_decided(
        requester=locked.requester,
        disclosure_id=locked.pk,
        approved=approve,
        records=list(locked.records.all()),
        url=reverse("oversight:disclosure_detail", args=[locked.pk]),
    )
    return locked


@transaction.atomic
def disclosure_revoke(
    *, actor: Actor, disclosure: DisclosureRequest, request: HttpRequest | None = None
) -> DisclosureRequest:
    """End a grant early (the approver, or the requester giving it up)."""
    locked = DisclosureRequest.objects.select_for_update().get(pk=disclosure.pk)
    if not policy.may_revoke_disclosure(actor, locked):
        raise PermissionDenied(_("无权撤销该查阅授权。"))
    if locked.status not in (DisclosureStatus.APPROVED, DisclosureStatus.PENDING):
        raise ValidationError(_("该申请已不在有效状态。"))
    locked.status = DisclosureStatus.REVOKED
    locked.revoked_at = timezone.now()
    transitions.save_if(
        locked,
        _("该申请已不在有效状态。"),
        fields=["status", "revoked_at"],
        status__in=[DisclosureStatus.APPROVED, DisclosureStatus.PENDING],
    )
    audit.log_event(action="disclosure.revoke", actor=actor, obj=locked, request=request)
    return locked
