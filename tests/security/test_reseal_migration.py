"""The migrations to row-bound sealing (records 0004, oversight 0003, reporting 0002): data
written the old way (plain notes, blobs bound to court and purpose only) is re-sealed, bound
to its row and column, and reads back the same through the app; unapplying them restores the
old form. Run on the suite's database: migrate back, write old rows, migrate forward.
"""

import json
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from mingjing.oversight.models import DisclosureRequest
from mingjing.records.models import Attachment, Record
from mingjing.reporting.models import CourtReport, MonthlyReport
from mingjing.security import keys, reseal
from mingjing.security.crypto import aead_encrypt, pack_header
from mingjing.security.models import KeyPurpose
from mingjing.security.sealing import (
    SealError,
    binding,
    is_unbound,
    unseal,
    unseal_json,
    unseal_unbound,
)

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("records", "0003_named_subjects"),
    ("oversight", "0002_initial"),
    ("reporting", "0001_initial"),
]
AFTER = [
    ("records", "0004_sealed_late_reason"),
    ("oversight", "0003_sealed_reasons"),
    # Through the latest reporting migration: the test reads rows with today's model.
    ("reporting", "0003_monthly_routes"),
]
CONTENTS = {"subject_name": "旧数据某某", "content": "迁移前密封的内容"}


def old_style_blob(court, plaintext: bytes, purpose: str) -> bytes:
    """Sealed as before row binding: magic MJ1, AAD = header | court code | purpose."""
    row, raw = keys.current_key(court, KeyPurpose.DATA)
    header = pack_header(b"MJ1", row.algorithm, row.version)
    return header + aead_encrypt(
        row.algorithm, raw, plaintext, header + f"|{court.code}|{purpose}".encode()
    )


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_migrating_reseals_old_rows_bound_to_their_row_and_back(cast):
    court = cast.courts["a"]
    old = migrate(BEFORE)
    old_record = old.get_model("records", "Record")
    old_attachment = old.get_model("records", "Attachment")
    old_disclosure = old.get_model("oversight", "DisclosureRequest")
    old_monthly = old.get_model("reporting", "MonthlyReport")
    old_court_report = old.get_model("reporting", "CourtReport")

    sealed = old_style_blob(court, json.dumps(CONTENTS).encode(), "record")
    fields = dict(
        court_id=court.pk,
        recorder_id=cast.people["staff"].pk,
        category="leader_interference",
        behaviour="plea",
        manner="phone",
        subject_kind="external_cadre",
        occurred_at=datetime(2026, 3, 5, 9, 30, tzinfo=UTC),
        status="submitted",
    )
    first = old_record.objects.create(**fields, sealed=sealed, late_reason="出差未归")
    # the same old blob in a second row: the old scheme opened it there too
    second = old_record.objects.create(**fields, sealed=sealed, late_reason="")
    attachment = old_attachment.objects.create(
        record_id=first.pk,
        size=3,
        sealed_meta=old_style_blob(court, b'{"name": "old.png"}', "attachment-meta"),
        sealed_content=old_style_blob(court, b"old", "attachment-content"),
    )
    disclosure = old_disclosure.objects.create(
        court_id=court.pk,
        requester_id=cast.people["inspector"].pk,
        kind="view",
        reason="核查旧线索",
        decision_note="同意",
    )
    monthly = old_monthly.objects.create(
        court_id=court.pk,
        person_id=cast.people["staff"].pk,
        month=date(2026, 3, 1),
        submitted_at=datetime(2026, 4, 1, tzinfo=UTC),
        status="returned",
        return_reason="请补充",
    )
    court_report = old_court_report.objects.create(
        court_id=court.pk,
        month=date(2026, 3, 1),
        assembled_by_id=cast.people["custodian"].pk,
        assembled_at=datetime(2026, 4, 5, tzinfo=UTC),
        review_note="已阅",
    )

    migrate(AFTER)
    keys.clear_key_cache()
    record = Record.objects.get(pk=first.pk)
    assert not is_unbound(record.sealed) and bytes(record.sealed)[:3] == b"MJ2"
    bind = binding(record, "sealed")
    assert unseal_json(court, record.sealed, purpose="record", bind=bind) == CONTENTS
    assert record.late_reason == "出差未归"
    other = Record.objects.get(pk=second.pk)
    assert other.late_reason == "" and bytes(other.sealed) != bytes(record.sealed)
    with pytest.raises(SealError):  # each copy now opens only in its own row
        unseal(court, other.sealed, purpose="record", bind=bind)
    stored = Attachment.objects.get(pk=attachment.pk)
    assert unseal(
        court,
        stored.sealed_content,
        purpose="attachment-content",
        bind=binding(stored, "sealed_content"),
    ) == (b"old")
    assert DisclosureRequest.objects.get(pk=disclosure.pk).reason == "核查旧线索"
    assert DisclosureRequest.objects.get(pk=disclosure.pk).decision_note == "同意"
    assert MonthlyReport.objects.get(pk=monthly.pk).return_reason == "请补充"
    assert CourtReport.objects.get(pk=court_report.pk).review_note == "已阅"
    # Running the re-seal again changes nothing.
    assert reseal.reseal_unbound(Record, "sealed", "record") == 0

    # Unapplying restores what the previous code reads: plain notes, unbound blobs.
    old = migrate(BEFORE)
    row = old.get_model("records", "Record").objects.get(pk=first.pk)
    assert row.late_reason == "出差未归" and is_unbound(row.sealed)
    assert json.loads(unseal_unbound(court, row.sealed, purpose="record")) == CONTENTS
    assert old.get_model("oversight", "DisclosureRequest").objects.get().reason == "核查旧线索"
    assert old.get_model("reporting", "MonthlyReport").objects.get().return_reason == "请补充"
    migrate(AFTER)
    assert Record.objects.get(pk=first.pk).late_reason == "出差未归"


def test_the_migrations_run_on_an_empty_database():
    migrate(BEFORE)
    migrate(AFTER)
    assert not Record.objects.exists()
