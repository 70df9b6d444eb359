"""Reading notifications: a user sees his own, and nobody else's."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404

from mingjing.accounts.models import User
from mingjing.notify.models import Notification


def notifications_for(user: User) -> QuerySet[Notification]:
    """The user's notifications, unread first, newest first within each."""
    return Notification.objects.filter(recipient=user).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-id"
    )


def unread_count(user: User | AnonymousUser | None) -> int:
    if not isinstance(user, User):  # None or AnonymousUser
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def own_notification(user: User, notification_id: int) -> Notification:
    """The user's notification `notification_id`; anyone else's is simply not found (404)."""
    return get_object_or_404(Notification, pk=notification_id, recipient=user)
