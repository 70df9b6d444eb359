"""The foundation's and trust core's URLs. Each entry: url name -> (path builder, expected
status per user, anonymous status). Builders get the `world` fixture (the cast, its records and
a pending disclosure)."""

import json

import pyotp
from django.urls import reverse

from mingjing.accounts.models import ApiToken
from mingjing.security.authn import api_token_create, totp_begin_enrolment
from mingjing.security.receipts import receipt_document, receipt_for
from tests.conftest import PASSWORD, enrolled_totp
from tests.matrix.helpers import ALL, Sent, Write, audited, counted, every, only
from tests.matrix.roles import COURT_STAFF, RECORD_VIEWERS, SECOND_FACTOR

# Who looks cases up: court A's staff-role holders.
LOOKUP = COURT_STAFF


# url name -> (how to build the path from the cast, expected status per user, anonymous status)
WEB = {
    "web:home": (lambda c: reverse("web:home"), every(200), 302),
    "web:healthz": (lambda c: reverse("web:healthz"), every(200), 200),
    "accounts:login": (lambda c: reverse("accounts:login"), every(200), 200),
    "accounts:logout": (lambda c: reverse("accounts:logout"), every(405), 405),
    "accounts:security": (lambda c: reverse("accounts:security"), every(200), 302),
    "accounts:password_change": (lambda c: reverse("accounts:password_change"), every(200), 302),
    "accounts:totp_verify": (lambda c: reverse("accounts:totp_verify"), every(302), 302),
    "accounts:totp_enrol": (lambda c: reverse("accounts:totp_enrol"), every(200), 302),
    "accounts:token_create": (lambda c: reverse("accounts:token_create"), every(405), 302),
    "accounts:token_revoke": (
        lambda c: reverse("accounts:token_revoke", args=[1]),
        every(405),
        302,
    ),
    "cases:search": (
        lambda c: reverse("cases:search"),
        only(LOOKUP | {"other_court"}),
        302,
    ),
    # Another court's user gets 404; roles without case access find nothing either.
    "cases:detail": (
        lambda c: reverse("cases:detail", args=[c.case.id]),
        only(LOOKUP, no=404),
        302,
    ),
    "set_language": (lambda c: reverse("set_language"), every(302), 302),
    "records:list": (lambda c: reverse("records:list"), every(200), 302),
    # Contents or metadata per DESIGN.md section 3; the rest do not learn it exists.
    "records:detail": (
        lambda c: reverse("records:detail", args=[c.records.own.id]),
        only(RECORD_VIEWERS, no=404),
        302,
    ),
    "records:receipt": (
        lambda c: reverse("records:receipt", args=[c.records.own.id]),
        only({"staff"}, no=404),
        302,
    ),
    "records:receipt_page": (
        lambda c: reverse("records:receipt_page", args=[c.records.own.id]),
        only({"staff"}, no=404),
        302,
    ),
    "records:receipt_pdf": (
        lambda c: reverse("records:receipt_pdf", args=[c.records.own.id]),
        only({"staff"}, no=404),
        302,
    ),
    "oversight:disclosure_list": (
        lambda c: reverse("oversight:disclosure_list"),
        only({"inspector", "custodian", "approver"}),
        302,
    ),
    "oversight:disclosure_new": (
        lambda c: reverse("oversight:disclosure_new"),
        only({"inspector", "custodian"}),
        302,
    ),
    "oversight:disclosure_detail": (
        lambda c: reverse("oversight:disclosure_detail", args=[c.disclosure.id]),
        only({"inspector", "custodian", "approver"}, no=404),
        302,
    ),
    "oversight:disclosure_revoke": (
        lambda c: reverse("oversight:disclosure_revoke", args=[c.disclosure.id]),
        every(405),
        302,
    ),
    # Anyone, logged in or not, may verify a receipt with the court's public key.
    "security:receipt_verify": (lambda c: reverse("security:receipt_verify"), every(200), 200),
    "security:public_keys": (
        lambda c: reverse("security:public_keys", args=[c.courts["a"].code]),
        every(200),
        200,
    ),
    "admin:index": (lambda c: reverse("admin:index"), only({"sysadmin"}, no=302), 302),
}

# API endpoints, called with a bearer token of each user. Anonymous calls get 401.
API = {
    "api:auth_token": (lambda c: reverse("api:auth_token"), every(405), 405),
    "api:me": (lambda c: reverse("api:me"), every(200), 401),
    "api:cases": (lambda c: reverse("api:cases"), only(LOOKUP | {"other_court"}), 401),
    "api:case": (
        lambda c: reverse("api:case", args=[c.case.id]),
        {**only(LOOKUP, no=404), "supervisor": 404, "sysadmin": 404},
        401,
    ),
    "api:openapi": (lambda c: reverse("api:openapi"), every(200), 200),
}

