"""Appending to the audit chain, its hash format, checkpoints and the two commands."""

import hashlib
import json
from datetime import UTC

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from mingjing.accounts.models import User
from mingjing.security import audit, checkpoints
from mingjing.security.actor import ANONYMOUS, actor_for
from mingjing.security.models import AuditEvent, SigningKey

pytestmark = pytest.mark.django_db


def test_first_event_starts_from_genesis(court):
    event = audit.log_event(action="test.first")
    assert (event.seq, event.prev_hash) == (1, "0" * 64)
    assert (event.actor_id, event.actor_name, event.court_code) == (None, "系统", "")
    assert event.algorithm == "sha256"


def test_each_event_links_to_the_previous(chain):
    for before, after in zip(chain, chain[1:], strict=False):
        assert after.seq == before.seq + 1
        assert after.prev_hash == before.hash


def test_hash_format_is_the_documented_one(court):
    event = audit.log_event(
        action="test.format", court=court, obj=court, detail={"b": 1, "a": "甲"}
    )
    event.refresh_from_db()
    body = {
        "seq": 1,
        "at": event.at.astimezone(UTC).isoformat(),
        "court_code": "豫9001",
        "actor_id": None,
        "actor_name": "系统",
        "action": "test.format",
        "object_type": "org.Court",
        "object_id": str(court.pk),
        "ip": "",
        "detail": {"a": "甲", "b": 1},
        "algorithm": "sha256",
    }
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    expected = hashlib.sha256(("0" * 64 + text).encode("utf-8")).hexdigest()
    assert event.hash == expected


def test_sm3_when_configured_and_a_chain_may_switch(court, settings):
    audit.log_event(action="test.sha")
    settings.MINGJING_CRYPTO = "sm"
    event = audit.log_event(action="test.sm", detail={"x": 1})
    assert event.algorithm == "sm3"
    assert event.hash == audit.event_hash(event.prev_hash, event.__dict__)
    settings.MINGJING_CRYPTO = "aes"
    audit.log_event(action="test.sha.again")
    assert audit.verify_chain().ok


def test_sm3_known_answer():
    expected = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert audit.digest("sm3", b"abc") == expected


def test_detail_is_stored_as_it_reads_back(court):
    detail = {"ids": (1, 2), 3: "三", "x": [0.1, 1.5e-7, 1.0, 1e15, 2**70]}
    event = audit.log_event(action="test.detail", detail=detail)
    event.refresh_from_db()
    assert event.detail == {"ids": [1, 2], "3": "三", "x": [0.1, 1.5e-7, 1.0, 1e15, 2**70]}
    assert audit.verify_chain().ok


def test_detail_must_be_json(court):
    with pytest.raises(TypeError):
        audit.log_event(action="test.bad", detail={"when": object()})
    with pytest.raises(ValueError):
        audit.log_event(action="test.nan", detail={"x": float("nan")})
    with pytest.raises(ValueError):
        audit.log_event(action="test.big", detail={"x": [{"y": 1e16}]})
    assert not AuditEvent.objects.exists()


def test_actor_as_actor_object_gives_name_and_court(cast):
    actor = actor_for(cast.staff)
    event = audit.log_event(action="test.actor", actor=actor)
    assert event.actor_id == cast.staff.pk
    assert event.actor_name == cast.people["staff"].name
    assert event.court_code == "豫9001"


def test_actor_as_user(cast):
    event = audit.log_event(action="test.user", actor=cast.other_court)
    assert (event.actor_id, event.court_code) == (cast.other_court.pk, "豫9002")


def test_user_without_person_is_named_by_username(court):
    user = User.objects.create_user(username="loner", password="x" * 12)
    event = audit.log_event(action="test.loner", actor=user)
    assert (event.actor_name, event.court_code) == ("loner", "")


def test_explicit_court_wins_over_the_actors(cast):
    event = audit.log_event(action="test.court", actor=cast.staff, court=cast.courts["b"])
    assert event.court_code == "豫9002"


def test_request_gives_actor_and_address(cast):
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="6.6.6.6")
    request.actor = actor_for(cast.head)
    event = audit.log_event(action="test.request", request=request)
    assert (event.actor_id, event.ip) == (cast.head.pk, "10.1.2.3")


def test_anonymous_request(court):
    request = RequestFactory().post("/login", REMOTE_ADDR="10.9.9.9")
    request.actor = ANONYMOUS
    event = audit.log_event(action="test.anonymous", request=request)
    assert (event.actor_id, event.actor_name, event.ip) == (None, "匿名", "10.9.9.9")


def test_forwarded_for_only_behind_the_proxy(court, settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 10.0.0.8"
    )
    assert audit.client_ip(request) == "127.0.0.1"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert audit.client_ip(request) == "10.0.0.8"


