"""一案一表 over /api/v1: list, declare, and "may this case be closed?" by id and by number."""

import json

import pytest
from django.urls import reverse

from mingjing.api.v1 import openapi_document
from mingjing.declarations.services import declaration_declare
from mingjing.security.authn import api_token_create
from tests.conftest import SECRET_CONTENT
from tests.declarations.conftest import actor


@pytest.fixture
def api(client):
    def call(user, method: str, url: str, body: dict | None = None):
        _, secret = api_token_create(user=user, name="test")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
        if method == "post":
            data = json.dumps(body) if body is not None else "not json"
            return client.post(url, data, content_type="application/json", **headers)
        return client.get(url, **headers)

    return call


def by_number(number: str) -> str:
    return reverse("api:declarations_close_check_by_number") + "?" + f"number={number}"


def test_a_case_management_system_asks_by_number_with_half_width_brackets(cast, api):
    response = api(cast.custodian, "get", by_number("(2026)豫9001民初123号"))
    assert response.status_code == 200
    assert response.json() == {
        "case_id": cast.case.id,
        "case_number": cast.case.number,
        "may_close": False,
        "pending": [{"name": "测试staff", "staff_no": "T0001", "roles": ["承办法官"]}],
    }


def test_after_declaring_the_case_may_close(cast, api):
    declaration_declare(actor=actor(cast.staff), case=cast.case, none_to_report=True)
    url = reverse("api:declarations_close_check", args=[cast.case.id])
    assert api(cast.head, "get", url).json()["may_close"] is True


def test_another_courts_case_is_not_found_by_id_or_number(cast, api):
    url = reverse("api:declarations_close_check", args=[cast.other_case.id])
    assert api(cast.head, "get", url).status_code == 404
    assert api(cast.head, "get", by_number(cast.other_case.number)).status_code == 404


def test_roles_without_case_lookup_may_not_ask(cast, api):
    assert api(cast.sysadmin, "get", by_number(cast.case.number)).status_code == 403


def test_listing_gives_counts_to_the_department_admin_never_contents(cast, api, own_record):
    declaration_declare(actor=actor(cast.staff), case=cast.case, none_to_report=False)
    url = reverse("api:declarations_case", args=[cast.case.id])
    response = api(cast.deptadmin, "get", url)
    row = response.json()["declarations"][0]
    assert (row["status"], row["summary"]) == ("declared", {"none_to_report": False, "records": 1})
    assert SECRET_CONTENT not in response.content.decode()
    assert api(cast.staff2, "get", url).json()["declarations"][0]["summary"] is None


def test_the_handler_declares_through_the_api(cast, api):
    url = reverse("api:declarations_declare", args=[cast.case.id])
    response = api(cast.staff, "post", url, {"none_to_report": True})
    assert response.status_code == 200
    assert response.json()["status"] == "declared"


def test_declaring_records_without_any_is_a_clear_400(cast, api):
    url = reverse("api:declarations_declare", args=[cast.case.id])
    response = api(cast.staff, "post", url, {"none_to_report": False})
    assert response.status_code == 400
    assert "还没有提交与本案有关的记录" in response.json()["error"]
    assert api(cast.staff, "post", url, None).status_code == 400


def test_a_colleague_cannot_declare_through_the_api(cast, api):
    url = reverse("api:declarations_declare", args=[cast.case.id])
    assert api(cast.staff2, "post", url, {"none_to_report": True}).status_code == 403
    url = reverse("api:declarations_declare", args=[cast.other_case.id])
    assert api(cast.staff, "post", url, {"none_to_report": True}).status_code == 404


def test_the_openapi_document_describes_the_endpoints():
    document = openapi_document()
    assert "/api/v1/declarations/close-check" in document["paths"]
    assert "may_close" in document["components"]["schemas"]["CloseCheck"]["properties"]
