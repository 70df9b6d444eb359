"""Keys: the master key file, court keys, rotation, re-encryption, re-wrapping, the command."""

import re
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from mingjing.records.models import (
    Attachment,
    Behaviour,
    Category,
    Manner,
    PendingUpload,
    Record,
    SubjectKind,
)
from mingjing.records.services import pending_name, pending_upload_add, pending_uploads
from mingjing.security import checkpoints, keys, masterkey, reencrypt
from mingjing.security.actor import actor_for
from mingjing.security.crypto import KEY_BYTES, SM4_GCM
from mingjing.security.models import AuditEvent, CourtKey, KeyPurpose, SigningKey
from mingjing.security.sealing import (
    binding,
    blind_index,
    blob_version,
    seal,
    seal_json,
    unseal,
    unseal_json,
)
from tests.recording.helpers import PNG

BIND = "records.record:1:sealed"
SECRET_SENTENCE = "某局长来电请求对借款案件从轻处理"


@pytest.fixture(autouse=True)
def fresh_key_cache():
    keys.clear_key_cache()
    yield
    keys.clear_key_cache()


@pytest.fixture
def court(cast):
    return cast.courts["a"]


@pytest.fixture
def key_file(tmp_path, settings):
    """Point MINGJING_MASTER_KEY_FILE at a temporary file; call it with the lines to write."""
    path = tmp_path / "master.key"

    def write(*lines: str) -> Path:
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        settings.MINGJING_MASTER_KEY_FILE = str(path)
        keys.clear_key_cache()
        return path

    return write


def make_record(cast, contents: dict, late_reason: str = "") -> Record:
    """A record whose contents are sealed bound to it (the row first, as the services do)."""
    court = cast.courts["a"]
    record = Record.objects.create(
        court=court,
        recorder=cast.people["staff"],
        category=Category.LEADER_INTERFERENCE,
        behaviour=Behaviour.PLEA,
        manner=Manner.IN_PERSON,
        subject_kind=SubjectKind.EXTERNAL_CADRE,
        occurred_at=datetime(2026, 3, 5, 9, 30, tzinfo=UTC),
        sealed=b"",
        late_reason=late_reason,
    )
    record.sealed = seal_json(court, contents, purpose="record", bind=binding(record, "sealed"))
    Record.objects.filter(pk=record.pk).update(sealed=record.sealed)
    return record


def make_attachment(record: Record, name: str, content: bytes) -> Attachment:
    court = record.court
    attachment = Attachment.objects.create(
        record=record, size=len(content), sealed_meta=b"", sealed_content=b""
    )
    attachment.sealed_meta = seal_json(
        court, {"name": name}, purpose="attachment-meta", bind=binding(attachment, "sealed_meta")
    )
    attachment.sealed_content = seal(
        court, content, purpose="attachment-content", bind=binding(attachment, "sealed_content")
    )
    attachment.save()
    return attachment


def audit_actions() -> list[str]:
    return list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))


# --- the master key file ---------------------------------------------------------------------


def test_a_missing_master_key_setting_is_refused_outside_tests(settings):
    settings.TESTING = False
    settings.MINGJING_MASTER_KEY_FILE = None
    with pytest.raises(ImproperlyConfigured, match="MINGJING_MASTER_KEY_FILE"):
        masterkey.load_master_keys()


def test_a_master_key_file_that_does_not_exist_is_refused(tmp_path, settings):
    settings.TESTING = False
    settings.MINGJING_MASTER_KEY_FILE = str(tmp_path / "absent.key")
    with pytest.raises(ImproperlyConfigured, match="MINGJING_MASTER_KEY_FILE"):
        masterkey.current_master()


def test_a_malformed_master_key_line_is_refused_without_echoing_it(key_file):
    key_file("a1b2c3d4:" + "ab" * 32, "secret-looking-but-wrong")
    with pytest.raises(ImproperlyConfigured, match="第 2 行") as error:
        masterkey.load_master_keys()
    assert "secret-looking-but-wrong" not in str(error.value)


def test_an_empty_master_key_file_is_refused(key_file):
    key_file("# nothing here")
    with pytest.raises(ImproperlyConfigured, match="没有密钥"):
        masterkey.load_master_keys()


def test_duplicate_master_key_ids_are_refused(key_file):
    key_file("k1:" + "11" * 32, "k1:" + "22" * 32)
    with pytest.raises(ImproperlyConfigured, match="重复"):
        masterkey.load_master_keys()


def test_the_first_line_is_the_current_master_and_bare_lines_get_a_derived_id(key_file):
    bare = "cd" * 32
    key_file("# rotated 2026-03", "new1:" + "ab" * 32, "", bare)
    current, older = masterkey.load_master_keys()
    assert current.key_id == "new1" and current.secret == bytes.fromhex("ab" * 32)
    assert older.key_id == masterkey.key_id_for(bytes.fromhex(bare))
    assert re.fullmatch(r"[0-9a-f]{8}", older.key_id)


