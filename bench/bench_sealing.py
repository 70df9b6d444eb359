"""What sealing costs: one ~1 KB record sealed and unsealed, and a 100-record listing page.

Run: .venv/bin/python bench/bench_sealing.py

Uses its own throwaway SQLite database and master key in a temporary directory; prints
microseconds per operation for both algorithm families (aes, sm) and how much slower a page
of 100 records becomes when every record is unsealed, compared with reading the same rows.
"""

import os
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

SEAL_ROUNDS = 2000
PAGE_ROUNDS = 50
PAGE_SIZE = 100
CONTENTS = {
    "subject_name": "王某某",
    "subject_unit": "某市某区住房和城乡建设局",
    "subject_position": "副局长",
    "subject_contact": "13800000000",
    "place": "本院第三审判庭外走廊",
    "content": "来电询问（2026）豫9001民初123号民间借贷纠纷案件的审理进展，" * 8,
    "handling": "告知其应通过正当程序反映意见，已如实记录并报告部门负责人。",
}


def setup_django(directory: Path) -> None:
    """A fresh SQLite database and master key in `directory`, migrated."""
    key_file = directory / "master.key"
    key_file.write_text(secrets.token_hex(32) + "\n", encoding="ascii")
    os.environ.update(
        MINGJING_DATA_DIR=str(directory),
        MINGJING_DEBUG="1",
        MINGJING_MASTER_KEY_FILE=str(key_file),
        DJANGO_SETTINGS_MODULE="mingjing.settings",
    )
    os.environ.pop("MINGJING_DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.conf import settings

    # Debug mode was only needed to start without a secret key; measure as production runs,
    # without the debug cursor that records every query.
    settings.DEBUG = False


def per_call_us(function: Callable[[], object], rounds: int) -> float:
    """Best of 7 runs of `rounds` calls, in microseconds per call (the least disturbed run)."""
    runs = []
    for _ in range(7):
        start = time.perf_counter()
        for _ in range(rounds):
            function()
        runs.append((time.perf_counter() - start) / rounds * 1e6)
    return min(runs)


def make_court(code: str, family: str):
    from django.conf import settings

    from mingjing.org.models import Court, Person
    from mingjing.records.models import Record
    from mingjing.security.sealing import seal_json

    settings.MINGJING_CRYPTO = family
    court = Court.objects.create(code=code, name=f"基准测试法院 {family}")
    person = Person.objects.create(court=court, staff_no="B0001", name="基准测试")
    Record.objects.bulk_create(
        Record(
            court=court,
            recorder=person,
            category="internal_inquiry",
            behaviour="progress",
            manner="phone",
            subject_kind="internal_staff",
            occurred_at=datetime(2026, 3, 5, 9, 30, tzinfo=UTC),
            sealed=seal_json(court, {**CONTENTS, "n": n}, purpose="record"),
        )
        for n in range(PAGE_SIZE)
    )
    return court


def bench_family(family: str) -> dict[str, float]:
    from mingjing.records.models import Record
    from mingjing.security import keys
    from mingjing.security.crypto import AEAD_BY_FAMILY, aead_decrypt, aead_encrypt
    from mingjing.security.sealing import seal_json, unseal_json

    court = make_court(f"BENCH-{family}", family)
    blob = seal_json(court, CONTENTS, purpose="record")
    row, raw = keys.current_key(court, "data")
    plaintext, aad = b"x" * (len(blob) - 36), b"aad"
    sealed = aead_encrypt(AEAD_BY_FAMILY[family], raw, plaintext, aad)
    page = Record.objects.filter(court=court).order_by("pk")

    def read_page():
        return list(page[:PAGE_SIZE])

    def read_and_unseal_page():
        return [unseal_json(court, r.sealed, purpose="record") for r in page[:PAGE_SIZE]]

    def cold_page():
        keys.clear_key_cache()
        return read_and_unseal_page()

    return {
        "bytes": len(blob),
        "aead_encrypt": per_call_us(lambda: aead_encrypt(row.algorithm, raw, plaintext, aad), 5000),
        "aead_decrypt": per_call_us(lambda: aead_decrypt(row.algorithm, raw, sealed, aad), 5000),
        "current_key": per_call_us(lambda: keys.current_key(court, "data"), SEAL_ROUNDS),
        "seal_json": per_call_us(lambda: seal_json(court, CONTENTS, purpose="record"), SEAL_ROUNDS),
        "unseal_json": per_call_us(lambda: unseal_json(court, blob, purpose="record"), SEAL_ROUNDS),
        "page_plain": per_call_us(read_page, PAGE_ROUNDS) / 1000,
        "page_unsealed": per_call_us(read_and_unseal_page, PAGE_ROUNDS) / 1000,
        "page_cold": per_call_us(cold_page, PAGE_ROUNDS) / 1000,
    }


def report(family: str, figures: dict[str, float]) -> None:
    ratio = figures["page_unsealed"] / figures["page_plain"]
    print(f"\n[{family}] 记录密文 {figures['bytes']:.0f} 字节（明文 JSON 约 1 KB）")
    print(f"  纯加密 aead_encrypt     {figures['aead_encrypt']:8.1f} µs")
    print(f"  纯解密 aead_decrypt     {figures['aead_decrypt']:8.1f} µs")
    print(f"  current_key（一次查询）   {figures['current_key']:8.1f} µs")
    print(f"  seal_json（含查当前密钥） {figures['seal_json']:8.1f} µs")
    print(f"  unseal_json（密钥已缓存） {figures['unseal_json']:8.1f} µs")
    print(f"  读取 {PAGE_SIZE} 条记录（不解密）  {figures['page_plain']:8.2f} ms")
    print(f"  读取并解密 {PAGE_SIZE} 条          {figures['page_unsealed']:8.2f} ms  ×{ratio:.2f}")
    print(f"  同上，密钥缓存为空        {figures['page_cold']:8.2f} ms")


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    with tempfile.TemporaryDirectory(prefix="mingjing-bench-") as directory:
        setup_django(Path(directory))
        results = {family: bench_family(family) for family in ("aes", "sm")}
    for family, figures in results.items():
        report(family, figures)
    sm, aes = results["sm"], results["aes"]
    print(
        f"\nsm/aes: 解密 ×{sm['unseal_json'] / aes['unseal_json']:.2f}，"
        f"列表页 ×{sm['page_unsealed'] / aes['page_unsealed']:.2f}"
    )


if __name__ == "__main__":
    main()
