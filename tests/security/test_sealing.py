"""Sealing: round trips in both algorithm families, tamper evidence, binding, blind indexes."""

from datetime import UTC, datetime

import pytest
from django.conf import settings

from mingjing.records.models import Behaviour, Category, Manner, Record, SubjectKind
from mingjing.security import keys
from mingjing.security.crypto import HEADER_BYTES
from mingjing.security.models import CourtKey, KeyPurpose
from mingjing.security.sealing import (
    SealError,
    binding,
    blind_index,
    blob_version,
    normalise_name,
    seal,
    seal_json,
    unseal,
    unseal_json,
    unseal_unbound,
)

# A row binding for values that are not stored (sealing.row_binding writes the same form).
BIND = "records.record:1:sealed"
CONTENTS = {"subject_name": "王某某", "content": "询问案件进展，希望尽快判决。", "n": 3}


@pytest.fixture(autouse=True)
def fresh_key_cache():
    keys.clear_key_cache()
    yield
    keys.clear_key_cache()


@pytest.fixture
def court_a(cast):
    return cast.courts["a"]


@pytest.fixture
def court_b(cast):
    return cast.courts["b"]


def use_family(monkeypatch, family: str) -> None:
    monkeypatch.setattr(settings, "MINGJING_CRYPTO", family)
    keys.clear_key_cache()


def make_record(cast, sealed: bytes) -> Record:
    return Record.objects.create(
        court=cast.courts["a"],
        recorder=cast.people["staff"],
        category=Category.INTERNAL_INQUIRY,
        behaviour=Behaviour.PROGRESS,
        manner=Manner.PHONE,
        subject_kind=SubjectKind.INTERNAL_STAFF,
        occurred_at=datetime(2026, 3, 5, 9, 30, tzinfo=UTC),
        sealed=sealed,
    )


@pytest.mark.parametrize(
    ("family", "algorithm", "index_algorithm"),
    [("aes", "aes-256-gcm", "hmac-sha256"), ("sm", "sm4-gcm", "hmac-sm3")],
)
def test_contents_round_trip_in_each_algorithm_family(
    monkeypatch, court_a, family, algorithm, index_algorithm
):
    use_family(monkeypatch, family)
    blob = seal_json(court_a, CONTENTS, purpose="record", bind=BIND)
    assert unseal_json(court_a, blob, purpose="record", bind=BIND) == CONTENTS
    assert blind_index(court_a, "王某某", kind="name")
    data_key = CourtKey.objects.get(court=court_a, purpose=KeyPurpose.DATA)
    index_key = CourtKey.objects.get(court=court_a, purpose=KeyPurpose.INDEX)
    assert (data_key.algorithm, index_key.algorithm) == (algorithm, index_algorithm)


def test_sm_blobs_still_open_after_the_cache_is_cleared(monkeypatch, court_a):
    use_family(monkeypatch, "sm")
    blob = seal(court_a, b"\x00binary\xff", purpose="attachment-content", bind=BIND)
    keys.clear_key_cache()
    assert unseal(court_a, blob, purpose="attachment-content", bind=BIND) == b"\x00binary\xff"


def test_sealing_the_same_contents_twice_gives_different_blobs(court_a):
    first = seal(court_a, b"same", purpose="record", bind=BIND)
    assert first != seal(court_a, b"same", purpose="record", bind=BIND)


def test_a_blob_starts_with_magic_algorithm_and_key_version(court_a):
    blob = seal(court_a, b"x", purpose="record", bind=BIND)
    assert blob[:HEADER_BYTES] == b"MJ2\x01\x00\x00\x00\x01"
    assert blob_version(blob) == 1
    assert blob_version(b"not sealed") is None


def test_tampering_with_any_byte_fails_with_seal_error(court_a):
    blob = seal(court_a, "张三来电询问案件".encode(), purpose="record", bind=BIND)
    for position in range(len(blob)):
        tampered = bytearray(blob)
        tampered[position] ^= 0x01
        with pytest.raises(SealError):
            unseal(court_a, bytes(tampered), purpose="record", bind=BIND)