def test_under_tests_without_a_file_a_fixed_test_key_is_used(settings):
    settings.MINGJING_MASTER_KEY_FILE = None
    assert masterkey.current_master() == masterkey.testing_master_key()


def test_the_system_check_reports_a_missing_master_key_outside_tests(settings):
    settings.TESTING = False
    settings.MINGJING_MASTER_KEY_FILE = None
    (error,) = masterkey.check_master_key()
    assert error.id == "mingjing.E001" and "MINGJING_MASTER_KEY_FILE" in error.msg


def test_sm4_uses_the_first_sixteen_bytes_of_the_master_key():
    master = masterkey.MasterKey("k", bytes(range(32)))
    assert master.for_algorithm(SM4_GCM) == bytes(range(16))
    assert len(master.for_algorithm("aes-256-gcm")) == 32


def test_generate_master_prints_a_line_the_key_file_accepts():
    out, err = StringIO(), StringIO()
    call_command("keys", "generate-master", stdout=out, stderr=err)
    (key,) = masterkey.parse_master_keys(out.getvalue())
    assert out.getvalue().strip() == f"{key.key_id}:{key.secret.hex()}"
    assert key.key_id == masterkey.key_id_for(key.secret) and "第一行" in err.getvalue()


# --- court keys ------------------------------------------------------------------------------


def test_the_first_seal_creates_one_wrapped_data_key(court):
    seal(court, b"x", purpose="record", bind=BIND)
    seal(court, b"y", purpose="record", bind=BIND)
    row = CourtKey.objects.get(court=court, purpose=KeyPurpose.DATA)
    _row, raw = keys.current_key(court, KeyPurpose.DATA)
    assert row.version == 1 and len(raw) == KEY_BYTES[row.algorithm]
    assert raw not in bytes(row.wrapped)
    assert row.master_key_id == masterkey.current_master().key_id


def test_losing_the_race_for_the_first_key_uses_the_winners_key(court, monkeypatch):
    winner, winner_raw = keys.current_key(court, KeyPurpose.DATA)
    keys.clear_key_cache()
    real_latest = keys._latest
    calls = []

    def latest_not_yet_visible(court, purpose):
        calls.append(purpose)
        return None if len(calls) == 1 else real_latest(court, purpose)

    monkeypatch.setattr(keys, "_latest", latest_not_yet_visible)
    row, raw = keys.current_key(court, KeyPurpose.DATA)
    assert (row.pk, raw) == (winner.pk, winner_raw)
    assert CourtKey.objects.filter(court=court).count() == 1


def test_a_second_key_with_the_same_version_is_refused_by_the_database(court):
    row, _raw = keys.current_key(court, KeyPurpose.DATA)
    with pytest.raises(IntegrityError):
        CourtKey.objects.create(
            court=court, purpose=row.purpose, version=1, algorithm=row.algorithm, wrapped=b""
        )


def test_a_wrapped_key_moved_to_another_court_does_not_open(cast):
    court_a, court_b = cast.courts["a"], cast.courts["b"]
    row_a, _raw = keys.current_key(court_a, KeyPurpose.DATA)
    row_b, _raw = keys.current_key(court_b, KeyPurpose.DATA)
    CourtKey.objects.filter(pk=row_b.pk).update(wrapped=row_a.wrapped)
    keys.clear_key_cache()
    with pytest.raises(keys.KeyUnwrapError):
        keys.key_by_version(court_b, KeyPurpose.DATA, 1)


# --- rotation --------------------------------------------------------------------------------


def test_after_rotation_new_seals_use_version_two_and_old_blobs_still_open(court):
    old = seal(court, b"before rotation", purpose="record", bind=BIND)
    row = keys.rotate_data_key(court)
    new = seal(court, b"after rotation", purpose="record", bind=BIND)
    assert (row.version, blob_version(old), blob_version(new)) == (2, 1, 2)
    keys.clear_key_cache()
    assert unseal(court, old, purpose="record", bind=BIND) == b"before rotation"
    assert unseal(court, new, purpose="record", bind=BIND) == b"after rotation"
    assert CourtKey.objects.get(court=court, purpose="data", version=1).retired_at is not None
    assert "keys.rotate" in audit_actions()


def test_rotation_never_touches_the_blind_index_key(court):
    before = blind_index(court, "张三", kind="name")
    keys.rotate_data_key(court)
    keys.rotate_data_key(court)
    assert blind_index(court, "张三", kind="name") == before
    assert CourtKey.objects.filter(court=court, purpose=KeyPurpose.INDEX).count() == 1


