"""Exports ask for the password again (and the one-time code when enrolled)."""

from datetime import timedelta

import pyotp
from django.urls import reverse
from django.utils import timezone

from mingjing.security.authn import totp_begin_enrolment, totp_verify
from mingjing.security.models import AuditEvent
from tests.conftest import PASSWORD, login_as


def _export_url() -> str:
    return reverse("court_reporting:compliance_xlsx")


def test_an_export_first_asks_to_confirm_the_password(cast, client):
    login_as(client, cast.inspector, reauthenticated=False)
    response = client.get(_export_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:reauth"))


def test_a_wrong_password_is_refused_and_counted(cast, client):
    login_as(client, cast.inspector, reauthenticated=False)
    url = reverse("accounts:reauth") + "?next=" + _export_url()
    response = client.post(url, {"password": "not-the-password", "next": _export_url()})
    assert "密码不正确" in response.content.decode()
    cast.inspector.refresh_from_db()
    assert cast.inspector.failed_login_count == 1
    assert client.get(_export_url()).status_code == 302


def test_the_right_password_opens_the_export_and_is_logged(cast, client):
    login_as(client, cast.inspector, reauthenticated=False)
    response = client.post(
        reverse("accounts:reauth"), {"password": PASSWORD, "next": _export_url()}
    )
    assert response["Location"] == _export_url()
    export = client.get(_export_url())
    assert export.status_code == 200
    assert AuditEvent.objects.filter(action="auth.reauth", actor_id=cast.inspector.id).exists()


def test_an_enrolled_account_also_needs_a_fresh_code(cast, client):
    secret = totp_begin_enrolment(user=cast.custodian)
    totp = pyotp.TOTP(secret)
    assert totp_verify(user=cast.custodian, code=totp.at(timezone.now() - timedelta(seconds=30)))
    login_as(client, cast.custodian, reauthenticated=False)
    url = reverse("accounts:reauth")
    page = client.post(url, {"password": PASSWORD, "code": "000000", "next": _export_url()})
    assert "动态口令不正确" in page.content.decode()
    done = client.post(url, {"password": PASSWORD, "code": totp.now(), "next": _export_url()})
    assert done["Location"] == _export_url()


def test_an_outside_next_address_is_ignored(cast, client):
    login_as(client, cast.inspector, reauthenticated=False)
    response = client.post(
        reverse("accounts:reauth"), {"password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