def test_a_truncated_or_empty_blob_fails_with_seal_error(court_a):
    blob = seal(court_a, b"contents", purpose="record", bind=BIND)
    for broken in (blob[:-1], blob[: HEADER_BYTES + 5], b"", None):
        with pytest.raises(SealError):
            unseal(court_a, broken, purpose="record", bind=BIND)


def test_a_blob_from_one_court_does_not_open_in_another_that_has_no_keys(court_a, court_b):
    blob = seal(court_a, b"contents", purpose="record", bind=BIND)
    with pytest.raises(SealError):
        unseal(court_b, blob, purpose="record", bind=BIND)
    assert not CourtKey.objects.filter(court=court_b).exists()


def test_a_blob_from_one_court_does_not_open_in_another_with_its_own_keys(court_a, court_b):
    seal(court_b, b"b's own", purpose="record", bind=BIND)
    blob = seal(court_a, b"contents", purpose="record", bind=BIND)
    with pytest.raises(SealError):
        unseal(court_b, blob, purpose="record", bind=BIND)


def test_a_blob_does_not_open_as_another_purpose(court_a):
    blob = seal(court_a, b"file name.png", purpose="attachment-meta", bind=BIND)
    with pytest.raises(SealError):
        unseal(court_a, blob, purpose="attachment-content", bind=BIND)
    with pytest.raises(SealError):
        unseal(court_a, blob, purpose="record", bind=BIND)


def test_a_sealed_record_read_back_from_the_database_opens(cast):
    court = cast.courts["a"]
    record = make_record(cast, b"")
    bind = binding(record, "sealed")
    assert bind == f"records.record:{record.pk}:sealed"
    Record.objects.filter(pk=record.pk).update(
        sealed=seal_json(court, CONTENTS, purpose="record", bind=bind)
    )
    stored = Record.objects.get(pk=record.pk).sealed
    assert unseal_json(court, stored, purpose="record", bind=bind) == CONTENTS


def test_memoryview_and_bytearray_blobs_are_accepted(court_a):
    blob = seal(court_a, bytearray(b"abc"), purpose="record", bind=BIND)
    assert unseal(court_a, memoryview(blob), purpose="record", bind=BIND) == b"abc"


def test_dates_in_json_contents_come_back_as_iso_strings(court_a):
    moment = datetime(2026, 3, 5, 9, 30, tzinfo=UTC)
    blob = seal_json(court_a, {"at": moment}, purpose="record", bind=BIND)
    assert unseal_json(court_a, blob, purpose="record", bind=BIND) == {"at": "2026-03-05T09:30:00Z"}


def test_a_blob_that_is_not_a_json_object_is_refused_by_unseal_json(court_a):
    with pytest.raises(SealError):
        unseal_json(
            court_a,
            seal(court_a, b"[1, 2]", purpose="record", bind=BIND),
            purpose="record",
            bind=BIND,
        )


def test_text_must_be_encoded_and_purposes_well_formed(court_a):
    with pytest.raises(TypeError):
        seal(court_a, "text", purpose="record", bind=BIND)
    with pytest.raises(ValueError):
        seal(court_a, b"x", purpose="Record Contents", bind=BIND)
    for bad in ("", "record", "records.record::sealed", "records.record:1:sealed|x"):
        with pytest.raises(ValueError):
            seal(court_a, b"x", purpose="record", bind=bad)


def test_reading_an_old_version_costs_no_query_once_its_key_is_cached(
    court_a, django_assert_num_queries
):
    blob = seal(court_a, b"x", purpose="record", bind=BIND)
    unseal(court_a, blob, purpose="record", bind=BIND)
    with django_assert_num_queries(0):
        assert unseal(court_a, blob, purpose="record", bind=BIND) == b"x"


