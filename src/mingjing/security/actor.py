"""Who is asking: the account, the person behind it, his court and the roles he holds there."""

from dataclasses import dataclass, field

from mingjing.org.models import Court, Person, RoleAssignment
from mingjing.org.roles import CONTENT_ROLES, Role


@dataclass(frozen=True)
class Actor:
    user: object | None
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


ANONYMOUS = Actor(user=None, person=None, court=None)


def actor_for(user) -> Actor:
    """The actor for an account; an account without a person acts as nobody."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    person = Person.objects.select_related("court", "department").filter(user=user).first()
    if person is None:
        return Actor(user=user, person=None, court=None)
    roles = RoleAssignment.objects.filter(person=person, court=person.court).values_list(
        "role", flat=True
    )
    overseen = frozenset(person.oversees.values_list("id", flat=True))
    return Actor(
        user=user,
        person=person,
        court=person.court,
        roles=_separated(frozenset(roles)) if person.is_serving else frozenset(),
        overseen_department_ids=overseen if Role.LEADER in roles else frozenset(),
    )


def _separated(roles: frozenset[str]) -> frozenset[str]:
    """Separation of duties holds even for rows that slipped past every check (written
    before the checks existed, or straight into the database): a person holding the
    sysadmin role acts with no role that opens contents."""
    return roles - CONTENT_ROLES if Role.SYSADMIN in roles else roles
