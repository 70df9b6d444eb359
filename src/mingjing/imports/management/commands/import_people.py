"""`mingjing import_people FILE --court 豫9001 [--skip-errors] [--dry-run]`"""

from typing import Any

from mingjing.imports import ImportCommand
from mingjing.imports.people import people_import
from mingjing.imports.tabular import ImportResult


class Command(ImportCommand):
    help = "从人事系统导出的 CSV 或 XLSX 文件导入本院人员（格式见 docs/imports.md）。"

    def run_import(self, **options: Any) -> ImportResult:
        return people_import(
            court=options["court"],
            source=options["file"],
            skip_errors=options["skip_errors"],
            dry_run=options["dry_run"],
            progress=options["progress"],
        )
