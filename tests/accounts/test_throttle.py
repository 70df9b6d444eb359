"""Per-client throttling (issue 8, point 3): an attacker is slowed and refused with 429 before
an account locks, and no stranger can lock a privileged account at will."""

import json

import pyotp
from django.conf import settings
from django.urls import reverse

from mingjing.accounts.models import TokenBucket, User
from mingjing.security.models import AuditEvent
from tests.conftest import PASSWORD, enrolled_totp, login_as

LOGIN = reverse("accounts:login")
TOKEN = reverse("api:auth_token")
VERIFY = reverse("accounts:totp_verify")


def sign_in(client, username, password="not-the-password", address="127.0.0.1"):
    data = {"username": username, "password": password}
    return client.post(LOGIN, data, REMOTE_ADDR=address)


def exchange(client, username, password="not-the-password", address="127.0.0.1"):
    body = json.dumps({"username": username, "password": password})
    return client.post(TOKEN, body, content_type="application/json", REMOTE_ADDR=address)


def test_a_burst_of_wrong_passwords_is_refused_with_429_before_the_account_locks(cast, client):
    statuses = [sign_in(client, "staff").status_code for _ in range(10)]
    assert statuses[: settings.MINGJING_LOCKOUT_ATTEMPTS - 1] == [200] * 4
    assert set(statuses[settings.MINGJING_LOCKOUT_ATTEMPTS - 1 :]) == {429}
    assert User.objects.get(username="staff").locked_until is None
    response = sign_in(client, "staff")
    assert "尝试过于频繁" in response.content.decode()
    assert int(response["Retry-After"]) > 0


def test_the_429_is_audited_once_per_run_not_once_per_refusal(cast, client):
    for _ in range(10):
        sign_in(client, "staff")
    assert AuditEvent.objects.filter(action="auth.throttled").count() == 1


def test_the_throttle_keeps_no_usernames_or_addresses_in_the_clear(cast, client):
    assert sign_in(client, "staff", address="10.1.2.3").status_code == 200
    assert TokenBucket.objects.exists()
    values = " ".join(TokenBucket.objects.values_list("value", flat=True))
    assert "staff" not in values and "10.1.2.3" not in values


def test_a_burst_on_the_token_endpoint_gets_a_json_429_in_chinese(cast, client):
    statuses = [exchange(client, "staff").status_code for _ in range(6)]
    assert statuses[:4] == [401] * 4 and statuses[4:] == [429, 429]
    response = exchange(client, "staff")
    assert response["Content-Type"].startswith("application/json")
    assert "尝试过于频繁" in response.json()["error"]


def test_another_client_is_not_slowed_by_the_attacker(cast, client):
    for _ in range(6):
        sign_in(client, "staff", address="10.6.6.6")
    assert sign_in(client, "staff", PASSWORD, address="10.1.1.1").status_code == 302


def test_spraying_many_usernames_from_one_client_is_refused(cast, client):
    names = [f"nobody{i}" for i in range(30)]
    statuses = [sign_in(client, name, address="10.7.7.7").status_code for name in names]
    assert 429 in statuses
    assert statuses.index(429) <= 20


def test_a_stranger_cannot_lock_the_president(cast, client):
    # Many clients, each within its own limit: the account is never locked for it.
    for client_no in range(10):
        for _ in range(4):
            sign_in(client, "approver", address=f"10.5.0.{client_no}")
            exchange(client, "approver", address=f"10.4.0.{client_no}")
    approver = User.objects.get(username="approver")
    assert approver.locked_until is None and approver.failed_login_count == 0
    assert sign_in(client, "approver", PASSWORD, address="10.3.3.3").status_code == 302


def test_the_custodian_and_sysadmin_are_not_locked_by_wrong_passwords_either(cast, client):
    for username in ("custodian", "sysadmin"):
        for client_no in range(6):
            sign_in(client, username, address=f"10.2.0.{client_no}")
        assert User.objects.get(username=username).locked_until is None


def test_the_attacking_client_alone_is_refused_for_the_president(cast, client):
    for _ in range(settings.MINGJING_LOCKOUT_ATTEMPTS):
        sign_in(client, "approver", address="10.9.9.9")
    assert sign_in(client, "approver", PASSWORD, address="10.9.9.9").status_code == 429
    assert sign_in(client, "approver", PASSWORD, address="10.1.1.1").status_code == 302


def test_a_staff_account_still_locks_when_attacked_from_many_clients(cast, client):
    for client_no in range(settings.MINGJING_LOCKOUT_ATTEMPTS):
        sign_in(client, "staff", address=f"10.0.0.{client_no}")
    assert User.objects.get(username="staff").locked_until is not None


def test_a_burst_of_codes_is_refused_with_429(cast, client):
    secret = enrolled_totp(cast.custodian)
    client.force_login(cast.custodian)
    # Malformed posts never reach the code check, yet each one is throttled.
    statuses = [client.post(VERIFY, {"code": "123456789"}).status_code for _ in range(12)]
    assert statuses[:10] == [200] * 10 and statuses[10:] == [429, 429]
    response = client.post(VERIFY, {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 429
    assert "尝试过于频繁" in response.content.decode()


def test_a_burst_on_reauthentication_is_refused_with_429(cast, client):
    login_as(client, cast.staff, reauthenticated=False)
    url = reverse("accounts:reauth")
    statuses = [client.post(url, {"password": ""}).status_code for _ in range(12)]
    assert statuses[-1] == 429
    assert User.objects.get(pk=cast.staff.pk).locked_until is None
