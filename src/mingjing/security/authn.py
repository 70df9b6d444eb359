"""Writes for authentication: login with lockout, the TOTP second factor, API tokens.

They log to the audit chain, ask the policy and wrap secrets with the master key, so they
live in security, above org and accounts, whose models they write (issue 9.2)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pyotp
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from mingjing.accounts import throttle
from mingjing.accounts.models import ApiToken, User
from mingjing.security import policy
from mingjing.security.actor import Actor, actor_for
from mingjing.security.audit import log_event
from mingjing.security.secretbox import totp_label, unwrap, wrap

TOKEN_PREFIX = "mj_"


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    error: str = ""
    # Set when the client was refused by a rate limit (the caller answers HTTP 429).
    throttled: throttle.Limit | None = None


def _locked_message(user: User) -> str:
    until = timezone.localtime(user.locked_until).strftime("%H:%M")
    return _("登录失败次数过多，账号已锁定至 %(until)s。如需提前解锁，请联系系统管理员。") % {
        "until": until
    }


def _bad_credentials_message() -> str:
    # One message whether or not the account exists, so that failures reveal no usernames.
    return _("用户名或密码不正确。连续失败 %(attempts)d 次，账号将被锁定 %(minutes)d 分钟。") % {
        "attempts": settings.MINGJING_LOCKOUT_ATTEMPTS,
        "minutes": settings.MINGJING_LOCKOUT_MINUTES,
    }


def _is_locked(user: User) -> bool:
    return bool(user.locked_until and user.locked_until > timezone.now())


def account_lock_message(user: User) -> str | None:
    """The lockout message while the account is locked, else None."""
    user.refresh_from_db(fields=["locked_until"])
    return _locked_message(user) if _is_locked(user) else None


def _login_limits(
    username: str, request: HttpRequest | None
) -> list[tuple[throttle.Limit, tuple[str, ...]]]:
    client = throttle.client_of(request)
    return [
        (throttle.login_client_limit(), (client,)),
        (throttle.login_account_limit(), (client, username.strip().lower())),
    ]


def _locks_per_client(user: User) -> bool:
    """Accounts whose password alone opens nothing (a second factor is enrolled or required:
    custodian, approver, sysadmin) are never locked by password failures, which strangers
    could cause at will; the failing client is locked instead (`throttle.login_account`)."""
    return user.has_totp or policy.needs_second_factor(actor_for(user))


def login_attempt(
    *, username: str, password: str, request: HttpRequest | None = None
) -> LoginResult:
    """Check a password, counting failures; lock the account after too many in a row.

    A client that failed too often is refused first (HTTP 429), before any account locks.
    For an account with a second factor the count is reset only once the code is right too
    (`totp_verify`), so that alternating a good password with guessed codes never resets it.
    """
    limits = _login_limits(username, request)
    for limit, parts in limits:
        if not throttle.allowed(limit, *parts, request=request):
            return LoginResult(None, throttle.throttled_message(limit), throttled=limit)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        if user and _is_locked(user):
            _audit("auth.login_refused_locked", user, request)
            return LoginResult(None, _locked_message(user))
        authenticated = authenticate(request, username=username, password=password)
        if authenticated is not None:
            if not authenticated.has_totp:
                _reset_failures(authenticated)
            _audit("auth.login", authenticated, request)
            return LoginResult(authenticated)
        # An unknown name is logged without the name: users sometimes type a password there.
        _audit("auth.login_failed", user, request, None if user else {"unknown_user": True})
        for limit, parts in limits:
            throttle.spend(limit, *parts, request=request, user=user)
        if user is None or _locks_per_client(user):
            return LoginResult(None, _bad_credentials_message())
        return LoginResult(None, _record_failure(user))


def _audit(
    action: str,
    user: User | None,
    request: HttpRequest | None,
    detail: dict[str, Any] | None = None,
) -> None:
    log_event(action=action, actor=user, obj=user, detail=detail, request=request)


def _reset_failures(user: User) -> None:
    User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)


def _record_failure(user: User) -> str:
    user.failed_login_count += 1
    if user.failed_login_count >= settings.MINGJING_LOCKOUT_ATTEMPTS:
        user.locked_until = timezone.now() + timedelta(minutes=settings.MINGJING_LOCKOUT_MINUTES)
        user.failed_login_count = 0
        user.save(update_fields=["failed_login_count", "locked_until"])
        _audit("auth.lockout", user, None)
        return _locked_message(user)
    user.save(update_fields=["failed_login_count"])
    return _bad_credentials_message()


def account_unlock(*, actor: Actor, user: User) -> None:
    """A sysadmin lifts a lockout."""
    _reset_failures(user)
    log_event(action="auth.unlock", actor=actor, obj=user)


def _wrap_secret(user: User, secret: str) -> str:
    return wrap(secret, label=totp_label(user.pk))


def totp_secret_of(user: User) -> str | None:
    """The user's TOTP secret, unwrapped with the master key (None if none or unopenable)."""
    if not user.totp_secret:
        return None
    return unwrap(user.totp_secret, label=totp_label(user.pk))


