"""One source for a record's field rules (issue 9): the web form and /api/v1 refuse the same
bad inputs, on the same field, at the same limits (records/rules.py), and accept a value
exactly at a limit. Each row is sent through both, as a user and an API client would."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mingjing.records.models import Amendment, Record
from mingjing.records.rules import AMENDMENT_FIELDS, CHOICE_FIELDS, REQUIRED_FIELDS, TEXT_FIELDS
from mingjing.security.authn import api_token_create
from tests.conftest import login_as
from tests.recording.conftest import form_data
from tests.recording.helpers import CASE_NUMBER, api_record_body

NEW = reverse("records:new")
API_RECORDS = reverse("api:records_list")
FUTURE = timedelta(days=1)
LONG_AGO = "1999-12-31T09:00"


def _web(client, user) -> Client:
    login_as(client, user)
    return client


def _api(user) -> Client:
    client = Client()
    _, secret = api_token_create(user=user, name="rules")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


def _post_json(client: Client, url: str, body: dict):
    return client.post(url, json.dumps(body), content_type="application/json")


def _api_body(field: str, value):
    """The API's body with `field` set (a value of None leaves the field out)."""
    body = api_record_body()
    body.pop(field, None)
    return body if value is None else {**body, field: value}


def _web_time(delta: timedelta) -> str:
    return (timezone.localtime() + delta).strftime("%Y-%m-%dT%H:%M")


# (field, web value, API value): each refused by both, with the error on `field`. The web
# posts text; the API takes JSON (case numbers as a list, times in ISO 8601).
REFUSED = [
    *[(name, "字" * (limit + 1), "字" * (limit + 1)) for name, limit in TEXT_FIELDS.items()],
    *[(name, "bribe", "bribe") for name in CHOICE_FIELDS],
    *[(name, "", None) for name in REQUIRED_FIELDS],
    ("occurred_at", lambda: _web_time(FUTURE), lambda: (timezone.now() + FUTURE).isoformat()),
    ("occurred_at", LONG_AGO, LONG_AGO + ":00+08:00"),
]


def _value(value):
    return value() if callable(value) else value


@pytest.mark.parametrize(
    ("field", "web_value", "api_value"),
    REFUSED,
    ids=[f"{row[0]}-{index}" for index, row in enumerate(REFUSED)],
)
def test_the_form_and_the_api_refuse_the_same_bad_value(cast, client, field, web_value, api_value):
    page = _web(client, cast.staff).post(NEW, form_data(**{field: _value(web_value)}))
    assert page.status_code == 200
    assert field in page.context["form"].errors

    answer = _post_json(_api(cast.staff), API_RECORDS, _api_body(field, _value(api_value)))
    assert answer.status_code == 400
    assert field in answer.json()["fields"]
    assert not Record.objects.exists()


def test_both_refuse_case_numbers_when_not_about_a_case_is_ticked(cast, client):
    page = _web(client, cast.staff).post(NEW, form_data(not_about_a_case="on"))
    assert page.status_code == 200
    web_error = page.context["form"].errors["case_numbers"]

    body = api_record_body(not_about_a_case=True, case_numbers=[CASE_NUMBER])
    answer = _post_json(_api(cast.staff), API_RECORDS, body)
    assert answer.status_code == 400
    assert answer.json()["fields"]["case_numbers"] == web_error[0]
    assert not Record.objects.exists()


@pytest.mark.parametrize(("field", "limit"), TEXT_FIELDS.items())
def test_both_accept_a_text_exactly_at_its_limit(cast, client, field, limit):
    page = _web(client, cast.staff).post(NEW, form_data(**{field: "字" * limit}))
    assert page.status_code == 302

    answer = _post_json(_api(cast.staff), API_RECORDS, api_record_body(**{field: "字" * limit}))
    assert answer.status_code == 201
    assert Record.objects.count() == 2


@pytest.mark.parametrize(("field", "limit"), AMENDMENT_FIELDS.items())
def test_amendments_have_the_same_limits_on_the_web_and_in_the_api(
    cast, client, records, field, limit
):
    good = {"reason": "记错了时间", "correction": "应为下午三点"}
    too_long = {**good, field: "字" * (limit + 1)}
    page = _web(client, cast.staff).post(reverse("records:amend", args=[records.own.id]), too_long)
    assert page.status_code == 200
    assert field in page.context["form"].errors

    url = reverse("api:records_amendments", args=[records.own.id])
    api = _api(cast.staff)
    answer = _post_json(api, url, too_long)
    assert answer.status_code == 400 and field in answer.json()["fields"]
    assert not Amendment.objects.exists()

    assert _post_json(api, url, {**good, field: "字" * limit}).status_code == 201
    assert Amendment.objects.count() == 1
