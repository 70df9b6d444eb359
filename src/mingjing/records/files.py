"""Which attachment files are accepted: by extension AND by their first bytes.

A file is kept only when its name ends in an allowed extension and its contents look like that
kind of file, so an .exe renamed .jpg is refused. Sizes are capped by
`settings.MINGJING_ATTACHMENT_MAX_BYTES` (10 MB by default).
"""

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_NAME_CHARS = 120


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extensions: tuple[str, ...]


KINDS = {
    "jpg": FileKind("image/jpeg", ("jpg", "jpeg")),
    "png": FileKind("image/png", ("png",)),
    "pdf": FileKind("application/pdf", ("pdf",)),
    "mp3": FileKind("audio/mpeg", ("mp3",)),
    "m4a": FileKind("audio/mp4", ("m4a",)),
    "wav": FileKind("audio/wav", ("wav",)),
    "amr": FileKind("audio/amr", ("amr",)),
    "docx": FileKind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)
    ),
    "txt": FileKind("text/plain; charset=utf-8", ("txt",)),
}
ACCEPT = ",".join(f".{ext}" for kind in KINDS.values() for ext in kind.extensions)


def max_bytes() -> int:
    return int(getattr(settings, "MINGJING_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _kind_by_extension(name: str) -> str | None:
    extension = PurePath(name).suffix.lower().lstrip(".")
    return next((key for key, kind in KINDS.items() if extension in kind.extensions), None)


def _is_mp3(data: bytes) -> bool:
    return data.startswith(b"ID3") or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0)


def _is_docx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


SNIFFERS = {
    "jpg": lambda d: d.startswith(b"\xff\xd8\xff"),
    "png": lambda d: d.startswith(b"\x89PNG\r\n\x1a\n"),
    "pdf": lambda d: d.startswith(b"%PDF-"),
    "mp3": _is_mp3,
    "m4a": lambda d: d[4:8] == b"ftyp",
    "wav": lambda d: d.startswith(b"RIFF") and d[8:12] == b"WAVE",
    "amr": lambda d: d.startswith(b"#!AMR"),
    "docx": _is_docx,
    "txt": _is_text,
}


def clean_name(name: str) -> str:
    """The file's own name without any directory, trimmed to a sensible length."""
    base = PurePath((name or "").replace("\\", "/")).name.strip()
    if len(base) > MAX_NAME_CHARS:
        stem, suffix = PurePath(base).stem, PurePath(base).suffix
        base = stem[: MAX_NAME_CHARS - len(suffix)] + suffix
    return base


def check_size(name: str, size: int) -> None:
    """A ValidationError when a file is larger than the configured limit."""
    if size > max_bytes():
        raise ValidationError(
            _("文件“%(name)s”超过 %(limit)s 的上限。"),
            params={"name": name, "limit": filesizeformat(max_bytes())},
        )


def check_file(name: str, data: bytes) -> str:
    """The content type of an acceptable file; a ValidationError in Chinese otherwise."""
    if not data:
        raise ValidationError(_("文件“%(name)s”是空的。"), params={"name": name})
    check_size(name, len(data))
    kind = _kind_by_extension(name)
    if kind is None:
        raise ValidationError(
            _("不支持文件“%(name)s”的类型；可上传 jpg、png、pdf、mp3、m4a、wav、amr、docx、txt。"),
            params={"name": name},
        )
    if not SNIFFERS[kind](data):
        raise ValidationError(
            _("文件“%(name)s”的内容与其扩展名不符，已拒绝。"), params={"name": name}
        )
    return KINDS[kind].content_type
