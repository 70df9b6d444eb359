"""Who is asking: the account, the person behind it, his court and the roles he holds there."""

from dataclasses import dataclass, field
from typing import TypeGuard

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from mingjing.accounts.models import User
from mingjing.org.models import Court, Person, RoleAssignment
from mingjing.org.roles import CONTENT_ROLES, Role


@dataclass(frozen=True)
class Actor:
    """Anyone: anonymous (no user), an account with no person, or a person (`KnownActor`)."""

    user: User | None
    person: Person | None
    court: Court | None
    roles: frozenset[str] = field(default_factory=frozenset)
    overseen_department_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None and self.person is not None

    def has(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def department_id(self) -> int | None:
        return self.person.department_id if self.person else None


@dataclass(frozen=True)
class KnownActor(Actor):
    """An actor with a person, and so a court (what `actor_for` gives a staff member's
    account). Narrow an `Actor` to it with `is_known` or `known_or_403`."""

    person: Person
    court: Court


def is_known(actor: Actor) -> TypeGuard[KnownActor]:
    """True when the actor has a person and a court."""
    return actor.person is not None and actor.court is not None


def known_or_403(actor: Actor) -> KnownActor:
    """The actor, narrowed to one with a person and a court; PermissionDenied otherwise."""
    if not is_known(actor):
        raise PermissionDenied
    return actor


ANONYMOUS = Actor(user=None, person=None, court=None)


def actor_for(user: User | AnonymousUser | None) -> Actor:
    """The actor for an account; an account without a person acts as nobody."""
    if not isinstance(user, User) or not user.is_active:
        return ANONYMOUS
    person = Person.objects.select_related("court", "department").filter(user=user).first()
    if person is None:
        return Actor(user=user, person=None, court=None)
    roles = frozenset(
        RoleAssignment.objects.filter(person=person, court=person.court).values_list(
            "role", flat=True
        )
    )
    # Only a leader's overseen departments count: no query for everyone else.
    overseen: frozenset[int] = frozenset()
    if Role.LEADER in roles:
        overseen = frozenset(person.oversees.values_list("id", flat=True))
    return KnownActor(
        user=user,
        person=person,
        court=person.court,
        roles=_separated(roles) if person.is_serving else frozenset(),
        overseen_department_ids=overseen,
    )


def _separated(roles: frozenset[str]) -> frozenset[str]:
    """Separation of duties holds even for rows that slipped past every check (written
    before the checks existed, or straight into the database): a person holding the
    sysadmin role acts with no role that opens contents."""
    return roles - CONTENT_ROLES if Role.SYSADMIN in roles else roles