WEB["accounts:reauth"] = (lambda c: reverse("accounts:reauth"), every(200), 302)


# --- Writes -------------------------------------------------------------------------------
#
# url name -> Write: each user acts on his own account (log in, change his password, make a
# token), except token_revoke, which aims at staff's token: only staff revokes it.


def _user(world, username):
    return world.users[username or "staff"]


def _logged_in(world, username) -> Sent:
    user = _user(world, username)
    data = {"username": user.username, "password": PASSWORD}
    return Sent(reverse("accounts:login"), data, audited("auth.login"))


def _logout(world, username) -> Sent:
    return Sent(reverse("accounts:logout"), {}, audited("auth.logout"))


def _reauth(world, username) -> Sent:
    return Sent(reverse("accounts:reauth"), {"password": PASSWORD}, audited("auth.reauth"))


NEW_PASSWORD = "another-horse-battery-staple-9"


def _password(world, username) -> Sent:
    user = _user(world, username)
    data = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}

    def changed(response) -> bool:
        user.refresh_from_db()
        return user.check_password(NEW_PASSWORD)

    return Sent(reverse("accounts:password_change"), data, changed)


def _totp_verify(world, username) -> Sent:
    secret = enrolled_totp(_user(world, username))
    return Sent(
        reverse("accounts:totp_verify"), {"code": pyotp.TOTP(secret).now()}, audited("auth.totp")
    )


def _totp_enrol(world, username) -> Sent:
    user = _user(world, username)
    secret = totp_begin_enrolment(user=user)

    def changed(response) -> bool:
        user.refresh_from_db()
        return user.has_totp

    return Sent(reverse("accounts:totp_enrol"), {"code": pyotp.TOTP(secret).now()}, changed)


def _token_create(world, username) -> Sent:
    tokens = ApiToken.objects.filter(name="写入矩阵")
    return Sent(reverse("accounts:token_create"), {"name": "写入矩阵"}, counted(tokens))


def _token_revoke(world, username) -> Sent:
    token, _ = api_token_create(user=world.staff, name="staff 的令牌")
    url = reverse("accounts:token_revoke", args=[token.id])
    revoked = ApiToken.objects.filter(pk=token.id).exclude(revoked_at=None)
    return Sent(url, {}, lambda response: revoked.exists())


def _set_language(world, username) -> Sent:
    data = {"language": "en", "next": "/"}
    return Sent(reverse("set_language"), data, lambda r: r.cookies["django_language"].value == "en")


def _receipt_verify(world, username) -> Sent:
    document = receipt_document(receipt_for(world.records.own))
    data = {"receipt": json.dumps(document, ensure_ascii=False)}
    return Sent(
        reverse("security:receipt_verify"),
        data,
        lambda r: r.status_code == 200 and r.context["result"] is not None,
    )


def _token_exchange(world, username) -> Sent:
    user = _user(world, username)
    data = {"username": user.username, "password": PASSWORD, "name": "写入矩阵"}
    tokens = ApiToken.objects.filter(user=user, name="写入矩阵")
    return Sent(reverse("api:auth_token"), data, counted(tokens))


WEB_POST = {
    "accounts:login": Write(_logged_in, ALL, anonymous_allowed=True),
    "accounts:logout": Write(_logout, ALL, anonymous=302),
    "accounts:reauth": Write(_reauth, ALL),
    "accounts:password_change": Write(_password, ALL),
    "accounts:totp_verify": Write(_totp_verify, ALL),
    "accounts:totp_enrol": Write(_totp_enrol, ALL),
    # The new token is shown once, in the very response.
    "accounts:token_create": Write(_token_create, ALL, yes=200),
    # Another's token: the page says it does not exist, and it stays valid.
    "accounts:token_revoke": Write(_token_revoke, {"staff"}, no=302),
    "set_language": Write(_set_language, ALL, anonymous_allowed=True),
    # Anyone, logged in or not, may check a receipt.
    "security:receipt_verify": Write(
        _receipt_verify, ALL, yes=200, anonymous=200, anonymous_allowed=True
    ),
}

API_POST = {
    "api:auth_token": Write(
        _token_exchange,
        ALL - SECOND_FACTOR,
        yes=201,
        anonymous=201,
        anonymous_allowed=True,
    ),
}
