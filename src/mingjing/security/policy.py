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


# --- Records: contents versus counts -------------------------------------------------------
#
# Contents (who asked, what was said, how it was handled, attachments) are seen by the
# recorder, his department head for review, the custodian and the approver; anyone else only
# through an approved, unexpired, unrevoked disclosure. Whatever the roles, a person named as
# a record's subject never sees it. Drafts are the recorder's alone.

CONTENT_ROLES_COURTWIDE = frozenset({Role.CUSTODIAN, Role.APPROVER})


def subject_index_of(actor: Actor) -> str:
    """The blind index that marks records naming this actor as their subject."""
    if actor.person is None or actor.court is None:
        return ""
    from mingjing.security.sealing import blind_index

    return blind_index(actor.court, str(actor.person.id), kind="person")


def is_named_subject(actor: Actor, record) -> bool:
    index = subject_index_of(actor)
    return bool(index) and record.subject_person_index == index


def is_recorder(actor: Actor, record) -> bool:
    return actor.person is not None and record.recorder_id == actor.person.id


def _reviews_department(actor: Actor, record) -> bool:
    return actor.has(Role.DEPT_HEAD) and record.department_id == actor.department_id


def may_view_record_contents(actor: Actor, record, *, granted_ids=frozenset()) -> bool:
    """The one rule for reading a record's substance (DESIGN.md section 3)."""
    if not same_court(actor, record) or is_named_subject(actor, record):
        return False
    if is_recorder(actor, record):
        return True
    if record.status == "draft":
        return False
    if actor.has(*CONTENT_ROLES_COURTWIDE) or _reviews_department(actor, record):
        return True
    return record.id in granted_ids


def may_view_record_metadata(actor: Actor, record) -> bool:
    """Category, dates, department and status, never the substance: the counts roles."""
    if not same_court(actor, record) or is_named_subject(actor, record):
        return False
    if is_recorder(actor, record):
        return True
    if record.status == "draft":
        return False
    departments = department_ids_for_counts(actor)
    if departments is None:
        return True
    return record.department_id in departments


def may_request_disclosure(actor: Actor) -> bool:
    return actor.has(Role.INSPECTOR, Role.CUSTODIAN)


def may_decide_disclosure(actor: Actor, disclosure) -> bool:
    return same_court(actor, disclosure) and actor.has(Role.APPROVER)


def may_view_disclosure(actor: Actor, disclosure) -> bool:
    if not same_court(actor, disclosure):
        return False
    mine = actor.person is not None and disclosure.requester_id == actor.person.id
    return mine or actor.has(Role.APPROVER, Role.CUSTODIAN)


def may_revoke_disclosure(actor: Actor, disclosure) -> bool:
    mine = actor.person is not None and disclosure.requester_id == actor.person.id
    return same_court(actor, disclosure) and (mine or actor.has(Role.APPROVER))
