"""Signed receipts for submitted items (DESIGN.md section 5).

A receipt proves that its holder recorded an item, when, with which contents (as a digest of
the sealed blob, which reveals nothing) and where in the audit chain the submission sits.
It is signed with the court's Ed25519 key, so anyone with the court's public key can verify
it without access to Mingjing. SM2 is not offered: the `cryptography` package does not
implement it and no maintained alternative exists, so receipts are Ed25519 under `sm` too.
"""

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_noop

from mingjing.org.models import Court
from mingjing.security import keys
from mingjing.security.models import AuditEvent, Receipt, SigningKey

RECEIPT_TYPE = "mingjing.receipt/1"


def canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _public_pem(private: Ed25519PrivateKey) -> str:
    return (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )


def _create_signing_key(court: Court) -> SigningKey:
    private = Ed25519PrivateKey.generate()
    public_pem = _public_pem(private)
    key_id = f"{court.code}-" + hashlib.sha256(public_pem.encode()).hexdigest()[:16]
    raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    master_key_id, wrapped = keys.wrap_signing_key(raw, key_id=key_id)
    return SigningKey.objects.create(
        court=court,
        key_id=key_id,
        public_key=public_pem,
        master_key_id=master_key_id,
        wrapped_private=wrapped,
    )


def signing_key_for(court: Court) -> SigningKey:
    """The court's current receipt-signing key, created on first use."""
    current = court.signing_keys.filter(retired_at__isnull=True).order_by("-created_at").first()
    if current is not None:
        return current
    try:
        with transaction.atomic():
            return _create_signing_key(court)
    except IntegrityError:
        return court.signing_keys.filter(retired_at__isnull=True).latest("created_at")


def _sign(key: SigningKey, payload: dict[str, Any]) -> str:
    private = Ed25519PrivateKey.from_private_bytes(keys.unwrap_signing_key(key))
    return base64.b64encode(private.sign(canonical(payload))).decode("ascii")


def issue_receipt(*, court: Court, obj: Model, digest: str, event: AuditEvent) -> Receipt:
    """Sign and store the receipt of a submitted item; `event` is its submission event."""
    key = signing_key_for(court)
    payload: dict[str, Any] = {
        "type": RECEIPT_TYPE,
        "court": court.code,
        "object_type": obj._meta.label,
        "object_id": str(obj.pk),
        "submitted_at": event.at.isoformat(),
        "digest": digest,
        "digest_algorithm": "keyed",
        "chain_seq": event.seq,
        "chain_hash": event.hash,
        "issued_at": timezone.now().isoformat(),
        "key_id": key.key_id,
        "signature_algorithm": "ed25519",
    }
    return Receipt.objects.create(
        court=court,
        object_type=payload["object_type"],
        object_id=payload["object_id"],
        payload=payload,
        signature=_sign(key, payload),
        key_id=key.key_id,
    )


def receipt_for(obj: Model) -> Receipt | None:
    """The receipt issued when `obj` was submitted, if any."""
    return Receipt.objects.filter(object_type=obj._meta.label, object_id=str(obj.pk)).first()


def receipt_document(receipt: Receipt) -> dict[str, Any]:
    """What the recorder downloads: everything needed to verify it elsewhere."""
    key = SigningKey.objects.get(key_id=receipt.key_id)
    return {
        "payload": receipt.payload,
        "signature": receipt.signature,
        "public_key": key.public_key,
    }


@dataclass(frozen=True)
class Verification:
    valid: bool
    message: str
    in_chain: bool | None = None


