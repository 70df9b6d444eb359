"""Reading CSV and XLSX exports into rows keyed by field name, and parsing their cells.

Exports vary: UTF-8 with or without a BOM, GB18030/GBK from older systems, XLSX with the same
headers, a title line above the header, blank trailing rows, stray spaces. Reading forgives all
of that; the import services are strict about the values. Nothing here queries the database:
`run_import` only opens the transaction the services write in.
"""

import codecs
import csv
import gc
import io
import os
import re
import sys
import unicodedata
import zipfile
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache, partial
from typing import BinaryIO, NamedTuple, Protocol, TypeVar

import openpyxl
from django.db import transaction
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.exceptions import InvalidFileException

Source = str | os.PathLike | bytes | BinaryIO
Cell = str | int | float | date
T = TypeVar("T")

HEADER_SEARCH_ROWS = 20
DATE_HINT = "应如 2026-03-02、2026/3/2 或 2026年3月2日"
_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MISSING = object()


class ImportFileError(Exception):
    """The file cannot be read at all: not CSV or XLSX, damaged, empty, or without a header."""


class CellError(ValueError):
    """A cell's value is not acceptable; the message is Chinese and names the column."""


class RowError(NamedTuple):
    """A problem with one row, at its line as the user sees it (the header is usually line 1)."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"第 {self.line} 行：{self.message}"


@dataclass
class ImportResult:
    """What an import did, counted in rows.

    `aborted`: errors stopped it and nothing was written. `committed`: the changes were saved
    (False for a dry run). `skipped`: rows with errors, left out under `skip_errors`.
    """

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    # Roles that open contents, asked for and waiting for an approver's confirmation.
    pending_grants: int = 0
    errors: list[RowError] = field(default_factory=list)
    unused_columns: list[str] = field(default_factory=list)
    aborted: bool = False
    committed: bool = False

    def counts(self) -> dict[str, int]:
        """The counts alone, as the audit log records them (never a row's contents)."""
        keys = ("created", "updated", "unchanged", "skipped")
        return {key: getattr(self, key) for key in keys}


@dataclass(frozen=True)
class Column:
    """A column of an import format: its field, its Chinese header and accepted aliases."""

    field: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False


class Row(NamedTuple):
    line: int
    cells: dict[str, Cell]  # only the non-blank cells of recognised columns


@dataclass
class Table:
    rows: Iterable[Row]  # a list from read_table; an iterator, read as it goes, in stream_table
    fields: frozenset[str]
    unused_columns: list[str]
    errors: list[RowError]


# Reading files ----------------------------------------------------------------------------
#
# Files are streamed: a CSV is read a line at a time (after one pass that settles its encoding),
# an XLSX through openpyxl's read-only mode, so that memory does not grow with the file.

_BLOCK = 1 << 20
_HEAD = 64 * 1024


def read_table(source: Source, columns: Sequence[Column]) -> Table:
    """The data rows of a CSV or XLSX file, keyed by the field each recognised header maps to,
    all read into a list (stream_table reads them as they are used).

    Header problems (a required column missing, two columns meaning the same) are returned as
    errors at the header's line; an unreadable file raises ImportFileError.
    """
    with stream_table(source, columns) as table:
        return Table(list(table.rows), table.fields, table.unused_columns, table.errors)


@contextmanager
def stream_table(source: Source, columns: Sequence[Column]) -> Iterator[Table]:
    """read_table, with `rows` an iterator that reads the file as it is consumed (inside this
    context). A file that turns out to be unreadable further down raises ImportFileError from
    the iteration."""
    with _binary(source) as file:
        head = file.read(_HEAD)
        file.seek(0)
        if not head.strip() and len(head) < _HEAD:
            raise ImportFileError("文件是空的。")
        if head.startswith(_XLS_MAGIC):
            raise ImportFileError("不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV 后再导入。")
        if head.startswith(_XLSX_MAGIC):
            with _xlsx_rows(file) as raw:
                yield _tabulate(raw, columns)
        else:
            raw = _csv_rows(file, head)
            try:
                yield _tabulate(raw, columns)
            finally:
                raw.close()  # before the file it reads


@contextmanager
def _binary(source: Source) -> Iterator[BinaryIO]:
    """`source` as a seekable binary file, opened (and closed) here when it is a path."""
    if isinstance(source, bytes):
        yield io.BytesIO(source)
    elif isinstance(source, str | os.PathLike):
        try:
            file = open(source, "rb")  # noqa: SIM115 (closed below)
        except OSError as exc:
            raise ImportFileError(f"无法读取文件 {source}：{exc.strerror}") from exc
        with file:
            yield file
    elif source.seekable() and not isinstance(source, io.TextIOBase):
        yield source
    else:
        data = source.read()
        yield io.BytesIO(data.encode("utf-8") if isinstance(data, str) else data)


def _encoding(file: BinaryIO, head: bytes) -> tuple[str, int]:
    """(encoding, bytes of BOM to skip): UTF-8 (with or without a BOM), UTF-16 with a BOM, or
    else GB18030 (a superset of GBK), settled by decoding the whole file once, a block at a
    time."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8", len(codecs.BOM_UTF8)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", 0
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while block := file.read(_BLOCK):
            decoder.decode(block)
        decoder.decode(b"", final=True)
        return "utf-8", 0
    except UnicodeDecodeError:
        return "gb18030", 0
    finally:
        file.seek(0)


def _csv_rows(file: BinaryIO, head: bytes) -> Generator[tuple[int, list], None, None]:
    """(line, cells) for each record; the line is where the record starts in the file."""
    encoding, skip = _encoding(file, head)
    sample = head[skip:].decode(encoding, errors="ignore")[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    file.seek(skip)
    text = io.TextIOWrapper(file, encoding=encoding, newline="")
    try:
        reader = csv.reader(text, delimiter=delimiter)
        line = 1
        try:
            for cells in reader:
                yield line, cells
                line = reader.line_num + 1
        except csv.Error as exc:
            raise ImportFileError(f"第 {line} 行起 CSV 格式有误：{exc}") from exc
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                "无法识别文件编码：请将 CSV 保存为 UTF-8 或 GB18030（GBK）编码。"
            ) from exc
    finally:
        text.detach()  # the caller closes the file


@contextmanager
def _xlsx_rows(file: BinaryIO) -> Iterator[Iterator[tuple[int, list]]]:
    """(row number, values) for each row of the active sheet, read in read-only mode."""
    try:
        book = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise ImportFileError("XLSX 文件已损坏或不是 Excel 工作簿，无法打开。") from exc
    try:
        sheet = book.active
        # Some exporters write a wrong <dimension>; trusting it would drop rows.
        sheet.reset_dimensions()
        yield (
            (line, list(values)) for line, values in enumerate(sheet.iter_rows(values_only=True), 1)
        )
    finally:
        book.close()


def _tabulate(raw: Iterator[tuple[int, list]], columns: Sequence[Column]) -> Table:
    lookup = _header_lookup(columns)
    header_line, header = _find_header(raw, lookup)
    positions, unused, errors = _map_header(header, lookup, header_line, columns)

    def rows() -> Iterator[Row]:
        for line, cells in raw:
            values = _row_values(cells, positions)
            if values:
                yield Row(line, values)

    return Table(rows(), frozenset(name for _, name in positions), unused, errors)


def header_key(text: object) -> str:
    """Headers compare without width, case, spaces, underscores, dashes or required-marks."""
    text = unicodedata.normalize("NFKC", str(text or "")).lower()
    return re.sub(r"[\s_*\-\ufeff]", "", text)


def _header_lookup(columns: Sequence[Column]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for column in columns:
        for title in (column.header, column.field, *column.aliases):
            lookup.setdefault(header_key(title), column.field)
    return lookup


def _find_header(raw: Iterator[tuple[int, list]], lookup: dict[str, str]) -> tuple[int, list]:
    """The first row naming a known column: a title line above the header is passed over."""
    for _ in range(HEADER_SEARCH_ROWS):
        line, cells = next(raw, (0, None))
        if cells is None:
            break
        if any(header_key(cell) in lookup for cell in cells):
            return line, cells
    raise ImportFileError("未找到表头：文件开头几行中没有可识别的列名（如“工号”“姓名”或“案号”）。")


def _map_header(
    header: list, lookup: dict[str, str], line: int, columns: Sequence[Column]
) -> tuple[list[tuple[int, str]], list[str], list[RowError]]:
    positions: list[tuple[int, str]] = []
    seen: dict[str, str] = {}
    unused: list[str] = []
    errors: list[RowError] = []
    for index, cell in enumerate(header):
        title = cell_text(cell).strip()
        name = lookup.get(header_key(title))
        if not title:
            continue
        if name is None:
            unused.append(title)
        elif name in seen:
            errors.append(RowError(line, f"列“{title}”与列“{seen[name]}”含义相同，只能保留一列。"))
        else:
            seen[name] = title
            positions.append((index, name))
    missing = [column.header for column in columns if column.required and column.field not in seen]
    if missing:
        errors.append(RowError(line, f"缺少必填列：{'、'.join(missing)}。"))
    return positions, unused, errors


def _row_values(cells: list, positions: list[tuple[int, str]]) -> dict[str, Cell]:
    values = {}
    width = len(cells)
    for index, name in positions:
        value = _clean(cells[index]) if index < width else None
        if value is not None:
            values[name] = value
    return values


def _clean(value: object) -> Cell | None:
    if value.__class__ is str:
        return value.strip() or None
    if value is None:
        return None
    if isinstance(value, bool):  # an Excel TRUE/FALSE cell
        return "是" if value else "否"
    return value  # type: ignore[return-value]


# Parsing cells ----------------------------------------------------------------------------

_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[T\s]*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_LIST_SEPARATORS = re.compile(r"[、,，;；\r\n]+")
_TRUE = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "t"})
_FALSE = frozenset({"否", "n", "no", "false", "0", "×", "✗", "f"})


def cell_text(value: object) -> str:
    """A cell as text: whole numbers without a trailing .0, dates as YYYY-MM-DD."""
    if value.__class__ is str:
        return value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def normalise(value: object) -> str:
    """Text for codes and choices: full-width letters, digits and colons made half-width."""
    return unicodedata.normalize("NFKC", cell_text(value)).strip()


def parse_date(value: Cell) -> date:
    """An Excel date cell, or text such as 2026-03-02, 2026/3/2 or 2026年3月2日."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and 20000 <= value <= 80000:  # an unformatted Excel date
        return from_excel(value).date()
    return _parse_date_text(normalise(value))


@lru_cache(maxsize=8192)
def _parse_date_text(text: str) -> date:
    match = _DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if not match:
        raise ValueError(text)
    return date(*(int(part) for part in match.groups()))


def parse_bool(value: Cell) -> bool:
    """是/否, Y/N, yes/no, true/false, 1/0, √/×."""
    text = normalise(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(text)


def split_list(value: Cell) -> list[str]:
    """The items of a multi-valued cell, separated by 、 ， , ； ; or line breaks."""
    text = cell_text(value)
    if _LIST_SEPARATORS.search(text) is None:  # the usual single item, without the split
        return [text.strip()] if text.strip() else []
    return [item.strip() for item in _LIST_SEPARATORS.split(text) if item.strip()]


def split_positional(value: Cell) -> list[str]:
    """Like split_list, but an empty item keeps its place (the n-th firm of the n-th agent)."""
    return [item.strip() for item in re.split(r"[、,，;；\r\n]", cell_text(value))]


def checked_length(text: str, limit: int, column: str) -> str:
    if len(text) > limit:
        raise CellError(f"{column}“{text[:20]}…”过长（最多 {limit} 个字）。")
    return text


def text_cell(value: object, *, column: str, limit: int) -> str:
    """A cell's text, at most `limit` characters (CellError naming `column` if longer)."""
    return checked_length(cell_text(value), limit, column)


def date_cell(value: object, *, column: str) -> date:
    """A cell's date (CellError naming `column` if it is not one)."""
    try:
        return parse_date(value)  # type: ignore[arg-type]
    except ValueError:
        raise CellError(f"{column}“{cell_text(value)}”不是有效日期（{DATE_HINT}）。") from None


# Validating and importing rows ------------------------------------------------------------


class ChunkWriter(Protocol[T]):
    """Writes an import's validated rows a chunk at a time, as the file is read."""

    chunk_size: int

    def write(self, rows: list[T], result: "ImportResult") -> None: ...

    def finish(self, result: "ImportResult") -> None: ...


def run_import(
    *,
    source: Source,
    columns: Sequence[Column],
    validator: Callable[[], Callable[[Row], T]],
    write: Callable[[list[T], ImportResult], None] | None = None,
    writer: ChunkWriter[T] | None = None,
    skip_errors: bool,
    dry_run: bool,
    progress: "Progress",
) -> ImportResult:
    """Read the file, validate every row, then write the good ones in one transaction.

    Nothing is written when any row is bad, unless `skip_errors`; nothing at all when the
    header is bad. `validator()` is called inside the transaction, so what it loads stays
    true until the writes. A dry run does everything, then rolls back.

    With `write`, every row is validated and held, then written at once. With `writer`, the
    file is streamed: each chunk of valid rows is written as soon as it is full, so memory
    does not grow with the file; the first bad row (without `skip_errors`) stops the writing,
    the rest is still validated for its errors, and the transaction is rolled back.
    """
    with paused_gc(), stream_table(source, columns) as table:
        result = ImportResult(errors=list(table.errors), unused_columns=table.unused_columns)
        if result.errors:
            result.aborted = True
            return result
        with transaction.atomic():
            validate = validator()
            if writer is not None:
                _stream_rows(table.rows, validate, writer, result, skip_errors, progress)
            else:
                rows = validate_rows(list(table.rows), validate, result, progress)
            if result.errors and not skip_errors:
                result.aborted = True
                result.created = result.updated = result.unchanged = 0
                transaction.set_rollback(True)
                return result
            if writer is not None:
                writer.finish(result)
            elif write is not None:
                write(rows, result)
            if dry_run:
                transaction.set_rollback(True)
    result.committed = not dry_run
    return result


def _stream_rows(
    rows: Iterable[Row],
    validate: Callable[[Row], T],
    writer: ChunkWriter[T],
    result: ImportResult,
    skip_errors: bool,
    progress: "Progress",
) -> None:
    """Validate the rows as they are read and hand the good ones to `writer` by chunks."""
    progress.start("校验与写入", 0)
    pending: list[T] = []
    for row in rows:
        try:
            pending.append(validate(row))
        except RowProblems as problems:
            result.errors.extend(RowError(row.line, message) for message in problems.messages)
            result.skipped += 1
        if len(pending) >= writer.chunk_size:
            if skip_errors or not result.errors:
                writer.write(pending, result)
            progress.advance(len(pending))
            pending = []
    if pending and (skip_errors or not result.errors):
        writer.write(pending, result)
    progress.advance(len(pending))
    progress.finish()


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection for the while: an import holds some million small objects,
    which every collection walks again; measured, that was 40 % of validating 50,000 cases.
    Reference counting still frees almost everything; the cycles wait until the end."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def validate_rows(
    rows: Sequence[Row],
    validate: Callable[[Row], T],
    result: ImportResult,
    progress: "Progress",
) -> list[T]:
    """The rows `validate` accepts; the problems of the others go to `result.errors`.

    `validate` returns the row's checked value or raises RowProblems with all its problems.
    """
    good: list[T] = []
    progress.start("校验", len(rows))
    for index, row in enumerate(rows, 1):
        try:
            good.append(validate(row))
        except RowProblems as problems:
            result.errors.extend(RowError(row.line, message) for message in problems.messages)
            result.skipped += 1
        if index % 500 == 0:
            progress.advance(500)
    progress.advance(len(rows) % 500)
    progress.finish()
    return good


class RowProblems(Exception):
    """Every problem found in one row."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("；".join(messages))
        self.messages = messages


class Problems:
    """Collects a row's CellErrors so that one pass reports them all."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def check(self, parse: Callable[[], T], default: T | None = None) -> T | None:
        try:
            return parse()
        except CellError as exc:
            self.messages.append(str(exc))
            return default

    def add(self, message: str) -> None:
        self.messages.append(message)

    def parse_cells(
        self, cells: Mapping[str, object], parsers: Mapping[str, tuple[str, Callable]]
    ) -> dict[str, object]:
        """The row's values, by attribute: each cell `parsers` names (column -> (attribute,
        parse)) that the row has, parsed; a cell that does not parse is noted and left out."""
        values: dict[str, object] = {}
        for name, (attname, parse) in parsers.items():
            if name in cells:
                value = self.check(partial(parse, cells[name]), _MISSING)
                if value is not _MISSING:
                    values[attname] = value
        return values

    def raise_any(self) -> None:
        if self.messages:
            raise RowProblems(self.messages)


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# Progress ---------------------------------------------------------------------------------


class Progress(Protocol):
    def start(self, label: str, total: int) -> None: ...
    def advance(self, count: int) -> None: ...
    def finish(self) -> None: ...


class NoProgress:
    def start(self, label: str, total: int) -> None:
        pass

    def advance(self, count: int) -> None:
        pass

    def finish(self) -> None:
        pass


NO_PROGRESS = NoProgress()


class TqdmProgress:
    """One tqdm bar per stage on stderr; silent when stderr is not a terminal (cron, tests)."""

    def __init__(self, stream=None, disable: bool | None = None) -> None:
        self.stream = stream
        self.disable = disable
        self._bar = None

    def start(self, label: str, total: int) -> None:
        from tqdm import tqdm

        self.finish()
        self._bar = tqdm(
            total=total, desc=label, unit="行", file=self.stream or sys.stderr, disable=self.disable
        )

    def advance(self, count: int) -> None:
        if self._bar is not None and count:
            self._bar.update(count)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
