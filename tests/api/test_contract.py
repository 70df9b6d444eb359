"""The OpenAPI document is generated from the schemas that validate requests, and every API
answer in the suite is checked against it (tests/api_contract.py)."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from mingjing.api import schemas
from mingjing.api.v1 import chinese_message, openapi_document
from mingjing.security.authn import api_token_create
from tests.api_contract import ContractError, validate_against_openapi_schema

RECORDS = "/api/v1/records"


def test_every_test_client_checks_api_answers_against_the_document():
    assert getattr(Client.request, "openapi_checked", False)


def test_an_undocumented_status_breaks_the_contract(db):
    with pytest.raises(ContractError, match="not documented"):
        validate_against_openapi_schema("GET", RECORDS, 418, json.dumps({"error": "茶壶"}).encode())


def test_a_field_the_document_does_not_name_breaks_the_contract(db):
    body = json.dumps({"error": "未认证", "secret": "x"}).encode()
    with pytest.raises(ContractError, match="secret"):
        validate_against_openapi_schema("GET", RECORDS, 401, body)


def test_a_wrong_type_breaks_the_contract(db):
    with pytest.raises(ContractError, match="results"):
        validate_against_openapi_schema("GET", RECORDS, 200, b'{"results": "none"}')


def test_an_unknown_path_must_answer_404_in_the_error_shape(db):
    validate_against_openapi_schema("GET", "/api/v1/nowhere", 404, b'{"error": "\\u63a5"}')
    with pytest.raises(ContractError):
        validate_against_openapi_schema("GET", "/api/v1/nowhere", 200, b"{}")


def test_the_served_document_is_the_generated_one(client, db):
    assert client.get(reverse("api:openapi")).json() == openapi_document()


def test_the_record_input_in_the_document_is_the_schema_that_validates_it(db):
    generated = openapi_document()["components"]["schemas"]["RecordInput"]
    assert set(generated["properties"]) == set(schemas.RecordInput.model_fields)
    assert generated["additionalProperties"] is False
    assert set(generated["required"]) == {
        name for name, field in schemas.RecordInput.model_fields.items() if field.is_required()
    }


def test_the_token_scheme_is_a_bearer_token(db):
    document = openapi_document()
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert document["paths"]["/api/v1/records"]["get"]["security"] == [{"bearer": []}]
    assert "security" not in document["paths"]["/api/v1/auth/token"]["post"]


@pytest.mark.parametrize(
    "field, error, message",
    [
        ("color", {"type": "extra_forbidden"}, "未知字段。"),
        ("subject_name", {"type": "string_too_long", "ctx": {"max_length": 100}}, "100 个字"),
        ("not_about_a_case", {"type": "bool_type"}, "true 或 false"),
        ("category", {"type": "literal_error", "ctx": {"expected": "'a' or 'b'"}}, "可选值"),
        ("case_numbers", {"type": "too_long", "ctx": {"max_length": 50}}, "至多 50 个案号"),
        ("month", {"type": "string_pattern_mismatch"}, "YYYY-MM"),
    ],
)
def test_validation_errors_read_in_chinese(field, error, message):
    assert message in chinese_message(field, error)


def test_invalid_fields_answer_the_error_shape_with_a_message_each(cast, client):
    _, secret = api_token_create(user=cast.staff, name="test")
    body = {"category": "nope", "occurred_at": 1, "subject_name": "长" * 101, "color": "红"}
    response = client.post(
        RECORDS,
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert {"category", "occurred_at", "subject_name", "color"} <= set(fields)
    assert fields["color"] == "未知字段。" and "100" in fields["subject_name"]
