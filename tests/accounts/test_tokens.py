"""Personal API tokens made on the security page: shown once, stored only as a digest."""

import hashlib
import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from mingjing.accounts.models import ApiToken, User
from mingjing.security.authn import api_token_create
from tests.conftest import PASSWORD

SECURITY = reverse("accounts:security")
CREATE = reverse("accounts:token_create")
ME = reverse("api:me")


def sign_in(client, username: str) -> None:
    client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})


def create_on_security_page(client, name: str = "案件管理系统对接") -> str:
    response = client.post(CREATE, {"name": name})
    assert response.status_code == 200  # shown in the answer to the POST itself
    page = response.content.decode()
    match = re.search(r'data-testid="new-token">([^<]+)<', page)
    assert match, "the new token is shown on the security page"
    return match.group(1)


def call_me(client, secret: str):
    return client.get(ME, HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_a_token_made_on_the_security_page_is_shown_once(cast, client):
    sign_in(client, "staff")
    secret = create_on_security_page(client)
    assert secret.startswith("mj_")
    page = client.get(SECURITY)
    assert page.status_code == 200 and "案件管理系统对接" in page.content.decode()
    assert secret not in page.content.decode()


def test_only_the_sha256_digest_of_a_token_is_stored(cast, client):
    sign_in(client, "staff")
    secret = create_on_security_page(client)
    token = ApiToken.objects.get(user=cast.staff)
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    stored = [str(field.value_from_object(token)) for field in ApiToken._meta.concrete_fields]
    assert not any(secret in value for value in stored)
    assert len(token.prefix) < len(secret) // 3


def test_the_security_page_lists_the_token_by_name_and_prefix_only(cast, client):
    sign_in(client, "staff")
    secret = create_on_security_page(client, "对接测试")
    page = client.get(SECURITY).content.decode()
    assert "对接测试" in page
    assert ApiToken.objects.get(user=cast.staff).prefix in page
    assert secret not in page


def test_a_token_without_a_name_is_refused_with_a_message(cast, client):
    sign_in(client, "staff")
    response = client.post(CREATE, {"name": ""}, follow=True)
    assert "请填写令牌用途" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_token_expires_after_the_configured_days(cast, settings):
    token, _ = api_token_create(user=cast.staff, name="x")
    expected = timezone.now() + timedelta(days=settings.MINGJING_API_TOKEN_DAYS)
    assert abs(token.expires_at - expected) < timedelta(minutes=1)


def test_a_bearer_token_works_on_me(cast, client):
    sign_in(client, "staff")
    secret = create_on_security_page(client)
    client.post(reverse("accounts:logout"))
    response = call_me(client, secret)
    assert response.status_code == 200
    assert response.json()["username"] == "staff"
    assert ApiToken.objects.get(user=cast.staff).last_used_at is not None


def test_a_token_notes_its_use_at_most_once_a_minute(cast, client, settings):
    sign_in(client, "staff")
    secret = create_on_security_page(client)
    client.post(reverse("accounts:logout"))
    assert call_me(client, secret).status_code == 200
    first = ApiToken.objects.get(user=cast.staff).last_used_at
    assert call_me(client, secret).status_code == 200
    assert ApiToken.objects.get(user=cast.staff).last_used_at == first
    settings.MINGJING_SESSION_RENEW_SECONDS = 0
    assert call_me(client, secret).status_code == 200
    assert ApiToken.objects.get(user=cast.staff).last_used_at > first


def test_a_revoked_token_gets_401_with_a_chinese_json_error(cast, client):
    sign_in(client, "staff")
    secret = create_on_security_page(client)
    token = ApiToken.objects.get(user=cast.staff)
    response = client.post(reverse("accounts:token_revoke", args=[token.id]), follow=True)
    assert "令牌已撤销" in response.content.decode()
    response = call_me(client, secret)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "未认证" in response.json()["error"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_gets_401_with_a_chinese_json_error(cast, client):
    _, secret = api_token_create(user=cast.staff, name="x")
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = call_me(client, secret)
    assert response.status_code == 401
    assert "未认证" in response.json()["error"]


def test_a_token_of_a_deactivated_account_gets_401(cast, client):
    _, secret = api_token_create(user=cast.staff, name="x")
    User.objects.filter(pk=cast.staff.pk).update(is_active=False)
    assert call_me(client, secret).status_code == 401


def test_a_made_up_or_malformed_token_gets_401(cast, client):
    _, secret = api_token_create(user=cast.staff, name="x")
    assert call_me(client, secret[:-1] + ("A" if secret[-1] != "A" else "B")).status_code == 401
    assert call_me(client, "mj_").status_code == 401
    assert client.get(ME, HTTP_AUTHORIZATION=f"Basic {secret}").status_code == 401
    assert client.get(ME, HTTP_AUTHORIZATION="Bearer").status_code == 401


def test_one_cannot_revoke_another_users_token(cast, client):
    token, secret = api_token_create(user=cast.staff2, name="x")
    sign_in(client, "staff")
    response = client.post(reverse("accounts:token_revoke", args=[token.id]), follow=True)
    assert "不存在或已撤销" in response.content.decode()
    assert call_me(client, secret).status_code == 200


def test_tokens_are_made_and_revoked_by_post_only(cast, client):
    token, _ = api_token_create(user=cast.staff, name="x")
    sign_in(client, "staff")
    assert client.get(CREATE).status_code == 405
    assert client.get(reverse("accounts:token_revoke", args=[token.id])).status_code == 405


def test_a_custodian_cannot_make_a_token_before_passing_the_second_factor(cast, client):
    sign_in(client, "custodian")
    response = client.post(CREATE, {"name": "绕过"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:totp_enrol"))
    assert not ApiToken.objects.exists()


def test_changing_the_password_revokes_every_api_token(cast, client):
    from django.urls import reverse

    from mingjing.security.authn import api_token_create
    from tests.conftest import PASSWORD, login_as

    _, secret = api_token_create(user=cast.staff, name="对接")
    login_as(client, cast.staff)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase-2026",
            "new_password2": "a-new-long-passphrase-2026",
        },
    )
    assert response.status_code == 302
    client.logout()
    answer = client.get(reverse("api:me"), HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert answer.status_code == 401


def test_creating_a_token_is_audited_without_its_secret(cast, client):
    from mingjing.security.models import AuditEvent

    sign_in(client, "staff")
    secret = create_on_security_page(client)
    token = ApiToken.objects.get(user=cast.staff)
    event = AuditEvent.objects.get(action="auth.token_create")
    assert event.detail["token"] == token.pk
    assert secret not in str(event.detail)


def test_the_raw_token_never_reaches_the_session_store(cast, client):
    from django.contrib.sessions.models import Session

    sign_in(client, "staff")
    secret = create_on_security_page(client)
    decoded = [str(s.get_decoded()) for s in Session.objects.all()]
    assert decoded and not any(secret in data for data in decoded)
    assert not any(secret in s.session_data for s in Session.objects.all())


def test_a_token_made_through_the_api_is_audited_too(cast, client):
    from mingjing.security.models import AuditEvent

    body = {"username": "staff", "password": PASSWORD, "name": "对接"}
    response = client.post(reverse("api:auth_token"), body, content_type="application/json")
    assert response.status_code == 201
    assert AuditEvent.objects.filter(action="auth.token_create").count() == 1
