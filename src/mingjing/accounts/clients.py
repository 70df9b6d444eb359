"""Who is calling: the client's address, as the throttle counts it and the audit chain logs it."""

from typing import Any

from django.conf import settings


def client_ip(request: Any) -> str:
    """The client's address: REMOTE_ADDR, or the proxy's X-Forwarded-For entry behind a proxy.

    Behind the reverse proxy (`MINGJING_BEHIND_PROXY`, which sets SECURE_PROXY_SSL_HEADER) the
    last X-Forwarded-For entry is the one our proxy appended; earlier ones are client-supplied.
    """
    if request is None:
        return ""
    meta = request.META
    address = meta.get("REMOTE_ADDR", "") or ""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if forwarded:
            address = forwarded[-1]
    return address[:64]
