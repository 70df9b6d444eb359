"""The cast: one user per role in the court under test, an outsider, and a user of another court.

Court A (豫9001) has the departments 民一庭 (civil) and 刑事审判庭 (criminal); its parent is the
higher court H (豫90), whose supervisor oversees it. Court B (豫9002) is another court.
"""

from dataclasses import dataclass
from datetime import date

import pytest

from mingjing.accounts.middleware import SESSION_KEY
from mingjing.accounts.models import User
from mingjing.cases.models import Assignment, AssignmentRole, Case, Participant, ParticipantRole
from mingjing.org.models import Court, Department, Person, RoleAssignment
from mingjing.org.roles import Role

PASSWORD = "correct-horse-battery-staple"

# username -> (court key, department key, roles)
CAST_SPEC = {
    "staff": ("a", "civil", [Role.STAFF]),
    "staff2": ("a", "civil", [Role.STAFF]),
    "head": ("a", "civil", [Role.STAFF, Role.DEPT_HEAD]),
    "deptadmin": ("a", "civil", [Role.STAFF, Role.DEPT_ADMIN]),
    "leader": ("a", None, [Role.STAFF, Role.LEADER]),
    "custodian": ("a", "office", [Role.STAFF, Role.CUSTODIAN]),
    "inspector": ("a", "office", [Role.STAFF, Role.INSPECTOR]),
    "approver": ("a", None, [Role.STAFF, Role.APPROVER]),
    "personnel": ("a", "politics", [Role.STAFF, Role.PERSONNEL]),
    "supervisor": ("h", None, [Role.SUPERVISOR]),
    "sysadmin": ("a", "office", [Role.SYSADMIN]),
    "outsider": ("a", "civil", []),
    "other_court": ("b", "civil_b", [Role.STAFF, Role.DEPT_HEAD]),
}
ROLE_USERS = [name for name in CAST_SPEC]


@pytest.fixture(autouse=True)
def _api_answers_follow_the_openapi_document(monkeypatch):
    """Every /api/v1 answer in every test is validated against the generated OpenAPI
    document (tests/api_contract.py), as zulip validates its API tests."""
    from django.test import Client

    from tests.api_contract import checked

    if not getattr(Client.request, "openapi_checked", False):
        monkeypatch.setattr(Client, "request", checked(Client.request))


@dataclass
class Cast:
    courts: dict
    departments: dict
    users: dict
    people: dict
    case: Case
    other_case: Case

    def __getattr__(self, name):
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


def _courts() -> dict:
    higher = Court.objects.create(code="豫90", name="济源中级人民法院（测试）", short_name="中院")
    court_a = Court.objects.create(
        code="豫9001", name="济源市人民法院（测试）", short_name="A院", parent=higher
    )
    court_b = Court.objects.create(
        code="豫9002", name="邻县人民法院（测试）", short_name="B院", parent=higher
    )
    return {"h": higher, "a": court_a, "b": court_b}


def _departments(courts: dict) -> dict:
    spec = {
        "civil": ("a", "MY1", "民事审判第一庭"),
        "criminal": ("a", "XS", "刑事审判庭"),
        "office": ("a", "ZH", "综合办公室（督察室）"),
        "politics": ("a", "ZZ", "政治部"),
        "civil_b": ("b", "MY1", "民事审判第一庭"),
    }
    return {
        key: Department.objects.create(court=courts[c], code=code, name=name)
        for key, (c, code, name) in spec.items()
    }


def _person(index: int, username: str, court, department, roles) -> Person:
    user = User.objects.create_user(
        username=username, password=PASSWORD, is_staff=username == "sysadmin"
    )
    person = Person.objects.create(
        court=court,
        staff_no=f"T{index:04d}",
        name=f"测试{username}",
        department=department,
        is_leader=Role.LEADER in roles or Role.APPROVER in roles,
        user=user,
    )
    for role in roles:
        grant_role(person, role)
    return person


def grant_role(person: Person, role: str) -> RoleAssignment:
    """Give `person` a role in his court. A role that opens contents carries its grant, as
    the operator's server-side path records it (security.grants; tests of the two-person
    confirmation itself use the pages)."""
    from mingjing.org.models import GrantStatus, RoleGrant
    from mingjing.org.roles import CONTENT_ROLES

    grant = None
    if role in CONTENT_ROLES:
        grant = RoleGrant.objects.create(
            court=person.court, person=person, role=role, status=GrantStatus.BOOTSTRAPPED
        )
    return RoleAssignment.objects.create(person=person, court=person.court, role=role, grant=grant)


