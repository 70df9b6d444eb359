"""Bearer-token authentication for /api/v1 (used by api.v1.BearerToken), and the JSON error
shape handlers answer with (api.middleware.error_response)."""

from django.http import HttpRequest

from mingjing.api.middleware import error_response as error
from mingjing.security.authn import api_token_user

__all__ = ["bearer_user", "error"]


def bearer_user(request: HttpRequest):
    """The user of a valid `Authorization: Bearer …` token, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return api_token_user(secret.strip())
