"""`make run` serves the demo as production looks (issue 10 point 10): debug off, static files
served by WhiteNoise, Chinese 403/404/500 pages with a way back, on this machine only."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.conftest import login_as
from tests.test_error_pages import assert_chinese_page

SRC = Path(__file__).resolve().parent.parent / "src"
SETTINGS_PROBE = (
    "import json, mingjing.settings as s; print(json.dumps({k: getattr(s, k) for k in "
    "('DEBUG', 'ALLOWED_HOSTS', 'SESSION_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', "
    "'SECURE_HSTS_SECONDS', 'MIDDLEWARE', 'WHITENOISE_USE_FINDERS')}))"
)


def server_settings(tmp_path, **env) -> dict:
    """mingjing.settings as a server process loads them with `env` (never tests/settings)."""
    key = tmp_path / "secret_key"
    key.write_text("k" * 60)
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MINGJING_")}
    clean |= {"PYTHONPATH": str(SRC), "MINGJING_SECRET_KEY_FILE": str(key), **env}
    done = subprocess.run(
        [sys.executable, "-c", SETTINGS_PROBE], env=clean, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_demo_runs_with_debug_off_on_this_machine_over_plain_http(tmp_path):
    demo = server_settings(tmp_path, MINGJING_DEMO="1")
    assert demo["DEBUG"] is False and demo["WHITENOISE_USE_FINDERS"] is False
    assert demo["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost", "[::1]"]
    assert not demo["SESSION_COOKIE_SECURE"] and not demo["SECURE_SSL_REDIRECT"]
    assert demo["SECURE_HSTS_SECONDS"] == 0
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in demo["MIDDLEWARE"]


def test_production_keeps_its_safe_defaults(tmp_path):
    production = server_settings(tmp_path)
    assert production["DEBUG"] is False and production["ALLOWED_HOSTS"] == []
    assert production["SESSION_COOKIE_SECURE"] and production["SECURE_SSL_REDIRECT"]
    assert production["SECURE_HSTS_SECONDS"] == 31536000


def test_the_makefile_runs_the_demo_mode_not_debug():
    makefile = (SRC.parent / "Makefile").read_text(encoding="utf-8")
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "$(DEMO_ENV) $(BIN)/mingjing runserver 127.0.0.1:8000" in run
    assert "collectstatic" in run and "--insecure" not in run and "DEV_ENV" not in run


def test_static_files_are_served_with_debug_off(db):
    assert settings.DEBUG is False
    response = Client().get("/static/mingjing/app.css")
    body = b"".join(response.streaming_content)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/css")
    assert b"body" in body


def test_a_head_opening_a_record_he_may_not_see_gets_the_chinese_404(cast, records, client):
    login_as(client, cast.head)
    response = client.get(reverse("records:detail", args=[records.other_court.id]))
    html = assert_chinese_page(response, 404)
    assert "页面不存在" in html and 'href="/"' in html
    assert "URLconf" not in html and "records/&lt;int:record_id&gt;" not in html
