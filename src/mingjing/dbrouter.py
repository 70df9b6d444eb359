"""Report reads on a PostgreSQL streaming replica; everything else on the primary.

With `MINGJING_REPLICA_DATABASE_URL` set, settings.py adds the database alias `replica` and
the router below sends a read there only when all of these hold:

- replica reads are on (`settings.MINGJING_REPLICA_READS`, true when the URL is set);
- the read happens inside `replica_reads()`: the report pages (reporting/court_views.py)
  are wrapped in it by the `reads_from_replica` decorator;
- the model is domain data (`REPLICA_APPS`: courts, people, cases, records, declarations,
  reports). Accounts, sessions, auth, the audit chain and keys (security), notifications,
  admin and content types are always read on the primary;
- nothing has been written on the primary in this request yet (an execute wrapper of its
  connection notes every statement but a SELECT): a read after a write sees the write
  (`primary_after_write` pins the rest of the request, and the next few seconds of the
  session, to the primary, so that a page shown after a POST shows what the POST did);
- the primary's connection is not inside a transaction (services lock rows and re-read).

Every write goes to the primary, and migrations run there only (the replica replays them).
Without a replica (the default) the router has no alias to send anything to: every query
goes to `default` as before.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
# Apps whose tables a report page may read from the replica: plain figures and statuses.
REPLICA_APPS = frozenset(
    {"org", "cases", "records", "declarations", "reporting", "oversight", "registers"}
)
# Session key: until this time (epoch seconds) the session reads from the primary only.
PIN_KEY = "mingjing_primary_until"


@dataclass
class _Scope:
    replica: bool = False  # inside replica_reads()
    wrote: bool = False  # a write happened in this request (or scope)


_scope: ContextVar[_Scope | None] = ContextVar("mingjing_db_scope", default=None)


def replica_enabled() -> bool:
    return REPLICA in settings.DATABASES and getattr(settings, "MINGJING_REPLICA_READS", False)


def _note_writes(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any):
    """An execute wrapper of the primary's connection: anything but a SELECT is a write."""
    scope = _scope.get()
    if scope is not None and not sql.lstrip()[:6].upper().startswith("SELECT"):
        scope.wrote = True
    return execute(sql, params, many, context)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads of domain data inside this block may go to the replica (see the module doc)."""
    outer = _scope.get()
    token = _scope.set(_Scope(replica=True, wrote=bool(outer and outer.wrote)))
    try:
        with connections[DEFAULT_DB_ALIAS].execute_wrapper(_note_writes):
            yield
    finally:
        inner = _scope.get()
        _scope.reset(token)
        if outer is not None and inner is not None and inner.wrote:
            outer.wrote = True


def reads_from_replica(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A report page's view decorator: its reads go to the replica unless the session wrote
    something in the last few seconds (then to the primary, which has it for sure)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _pinned(request):
            return view(request, *args, **kwargs)
        with replica_reads():
            return view(request, *args, **kwargs)

    return wrapper


def _pinned(request: HttpRequest) -> bool:
    session = getattr(request, "session", None)
    until = session.get(PIN_KEY) if session is not None else None
    return isinstance(until, int | float) and until > time.time()


def primary_after_write(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Middleware: notes the request's writes; after one, the session reads from the primary
    for `MINGJING_REPLICA_PIN_SECONDS` (the replica may not have replayed it yet)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if not replica_enabled():
            return get_response(request)
        token = _scope.set(_Scope())
        try:
            with connections[DEFAULT_DB_ALIAS].execute_wrapper(_note_writes):
                response = get_response(request)
            scope = _scope.get()
        finally:
            _scope.reset(token)
        if scope is not None and scope.wrote and hasattr(request, "session"):
            request.session[PIN_KEY] = time.time() + settings.MINGJING_REPLICA_PIN_SECONDS
        return response

    return middleware


class ReplicaRouter:
    """Django's database router for the primary (`default`) and the replica (`replica`)."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        return REPLICA if reads_on_replica(model) else DEFAULT_DB_ALIAS

    def db_for_write(self, model: type, **hints: Any) -> str:
        # Not where writes are noted: Django asks this too when a related object is merely
        # assigned to an unsaved instance. The primary's execute wrapper sees real writes.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        aliases = {DEFAULT_DB_ALIAS, REPLICA}
        return True if {obj1._state.db, obj2._state.db} <= aliases else None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPLICA else None


def reads_on_replica(model: type) -> bool:
    """Whether a read of `model` goes to the replica now (the rules of the module doc)."""
    scope = _scope.get()
    if scope is None or not scope.replica or scope.wrote or not replica_enabled():
        return False
    if model._meta.app_label not in REPLICA_APPS:  # type: ignore[attr-defined]
        return False
    return not connections[DEFAULT_DB_ALIAS].in_atomic_block
