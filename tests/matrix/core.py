"""The foundation's and trust core's URLs. Each entry: url name -> (path builder, expected
status per user, anonymous status). Builders get the `world` fixture (the cast, its records and
a pending disclosure)."""

from django.urls import reverse

from tests.matrix.helpers import every, only

LOOKUP = {
    "staff",
    "staff2",
    "head",
    "deptadmin",
    "leader",
    "custodian",
    "inspector",
    "approver",
    "personnel",
}
# Who sees staff's submitted record at all (contents or counts).
RECORD_VIEWERS = {"staff", "head", "custodian", "approver", "deptadmin", "leader", "inspector"}


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
