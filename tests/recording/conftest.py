"""Fixtures for the recording tests: a logged-in client and the form's POST data."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.recording.helpers import CASE_NUMBER

SECRET = "请托关照某案，许诺事后重谢（机密）"


def form_time(delta: timedelta = timedelta(hours=-2)) -> str:
    return (timezone.localtime() + delta).strftime("%Y-%m-%dT%H:%M")


def form_data(**overrides) -> dict:
    """What the recording form posts; booleans are left out when false."""
    data = {
        "category": "internal_inquiry",
        "behaviour": "progress",
        "occurred_at": form_time(),
        "place": "办公室",
        "manner": "phone",
        "subject_kind": "internal_staff",
        "subject_person": "",
        "subject_name": "王某",
        "subject_unit": "某区某局",
        "subject_position": "科长",
        "subject_contact": "13900000000",
        "content": SECRET,
        "case_numbers": CASE_NUMBER,
        "handling": "告知按程序办理",
        "late_reason": "",
        "form_token": "token-1",
        "action": "draft",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def staff_client(cast, client):
    from tests.conftest import login_as

    return login_as(client, cast.staff)


def confirm(client, response):
    """Follow "核对并提交" to the confirmation page and confirm there, as the recorder does:
    the page must show the summary; returns the response of the confirming POST."""
    import re

    assert response.status_code == 302 and response["Location"].endswith("/confirm/"), response
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and "确认提交" in html
    assert 'data-testid="confirm-summary"' in html
    version = re.search(r'name="version" value="([^"]+)"', html)
    assert version
    return client.post(response["Location"], {"version": version.group(1)})


def submit_form(client, url: str, data: dict):
    """POST the form with "核对并提交", then confirm."""
    return confirm(client, client.post(url, {**data, "action": "submit"}))
