"""Bearer-token authentication for /api/v1, and the JSON error shape."""

from functools import wraps

from django.http import JsonResponse

from mingjing.accounts.services import api_token_user
from mingjing.security.actor import actor_for


def error(status: int, message: str, **extra) -> JsonResponse:
    return JsonResponse(
        {"error": message, **extra}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def ok(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def bearer_user(request):
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return api_token_user(secret.strip())


def token_required(view):
    """Authenticates by `Authorization: Bearer …` and puts the actor on the request."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = bearer_user(request)
        if user is None:
            response = error(401, "未认证：请在 Authorization 头中提供有效的 Bearer 令牌。")
            response["WWW-Authenticate"] = 'Bearer realm="mingjing"'
            return response
        request.user = user
        request.actor = actor_for(user)
        return view(request, *args, **kwargs)

    return wrapper
