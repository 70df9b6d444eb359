"""The tamper-evident audit chain: append an event, verify the chain, compare with a checkpoint.

Every event stores the hash of the event before it and its own hash::

    hash = hex(H(prev_hash ‖ canonical_json))

where ``prev_hash`` is the 64 hexadecimal ASCII characters of the previous event's hash (64
zeros for the first event), ``canonical_json`` is the UTF-8 JSON of the event's fields
(``seq, at, court_code, actor_id, actor_name, action, object_type, object_id, ip, detail,
algorithm``) with sorted keys, no ASCII escaping and no whitespace, and ``H`` is SHA-256, or
SM3 when ``MINGJING_CRYPTO=sm``. Each event names its own algorithm, so a chain may switch.
See docs/security-audit.md.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from json.encoder import encode_basestring as _json_string
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from mingjing.accounts.clients import client_ip
from mingjing.security import crypto
from mingjing.security.actor import Actor
from mingjing.security.crypto import SM, configured_family
from mingjing.security.labels import stored_label
from mingjing.security.models import AuditEvent

GENESIS_HASH = "0" * 64
SHA256 = "sha256"
SM3 = "sm3"
# Key of the PostgreSQL transaction-level advisory lock that serialises writers ("MJAUDIT").
CHAIN_LOCK_KEY = 0x4D4A_4155_4449_54
SYSTEM_NAME = "系统"
ANONYMOUS_NAME = "匿名"
HASHED_FIELDS = (
    "seq",
    "at",
    "court_code",
    "actor_id",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "ip",
    "detail",
    "algorithm",
)
VERIFY_CHUNK = 2000
# Python writes floats from 1e16 on with an exponent; jsonb gives them back as integers.
FLOAT_LIMIT = 1e16


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of a verification: `first_bad_seq` and `reason` (in Chinese) when not ok."""

    ok: bool
    checked: int
    first_bad_seq: int | None = None
    reason: str = ""


# --- hashing -------------------------------------------------------------------------------


def current_algorithm() -> str:
    """The digest for new events: SM3 under `MINGJING_CRYPTO=sm`, else SHA-256 (read now)."""
    return SM3 if configured_family() == SM else SHA256


def digest(algorithm: str, data: bytes) -> str:
    """Hexadecimal digest of `data` with `algorithm` ("sha256" or "sm3")."""
    if algorithm not in (SHA256, SM3):
        raise ValueError(f"未知的摘要算法：{algorithm}")
    return crypto.digest(algorithm, data)


def canonical_json(value: Any) -> str:
    """The one JSON text of `value` that hashes and signatures are computed over."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def format_at(at: datetime) -> str:
    """An event's time as hashed: ISO 8601 in UTC, microseconds kept."""
    return at.astimezone(UTC).isoformat()


def event_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    """The hash of one event, given the previous hash and the event's hashed fields."""
    body = event_json(
        fields["seq"],
        format_at(fields["at"]),
        fields["court_code"],
        fields["actor_id"],
        fields["actor_name"],
        fields["action"],
        fields["object_type"],
        fields["object_id"],
        fields["ip"],
        canonical_json(fields["detail"]),
        fields["algorithm"],
    )
    return _hash_payload(fields["algorithm"], prev_hash, body)


# The canonical JSON of an event, written out: its keys are fixed and sorted, so the only work
# is escaping five strings (what json.dumps(..., sort_keys=True, ensure_ascii=False,
# separators=(",", ":")) of the dict gives, byte for byte: tests/security/test_audit_speed.py).
# Verification runs at hundreds of thousands of events a second on this.
_EVENT_JSON = (
    '{"action":%s,"actor_id":%s,"actor_name":%s,"algorithm":%s,"at":"%s","court_code":%s,'
    '"detail":%s,"ip":%s,"object_id":%s,"object_type":%s,"seq":%d}'
)


def event_json(
    seq: int,
    at: str,
    court_code: str,
    actor_id: int | None,
    actor_name: str,
    action: str,
    object_type: str,
    object_id: str,
    ip: str,
    detail_json: str,
    algorithm: str,
) -> str:
    """canonical_json of an event's hashed fields, `at` already formatted (format_at) and
    `detail` already canonical JSON."""
    return _EVENT_JSON % (
        _json_string(action),
        "null" if actor_id is None else int(actor_id),
        _json_string(actor_name),
        _json_string(algorithm),
        at,
        _json_string(court_code),
        detail_json,
        _json_string(ip),
        _json_string(object_id),
        _json_string(object_type),
        seq,
    )


