"""Notifications: every signed-in user has his own list; opening one is a POST (405 on GET)."""

from django.urls import reverse

from mingjing.notify.models import Notification
from mingjing.notify.services import notify
from tests.matrix.helpers import ALL, Sent, Write, every


def _notification(user) -> Notification:
    notification, _ = notify(
        user=user, key="matrix", kind="test", title="测试通知", url=reverse("web:home")
    )
    return notification


def _open(world) -> str:
    return reverse("notify:open", args=[_notification(world.staff).id])


WEB = {
    "notify:list": (lambda c: reverse("notify:list"), every(200), 302),
    "notify:unread_count": (lambda c: reverse("notify:unread_count"), every(200), 302),
    "notify:read_all": (lambda c: reverse("notify:read_all"), every(405), 302),
    "notify:open": (_open, every(405), 302),
}


def _read(notification: Notification):
    read = Notification.objects.filter(pk=notification.pk).exclude(read_at=None)
    return lambda response: read.exists()


def _read_all(world, username) -> Sent:
    # Each marks his own as read (anonymous: staff's stays unread).
    notification = _notification(world.users[username or "staff"])
    return Sent(reverse("notify:read_all"), {}, _read(notification))


def _open_staffs(world, username) -> Sent:
    notification = _notification(world.staff)
    return Sent(reverse("notify:open", args=[notification.id]), {}, _read(notification))


WEB_POST = {
    "notify:read_all": Write(_read_all, ALL),
    # Another's notification is not found.
    "notify:open": Write(_open_staffs, {"staff"}, no=404),
}
