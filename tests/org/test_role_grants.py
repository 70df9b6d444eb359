"""Nobody grants himself content access (issue 8, point 2): roles that open contents take a
second person's confirmation with a code, and never sit beside the sysadmin role."""

import io

import pyotp
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from mingjing.org.models import GrantStatus, RoleAssignment, RoleGrant
from mingjing.org.roles import Role
from mingjing.security import grants
from mingjing.security.actor import actor_for
from mingjing.security.models import AuditEvent
from tests.conftest import SECRET_CONTENT, enrolled_totp, login_as


def roles_of(person) -> set[str]:
    return set(RoleAssignment.objects.filter(person=person).values_list("role", flat=True))


def admin_person_post(client, person, new_roles: list[str]):
    """The sysadmin saves `person` in the admin, adding `new_roles` in the roles inline."""
    held = list(RoleAssignment.objects.filter(person=person).order_by("id"))
    data = {
        "court": person.court_id,
        "staff_no": person.staff_no,
        "name": person.name,
        "position": person.position,
        "department": person.department_id or "",
        "status": person.status,
        "user": person.user_id or "",
        "roles-TOTAL_FORMS": len(held) + len(new_roles),
        "roles-INITIAL_FORMS": len(held),
        "roles-MIN_NUM_FORMS": 0,
        "roles-MAX_NUM_FORMS": 1000,
    }
    if person.is_leader:
        data["is_leader"] = "on"
    for index, assignment in enumerate(held):
        data.update(
            {
                f"roles-{index}-id": assignment.pk,
                f"roles-{index}-person": person.pk,
                f"roles-{index}-role": assignment.role,
                f"roles-{index}-court": assignment.court_id,
            }
        )
    for index, role in enumerate(new_roles, len(held)):
        data.update(
            {
                f"roles-{index}-person": person.pk,
                f"roles-{index}-role": role,
                f"roles-{index}-court": person.court_id,
            }
        )
    url = reverse("admin:org_person_change", args=[person.pk])
    return client.post(url, data)


def request_grant(cast, person_key="staff2", role=Role.DEPT_HEAD) -> RoleGrant:
    return grants.role_grant_request(
        actor=actor_for(cast.sysadmin),
        person=cast.people[person_key],
        role=role,
        reason="新任部门负责人",
    )


# The sysadmin cannot give himself (or anyone) contents


def test_the_sysadmin_cannot_add_the_custodian_role_to_himself_in_the_admin(cast, client):
    login_as(client, cast.sysadmin)
    response = admin_person_post(client, cast.people["sysadmin"], [Role.CUSTODIAN])
    assert response.status_code == 200  # the form again, with the reason
    assert "角色授予申请" in response.content.decode()
    assert roles_of(cast.people["sysadmin"]) == {Role.SYSADMIN}


def test_the_sysadmin_cannot_add_a_content_role_to_anyone_in_the_admin(cast, client):
    login_as(client, cast.sysadmin)
    admin_person_post(client, cast.people["staff2"], [Role.DEPT_HEAD])
    assert roles_of(cast.people["staff2"]) == {Role.STAFF}


def test_the_sysadmin_still_adds_roles_without_contents_in_the_admin_audited(cast, client):
    login_as(client, cast.sysadmin)
    response = admin_person_post(client, cast.people["staff2"], [Role.INSPECTOR])
    assert response.status_code == 302
    assert roles_of(cast.people["staff2"]) == {Role.STAFF, Role.INSPECTOR}
    assert AuditEvent.objects.filter(action="role.assign", actor_id=cast.sysadmin.pk).exists()


def test_the_sysadmin_cannot_give_himself_any_role_in_the_admin(cast, client):
    login_as(client, cast.sysadmin)
    admin_person_post(client, cast.people["sysadmin"], [Role.STAFF])
    assert roles_of(cast.people["sysadmin"]) == {Role.SYSADMIN}


def test_the_sysadmin_role_is_refused_to_a_custodian_in_the_admin(cast, client):
    login_as(client, cast.sysadmin)
    response = admin_person_post(client, cast.people["custodian"], [Role.SYSADMIN])
    assert response.status_code == 200  # the form again, with the refusal
    assert response.context["errors"]
    assert Role.SYSADMIN not in roles_of(cast.people["custodian"])


def test_a_sysadmin_cannot_ask_for_a_content_role_for_himself(cast):
    with pytest.raises(ValidationError):
        request_grant(cast, "sysadmin", Role.CUSTODIAN)
    assert not RoleGrant.objects.filter(status=GrantStatus.PENDING).exists()


