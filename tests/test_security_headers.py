"""Security headers on HTML pages, templates that keep to the strict CSP, and the production
settings that refuse to start insecurely."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

import mingjing

SRC = Path(mingjing.__file__).resolve().parent
TEMPLATES = sorted(SRC.rglob("templates/**/*.html"))


def csp_directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.fixture(params=["login", "home"])
def html_page(request, cast, client, login):
    if request.param == "home":
        login(cast.staff)
        response = client.get(reverse("web:home"))
    else:
        response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    return response


def test_html_pages_carry_a_content_security_policy_with_self_only_scripts(html_page):
    directives = csp_directives(html_page)
    assert "'self'" in directives["script-src"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert not any(v.startswith(("http:", "https:", "*")) for v in directives["script-src"])
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_html_pages_may_not_be_framed(html_page):
    assert html_page["X-Frame-Options"] == "DENY"


def test_html_pages_forbid_content_sniffing(html_page):
    assert html_page["X-Content-Type-Options"] == "nosniff"


def test_html_pages_set_a_referrer_policy(html_page):
    assert html_page["Referrer-Policy"] == "same-origin"


def test_pages_of_a_signed_in_user_are_not_cached(cast, client, login):
    login(cast.staff)
    assert "no-store" in client.get(reverse("web:home"))["Cache-Control"]


def test_the_api_carries_the_headers_too(cast, client):
    response = client.get(reverse("api:openapi"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response


def test_there_are_templates_to_scan():
    assert any(path.name == "base.html" for path in TEMPLATES)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_template_has_an_inline_script(path):
    text = path.read_text(encoding="utf-8")
    for tag in re.findall(r"<script\b[^>]*>", text, flags=re.IGNORECASE):
        assert re.search(r"\bsrc\s*=", tag), f"inline <script> in {path}: {tag}"


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_template_has_an_inline_event_handler_or_javascript_url(path):
    text = path.read_text(encoding="utf-8")
    handlers = re.findall(r"<[^>]*\son[a-z]+\s*=[^>]*>", text, flags=re.IGNORECASE)
    assert handlers == [], f"inline event handler in {path}"
    assert "javascript:" not in text.lower(), f"javascript: URL in {path}"


# Production settings (mingjing.settings), checked in a fresh interpreter: the suite itself runs
# under tests/settings.py.

SETUP = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'mingjing.settings'; "
    "django.setup(); from django.conf import settings; "
)


def run_settings(code: str = "", **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MINGJING_", "DJANGO_"))}
    clean.pop("PYTEST_CURRENT_TEST", None)
    return subprocess.run(
        [sys.executable, "-c", SETUP + code],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_settings_refuse_to_start_without_a_secret_key_outside_debug():
    result = run_settings()
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "MINGJING_SECRET_KEY" in result.stderr


def test_settings_read_the_secret_key_from_a_file(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text("a-secret-read-from-a-file-0123456789\n", encoding="utf-8")
    result = run_settings("print(settings.SECRET_KEY)", MINGJING_SECRET_KEY_FILE=str(key_file))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "a-secret-read-from-a-file-0123456789"


def test_settings_refuse_an_unreadable_secret_key_file(tmp_path):
    result = run_settings(MINGJING_SECRET_KEY_FILE=str(tmp_path / "missing"))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_production_settings_make_cookies_secure_and_hash_with_argon2():
    code = (
        "print(settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "settings.SESSION_COOKIE_HTTPONLY, settings.PASSWORD_HASHERS[0].rsplit('.', 1)[1])"
    )
    result = run_settings(code, MINGJING_SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True", "Argon2PasswordHasher"]


def test_the_idle_limit_comes_from_its_environment_variable():
    result = run_settings(
        "print(settings.SESSION_COOKIE_AGE, settings.SESSION_SAVE_EVERY_REQUEST, "
        "settings.MINGJING_SESSION_RENEW_SECONDS)",
        MINGJING_SECRET_KEY="x" * 50,
        MINGJING_SESSION_IDLE_SECONDS="600",
        MINGJING_SESSION_RENEW_SECONDS="30",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["600", "False", "30"]