def _case(court, department, number: str, handler: Person | None) -> Case:
    case = Case.objects.create(
        court=court,
        number=number,
        year=2026,
        kind="民初",
        cause="民间借贷纠纷",
        department=department,
        filed_on=date(2026, 3, 2),
    )
    Participant.objects.create(case=case, role=ParticipantRole.PLAINTIFF, name="张某")
    Participant.objects.create(
        case=case, role=ParticipantRole.LAWYER, name="李律师", law_firm="某某律师事务所"
    )
    if handler:
        Assignment.objects.create(case=case, person=handler, role=AssignmentRole.JUDGE)
    return case


@pytest.fixture
def cast(db) -> Cast:
    courts = _courts()
    departments = _departments(courts)
    people = {}
    for index, (username, (court_key, dept_key, roles)) in enumerate(CAST_SPEC.items(), 1):
        department = departments[dept_key] if dept_key else None
        people[username] = _person(index, username, courts[court_key], department, roles)
    people["leader"].oversees.add(departments["civil"])
    case = _case(courts["a"], departments["civil"], "（2026）豫9001民初123号", people["staff"])
    other = _case(
        courts["b"], departments["civil_b"], "（2026）豫9002民初7号", people["other_court"]
    )
    users = {name: person.user for name, person in people.items()}
    return Cast(courts, departments, users, people, case, other)


def login_as(client, user, *, reauthenticated: bool = True):
    """Log in as `user`, second factor passed; by default also just re-authenticated, so
    that exports open (tests of re-authentication itself pass reauthenticated=False)."""
    import time

    from mingjing.accounts.reauth import SESSION_KEY as REAUTH_KEY

    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = True
    if reauthenticated:
        session[REAUTH_KEY] = time.time()
    session.save()
    return client


def enrolled_totp(user) -> str:
    """A confirmed second factor for `user`, as if enrolled earlier; returns the secret.

    Stored as the app stores it: wrapped by the master key, bound to the user's row."""
    import pyotp
    from django.utils import timezone

    from mingjing.security.secretbox import totp_label, wrap

    secret = pyotp.random_base32()
    wrapped = wrap(secret, label=totp_label(user.pk))
    User.objects.filter(pk=user.pk).update(totp_secret=wrapped, totp_confirmed_at=timezone.now())
    user.refresh_from_db()
    return secret


@pytest.fixture
def login(client):
    return lambda user: login_as(client, user)


@dataclass
class Records:
    own: object  # staff's submitted record about cast.case
    names_head: object  # staff2's submitted record whose subject is the department head
    draft: object  # staff's draft
    office: object  # custodian's own record, in another department
    other_court: object  # a record of court B


SECRET_SUBJECT = "欧阳明镜"
SECRET_CONTENT = "请托关照（2026）豫9001民初123号，许诺事后重谢"


def make_record(person, *, submit=True, subject_person=None, name=SECRET_SUBJECT, case=None):
    """A record through the real services (sealed, audited, receipted)."""
    from datetime import timedelta

    from django.utils import timezone

    from mingjing.records.services import RecordInput, record_save_draft, record_submit
    from mingjing.security.actor import actor_for

    actor = actor_for(person.user)
    data = RecordInput(
        category="leader_interference",
        behaviour="plea",
        manner="phone",
        subject_kind="internal_staff" if subject_person else "external_cadre",
        occurred_at=timezone.now() - timedelta(days=1),
        subject_name=name if not subject_person else "",
        subject_unit="某区某局",
        subject_position="副局长",
        subject_contact="13912345678",
        subject_person_id=subject_person.id if subject_person else None,
        place="办公室",
        content=SECRET_CONTENT,
        handling="当场拒绝并如实记录",
    )
    record = record_save_draft(actor=actor, data=data)
    if case is not None:
        record.cases.add(case)
    if submit:
        record, _ = record_submit(actor=actor, record=record)
    return record


@pytest.fixture
def records(cast) -> Records:
    return make_records(cast)


def make_records(cast) -> Records:
    return Records(
        own=make_record(cast.people["staff"], case=cast.case),
        names_head=make_record(cast.people["staff2"], subject_person=cast.people["head"]),
        draft=make_record(cast.people["staff"], submit=False),
        office=make_record(cast.people["custodian"]),
        other_court=make_record(cast.people["other_court"]),
    )


# The audit table is append-only on PostgreSQL; let transactional tests' flush empty it.
from tests.security.conftest import audit_truncatable  # noqa: E402, F401
