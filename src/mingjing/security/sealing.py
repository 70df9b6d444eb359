"""Sealing: how every module encrypts confidential contents before they reach the database.

    blob = b"MJ1" | algorithm id (1 byte) | data key version (4 bytes) | nonce | ciphertext | tag

The associated data is the 8-byte header plus the court's code and the purpose, so a blob
copied to another court, another field (purpose) or given another header does not open.
Sealing uses the court's newest data key; opening uses whatever version the header names.

Purposes in use: "record", "attachment-meta", "attachment-content", "amendment",
"signing-key", "special-report", "screening-note". New ones
are fine (lowercase letters, digits, hyphens); a purpose is part of what a blob is bound to,
so never rename one that has stored data.
"""

import json
import re
import unicodedata

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
from mingjing.security.keys import SEAL_MAGIC, current_key, key_by_version
from mingjing.security.models import CourtKey, KeyPurpose

PURPOSES = (
    "record",
    "attachment-meta",
    "attachment-content",
    "amendment",
    "signing-key",
    "special-report",
    "screening-note",
)
INDEX_KINDS = ("name", "person")
_LABEL = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
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


def seal(court: Court, plaintext: bytes, *, purpose: str) -> bytes:
    """Encrypt `plaintext` with `court`'s current data key, bound to court and purpose."""
    _check_label(purpose, "purpose")
    row, raw = current_key(court, KeyPurpose.DATA)
    header = pack_header(SEAL_MAGIC, row.algorithm, row.version)
    return header + aead_encrypt(
        row.algorithm, raw, _bytes(plaintext), _aad(header, court, purpose)
    )


def unseal(court: Court, blob: bytes | memoryview, *, purpose: str) -> bytes:
    """The plaintext of a `seal` blob (bytes or a BinaryField's memoryview); else SealError."""
    _check_label(purpose, "purpose")
    data = _blob_bytes(blob)
    parsed = parse_header(data, SEAL_MAGIC)
    if parsed is None:
        raise SealError("不是有效的密封内容。")
    algorithm, version = parsed
    header, body = data[:HEADER_BYTES], data[HEADER_BYTES:]
    aad = _aad(header, court, purpose)
    try:
        return _open(court, algorithm, version, body, aad, fresh=False)
    except DecryptError:
        pass
    try:  # the in-process key cache may describe a row that is gone: one fresh look
        return _open(court, algorithm, version, body, aad, fresh=True)
    except DecryptError:
        raise SealError("密封内容无法打开: 内容被篡改，或不属于本法院、本字段。") from None


def seal_json(court: Court, data: dict, *, purpose: str) -> bytes:
    """`seal` of `data` as UTF-8 JSON (dates and decimals as strings)."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return seal(court, text.encode("utf-8"), purpose=purpose)


def unseal_json(court: Court, blob: bytes | memoryview, *, purpose: str) -> dict:
    """The dict given to `seal_json`; SealError if the blob does not open to one."""
    plaintext = unseal(court, blob, purpose=purpose)
    try:
        data = json.loads(plaintext.decode("utf-8"))
    except ValueError:
        raise SealError("密封内容不是有效的 JSON。") from None
    if not isinstance(data, dict):
        raise SealError("密封内容不是 JSON 对象。")
    return data


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


def _aad(header: bytes, court: Court, purpose: str) -> bytes:
    if not court.code:
        raise ValueError("法院代码为空，无法密封。")
    return header + f"|{court.code}|{purpose}".encode()


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
