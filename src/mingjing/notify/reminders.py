"""Reminders that `mingjing tick` delivers, asked of the apps that know them (issue 9.2).

notify sits below the apps whose deadlines it announces: each registers a provider from its
AppConfig.ready (`register_reminders`), and tick asks them all (`reminders_at`) instead of
importing them. reporting registers its rules (reporting/reminders.py): monthly reports,
3-day contact reports, pending disclosure requests.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Reminder:
    """One notification to deliver: its recipient (a user), key, kind, title, body and link."""

    user: Any  # a User: the providers skip people without an account
    key: str
    kind: str
    title: str
    body: str = ""
    url: str = ""


ReminderProvider = Callable[[datetime], list[Reminder]]
_PROVIDERS: list[ReminderProvider] = []


def register_reminders(provider: ReminderProvider) -> None:
    """Called from an app's AppConfig.ready: `provider(now)` returns its relevant reminders."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def reminders_at(now: datetime) -> list[Reminder]:
    """Every registered app's reminders relevant at `now`, in registration order."""
    return [reminder for provider in _PROVIDERS for reminder in provider(now)]
