"""A stolen database holds no plaintext: dump everything and search it for the contents.

SQLite: the suite's test database lives in memory, so it is copied with the backup API into a
file in WAL mode and both the database file and its -wal file are read. PostgreSQL: the
committed test database is dumped with pg_dump. Each secret is searched for in UTF-8,
GB18030, UTF-16 (both byte orders), JSON escapes and hexadecimal (how pg_dump writes bytea).
A plain field (the case number) must be found, so the search is known to see the data.
"""

import json
import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.db import connection

from mingjing.oversight.models import Classification, DisclosureRequest, Screening
from mingjing.records.models import (
    Amendment,
    Attachment,
    Behaviour,
    Category,
    Manner,
    Record,
    SubjectKind,
)
from mingjing.reporting.models import CourtReport, MonthlyReport
from mingjing.security import keys
from mingjing.security.sealing import binding, blind_index, seal, seal_json

SUBJECT_NAME = "司徒翰墨"
SUBJECT_UNIT = "东海县水利局"
PHONE = "13912345678"
CONTENT = "请你关照一下那个借款案子，尽快判原告胜诉"
HANDLING = "当场拒绝并如实记录"
FILE_NAME = "请托短信截图.png"
FILE_BYTES = b"\x89PNG\r\n\x1a\nATTACHMENT-PAYLOAD-7f3a9c" + "转账凭证五万元".encode()
# Free-text notes about a record, outside its contents (issue 8.5): each sealed in its column.
LATE_REASON = "出差在外未能及时报告律师宴请"
DISCLOSURE_REASON = "核查举报：某律师与承办法官多次饭局"
DECISION_NOTE = "同意查阅，限督察室内部使用"
RETURN_REASON = "漏报了三月五日律师登门一事"
REVIEW_NOTE = "已阅，对律师宴请一事约谈"
AMENDMENT_TEXT = "更正：宴请地点为某酒楼包间"
SCREENING_NOTE = "经核实属于不正当接触交往"
NOTES = (
    LATE_REASON,
    DISCLOSURE_REASON,
    DECISION_NOTE,
    RETURN_REASON,
    REVIEW_NOTE,
    AMENDMENT_TEXT,
    SCREENING_NOTE,
)
TEXT_SECRETS = (
    SUBJECT_NAME,
    SUBJECT_UNIT,
    PHONE,
    CONTENT,
    HANDLING,
    FILE_NAME,
    "转账凭证五万元",
    *NOTES,
)
PLAIN_FIELD = "（2026）豫9001民初123号"
ENCODINGS = ("utf-8", "gb18030", "utf-16-le", "utf-16-be")

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_key_cache():
    keys.clear_key_cache()
    yield
    keys.clear_key_cache()


def needles(text: str) -> set[bytes]:
    """Every byte form a plaintext string could take in a dump."""
    found = {json.dumps(text)[1:-1].encode("ascii")}
    for encoding in ENCODINGS:
        encoded = text.encode(encoding)
        found |= {encoded, encoded.hex().encode("ascii")}
    return found


def all_needles() -> dict[bytes, str]:
    forms = {form: text for text in TEXT_SECRETS for form in needles(text)}
    forms[FILE_BYTES] = "attachment bytes"
    forms[FILE_BYTES.hex().encode("ascii")] = "attachment bytes (hex)"
    return forms


