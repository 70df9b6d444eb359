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
from tests.matrix import merged
from tests.matrix.helpers import ALL

WEB_MATRIX = merged("WEB")
API_MATRIX = merged("API")


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
def test_api_endpoint_answers_each_role_as_the_matrix_says(world, client, url_name, username):
    build, expected, _ = API_MATRIX[url_name]
    _, secret = api_token_create(user=world.users[username], name="matrix")
    response = client.get(build(world), HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == expected[username], (url_name, username)


@pytest.mark.parametrize("url_name", list(API_MATRIX))
def test_api_endpoint_answers_anonymous_callers_as_the_matrix_says(world, client, url_name):
    build, _, anonymous = API_MATRIX[url_name]
    assert client.get(build(world)).status_code == anonymous


def test_another_courts_case_is_not_found_rather_than_forbidden(cast, client):
    login_as(client, cast.head)
    response = client.get(reverse("cases:detail", args=[cast.other_case.id]))
    assert response.status_code == 404


def test_case_search_never_lists_another_courts_cases(cast, client):
    login_as(client, cast.staff)
    page = client.get(reverse("cases:search"), {"q": "民初"}).content.decode()
    assert cast.case.number in page
    assert cast.other_case.number not in page