def _hash_payload(algorithm: str, prev_hash: str, body: str) -> str:
    payload = prev_hash.encode("ascii") + body.encode("utf-8")
    if algorithm == SHA256:
        return hashlib.sha256(payload).hexdigest()
    return digest(algorithm, payload)


# --- appending -----------------------------------------------------------------------------


def log_event(
    *,
    action: str,
    actor: Any = None,
    court: Any = None,
    obj: Any = None,
    detail: dict[str, Any] | None = None,
    request: Any = None,
) -> AuditEvent:
    """Append one event to the audit chain and return it.

    `actor` is an :class:`~mingjing.security.actor.Actor`, a User, or None: then the request's
    actor if a request is given, else the system. `court` defaults to the actor's court. `obj`
    is the model instance acted on. `request` gives the source address.

    `detail` is stored and hashed IN THE CLEAR and kept for ever: it must never contain
    confidential contents (record text, subject names, attachment contents, passwords,
    tokens). Put identifiers, field names and counts in it, never the values of sealed fields.

    Joins an enclosing transaction: if that rolls back, the event goes with it, as the
    mutation it records did not happen.
    """
    fields = _event_fields(action, actor, court, obj, detail, request)
    with transaction.atomic(savepoint=False):
        _lock_chain()
        last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev_hash = last if last else (0, GENESIS_HASH)
        fields.update(seq=seq + 1, at=timezone.now(), prev_hash=prev_hash)
        fields["hash"] = event_hash(prev_hash, fields)
        return AuditEvent.objects.create(**fields)


def log_events(events: Iterable[Mapping[str, Any]], *, batch_size: int = 1000) -> int:
    """Append many events in one go and return how many: each mapping holds log_event's
    keyword arguments. The chain is locked once, the last event read once, and the events
    inserted `batch_size` rows a statement, in one transaction (joined if one is open):
    for imports and other bulk work, where an event a row would cost a round trip each.
    """
    count = 0
    with transaction.atomic(savepoint=False):
        _lock_chain()
        last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev_hash = last if last else (0, GENESIS_HASH)
        batch: list[AuditEvent] = []
        for event in events:
            fields = _event_fields(
                event["action"],
                event.get("actor"),
                event.get("court"),
                event.get("obj"),
                event.get("detail"),
                event.get("request"),
            )
            seq += 1
            fields.update(seq=seq, at=timezone.now(), prev_hash=prev_hash)
            prev_hash = fields["hash"] = event_hash(prev_hash, fields)
            batch.append(AuditEvent(**fields))
            if len(batch) >= batch_size:
                count += len(AuditEvent.objects.bulk_create(batch))
                batch = []
        if batch:
            count += len(AuditEvent.objects.bulk_create(batch))
    return count


def _lock_chain() -> None:
    """Serialise writers of the chain until the end of the current transaction.

    PostgreSQL: a transaction-level advisory lock. SQLite: the project opens write
    transactions with BEGIN IMMEDIATE, which already serialises them. The unique `seq` makes a
    fork fail loudly whatever happens.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def _event_fields(
    action: str, actor: Any, court: Any, obj: Any, detail: dict[str, Any] | None, request: Any
) -> dict[str, Any]:
    """The event's fields except seq, at and the hashes."""
    if not action or len(action) > 50:
        raise ValueError("审计动作不能为空，且不超过 50 个字符")
    actor_id, actor_name, actor_court = _who(actor, request)
    court = court if court is not None else actor_court
    object_type, object_id = _object_ref(obj)
    return {
        "court_code": getattr(court, "code", "") or "",
        "actor_id": actor_id,
        "actor_name": actor_name[:150],
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "ip": client_ip(request),
        "detail": _normalised_detail(detail),
        "algorithm": current_algorithm(),
    }


