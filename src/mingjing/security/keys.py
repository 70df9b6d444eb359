"""Court keys: versioned data keys and one blind-index key per court, wrapped by the master key.

A `CourtKey` row holds `wrapped` = header || AEAD(master, raw key, aad = header ||
"{court.code}:{purpose}:{version}"), and the ID of the master key that wrapped it. Data keys
rotate (new version for new seals; older versions stay readable until `reencrypt` has moved
everything); the blind-index key never rotates, because every stored index was computed with
it. Rewrapping (after the operator put a new master key first in the key file) changes only
the wrapping, never the raw keys, so sealed contents are untouched.

Unwrapped keys are cached in-process; `clear_key_cache()` empties the cache (tests).
"""

import os
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from mingjing.org.models import Court
from mingjing.security.crypto import (
    AEAD_BY_FAMILY,
    AES_GCM,
    HEADER_BYTES,
    HMAC_BY_FAMILY,
    KEY_BYTES,
    DecryptError,
    aead_decrypt,
    aead_encrypt,
    configured_family,
    pack_header,
    parse_header,
    random_key,
)
from mingjing.security.masterkey import MasterKey, current_master, master_by_id
from mingjing.security.models import CourtKey, KeyPurpose, SigningKey

WRAP_MAGIC = b"MJK"
# Sealed values bound to their row (sealing.py); b"MJ1" blobs predate the row binding and are
# re-sealed by data migrations.
SEAL_MAGIC = b"MJ2"
LEGACY_SEAL_MAGIC = b"MJ1"
INDEX_KEY_BYTES = 32
_CREATE_ATTEMPTS = 5

# (court id, purpose, version, master key id, wrapped bytes) -> raw key. The wrapped bytes
# are part of the key so that an entry can only ever answer for the exact row it came from.
_unwrapped: dict[tuple[int, str, int, str, bytes], bytes] = {}
# (court id, purpose, version) -> row, so that opening an old blob costs no query.
_rows: dict[tuple[int, str, int], CourtKey] = {}


class KeyUnwrapError(Exception):
    """A wrapped key does not open with the master key its row names."""


def clear_key_cache() -> None:
    """Forget every unwrapped key (tests; after an operator changed the key file)."""
    _unwrapped.clear()
    _rows.clear()


# --- wrapping under the master key -----------------------------------------------------------


def wrap_context(court: Court, purpose: str, version: int) -> bytes:
    """The associated data binding a wrapped court key to its court, purpose and version."""
    return f"{court.code}:{purpose}:{version}".encode()


def wrap(
    raw: bytes, context: bytes, *, version: int = 0, master: MasterKey | None = None
) -> tuple[str, bytes]:
    """(master key id, wrapped blob) of `raw` under the current master key."""
    master = master or current_master()
    algorithm = AEAD_BY_FAMILY[configured_family()]
    header = pack_header(WRAP_MAGIC, algorithm, version)
    body = aead_encrypt(algorithm, master.for_algorithm(algorithm), raw, header + context)
    return master.key_id, header + body


def unwrap(master_key_id: str, blob: bytes, context: bytes) -> bytes:
    """Open `wrap`'s output with the named master key; DecryptError if it does not match."""
    blob = bytes(blob)
    parsed = parse_header(blob, WRAP_MAGIC)
    if parsed is None:
        raise DecryptError("不是封装的密钥")
    algorithm, _version = parsed
    master = master_by_id(master_key_id)
    header, body = blob[:HEADER_BYTES], blob[HEADER_BYTES:]
    return aead_decrypt(algorithm, master.for_algorithm(algorithm), body, header + context)


def wrap_signing_key(private_key: bytes, *, key_id: str) -> tuple[str, bytes]:
    """(master key id, wrapped) for `SigningKey.master_key_id` / `.wrapped_private`."""
    return wrap(private_key, _signing_context(key_id))


def unwrap_signing_key(signing_key: SigningKey) -> bytes:
    """The private key bytes of a signing key wrapped by `wrap_signing_key` (or bare, below)."""
    blob = bytes(signing_key.wrapped_private)
    try:
        if parse_header(blob, WRAP_MAGIC) is None:
            return _unwrap_bare(signing_key.master_key_id, blob)
        return unwrap(signing_key.master_key_id, blob, _signing_context(signing_key.key_id))
    except DecryptError:
        raise KeyUnwrapError(_unwrap_message(f"签名密钥 {signing_key.key_id}")) from None


