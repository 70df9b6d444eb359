"""Data migrations to row-bound sealing (records 0004, oversight 0003, reporting 0002).

Before them, sealed values were bound to court and purpose only (b"MJ1" blobs) and a few
free-text columns were plain. The migrations call these functions with their historical
models (`apps.get_model`): the model label and the primary key make the binding exactly as
the app computes it (`sealing.row_binding`), so the result opens with the app's own code.

* `reseal_unbound`: every b"MJ1" blob of a column is opened (court + purpose) and sealed
  again bound to its row and column (b"MJ2"); anything else is left alone, so running it
  again changes nothing.
* `seal_plain`: a plain text column is sealed into its new BinaryField ("" stays empty).

Both read the court through the real `Court` model with `.only("id", "code")`, work row by
row with `update()`, and do nothing on an empty database. The reverse functions
(`unbind`, `unseal_plain`) exist so that the migrations can be unapplied: they turn the
values back into what the previous code reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from mingjing.security import sealing

if TYPE_CHECKING:
    from mingjing.org.models import Court


def settle(schema_editor: Any) -> None:
    """Fire the deferred constraint checks queued by the updates above, so that the same
    migration may alter the table next (PostgreSQL refuses with pending trigger events)."""
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _courts() -> Callable[[int], Court]:
    from mingjing.org.models import Court

    cache: dict[int, Court] = {}

    def court(court_id: int) -> Court:
        if court_id not in cache:
            cache[court_id] = Court.objects.only("id", "code").get(pk=court_id)
        return cache[court_id]

    return court


def _rows(model: Any, court_path: str, *columns: str) -> Iterator[tuple[Any, ...]]:
    """(pk, court id, *columns) of every row, one query per row for the values (blobs
    may be large: attachments)."""
    pks = list(model.objects.order_by("pk").values_list("pk", court_path))
    for pk, court_id in pks:
        values = model.objects.filter(pk=pk).values_list(*columns).first()
        if values is not None:
            yield pk, court_id, *values


def reseal_unbound(model: Any, column: str, purpose: str, *, court_path: str = "court_id") -> int:
    """Seal again, bound to its row and column, every value of `column` sealed before the
    binding. Returns how many were re-sealed."""
    court_of, done = _courts(), 0
    for pk, court_id, blob in _rows(model, court_path, column):
        if not sealing.is_unbound(blob):
            continue
        court = court_of(court_id)
        bind = sealing.row_binding(model, pk, column)
        plaintext = sealing.unseal_unbound(court, blob, purpose=purpose)
        new = sealing.seal(court, plaintext, purpose=purpose, bind=bind)
        if sealing.unseal(court, new, purpose=purpose, bind=bind) != plaintext:
            raise sealing.SealError("重新密封后的内容校验失败，迁移已中止。")
        model.objects.filter(pk=pk).update(**{column: new})
        done += 1
    return done


def unbind(model: Any, column: str, purpose: str, *, court_path: str = "court_id") -> int:
    """Reverse of `reseal_unbound`: row-bound values back to court + purpose only."""
    court_of, done = _courts(), 0
    for pk, court_id, blob in _rows(model, court_path, column):
        if not blob or sealing.is_unbound(blob):
            continue
        court = court_of(court_id)
        bind = sealing.row_binding(model, pk, column)
        plaintext = sealing.unseal(court, blob, purpose=purpose, bind=bind)
        model.objects.filter(pk=pk).update(
            **{column: sealing.seal_unbound(court, plaintext, purpose=purpose)}
        )
        done += 1
    return done


def seal_plain(
    model: Any, plain: str, column: str, purpose: str, *, court_path: str = "court_id"
) -> int:
    """Seal the text of the plain column `plain` into `column`, bound to row and column."""
    court_of, done = _courts(), 0
    for pk, court_id, text in _rows(model, court_path, plain):
        if not text:
            continue
        bind = sealing.row_binding(model, pk, column)
        blob = sealing.seal_text(court_of(court_id), text, purpose=purpose, bind=bind)
        model.objects.filter(pk=pk).update(**{column: blob})
        done += 1
    return done


def unseal_plain(
    model: Any, plain: str, column: str, purpose: str, *, court_path: str = "court_id"
) -> int:
    """Reverse of `seal_plain`: the text back into the plain column."""
    court_of, done = _courts(), 0
    for pk, court_id, blob in _rows(model, court_path, column):
        if not blob:
            continue
        bind = sealing.row_binding(model, pk, column)
        text = sealing.unseal_text(court_of(court_id), blob, purpose=purpose, bind=bind)
        model.objects.filter(pk=pk).update(**{plain: text})
        done += 1
    return done
