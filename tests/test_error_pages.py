"""Django's own error pages are Chinese: 400 (bad Host, malformed upload), 403, CSRF, 404, 500."""

import re

from django.test import Client
from django.urls import reverse

from tests.conftest import login_as

CHINESE = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_DEFAULTS = (
    "Bad Request",
    "Forbidden",
    "CSRF verification failed",
    "Not Found",
    "Server Error",
)


def assert_chinese_page(response, status: int) -> str:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert CHINESE.search(html) and 'lang="zh-CN"' in html
    for english in ENGLISH_DEFAULTS:
        assert english not in html, english
    return html


def test_a_bad_host_gets_a_chinese_400(db, client):
    html = assert_chinese_page(client.get(reverse("accounts:login"), HTTP_HOST="evil.example"), 400)
    assert "请求有误" in html


def test_a_malformed_multipart_upload_gets_a_chinese_400(cast, client):
    login_as(client, cast.staff)
    response = client.generic(
        "POST",
        reverse("records:new"),
        b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n',  # never closed
        content_type="multipart/form-data; boundary=",
    )
    assert_chinese_page(response, 400)


def test_a_failed_csrf_check_gets_a_chinese_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    html = assert_chinese_page(response, 403)
    assert "页面已过期" in html


def test_forbidden_and_not_found_are_chinese(cast, client):
    login_as(client, cast.staff)
    assert_chinese_page(client.get("/no-such-page/"), 404)
    assert_chinese_page(client.get(reverse("declarations:report")), 403)


def test_a_server_error_gets_a_chinese_500(cast, monkeypatch):
    client = Client(raise_request_exception=False)
    login_as(client, cast.staff)

    def broken(actor):
        raise RuntimeError("boom")

    monkeypatch.setattr("mingjing.web.views.tasks_for", broken)
    html = assert_chinese_page(client.get(reverse("web:home")), 500)
    assert "boom" not in html
