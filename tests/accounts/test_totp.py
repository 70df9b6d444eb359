"""The TOTP second factor, reached through the real login form (never force_login)."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pyotp
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from mingjing.accounts.middleware import SESSION_KEY
from mingjing.accounts.models import User
from mingjing.security.authn import totp_secret_of
from tests.conftest import PASSWORD, enrolled_totp
from tests.matrix.roles import SECOND_FACTOR

LOGIN = reverse("accounts:login")
HOME = reverse("web:home")
ENROL = reverse("accounts:totp_enrol")
VERIFY = reverse("accounts:totp_verify")
ADMIN = reverse("admin:index")
SECOND_FACTOR_USERS = sorted(SECOND_FACTOR)


def sign_in(client, username: str, password: str = PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def enrolled(user: User) -> str:
    """Gives `user` a confirmed second factor, as if enrolled earlier; returns the secret."""
    return enrolled_totp(user)


def wrong_code(secret: str) -> str:
    """A six-digit code valid for no step the server accepts (now, or one step either side)."""
    totp, now = pyotp.TOTP(secret), timezone.now()
    valid = {totp.at(now + timedelta(seconds=30 * drift)) for drift in (-2, -1, 0, 1, 2)}
    return next(f"{n:06d}" for n in range(10**6) if f"{n:06d}" not in valid)


def path_of(response) -> str:
    return urlsplit(response["Location"]).path


def secret_on_page(response) -> str:
    match = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', response.content.decode())
    assert match, "the enrolment page shows the secret"
    return match.group(1)


# Who is stopped, and where


@pytest.mark.parametrize("username", SECOND_FACTOR_USERS)
@pytest.mark.parametrize("page", [HOME, reverse("cases:search"), ADMIN])
def test_roles_needing_a_second_factor_are_sent_to_enrolment_before_any_page(
    cast, client, username, page
):
    sign_in(client, username)
    response = client.get(page)
    assert response.status_code == 302
    assert path_of(response) == ENROL


@pytest.mark.parametrize("username", SECOND_FACTOR_USERS)
@pytest.mark.parametrize("page", [HOME, reverse("cases:search"), ADMIN])
def test_enrolled_roles_are_sent_to_verification_before_any_page(cast, client, username, page):
    enrolled(cast.users[username])
    sign_in(client, username)
    response = client.get(page)
    assert response.status_code == 302
    assert path_of(response) == VERIFY


@pytest.mark.parametrize("username", SECOND_FACTOR_USERS)
def test_the_first_landing_after_login_leads_to_the_second_factor(cast, client, username):
    response = client.post(LOGIN, {"username": username, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0].startswith(ENROL)
    assert response.status_code == 200


def test_the_pages_own_address_survives_the_detour_through_the_second_factor(cast, client):
    secret = enrolled(cast.custodian)
    sign_in(client, "custodian")
    target = reverse("cases:search") + "?" + urlencode({"q": "民初", "mine": "1"})
    response = client.get(target)
    assert parse_qs(urlsplit(response["Location"]).query)["next"] == [target]
    response = client.post(response["Location"], {"code": pyotp.TOTP(secret).now(), "next": target})
    assert response["Location"] == target


def test_staff_without_totp_are_not_asked_for_a_second_factor(cast, client):
    sign_in(client, "staff")
    assert client.get(HOME).status_code == 200
    assert client.get(reverse("cases:search")).status_code == 200


def test_staff_who_enrolled_by_choice_are_asked_for_it_too(cast, client):
    enrolled(cast.staff)
    sign_in(client, "staff")
    assert path_of(client.get(HOME)) == VERIFY


def test_a_second_factor_user_may_still_log_out_before_passing_it(cast, client):
    sign_in(client, "custodian")
    response = client.post(reverse("accounts:logout"))
    assert path_of(response) == LOGIN
    assert "_auth_user_id" not in client.session


# Enrolment


def test_enrolment_with_a_correct_code_enables_the_second_factor(cast, client):
    sign_in(client, "custodian")
    secret = secret_on_page(client.get(ENROL))
    response = client.post(ENROL, {"code": pyotp.TOTP(secret).now(), "next": HOME})
    assert response.status_code == 302
    assert response["Location"] == HOME
    user = User.objects.get(username="custodian")
    assert user.has_totp and totp_secret_of(user) == secret
    assert secret not in user.totp_secret  # stored wrapped by the master key
    assert client.get(HOME).status_code == 200


def test_enrolment_page_shows_a_qr_code_without_script_or_inline_style(cast, client):
    sign_in(client, "custodian")
    response = client.get(ENROL)
    assert response.status_code == 200
    page = response.content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert "<script" not in svg and "style=" not in svg


def test_enrolment_refuses_a_wrong_code_with_a_message(cast, client):
    sign_in(client, "custodian")
    secret = secret_on_page(client.get(ENROL))
    response = client.post(ENROL, {"code": wrong_code(secret)})
    assert response.status_code == 200
    assert "动态口令不正确" in " ".join(response.context["form"].errors["code"])
    assert not User.objects.get(username="custodian").has_totp
    # The secret just scanned stays the same, so that the next try can succeed.
    assert secret_on_page(response) == secret
    assert client.post(ENROL, {"code": pyotp.TOTP(secret).now()}).status_code == 302


def test_enrolment_refuses_an_empty_code_with_a_message(cast, client):
    sign_in(client, "custodian")
    client.get(ENROL)
    response = client.post(ENROL, {})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]


def test_an_enrolled_user_cannot_enrol_again_to_skip_verification(cast, client):
    enrolled(cast.custodian)
    sign_in(client, "custodian")
    response = client.get(ENROL)
    assert path_of(response) == VERIFY


# Verification and replay


def test_verification_with_a_correct_code_opens_the_pages(cast, client):
    secret = enrolled(cast.approver)
    sign_in(client, "approver")
    response = client.post(VERIFY, {"code": pyotp.TOTP(secret).now(), "next": HOME})
    assert response["Location"] == HOME
    assert client.session[SESSION_KEY] is True
    assert client.get(HOME).status_code == 200


def test_verification_refuses_a_wrong_code_with_a_message(cast, client):
    secret = enrolled(cast.approver)
    sign_in(client, "approver")
    response = client.post(VERIFY, {"code": wrong_code(secret)})
    assert response.status_code == 200
    assert "动态口令不正确" in " ".join(response.context["form"].errors["code"])
    assert path_of(client.get(HOME)) == VERIFY


def test_a_code_cannot_be_reused(cast, client):
    secret = enrolled(cast.custodian)
    code = pyotp.TOTP(secret).now()
    sign_in(client, "custodian")
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.post(reverse("accounts:logout"))
    sign_in(client, "custodian")
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert "已使用过" in " ".join(response.context["form"].errors["code"])
    assert path_of(client.get(HOME)) == VERIFY


def test_the_enrolment_code_cannot_be_replayed_at_the_next_login(cast, client):
    sign_in(client, "custodian")
    secret = secret_on_page(client.get(ENROL))
    code = pyotp.TOTP(secret).now()
    client.post(ENROL, {"code": code})
    client.post(reverse("accounts:logout"))
    sign_in(client, "custodian")
    assert client.post(VERIFY, {"code": code}).status_code == 200
    assert path_of(client.get(HOME)) == VERIFY


def test_the_session_key_changes_when_the_second_factor_is_passed(cast, client):
    secret = enrolled(cast.custodian)
    sign_in(client, "custodian")
    before = client.session.session_key
    client.post(VERIFY, {"code": pyotp.TOTP(secret).now()})
    assert client.session.session_key != before


def test_repeated_wrong_codes_lock_the_account_and_sign_out(cast, client):
    secret = enrolled(cast.custodian)
    sign_in(client, "custodian")
    for _ in range(settings.MINGJING_LOCKOUT_ATTEMPTS):
        response = client.post(VERIFY, {"code": wrong_code(secret)})
    assert path_of(response) == LOGIN
    assert "_auth_user_id" not in client.session
    assert "账号已锁定" in client.get(LOGIN).content.decode()
    # Locked: the right password leads nowhere now.
    assert sign_in(client, "custodian").status_code == 200


def test_a_good_password_does_not_reset_the_count_of_wrong_codes(cast, client):
    secret = enrolled(cast.custodian)
    for _ in range(settings.MINGJING_LOCKOUT_ATTEMPTS):
        sign_in(client, "custodian")
        client.post(VERIFY, {"code": wrong_code(secret)})
    assert User.objects.get(username="custodian").locked_until is not None
    assert sign_in(client, "custodian").status_code == 200


def test_a_right_code_resets_the_failure_count(cast, client):
    secret = enrolled(cast.custodian)
    sign_in(client, "custodian")
    client.post(VERIFY, {"code": wrong_code(secret)})
    client.post(VERIFY, {"code": pyotp.TOTP(secret).now()})
    assert User.objects.get(username="custodian").failed_login_count == 0


# The admin


def _pass_second_factor(client, username: str, secret: str) -> None:
    sign_in(client, username)
    assert client.post(VERIFY, {"code": pyotp.TOTP(secret).now()}).status_code == 302


def test_the_sysadmin_reaches_the_admin_after_the_second_factor(cast, client):
    secret = enrolled(cast.sysadmin)
    sign_in(client, "sysadmin")
    assert path_of(client.get(ADMIN)) == VERIFY
    client.post(VERIFY, {"code": pyotp.TOTP(secret).now()})
    assert client.get(ADMIN).status_code == 200


def test_staff_do_not_reach_the_admin(cast, client):
    sign_in(client, "staff")
    response = client.get(ADMIN)
    assert response.status_code == 302
    assert client.get(ADMIN, follow=True).status_code != 200


def test_a_custodian_with_a_second_factor_does_not_reach_the_admin(cast, client):
    _pass_second_factor(client, "custodian", enrolled(cast.custodian))
    assert client.get(HOME).status_code == 200
    response = client.get(ADMIN)
    assert response.status_code == 302
    assert client.get(ADMIN, follow=True).status_code != 200


def test_the_admin_has_no_login_form_that_would_bypass_the_lockout(cast, client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert path_of(response) == LOGIN
    response = client.post(reverse("admin:login"), {"username": "sysadmin", "password": PASSWORD})
    assert response.status_code == 302 and path_of(response) == LOGIN
    assert "_auth_user_id" not in client.session


def test_the_admin_sends_anonymous_visitors_to_the_real_login(cast, client):
    response = client.get(ADMIN, follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert "next=/admin/" in response.redirect_chain[-1][0].replace("%2F", "/")
