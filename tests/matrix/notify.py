"""Notifications: every signed-in user has his own list; opening one is a POST (405 on GET)."""

from django.urls import reverse

from mingjing.notify.services import notify
from tests.matrix.helpers import every


def _open(world) -> str:
    notification, _ = notify(
        user=world.staff, key="matrix", kind="test", title="测试通知", url=reverse("web:home")
    )
    return reverse("notify:open", args=[notification.id])


WEB = {
    "notify:list": (lambda c: reverse("notify:list"), every(200), 302),
    "notify:unread_count": (lambda c: reverse("notify:unread_count"), every(200), 302),
    "notify:read_all": (lambda c: reverse("notify:read_all"), every(405), 302),
    "notify:open": (_open, every(405), 302),
}
