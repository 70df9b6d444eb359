"""Helpers for the permission matrix: expected statuses per user of the cast, and writes."""

from collections.abc import Callable
from dataclasses import dataclass, field

from mingjing.security.models import AuditEvent
from tests.conftest import ROLE_USERS

ALL = set(ROLE_USERS)


def only(allowed: set[str], yes: int = 200, no: int = 403) -> dict[str, int]:
    """`yes` for the users in `allowed`, `no` for everyone else."""
    return {name: (yes if name in allowed else no) for name in ROLE_USERS}


def every(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLE_USERS, status)


@dataclass
class Sent:
    """One write, built for one user: where, what, and whether it took effect.

    `changed` gets the response and answers whether the state changed (a record submitted,
    a report approved); it is asked after the request."""

    url: str
    data: dict
    changed: Callable[[object], bool]


@dataclass
class Write:
    """A POST row: `build(world, username)` makes the write for that user (None: anonymous).

    The users in `allowed` get `yes` and change the state; everyone else gets `no` (or what
    `others` says for him) and changes nothing. An anonymous caller gets `anonymous` and
    changes nothing, unless `anonymous_allowed` (login, the public receipt check)."""

    build: Callable[[object, str | None], Sent]
    allowed: set[str]
    yes: int = 302
    no: int = 403
    others: dict[str, int] = field(default_factory=dict)
    anonymous: int = 302
    anonymous_allowed: bool = False
    method: str = "post"

    @property
    def expected(self) -> dict[str, int]:
        return {**only(self.allowed, yes=self.yes, no=self.no), **self.others}


def not_found_for(users: set[str]) -> dict[str, int]:
    return dict.fromkeys(users, 404)


def audited(action: str) -> Callable[[object], bool]:
    """A `changed` check: an audit event `action` was logged after this call."""
    last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    return lambda response: AuditEvent.objects.filter(action=action, seq__gt=last).exists()


def counted(queryset) -> Callable[[object], bool]:
    """A `changed` check: `queryset` holds more rows than it does now."""
    before = queryset.count()
    return lambda response: queryset.all().count() > before
