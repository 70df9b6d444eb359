"""The master key: lives in a file outside the database, named by `MINGJING_MASTER_KEY_FILE`.

File format, one key per line (blank lines and `#` comments ignored):

    ID:HEX        an identifier of your choice (letters, digits, `_.-`, up to 32) and 64 hex
    HEX           a bare 64-hex key; its ID is the first 8 hex of SHA-256 of the key bytes

The FIRST key is the current one: every new wrap uses it. Later lines are older keys, kept
only so that rows still wrapped by them can be opened until `mingjing keys rewrap` has run.
Each key is 32 bytes; SM4 uses its first 16 bytes. The file is read when a key is needed
(never cached), so an operator's edit takes effect without a restart.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.core.exceptions import ImproperlyConfigured

from mingjing.security.crypto import KEY_BYTES

ENV_VAR = "MINGJING_MASTER_KEY_FILE"
MASTER_KEY_BYTES = 32
_LINE = re.compile(r"^(?:(?P<id>[A-Za-z0-9_.-]{1,32}):)?(?P<hex>[0-9a-fA-F]{64})$")
# Only under the suite's own settings (tests/settings.py sets TESTING) without a key file.
_TEST_SECRET = hashlib.sha256(b"mingjing: test-only master key, never used outside pytest").digest()


@dataclass(frozen=True)
class MasterKey:
    key_id: str
    secret: bytes = field(repr=False)

    def for_algorithm(self, algorithm: str) -> bytes:
        """The key material for an AEAD algorithm: all 32 bytes for AES, the first 16 for SM4."""
        return self.secret[: KEY_BYTES[algorithm]]


def key_id_for(secret: bytes) -> str:
    """The derived ID of a bare key: first 8 hex of SHA-256 of its bytes."""
    return hashlib.sha256(secret).hexdigest()[:8]


def testing_master_key() -> MasterKey:
    """The fixed key used under pytest when no key file is configured."""
    return MasterKey(key_id_for(_TEST_SECRET), _TEST_SECRET)


def master_key_path() -> str | None:
    """The configured key file path (`settings.MINGJING_MASTER_KEY_FILE`), or None.

    In debug mode only, `var/master.key` made by `make run` is used when nothing is set.
    """
    configured: str | None = getattr(settings, ENV_VAR, None)
    if configured:
        return configured
    dev_key = Path(settings.DATA_DIR) / "master.key"
    return str(dev_key) if settings.DEBUG and dev_key.is_file() else None


def load_master_keys() -> list[MasterKey]:
    """Every key in the file, current first. ImproperlyConfigured if it cannot be used."""
    path = master_key_path()
    if not path:
        if getattr(settings, "TESTING", False):
            return [testing_master_key()]
        raise ImproperlyConfigured(
            f"未配置主密钥: 请设置环境变量 {ENV_VAR}，指向保存主密钥的文件"
            "（可用 `mingjing keys generate-master` 生成一行）。"
        )
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImproperlyConfigured(f"{ENV_VAR} 指向的主密钥文件无法读取: {path}") from exc
    return parse_master_keys(text)


def parse_master_keys(text: str) -> list[MasterKey]:
    """Parse the file's text; line numbers in errors, never the line itself (it is secret)."""
    keys: list[MasterKey] = []
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if not match:
            raise ImproperlyConfigured(
                f"{ENV_VAR} 第 {number} 行格式不正确: 应为 ID:64位十六进制 或 64位十六进制。"
            )
        secret = bytes.fromhex(match["hex"])
        keys.append(MasterKey(match["id"] or key_id_for(secret), secret))
    _check_keys(keys)
    return keys


def _check_keys(keys: list[MasterKey]) -> None:
    if not keys:
        raise ImproperlyConfigured(f"{ENV_VAR} 指向的主密钥文件中没有密钥。")
    ids = [key.key_id for key in keys]
    if len(set(ids)) != len(ids):
        raise ImproperlyConfigured(f"{ENV_VAR} 中有重复的主密钥标识。")


def current_master() -> MasterKey:
    """The key on the file's first line: all new wraps use it."""
    return load_master_keys()[0]


def master_by_id(key_id: str) -> MasterKey:
    """The key with this ID, current or older; ImproperlyConfigured if it is not in the file."""
    for key in load_master_keys():
        if key.key_id == key_id:
            return key
    raise ImproperlyConfigured(
        f"主密钥 {key_id} 不在 {ENV_VAR} 中。轮换主密钥时，旧主密钥须保留为后续行，"
        "直到 `mingjing keys rewrap` 执行完毕。"
    )


def generate_master_line() -> str:
    """A new `ID:HEX` line for the operator to put first in the key file."""
    secret = secrets.token_bytes(MASTER_KEY_BYTES)
    return f"{key_id_for(secret)}:{secret.hex()}"


def check_master_key(app_configs: object = None, **kwargs: object) -> list[CheckMessage]:
    """System check: the master key file loads. Register it in the app's ready()."""
    if getattr(settings, "TESTING", False):
        return []
    try:
        load_master_keys()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="mingjing.E001")]
    return []