def test_switching_to_sm_takes_effect_at_the_next_rotation(court, settings):
    old = seal(court, b"aes", purpose="record", bind=BIND)
    settings.MINGJING_CRYPTO = "sm"
    assert keys.rotate_data_key(court).algorithm == SM4_GCM
    new = seal(court, b"sm4", purpose="record", bind=BIND)
    assert new[3] == 2 and unseal(court, old, purpose="record", bind=BIND) == b"aes"
    assert unseal(court, new, purpose="record", bind=BIND) == b"sm4"


def test_reencrypt_moves_every_value_to_the_newest_version_unchanged(cast):
    court = cast.courts["a"]
    contents = [{"content": f"{SECRET_SENTENCE}{n}", "n": n} for n in range(5)]
    contents.append({"content": "a late contact report"})
    records = [
        make_record(cast, item, late_reason="出差" * (n == 5)) for n, item in enumerate(contents)
    ]
    attachment = make_attachment(records[0], "请托短信.png", b"\x89PNG secret bytes")
    kept = pending_upload_add(actor=actor_for(cast.staff), name="录音截图.png", data=PNG)
    updated_at = {r.pk: r.updated_at for r in Record.objects.all()}
    keys.rotate_data_key(court)
    calls = []
    counts = reencrypt.reencrypt(court, batch_size=2, progress=lambda *args: calls.append(args))
    assert counts == {
        "record": 6,
        "late-reason": 1,
        "attachment-meta": 1,
        "attachment-content": 1,
        "amendment": 0,
        "special-report": 0,
        "screening-note": 0,
        "disclosure-reason": 0,
        "decision-note": 0,
        "return-reason": 0,
        "review-note": 0,
        "signing-key": 0,
        "pending-meta": 1,
        "pending-content": 1,
    }
    assert ("record", 2, 6) in calls and ("record", 6, 6) in calls
    keys.clear_key_cache()
    for record, item in zip(records, contents, strict=True):
        stored = Record.objects.get(pk=record.pk)
        assert blob_version(stored.sealed) == 2 and stored.updated_at == updated_at[record.pk]
        bind = binding(stored, "sealed")
        assert unseal_json(court, stored.sealed, purpose="record", bind=bind) == item
    stored = Attachment.objects.get(pk=attachment.pk)
    meta = unseal_json(
        court, stored.sealed_meta, purpose="attachment-meta", bind=binding(stored, "sealed_meta")
    )
    assert meta["name"] == "请托短信.png"
    bind = binding(stored, "sealed_content")
    assert unseal(court, stored.sealed_content, purpose="attachment-content", bind=bind) == (
        b"\x89PNG secret bytes"
    )
    stored_kept = PendingUpload.objects.get(pk=kept.pk)
    assert blob_version(stored_kept.sealed_content) == 2
    assert pending_uploads(actor_for(cast.staff), [kept.token]) == [stored_kept]
    assert pending_name(stored_kept) == "录音截图.png"
    assert PNG not in bytes(stored_kept.sealed_content)
    # the late reason is re-sealed too, still bound to its own row and column
    assert Record.objects.get(pk=records[5].pk).late_reason == "出差"
    assert blob_version(Record.objects.get(pk=records[5].pk).sealed_late_reason) == 2
    assert audit_actions()[-1] == "keys.reencrypt"


def test_reencrypt_leaves_other_courts_and_current_values_alone(cast):
    court_a, court_b = cast.courts["a"], cast.courts["b"]
    other = seal(court_b, b"court b", purpose="record", bind=BIND)
    make_record(cast, {"content": "v1"})
    keys.rotate_data_key(court_a)
    assert reencrypt.reencrypt(court_a)["record"] == 1
    assert reencrypt.reencrypt(court_a)["record"] == 0
    assert unseal(court_b, other, purpose="record", bind=BIND) == b"court b"


def test_content_versions_counts_values_per_key_version(cast):
    court = cast.courts["a"]
    make_record(cast, {"content": "one"})
    keys.rotate_data_key(court)
    make_record(cast, {"content": "two"})
    make_record(cast, {"content": "three"})
    assert reencrypt.content_versions(court)["record"] == {1: 1, 2: 2}


# --- re-wrapping under a new master key ------------------------------------------------------


