"""Notifications: create once per (recipient, key), mark read, and email when configured.

Email goes out when `settings.EMAIL_HOST` is set (from `MINGJING_EMAIL_HOST`, with the
port, login, TLS and sender read by settings.py from the other `MINGJING_EMAIL_*`
variables). Each notification is emailed at most once: `emailed_at` is claimed with a
conditional update before sending.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from mingjing.accounts.models import User
from mingjing.notify.models import Notification

logger = logging.getLogger(__name__)


def notify(
    *, user: User, key: str, kind: str, title: str, body: str = "", url: str = ""
) -> tuple[Notification, bool]:
    """The notification `key` for `user`: created now, or the one already there (idempotent).

    Unread notifications not yet emailed are emailed when email is configured.
    """
    defaults = {"kind": kind, "title": title[:200], "body": body, "url": url[:300]}
    with transaction.atomic():
        notification, created = Notification.objects.get_or_create(
            recipient=user, key=key, defaults=defaults
        )
    if notification.emailed_at is None and notification.read_at is None:
        notification_email(notification)
    return notification, created


def notification_mark_read(*, user: User, notification: Notification) -> Notification:
    """Mark `notification` (which must be the user's own) read; reading twice changes nothing."""
    if notification.recipient_id != user.id:
        raise PermissionError("not the recipient")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notification_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of `user` read; the number marked."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    return unread.update(read_at=timezone.now())


# --- email ---------------------------------------------------------------------------------


def email_configured() -> bool:
    return bool(settings.EMAIL_HOST)


def _email_body(notification: Notification) -> str:
    base = settings.MINGJING_BASE_URL
    lines = [notification.title, notification.body]
    if notification.url:
        lines.append(f"{base}{notification.url}")
    lines.append("请登录明镜查看。")
    return "\n\n".join(line for line in lines if line)


def notification_email(notification: Notification) -> bool:
    """Email `notification` once, if email is configured and the recipient has an address."""
    address = notification.recipient.email
    if not email_configured() or not address:
        return False
    now = timezone.now()
    claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
        emailed_at=now
    )
    if not claimed:
        return False
    try:
        send_mail(
            subject=f"[明镜] {notification.title}",
            message=_email_body(notification),
            from_email=None,
            recipient_list=[address],
        )
    except Exception:  # noqa: BLE001 - a mail outage must not stop tick; retried next run
        logger.exception("notification email failed: %s", notification.pk)
        Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
        return False
    notification.emailed_at = now
    return True
