"""`mingjing serve`: gunicorn with the repository's configuration and production settings,
started for real in a fresh process on a scratch SQLite database."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

SERVE = [sys.executable, "-m", "mingjing", "serve"]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MINGJING_", "DJANGO_"))}
    clean.pop("PYTEST_CURRENT_TEST", None)
    src = str(Path(__file__).resolve().parents[1] / "src")
    master_key = tmp_path / "master.key"
    master_key.write_text("ab" * 32 + "\n", encoding="utf-8")
    return {
        **clean,
        "PYTHONPATH": os.pathsep.join([src, clean.get("PYTHONPATH", "")]),
        "MINGJING_SECRET_KEY": "s" * 50,
        "MINGJING_DATA_DIR": str(tmp_path),
        "MINGJING_MASTER_KEY_FILE": str(master_key),
        "MINGJING_SSL_REDIRECT": "0",
        "MINGJING_ALLOWED_HOSTS": "127.0.0.1",
        **extra,
    }


def _config(tmp_path: Path, *args: str, **extra: str) -> dict[str, str]:
    result = subprocess.run(
        [*SERVE, "--check-config", *args],
        env=_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    pairs = (line.split("=", 1) for line in result.stdout.splitlines() if " = " in line)
    return {name.strip(): value.strip() for name, value in pairs}


def test_workers_follow_the_cores_and_timeouts_and_access_log_are_set(tmp_path):
    config = _config(tmp_path)
    assert config["workers"] == str(2 * len(os.sched_getaffinity(0)) + 1)
    assert config["wsgi_app"] == "mingjing.wsgi:application"
    assert config["timeout"] == "60"
    assert config["accesslog"] == "-"
    assert config["worker_class"] == "sync"


def test_the_environment_and_the_options_override_the_configuration(tmp_path):
    config = _config(tmp_path, "--bind", "127.0.0.1:9100", MINGJING_WORKERS="3")
    assert config["workers"] == "3"
    assert config["bind"] == "['127.0.0.1:9100']"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    env = _env(tmp_path)
    migrate = subprocess.run(
        [sys.executable, "-m", "mingjing", "migrate", "--no-input", "-v", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr
    port = _free_port()
    server = subprocess.Popen(
        [*SERVE, "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield f"http://127.0.0.1:{port}", server
    finally:
        server.terminate()
        server.wait(timeout=30)


def _get(url: str, deadline: float) -> tuple[int, str]:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError:
            raise
        except OSError:  # not listening yet
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_serve_answers_with_production_settings_and_logs_each_request(served):
    base, server = served
    status, body = _get(f"{base}/healthz", time.monotonic() + 60)
    assert status == 200
    assert json.loads(body) == {"status": "ok"}
    # Debug is off: an unknown page is the product's 404, not Django's technical page.
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{base}/no-such-page", timeout=10)
    assert missing.value.code == 404
    html = missing.value.read().decode()
    assert "页面不存在" in html and "Page not found at" not in html
    server.terminate()
    log = server.communicate(timeout=30)[0]
    assert '"GET /healthz HTTP/1.1" 200' in log
