"""Nothing at run time switches a server into test mode; the database URL keeps its options.

The server's settings (mingjing.settings) are loaded in a fresh interpreter that has pytest
imported and MINGJING_TESTING set: still no fixed secret key, no fixed master key.
"""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from mingjing.env import database_from_url

SETUP = (
    "import pytest, django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'mingjing.settings'; "
    "django.setup(); from django.conf import settings; "
)


def run_server_settings(code: str = "", **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MINGJING_", "DJANGO_"))}
    clean.pop("PYTEST_CURRENT_TEST", None)
    return subprocess.run(
        [sys.executable, "-c", SETUP + code],
        env={**clean, "MINGJING_TESTING": "1", "PYTEST_CURRENT_TEST": "x", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_pytest_and_a_testing_variable_do_not_give_a_server_a_secret_key():
    result = run_server_settings()
    assert result.returncode != 0
    assert "MINGJING_SECRET_KEY" in result.stderr


def test_pytest_and_a_testing_variable_do_not_give_a_server_the_test_master_key():
    code = (
        "from mingjing.security import masterkey\n"
        "print(settings.TESTING, settings.PASSWORD_HASHERS[0].rsplit('.', 1)[1])\n"
        "print([e.id for e in masterkey.check_master_key()])\n"
        "try:\n    masterkey.current_master()\nexcept Exception as exc:\n"
        "    print(type(exc).__name__)\n"
    )
    code = SETUP + code
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MINGJING_", "DJANGO_"))}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "MINGJING_TESTING": "1", "MINGJING_SECRET_KEY": "k" * 50},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:3] == [
        "False Argon2PasswordHasher",
        "['mingjing.E001']",
        "ImproperlyConfigured",
    ]


def test_debug_without_a_secret_key_gets_a_random_one_not_a_fixed_one():
    keys = [run_server_settings("print(settings.SECRET_KEY)", MINGJING_DEBUG="1") for _ in range(2)]
    assert all(k.returncode == 0 for k in keys), keys[0].stderr
    first, second = (k.stdout.strip() for k in keys)
    assert first != second and len(first) >= 50


def test_the_suite_runs_under_its_own_settings_module(settings):
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "tests.settings"
    assert settings.TESTING is True


# --- MINGJING_DATABASE_URL -------------------------------------------------------------------


def test_database_url_options_reach_psycopg():
    url = (
        "postgresql://app%40x:p%2Fw@db.court.intranet:6432/ming%20jing"
        "?sslmode=verify-full&sslrootcert=/etc/ssl/court-ca.pem&connect_timeout=5"
        "&application_name=mingjing&options=-c%20statement_timeout%3D30000"
    )
    db = database_from_url(url)
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "app@x",
        "p/w",
        "db.court.intranet",
        "6432",
        "ming jing",
    )
    assert db["OPTIONS"] == {
        "sslmode": "verify-full",
        "sslrootcert": "/etc/ssl/court-ca.pem",
        "connect_timeout": "5",
        "application_name": "mingjing",
        "options": "-c statement_timeout=30000",
    }


def test_database_url_with_a_socket_directory_and_no_options():
    db = database_from_url("postgresql:///mingjing?host=/var/run/postgresql")
    assert db["HOST"] == "" and db["OPTIONS"] == {"host": "/var/run/postgresql"}
    assert database_from_url("postgresql://u@h/n")["OPTIONS"] == {}


@pytest.mark.parametrize(
    "url",
    ["mysql://u@h/n", "postgresql://u@h:99999/n", "postgresql://u@h/n?sslmode=a&sslmode=b"],
)
def test_bad_database_urls_are_refused_in_chinese(url):
    with pytest.raises(ImproperlyConfigured, match="MINGJING_DATABASE_URL"):
        database_from_url(url)


def test_the_options_are_used_by_the_connection(settings):
    """Django hands OPTIONS to psycopg: the connection parameters carry them."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    from django.db.backends.postgresql.base import DatabaseWrapper

    entry = {**connection.settings_dict, "OPTIONS": {"sslmode": "disable", "connect_timeout": "3"}}
    params = DatabaseWrapper(entry).get_connection_params()
    assert params["sslmode"] == "disable" and params["connect_timeout"] == "3"
