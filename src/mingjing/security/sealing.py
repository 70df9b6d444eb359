"""Sealing: how every module encrypts confidential contents before they reach the database.

    blob = b"MJ2" | algorithm id (1 byte) | data key version (4 bytes) | nonce | ciphertext | tag

The associated data is the 8-byte header, the court's code, the purpose and the row binding:

    AAD = header || "|{court.code}|{purpose}|{bind}"      bind = "{app}.{model}:{pk}:{field}"

so a blob copied to another court, another purpose, another row or another field of the same
row, or given another header, does not open (SealError). `binding(instance, field)` and
`row_binding(model, pk, field)` make the `bind` string; the row's primary key is the stable
per-row identity, so a new row is saved first (its sealed columns empty) and sealed and saved
again inside the same transaction (`SealedText` in security/sealed_text.py does this for
free-text columns). Sealing uses the court's newest data key; opening uses whatever version
the header names.

Blobs made before row binding carry the magic b"MJ1" and AAD header || "|{code}|{purpose}";
`unseal` refuses them. Only the data migrations that re-seal them (records 0004, oversight
0003, reporting 0002) open them, through `unseal_unbound`.

Purposes in use: "record", "attachment-meta", "attachment-content", "amendment",
"signing-key", "special-report", "screening-note", "late-reason", "disclosure-reason",
"decision-note", "return-reason", "review-note", "pending-meta", "pending-content". New
ones are fine (lowercase letters, digits, hyphens); a purpose is part of what a blob is bound
to, so never rename one that has stored data (nor a model, an app label or a sealed column).
"""

import json
import re
import unicodedata
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from mingjing.org.models import Court
from mingjing.security.crypto import (
    HEADER_BYTES,
    DecryptError,
    aead_decrypt,
    aead_encrypt,
    family_of,
    keyed_hash,
    pack_header,
    parse_header,
)
from mingjing.security.keys import LEGACY_SEAL_MAGIC, SEAL_MAGIC, current_key, key_by_version
from mingjing.security.labels import stored_label_lower
from mingjing.security.models import CourtKey, KeyPurpose

PURPOSES = (
    "record",
    "attachment-meta",
    "attachment-content",
    "amendment",
    "signing-key",
    "special-report",
    "screening-note",
    "late-reason",
    "disclosure-reason",
    "decision-note",
    "return-reason",
    "review-note",
    "pending-meta",
    "pending-content",
)
INDEX_KINDS = ("name", "person")
_LABEL = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
# "app_label.model:pk:field", as `row_binding` writes it.
_BIND = re.compile(r"^[a-z0-9_]+\.[a-z0-9_]+:[0-9A-Za-z_-]{1,64}:[a-z0-9_]+$")
# Separators inside transliterated and minority names: 阿依古丽·买买提 = 阿依古丽买买提.
_NAME_DOTS = frozenset("·・•‧")
# Common variant forms typed for the same name (traditional forms, old variants): each pair
# is "variant, form kept". Names are matched, not displayed, so the table only needs the
# characters people actually type differently for one person's name.
_NAME_VARIANTS = str.maketrans(
    dict(
        zip(
            "陳張劉黃楊趙吳孫鄭馬許韓馮鄧蕭葉羅蘇盧呂蔣謝鐘鍾閻嚴龍萬錢湯譚賈範雲於陸夢偉華國軍東紅麗強"
            "輝義鵬傑豔艷蘭鳳龐聶顧魯龔單喬鄒塗關陶賴鄔戴聞應彭曉俊濤亞慶鋒歡寶貴曾錦綺紀衛藍劍顏"
            "瑪買麥蒙薛賀溫閔湯",
            "陈张刘黄杨赵吴孙郑马许韩冯邓萧叶罗苏卢吕蒋谢钟钟阎严龙万钱汤谭贾范云于陆梦伟华国军东红丽强"
            "辉义鹏杰艳艳兰凤庞聂顾鲁龚单乔邹涂关陶赖邬戴闻应彭晓俊涛亚庆锋欢宝贵曾锦绮纪卫蓝剑颜"
            "玛买麦蒙薛贺温闵汤",
            strict=True,
        )
    )
)


class SealError(Exception):
    """A sealed value does not open: tampered with, or moved to another court or field."""


