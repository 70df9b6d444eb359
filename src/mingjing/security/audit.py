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

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

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
    body = {name: fields[name] for name in HASHED_FIELDS}
    body["at"] = format_at(body["at"])
    payload = prev_hash.encode("ascii") + canonical_json(body).encode("utf-8")
    return digest(body["algorithm"], payload)


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

_ROW_FIELDS = (*HASHED_FIELDS, "prev_hash", "hash")


def _rows(start_seq: int) -> Iterator[dict[str, Any]]:
    """Events from `start_seq` on, in order, a chunk at a time (memory stays flat)."""
    query = AuditEvent.objects.filter(seq__gte=start_seq).order_by("seq").values(*_ROW_FIELDS)
    rows: Iterator[dict[str, Any]] = query.iterator(chunk_size=VERIFY_CHUNK)
    return rows


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
    checked = 0
    for row in _rows(start):
        expected_seq = start + checked
        reason = _row_problem(row, expected_seq, prev_hash)
        if reason:
            return VerifyResult(False, checked, expected_seq, reason)
        prev_hash = row["hash"]
        checked += 1
    return VerifyResult(True, checked)


def _hash_before(start: int) -> str | None:
    if start == 1:
        return GENESIS_HASH
    return AuditEvent.objects.filter(seq=start - 1).values_list("hash", flat=True).first()


def _row_problem(row: Mapping[str, Any], expected_seq: int, prev_hash: str) -> str:
    """Why `row` breaks the chain, or "" when it holds."""
    if row["seq"] != expected_seq:
        return f"该条审计事件缺失（序号从 {expected_seq - 1} 直接跳到 {row['seq']}），疑被删除"
    if row["prev_hash"] != prev_hash:
        return "前一摘要与上一条事件的摘要不符，链条断裂（疑有删除、插入或调换）"
    if row["algorithm"] not in (SHA256, SM3):
        return f"未知的摘要算法 {row['algorithm']!r}"
    if event_hash(row["prev_hash"], row) != row["hash"]:
        return "内容与摘要不符，疑被篡改"
    return ""


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
