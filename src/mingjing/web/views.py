from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET

from mingjing.api import middleware as api_middleware
from mingjing.security.http import AuthedHttpRequest
from mingjing.web.tasks import tasks_for


@login_required
def home(request: AuthedHttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"tasks": tasks_for(request.actor)})


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for the load balancer: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# Titles and messages are Chinese msgids; error.html translates them. A PermissionDenied message
# arrives already translated (raised with gettext), and translating it again leaves it as it is.
def forbidden(request: HttpRequest, exception=None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else gettext_noop("您无权访问此页面。")
    context = {"title": gettext_noop("无权访问"), "message": message}
    return render(request, "web/error.html", context, status=403)


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    context = {
        "title": gettext_noop("页面不存在"),
        "message": gettext_noop("您要找的内容不存在，或您无权查看。"),
    }
    return render(request, "web/error.html", context, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Static on purpose: when something broke, rendering the full shell may break too."""
    if api_middleware.is_api(request):
        return api_middleware.error_response(500)
    return render(request, "web/500.html", status=500)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    """Django's English "Bad Request (400)" (a bad Host header, a malformed upload, a
    suspicious request), in Chinese. Static: the request itself may be what is broken."""
    if api_middleware.is_api(request):
        return api_middleware.error_response(400)
    return HttpResponse(render_to_string("web/400.html"), status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A failed CSRF check (an expired page, a form from elsewhere), in Chinese."""
    if api_middleware.is_api(request):
        return api_middleware.error_response(403, "请求来源无法验证（CSRF）。")
    return HttpResponse(render_to_string("web/403_csrf.html"), status=403)
