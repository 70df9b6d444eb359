"""Small account secrets (TOTP seeds) wrapped directly by the master key.

They belong to no court, so no court data key: the master key wraps them with the configured
AEAD, bound (associated data) to the row and field they live in, so that a value copied into
another user's row refuses to open. Stored as text:

    mk1$<master key id>$<algorithm>$<base64 of nonce || ciphertext || tag>

`mingjing keys rewrap` re-wraps them under the current master key with the court keys.
"""

import base64
import binascii

from mingjing.security.crypto import (
    AEAD_BY_FAMILY,
    ALGORITHM_IDS,
    DecryptError,
    aead_decrypt,
    aead_encrypt,
    configured_family,
)
from mingjing.security.masterkey import MasterKey, current_master, master_by_id

PREFIX = "mk1$"


def _aad(label: str, key_id: str, algorithm: str) -> bytes:
    return f"mingjing/secretbox|{label}|{key_id}|{algorithm}".encode()


def is_wrapped(value: str) -> bool:
    return value.startswith(PREFIX)


def wrap(plaintext: str, *, label: str, master: MasterKey | None = None) -> str:
    """`plaintext` sealed under the current master key, bound to `label` (row and field)."""
    master = master or current_master()
    algorithm = AEAD_BY_FAMILY[configured_family()]
    key = master.for_algorithm(algorithm)
    blob = aead_encrypt(algorithm, key, plaintext.encode(), _aad(label, master.key_id, algorithm))
    encoded = base64.urlsafe_b64encode(blob).decode()
    return f"{PREFIX}{master.key_id}${algorithm}${encoded}"


def unwrap(value: str, *, label: str) -> str | None:
    """The plaintext, or None if `value` is not a box that opens under `label`.

    A plain (unwrapped) value is refused too: after the migration none is left, and one
    written straight into the database must not become a working second factor.
    """
    parts = value.split("$") if is_wrapped(value) else []
    if len(parts) != 4 or parts[2] not in ALGORITHM_IDS:
        return None
    _prefix, key_id, algorithm, encoded = parts
    try:
        blob = base64.urlsafe_b64decode(encoded.encode())
        key = master_by_id(key_id).for_algorithm(algorithm)
        return aead_decrypt(algorithm, key, blob, _aad(label, key_id, algorithm)).decode()
    except (binascii.Error, ValueError, DecryptError, UnicodeDecodeError):
        return None


def key_id_of(value: str) -> str | None:
    """The master key id a box was wrapped with (None for anything else)."""
    parts = value.split("$")
    return parts[1] if is_wrapped(value) and len(parts) == 4 else None


def totp_label(user_pk: int) -> str:
    return f"accounts.user.totp_secret:{user_pk}"


def rewrap_totp_secrets(master: MasterKey) -> int:
    """Re-wrap every TOTP secret not yet under `master`; the number re-wrapped."""
    from mingjing.accounts.models import User

    count = 0
    rows = User.objects.exclude(totp_secret="").values_list("pk", "totp_secret")
    for pk, value in rows.iterator():
        if key_id_of(value) == master.key_id:
            continue
        plain = unwrap(value, label=totp_label(pk))
        if plain is None:
            raise DecryptError(f"账号 {pk} 的动态口令密钥无法打开，已中止重新封装。")
        fresh = wrap(plain, label=totp_label(pk), master=master)
        User.objects.filter(pk=pk).update(totp_secret=fresh)
        count += 1
    return count
