"""The one place that decides who may see and do what (DESIGN.md section 3).

Views, the API, exports and downloads ask these functions; nothing else re-implements them.
Objects of another court are simply not found (404), never forbidden (403).
"""

from mingjing.org.roles import SECOND_FACTOR_ROLES, Role
from mingjing.security.actor import Actor

# Roles that work with the court's cases day to day and may look a case up.
CASE_LOOKUP_ROLES = frozenset(
    {
        Role.STAFF,
        Role.DEPT_HEAD,
        Role.DEPT_ADMIN,
        Role.LEADER,
        Role.CUSTODIAN,
        Role.INSPECTOR,
        Role.APPROVER,
    }
)
# Roles that see people and departments of the court (who is who, not what they recorded).
DIRECTORY_ROLES = CASE_LOOKUP_ROLES | {Role.PERSONNEL}


def same_court(actor: Actor, obj) -> bool:
    """True when `obj` (anything with `court_id`) belongs to the actor's court."""
    return actor.court is not None and getattr(obj, "court_id", None) == actor.court.id


def may_look_up_cases(actor: Actor) -> bool:
    return actor.has(*CASE_LOOKUP_ROLES)


def may_view_case(actor: Actor, case) -> bool:
    """Case metadata (number, cause, parties, handlers) is not a record's substance."""
    return same_court(actor, case) and may_look_up_cases(actor)


def may_view_directory(actor: Actor) -> bool:
    return actor.has(*DIRECTORY_ROLES)


def may_administer(actor: Actor) -> bool:
    """Accounts, settings and keys; never contents (the sysadmin sees no record)."""
    return actor.has(Role.SYSADMIN)


def may_import(actor: Actor) -> bool:
    """People and cases come in from the personnel and case-management systems."""
    return actor.has(Role.SYSADMIN)


def needs_second_factor(actor: Actor) -> bool:
    return bool(actor.roles & SECOND_FACTOR_ROLES)


def department_ids_for_counts(actor: Actor) -> frozenset[int] | None:
    """Departments whose counts and statuses the actor sees; None means the whole court."""
    if actor.has(Role.CUSTODIAN, Role.INSPECTOR, Role.APPROVER):
        return None
    ids: set[int] = set(actor.overseen_department_ids)
    if actor.has(Role.DEPT_HEAD, Role.DEPT_ADMIN) and actor.department_id:
        ids.add(actor.department_id)
    return frozenset(ids)
