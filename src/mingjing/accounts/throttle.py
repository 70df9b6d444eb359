"""Per-client rate limits on password and code entry: a token bucket in the database.

Modelled on healthchecks' `TokenBucket` (no outside service, works across processes). Three
limits, each refusing with HTTP 429 and a Chinese message before an account would lock:

- `login_account`: failed passwords from one client for one username; its capacity is one
  less than the lockout threshold, so a single client is refused before it can lock a staff
  account, and is slowed to one try per refill step afterwards. For accounts with a second
  factor this bucket *is* the lockout: password failures there lock the client, never the
  account (see `security.authn.login_attempt`), so nobody can lock the president at will.
- `login_client`: failed passwords from one client across all usernames (password spraying).
- `code`: posts to pages that take a one-time code or a password again (second factor,
  re-authentication, approvals), per client and account.

Only failures spend the login buckets: a court behind one proxy address never throttles
its own staff signing in on a Monday morning. Settings: `MINGJING_THROTTLE_CLIENT_FAILURES`
(20) per `MINGJING_THROTTLE_CLIENT_SECONDS` (600), `MINGJING_THROTTLE_CODE_POSTS` (10) per
`MINGJING_THROTTLE_CODE_SECONDS` (600); the per-account bucket follows the lockout settings.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from math import ceil
from typing import Any, TypeVar, cast

from django.conf import settings
from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from mingjing.accounts.clients import client_ip
from mingjing.accounts.models import TokenBucket

View = TypeVar("View", bound=Callable[..., Any])

# Sent on the first refusal of a run (scope, user, request): security logs it to the audit
# chain (security/signals.py), which sits above accounts.
throttled = Signal()


@dataclass(frozen=True)
class Limit:
    scope: str
    capacity: int
    seconds: int

    @property
    def step_seconds(self) -> int:
        """How long one spent token takes to come back."""
        return ceil(self.seconds / self.capacity)


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def login_account_limit() -> Limit:
    attempts = max(1, settings.MINGJING_LOCKOUT_ATTEMPTS - 1)
    return Limit("login-account", attempts, settings.MINGJING_LOCKOUT_MINUTES * 60)


def login_client_limit() -> Limit:
    capacity = _setting("MINGJING_THROTTLE_CLIENT_FAILURES", 20)
    return Limit("login-client", capacity, _setting("MINGJING_THROTTLE_CLIENT_SECONDS", 600))


def code_limit() -> Limit:
    capacity = _setting("MINGJING_THROTTLE_CODE_POSTS", 10)
    return Limit("code", capacity, _setting("MINGJING_THROTTLE_CODE_SECONDS", 600))


def client_of(request: HttpRequest | None) -> str:
    if request is None:
        return "server"
    return client_ip(request) or "unknown"


def _value(limit: Limit, parts: tuple[str, ...]) -> str:
    # Hashed: the table never holds usernames or addresses in the clear.
    digest = hashlib.sha256("\x1f".join((limit.scope, *parts)).encode()).hexdigest()
    return f"{limit.scope}:{digest}"


def _topped_up(limit: Limit, parts: tuple[str, ...]) -> TokenBucket:
    bucket, created = TokenBucket.objects.get_or_create(value=_value(limit, parts))
    if not created:
        elapsed = (timezone.now() - bucket.updated).total_seconds()
        bucket.tokens = min(1.0, bucket.tokens + max(0.0, elapsed) / limit.seconds)
    return bucket


def _has_room(limit: Limit, bucket: TokenBucket) -> bool:
    return bucket.tokens >= 1.0 / limit.capacity - 1e-9


def _refused(bucket: TokenBucket, request, user) -> None:
    """Count the refusal; the first of a run goes into the audit chain (not every one:
    a flood of refusals must not become a flood of audit rows)."""
    TokenBucket.objects.filter(pk=bucket.pk).update(refusals=bucket.refusals + 1)
    if bucket.refusals == 0:
        scope = bucket.value.split(":", 1)[0]
        throttled.send(sender=Limit, scope=scope, user=user, request=request)


def allowed(limit: Limit, *parts: str, request=None, user=None) -> bool:
    """True if the bucket has room (nothing spent); a refusal is counted and audited."""
    bucket = _topped_up(limit, parts)
    if _has_room(limit, bucket):
        return True
    _refused(bucket, request, user)
    return False


def spend(limit: Limit, *parts: str, request=None, user=None) -> bool:
    """Take one token: True if there was one, else the refusal is counted and audited."""
    bucket = _topped_up(limit, parts)
    if not _has_room(limit, bucket):
        _refused(bucket, request, user)
        return False
    bucket.tokens -= 1.0 / limit.capacity
    bucket.updated = timezone.now()
    bucket.refusals = 0
    bucket.save(update_fields=["tokens", "updated", "refusals"])
    return True


def throttled_message(limit: Limit) -> str:
    minutes = max(1, ceil(limit.step_seconds / 60))
    return _("尝试过于频繁，请 %(minutes)d 分钟后再试。") % {"minutes": minutes}


def throttled_response(request: HttpRequest, limit: Limit) -> HttpResponse:
    """HTTP 429 in Chinese: JSON for the API, a page for everyone else."""
    message = throttled_message(limit)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"error": message}, status=429, json_dumps_params={"ensure_ascii": False}
        )
    else:
        context = {"title": _("请稍后再试"), "message": message}
        response = render(request, "web/error.html", context, status=429)
    response["Retry-After"] = str(limit.step_seconds)
    return response


def limit_code_posts(view: View) -> View:
    """Throttle the POSTs of a page that takes a code or a password (per client and account).

    Put it under `login_required`: it keys on the signed-in account.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST":
            limit = code_limit()
            user = request.user if request.user.is_authenticated else None
            account = str(user.pk) if user else "-"
            if not spend(limit, client_of(request), account, request=request, user=user):
                return throttled_response(request, limit)
        return view(request, *args, **kwargs)

    return cast(View, wrapper)
