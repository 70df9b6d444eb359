"""Bad input never answers 500: hostile values against every /api/v1 endpoint.

Every endpoint in the OpenAPI document gets huge integers, NUL bytes, deeply nested JSON,
wrong types, dates no calendar holds, and Unicode oddities; every answer is JSON, never 500,
errors in the documented Error shape with a Chinese message, and a refused request changes
nothing. Then the errors Django itself produces: unknown routes, wrong methods, oversized
bodies, a bad Host header, and an unexpected exception.
"""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mingjing.api import body as api_body
from mingjing.api.v1 import openapi_document
from mingjing.records.models import Amendment, Record
from mingjing.reporting.models import MonthlyReport
from mingjing.security.authn import api_token_create
from mingjing.security.models import AuditEvent
from tests.conftest import PASSWORD
from tests.recording.helpers import api_record_body

CHINESE = re.compile(r"[\u4e00-\u9fff]")
DEEP = 100_000


record_body = api_record_body


# Raw bodies: not JSON at all, or JSON that must not reach a handler.
RAW_BODIES = [
    b"[" * DEEP + b"]" * DEEP,
    b'{"a":' * DEEP + b"1" + b"}" * DEEP,
    ('{"content": ' + "[" * 5000 + "]" * 5000 + "}").encode(),
    b'{"subject_person_id": ' + b"9" * 5000 + b"}",
    b'{"subject_person_id": NaN}',
    b'{"subject_person_id": Infinity}',
    b'{"content": "\\ud800"}',
    b'{"content": "a\\u0000b"}',
    b'{"a\\u0000": 1}',
    b"\xff\xfe{}",
    b"\xc0\xaf",
    b"\xef\xbb\xbf{}",
    b"",
    b"null",
    b"[]",
    b'"text"',
    b"12345678901234567890123",
    b"{" * 3,
]

HUGE = 10**30
# Values put into every field a body may have.
HOSTILE_VALUES = [
    HUGE,
    2**63,
    True,
    None,
    [],
    {},
    "\x00",
    "正常\x00文本",
    "\u202e\u200b\ufeff",
    "𝕏🙂" * 3,
    "x" * 100_000,
    "0001-01-01T00:00",
    "9999-12-31T23:59:59-14:00",
    "2026-02-30T00:00:00",
    "2026-13-01T00:00:00",
    "0001-01",
    "2026-00",
    "2026-13",
    "9999-12",
    '=HYPERLINK("http://evil")',
]


QUERY_VALUES = ["\x00", "0001-01", "2026-13", "9999-99", "x" * 10_000, "（2026）豫9001民初123号"]


def _concrete(path: str, ids: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)


def _operations(ids: dict) -> list[tuple[str, str]]:
    """(method, url) of every operation the OpenAPI document describes."""
    return [(method, url) for method, url, _fields in _operations_with_fields(ids)]


def _operations_with_fields(ids: dict) -> list[tuple[str, str, list[str]]]:
    """(method, url, body fields) of every operation, the fields from its request schema."""
    document = openapi_document()
    schemas = document["components"]["schemas"]
    out = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            schema = (
                operation.get("requestBody", {})
                .get("content", {})
                .get("application/json", {})
                .get("schema", {})
            )
            if "$ref" in schema:
                schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
            fields = [*schema.get("properties", {}), "unknown_field"]
            out.append((method.upper(), _concrete(path, ids), fields))
    return out


def _counts() -> tuple:
    return (
        Record.objects.count(),
        Amendment.objects.count(),
        MonthlyReport.objects.count(),
        Record.objects.filter(status="draft").count(),
    )


def assert_json_answer(response, what) -> None:
    assert response.status_code < 500, (what, response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), (what, response.status_code)
    data = response.json()
    if response.status_code >= 400:
        assert isinstance(data, dict) and isinstance(data.get("error"), str), what
        assert CHINESE.search(data["error"]), (what, data)
        assert "Traceback" not in response.content.decode()