def test_outer_rollback_takes_the_event_with_it(court):
    audit.log_event(action="test.kept")
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.log_event(action="test.undone")
        raise RuntimeError("mutation failed")
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["test.kept"]
    assert audit.log_event(action="test.next").seq == 2
    assert audit.verify_chain().ok


def test_verify_empty_chain():
    assert audit.verify_chain() == audit.VerifyResult(True, 0)


def test_verify_whole_chain_and_from_a_seq(chain):
    assert audit.verify_chain() == audit.VerifyResult(True, 20)
    assert audit.verify_chain(start_seq=15) == audit.VerifyResult(True, 6)


def test_checkpoint_is_signed_and_verifies(chain):
    doc = checkpoints.make_checkpoint()
    last = chain[-1]
    assert (doc["seq"], doc["hash"], doc["count"]) == (20, last.hash, 20)
    assert doc["algorithm"] == "sha256"
    assert checkpoints.verify_checkpoint(doc)
    assert audit.verify_against_checkpoint(doc).ok


def test_checkpoint_of_an_empty_chain():
    doc = checkpoints.make_checkpoint()
    assert (doc["seq"], doc["count"], doc["at"]) == (0, 0, None)
    assert checkpoints.verify_checkpoint(doc)


@pytest.mark.parametrize(
    ("field", "value"), [("seq", 19), ("hash", "f" * 64), ("count", 21), ("at", None)]
)
def test_altered_checkpoint_fails(chain, field, value):
    doc = checkpoints.make_checkpoint()
    doc[field] = value
    assert not checkpoints.verify_checkpoint(doc)


def test_checkpoint_signed_by_another_key_fails(chain):
    doc = checkpoints.make_checkpoint()
    SigningKey.objects.update(retired_at=timezone.now())
    other = checkpoints.make_checkpoint()
    assert other["key_id"] != doc["key_id"]
    forged = {**doc, "signature": other["signature"]}
    assert not checkpoints.verify_checkpoint(forged)
    assert not checkpoints.verify_checkpoint(
        {**other, "key_id": doc["key_id"]}, public_key_pem=doc["public_key_pem"]
    )
    assert checkpoints.verify_checkpoint(doc) and checkpoints.verify_checkpoint(other)


def test_system_key_is_created_once_and_stored_wrapped(court):
    first = checkpoints.system_key()
    assert checkpoints.system_key() == first
    assert first.court is None and first.algorithm == "ed25519"
    assert first.master_key_id
    assert b"PRIVATE" not in bytes(first.wrapped_private)
    assert len(bytes(first.wrapped_private)) == 12 + 32 + 16


def test_audit_verify_command(chain, capsys):
    call_command("audit_verify")
    assert "审计链完整：共 20 条" in capsys.readouterr().out


def test_audit_export_logs_itself_then_signs(chain, tmp_path, capsys):
    target = tmp_path / "checkpoint.json"
    call_command("audit_export", output=str(target))
    doc = json.loads(target.read_text(encoding="utf-8"))
    export = AuditEvent.objects.get(action="audit.export")
    assert (doc["seq"], doc["hash"]) == (export.seq, export.hash) == (21, export.hash)
    assert checkpoints.verify_checkpoint(doc)
    call_command("audit_verify", checkpoint=str(target))
    out = capsys.readouterr().out
    assert "与检查点一致" in out and "审计链完整：共 21 条" in out


def test_audit_export_to_stdout(chain, capsys):
    call_command("audit_export")
    doc = json.loads(capsys.readouterr().out)
    assert doc["seq"] == 21 and checkpoints.verify_checkpoint(doc)


def test_audit_verify_refuses_a_forged_checkpoint(chain, tmp_path):
    doc = checkpoints.make_checkpoint()
    doc["hash"] = "0" * 64
    target = tmp_path / "forged.json"
    target.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(Exception, match="签名无效"):
        call_command("audit_verify", checkpoint=str(target))


# pytest-django runs transactional tests after the others, in file order: these two last.


@pytest.mark.django_db(transaction=True)
def test_transactional_test_can_flush_the_audit_table():
    """Teardown flushes with TRUNCATE: audit_truncatable lets it through on PostgreSQL."""
    audit.log_event(action="test.transactional")
    assert audit.verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_triggers_are_back_on_after_a_transactional_test():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL 专有：SQLite 没有触发器")
    assert not AuditEvent.objects.exists(), "the previous test's flush emptied the table"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = %s::regclass "
            "AND NOT tgisinternal ORDER BY tgname",
            ["security_auditevent"],
        )
        assert cursor.fetchall() == [
            ("security_auditevent_no_truncate", "O"),
            ("security_auditevent_no_update_delete", "O"),
        ]
