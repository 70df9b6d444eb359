"""Reading configuration from the environment, with `*_FILE` variants for secrets."""

import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str | None = None) -> str | None:
    """`NAME`, or the contents of the file named by `NAME_FILE`, or `default`."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE 无法读取: {file_path}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} 必须是整数, 现为 {value!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def database_from_url(url: str, name: str = "MINGJING_DATABASE_URL") -> dict[str, Any]:
    """Django DATABASES entry for a `postgresql://user:pass@host:port/name?options` URL.

    Every query parameter is a libpq connection option (`sslmode`, `sslrootcert`,
    `connect_timeout`, `application_name`, `target_session_attrs`, `options`, `host` for a
    Unix socket directory, ...) and is passed to psycopg as it is.
    """
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(f"{name} 仅支持 postgresql://, 现为 {parsed.scheme}")
    try:
        port = parsed.port
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} 的端口不正确") from exc
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")),
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": unquote(parsed.hostname or ""),
        "PORT": str(port or ""),
        "OPTIONS": _database_options(parsed.query, name),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


def _database_options(query: str, name: str) -> dict[str, str]:
    options: dict[str, str] = {}
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} 的查询参数格式不正确") from exc
    for key, value in pairs:
        if key in options:
            raise ImproperlyConfigured(f"{name} 的查询参数 {key} 重复出现")
        options[key] = value
    return options


def sqlite_database(path: Path) -> dict[str, Any]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        # Kept open between requests, as PostgreSQL's are: no reconnect and PRAGMAs per request.
        "CONN_MAX_AGE": 600,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        },
    }
