"""`mingjing demo`: build (or complete) the demo court; safe to run again."""

import time
import unicodedata

from django.core.management.base import BaseCommand

from mingjing.demo.builder import DEFAULT_SEED, DEMO_PASSWORD, DemoSummary, build_demo

COLUMNS = ("账号", "姓名", "法院", "部门", "职务", "角色")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def account_table(summary: DemoSummary) -> list[str]:
    """The named demo accounts as aligned lines (Chinese characters count double)."""
    rows = [COLUMNS] + [
        (a.username, a.name, a.court, a.department, a.position, a.roles) for a in summary.accounts
    ]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(COLUMNS))]
    return [
        "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


class Command(BaseCommand):
    help = "建立演示法院（部门、人员、账号、案件）；可重复运行，不会产生重复数据。"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help=f"把演示账号的密码重置为 {DEMO_PASSWORD}，并清除动态口令和锁定。",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机种子。")

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        summary = build_demo(seed=options["seed"], reset_passwords=options["reset_passwords"])
        self._report(summary, time.monotonic() - started)

    def _report(self, summary: DemoSummary, seconds: float) -> None:
        t = summary.totals
        self.stdout.write(
            self.style.SUCCESS(
                f"演示法院已就绪：{summary.court.name}（{summary.court.code}），"
                f"上级法院 {summary.higher.name}（{summary.higher.code}）。用时 {seconds:.1f} 秒。"
            )
        )
        self.stdout.write(
            f"部门 {t['部门']} 个，人员 {t['人员']} 人（在职 {t['在职']} 人），"
            f"账号 {t['账号']} 个，案件 {t['案件']} 件，"
            f"诉讼参与人 {t['诉讼参与人']} 人次，办案人员 {t['办案人员']} 人次。"
        )
        self.stdout.write(self._changes(summary))
        self.stdout.write("")
        for line in account_table(summary):
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(self._password_note(summary))

    def _changes(self, summary: DemoSummary) -> str:
        tally = summary.tally
        if not tally.changed:
            return "本次运行没有改动任何数据。"
        created = "，".join(f"{k} {v}" for k, v in tally.created.items() if v) or "无"
        updated = "，".join(f"{k} {v}" for k, v in tally.updated.items() if v) or "无"
        return f"本次新建：{created}；本次更新：{updated}。"

    def _password_note(self, summary: DemoSummary) -> str:
        note = f"以上账号密码均为 {DEMO_PASSWORD}（仅供演示）。"
        if summary.other_accounts:
            note += (
                f"其余 {summary.other_accounts} 名在职干警以工号登录"
                f"（如 {summary.sample_staff_no}），密码相同。"
            )
        if summary.tally.kept_passwords:
            note += (
                f"已存在的 {summary.tally.kept_passwords} 个账号的密码和动态口令未改动；"
                "如需恢复，请加 --reset-passwords。"
            )
        return note
