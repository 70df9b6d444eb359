"""Signed checkpoints of the audit chain, to be kept away from the database.

A checkpoint states "event N of the chain had hash H" and is signed with the system Ed25519
key (a SigningKey without court). Its private half is stored wrapped with AES-256-GCM under
the master key, which lives outside the database. Comparing a kept checkpoint with the
database catches the deletion of the latest events and a chain rewritten with recomputed
hashes, which the chain alone cannot show.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.db import connection, transaction

from mingjing.security import masterkey
from mingjing.security.audit import (
    GENESIS_HASH,
    canonical_json,
    current_algorithm,
    format_at,
)
from mingjing.security.crypto import AES_GCM, aead_decrypt, aead_encrypt
from mingjing.security.models import AuditEvent, SigningKey

SYSTEM_KEY_AAD = b"system-signing-key"
# PostgreSQL advisory lock against two processes creating the system key at once.
SYSTEM_KEY_LOCK = 0x4D4A_5359_534B_4559
SIGNED_FIELDS = ("seq", "hash", "algorithm", "at", "count", "key_id", "public_key_pem")


# --- the system signing key ----------------------------------------------------------------


def _wrap(private_raw: bytes) -> tuple[str, bytes]:
    """(master key id, nonce ‖ AES-256-GCM ciphertext ‖ tag) of the raw private key."""
    master = masterkey.current_master()
    key = master.for_algorithm(AES_GCM)
    return master.key_id, aead_encrypt(AES_GCM, key, private_raw, SYSTEM_KEY_AAD)


def _unwrap(master_key_id: str, blob: bytes) -> bytes:
    key = masterkey.master_by_id(master_key_id).for_algorithm(AES_GCM)
    return aead_decrypt(AES_GCM, key, bytes(blob), SYSTEM_KEY_AAD)


def _public_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def fingerprint(public_key_pem: str) -> str:
    """The key id derived from a public key: "sys-" and 16 hex digits of its SHA-256."""
    return "sys-" + hashlib.sha256(public_key_pem.encode("ascii")).hexdigest()[:16]


def system_key() -> SigningKey:
    """The current system signing key, created on first use."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SYSTEM_KEY_LOCK])
        current = _current_system_key()
        return current or _create_system_key()


def _current_system_key() -> SigningKey | None:
    keys = SigningKey.objects.filter(court__isnull=True, retired_at__isnull=True)
    return keys.order_by("-created_at", "-id").first()


def _create_system_key() -> SigningKey:
    private = Ed25519PrivateKey.generate()
    raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    master_key_id, wrapped = _wrap(raw)
    public_pem = _public_pem(private.public_key())
    return SigningKey.objects.create(
        court=None,
        algorithm="ed25519",
        key_id=fingerprint(public_pem),
        public_key=public_pem,
        master_key_id=master_key_id,
        wrapped_private=wrapped,
    )


def _private_key(key: SigningKey) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(
        _unwrap(key.master_key_id, bytes(key.wrapped_private))
    )


# --- checkpoints ---------------------------------------------------------------------------


def _signed_bytes(doc: dict[str, Any]) -> bytes:
    return canonical_json({name: doc[name] for name in SIGNED_FIELDS}).encode("utf-8")


def make_checkpoint() -> dict[str, Any]:
    """A signed statement of the chain's latest event.

    Keys: seq, hash, algorithm and at of the latest event (0, 64 zeros and no time for an
    empty chain), count of events up to it, key_id and public_key_pem of the system key,
    and signature: base64 Ed25519 over the canonical JSON of all the others.
    """
    key = system_key()
    doc = _chain_head()
    doc.update(key_id=key.key_id, public_key_pem=key.public_key)
    doc["signature"] = base64.b64encode(_private_key(key).sign(_signed_bytes(doc))).decode()
    return doc


def _chain_head() -> dict[str, Any]:
    fields = ("seq", "hash", "algorithm", "at")
    last = AuditEvent.objects.order_by("-seq").values(*fields).first()
    if last is None:
        return {
            "seq": 0,
            "hash": GENESIS_HASH,
            "algorithm": current_algorithm(),
            "at": None,
            "count": 0,
        }
    count = AuditEvent.objects.filter(seq__lte=last["seq"]).count()
    return {**last, "at": format_at(last["at"]), "count": count}


def verify_checkpoint(doc: dict[str, Any], *, public_key_pem: str | None = None) -> bool:
    """True when `doc` is a checkpoint signed by the system key it names.

    The key must be `public_key_pem` when given (e.g. one published elsewhere), else the
    system key recorded in the database under the checkpoint's key_id.
    """
    try:
        trusted = public_key_pem or _known_public_key(doc["key_id"])
        if trusted is None or trusted.strip() != str(doc["public_key_pem"]).strip():
            return False
        public_key = serialization.load_pem_public_key(trusted.encode("ascii"))
        if not isinstance(public_key, Ed25519PublicKey):
            return False
        public_key.verify(base64.b64decode(doc["signature"], validate=True), _signed_bytes(doc))
    except (KeyError, TypeError, ValueError, InvalidSignature, UnsupportedAlgorithm):
        return False
    return True


def _known_public_key(key_id: str) -> str | None:
    keys = SigningKey.objects.filter(court__isnull=True, key_id=key_id)
    return keys.values_list("public_key", flat=True).first()
