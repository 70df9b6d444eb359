import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mingjing.security.receipts import verify_receipt


class Command(BaseCommand):
    help = "验证提交回执的签名（可用法院公钥文件独立验证）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("receipt", help="回执 JSON 文件")
        parser.add_argument(
            "--public-key", help="法院公布的公钥 PEM 文件；缺省时用本系统保存的该法院公钥"
        )
        parser.add_argument("--offline", action="store_true", help="不查询本系统的审计链")

    def handle(self, *args: Any, **options: Any) -> None:
        document = self._load(options["receipt"])
        pem = self._public_key(options["public_key"])
        result = verify_receipt(document, pem, check_chain=not options["offline"])
        if not result.valid:
            raise CommandError(result.message)
        self.stdout.write(self.style.SUCCESS(result.message))
        if result.in_chain is False:
            raise CommandError("审计链中未找到与回执一致的提交事件。")

    def _load(self, path: str) -> dict[str, Any]:
        try:
            loaded: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"无法读取回执文件 {path}：{exc}") from exc
        return loaded

    def _public_key(self, path: str | None) -> str | None:
        """Never the key attached to the receipt: a forger would attach his own."""
        if not path:
            return None
        try:
            return Path(path).read_text(encoding="ascii")
        except (OSError, ValueError) as exc:
            raise CommandError(f"无法读取公钥文件 {path}：{exc}") from exc