def _who(actor: Any, request: Any) -> tuple[int | None, str, Any]:
    """(account id, display name, court) for an Actor, a User, the request's actor or nobody."""
    if actor is None and request is not None:
        actor = getattr(request, "actor", None) or getattr(request, "user", None)
        if actor is None or not _has_account(actor):
            return None, ANONYMOUS_NAME, None
    if actor is None:
        return None, SYSTEM_NAME, None
    if isinstance(actor, Actor):
        return _actor_identity(actor)
    return _user_identity(actor)


def _has_account(actor: Any) -> bool:
    if isinstance(actor, Actor):
        return actor.user is not None
    return bool(getattr(actor, "is_authenticated", False))


def _actor_identity(actor: Actor) -> tuple[int | None, str, Any]:
    user = actor.user
    if user is None:
        return None, ANONYMOUS_NAME, actor.court
    name = actor.person.name if actor.person else user.get_username()
    return user.pk, name, actor.court


def _user_identity(user: Any) -> tuple[int | None, str, Any]:
    from mingjing.org.models import Person

    person = Person.objects.select_related("court").filter(user=user).first()
    name = person.name if person else user.get_username()
    return user.pk, name, person.court if person else None


def _object_ref(obj: Any) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return stored_label(obj)[:50], str(obj.pk)[:64]


def _normalised_detail(detail: dict[str, Any] | None) -> dict[str, Any]:
    """`detail` as it will read back from the database (tuples as lists, keys as strings)."""
    if detail is None:
        return {}
    if not isinstance(detail, dict):
        raise TypeError("detail 必须是字典")
    normalised: dict[str, Any] = json.loads(json.dumps(detail, ensure_ascii=False, allow_nan=False))
    _check_numbers(normalised)
    return normalised


def _check_numbers(value: Any) -> None:
    """Refuse floats PostgreSQL's jsonb would read back as integers (1e16 and beyond)."""
    if isinstance(value, float) and abs(value) >= FLOAT_LIMIT:
        raise ValueError("detail 中的小数过大，请改用整数或字符串")
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        for child in value:
            _check_numbers(child)


# --- verifying -----------------------------------------------------------------------------

# Read with SQL, not the ORM: a model instance (or a values() dict) per event costs more than
# hashing it. PostgreSQL streams the rows through a server-side cursor (chunked_cursor);
# `at` and `detail` come as text wherever that saves parsing them.
_SELECT_EVENTS = {
    "postgresql": (
        'SELECT seq, "at", court_code, actor_id, actor_name, action, object_type, object_id, '
        "ip, detail::text, algorithm, prev_hash, hash FROM security_auditevent "
        "WHERE seq >= %s ORDER BY seq"
    ),
    "sqlite": (
        'SELECT seq, CAST("at" AS TEXT), court_code, actor_id, actor_name, action, '
        "object_type, object_id, ip, detail, algorithm, prev_hash, hash "
        "FROM security_auditevent WHERE seq >= %s ORDER BY seq"
    ),
}
_EMPTY_DETAILS = frozenset({"{}", ""})


def _stored_at(value: Any) -> str:
    """format_at of an event's time as the database returns it: an aware datetime
    (PostgreSQL) or Django's SQLite text, `YYYY-MM-DD HH:MM:SS[.ffffff]` in UTC."""
    if isinstance(value, str):
        if len(value) in (19, 26) and value[10] == " ":
            return value.replace(" ", "T", 1) + "+00:00"
        parsed = parse_datetime(value)
        if parsed is None:
            return value
        value = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    if value.utcoffset() == timedelta(0):
        return str(value.isoformat())
    return format_at(value)


def _stored_detail(value: Any) -> str:
    """The canonical JSON of an event's detail as the database returns it (text or dict)."""
    if isinstance(value, str):
        if value in _EMPTY_DETAILS:
            return "{}"
        value = _decode_json(value)
    return _encode_canonical(value if value is not None else {})


_decode_json = json.JSONDecoder().decode
# canonical_json without building an encoder per call.
_encode_canonical = json.JSONEncoder(
    sort_keys=True, ensure_ascii=False, separators=(",", ":")
).encode