def test_a_content_role_without_a_confirmed_grant_cannot_be_saved_at_all(cast):
    with pytest.raises(ValidationError):
        RoleAssignment.objects.create(
            person=cast.people["staff2"], court=cast.courts["a"], role=Role.CUSTODIAN
        )
    with pytest.raises(ValidationError):
        grants.role_assign(
            actor=actor_for(cast.sysadmin), person=cast.people["staff2"], role=Role.APPROVER
        )


def test_the_sysadmin_role_and_a_content_role_never_sit_on_one_person(cast):
    sysadmin = actor_for(cast.sysadmin)
    with pytest.raises(ValidationError):
        grants.role_assign(actor=sysadmin, person=cast.people["head"], role=Role.SYSADMIN)
    with pytest.raises(ValidationError):
        grants.role_grant_bootstrap(
            person=cast.people["sysadmin"], role=Role.APPROVER, reason="测试"
        )
    with pytest.raises(ValidationError):
        RoleAssignment.objects.create(
            person=cast.people["custodian"], court=cast.courts["a"], role=Role.SYSADMIN
        )


def test_a_row_slipped_into_the_database_opens_no_contents_for_a_sysadmin(cast, records, client):
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(person=cast.people["sysadmin"], court=cast.courts["a"], role="custodian")]
    )
    assert Role.CUSTODIAN not in actor_for(cast.sysadmin).roles
    login_as(client, cast.sysadmin)
    response = client.get(reverse("records:detail", args=[records.own.id]))
    assert response.status_code == 404
    assert SECRET_CONTENT not in response.content.decode()


def test_only_the_sysadmin_may_ask_for_a_grant(cast):
    with pytest.raises(PermissionDenied):
        grants.role_grant_request(
            actor=actor_for(cast.custodian), person=cast.people["staff2"], role=Role.DEPT_HEAD
        )


# The sysadmin asks (admin), an approver confirms (page, code)


def test_the_sysadmin_asks_in_the_admin_and_nothing_opens_yet(cast, client):
    login_as(client, cast.sysadmin)
    url = reverse("admin:org_rolegrant_add")
    data = {"person": cast.people["staff2"].pk, "role": Role.DEPT_HEAD, "reason": "新任"}
    response = client.post(url, data)
    assert response.status_code == 302
    grant = RoleGrant.objects.get(status=GrantStatus.PENDING)
    assert grant.status == GrantStatus.PENDING and grant.requested_by == cast.people["sysadmin"]
    assert roles_of(cast.people["staff2"]) == {Role.STAFF}
    assert AuditEvent.objects.filter(action="role.grant_request").count() == 1


def test_the_admin_refuses_a_request_for_the_sysadmin_himself(cast, client):
    login_as(client, cast.sysadmin)
    data = {"person": cast.people["sysadmin"].pk, "role": Role.CUSTODIAN, "reason": "自己"}
    response = client.post(reverse("admin:org_rolegrant_add"), data)
    assert response.status_code == 200
    assert "不能给自己授予角色" in response.content.decode()
    assert not RoleGrant.objects.filter(status=GrantStatus.PENDING).exists()