# The system key of audit checkpoints is stored "bare": nonce || AES-256-GCM || tag under the
# master key, without header, with checkpoints.SYSTEM_KEY_AAD (see checkpoints._wrap).
def _bare_aad() -> bytes:
    from mingjing.security.checkpoints import SYSTEM_KEY_AAD

    return SYSTEM_KEY_AAD


def _unwrap_bare(master_key_id: str, blob: bytes) -> bytes:
    key = master_by_id(master_key_id).for_algorithm(AES_GCM)
    return aead_decrypt(AES_GCM, key, blob, _bare_aad())


def _wrap_bare(raw: bytes, master: MasterKey) -> bytes:
    return aead_encrypt(AES_GCM, master.for_algorithm(AES_GCM), raw, _bare_aad())


def _signing_context(key_id: str) -> bytes:
    return f"signing-key:{key_id}".encode()


def _unwrap_message(what: str) -> str:
    return f"无法解封{what}: 主密钥文件中同一标识的密钥内容不符，或密钥记录已被篡改。"


# --- court keys ------------------------------------------------------------------------------


def current_key(court: Court, purpose: str) -> tuple[CourtKey, bytes]:
    """The newest key of `court` for `purpose` and its raw bytes; version 1 on first use."""
    for _attempt in range(_CREATE_ATTEMPTS):
        row = _latest(court, purpose)
        if row is not None:
            return row, _raw_key(court, row)
        created = _create(court, purpose, 1)
        if created is not None:
            return created
    raise RuntimeError(f"无法为 {court.code} 创建 {purpose} 密钥")


def key_by_version(
    court: Court, purpose: str, version: int, *, fresh: bool = False
) -> tuple[CourtKey, bytes]:
    """A given key version and its raw bytes; CourtKey.DoesNotExist if there is none."""
    row = None if fresh else _rows.get((court.pk, purpose, version))
    if row is None:
        row = CourtKey.objects.get(court=court, purpose=purpose, version=version)
    return row, _raw_key(court, row)


def _latest(court: Court, purpose: str) -> CourtKey | None:
    return CourtKey.objects.filter(court=court, purpose=purpose).order_by("-version").first()


def _algorithm_for(purpose: str) -> str:
    family = configured_family()
    return AEAD_BY_FAMILY[family] if purpose == KeyPurpose.DATA else HMAC_BY_FAMILY[family]


def _create(court: Court, purpose: str, version: int) -> tuple[CourtKey, bytes] | None:
    """A new key row, or None if another process created this version first."""
    algorithm = _algorithm_for(purpose)
    # Blind-index (HMAC) keys are not tied to a cipher's key length.
    raw = random_key(algorithm) if algorithm in KEY_BYTES else os.urandom(INDEX_KEY_BYTES)
    master_id, wrapped = wrap(raw, wrap_context(court, purpose, version), version=version)
    try:
        with transaction.atomic():
            row = CourtKey.objects.create(
                court=court,
                purpose=purpose,
                version=version,
                algorithm=algorithm,
                master_key_id=master_id,
                wrapped=wrapped,
            )
    except IntegrityError:
        return None
    _remember(court, row, raw)
    return row, raw


def _cache_key(court: Court, row: CourtKey) -> tuple[int, str, int, str, bytes]:
    return (court.pk, row.purpose, row.version, row.master_key_id, bytes(row.wrapped))


def _remember(court: Court, row: CourtKey, raw: bytes) -> None:
    _rows[(court.pk, row.purpose, row.version)] = row
    _unwrapped[_cache_key(court, row)] = raw


def _raw_key(court: Court, row: CourtKey) -> bytes:
    raw = _unwrapped.get(_cache_key(court, row))
    if raw is None:
        context = wrap_context(court, row.purpose, row.version)
        try:
            raw = unwrap(row.master_key_id, bytes(row.wrapped), context)
        except DecryptError:
            what = f" {court.code} 的{row.get_purpose_display()} v{row.version}"
            raise KeyUnwrapError(_unwrap_message(what)) from None
    _remember(court, row, raw)
    return raw


