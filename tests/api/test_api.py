"""/api/v1 from the outside: token exchange, the same policy as the web, and its OpenAPI."""

import json
import re
from datetime import timedelta

import pyotp
import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone

from mingjing.accounts.models import ApiToken, User
from mingjing.api import serializers
from mingjing.api import urls as api_urls
from mingjing.api.v1 import openapi_document
from mingjing.security.actor import actor_for
from mingjing.security.authn import api_token_create
from tests.conftest import PASSWORD, enrolled_totp

TOKEN = reverse("api:auth_token")
ME = reverse("api:me")
CASES = reverse("api:cases")


def exchange(client, body) -> object:
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(TOKEN, data, content_type="application/json")


def bearer(client, user):
    _, secret = api_token_create(user=user, name="test")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


def enrolled(user: User) -> str:
    return enrolled_totp(user)


def wrong_code(secret: str) -> str:
    totp, now = pyotp.TOTP(secret), timezone.now()
    valid = {totp.at(now + timedelta(seconds=30 * drift)) for drift in (-2, -1, 0, 1, 2)}
    return next(f"{n:06d}" for n in range(10**6) if f"{n:06d}" not in valid)


def has_chinese(text: str) -> bool:
    return re.search(r"[\u4e00-\u9fff]", text) is not None


# POST /api/v1/auth/token


def test_staff_exchange_a_password_for_a_working_token(cast, client):
    response = exchange(client, {"username": "staff", "password": PASSWORD, "name": "对接"})
    assert response.status_code == 201
    body = response.json()
    assert body["token"].startswith("mj_") and body["expires_at"]
    assert ApiToken.objects.get(user=cast.staff).name == "对接"
    me = client.get(ME, HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert me.status_code == 200
    assert me.json()["username"] == "staff"


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '"text"', b"\xff\xfe"])
def test_a_body_that_is_not_a_json_object_gets_400(cast, client, body):
    response = exchange(client, body)
    assert response.status_code == 400
    assert has_chinese(response.json()["error"])


def test_a_missing_password_gets_400(cast, client):
    assert exchange(client, {"username": "staff"}).status_code == 400


def test_a_wrong_password_gets_401_with_a_chinese_error(cast, client):
    response = exchange(client, {"username": "staff", "password": "not-the-password"})
    assert response.status_code == 401
    assert "用户名或密码不正确" in response.json()["error"]
    assert not ApiToken.objects.exists()


def test_an_unknown_username_gets_the_same_answer_as_a_wrong_password(cast, client):
    wrong = exchange(client, {"username": "staff", "password": "not-the-password"})
    unknown = exchange(client, {"username": "nobody-here", "password": "not-the-password"})
    assert (unknown.status_code, unknown.json()) == (wrong.status_code, wrong.json())


def test_wrong_passwords_through_the_api_lock_the_account(cast, client):
    # From as many clients: one client alone is refused (429) before the lock.
    body = json.dumps({"username": "staff", "password": "not-the-password"})
    for attempt in range(settings.MINGJING_LOCKOUT_ATTEMPTS):
        address = f"10.8.0.{attempt + 1}"
        client.post(TOKEN, body, content_type="application/json", REMOTE_ADDR=address)
    response = exchange(client, {"username": "staff", "password": PASSWORD})
    assert response.status_code == 401
    assert "账号已锁定" in response.json()["error"]


def test_the_token_exchange_refuses_get(cast, client):
    assert client.get(TOKEN).status_code == 405


def test_a_custodian_without_totp_gets_403(cast, client):
    response = exchange(client, {"username": "custodian", "password": PASSWORD})
    assert response.status_code == 403
    assert "动态口令" in response.json()["error"]
    assert not ApiToken.objects.exists()


def test_an_enrolled_user_without_otp_gets_401_with_otp_required(cast, client):
    enrolled(cast.custodian)
    response = exchange(client, {"username": "custodian", "password": PASSWORD})
    assert response.status_code == 401
    assert response.json()["otp_required"] is True
    assert not ApiToken.objects.exists()


def test_an_enrolled_user_with_a_correct_otp_gets_201(cast, client):
    secret = enrolled(cast.custodian)
    body = {"username": "custodian", "password": PASSWORD, "otp": pyotp.TOTP(secret).now()}
    response = exchange(client, body)
    assert response.status_code == 201
    assert client.get(ME, HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}").json()[
        "roles"
    ] == ["custodian", "staff"]


def test_an_otp_cannot_be_used_twice_for_tokens(cast, client):
    secret = enrolled(cast.approver)
    body = {"username": "approver", "password": PASSWORD, "otp": pyotp.TOTP(secret).now()}
    assert exchange(client, body).status_code == 201
    assert exchange(client, body).status_code == 401


def test_staff_who_enrolled_by_choice_must_give_the_otp_too(cast, client):
    enrolled(cast.staff)
    response = exchange(client, {"username": "staff", "password": PASSWORD})
    assert response.status_code == 401 and response.json()["otp_required"] is True


