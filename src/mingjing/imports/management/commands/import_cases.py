"""`mingjing import_cases FILE --court 豫9001 [--skip-errors] [--create-departments] [--dry-run]`"""

from typing import Any

from django.core.management.base import CommandParser

from mingjing.imports import ImportCommand
from mingjing.imports.cases import cases_import
from mingjing.imports.tabular import ImportResult


class Command(ImportCommand):
    help = "从案件管理系统导出的 CSV 或 XLSX 文件导入本院案件（格式见 docs/imports.md）。"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--create-departments",
            action="store_true",
            help="承办部门不存在时自动创建（默认视为错误）",
        )

    def run_import(self, **options: Any) -> ImportResult:
        return cases_import(
            court=options["court"],
            source=options["file"],
            skip_errors=options["skip_errors"],
            create_departments=options["create_departments"],
            dry_run=options["dry_run"],
            progress=options["progress"],
        )
