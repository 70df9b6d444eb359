"""`mingjing keys status|rotate|rewrap|generate-master`: the sealing keys, for the sysadmin.

Never prints any content, only key versions, algorithms, master key IDs and counts.
"""

from datetime import datetime
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from mingjing.org.models import Court
from mingjing.security import keys, reencrypt
from mingjing.security.crypto import AEAD_BY_FAMILY, configured_family
from mingjing.security.masterkey import generate_master_line, load_master_keys
from mingjing.security.models import CourtKey, KeyPurpose

PURPOSE_LABELS = {
    "record": "记录",
    "attachment-meta": "附件信息",
    "attachment-content": "附件内容",
    "amendment": "更正内容",
    "special-report": "专项报告",
    "screening-note": "甄别处置说明",
    "late-reason": "逾期原因",
    "disclosure-reason": "查阅事由",
    "decision-note": "审批意见",
    "return-reason": "退回原因",
    "review-note": "审查意见",
    "signing-key": "签名私钥",
}


class Command(BaseCommand):
    help = "密封密钥管理：查看状态、轮换数据密钥、重新封装、生成主密钥。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="子命令")
        sub.add_parser("status", help="各法院的密钥版本、算法、主密钥标识及各版本下的内容数量")
        rotate = sub.add_parser("rotate", help="为各法院生成新的数据密钥版本")
        rotate.add_argument("--court", metavar="CODE", help="只轮换该法院（法院代码）")
        rotate.add_argument(
            "--reencrypt", action="store_true", help="同时用新版本重新加密旧版本下的内容"
        )
        rotate.add_argument("--batch-size", type=int, default=200, help="每批条数（默认 200）")
        sub.add_parser("rewrap", help="用主密钥文件第一行的主密钥重新封装所有密钥")
        sub.add_parser("generate-master", help="生成一行新主密钥（ID:HEX），输出到标准输出")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            getattr(self, "_" + action.replace("-", "_"))(**options)
        except (ImproperlyConfigured, keys.KeyUnwrapError) as exc:
            raise CommandError(str(exc)) from exc

    # --- status ------------------------------------------------------------------------------

    def _status(self, **options: Any) -> None:
        family = configured_family()
        masters = load_master_keys()
        older = ", ".join(key.key_id for key in masters[1:]) or "无"
        self.stdout.write(f"配置算法: {family}（新数据密钥使用 {AEAD_BY_FAMILY[family]}）")
        self.stdout.write(f"当前主密钥: {masters[0].key_id}；保留的旧主密钥: {older}")
        for court in Court.objects.order_by("code"):
            self._court_status(court, masters[0].key_id, AEAD_BY_FAMILY[family])

    def _court_status(self, court: Court, master_id: str, algorithm: str) -> None:
        self.stdout.write(f"\n{court.code} {court.name}")
        rows = list(CourtKey.objects.filter(court=court).order_by("purpose", "version"))
        if not rows:
            self.stdout.write("  尚无密钥（首次密封时自动创建）")
            return
        for row in rows:
            self.stdout.write("  " + _describe_key(row, master_id))
        self._warn_algorithm(rows, algorithm)
        self._content_counts(court)

    def _warn_algorithm(self, rows: list[CourtKey], algorithm: str) -> None:
        data = [row for row in rows if row.purpose == KeyPurpose.DATA]
        if data and data[-1].algorithm != algorithm:
            self.stdout.write(
                f"  注意: 当前数据密钥为 {data[-1].algorithm}，配置为 {algorithm}；"
                "执行 `mingjing keys rotate --reencrypt` 切换。"
            )

    def _content_counts(self, court: Court) -> None:
        counts = {p: c for p, c in reencrypt.content_versions(court).items() if c}
        if not counts:
            self.stdout.write("  尚无密封内容")
        for purpose, counter in counts.items():
            figures = "，".join(f"v{v}: {n}" for v, n in sorted(counter.items()))
            self.stdout.write(f"  {PURPOSE_LABELS.get(purpose, purpose)}: {figures}")

    # --- rotate ------------------------------------------------------------------------------

    def _rotate(
        self, *, court: str | None, reencrypt: bool, batch_size: int, **options: Any
    ) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size 必须是正整数。")
        for target in self._courts(court):
            row = keys.rotate_data_key(target)
            self.stdout.write(f"{target.code}: 新数据密钥 v{row.version}（{row.algorithm}）")
            if reencrypt:
                self._reencrypt(target, batch_size)

    def _courts(self, code: str | None) -> list[Court]:
        courts = Court.objects.order_by("code")
        if code is None:
            return list(courts)
        court = courts.filter(code=code).first()
        if court is None:
            raise CommandError(f"法院代码不存在: {code}")
        return [court]

    def _reencrypt(self, court: Court, batch_size: int) -> None:
        def progress(purpose: str, done: int, total: int) -> None:
            label = PURPOSE_LABELS.get(purpose, purpose)
            self.stdout.write(f"  {court.code} 重新加密{label}: {done}/{total}")

        counts = reencrypt.reencrypt(court, batch_size=batch_size, progress=progress)
        figures = "，".join(f"{PURPOSE_LABELS.get(p, p)} {n}" for p, n in counts.items())
        self.stdout.write(f"  {court.code} 重新加密完成: {figures}")

    # --- rewrap and generate-master ----------------------------------------------------------

    def _rewrap(self, **options: Any) -> None:
        counts = keys.rewrap_all()
        master_id = load_master_keys()[0].key_id
        self.stdout.write(
            f"已用主密钥 {master_id} 重新封装: 法院密钥 {counts['court_keys']} 个，"
            f"签名密钥 {counts['signing_keys']} 个，动态口令密钥 {counts['totp_secrets']} 个。"
        )
        self.stdout.write(
            "确认 `mingjing keys status` 中不再出现旧主密钥后，方可从文件中删除旧行。"
        )

    def _generate_master(self, **options: Any) -> None:
        self.stderr.write(
            "新主密钥如下（仅此一次输出）。将其作为主密钥文件的第一行，旧行保留在其后，"
            "然后执行 `mingjing keys rewrap`。",
            style_func=lambda message: message,
        )
        self.stdout.write(generate_master_line())


def _describe_key(row: CourtKey, master_id: str) -> str:
    state = f"停用于 {_local(row.retired_at)}" if row.retired_at else "在用"
    stale = "" if row.master_key_id == master_id else "（需重新封装: mingjing keys rewrap）"
    return (
        f"{row.get_purpose_display()} v{row.version} {row.algorithm} "
        f"主密钥 {row.master_key_id}{stale} 创建于 {_local(row.created_at)} {state}"
    )


def _local(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"