def store_confidential_contents(cast) -> None:
    """Contents and every free-text note, stored the way the app stores them: rows first, then
    values sealed bound to them; notes through their model attributes (SealedText)."""
    court, staff = cast.courts["a"], cast.people["staff"]
    contents = {
        "subject_name": SUBJECT_NAME,
        "subject_unit": SUBJECT_UNIT,
        "subject_contact": PHONE,
        "content": CONTENT,
        "handling": HANDLING,
    }
    record = Record.objects.create(
        court=court,
        recorder=staff,
        category=Category.LEADER_INTERFERENCE,
        behaviour=Behaviour.PLEA,
        manner=Manner.PHONE,
        subject_kind=SubjectKind.EXTERNAL_CADRE,
        occurred_at=datetime(2026, 3, 5, 9, 30, tzinfo=UTC),
        subject_name_index=blind_index(court, SUBJECT_NAME, kind="name"),
        sealed=b"",
        late_reason=LATE_REASON,
    )
    record.sealed = seal_json(court, contents, purpose="record", bind=binding(record, "sealed"))
    record.save()
    record.cases.add(cast.case)
    attachment = Attachment.objects.create(
        record=record, size=len(FILE_BYTES), sealed_meta=b"", sealed_content=b""
    )
    attachment.sealed_meta = seal_json(
        court,
        {"name": FILE_NAME},
        purpose="attachment-meta",
        bind=binding(attachment, "sealed_meta"),
    )
    attachment.sealed_content = seal(
        court, FILE_BYTES, purpose="attachment-content", bind=binding(attachment, "sealed_content")
    )
    attachment.save()
    amendment = Amendment.objects.create(record=record, author=staff, sealed=b"")
    amendment.sealed = seal_json(
        court,
        {"correction": AMENDMENT_TEXT},
        purpose="amendment",
        bind=binding(amendment, "sealed"),
    )
    amendment.save()
    screening = Screening.objects.create(
        record=record,
        classification=Classification.IMPROPER_CONTACT,
        screened_by=cast.people["custodian"],
        screened_at=datetime(2026, 3, 9, tzinfo=UTC),
    )
    screening.sealed_note = seal_json(
        court,
        {"classification": SCREENING_NOTE},
        purpose="screening-note",
        bind=binding(screening, "sealed_note"),
    )
    screening.save()
    disclosure = DisclosureRequest.objects.create(
        court=court,
        requester=cast.people["inspector"],
        kind="view",
        reason=DISCLOSURE_REASON,
        decision_note=DECISION_NOTE,
    )
    disclosure.records.add(record)
    MonthlyReport.objects.create(
        court=court,
        person=staff,
        month=date(2026, 3, 1),
        submitted_at=datetime(2026, 4, 1, tzinfo=UTC),
        return_reason=RETURN_REASON,
    )
    CourtReport.objects.create(
        court=court,
        month=date(2026, 3, 1),
        assembled_by=cast.people["custodian"],
        assembled_at=datetime(2026, 4, 5, tzinfo=UTC),
        review_note=REVIEW_NOTE,
    )
    # The search below is only meaningful if every note is really stored and reads back.
    stored = {
        Record.objects.get(pk=record.pk).late_reason,
        DisclosureRequest.objects.get(pk=disclosure.pk).reason,
        DisclosureRequest.objects.get(pk=disclosure.pk).decision_note,
        MonthlyReport.objects.get(court=court).return_reason,
        CourtReport.objects.get(court=court).review_note,
    }
    assert stored == {LATE_REASON, DISCLOSURE_REASON, DECISION_NOTE, RETURN_REASON, REVIEW_NOTE}


def assert_no_plaintext(dump: bytes) -> None:
    assert PLAIN_FIELD.encode() in dump, "the dump does not contain the data at all"
    leaked = sorted({label for form, label in all_needles().items() if form in dump})
    assert not leaked, f"plaintext found in the dump: {leaked}"


def sqlite_copy(directory: Path) -> bytes:
    """Main file + -wal of a WAL-mode file copy of the test database, read while open."""
    path = directory / "copy.sqlite3"
    target = sqlite3.connect(path)
    try:
        target.execute("PRAGMA journal_mode=WAL")
        connection.ensure_connection()
        connection.connection.backup(target)
        wal = Path(f"{path}-wal")
        return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    finally:
        target.close()


def pg_dump() -> bytes:
    """pg_dump of the (committed) test database, plain SQL."""
    executable = shutil.which("pg_dump") or "/usr/bin/pg_dump"
    if not Path(executable).exists():
        pytest.skip("pg_dump 未安装，无法检查 PostgreSQL 导出")
    params = connection.settings_dict
    command = [executable, "--no-owner", "--dbname", params["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if params.get(key):
            command += [flag, str(params[key])]
    env = {**os.environ, "PGPASSWORD": params.get("PASSWORD") or ""}
    return subprocess.run(command, env=env, capture_output=True, check=True, timeout=120).stdout


@pytest.mark.parametrize("family", ["aes", "sm"])
def test_the_sqlite_file_and_its_wal_hold_no_plaintext(cast, tmp_path, settings, family):
    if connection.vendor != "sqlite":
        pytest.skip("仅适用于 SQLite；PostgreSQL 由 pg_dump 测试检查")
    settings.MINGJING_CRYPTO = family
    store_confidential_contents(cast)
    assert_no_plaintext(sqlite_copy(tmp_path))


@pytest.mark.parametrize("family", ["aes", "sm"])
def test_a_pg_dump_holds_no_plaintext(cast, settings, family):
    if connection.vendor != "postgresql":
        pytest.skip("仅适用于 PostgreSQL；SQLite 由数据库文件测试检查")
    settings.MINGJING_CRYPTO = family
    store_confidential_contents(cast)
    assert_no_plaintext(pg_dump())


def test_the_search_would_find_plaintext_if_it_were_stored():
    assert all_needles().keys() & {CONTENT.encode("gb18030"), PHONE.encode().hex().encode()}
    with pytest.raises(AssertionError, match="plaintext found"):
        assert_no_plaintext(PLAIN_FIELD.encode() + b"..." + SUBJECT_UNIT.encode("utf-16-le"))
