"""Signing in through the real login form: lockout, no user enumeration, safe redirects,
idle session expiry, logout and password change."""

from datetime import timedelta
from unittest import mock

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mingjing.accounts.models import User
from mingjing.env import env_int
from tests.conftest import PASSWORD

LOGIN = reverse("accounts:login")
HOME = reverse("web:home")


def sign_in(client, username: str, password: str = PASSWORD, REMOTE_ADDR="127.0.0.1", **extra):
    data = {"username": username, "password": password, **extra}
    return client.post(LOGIN, data, REMOTE_ADDR=REMOTE_ADDR)


def form_errors(response) -> list[str]:
    return list(response.context["form"].non_field_errors())


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, username: str, times: int) -> None:
    """Wrong passwords from as many clients: one client alone is throttled before the lock
    (tests/accounts/test_throttle.py), so the account lock is what stops a spread attack."""
    for attempt in range(times):
        sign_in(client, username, "not-the-password", REMOTE_ADDR=f"10.9.0.{attempt + 1}")


def later(**delta):
    """Patches the clock `delta` into the future for the code under test."""
    return mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(**delta))


# Login and lockout


def test_it_signs_in_with_the_right_password_and_lands_on_the_home_page(cast, client):
    response = sign_in(client, "staff")
    assert response.status_code == 302
    assert response["Location"] == HOME
    home = client.get(HOME)
    assert home.status_code == 200
    assert "我的待办" in home.content.decode()


def test_it_refuses_a_wrong_password_with_a_chinese_message(cast, client):
    response = sign_in(client, "staff", "not-the-password")
    assert response.status_code == 200
    assert "用户名或密码不正确" in form_errors(response)[0]
    assert not is_signed_in(client)


def test_it_counts_each_wrong_password(cast, client):
    fail(client, "staff", 2)
    assert User.objects.get(username="staff").failed_login_count == 2


def test_it_locks_the_account_after_five_failures(cast, client):
    assert settings.MINGJING_LOCKOUT_ATTEMPTS == 5
    fail(client, "staff", settings.MINGJING_LOCKOUT_ATTEMPTS)
    user = User.objects.get(username="staff")
    assert user.locked_until is not None and user.locked_until > timezone.now()


def test_a_locked_account_is_refused_even_with_the_right_password(cast, client):
    fail(client, "staff", settings.MINGJING_LOCKOUT_ATTEMPTS)
    response = sign_in(client, "staff")
    assert response.status_code == 200
    message = form_errors(response)[0]
    assert "账号已锁定" in message and "系统管理员" in message
    assert not is_signed_in(client)


def test_the_fifth_failure_already_says_the_account_is_locked(cast, client):
    fail(client, "staff", settings.MINGJING_LOCKOUT_ATTEMPTS - 1)
    response = sign_in(client, "staff", "not-the-password")
    assert "账号已锁定" in form_errors(response)[0]


def test_the_lock_still_holds_just_before_it_expires(cast, client):
    fail(client, "staff", settings.MINGJING_LOCKOUT_ATTEMPTS)
    with later(minutes=settings.MINGJING_LOCKOUT_MINUTES - 1):
        response = sign_in(client, "staff")
    assert response.status_code == 200
    assert "账号已锁定" in form_errors(response)[0]
    assert not is_signed_in(client)


def test_the_lock_expires_after_the_lockout_minutes(cast, client):
    fail(client, "staff", settings.MINGJING_LOCKOUT_ATTEMPTS)
    with later(minutes=settings.MINGJING_LOCKOUT_MINUTES, seconds=1):
        response = sign_in(client, "staff")
    assert response.status_code == 302
    assert is_signed_in(client)


def test_an_expired_lock_can_also_be_lifted_by_moving_locked_until(cast, client):
    fail(client, "staff", settings.MINGJING_LOCKOUT_ATTEMPTS)
    User.objects.filter(username="staff").update(locked_until=timezone.now() - timedelta(seconds=1))
    assert sign_in(client, "staff").status_code == 302


def test_a_successful_login_resets_the_failure_counter(cast, client):
    fail(client, "staff", settings.MINGJING_LOCKOUT_ATTEMPTS - 1)
    sign_in(client, "staff")
    assert User.objects.get(username="staff").failed_login_count == 0
    client.post(reverse("accounts:logout"))
    # A fresh run of failures is needed to lock it now.
    fail(client, "staff", settings.MINGJING_LOCKOUT_ATTEMPTS - 1)
    assert sign_in(client, "staff").status_code == 302


def test_failures_of_one_account_do_not_lock_another(cast, client):
    fail(client, "staff", settings.MINGJING_LOCKOUT_ATTEMPTS)
    assert sign_in(client, "staff2").status_code == 302


def test_an_unknown_username_gets_the_same_message_as_a_wrong_password(cast, client):
    wrong_password = form_errors(sign_in(client, "staff", "not-the-password"))
    unknown_user = form_errors(sign_in(client, "nobody-here", "not-the-password"))
    assert unknown_user == wrong_password


def test_repeated_failures_of_an_unknown_username_read_like_those_of_a_real_one(cast, client):
    for attempt in range(settings.MINGJING_LOCKOUT_ATTEMPTS - 1):
        real = form_errors(sign_in(client, "staff", f"wrong-{attempt}"))
        unknown = form_errors(sign_in(client, "nobody-here", f"wrong-{attempt}"))
        assert real == unknown, attempt


def test_an_inactive_account_gets_the_wrong_password_message(cast, client):
    User.objects.filter(username="staff").update(is_active=False)
    response = sign_in(client, "staff")
    assert "用户名或密码不正确" in form_errors(response)[0]
    assert not is_signed_in(client)


