"""Small pure cryptographic functions: AEAD, digests, keyed hashes, envelope headers.

Two algorithm families, chosen by `settings.MINGJING_CRYPTO` (the `MINGJING_CRYPTO` variable):

- `aes` (default): AES-256-GCM, SHA-256, HMAC-SHA256;
- `sm` (国密): SM4-GCM, SM3, HMAC-SM3, all through the `cryptography` package.

Nothing here touches the database or the master key; `keys` and `sealing` build on it.
"""

import hashlib
import hmac as std_hmac
import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

AES = "aes"
SM = "sm"
FAMILIES = (AES, SM)

AES_GCM = "aes-256-gcm"
SM4_GCM = "sm4-gcm"
HMAC_SHA256 = "hmac-sha256"
HMAC_SM3 = "hmac-sm3"

AEAD_BY_FAMILY = {AES: AES_GCM, SM: SM4_GCM}
HMAC_BY_FAMILY = {AES: HMAC_SHA256, SM: HMAC_SM3}
KEY_BYTES = {AES_GCM: 32, SM4_GCM: 16}
# One byte in every envelope header; never renumber.
ALGORITHM_IDS = {AES_GCM: 1, SM4_GCM: 2}
ALGORITHMS_BY_ID = {number: name for name, number in ALGORITHM_IDS.items()}

NONCE_BYTES = 12
TAG_BYTES = 16
# magic (3 bytes) + algorithm id (1 byte) + key version (4 bytes, big-endian).
HEADER = struct.Struct(">3sBI")
HEADER_BYTES = HEADER.size

_FAMILY_OF = {
    AES: AES,
    SM: SM,
    AES_GCM: AES,
    SM4_GCM: SM,
    HMAC_SHA256: AES,
    HMAC_SM3: SM,
    "sha256": AES,
    "sm3": SM,
}


class DecryptError(ValueError):
    """The ciphertext, its tag or its associated data do not match the key."""


def configured_family() -> str:
    """The family named by `settings.MINGJING_CRYPTO` (read at call time), else `aes`."""
    value = getattr(settings, "MINGJING_CRYPTO", None) or AES
    family = value.strip().lower()
    if family not in FAMILIES:
        raise ImproperlyConfigured(f"MINGJING_CRYPTO 只能是 aes 或 sm，现为 {value!r}。")
    return family


def family_of(algorithm: str) -> str:
    """`aes` or `sm` for a family, cipher, digest or HMAC name."""
    try:
        return _FAMILY_OF[algorithm]
    except KeyError:
        raise ValueError(f"未知算法: {algorithm!r}") from None


def random_key(algorithm: str) -> bytes:
    """A fresh random key of the right length for an AEAD algorithm."""
    return os.urandom(KEY_BYTES[algorithm])


def aead_encrypt(algorithm: str, key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """nonce || ciphertext || tag, with a random 96-bit nonce."""
    _check_key(algorithm, key)
    nonce = os.urandom(NONCE_BYTES)
    if algorithm == AES_GCM:
        return nonce + AESGCM(key).encrypt(nonce, bytes(plaintext), aad)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    body = encryptor.update(bytes(plaintext)) + encryptor.finalize()
    return nonce + body + encryptor.tag


def aead_decrypt(algorithm: str, key: bytes, blob: bytes, aad: bytes) -> bytes:
    """Open `aead_encrypt`'s output; DecryptError on any mismatch."""
    _check_key(algorithm, key)
    blob = bytes(blob)
    if len(blob) < NONCE_BYTES + TAG_BYTES:
        raise DecryptError("密文过短")
    nonce, body = blob[:NONCE_BYTES], blob[NONCE_BYTES:]
    try:
        if algorithm == AES_GCM:
            return AESGCM(key).decrypt(nonce, body, aad)
        ciphertext, tag = body[:-TAG_BYTES], body[-TAG_BYTES:]
        decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
        decryptor.authenticate_additional_data(aad)
        return decryptor.update(ciphertext) + decryptor.finalize()
    except InvalidTag:
        raise DecryptError("认证标签不匹配") from None


def _check_key(algorithm: str, key: bytes) -> None:
    if algorithm not in KEY_BYTES:
        raise ValueError(f"未知加密算法: {algorithm!r}")
    if len(key) != KEY_BYTES[algorithm]:
        raise ValueError(f"{algorithm} 需要 {KEY_BYTES[algorithm]} 字节密钥，现为 {len(key)}")


def _hash_algorithm(family: str) -> hashes.HashAlgorithm:
    return hashes.SHA256() if family_of(family) == AES else hashes.SM3()


def digest(algorithm_family: str, data: bytes) -> str:
    """Hex SHA-256 (`aes`) or SM3 (`sm`) of `data`."""
    if family_of(algorithm_family) == AES:
        return hashlib.sha256(data).hexdigest()
    hasher = hashes.Hash(hashes.SM3())
    hasher.update(data)
    return hasher.finalize().hex()


def keyed_hash(family: str, key: bytes, data: bytes) -> str:
    """Hex HMAC-SHA256 (`aes`) or HMAC-SM3 (`sm`) of `data` under `key`."""
    if family_of(family) == AES:
        return std_hmac.new(key, data, hashlib.sha256).hexdigest()
    mac = crypto_hmac.HMAC(key, _hash_algorithm(family))
    mac.update(data)
    return mac.finalize().hex()


def pack_header(magic: bytes, algorithm: str, version: int) -> bytes:
    """The 8-byte self-describing envelope header."""
    return HEADER.pack(magic, ALGORITHM_IDS[algorithm], version)


def parse_header(blob: bytes, magic: bytes) -> tuple[str, int] | None:
    """(algorithm, version) from an envelope header, or None if `blob` is not one."""
    if len(blob) < HEADER_BYTES:
        return None
    found, algorithm_id, version = HEADER.unpack_from(blob)
    if found != magic or algorithm_id not in ALGORITHMS_BY_ID:
        return None
    return ALGORITHMS_BY_ID[algorithm_id], version
