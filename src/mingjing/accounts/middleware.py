from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from mingjing.security import policy

SESSION_KEY = "mingjing_2fa_ok"
_OPEN_PREFIXES = ("/static/", "/i18n/", "/api/", "/healthz")


def _open_paths() -> tuple[str, ...]:
    names = ("accounts:totp_verify", "accounts:totp_enrol", "accounts:logout", "accounts:login")
    return tuple(reverse(name) for name in names)


class SecondFactorMiddleware:
    """Roles that need a second factor reach nothing but enrolment and verification before it.

    The API is exempt: its tokens can only be made from a session that has passed this check.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_stop(request):
            user = request.user
            target = "accounts:totp_verify" if user.has_totp else "accounts:totp_enrol"
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse(target)}?{query}")
        return self.get_response(request)

    def _must_stop(self, request) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.session.get(SESSION_KEY):
            return False
        if request.path.startswith(_OPEN_PREFIXES) or request.path in _open_paths():
            return False
        return policy.needs_second_factor(request.actor) or user.has_totp