# --- rotation --------------------------------------------------------------------------------


def rotate_data_key(court: Court) -> CourtKey:
    """A new data key version for `court`: new seals use it, older versions stay readable.

    It takes the algorithm configured now, so switching `MINGJING_CRYPTO` takes effect at
    the next rotation. The blind-index key is never rotated (stored indexes depend on it).
    """
    from mingjing.security import audit

    with transaction.atomic():
        row = _create_next(court)
        CourtKey.objects.filter(
            court=court, purpose=KeyPurpose.DATA, version__lt=row.version, retired_at=None
        ).update(retired_at=timezone.now())
        detail = {"purpose": "data", "version": row.version, "algorithm": row.algorithm}
        audit.log_event(actor=None, action="keys.rotate", court=court, obj=row, detail=detail)
    return row


def _create_next(court: Court) -> CourtKey:
    for _attempt in range(_CREATE_ATTEMPTS):
        latest = _latest(court, KeyPurpose.DATA)
        created = _create(court, KeyPurpose.DATA, (latest.version if latest else 0) + 1)
        if created is not None:
            return created[0]
    raise RuntimeError(f"无法为 {court.code} 创建新的数据密钥版本")


def rewrap_all() -> dict[str, int]:
    """Re-wrap every court key and signing key under the current (first-line) master key.

    Rows wrapped by an older master key need it still in the file (as a later line). All or
    nothing: one transaction; each re-wrapped key is checked to open before it is saved.
    """
    from mingjing.security import audit
    from mingjing.security.secretbox import rewrap_totp_secrets

    master = current_master()
    with transaction.atomic():
        counts = {"court_keys": _rewrap_court_keys(master), "signing_keys": _rewrap_signing(master)}
        counts["totp_secrets"] = rewrap_totp_secrets(master)
        detail = {"master_key_id": master.key_id, **counts}
        audit.log_event(actor=None, action="keys.rewrap", detail=detail)
    clear_key_cache()
    return counts


def _rewrap_court_keys(master: MasterKey) -> int:
    rows = CourtKey.objects.select_for_update(of=("self",)).select_related("court")
    count = 0
    for row in rows.exclude(master_key_id=master.key_id).order_by("pk"):
        raw = _raw_key(row.court, row)
        context = wrap_context(row.court, row.purpose, row.version)
        _rewrap_row(CourtKey, row.pk, "wrapped", raw, context, row.version, master)
        count += 1
    return count


def _rewrap_signing(master: MasterKey) -> int:
    rows = SigningKey.objects.select_for_update().exclude(master_key_id=master.key_id)
    return sum(_rewrap_signing_row(row, master) for row in rows.order_by("pk"))


def _rewrap_signing_row(row: SigningKey, master: MasterKey) -> int:
    blob = bytes(row.wrapped_private)
    if parse_header(blob, SEAL_MAGIC) or parse_header(blob, LEGACY_SEAL_MAGIC):
        return 0  # sealed with a court data key: follows that key's re-wrap
    raw = unwrap_signing_key(row)
    if parse_header(blob, WRAP_MAGIC) is not None:
        context = _signing_context(row.key_id)
        _rewrap_row(SigningKey, row.pk, "wrapped_private", raw, context, 0, master)
        return 1
    wrapped = _wrap_bare(raw, master)
    if _unwrap_bare(master.key_id, wrapped) != raw:
        raise KeyUnwrapError("重新封装后的签名密钥校验失败，已放弃本次操作。")
    SigningKey.objects.filter(pk=row.pk).update(
        master_key_id=master.key_id, wrapped_private=wrapped
    )
    return 1


def _rewrap_row(
    model: Any,
    pk: int,
    field: str,
    raw: bytes,
    context: bytes,
    version: int,
    master: MasterKey,
) -> None:
    master_id, wrapped = wrap(raw, context, version=version, master=master)
    if unwrap(master_id, wrapped, context) != raw:
        raise KeyUnwrapError("重新封装后的密钥校验失败，已放弃本次操作。")
    model.objects.filter(pk=pk).update(master_key_id=master_id, **{field: wrapped})


# --- re-encryption ---------------------------------------------------------------------------
