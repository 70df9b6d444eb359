"""Every URL, as every role: the status each must get (DESIGN.md section 3).

A new URL pattern without a row here fails `test_every_url_pattern_is_in_the_matrix`.
Another court's object must answer 404, never 403.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mingjing.accounts.services import api_token_create
from mingjing.oversight.services import disclosure_request
from mingjing.security.actor import actor_for
from tests.conftest import ROLE_USERS, login_as


@pytest.fixture
def world(cast, records):
    """The cast, its records and one pending disclosure request by the inspector."""
    cast.records = records
    cast.disclosure = disclosure_request(
        actor=actor_for(cast.inspector),
        kind="view",
        reason="核查举报线索，需要查阅该记录",
        record_ids=[records.own.id],
    )
    return cast

# Everyone of court A who holds a working role (personnel's user is also staff in the cast).
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
ALL = set(ROLE_USERS)
# Who sees staff's submitted record at all (contents or counts).
RECORD_VIEWERS = {"staff", "head", "custodian", "approver", "deptadmin", "leader", "inspector"}


def only(allowed: set[str], yes: int = 200, no: int = 403) -> dict[str, int]:
    return {name: (yes if name in allowed else no) for name in ROLE_USERS}


def every(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLE_USERS, status)


# url name -> (how to build the path from the cast, expected status per user, anonymous status)
WEB_MATRIX = {
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
API_MATRIX = {
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

# Django's own admin sub-pages are all guarded by admin.site.has_permission (sysadmin only),
# which `admin:index` exercises; listing each of them here would add nothing.
EXEMPT_NAMESPACES = {"admin"}


def _pattern_names(resolver, prefix: str = "") -> set[str]:
    names = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names |= _pattern_names(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(prefix + entry.name)
    return names


def test_every_url_pattern_is_in_the_matrix():
    covered = set(WEB_MATRIX) | set(API_MATRIX)
    listed = {
        name
        for name in _pattern_names(get_resolver())
        if name.split(":")[0] not in EXEMPT_NAMESPACES or name == "admin:index"
    }
    assert listed - covered == set(), "URL patterns missing from the permission matrix"


def test_matrix_lists_every_role_and_the_outsiders():
    for _, expected, _ in list(WEB_MATRIX.values()) + list(API_MATRIX.values()):
        assert set(expected) == ALL


WEB_CASES = [(name, user) for name in WEB_MATRIX for user in ROLE_USERS]
API_CASES = [(name, user) for name in API_MATRIX for user in ROLE_USERS]


@pytest.mark.parametrize(("url_name", "username"), WEB_CASES)
def test_web_page_answers_each_role_as_the_matrix_says(world, client, url_name, username):
    build, expected, _ = WEB_MATRIX[url_name]
    login_as(client, world.users[username])
    response = client.get(build(world))
    assert response.status_code == expected[username], (url_name, username)


@pytest.mark.parametrize("url_name", list(WEB_MATRIX))
def test_web_page_answers_anonymous_visitors_as_the_matrix_says(world, client, url_name):
    build, _, anonymous = WEB_MATRIX[url_name]
    assert client.get(build(world)).status_code == anonymous


@pytest.mark.parametrize(("url_name", "username"), API_CASES)
def test_api_endpoint_answers_each_role_as_the_matrix_says(cast, client, url_name, username):
    build, expected, _ = API_MATRIX[url_name]
    _, secret = api_token_create(user=cast.users[username], name="matrix")
    response = client.get(build(cast), HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == expected[username], (url_name, username)


@pytest.mark.parametrize("url_name", list(API_MATRIX))
def test_api_endpoint_answers_anonymous_callers_as_the_matrix_says(cast, client, url_name):
    build, _, anonymous = API_MATRIX[url_name]
    assert client.get(build(cast)).status_code == anonymous


def test_another_courts_case_is_not_found_rather_than_forbidden(cast, client):
    login_as(client, cast.head)
    response = client.get(reverse("cases:detail", args=[cast.other_case.id]))
    assert response.status_code == 404


def test_case_search_never_lists_another_courts_cases(cast, client):
    login_as(client, cast.staff)
    page = client.get(reverse("cases:search"), {"q": "民初"}).content.decode()
    assert cast.case.number in page
    assert cast.other_case.number not in page
