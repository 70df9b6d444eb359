"""Writes for accounts: login with lockout, the TOTP second factor, API tokens."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import pyotp
from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone

from mingjing.accounts.models import ApiToken, User

TOKEN_PREFIX = "mj_"


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    error: str = ""


def _locked_message(user: User) -> str:
    until = timezone.localtime(user.locked_until).strftime("%H:%M")
    return f"登录失败次数过多，账号已锁定至 {until}。如需提前解锁，请联系系统管理员。"


def login_attempt(*, username: str, password: str, request=None) -> LoginResult:
    """Check a password, counting failures; lock the account after too many in a row."""
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        if user and user.locked_until and user.locked_until > timezone.now():
            return LoginResult(None, _locked_message(user))
        authenticated = authenticate(request, username=username, password=password)
        if authenticated is not None:
            User.objects.filter(pk=authenticated.pk).update(failed_login_count=0, locked_until=None)
            return LoginResult(authenticated)
        if user is None:
            return LoginResult(None, "用户名或密码不正确。")
        return LoginResult(None, _record_failure(user))


def _record_failure(user: User) -> str:
    user.failed_login_count += 1
    limit = settings.MINGJING_LOCKOUT_ATTEMPTS
    if user.failed_login_count >= limit:
        user.locked_until = timezone.now() + timedelta(minutes=settings.MINGJING_LOCKOUT_MINUTES)
        user.failed_login_count = 0
        user.save(update_fields=["failed_login_count", "locked_until"])
        return _locked_message(user)
    user.save(update_fields=["failed_login_count"])
    left = limit - user.failed_login_count
    return f"用户名或密码不正确。再失败 {left} 次账号将被锁定。"


def account_unlock(*, actor, user: User) -> None:
    """A sysadmin lifts a lockout."""
    User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)


def totp_begin_enrolment(*, user: User) -> str:
    """A fresh secret for the user to scan; it takes effect only once confirmed."""
    user.totp_secret = pyotp.random_base32()
    user.totp_confirmed_at = None
    user.save(update_fields=["totp_secret", "totp_confirmed_at"])
    return user.totp_secret


def totp_provisioning_uri(user: User) -> str:
    return pyotp.TOTP(user.totp_secret).provisioning_uri(
        name=user.username, issuer_name=settings.MINGJING_TOTP_ISSUER
    )


def _matching_step(secret: str, code: str) -> int | None:
    """The time step a code belongs to (now, or one step either side), or None."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = timezone.now()
    for drift in (0, -1, 1):
        moment = now + timedelta(seconds=30 * drift)
        if secrets.compare_digest(totp.at(moment), code):
            return totp.timecode(moment)
    return None


def totp_verify(*, user: User, code: str) -> bool:
    """True for a valid, unused code; a code is never accepted twice (replay)."""
    if not user.totp_secret:
        return False
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        step = _matching_step(locked.totp_secret, code)
        if step is None or step <= locked.totp_last_step:
            return False
        locked.totp_last_step = step
        fields = ["totp_last_step"]
        if locked.totp_confirmed_at is None:
            locked.totp_confirmed_at = timezone.now()
            fields.append("totp_confirmed_at")
        locked.save(update_fields=fields)
    user.refresh_from_db(fields=["totp_last_step", "totp_confirmed_at"])
    return True


def totp_reset(*, actor, user: User) -> None:
    """A sysadmin clears a lost second factor; the user must enrol again."""
    User.objects.filter(pk=user.pk).update(totp_secret="", totp_confirmed_at=None, totp_last_step=0)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_create(*, user: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """A new personal token; returns it and the secret, which is never stored or shown again."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:50] or "API",
        prefix=secret[:11],
        digest=_digest(secret),
        expires_at=timezone.now() + timedelta(days=days or settings.MINGJING_API_TOKEN_DAYS),
    )
    return token, secret


def api_token_revoke(*, user: User, token_id: int) -> bool:
    return bool(
        ApiToken.objects.filter(user=user, pk=token_id, revoked_at=None).update(
            revoked_at=timezone.now()
        )
    )


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
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
