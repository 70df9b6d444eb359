"""`mingjing tick`: time-based work, run every few minutes; idempotent (DESIGN.md section 6).

Delivers the reminders relevant now (asked of the apps through notify/reminders.py) as
notifications, and email when configured. Each reminder's key names its subject and period,
so running twice, or after downtime, creates nothing twice. One audit event "tick.run"
records the counts.

`--loop` keeps running, every `--interval` seconds (300 by default): the small scheduler that
`make run` starts beside the development server, so the demo reminds as production does
(where cron or a systemd timer runs `mingjing tick` instead, docs/operations.md). Ctrl-C or
SIGTERM stops it between runs.
"""

import signal
import time
from collections import Counter
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections, connection
from django.utils import timezone

from mingjing.notify.models import Notification
from mingjing.notify.reminders import Reminder, reminders_at
from mingjing.notify.services import notify
from mingjing.security import audit


def parse_now(text: str | None) -> datetime:
    """`--now` as an aware datetime (naive ISO times are in the court's time zone)."""
    if not text:
        return timezone.now()
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--now 不是 ISO 时间：{text}") from exc
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def is_new(reminder: Reminder) -> bool:
    return not Notification.objects.filter(recipient=reminder.user, key=reminder.key).exists()


def deliver(reminders: list[Reminder]) -> Counter:
    """Create the notifications; the count of new ones per kind."""
    created: Counter = Counter()
    for r in reminders:
        _, new = notify(user=r.user, key=r.key, kind=r.kind, title=r.title, body=r.body, url=r.url)
        if new:
            created[r.kind] += 1
    return created


class Command(BaseCommand):
    help = "发送到期提醒（月度报告、3日接触报告期限、待审批查阅申请）。可重复运行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="以此时间（ISO 8601）代替当前时间，用于补跑或测试")
        parser.add_argument("--dry-run", action="store_true", help="只统计将要发送的提醒，不写入")
        parser.add_argument("--loop", action="store_true", help="持续运行，每隔 --interval 秒一次")
        parser.add_argument(
            "--interval", type=int, default=300, help="--loop 的间隔秒数（默认 300）"
        )
        parser.add_argument("--runs", type=int, default=0, help="--loop 运行这么多次后退出")

    def handle(self, *args, **options) -> None:
        if not options["loop"]:
            self.run_once(options)
            return
        if options["now"] or options["interval"] < 0:
            raise CommandError("--loop 不能与 --now 同用，--interval 不能为负。")
        self.loop(options)

    def loop(self, options: dict) -> None:
        stopping: list[int] = []
        signal.signal(signal.SIGTERM, lambda number, frame: stopping.append(number))
        runs = 0
        try:
            while not stopping:
                self.run_guarded(options)
                runs += 1
                if options["runs"] and runs >= options["runs"]:
                    break
                self.sleep(options["interval"], stopping)
        except KeyboardInterrupt:
            pass
        self.stdout.write(f"tick loop stopped after {runs} run(s)")

    def run_guarded(self, options: dict) -> None:
        """One run of the loop: a failure (a locked database, a mail outage) is reported
        and the next run tries again; the connection is not kept across the pause."""
        try:
            self.run_once(options)
        except Exception as exc:  # noqa: BLE001 - the scheduler outlives one bad run
            self.stderr.write(f"tick failed: {exc!r}")
        finally:
            if not connection.in_atomic_block:  # never inside a caller's transaction
                close_old_connections()

    @staticmethod
    def sleep(seconds: int, stopping: list[int]) -> None:
        """Sleep in short steps, so that SIGTERM ends the loop promptly."""
        deadline = time.monotonic() + seconds
        while not stopping and time.monotonic() < deadline:
            time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))

    def run_once(self, options: dict) -> None:
        now = parse_now(options["now"])
        reminders = reminders_at(now)
        if options["dry_run"]:
            pending = Counter(r.kind for r in reminders if is_new(r))
            self.stdout.write(self._summary("dry-run", now, len(reminders), pending))
            return
        created = deliver(reminders)
        detail = {
            "now": now.isoformat(),
            "relevant": len(reminders),
            "created": sum(created.values()),
            "by_kind": dict(sorted(created.items())),
        }
        audit.log_event(action="tick.run", detail=detail)
        self.stdout.write(self._summary("tick", now, len(reminders), created))

    @staticmethod
    def _summary(label: str, now: datetime, relevant: int, new: Counter) -> str:
        kinds = ", ".join(f"{kind}={count}" for kind, count in sorted(new.items())) or "-"
        return f"{label} {now.isoformat()}: relevant={relevant} new={sum(new.values())} ({kinds})"
