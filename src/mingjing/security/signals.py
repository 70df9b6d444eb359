"""Every change to the organisation, cases and accounts lands in the audit chain.

Services that own confidential objects (records, disclosures, keys) log their own, richer
events; this catches everything else, including the sysadmin's edits in the Django admin.
Only identifiers and field names are logged, never values.
"""

from collections.abc import Iterable
from contextvars import ContextVar
from typing import Any

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

current_request: ContextVar[Any] = ContextVar("mingjing_current_request", default=None)

AUDITED_MODELS = (
    "org.Court",
    "org.Department",
    "org.Person",
    "org.RoleAssignment",
    "cases.Case",
    "cases.Participant",
    "cases.Assignment",
    "accounts.User",
    "accounts.ApiToken",
)
# Bookkeeping that changes on every login; the login itself is logged as auth.* events.
QUIET_USER_FIELDS = frozenset(
    {"last_login", "failed_login_count", "locked_until", "totp_last_step", "last_used_at"}
)


def _log(action: str, instance: Any, detail: dict[str, Any] | None = None) -> None:
    from mingjing.security.audit import log_event

    court = getattr(instance, "court", None)
    log_event(
        action=action, obj=instance, court=court, detail=detail, request=current_request.get()
    )


def _saved(
    sender: Any,
    instance: Any,
    created: bool,
    update_fields: Iterable[str] | None = None,
    raw: bool = False,
    **kwargs: Any,
) -> None:
    if raw:
        return
    fields = sorted(update_fields) if update_fields else []
    if fields and set(fields) <= QUIET_USER_FIELDS:
        return
    verb = "create" if created else "update"
    _log(f"{sender._meta.label_lower}.{verb}", instance, {"fields": fields} if fields else None)


def _deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    _log(f"{sender._meta.label_lower}.delete", instance)


def _oversight_changed(
    sender: Any, instance: Any, action: str, pk_set: set[int] | None = None, **kwargs: Any
) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        detail = {"change": action[5:], "departments": sorted(pk_set or [])}
        _log("org.person.oversees", instance, detail)


def connect() -> None:
    from mingjing.accounts.throttle import throttled

    for label in AUDITED_MODELS:
        model = apps.get_model(label)
        post_save.connect(_saved, sender=model, dispatch_uid=f"audit-save-{label}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"audit-delete-{label}")
    through = apps.get_model("org.Person").oversees.through
    m2m_changed.connect(_oversight_changed, sender=through, dispatch_uid="audit-oversees")
    throttled.connect(_throttled, dispatch_uid="audit-throttled")


def _throttled(sender: object, *, scope: str, user: Any, request: Any, **kwargs: Any) -> None:
    """The first refusal of a run of a throttle's bucket (accounts.throttle)."""
    from mingjing.security.audit import log_event

    log_event(
        action="auth.throttled", actor=user, obj=user, detail={"scope": scope}, request=request
    )