@pytest.fixture
def world(cast, records, client):
    _, secret = api_token_create(user=cast.staff, name="fuzz")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    ids = {
        "record_id": records.draft.id,
        "case_id": cast.case.id,
        "department_id": cast.departments["civil"].id,
    }
    return client, ids, records


def _send(client, method: str, url: str, data) -> object:
    payload = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False)
    return client.generic(method, url, payload, content_type="application/json")


def test_every_endpoint_survives_raw_hostile_bodies(world):
    client, ids, _ = world
    before = _counts()
    for method, url in _operations(ids):
        for raw in RAW_BODIES:
            response = _send(client, method, url, raw)
            assert_json_answer(response, (method, url, raw[:40]))
    # Raw bodies are refused or ignored (GET): nothing changed.
    assert _counts() == before


def test_every_endpoint_survives_hostile_values_in_every_field(world):
    client, ids, records = world
    for method, url, fields in _operations_with_fields(ids):
        if method == "GET":
            continue
        for field in fields:
            for value in HOSTILE_VALUES:
                before = _counts()
                base = record_body() if "/records" in url else {}
                response = _send(client, method, url, {**base, field: value})
                assert_json_answer(response, (method, url, field, repr(value)[:40]))
                if response.status_code >= 400:
                    assert _counts() == before, (method, url, field, repr(value)[:40])


def test_every_get_survives_hostile_query_strings(world):
    client, ids, _ = world
    for method, url in _operations(ids):
        if method != "GET":
            continue
        for name in ("number", "month", "page", "\x00"):
            for value in QUERY_VALUES:
                response = client.get(url, {name: value})
                assert_json_answer(response, (url, name, value[:20]))


@pytest.mark.parametrize("record_id", [0, 2**63, 10**40])
def test_huge_ids_in_the_path_are_simply_not_found(world, record_id):
    client, _, _ = world
    response = client.get(f"/api/v1/records/{record_id}")
    assert response.status_code == 404
    assert_json_answer(response, record_id)


# --- the cases seen in the field ----------------------------------------------------------


@pytest.mark.parametrize(
    "occurred_at, message",
    [
        ("0001-01-01T00:00", "不能早于"),
        ("0001-01-01T00:00:00+00:00", "不能早于"),
        ("2026-02-30T00:00:00", "ISO 8601"),
        ("9999-12-31T23:59:59", "不能晚于现在"),
    ],
)
def test_bad_occurred_at_on_the_api_gets_a_field_message(world, occurred_at, message):
    client, _, _ = world
    before = _counts()
    response = _send(
        client, "POST", reverse("api:records_list"), record_body(occurred_at=occurred_at)
    )
    assert response.status_code == 400
    assert message in response.json()["fields"]["occurred_at"]
    assert _counts() == before


def test_a_deeply_nested_body_gets_a_clear_400(world):
    client, _, _ = world
    events = AuditEvent.objects.count()
    response = _send(client, "POST", reverse("api:records_list"), b"[" * DEEP + b"]" * DEEP)
    assert response.status_code == 400
    assert response.json() == {"error": api_body.TOO_DEEP}
    assert AuditEvent.objects.count() == events


def test_nul_in_a_string_is_refused_as_on_the_web(world):
    client, _, _ = world
    response = _send(client, "POST", reverse("api:records_list"), record_body(content="甲\x00乙"))
    assert response.status_code == 400
    assert response.json() == {"error": api_body.NUL_REFUSED}
    response = client.get(reverse("api:cases"), {"number": "123\x00"})
    assert response.status_code == 400 and response.json() == {"error": api_body.NUL_REFUSED}


def test_the_token_endpoint_refuses_nul_and_deep_bodies_without_counting_a_failure(cast, client):
    for raw in (b'{"username": "staff\\u0000", "password": "x"}', b"[" * DEEP + b"]" * DEEP):
        response = _send(client, "POST", reverse("api:auth_token"), raw)
        assert response.status_code == 400
    response = _send(
        client, "POST", reverse("api:auth_token"), {"username": "staff", "password": PASSWORD}
    )
    assert response.status_code == 201


