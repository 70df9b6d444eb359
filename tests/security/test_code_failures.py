"""Every second-factor check counts (issue 8, point 3): a wrong code is counted and audited
even when the transaction it guards does not happen."""

from datetime import timedelta

import pyotp
import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mingjing.accounts.models import User
from mingjing.oversight.models import DisclosureRequest
from mingjing.security.authn import totp_verify
from mingjing.security.models import AuditEvent
from tests.conftest import enrolled_totp, login_as

REASON = "核查举报线索：反映该案承办人受到请托，需核实记录"


def wrong_code(secret: str) -> str:
    totp, now = pyotp.TOTP(secret), timezone.now()
    valid = {totp.at(now + timedelta(seconds=30 * drift)) for drift in (-2, -1, 0, 1, 2)}
    return next(f"{n:06d}" for n in range(10**6) if f"{n:06d}" not in valid)


@pytest.fixture
def pending(cast, records, client) -> DisclosureRequest:
    login_as(client, cast.inspector)
    data = {"kind": "view", "records": f"{records.own.id}", "reason": REASON, "days": 7}
    client.post(reverse("oversight:disclosure_new"), data)
    return DisclosureRequest.objects.get()


def test_eight_wrong_codes_at_the_disclosure_approval_are_counted_audited_and_lock(
    cast, pending, client
):
    secret = enrolled_totp(cast.approver)
    login_as(client, cast.approver)
    url = reverse("oversight:disclosure_detail", args=[pending.id])
    for _ in range(8):
        response = client.post(url, {"decision": "approve", "otp": wrong_code(secret)})
        assert response.status_code == 200
        assert "动态口令不正确" in response.content.decode()
    failed = AuditEvent.objects.filter(action="auth.totp_failed", actor_id=cast.approver.pk)
    refused = AuditEvent.objects.filter(action="auth.totp_refused_locked")
    assert failed.count() == settings.MINGJING_LOCKOUT_ATTEMPTS
    assert refused.count() == 8 - settings.MINGJING_LOCKOUT_ATTEMPTS
    assert AuditEvent.objects.filter(action="auth.lockout", object_id=str(cast.approver.pk))
    approver = User.objects.get(pk=cast.approver.pk)
    assert approver.locked_until and approver.locked_until > timezone.now()
    pending.refresh_from_db()
    assert pending.status == "pending"
    # Locked: even the right code is refused now.
    response = client.post(url, {"decision": "approve", "otp": pyotp.TOTP(secret).now()})
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_a_wrong_code_is_counted_before_the_lock(cast, pending, client):
    secret = enrolled_totp(cast.approver)
    login_as(client, cast.approver)
    url = reverse("oversight:disclosure_detail", args=[pending.id])
    client.post(url, {"decision": "approve", "otp": wrong_code(secret)})
    client.post(url, {"decision": "refuse", "otp": "abc"})
    assert User.objects.get(pk=cast.approver.pk).failed_login_count == 2


def test_a_refused_request_spends_no_code(cast, pending, client):
    """The requester may not decide: refused before the code is even looked at."""
    secret = enrolled_totp(cast.approver)
    from mingjing.oversight.services import disclosure_decide
    from mingjing.security.actor import actor_for

    pending.status = "refused"
    pending.save(update_fields=["status"])
    with pytest.raises(Exception, match="已经处理过"):
        disclosure_decide(
            actor=actor_for(cast.approver),
            disclosure=pending,
            approve=True,
            otp=pyotp.TOTP(secret).now(),
        )
    assert not AuditEvent.objects.filter(action__startswith="auth.totp").exists()


def test_a_code_cannot_be_checked_inside_a_transaction_that_could_roll_it_back(cast):
    secret = enrolled_totp(cast.approver)
    with pytest.raises(RuntimeError), transaction.atomic():
        totp_verify(user=cast.approver, code=wrong_code(secret))