def verify_chain(*, start_seq: int | None = None) -> VerifyResult:
    """Walk the chain in order and report the first event that does not hold.

    From `start_seq` on, trusting the event just before it (e.g. one a checkpoint vouches
    for); from the first event otherwise. Catches an edited row (its hash no longer matches),
    a deleted row (a gap in seq, or a broken link after renumbering), an inserted or forged
    row and reordered rows (broken links). A chain rewritten with every hash recomputed is
    consistent in itself: only :func:`verify_against_checkpoint` catches that.
    """
    start = max(start_seq or 1, 1)
    prev_hash = _hash_before(start)
    if prev_hash is None:
        return VerifyResult(False, 0, start - 1, "该条审计事件缺失，疑被删除")
    expected_seq = start
    for chunk in _chunks(start):
        expected_seq, prev_hash, reason = _check_chunk(chunk, expected_seq, prev_hash)
        if reason:
            return VerifyResult(False, expected_seq - start, expected_seq, reason)
    return VerifyResult(True, expected_seq - start)


def _chunks(start_seq: int) -> Iterator[list[tuple[Any, ...]]]:
    """Events from `start_seq` on, in order, as lists of rows (tuples of _SELECT_EVENTS's
    columns) of VERIFY_CHUNK at most: memory stays flat whatever the chain's length."""
    sql = _SELECT_EVENTS.get(connection.vendor)
    if sql is None:
        sql = _SELECT_EVENTS["sqlite"].replace('CAST("at" AS TEXT)', '"at"')
    # On PostgreSQL inside a transaction, so that the named cursor is not WITH HOLD (which
    # would materialise the whole result first); SQLite's would take the write lock.
    postgresql = connection.vendor == "postgresql"
    with (
        transaction.atomic() if postgresql else nullcontext(),
        connection.chunked_cursor() as cursor,
    ):
        cursor.execute(sql, [start_seq])
        while chunk := cursor.fetchmany(VERIFY_CHUNK):
            yield chunk


def _check_chunk(
    chunk: list[tuple[Any, ...]], expected_seq: int, prev_hash: str
) -> tuple[int, str, str]:
    """(the next expected seq, the last good hash, "" or why the event at that seq breaks
    the chain) after checking `chunk`. The common case, a SHA-256 event in its place, is
    written out inline (this loop is the whole cost of verification); anything else goes
    through _row_problem."""
    sha256, template, string = hashlib.sha256, _EVENT_JSON, _json_string
    empty, stored_at, stored_detail = _EMPTY_DETAILS, _stored_at, _stored_detail
    for row in chunk:
        seq, at, court, actor_id, actor_name, action, otype, oid, ip, detail, alg, prev, h = row
        if seq == expected_seq and prev == prev_hash and alg == SHA256:
            if at.__class__ is str and len(at) in (19, 26) and at[10] == " ":
                at_text = at[:10] + "T" + at[11:] + "+00:00"
            else:
                at_text = stored_at(at)
            body = template % (
                string(action),
                "null" if actor_id is None else actor_id,
                string(actor_name),
                '"sha256"',
                at_text,
                string(court),
                "{}" if detail in empty else stored_detail(detail),
                string(ip),
                string(oid),
                string(otype),
                seq,
            )
            if sha256((prev + body).encode()).hexdigest() == h:
                prev_hash = h
                expected_seq += 1
                continue
        reason = _row_problem(row, expected_seq, prev_hash)
        if reason:
            return expected_seq, prev_hash, reason
        prev_hash = h
        expected_seq += 1
    return expected_seq, prev_hash, ""


def _row_problem(row: tuple[Any, ...], expected_seq: int, prev_hash: str) -> str:
    """Why `row` breaks the chain, or "" when it holds (an SM3 event, say)."""
    seq, at, court, actor_id, actor_name, action, otype, oid, ip, detail, alg, prev, h = row
    if seq != expected_seq:
        return f"该条审计事件缺失（序号从 {expected_seq - 1} 直接跳到 {seq}），疑被删除"
    if prev != prev_hash:
        return "前一摘要与上一条事件的摘要不符，链条断裂（疑有删除、插入或调换）"
    if alg not in (SHA256, SM3):
        return f"未知的摘要算法 {alg!r}"
    body = event_json(
        seq,
        _stored_at(at),
        court,
        actor_id,
        actor_name,
        action,
        otype,
        oid,
        ip,
        _stored_detail(detail),
        alg,
    )
    if _hash_payload(alg, prev, body) != h:
        return "内容与摘要不符，疑被篡改"
    return ""


