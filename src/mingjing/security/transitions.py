"""State changes under a lock (DESIGN.md section 4: every state change locks its row and
re-checks the state).

A page or an API call loads an object, reads the request and only then writes: another tab,
another request or another person may have changed the object in between. So a transition
never trusts the instance it was handed:

* `locked()` fetches the row again with ``SELECT ... FOR UPDATE`` inside the caller's
  transaction; the caller re-checks status and owner on that fresh copy. On PostgreSQL a
  concurrent writer waits for the lock and then sees the committed state.
* On SQLite ``select_for_update`` is a no-op, but every transaction begins IMMEDIATE
  (`mingjing.env.sqlite_database`): writers are serialised from their first statement, so the
  fresh copy read inside the transaction is the latest too.
* `save_if()` makes the write itself conditional on the state checked
  (``UPDATE ... WHERE id = %s AND status = 'draft'``): if the row changed anyway (a caller
  outside a transaction, a backend without either guarantee) nothing is written and the
  caller gets the same clear message as the check.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def locked(queryset_or_model: Any, pk: object, **lookups: Any) -> Any:
    """The row with this primary key, locked for the rest of the transaction (re-read fresh).

    `lookups` narrow the row (e.g. court=...); DoesNotExist when it is gone or does not match.
    """
    queryset = (
        queryset_or_model._default_manager.all()
        if isinstance(queryset_or_model, type) and issubclass(queryset_or_model, models.Model)
        else queryset_or_model
    )
    return queryset.select_for_update().get(pk=pk, **lookups)


def lock_parent(model: type[models.Model], pk: object) -> None:
    """Serialise the first creation of a child row (one per parent and month): lock the parent.

    FOR NO KEY UPDATE on PostgreSQL, so rows merely referring to the parent (foreign keys)
    are not held up; nothing on SQLite, whose transactions are serialised anyway.
    """
    list(model._default_manager.select_for_update(no_key=True).filter(pk=pk).values_list("pk"))


def save_if(
    obj: models.Model,
    message: StrOrPromise,
    *,
    fields: Iterable[str] | None = None,
    **expected: Any,
) -> None:
    """Write `obj` (all its columns, or `fields`) only where the row still matches `expected`.

    ``UPDATE ... SET ... WHERE pk = obj.pk AND <expected>``; raises ValidationError(message)
    and writes nothing when no row matched. `auto_now` fields are stamped as save() would.
    Model signals are not sent (the services log their own audit events).
    """
    model = type(obj)
    names = set(fields) if fields is not None else None
    values: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or (names is not None and field.name not in names):
            continue
        if getattr(field, "auto_now", False):
            setattr(obj, field.attname, timezone.now())
        values[field.attname] = getattr(obj, field.attname)
    updated = model._default_manager.filter(pk=obj.pk, **expected).update(**values)
    if updated != 1:
        raise ValidationError(message)