def test_guessing_otps_with_a_known_password_locks_the_account(cast, client):
    secret = enrolled(cast.custodian)
    for _ in range(settings.MINGJING_LOCKOUT_ATTEMPTS):
        exchange(client, {"username": "custodian", "password": PASSWORD, "otp": wrong_code(secret)})
    body = {"username": "custodian", "password": PASSWORD, "otp": pyotp.TOTP(secret).now()}
    response = exchange(client, body)
    assert response.status_code == 401
    assert "账号已锁定" in response.json()["error"]


# /api/v1/me and the cases


def test_me_describes_the_caller(cast, client):
    body = bearer(client, cast.head).get(ME).json()
    assert body == {
        "username": "head",
        "name": "测试head",
        "court": "豫9001",
        "department": "民事审判第一庭",
        "roles": ["dept_head", "staff"],
    }


def test_me_without_a_token_gets_401_in_chinese(cast, client):
    response = client.get(ME)
    assert response.status_code == 401
    assert has_chinese(response.json()["error"])


def test_a_session_does_not_stand_in_for_a_token(cast, client):
    client.post(reverse("accounts:login"), {"username": "staff", "password": PASSWORD})
    assert client.get(ME).status_code == 401


def test_cases_by_number_returns_the_courts_case_for_staff(cast, client):
    response = bearer(client, cast.staff).get(CASES, {"number": "民初123"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [case["number"] for case in results] == [cast.case.number]
    assert results[0]["id"] == cast.case.id


def test_cases_never_lists_another_courts_case(cast, client):
    response = bearer(client, cast.staff).get(CASES, {"number": "民初"})
    numbers = [case["number"] for case in response.json()["results"]]
    assert cast.case.number in numbers
    assert cast.other_case.number not in numbers


def test_a_case_of_the_callers_court_is_returned_with_parties_and_handlers(cast, client):
    response = bearer(client, cast.staff).get(reverse("api:case", args=[cast.case.id]))
    assert response.status_code == 200
    body = response.json()
    assert body["number"] == cast.case.number
    assert {p["name"] for p in body["participants"]} == {"张某", "李律师"}
    assert body["assignments"][0]["person"] == "测试staff"


def test_a_case_of_another_court_answers_404(cast, client):
    response = bearer(client, cast.staff).get(reverse("api:case", args=[cast.other_case.id]))
    assert response.status_code == 404
    assert has_chinese(response.json()["error"])


def test_a_case_that_does_not_exist_answers_404(cast, client):
    missing = cast.other_case.id + cast.case.id + 1000
    assert bearer(client, cast.staff).get(reverse("api:case", args=[missing])).status_code == 404


def test_the_sysadmin_gets_403_on_cases(cast, client):
    response = bearer(client, cast.sysadmin).get(CASES, {"number": "民初123"})
    assert response.status_code == 403
    assert has_chinese(response.json()["error"])


def test_the_sysadmin_does_not_find_a_case_by_id_either(cast, client):
    response = bearer(client, cast.sysadmin).get(reverse("api:case", args=[cast.case.id]))
    assert response.status_code == 404


# The OpenAPI document


def _openapi_path(route: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def _api_routes(patterns, prefix: str = "") -> set[str]:
    routes = set()
    for entry in patterns:
        if isinstance(entry, URLResolver):
            routes |= _api_routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            routes.add(prefix + str(entry.pattern))
    return routes


def test_openapi_is_valid_json_served_without_a_token(cast, client):
    response = client.get(reverse("api:openapi"))
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    assert document["paths"]


def test_openapi_documents_every_url_pattern_of_the_api(client, db):
    document = client.get(reverse("api:openapi")).json()
    base = reverse("api:openapi").removesuffix("openapi.json")
    routes = {base + _openapi_path(route) for route in _api_routes(api_urls.urlpatterns)}
    assert routes, "the API has URL patterns"
    assert routes - set(document["paths"]) == set(), "endpoints missing from openapi.json"
    assert set(document["paths"]) - routes == set(), "openapi.json documents a missing endpoint"


def test_openapi_documents_the_methods_each_endpoint_answers(client, db):
    document = openapi_document()
    assert set(document["paths"]["/api/v1/auth/token"]) == {"post"}
    for path in ("/api/v1/me", "/api/v1/cases", "/api/v1/cases/{case_id}"):
        assert set(document["paths"][path]) == {"get"}


def test_every_schema_reference_in_openapi_resolves(db):
    document = openapi_document()
    refs = re.findall(r'"\$ref": "#/components/schemas/(\w+)"', json.dumps(document))
    assert refs
    assert set(refs) <= set(document["components"]["schemas"])


def _properties(document: dict, name: str) -> set[str]:
    schema = document["components"]["schemas"][name]
    parts = schema.get("allOf", [schema])
    props: set[str] = set()
    for part in parts:
        if "$ref" in part:
            props |= _properties(document, part["$ref"].rsplit("/", 1)[1])
        props |= set(part.get("properties", {}))
    return props


def test_openapi_describes_every_field_the_api_returns(cast):
    document = openapi_document()
    actor = actor_for(cast.staff)
    assert set(serializers.me(actor)) == _properties(document, "Me")
    assert set(serializers.case_summary(cast.case)) == _properties(document, "CaseSummary")
    assert set(serializers.case_detail(cast.case)) == _properties(document, "CaseDetail")


def test_openapi_describes_the_otp_required_flag_of_errors(db):
    assert "otp_required" in _properties(openapi_document(), "Error")
