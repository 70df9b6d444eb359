"""The sysadmin cannot become the custodian by taking over his account (issue 8.2).

Setting a password, resetting the second factor or relinking the account of a person who
holds a content role would hand that person's contents to whoever did it.
"""

from django.urls import reverse

from mingjing.accounts.models import User
from tests.conftest import SECRET_CONTENT, login_as
from tests.org.test_role_grants import admin_person_post

NEW_PASSWORD = "a-brand-new-password-2026"


def change_password(client, cast, user):
    login_as(client, cast.sysadmin)
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    return client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})


def test_the_sysadmin_cannot_set_the_custodians_password(cast, client):
    response = change_password(client, cast, cast.custodian)
    assert response.status_code == 403
    assert "系统管理员不能为其设置密码" in response.content.decode()
    cast.custodian.refresh_from_db()
    assert not cast.custodian.check_password(NEW_PASSWORD)


def test_the_sysadmin_still_sets_a_staff_members_password(cast, client):
    response = change_password(client, cast, cast.staff)
    assert response.status_code == 302
    assert User.objects.get(pk=cast.staff.pk).check_password(NEW_PASSWORD)


def test_the_sysadmin_cannot_reset_the_presidents_second_factor(cast, client):
    User.objects.filter(pk__in=[cast.approver.pk, cast.staff.pk]).update(
        totp_confirmed_at="2026-01-01T00:00:00+08:00"
    )
    login_as(client, cast.sysadmin)
    data = {
        "action": "reset_totp",
        "_selected_action": [cast.approver.pk, cast.staff.pk],
    }
    response = client.post(reverse("admin:accounts_user_changelist"), data, follow=True)
    assert response.status_code == 200
    assert "须由本人办理" in response.content.decode()
    assert User.objects.get(pk=cast.approver.pk).totp_confirmed_at is not None
    assert User.objects.get(pk=cast.staff.pk).totp_confirmed_at is None


def test_the_sysadmin_cannot_link_his_account_to_the_custodians_person(cast, records, client):
    custodian = cast.people["custodian"]
    custodian.user = cast.sysadmin
    login_as(client, cast.sysadmin)
    form = client.get(reverse("admin:org_person_change", args=[custodian.pk])).content.decode()
    assert 'name="user"' not in form
    admin_person_post(client, custodian, [])
    custodian.refresh_from_db()
    assert custodian.user_id == cast.custodian.pk
    login_as(client, cast.sysadmin)
    response = client.get(reverse("records:detail", args=[records.own.id]))
    assert response.status_code == 404
    assert SECRET_CONTENT not in response.content.decode()


def test_a_staff_members_account_link_stays_editable(cast, client):
    login_as(client, cast.sysadmin)
    url = reverse("admin:org_person_change", args=[cast.people["staff"].pk])
    assert 'name="user"' in client.get(url).content.decode()