def row_binding(model: Any, pk: object, field: str) -> str:
    """The `bind` string of a sealed `field` of the row `pk` of `model` (class or instance)."""
    if pk is None:
        raise ValueError("行尚未保存，无法绑定密封内容：请先保存再密封。")
    return f"{stored_label_lower(model)}:{pk}:{field}"


def binding(instance: Any, field: str) -> str:
    """The `bind` string of `instance`'s sealed `field` (the row must have its pk)."""
    return row_binding(instance, instance.pk, field)


def seal(court: Court, plaintext: bytes, *, purpose: str, bind: str) -> bytes:
    """Encrypt `plaintext` with `court`'s current data key, bound to court, purpose and row."""
    _check_label(purpose, "purpose")
    _check_bind(bind)
    row, raw = current_key(court, KeyPurpose.DATA)
    header = pack_header(SEAL_MAGIC, row.algorithm, row.version)
    return header + aead_encrypt(
        row.algorithm, raw, _bytes(plaintext), _aad(header, court, purpose, bind)
    )


def unseal(court: Court, blob: bytes | memoryview, *, purpose: str, bind: str) -> bytes:
    """The plaintext of a `seal` blob (bytes or a BinaryField's memoryview); else SealError."""
    _check_label(purpose, "purpose")
    _check_bind(bind)
    return _unseal(court, blob, SEAL_MAGIC, purpose, bind)


def unseal_unbound(court: Court, blob: bytes | memoryview, *, purpose: str) -> bytes:
    """The plaintext of a blob sealed before row binding (b"MJ1"). For the data migrations
    that re-seal such blobs only: nothing else may open a value without its row binding."""
    _check_label(purpose, "purpose")
    return _unseal(court, blob, LEGACY_SEAL_MAGIC, purpose, None)


def seal_unbound(court: Court, plaintext: bytes, *, purpose: str) -> bytes:
    """A blob as sealed before row binding (b"MJ1"): only for unapplying the migrations that
    re-seal (security/reseal.py), so that the previous code reads its data again."""
    _check_label(purpose, "purpose")
    row, raw = current_key(court, KeyPurpose.DATA)
    header = pack_header(LEGACY_SEAL_MAGIC, row.algorithm, row.version)
    return header + aead_encrypt(
        row.algorithm, raw, _bytes(plaintext), _aad(header, court, purpose, None)
    )


def is_unbound(blob: bytes | memoryview | None) -> bool:
    """Whether `blob` was sealed before row binding (and must be re-sealed)."""
    if not blob:
        return False
    return parse_header(bytes(blob[:HEADER_BYTES]), LEGACY_SEAL_MAGIC) is not None


def _unseal(
    court: Court, blob: bytes | memoryview, magic: bytes, purpose: str, bind: str | None
) -> bytes:
    data = _blob_bytes(blob)
    parsed = parse_header(data, magic)
    if parsed is None:
        raise SealError("不是有效的密封内容。")
    algorithm, version = parsed
    header, body = data[:HEADER_BYTES], data[HEADER_BYTES:]
    aad = _aad(header, court, purpose, bind)
    try:
        return _open(court, algorithm, version, body, aad, fresh=False)
    except DecryptError:
        pass
    try:  # the in-process key cache may describe a row that is gone: one fresh look
        return _open(court, algorithm, version, body, aad, fresh=True)
    except DecryptError:
        raise SealError(
            "密封内容无法打开: 内容被篡改，或不属于本法院、本条记录或本字段。"
        ) from None