def totp_begin_enrolment(*, user: User) -> str:
    """A fresh secret for the user to scan; it takes effect only once confirmed.

    Stored wrapped by the master key (DESIGN.md section 5); the plain secret is returned.
    """
    secret = pyotp.random_base32()
    user.totp_secret = _wrap_secret(user, secret)
    user.totp_confirmed_at = None
    user.save(update_fields=["totp_secret", "totp_confirmed_at"])
    return secret


def totp_provisioning_uri(user: User) -> str:
    return pyotp.TOTP(totp_secret_of(user) or "").provisioning_uri(
        name=user.username, issuer_name=settings.MINGJING_TOTP_ISSUER
    )


def _matching_step(secret: str | None, code: str) -> int | None:
    """The time step a code belongs to (now, or one step either side), or None."""
    code = "".join(code.split())
    if not secret or not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = timezone.now()
    for drift in (0, -1, 1):
        moment = now + timedelta(seconds=30 * drift)
        if secrets.compare_digest(totp.at(moment), code):
            return totp.timecode(moment)
    return None


def totp_verify(*, user: User, code: str, request: HttpRequest | None = None) -> bool:
    """True for a valid, unused code; a code is never accepted twice (replay).

    Once the factor is enrolled, a wrong code counts as a failed login: without that, a
    stolen password would allow guessing the six digits without limit. The failure is
    committed here, so this must never run inside the transaction it guards (which would
    roll the failure back with it): the block is durable and refuses to be nested. Callers
    check the code first, then open their own transaction.
    """
    if not user.totp_secret:
        return False
    with transaction.atomic(durable=True):
        locked = User.objects.select_for_update().get(pk=user.pk)
        if _is_locked(locked):
            _audit("auth.totp_refused_locked", locked, request)
            return False
        step = _matching_step(totp_secret_of(locked), code)
        if step is None or step <= locked.totp_last_step:
            if locked.totp_confirmed_at is not None:
                _audit("auth.totp_failed", locked, request)
                _record_failure(locked)
            return False
        locked.totp_last_step = step
        locked.failed_login_count = 0
        fields = ["totp_last_step", "failed_login_count"]
        if locked.totp_confirmed_at is None:
            locked.totp_confirmed_at = timezone.now()
            fields.append("totp_confirmed_at")
        locked.save(update_fields=fields)
        _audit("auth.totp", locked, request)
    user.refresh_from_db(fields=["totp_last_step", "totp_confirmed_at", "failed_login_count"])
    return True


def totp_reset(*, actor: Actor, user: User) -> None:
    """A sysadmin clears a lost second factor; the user must enrol again."""
    User.objects.filter(pk=user.pk).update(totp_secret="", totp_confirmed_at=None, totp_last_step=0)
    log_event(action="auth.totp_reset", actor=actor, obj=user)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def reauthenticate(
    *, user: User, password: str, code: str = "", request: HttpRequest | None = None
) -> str | None:
    """Confirm a logged-in user again (password, and code when enrolled) before an export.

    Returns None on success, else a Chinese message. Failures count towards the lockout.
    """
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if _is_locked(locked):
            return _locked_message(locked)
        if not locked.check_password(password):
            _audit("auth.reauth_failed", locked, request)
            _record_failure(locked)
            return _("密码不正确。")
    if user.has_totp and not totp_verify(user=user, code=code, request=request):
        return _("动态口令不正确或已使用过，请输入验证器上新的 6 位数字。")
    _audit("auth.reauth", user, request)
    return None


def logout_recorded(*, user: User | AnonymousUser, request: HttpRequest | None) -> None:
    """Note the end of a session in the audit chain (called before Django's logout)."""
    if isinstance(user, User):
        _audit("auth.logout", user, request)


def api_token_create(
    *, user: User, name: str, days: int | None = None, request: HttpRequest | None = None
) -> tuple[ApiToken, str]:
    """A new personal token; returns it and the secret, which is never stored or shown again.

    Audited like its revocation (the secret never reaches the audit chain)."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:50] or "API",
        prefix=secret[:11],
        digest=_digest(secret),
        expires_at=timezone.now() + timedelta(days=days or settings.MINGJING_API_TOKEN_DAYS),
    )
    detail = {"token": token.pk, "prefix": token.prefix, "expires_at": token.expires_at.isoformat()}
    _audit("auth.token_create", user, request, detail)
    return token, secret


def api_token_revoke(*, user: User, token_id: int) -> bool:
    revoked = bool(
        ApiToken.objects.filter(user=user, pk=token_id, revoked_at=None).update(
            revoked_at=timezone.now()
        )
    )
    if revoked:
        _audit("auth.token_revoke", user, None, {"token": token_id})
    return revoked


def api_tokens_revoke_all(*, user: User) -> int:
    """Revoke every live token: a changed password must not leave old tokens working."""
    count = ApiToken.objects.filter(user=user, revoked_at=None).update(revoked_at=timezone.now())
    if count:
        _audit("auth.token_revoke_all", user, None, {"count": count})
    return count


def api_token_user(secret: str) -> User | None:
    """The active user behind a live token, or None; notes when the token was last used."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(secret), revoked_at=None, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    # Noted at most once a minute (MINGJING_SESSION_RENEW_SECONDS): a plain GET writes nothing.
    renew = timedelta(seconds=settings.MINGJING_SESSION_RENEW_SECONDS)
    if token.last_used_at is None or now - token.last_used_at >= renew:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
