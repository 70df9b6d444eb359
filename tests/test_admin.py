"""The Django admin is the sysadmin's, and lists nothing confidential."""

from django.contrib import admin
from django.urls import reverse

from tests.conftest import login_as

CONFIDENTIAL_APPS = {"records", "oversight", "security"}


def test_the_admin_registers_no_confidential_model():
    labels = {model._meta.app_label for model in admin.site._registry}
    assert labels & CONFIDENTIAL_APPS == set()


def test_a_sysadmin_without_the_superuser_flag_can_manage_people(cast, client):
    assert not cast.sysadmin.is_superuser
    login_as(client, cast.sysadmin)
    assert client.get(reverse("admin:org_person_changelist")).status_code == 200
    assert client.get(reverse("admin:cases_case_changelist")).status_code == 200


def test_a_superuser_without_the_sysadmin_role_is_kept_out(cast, client):
    cast.custodian.is_staff = cast.custodian.is_superuser = True
    cast.custodian.save()
    login_as(client, cast.custodian)
    assert client.get(reverse("admin:org_person_changelist")).status_code in (302, 403)