@pytest.mark.parametrize(
    "variant",
    ["张三", "张 三", " 张三 ", "张\u3000三", "张\t三\n", "张\u200b三"],
)
def test_blind_index_ignores_spaces_and_invisible_characters(court_a, variant):
    assert blind_index(court_a, variant, kind="name") == blind_index(court_a, "张三", kind="name")


def test_blind_index_equates_full_width_and_half_width_and_case(court_a):
    expected = blind_index(court_a, "zhang san", kind="name")
    for variant in ("ＺＨＡＮＧ　ＳＡＮ", "Zhang San", "ｚｈａｎｇｓａｎ"):
        assert blind_index(court_a, variant, kind="name") == expected


def test_blind_index_equates_name_dots(court_a):
    dotted = blind_index(court_a, "阿依古丽·买买提", kind="name")
    assert dotted == blind_index(court_a, "阿依古丽买买提", kind="name")


def test_blind_index_is_stable_across_calls_and_cache_clears(court_a):
    first = blind_index(court_a, "李四", kind="name")
    keys.clear_key_cache()
    assert blind_index(court_a, "李四", kind="name") == first
    assert len(first) == 64 and int(first, 16) >= 0


def test_blind_index_differs_across_courts_kinds_and_names(court_a, court_b):
    index = blind_index(court_a, "12", kind="name")
    assert index != blind_index(court_b, "12", kind="name")
    assert index != blind_index(court_a, "12", kind="person")
    assert index != blind_index(court_a, "13", kind="name")


def test_blind_index_of_an_empty_value_is_empty_and_creates_no_key(court_a):
    assert blind_index(court_a, "", kind="name") == ""
    assert blind_index(court_a, " \u3000 ", kind="name") == ""
    assert not CourtKey.objects.filter(court=court_a).exists()


def test_blind_index_stays_the_same_after_the_algorithm_family_changes(monkeypatch, court_a):
    before = blind_index(court_a, "王五", kind="name")
    use_family(monkeypatch, "sm")
    assert blind_index(court_a, "王五", kind="name") == before


def test_normalise_name_applies_nfkc_drops_spaces_and_casefolds():
    assert normalise_name(" Ｗａｎｇ　Ｗｕ ") == "wangwu"
    assert normalise_name("王 五") == "王五"
    assert normalise_name("") == ""


# --- row binding -----------------------------------------------------------------------------


def test_a_blob_does_not_open_for_another_row_or_another_field(court_a):
    blob = seal(court_a, b"row one", purpose="record", bind="records.record:1:sealed")
    for other in (
        "records.record:2:sealed",
        "records.record:1:sealed_late_reason",
        "records.specialreport:1:sealed",
        "records.record:11:sealed",
    ):
        with pytest.raises(SealError, match="本条记录或本字段"):
            unseal(court_a, blob, purpose="record", bind=other)
    assert unseal(court_a, blob, purpose="record", bind="records.record:1:sealed") == b"row one"


def test_a_row_without_a_primary_key_cannot_be_bound(cast):
    with pytest.raises(ValueError, match="请先保存"):
        binding(Record(court=cast.courts["a"]), "sealed")


def old_style_blob(court, plaintext: bytes, purpose: str) -> bytes:
    """A blob as sealed before row binding: magic MJ1, AAD header | code | purpose."""
    from mingjing.security.crypto import aead_encrypt, pack_header

    row, raw = keys.current_key(court, KeyPurpose.DATA)
    header = pack_header(b"MJ1", row.algorithm, row.version)
    aad = header + f"|{court.code}|{purpose}".encode()
    return header + aead_encrypt(row.algorithm, raw, plaintext, aad)


def test_a_blob_sealed_before_row_binding_is_refused_by_unseal(court_a):
    blob = old_style_blob(court_a, b"old", "record")
    with pytest.raises(SealError):
        unseal(court_a, blob, purpose="record", bind=BIND)
    assert unseal_unbound(court_a, blob, purpose="record") == b"old"
    with pytest.raises(SealError):  # and a bound blob is not an unbound one
        unseal_unbound(
            court_a, seal(court_a, b"new", purpose="record", bind=BIND), purpose="record"
        )
