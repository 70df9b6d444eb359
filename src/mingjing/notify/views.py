"""Notification pages: the list (unread first), mark all read, open one, the unread count."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mingjing.notify import selectors, services
from mingjing.security.http import AuthedHttpRequest

PAGE_SIZE = 30


@login_required
@require_GET
def notification_list(request: AuthedHttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_for(request.user), PAGE_SIZE)
    context = {
        "page": page.get_page(request.GET.get("page")),
        "unread": selectors.unread_count(request.user),
    }
    return render(request, "notify/list.html", context)


@login_required
@require_POST
def notification_read_all(request: AuthedHttpRequest) -> HttpResponse:
    count = services.notification_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("已将 %(count)s 条通知标为已读。") % {"count": count})
    return redirect("notify:list")


@login_required
@require_POST
def notification_open(request: AuthedHttpRequest, notification_id: int) -> HttpResponse:
    """Mark one of the user's notifications read and follow its link (only a local one)."""
    notification = selectors.own_notification(request.user, notification_id)
    services.notification_mark_read(user=request.user, notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect(target)
    return redirect("notify:list")


@login_required
@require_GET
def notification_unread_count(request: AuthedHttpRequest) -> JsonResponse:
    return JsonResponse({"unread": selectors.unread_count(request.user)})