def test_an_empty_form_is_refused_with_field_errors(cast, client):
    response = client.post(LOGIN, {})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"username", "password"}


def test_it_ignores_an_open_redirect_in_next(cast, client):
    response = sign_in(client, "staff", next="https://evil.example/")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_it_ignores_a_scheme_relative_redirect_in_next(cast, client):
    response = sign_in(client, "staff", next="//evil.example/steal")
    assert response["Location"] == "/"


def test_it_does_not_carry_an_open_redirect_into_the_login_form(cast, client):
    response = client.get(LOGIN, {"next": "https://evil.example/"})
    assert response.context["next"] == "/"


def test_it_follows_a_local_next_after_login(cast, client):
    response = sign_in(client, "staff", next=reverse("cases:search"))
    assert response["Location"] == reverse("cases:search")


def test_passwords_are_stored_as_argon2(cast):
    assert User.objects.get(username="staff").password.startswith("argon2")


def test_a_changed_password_is_stored_as_argon2_too(cast):
    user = User.objects.get(username="staff")
    user.set_password("a-new-and-long-passphrase")
    user.save()
    assert User.objects.get(username="staff").password.startswith("argon2")


# Idle session expiry


def test_idle_expiry_is_driven_by_the_setting_and_not_saved_on_every_request():
    # tests/test_security_headers.py checks in a subprocess that the variable changes it.
    assert settings.SESSION_COOKIE_AGE == env_int("MINGJING_SESSION_IDLE_SECONDS", 30 * 60)
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert "mingjing.accounts.middleware.IdleExpiryMiddleware" in settings.MIDDLEWARE


def _session(client) -> Session:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def test_a_session_whose_expiry_has_passed_is_no_longer_signed_in(cast, client):
    sign_in(client, "staff")
    assert client.get(HOME).status_code == 200
    Session.objects.filter(pk=_session(client).pk).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_a_session_left_idle_longer_than_the_limit_is_signed_out(cast, client):
    sign_in(client, "staff")
    with later(seconds=settings.SESSION_COOKIE_AGE + 1):
        response = client.get(HOME)
    assert response.status_code == 302


def test_each_request_pushes_the_idle_expiry_forward(cast, client):
    sign_in(client, "staff")
    first_expiry = _session(client).expire_date
    age = settings.SESSION_COOKIE_AGE
    with later(seconds=age * 2 // 3):
        assert client.get(HOME).status_code == 200
    assert _session(client).expire_date > first_expiry
    # Past the first expiry, but within the limit of the last request: still signed in.
    with later(seconds=age * 4 // 3):
        assert client.get(HOME).status_code == 200


def test_a_get_within_the_renewal_interval_writes_nothing(cast, client):
    sign_in(client, "staff")
    assert client.get(HOME).status_code == 200
    expiry = _session(client).expire_date
    with later(seconds=settings.MINGJING_SESSION_RENEW_SECONDS // 2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(HOME)
    assert response.status_code == 200
    assert "我的待办" in response.content.decode()
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    assert _session(client).expire_date == expiry


def test_a_get_after_the_renewal_interval_renews_the_expiry(cast, client):
    sign_in(client, "staff")
    expiry = _session(client).expire_date
    with later(seconds=settings.MINGJING_SESSION_RENEW_SECONDS + 1):
        assert client.get(HOME).status_code == 200
    assert _session(client).expire_date > expiry


# Logout


def test_logout_refuses_get(cast, client):
    sign_in(client, "staff")
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get(HOME).status_code == 200


def test_logout_by_post_ends_the_session(cast, client):
    sign_in(client, "staff")
    old_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert not Session.objects.filter(session_key=old_key).exists()
    assert client.get(HOME).status_code == 302


def test_a_stolen_session_cookie_is_useless_after_logout(cast, client):
    sign_in(client, "staff")
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert thief.get(HOME).status_code == 200
    client.post(reverse("accounts:logout"))
    assert thief.get(HOME).status_code == 302


def test_logout_says_goodbye_in_chinese(cast, client):
    sign_in(client, "staff")
    page = client.post(reverse("accounts:logout"), follow=True).content.decode()
    assert "您已安全退出" in page


# Password change

NEW_PASSWORD = "zhixing-heyi-mingjing-2026"


def change_password(client, old: str, new: str = NEW_PASSWORD):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_password_change_refuses_a_wrong_old_password_with_a_message(cast, client):
    sign_in(client, "staff")
    response = change_password(client, "not-the-password")
    assert response.status_code == 200
    assert "旧密码" in " ".join(response.context["form"].errors["old_password"])
    assert User.objects.get(username="staff").check_password(PASSWORD)


def test_password_change_refuses_a_weak_new_password(cast, client):
    sign_in(client, "staff")
    response = change_password(client, PASSWORD, "12345678")
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    assert User.objects.get(username="staff").check_password(PASSWORD)


def test_a_good_password_change_works_and_keeps_the_user_signed_in(cast, client):
    sign_in(client, "staff")
    response = change_password(client, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:security")
    assert "密码已修改" in client.get(response["Location"]).content.decode()
    assert client.get(HOME).status_code == 200


def test_after_a_password_change_the_old_password_stops_working(cast, client):
    sign_in(client, "staff")
    change_password(client, PASSWORD)
    client.post(reverse("accounts:logout"))
    assert sign_in(client, "staff", PASSWORD).status_code == 200
    assert not is_signed_in(client)
    assert sign_in(client, "staff", NEW_PASSWORD).status_code == 302


def test_a_password_change_signs_out_other_sessions(cast, client):
    other_device = Client()
    sign_in(other_device, "staff")
    sign_in(client, "staff")
    change_password(client, PASSWORD)
    assert other_device.get(HOME).status_code == 302