@pytest.mark.parametrize("month", ["2026-1", " 2026-11", "2026-13", "0001-01", "9999-12"])
def test_the_month_is_held_to_the_openapi_pattern(world, month):
    client, ids, _ = world
    pattern = openapi_document()["components"]["schemas"]["MonthlyReportInput"]["properties"][
        "month"
    ]["pattern"]
    assert not re.fullmatch(pattern, month)
    response = _send(client, "POST", reverse("api:reports_submit"), {"month": month})
    assert response.status_code == 400 and "month" in response.json()["fields"]
    url = reverse("api:reports_department", args=[ids["department_id"]])
    assert client.get(url, {"month": month}).status_code in (400, 403)


def test_a_month_the_pattern_allows_is_accepted(world):
    client, _, _ = world
    month = f"{timezone.localdate():%Y-%m}"
    pattern = openapi_document()["components"]["schemas"]["MonthlyReportInput"]["properties"][
        "month"
    ]["pattern"]
    assert re.fullmatch(pattern, month)
    response = _send(
        client,
        "POST",
        reverse("api:reports_submit"),
        {"month": month, "zero": True, "affirm": True},
    )
    assert response.status_code in (201, 409), response.json()


def test_text_limits_in_the_openapi_are_the_ones_enforced(world):
    client, _, _ = world
    schema = openapi_document()["components"]["schemas"]["RecordInput"]
    assert schema["additionalProperties"] is False
    for name, spec in schema["properties"].items():
        limit = spec.get("maxLength")
        if not limit:
            continue
        too_long = _send(
            client, "POST", reverse("api:records_list"), record_body(**{name: "长" * (limit + 1)})
        )
        assert too_long.status_code == 400 and name in too_long.json()["fields"], name
    items = schema["properties"]["case_numbers"]
    too_many = ["（2026）豫9001民初1号"] * (items["maxItems"] + 1)
    response = _send(
        client, "POST", reverse("api:records_list"), record_body(case_numbers=too_many)
    )
    assert response.status_code == 400 and "case_numbers" in response.json()["fields"]


# --- errors Django produces ---------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v1/records/abc", "/api/v2/me", "/api/v1"])
def test_unknown_routes_answer_json_404(cast, client, path):
    response = client.get(path, follow=True)
    assert response.status_code == 404
    assert_json_answer(response, path)


def test_wrong_methods_answer_json_405_with_allow(world):
    client, ids, _ = world
    for method, url in [
        ("DELETE", "/api/v1/records"),
        ("PATCH", "/api/v1/me"),
        ("POST", "/api/v1/me"),
        ("PUT", "/api/v1/openapi.json"),
    ]:
        response = client.generic(method, url, b"{}", content_type="application/json")
        assert response.status_code == 405, (method, url)
        assert_json_answer(response, (method, url))
        assert response["Allow"]


def test_an_oversized_body_answers_json_413(world, settings):
    client, _, _ = world
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    before = _counts()
    big = record_body(content="长" * 2000)
    response = _send(client, "POST", reverse("api:records_list"), big)
    assert response.status_code == 413
    assert_json_answer(response, "413")
    assert _counts() == before


def test_a_bad_host_answers_json_400(cast, client):
    response = client.get(reverse("api:openapi"), HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert_json_answer(response, "host")


def test_an_unexpected_error_answers_json_500_without_a_stack(world, monkeypatch):
    client, _, _ = world

    def broken(actor):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("mingjing.api.views.me", broken)
    response = client.get(reverse("api:me"))
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert "secret internals" not in response.content.decode()
    assert CHINESE.search(response.json()["error"])


def test_a_csrf_failure_under_the_api_is_json_too(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.staff)
    # Every API view is exempt (bearer tokens, no cookies): no CSRF page can reach a client.
    response = client.post(reverse("api:me"), {"a": "b"})
    assert response.status_code in (401, 405)
    assert_json_answer(response, "csrf")