def test_the_grant_takes_effect_only_after_an_approvers_code(cast, client):
    grant = request_grant(cast)
    secret = enrolled_totp(cast.approver)
    login_as(client, cast.approver)
    url = reverse("org:grant_detail", args=[grant.id])
    assert "新任部门负责人" in client.get(url).content.decode()
    response = client.post(url, {"decision": "confirm", "otp": "000000"})
    assert "动态口令不正确" in response.content.decode()
    assert roles_of(cast.people["staff2"]) == {Role.STAFF}
    response = client.post(url, {"decision": "confirm", "otp": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert roles_of(cast.people["staff2"]) == {Role.STAFF, Role.DEPT_HEAD}
    grant.refresh_from_db()
    assert grant.status == GrantStatus.CONFIRMED and grant.decided_by == cast.people["approver"]
    assert RoleAssignment.objects.get(person=cast.people["staff2"], role="dept_head").grant == grant
    confirmed = AuditEvent.objects.get(action="role.grant_confirm")
    assert confirmed.actor_id == cast.approver.pk


def test_a_refusal_is_audited_and_gives_nothing(cast, client):
    grant = request_grant(cast)
    secret = enrolled_totp(cast.approver)
    login_as(client, cast.approver)
    url = reverse("org:grant_detail", args=[grant.id])
    client.post(url, {"decision": "refuse", "otp": pyotp.TOTP(secret).now(), "note": "不符"})
    grant.refresh_from_db()
    assert grant.status == GrantStatus.REFUSED
    assert roles_of(cast.people["staff2"]) == {Role.STAFF}
    assert AuditEvent.objects.filter(action="role.grant_refuse").count() == 1


def test_an_approver_cannot_confirm_a_role_for_himself(cast, client):
    grant = request_grant(cast, "approver", Role.CUSTODIAN)
    secret = enrolled_totp(cast.approver)
    login_as(client, cast.approver)
    url = reverse("org:grant_detail", args=[grant.id])
    response = client.post(url, {"decision": "confirm", "otp": pyotp.TOTP(secret).now()})
    assert response.status_code == 403
    assert Role.CUSTODIAN not in roles_of(cast.people["approver"])
    assert grant.id not in [g.id for g in grants.pending_grants_for(actor_for(cast.approver))]


@pytest.mark.parametrize("username", ["sysadmin", "custodian", "head", "staff2", "other_court"])
def test_nobody_but_an_approver_confirms(cast, client, username):
    grant = request_grant(cast)
    login_as(client, getattr(cast, username))
    url = reverse("org:grant_detail", args=[grant.id])
    assert client.post(url, {"decision": "confirm", "otp": "123456"}).status_code == 403
    assert client.get(reverse("org:grant_list")).status_code == 403
    assert roles_of(cast.people["staff2"]) == {Role.STAFF}


def test_a_revoked_role_cannot_come_back_on_its_old_grant(cast):
    grant = request_grant(cast)
    secret = enrolled_totp(cast.approver)
    grants.role_grant_decide(
        actor=actor_for(cast.approver), grant=grant, confirm=True, otp=pyotp.TOTP(secret).now()
    )
    assignment = RoleAssignment.objects.get(person=cast.people["staff2"], role="dept_head")
    grants.role_revoke(actor=actor_for(cast.sysadmin), assignment=assignment)
    grant.refresh_from_db()
    assert grant.status == GrantStatus.REVOKED
    assert AuditEvent.objects.filter(action="role.revoke").count() == 1
    with pytest.raises(ValidationError):
        RoleAssignment.objects.create(
            person=cast.people["staff2"], court=cast.courts["a"], role="dept_head", grant=grant
        )


def test_the_approver_sees_the_grant_among_his_tasks(cast, client):
    request_grant(cast)
    login_as(client, cast.approver)
    assert "角色授予确认" in client.get(reverse("web:home")).content.decode()


# Imports and the operator's path


def test_an_import_asks_for_content_roles_and_grants_only_the_others(cast):
    from mingjing.imports.people import people_import

    staff2 = cast.people["staff2"]
    csv = f"工号,姓名,角色\n{staff2.staff_no},{staff2.name},部门负责人、督察室工作人员\n"
    result = people_import(
        actor=actor_for(cast.sysadmin), court=cast.courts["a"], source=io.StringIO(csv)
    )
    assert result.errors == [] and result.pending_grants == 1
    assert roles_of(staff2) == {Role.STAFF, Role.INSPECTOR}
    assert RoleGrant.objects.get(status=GrantStatus.PENDING).role == Role.DEPT_HEAD


def test_an_import_refuses_a_content_role_for_the_sysadmin(cast):
    from mingjing.imports.people import people_import

    admin = cast.people["sysadmin"]
    csv = f"工号,姓名,角色\n{admin.staff_no},{admin.name},院管理员\n"
    result = people_import(
        actor=actor_for(cast.sysadmin), court=cast.courts["a"], source=io.StringIO(csv)
    )
    assert result.errors and "三员分立" in str(result.errors[0])
    assert (
        roles_of(admin) == {Role.SYSADMIN}
        and not RoleGrant.objects.filter(status=GrantStatus.PENDING).exists()
    )


def test_the_operator_grants_a_new_courts_first_president_audited(cast):
    court_b = cast.courts["b"]
    person = cast.people["other_court"]
    out = io.StringIO()
    args = ["--court", court_b.code, "--staff-no", person.staff_no, "--role", "approver"]
    call_command("grant_role", *args, "--reason", "新法院院长到任", stdout=out)
    assert Role.APPROVER in roles_of(person)
    event = AuditEvent.objects.get(action="role.grant_bootstrap")
    assert event.detail["operator"]
    with pytest.raises(CommandError, match="已有可以确认"):
        args = ["--court", court_b.code, "--staff-no", person.staff_no, "--role", "custodian"]
        call_command("grant_role", *args, "--reason", "再来一次", stdout=out)


def test_the_operator_path_is_closed_once_a_court_has_an_approver(cast):
    with pytest.raises(CommandError, match="已有可以确认"):
        call_command(
            "grant_role",
            "--court",
            cast.courts["a"].code,
            "--staff-no",
            cast.people["staff2"].staff_no,
            "--role",
            "custodian",
            "--reason",
            "想要内容",
            stdout=io.StringIO(),
        )