def seal_json(court: Court, data: dict[str, Any], *, purpose: str, bind: str) -> bytes:
    """`seal` of `data` as UTF-8 JSON (dates and decimals as strings)."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return seal(court, text.encode("utf-8"), purpose=purpose, bind=bind)


def unseal_json(
    court: Court, blob: bytes | memoryview, *, purpose: str, bind: str
) -> dict[str, Any]:
    """The dict given to `seal_json`; SealError if the blob does not open to one."""
    return _json_dict(unseal(court, blob, purpose=purpose, bind=bind))


def unseal_json_unbound(court: Court, blob: bytes | memoryview, *, purpose: str) -> dict[str, Any]:
    """`unseal_unbound` of a JSON blob sealed before row binding (data migrations only)."""
    return _json_dict(unseal_unbound(court, blob, purpose=purpose))


def _json_dict(plaintext: bytes) -> dict[str, Any]:
    try:
        data = json.loads(plaintext.decode("utf-8"))
    except ValueError:
        raise SealError("密封内容不是有效的 JSON。") from None
    if not isinstance(data, dict):
        raise SealError("密封内容不是 JSON 对象。")
    return data


def seal_text(court: Court, text: str, *, purpose: str, bind: str) -> bytes:
    """`seal` of `text` as UTF-8; b"" for an empty text (an empty column means no text)."""
    if not text:
        return b""
    return seal(court, text.encode("utf-8"), purpose=purpose, bind=bind)


def unseal_text(court: Court, blob: bytes | memoryview | None, *, purpose: str, bind: str) -> str:
    """The text given to `seal_text`: "" for an empty column; SealError if it does not open."""
    if blob is None or len(blob) == 0:
        return ""
    plaintext = unseal(court, blob, purpose=purpose, bind=bind)
    try:
        return plaintext.decode("utf-8")
    except UnicodeDecodeError:
        raise SealError("密封内容不是有效的文本。") from None


def blob_version(blob: bytes | memoryview | None) -> int | None:
    """The data key version a sealed blob was made with, or None if it is not one."""
    if blob is None:
        return None
    parsed = parse_header(bytes(blob[:HEADER_BYTES]), SEAL_MAGIC)
    return parsed[1] if parsed else None


def normalise_name(name: str) -> str:
    """NFKC (full-width → half-width), no whitespace, format characters or name dots, common
    variant characters folded (陳 = 陈), casefold."""
    text = unicodedata.normalize("NFKC", name or "")
    kept = (ch for ch in text if not _ignorable(ch))
    return "".join(kept).translate(_NAME_VARIANTS).casefold()


def _ignorable(ch: str) -> bool:
    return ch.isspace() or ch in _NAME_DOTS or unicodedata.category(ch) == "Cf"


def blind_index(court: Court, value: str, *, kind: str) -> str:
    """Keyed hash (court's index key) of `kind:normalised value`, hex; "" for an empty value.

    kinds: "name" (a subject's name), "person" (str of a Person id). Equal inputs give equal
    indexes within one court only; the index key never rotates.
    """
    _check_label(kind, "kind")
    normalised = normalise_name(value)
    if not normalised:
        return ""
    row, raw = current_key(court, KeyPurpose.INDEX)
    return keyed_hash(family_of(row.algorithm), raw, f"{kind}:{normalised}".encode())


def _open(
    court: Court, algorithm: str, version: int, body: bytes, aad: bytes, *, fresh: bool
) -> bytes:
    try:
        row, raw = key_by_version(court, KeyPurpose.DATA, version, fresh=fresh)
    except CourtKey.DoesNotExist:
        raise SealError("密封内容无法打开: 本法院没有对应的数据密钥版本。") from None
    if row.algorithm != algorithm:
        raise DecryptError("算法不符")
    return aead_decrypt(algorithm, raw, body, aad)


def _aad(header: bytes, court: Court, purpose: str, bind: str | None) -> bytes:
    if not court.code:
        raise ValueError("法院代码为空，无法密封。")
    if bind is None:  # before row binding (b"MJ1" blobs)
        return header + f"|{court.code}|{purpose}".encode()
    return header + f"|{court.code}|{purpose}|{bind}".encode()


def _check_bind(bind: str) -> None:
    if not isinstance(bind, str) or not _BIND.match(bind):
        raise ValueError(f"无效的行绑定 bind: {bind!r}（应为 app.model:pk:field）")


def _check_label(label: str, what: str) -> None:
    if not isinstance(label, str) or not _LABEL.match(label):
        raise ValueError(f"无效的 {what}: {label!r}")


def _bytes(value: bytes | bytearray | memoryview) -> bytes:
    if not isinstance(value, bytes | bytearray | memoryview):
        raise TypeError("只能密封字节串; 文本请先编码，字典请用 seal_json。")
    return bytes(value)


def _blob_bytes(blob: bytes | memoryview | None) -> bytes:
    if blob is None:
        raise SealError("没有密封内容。")
    return _bytes(blob)
