"""When an inquiry happened: one check for the web form and the API.

A date-time that no calendar holds (2026-02-30) is refused where it is parsed; here the rest:
before EARLIEST (0001-01-01 would overflow when converted between time zones, and no record
speaks of such a time) or after now.
"""

from datetime import UTC, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST_YEAR = 2000


def occurred_at_problem(value: datetime) -> str | None:
    """A Chinese message when `value` cannot be when an inquiry happened; None when it can."""
    if value.year < EARLIEST_YEAR:
        return _("发生时间不能早于 %(year)d 年。") % {"year": EARLIEST_YEAR}
    try:
        value.astimezone(UTC) if timezone.is_aware(value) else timezone.make_aware(value)
    except (OverflowError, ValueError):
        return _("发生时间不正确。")
    if value > timezone.now():
        return _("发生时间不能晚于现在。")
    return None
