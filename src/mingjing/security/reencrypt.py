"""Re-encryption: every sealed value of a court moved under its current data key version.

Split from keys.py (issue 9.2) so that keys (key management) and sealing (sealing with those
keys) no longer import each other: this module sits above both. The apps that hold sealed
columns register them here from their AppConfig.ready (`register_sealed_columns`), so that
security, below them, never imports their models.
"""

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import transaction
from django.db.models import BinaryField, F, Func, QuerySet, Value

from mingjing.org.models import Court
from mingjing.security import audit
from mingjing.security.crypto import HEADER_BYTES, parse_header
from mingjing.security.keys import SEAL_MAGIC, current_key
from mingjing.security.models import KeyPurpose, SigningKey
from mingjing.security.sealing import SealError, blob_version, row_binding, seal, unseal

Progress = Callable[[str, int, int], None]
# (purpose, queryset of the court's rows, field) for each sealed column of one app.
SealedColumns = Callable[[Court], Iterable[tuple[str, QuerySet[Any], str]]]
_PROVIDERS: list[SealedColumns] = []


def register_sealed_columns(provider: SealedColumns) -> None:
    """Called from an app's AppConfig.ready: `provider(court)` yields its sealed columns."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def sealed_fields(court: Court) -> Iterator[tuple[str, QuerySet[Any], str]]:
    """(purpose, queryset of the court's rows, field) for every sealed column.

    Each value is bound to its row: `sealing.row_binding(queryset.model, pk, field)`. Signing
    keys are wrapped by the master key (b"MJK"), not sealed, so their entry finds nothing to
    re-seal; a signing key has no row of contents to be bound to beyond its own.
    """
    for provider in _PROVIDERS:
        yield from provider(court)
    yield "signing-key", SigningKey.objects.filter(court=court), "wrapped_private"


def blob_versions(queryset: QuerySet[Any], field: str) -> Iterator[tuple[int, int]]:
    """(pk, data key version) of each sealed value, reading only its 8-byte header."""
    head = Func(
        F(field), Value(1), Value(HEADER_BYTES), function="SUBSTR", output_field=BinaryField()
    )
    rows = queryset.annotate(mj_head=head).order_by("pk").values_list("pk", "mj_head")
    for pk, header in rows.iterator(chunk_size=2000):
        parsed = parse_header(bytes(header or b""), SEAL_MAGIC)
        if parsed is not None:
            yield pk, parsed[1]


def content_versions(court: Court) -> dict[str, Counter[int]]:
    """How many sealed values of each purpose sit under each data key version."""
    return {
        purpose: Counter(version for _pk, version in blob_versions(queryset, field))
        for purpose, queryset, field in sealed_fields(court)
    }


def reencrypt(
    court: Court, *, batch_size: int = 200, progress: Progress | None = None
) -> dict[str, Any]:
    """Re-seal every value of `court` still under an older data key version.

    Batches of `batch_size`, each its own transaction, so the server keeps serving. Each new
    blob is checked to open to the same plaintext before it replaces the old one, and only if
    the old one is still there (a concurrent edit wins). Returns counts per purpose.
    """
    target, _raw = current_key(court, KeyPurpose.DATA)
    counts: dict[str, int] = {}
    for purpose, queryset, field in sealed_fields(court):
        pending = [pk for pk, version in blob_versions(queryset, field) if version < target.version]
        counts[purpose] = 0
        for start in range(0, len(pending), batch_size):
            batch = pending[start : start + batch_size]
            counts[purpose] += _reseal_batch(court, queryset, field, purpose, batch, target.version)
            if progress:
                progress(purpose, start + len(batch), len(pending))
    with transaction.atomic():
        detail = {"version": target.version, **counts}
        audit.log_event(actor=None, action="keys.reencrypt", court=court, detail=detail)
    return counts


def _reseal_batch(
    court: Court, queryset: QuerySet[Any], field: str, purpose: str, pks: list[int], version: int
) -> int:
    resealed = 0
    with transaction.atomic():
        for pk in pks:
            old = queryset.filter(pk=pk).values_list(field, flat=True).first()
            if old is None or (blob_version(old) or version) >= version:
                continue
            old = bytes(old)
            bind = row_binding(queryset.model, pk, field)  # the same row, the same field
            plaintext = unseal(court, old, purpose=purpose, bind=bind)
            new = seal(court, plaintext, purpose=purpose, bind=bind)
            if unseal(court, new, purpose=purpose, bind=bind) != plaintext:
                raise SealError("重新加密后的内容校验失败，已放弃本批次。")
            resealed += queryset.model.objects.filter(pk=pk, **{field: old}).update(**{field: new})
    return resealed