def _hash_before(start: int) -> str | None:
    if start == 1:
        return GENESIS_HASH
    return AuditEvent.objects.filter(seq=start - 1).values_list("hash", flat=True).first()


def verify_against_checkpoint(checkpoint: Mapping[str, Any]) -> VerifyResult:
    """Check that the event at the checkpoint's seq still carries the checkpoint's hash.

    Catches what :func:`verify_chain` cannot: deleting the latest events, and a chain
    rewritten by someone who recomputed every hash. Verify the checkpoint's signature first
    (:func:`mingjing.security.checkpoints.verify_checkpoint`).
    """
    seq = int(checkpoint["seq"])
    if seq == 0:
        return VerifyResult(True, 0)
    row = AuditEvent.objects.filter(seq=seq).values("hash", "algorithm").first()
    if row is None:
        return VerifyResult(False, 0, seq, "检查点记录的审计事件已不存在，疑被删除")
    if row["hash"] != checkpoint["hash"] or row["algorithm"] != checkpoint["algorithm"]:
        return VerifyResult(False, 0, seq, "摘要与检查点不符，审计链疑被整体改写")
    return VerifyResult(True, 1)


# --- coverage: an emptied table is not an intact one -----------------------------------------

# A record is created a moment before the event that logs its creation (same transaction).
COVERAGE_SLACK = timedelta(minutes=5)
# Models whose every row is made with an audit event of its court (records: Record), each
# registered from its app's AppConfig.ready, so that audit, below them, imports none.
_COVERED: list[Any] = []


def register_covered_model(model: Any) -> None:
    """Rows of `model` (with `court_id` and `created_at`) imply events of their court."""
    if model not in _COVERED:
        _COVERED.append(model)


def _covered_rows() -> dict[int, dict[str, Any]]:
    """Per court id: how many covered rows ("n") and when the first was made ("first")."""
    from django.db.models import Count, Min

    rows: dict[int, dict[str, Any]] = {}
    for model in _COVERED:
        counts = model.objects.values("court_id").annotate(n=Count("id"), first=Min("created_at"))
        for row in counts:
            seen = rows.setdefault(row["court_id"], {"court_id": row["court_id"], "n": 0})
            seen["n"] += row["n"]
            first = seen.get("first")
            seen["first"] = row["first"] if first is None else min(first, row["first"])
    return rows


def verify_coverage() -> VerifyResult:
    """Check that every court holding data has the events that data implies.

    :func:`verify_chain` proves that the events present link up; an EMPTIED table (or one
    emptied and then continued from a new genesis) links up too. So an empty table while any
    court has people or records fails; so does a court with records but no event of its own,
    or whose first record is older than its first event (the events before were removed).
    """
    from django.db.models import Count, Min

    from mingjing.org.models import Court, Person

    people = dict(
        Person.objects.values("court_id").annotate(n=Count("id")).values_list("court_id", "n")
    )
    records = _covered_rows()
    firsts = dict(
        AuditEvent.objects.values("court_code")
        .annotate(first=Min("at"))
        .values_list("court_code", "first")
    )
    checked = 0
    for court in Court.objects.filter(id__in={*people, *records}).order_by("code"):
        checked += 1
        row = records.get(court.id, {})
        n_records, first_record = row.get("n", 0), row.get("first")
        first_event = firsts.get(court.code)
        # People may have been imported by a command with no court on its events; records are
        # always made by a recorder of the court, so each court with records has its events.
        if firsts and not n_records:
            continue
        if first_event is None:
            reason = (
                f"法院 {court.code} 已有 {people.get(court.id, 0)} 名人员、{n_records} 条记录，"
                "审计链中却没有该院的任何事件：审计事件疑被清空"
            )
            return VerifyResult(False, checked, None, reason)
        if first_record and first_record + COVERAGE_SLACK < first_event:
            reason = (
                f"法院 {court.code} 最早的记录创建于 {format_at(first_record)}，"
                f"早于该院第一条审计事件（{format_at(first_event)}）：此前的审计事件疑被清空"
            )
            return VerifyResult(False, checked, None, reason)
    return VerifyResult(True, checked)
