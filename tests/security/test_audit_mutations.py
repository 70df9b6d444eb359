"""Mutations outside the confidential services are logged too, with who did them."""

from django.urls import reverse

from mingjing.org.models import Person
from mingjing.security.audit import verify_chain
from mingjing.security.models import AuditEvent
from tests.conftest import login_as


def test_an_admin_edit_of_a_person_is_logged_with_the_sysadmin_as_actor(cast, client):
    login_as(client, cast.sysadmin)
    person = cast.people["staff2"]
    url = reverse("admin:org_person_change", args=[person.id])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "oversees"}
    data.update(
        court=person.court_id,
        department=person.department_id,
        position="审判员",
        **{"roles-TOTAL_FORMS": 0, "roles-INITIAL_FORMS": 0},
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Person.objects.get(pk=person.pk).position == "审判员"
    event = AuditEvent.objects.filter(action="org.person.update", object_id=str(person.pk)).last()
    assert event.actor_id == cast.sysadmin.id
    assert event.court_code == person.court.code
    assert verify_chain().ok


def test_oversight_changes_are_logged(cast):
    leader = cast.people["leader"]
    leader.oversees.add(cast.departments["criminal"])
    event = AuditEvent.objects.filter(action="org.person.oversees").last()
    assert event.detail == {"change": "add", "departments": [cast.departments["criminal"].id]}


def test_a_login_touching_only_bookkeeping_fields_is_not_a_user_update(cast, client):
    from tests.conftest import PASSWORD

    before = AuditEvent.objects.filter(action="accounts.user.update").count()
    client.post(reverse("accounts:login"), {"username": "staff", "password": PASSWORD})
    assert AuditEvent.objects.filter(action="accounts.user.update").count() == before


def test_logins_failures_lockouts_and_logouts_are_in_the_chain(cast, client):
    from django.conf import settings

    from tests.conftest import PASSWORD

    login_url = reverse("accounts:login")
    client.post(login_url, {"username": "staff", "password": PASSWORD})
    client.post(reverse("accounts:logout"))
    # From as many clients: one client alone is throttled before the lock.
    for attempt in range(settings.MINGJING_LOCKOUT_ATTEMPTS):
        data = {"username": "staff2", "password": "wrong-password"}
        client.post(login_url, data, REMOTE_ADDR=f"10.3.0.{attempt + 1}")
    client.post(login_url, {"username": "nobody", "password": "wrong-password"})
    actions = list(AuditEvent.objects.values_list("action", "actor_id", "detail"))
    assert ("auth.login", cast.staff.id, {}) in actions
    assert ("auth.logout", cast.staff.id, {}) in actions
    failures = [a for a in actions if a[0] == "auth.login_failed" and a[1] == cast.staff2.id]
    assert len(failures) == settings.MINGJING_LOCKOUT_ATTEMPTS
    assert ("auth.lockout", cast.staff2.id, {}) in actions
    assert ("auth.login_failed", None, {"unknown_user": True}) in actions
    assert verify_chain().ok
