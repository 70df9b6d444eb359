"""`mingjing demo`: the demo court of DESIGN.md section 7, built idempotently.

These tests use the bare `db` fixture: the demo builds the court 豫9001 that the `cast`
fixture also builds, so the two never share a database.
"""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import F

from mingjing.accounts.models import User
from mingjing.cases.models import Assignment, Case, Participant, ParticipantRole
from mingjing.cases.numbers import parse_case_number
from mingjing.org.models import Court, Department, Person, PersonStatus, RoleAssignment
from mingjing.org.roles import Role

PASSWORD = "mingjing-demo"
S = Role.STAFF
EXPECTED_ROLES = {
    "staff1": {S},
    "staff2": {S},
    "head1": {S, Role.DEPT_HEAD},
    "deptadmin1": {S, Role.DEPT_ADMIN},
    "leader1": {S, Role.LEADER},
    "custodian": {S, Role.CUSTODIAN},
    "inspector": {S, Role.INSPECTOR},
    "president": {S, Role.APPROVER, Role.LEADER},
    "personnel": {S, Role.PERSONNEL},
    "sysadmin": {Role.SYSADMIN},
    "supervisor": {Role.SUPERVISOR},
}
CIVIL_ONE = "民事审判第一庭"


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [Court, Department, Person, RoleAssignment, User, Case, Participant, Assignment]
    return {model.__name__: model.objects.count() for model in models}


def person(username: str) -> Person:
    return Person.objects.select_related("court", "department").get(user__username=username)


@pytest.fixture
def demo(db) -> str:
    return run_demo()


def test_it_gives_each_demo_account_its_roles_in_its_own_court(demo):
    for username, roles in EXPECTED_ROLES.items():
        held = RoleAssignment.objects.filter(person=person(username))
        assert {r.role for r in held} == roles, username
        assert {r.court_id for r in held} == {person(username).court_id}, username


def test_every_demo_account_logs_in_with_the_demo_password(demo):
    for username in EXPECTED_ROLES:
        assert authenticate(username=username, password=PASSWORD) is not None, username
    assert authenticate(username="staff1", password="wrong-password") is None


def test_only_sysadmin_may_use_the_django_admin(demo):
    sysadmin = User.objects.get(username="sysadmin")
    assert sysadmin.is_staff and sysadmin.is_superuser
    others = User.objects.exclude(username="sysadmin")
    assert not others.filter(is_staff=True).exists()
    assert not others.filter(is_superuser=True).exists()


def test_it_places_the_demo_accounts_where_design_says(demo):
    court = Court.objects.get(code="豫9001")
    assert court.parent.code == "豫90"
    assert person("supervisor").court.code == "豫90"
    for username in ["staff1", "staff2", "head1", "deptadmin1"]:
        assert person(username).department.name == CIVIL_ONE
    assert person("head1").position == "庭长"
    assert person("custodian").department.name == "综合办公室（督察室）"
    assert person("inspector").department.name == "综合办公室（督察室）"
    assert person("personnel").department.name == "政治部"


def test_leaders_oversee_their_departments(demo):
    leader = person("leader1")
    assert leader.is_leader and leader.position == "副院长"
    overseen = set(leader.oversees.values_list("name", flat=True))
    assert overseen == {CIVIL_ONE, "民事审判第二庭"}
    president = person("president")
    assert president.is_leader and president.position == "院长"
    assert president.oversees.exists()


def test_it_builds_about_sixty_people_with_some_former_staff(demo):
    people = Person.objects.filter(court__code="豫9001")
    assert 50 <= people.count() <= 80
    former = people.exclude(status=PersonStatus.SERVING)
    assert former.count() >= 3
    assert not former.filter(status_date=None).exists()
    assert Department.objects.filter(court__code="豫9001").count() >= 10


def test_it_builds_a_few_hundred_cases_with_participants_and_handlers(demo):
    cases = Case.objects.filter(court__code="豫9001")
    assert 250 <= cases.count() <= 400
    assert not cases.filter(participants=None).exists()
    assert not cases.filter(assignments=None).exists()
    assert Participant.objects.filter(role=ParticipantRole.LAWYER).exclude(law_firm="").exists()
    assert Participant.objects.filter(role=ParticipantRole.DEFENDER).exists()
    assert cases.filter(closed_on=None).exists() and cases.exclude(closed_on=None).exists()


def test_every_case_number_is_valid_and_matches_the_case(demo):
    for case in Case.objects.all():
        parts = parse_case_number(case.number)
        assert parts["number"] == case.number
        assert (parts["year"], parts["court"], parts["kind"]) == (
            str(case.year),
            "豫9001",
            case.kind,
        )
        assert case.filed_on.year == case.year
        assert case.closed_on is None or case.closed_on >= case.filed_on


def test_handlers_belong_to_the_case_department(demo):
    mismatched = Assignment.objects.exclude(person__department=F("case__department"))
    assert not mismatched.exists()
    for username in ["staff1", "staff2"]:
        assert Assignment.objects.filter(person=person(username)).count() >= 5, username


def test_a_second_run_changes_nothing(demo):
    before = counts()
    updated = dict(Case.objects.values_list("number", "updated_at"))
    output = run_demo()
    assert counts() == before
    assert dict(Case.objects.values_list("number", "updated_at")) == updated
    assert "没有改动" in output


def test_a_changed_password_survives_a_rerun(demo):
    user = User.objects.get(username="staff1")
    user.set_password("a-new-secret-of-mine")
    user.totp_secret = "JBSWY3DPEHPK3PXP"
    user.save()
    run_demo()
    user.refresh_from_db()
    assert user.totp_secret == "JBSWY3DPEHPK3PXP"
    assert authenticate(username="staff1", password="a-new-secret-of-mine") is not None
    assert authenticate(username="staff1", password=PASSWORD) is None


def test_reset_passwords_restores_the_demo_password(demo):
    user = User.objects.get(username="custodian")
    user.set_password("a-new-secret-of-mine")
    user.totp_secret = "JBSWY3DPEHPK3PXP"
    user.save()
    run_demo("--reset-passwords")
    user.refresh_from_db()
    assert user.totp_secret == ""
    assert authenticate(username="custodian", password=PASSWORD) is not None


def test_the_output_lists_the_accounts_and_the_password(demo):
    for username in EXPECTED_ROLES:
        assert username in demo
    assert PASSWORD in demo
