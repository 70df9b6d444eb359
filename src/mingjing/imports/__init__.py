"""Importing people and cases from the CSV and XLSX files court systems export.

`tabular` reads a file into rows keyed by field name and parses cells; `people` and `cases`
hold the services `people_import` and `cases_import`; `ImportCommand` below is what the
`import_people` and `import_cases` management commands share. Formats: docs/imports.md.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mingjing.imports.tabular import ImportFileError, ImportResult, TqdmProgress


class ImportCommand(BaseCommand):
    """Arguments, progress bar and Chinese report shared by the import commands."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV（UTF-8 或 GB18030）或 XLSX 文件")
        parser.add_argument("--court", required=True, help="法院代码，如 豫9001")
        parser.add_argument(
            "--skip-errors", action="store_true", help="跳过有错误的行，只导入无误的行"
        )
        parser.add_argument("--dry-run", action="store_true", help="只校验和统计，不写入数据库")

    def run_import(self, **kwargs: Any) -> ImportResult:
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        from mingjing.org.models import Court  # models load only once the apps are ready

        court = Court.objects.filter(code=options["court"]).first()
        if court is None:
            raise CommandError(f"法院代码“{options['court']}”不存在。")
        progress = TqdmProgress()
        try:
            result = self.run_import(**{**options, "court": court, "progress": progress})
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            progress.finish()
        self.report(result, dry_run=options["dry_run"])

    def report(self, result: ImportResult, *, dry_run: bool) -> None:
        if result.unused_columns:
            self.stdout.write(f"以下列未导入：{'、'.join(result.unused_columns)}")
        for error in result.errors:
            self.stderr.write(str(error))
        if result.aborted:
            raise CommandError(self._aborted_message(result))
        counts = (
            f"新增 {result.created} 条，更新 {result.updated} 条，未变 {result.unchanged} 条"
            + (f"，跳过 {result.skipped} 行（有错误）" if result.skipped else "")
        )
        prefix = "试运行完成（未写入）" if dry_run else "导入完成"
        self.stdout.write(self.style.SUCCESS(f"{prefix}：{counts}。"))
        if result.pending_grants:
            self.stdout.write(
                f"另有 {result.pending_grants} 项可查看填报内容的角色已提出授予申请，"
                "须由院长或党组书记在“角色授予确认”页面以动态口令确认后生效。"
            )

    @staticmethod
    def _aborted_message(result: ImportResult) -> str:
        if not result.skipped:
            return "文件表头有误，未导入任何数据。"
        return (
            f"共 {result.skipped} 行有错误，未导入任何数据。"
            "请修正后重新导入，或使用 --skip-errors 只导入无误的行。"
        )
