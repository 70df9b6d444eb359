"""The audit chain's fast paths: the canonical JSON written out by hand must be the one
json.dumps gives, verification reads rows without the ORM and still catches every change,
and a batch of events appended at once links up like events appended one by one."""

import json
from datetime import UTC, datetime

import pytest

from mingjing.security import audit
from mingjing.security.models import AuditEvent
from tests.security.conftest import AUDIT_TABLE, db_time, dba, rechain_from

pytestmark = pytest.mark.django_db

AWKWARD_STRINGS = [
    "",
    "甲乙丙",
    'quote " and backslash \\',
    "control \x01\x1f and tab\tnewline\n",
    "\u2028\u2029 separators",
    "emoji 😀 and surrogate-free",
    "</script>",
]
# PostgreSQL's jsonb holds no NUL: that one is checked without a database.
NUL = "nul \x00"


@pytest.mark.parametrize("text", [*AWKWARD_STRINGS, NUL])
@pytest.mark.parametrize("actor_id", [None, 0, 7, 2**40])
def test_the_written_out_json_is_json_dumps_of_the_fields(text, actor_id):
    at = datetime(2026, 3, 4, 5, 6, 7, 89, tzinfo=UTC)
    fields = {
        "seq": 12345,
        "at": at,
        "court_code": text,
        "actor_id": actor_id,
        "actor_name": text[::-1],
        "action": f"a.{text}",
        "object_type": text,
        "object_id": text,
        "ip": text,
        "detail": {"z": [1, 2.5, None, True], "a": {"y": text, "b": "甲"}, text: 1},
        "algorithm": "sha256",
    }
    reference = {**fields, "at": at.isoformat()}
    expected = json.dumps(reference, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    written = audit.event_json(
        fields["seq"],
        audit.format_at(at),
        fields["court_code"],
        actor_id,
        fields["actor_name"],
        fields["action"],
        fields["object_type"],
        fields["object_id"],
        fields["ip"],
        audit.canonical_json(fields["detail"]),
        "sha256",
    )
    assert written == expected


def test_events_with_awkward_values_verify_after_a_round_trip_through_the_database(court):
    for n, text in enumerate(AWKWARD_STRINGS):
        detail = {"text": text, "n": n, "nested": {"b": [text], "a": 1.5}} if n % 2 else {}
        audit.log_event(action=f"test.awkward{n}", court=court, detail=detail)
    # One event whose time has no microseconds (stored without a fraction), rehashed.
    last = audit.log_event(action="test.whole-second")
    with dba() as cursor:
        cursor.execute(
            f"UPDATE {AUDIT_TABLE} SET at = %s WHERE seq = %s",
            [db_time(datetime(2026, 1, 1, 8, 0, 0, tzinfo=UTC)), last.seq],
        )
    rechain_from(last.seq)
    assert AuditEvent.objects.get(seq=last.seq).at.microsecond == 0
    result = audit.verify_chain()
    assert result.ok, result
    assert result.checked == len(AWKWARD_STRINGS) + 1


def test_a_changed_detail_or_time_is_still_caught(court):
    for n in range(5):
        audit.log_event(action="test.row", court=court, detail={"n": n})
    with dba() as cursor:
        cursor.execute(f"UPDATE {AUDIT_TABLE} SET detail = %s WHERE seq = 3", ['{"n": 99}'])
    result = audit.verify_chain()
    assert (result.ok, result.first_bad_seq, result.checked) == (False, 3, 2)
    assert result.reason == "内容与摘要不符，疑被篡改"


def test_a_batch_links_up_and_verifies_like_single_events(court):
    audit.log_event(action="test.before")
    appended = audit.log_events(
        ({"action": "test.batch", "court": court, "detail": {"n": n}} for n in range(2500)),
        batch_size=1000,
    )
    after = audit.log_event(action="test.after")
    assert appended == 2500
    events = list(AuditEvent.objects.order_by("seq").values_list("seq", "prev_hash", "hash"))
    assert [seq for seq, _, _ in events] == list(range(1, 2503))
    for (_, _, before_hash), (_, prev_hash, _) in zip(events, events[1:], strict=False):
        assert prev_hash == before_hash
    assert after.seq == 2502
    assert AuditEvent.objects.filter(action="test.batch", court_code=court.code).count() == 2500
    result = audit.verify_chain()
    assert (result.ok, result.checked) == (True, 2502)


def test_verification_streams_from_a_start_in_chunks(court, monkeypatch):
    monkeypatch.setattr(audit, "VERIFY_CHUNK", 7)
    audit.log_events({"action": "test.chunk", "detail": {"n": n}} for n in range(50))
    result = audit.verify_chain(start_seq=20)
    assert (result.ok, result.checked) == (True, 31)