def _load_public_key(pem: str) -> Ed25519PublicKey | None:
    try:
        key = serialization.load_pem_public_key(pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return None
    return key if isinstance(key, Ed25519PublicKey) else None


def _public_key_for(
    document: dict[str, Any], public_key_pem: str | None
) -> Ed25519PublicKey | None:
    if public_key_pem:
        return _load_public_key(public_key_pem)
    key_id = str(document.get("payload", {}).get("key_id", ""))
    stored = SigningKey.objects.filter(key_id=key_id, court__isnull=False).first()
    return _load_public_key(stored.public_key) if stored else None


def _chain_matches(payload: dict[str, Any]) -> bool:
    seq = payload.get("chain_seq")
    if seq is None:
        return False
    event = AuditEvent.objects.filter(seq=seq).first()
    return bool(
        event
        and event.hash == payload.get("chain_hash")
        and event.object_id == payload.get("object_id")
    )


def verify_receipt(
    document: object, public_key_pem: str | None = None, *, check_chain: bool = True
) -> Verification:
    """Check a receipt's signature with the given public key (or the court's stored one).

    Returns a Verification with a Chinese message (a msgid: pages translate it); never raises
    on bad input.
    """
    if not isinstance(document, dict) or not isinstance(document.get("payload"), dict):
        return Verification(False, gettext_noop("回执格式不正确：缺少 payload。"))
    public_key = _public_key_for(document, public_key_pem)
    if public_key is None:
        return Verification(False, gettext_noop("无法取得有效的法院公钥（Ed25519, PEM 格式）。"))
    try:
        signature = base64.b64decode(str(document.get("signature", "")), validate=True)
        public_key.verify(signature, canonical(document["payload"]))
    except (InvalidSignature, ValueError):
        return Verification(False, gettext_noop("签名无效：回执被改动过，或不是该法院签发的。"))
    in_chain = _chain_matches(document["payload"]) if check_chain else None
    return Verification(True, gettext_noop("签名有效：该回执由法院签发，内容未被改动。"), in_chain)


# --- Receipt files: the JSON download, or the printable PDF carrying it ---------------------

PDF_MARKER = "MJRECEIPT1:"
MAX_RECEIPT_FILE_BYTES = 2 * 1024 * 1024
NOT_A_RECEIPT_PDF = gettext_noop("这份 PDF 不是本系统生成的回执，或回执数据已被删除。")
UNKNOWN_FILE = gettext_noop("无法识别的文件：请上传从本系统下载的回执（JSON 或 PDF）。")
_PDF_DATA = re.compile(rb"MJRECEIPT1:([A-Za-z0-9+/=]{16,200000})")


def pdf_keywords(document: dict[str, Any]) -> str:
    """The receipt, as the PDF's keywords (plain ASCII, so the file itself can be verified)."""
    return PDF_MARKER + base64.b64encode(canonical(document)).decode("ascii")


@dataclass(frozen=True)
class ReceiptFile:
    document: dict[str, Any] | None
    error: str = ""


def _json_document(text: bytes) -> ReceiptFile:
    try:
        loaded = json.loads(text.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return ReceiptFile(None, gettext_noop("回执文件已损坏：内容不是有效的 JSON。"))
    if not isinstance(loaded, dict):
        return ReceiptFile(None, gettext_noop("回执格式不正确：缺少 payload。"))
    return ReceiptFile(loaded)


def _pdf_document(data: bytes) -> ReceiptFile:
    found = _PDF_DATA.search(data)
    if found is None:
        return ReceiptFile(
            None, gettext_noop("这份 PDF 不是本系统生成的回执，或回执数据已被删除。")
        )
    try:
        text = base64.b64decode(found.group(1), validate=True)
    except ValueError:
        return ReceiptFile(None, gettext_noop("回执文件已损坏：PDF 中的回执数据无法读取。"))
    return _json_document(text)


def read_receipt_file(data: bytes) -> ReceiptFile:
    """The receipt in an uploaded file (the JSON download or the receipt PDF), or a Chinese
    message (a msgid) saying why not. Never raises on bad input."""
    if not data.strip():
        return ReceiptFile(None, gettext_noop("上传的文件是空的。"))
    if len(data) > MAX_RECEIPT_FILE_BYTES:
        return ReceiptFile(None, gettext_noop("文件过大：回执文件不超过 2 MB。"))
    if data.startswith(b"%PDF"):
        return _pdf_document(data)
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return _json_document(data)
    return ReceiptFile(
        None, gettext_noop("无法识别的文件：请上传从本系统下载的回执（JSON 或 PDF）。")
    )


def local_time_text(value: object) -> str:
    """An ISO time from a receipt, in the court's time zone (settings.TIME_ZONE), or as given."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value or "")
    if timezone.is_naive(moment):
        return str(value)
    local = timezone.localtime(moment)
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M:%S} (UTC{offset[:3]}:{offset[3:]})"