def test_rewrap_under_a_new_master_keeps_everything_readable(cast, key_file):
    court = cast.courts["a"]
    old_line, new_line = masterkey.generate_master_line(), masterkey.generate_master_line()
    key_file(old_line)
    record = make_record(cast, {"content": SECRET_SENTENCE})
    index = blind_index(court, "张三", kind="name")

    key_file(new_line, old_line)
    counts = keys.rewrap_all()
    assert counts["court_keys"] == 2
    new_id = new_line.split(":")[0]
    assert set(CourtKey.objects.values_list("master_key_id", flat=True)) == {new_id}

    key_file(new_line)
    stored = Record.objects.get(pk=record.pk).sealed
    bind = binding(record, "sealed")
    assert unseal_json(court, stored, purpose="record", bind=bind) == {"content": SECRET_SENTENCE}
    assert blind_index(court, "张三", kind="name") == index
    assert (
        unseal(court, seal(court, b"new", purpose="record", bind=BIND), purpose="record", bind=BIND)
        == b"new"
    )
    assert audit_actions()[-1] == "keys.rewrap"


def test_removing_the_old_master_line_before_rewrap_makes_contents_unreadable(cast, key_file):
    old_line, new_line = masterkey.generate_master_line(), masterkey.generate_master_line()
    key_file(old_line)
    record = make_record(cast, {"content": SECRET_SENTENCE})
    key_file(new_line)
    with pytest.raises(ImproperlyConfigured, match="rewrap"):
        unseal_json(cast.courts["a"], record.sealed, purpose="record", bind=BIND)
    with pytest.raises(ImproperlyConfigured):
        keys.rewrap_all()


def test_rewrap_also_rewraps_signing_keys(court, key_file):
    old_line, new_line = masterkey.generate_master_line(), masterkey.generate_master_line()
    key_file(old_line)
    master_id, wrapped = keys.wrap_signing_key(b"private", key_id="court-a-1")
    SigningKey.objects.create(
        court=court,
        key_id="court-a-1",
        public_key="-",
        master_key_id=master_id,
        wrapped_private=wrapped,
    )
    checkpoints.system_key()
    key_file(new_line, old_line)
    assert keys.rewrap_all()["signing_keys"] == 2
    key_file(new_line)
    assert keys.unwrap_signing_key(SigningKey.objects.get(key_id="court-a-1")) == b"private"
    assert checkpoints.verify_checkpoint(checkpoints.make_checkpoint())


def test_rewrap_with_nothing_to_do_changes_nothing(court):
    keys.current_key(court, KeyPurpose.DATA)
    assert keys.rewrap_all() == {"court_keys": 0, "signing_keys": 0, "totp_secrets": 0}


# --- the command -----------------------------------------------------------------------------


def run_keys(*args: str) -> str:
    out = StringIO()
    call_command("keys", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_keys_status_shows_versions_and_counts_but_never_contents(cast):
    record = make_record(cast, {"subject_name": "欧阳某某", "content": SECRET_SENTENCE})
    make_attachment(record, "请托短信.png", b"bytes")
    blind_index(cast.courts["a"], "欧阳某某", kind="name")
    output = run_keys("status")
    assert "豫9001" in output and "v1" in output and "记录: v1: 1" in output
    assert "附件内容: v1: 1" in output
    for secret in ("欧阳某某", SECRET_SENTENCE, "请托短信"):
        assert secret not in output


def test_keys_rotate_rotates_one_court_or_all(cast):
    output = run_keys("rotate", "--court", "豫9001")
    assert "豫9001: 新数据密钥 v1" in output
    assert not CourtKey.objects.filter(court=cast.courts["b"]).exists()
    run_keys("rotate")
    versions = CourtKey.objects.filter(purpose="data").values_list("court__code", "version")
    assert ("豫9001", 2) in versions and ("豫9002", 1) in versions


def test_keys_rotate_with_reencrypt_reseals_old_contents_and_prints_progress(cast):
    record = make_record(cast, {"content": SECRET_SENTENCE})
    output = run_keys("rotate", "--court", "豫9001", "--reencrypt", "--batch-size", "1")
    assert "重新加密记录: 1/1" in output and SECRET_SENTENCE not in output
    assert blob_version(Record.objects.get(pk=record.pk).sealed) == 2
    assert {"keys.rotate", "keys.reencrypt"} <= set(audit_actions())


def test_keys_rotate_refuses_an_unknown_court(cast):
    with pytest.raises(CommandError, match="法院代码不存在"):
        run_keys("rotate", "--court", "无此院")


def test_keys_rewrap_reports_what_it_rewrapped(cast, key_file):
    old_line, new_line = masterkey.generate_master_line(), masterkey.generate_master_line()
    key_file(old_line)
    make_record(cast, {"content": "x"})
    key_file(new_line, old_line)
    assert "法院密钥 1 个" in run_keys("rewrap")


def test_keys_commands_explain_a_missing_master_key(cast, settings):
    settings.TESTING = False
    settings.MINGJING_MASTER_KEY_FILE = None
    with pytest.raises(CommandError, match="MINGJING_MASTER_KEY_FILE"):
        run_keys("status")
