"""Re-authentication before exporting (DESIGN.md section 5): a fresh password (and one-time
code, for accounts that have one) within the last few minutes."""

import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

SESSION_KEY = "mingjing_reauth_at"


def window_seconds() -> int:
    return getattr(settings, "MINGJING_REAUTH_SECONDS", 300)


def mark_reauthenticated(request) -> None:
    request.session[SESSION_KEY] = time.time()


def recently_reauthenticated(request) -> bool:
    at = request.session.get(SESSION_KEY)
    return isinstance(at, (int, float)) and time.time() - at < window_seconds()


def reauth_required(view):
    """Send the user to confirm his password (and code) first, then back to the same URL."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if recently_reauthenticated(request):
            return view(request, *args, **kwargs)
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('accounts:reauth')}?{query}")

    return wrapper
