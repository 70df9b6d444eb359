"""Importing a court's cases from its case-management system's export (see docs/imports.md).

A year of a large court is some 50,000 cases with three participants and three handlers each,
so nothing here queries per row: people and departments are loaded once, and cases are
written in chunks, each with one query per table to learn what exists and bulk writes.
"""

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache, partial
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from mingjing.cases.models import (
    Assignment,
    AssignmentRole,
    Case,
    CaseStage,
    Participant,
    ParticipantRole,
)
from mingjing.cases.numbers import parse_case_number
from mingjing.declarations.models import CaseDeclaration
from mingjing.declarations.services import declarations_for_new_cases, declarations_sync
from mingjing.imports.people import Departments, choice_key, choice_table
from mingjing.imports.tabular import (
    NO_PROGRESS,
    CellError,
    Column,
    ImportResult,
    Problems,
    Progress,
    Row,
    Source,
    cell_text,
    checked_length,
    chunks,
    date_cell,
    normalise,
    run_import,
    split_list,
    split_positional,
    text_cell,
)
from mingjing.org.models import Court, Department, Person
from mingjing.security import audit
from mingjing.security.actor import Actor

CHUNK = 900  # cases per write round; keeps every IN (...) under SQLite's old 999 limit
PG_CHUNK = 5000  # on PostgreSQL: fewer round trips (the file is read by chunks of this size)

CASE_COLUMNS = (
    Column("number", "案号", ("case number", "case no"), required=True),
    Column("cause", "案由", ()),
    Column("department", "承办部门", ("承办庭室", "承办庭", "部门")),
    Column("filed_on", "立案日期", ("收案日期",)),
    Column("closed_on", "结案日期", ()),
    Column("stage", "阶段", ("案件状态", "状态", "案件阶段")),
    Column("assigned_on", "分案日期", ()),
    Column("judge", "承办法官", ("承办人", "主审法官", "承办审判员")),
    Column("presiding", "审判长", ()),
    Column("member", "合议庭成员", ("members",)),
    Column("assistant", "法官助理", ("assistants",)),
    Column("clerk", "书记员", ("clerks",)),
    Column("parties", "当事人", ("participants",)),
    Column("first_parties", "原告/申请人", ("原告", "申请人", "上诉人", "申请执行人", "公诉机关")),
    Column(
        "second_parties", "被告/被申请人", ("被告", "被申请人", "被上诉人", "被执行人", "被告人")
    ),
    Column("third_parties", "第三人", ("third parties",)),
    Column("agents", "代理人", ("诉讼代理人", "委托诉讼代理人", "辩护人", "律师")),
    Column("agent_firms", "代理人所在律所", ("代理人律所", "所在律所", "律师事务所", "代理人单位")),
)
HANDLER_ROLES = {
    "judge": AssignmentRole.JUDGE,
    "presiding": AssignmentRole.PRESIDING,
    "member": AssignmentRole.MEMBER,
    "assistant": AssignmentRole.ASSISTANT,
    "clerk": AssignmentRole.CLERK,
}
HEADERS = {column.field: column.header for column in CASE_COLUMNS}
CASE_FIELDS = ("year", "kind", "cause", "department_id", "filed_on", "closed_on", "stage")
REPRESENTATIVES = frozenset(
    {ParticipantRole.AGENT, ParticipantRole.LAWYER, ParticipantRole.DEFENDER}
)
_AUTO_AGENT = "auto-agent"  # resolved from the case type and the firm once both are known

_STAGES = choice_table(
    CaseStage.choices,
    {
        "立案": CaseStage.FILED,
        "待分案": CaseStage.FILED,
        "在办": CaseStage.TRIAL,
        "未结": CaseStage.TRIAL,
        "在审": CaseStage.TRIAL,
        "审理": CaseStage.TRIAL,
        "结案": CaseStage.CLOSED,
        "已结": CaseStage.CLOSED,
        "审结": CaseStage.CLOSED,
        "执结": CaseStage.CLOSED,
        "归档": CaseStage.ARCHIVED,
    },
)
_PARTY_ROLES = choice_table(
    ParticipantRole.choices,
    {
        "自诉人": ParticipantRole.PLAINTIFF,
        "申请执行人": ParticipantRole.APPLICANT,
        "再审申请人": ParticipantRole.APPLICANT,
        "被执行人": ParticipantRole.RESPONDENT,
        "检察院": ParticipantRole.PROSECUTOR,
        "抗诉机关": ParticipantRole.PROSECUTOR,
        "代理人": ParticipantRole.AGENT,
        "委托代理人": ParticipantRole.AGENT,
        "诉讼代理人": ParticipantRole.AGENT,
        "法定代理人": ParticipantRole.AGENT,
    },
)
_GROUPS = re.compile(r"[;；\r\n]+")
_SPECIAL = re.compile(r"[;；\r\n、,，:：()（）]")
_NAMES = re.compile(r"[、,，]+")
_ROLE_PREFIX = re.compile(r"([^:：]{1,20})[:：](.*)", re.DOTALL)
_REMARK = re.compile(r"[（(][^（）()]*[)）]$")
_NAME_WITH_STAFF_NO = re.compile(r"(?P<name>.+?)[（(](?P<staff_no>[^（）()]+)[)）]")


@dataclass(slots=True)
class CaseRow:
    line: int
    number: str
    values: dict[str, object]  # year, kind and the row's non-blank fields; "department" as object
    stage: str | None
    assigned_on: date | None
    participants: dict[tuple[str, str], str]  # (role, name) -> law firm
    assignments: set[tuple[int, str]]  # (person id, role)


def cases_import(
    *,
    actor: Actor | None = None,
    court: Court,
    source: Source,
    skip_errors: bool = False,
    create_departments: bool = False,
    dry_run: bool = False,
    progress: Progress = NO_PROGRESS,
) -> ImportResult:
    """Create or update the court's cases, their participants and handlers from an export.

    Cases are matched by their normalised 案号 within the court, participants by (role, name)
    and handlers by (person, role), so importing the same file again changes nothing. A blank
    cell leaves the field as it is; participants and handlers are only ever added. Handlers
    are given by 工号 or by name (matched in the handling department first). Every row is
    validated first; with any bad row nothing is imported, unless `skip_errors`. An unknown
    承办部门 is an error unless `create_departments`. The import is one transaction and one
    audit event, `cases.import`, carrying the counts; `actor` is whoever runs it.
    """
    return run_import(
        source=source,
        columns=CASE_COLUMNS,
        validator=lambda: _CaseValidator(court, create_departments=create_departments),
        writer=_CaseWriter(court, actor=actor, progress=progress),
        skip_errors=skip_errors,
        dry_run=dry_run,
        progress=progress,
    )


# Validating -------------------------------------------------------------------------------


class Handlers:
    """The court's people, found by 工号 or, as exports usually give them, by name."""

    def __init__(self, court: Court) -> None:
        self.by_staff_no: dict[str, int] = {}
        self.by_name: dict[str, list[tuple[int, int | None, str]]] = defaultdict(list)
        people = Person.objects.filter(court=court).values_list(
            "id", "staff_no", "name", "department_id"
        )
        for pk, staff_no, name, department_id in people:
            self.by_staff_no[staff_no] = pk
            self.by_name[name].append((pk, department_id, staff_no))
        self._found: dict[tuple[str, int | None], tuple[int | None, str]] = {}

    def find(self, text: str, department_id: int | None, column: str) -> int:
        """The person's id; a name is looked for in the department, then in the whole court."""
        key = (text, department_id)
        if key not in self._found:
            self._found[key] = self._find(text, department_id)
        pk, problem = self._found[key]
        if pk is None:
            raise CellError(f"{column}{problem}")
        return pk

    def _find(self, text: str, department_id: int | None) -> tuple[int | None, str]:
        match = _NAME_WITH_STAFF_NO.fullmatch(text)
        for staff_no in (normalise(text), normalise(match["staff_no"]) if match else ""):
            if staff_no in self.by_staff_no:
                return self.by_staff_no[staff_no], ""
        candidates = self.by_name.get(text, [])
        pool = [c for c in candidates if c[1] == department_id] or candidates
        if len(pool) == 1:
            return pool[0][0], ""
        if not pool:
            return None, f"“{text}”不是本院人员（按工号和姓名均未找到；请先导入人员）。"
        numbers = "、".join(sorted(staff_no for _, _, staff_no in pool))
        return None, f"“{text}”有 {len(pool)} 人同名（工号 {numbers}），请改填工号。"


class _CaseValidator:
    def __init__(self, court: Court, *, create_departments: bool) -> None:
        self.court = court
        self.departments = Departments(court, create=create_departments)
        self.handlers = Handlers(court)
        # The line of each 案号 so far, by the 案号's hash: half the memory of the text, for
        # files of a million rows (two different 案号 sharing a 64-bit hash: never seen).
        self.seen: dict[int, int] = {}
        self.parsers: dict[str, tuple[str, Callable]] = {
            "cause": ("cause", partial(text_cell, column="案由", limit=100)),
            "department": ("department", self._department),
            "filed_on": ("filed_on", partial(date_cell, column="立案日期")),
            "closed_on": ("closed_on", partial(date_cell, column="结案日期")),
        }

    def __call__(self, row: Row) -> CaseRow:
        problems = Problems()
        number, values = self._number(row, problems)
        self._values(row.cells, values, problems)
        cells = row.cells
        stage = problems.check(partial(_stage, cells["stage"])) if "stage" in cells else None
        assigned_on = None
        if "assigned_on" in cells:
            assigned_on = problems.check(
                partial(date_cell, cells["assigned_on"], column="分案日期")
            )
        department = cast(Department | None, values.get("department"))
        assignments = self._assignments(cells, department, problems)
        participants = _participants(cells, str(values.get("kind", "")), problems)
        problems.raise_any()
        return CaseRow(row.line, number, values, stage, assigned_on, participants, assignments)

    def _number(self, row: Row, problems: Problems) -> tuple[str, dict[str, object]]:
        try:
            number = parse_case_number(cell_text(row.cells.get("number")))["number"]
        except ValidationError as exc:
            problems.add(exc.messages[0])
            return "", {}
        prefix = number[: number.index("）") + 1] + self.court.code
        rest = number[len(prefix) :]
        if not number.startswith(prefix) or rest[:1].isdigit():
            problems.add(f"案号“{number}”不是本院（{self.court.code}）的案号。")
        elif hash(number) in self.seen:
            problems.add(f"案号“{number}”与第 {self.seen[hash(number)]} 行重复。")
        else:
            self.seen[hash(number)] = row.line
            return number, {"year": int(number[1:5]), "kind": re.sub(r"\d+号$", "", rest)}
        return number, {}

    def _department(self, value: object) -> Department:
        return self.departments.find(cell_text(value), "承办部门")

    def _values(self, cells: dict, values: dict[str, object], problems: Problems) -> None:
        values.update(problems.parse_cells(cells, self.parsers))
        filed_on, closed_on = values.get("filed_on"), values.get("closed_on")
        if filed_on and closed_on and closed_on < filed_on:  # type: ignore[operator]
            problems.add(f"结案日期 {closed_on} 早于立案日期 {filed_on}。")

    def _assignments(
        self, cells: dict, department: Department | None, problems: Problems
    ) -> set[tuple[int, str]]:
        department_id = department.pk if department is not None else None
        found: set[tuple[int, str]] = set()
        for name, role in HANDLER_ROLES.items():
            for text in split_list(cells[name]) if name in cells else ():
                find = partial(self.handlers.find, text, department_id, HEADERS[name])
                person_id = problems.check(find)
                if person_id is not None:
                    found.add((person_id, role))
        return found


def _stage(value: object) -> str:
    stage = _STAGES.get(choice_key(cell_text(value)))
    if stage is None:
        labels = "、".join(CaseStage.labels)
        raise CellError(f"阶段“{cell_text(value)}”无法识别（应为 {labels} 之一，或 在办、已结）。")
    return stage


# Participants -----------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _party_roles(kind: str) -> dict[str, str | None]:
    """The role of a name in each party column with no "角色:" prefix, by the case type."""
    if kind.endswith("终"):
        first, second = ParticipantRole.APPELLANT, ParticipantRole.APPELLEE
    elif "刑" in kind:
        first, second = ParticipantRole.PROSECUTOR, ParticipantRole.ACCUSED
    elif any(mark in kind for mark in "执申保特督催"):
        first, second = ParticipantRole.APPLICANT, ParticipantRole.RESPONDENT
    else:
        first, second = ParticipantRole.PLAINTIFF, ParticipantRole.DEFENDANT
    return {
        "parties": None,
        "first_parties": first,
        "second_parties": second,
        "third_parties": ParticipantRole.THIRD_PARTY,
    }


def _participants(cells: dict, kind: str, problems: Problems) -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    items: list[tuple[str, str, str]] = []
    for column, default in _party_roles(kind).items():
        if column in cells:
            parse = partial(parse_participants, cells[column], default, HEADERS[column])
            items += problems.check(parse, []) or []
    items += problems.check(partial(_agents, cells, kind), []) or []
    for role, name, firm in items:
        if firm or (role, name) not in found:
            found[(role, name)] = firm
    return found


def parse_participants(
    value: object, default_role: str | None, column: str
) -> list[tuple[str, str, str]]:
    """(role, name, firm) for each name in a cell such as "原告:张三、李四;律师:王五（某所）"."""
    text = cell_text(value)
    if default_role is not None and _SPECIAL.search(text) is None:  # the usual single name
        return [(default_role, checked_length(text, 100, column), "")] if text else []
    items = []
    for group in _GROUPS.split(text):
        if group.strip():
            role, names = _group_role(group.strip(), default_role, column)
            items += [_participant(role, name.strip(), column) for name in _NAMES.split(names)]
    return [item for item in items if item[1]]


def _group_role(group: str, default_role: str | None, column: str) -> tuple[str, str]:
    match = _ROLE_PREFIX.fullmatch(group)
    if match is None:
        if default_role is None:
            raise CellError(f"{column}“{group}”缺少诉讼地位（应如“原告:张三;被告:某某公司”）。")
        return default_role, group
    label = match[1].strip()
    role = _PARTY_ROLES.get(choice_key(_REMARK.sub("", label)))
    if role is None:
        raise CellError(f"{column}中的诉讼地位“{label}”无法识别。")
    return role, match[2]


def _participant(role: str, text: str, column: str) -> tuple[str, str, str]:
    name, firm = text, ""
    if role in REPRESENTATIVES or role == _AUTO_AGENT:
        name, firm = _split_firm(text)
    return role, checked_length(name, 100, column), checked_length(firm, 100, column)


def _split_firm(text: str) -> tuple[str, str]:
    """("李四", "某某（北京）律师事务所") from "李四（某某（北京）律师事务所）"."""
    if not text.endswith((")", "）")):
        return text, ""
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        depth += text[index] in ")）"
        depth -= text[index] in "(（"
        if depth == 0:
            name = text[:index].strip()
            return (name, text[index + 1 : -1].strip()) if name else (text, "")
    return text, ""


def _agents(cells: dict, kind: str) -> list[tuple[str, str, str]]:
    """The 代理人 column, its n-th name working at the n-th firm of 代理人所在律所."""
    if "agents" not in cells:
        if "agent_firms" in cells:
            raise CellError("填写了代理人所在律所，却没有填写代理人。")
        return []
    items = parse_participants(cells["agents"], _AUTO_AGENT, "代理人")
    firms = split_positional(cells["agent_firms"]) if "agent_firms" in cells else []
    if firms and len(firms) != len(items):
        raise CellError(
            f"代理人有 {len(items)} 位，代理人所在律所却有 {len(firms)} 个，应以“、”分隔一一对应。"
        )
    agents = []
    for index, (role, name, firm) in enumerate(items):
        firm = checked_length(firm or (firms[index] if firms else ""), 100, "代理人所在律所")
        agents.append((_agent_role(kind, firm) if role == _AUTO_AGENT else role, name, firm))
    return agents


def _agent_role(kind: str, firm: str) -> str:
    if "刑" in kind:
        return ParticipantRole.DEFENDER
    return ParticipantRole.LAWYER if "律师事务所" in firm else ParticipantRole.AGENT


# Writing ----------------------------------------------------------------------------------
#
# Cases, participants and handlers are written with executemany rather than bulk_create and
# bulk_update: for 50,000 cases Django spent longer building the SQL (a model instance and
# several calls per value; CASE WHEN for updates) than the database spent storing the rows.
# Measured figures are in docs/imports.md.


class _CaseWriter:
    """Writes the validated cases a chunk at a time as the file is read (run_import streams),
    then the one audit event of the import."""

    def __init__(self, court: Court, *, actor: Actor | None, progress: Progress) -> None:
        self.court, self.actor, self.progress = court, actor, progress
        self.chunk_size = CHUNK if connection.vendor == "sqlite" else PG_CHUNK
        self.stamp = connection.ops.adapt_datetimefield_value(timezone.now())
        self.declarations = 0
        self.written, self.analysed_at = 0, 0

    def write(self, rows: list[CaseRow], result: ImportResult) -> None:
        _save_new_departments(rows)
        for chunk in chunks(rows, CHUNK) if connection.vendor == "sqlite" else (rows,):
            assigned, new_pairs = _write_chunk(self.court, chunk, result, self.stamp)
            # Assignments went in by SQL, so no signal fired: each new handler owes a 一案一表.
            # A new case has none yet; an existing one is compared with what it has.
            self.declarations += declarations_for_new_cases(new_pairs)
            self.declarations += declarations_sync(
                court=self.court, case_ids=assigned, actor=self.actor, log=False
            )
        self.written += len(rows)
        if self.written >= 2 * self.analysed_at + PG_CHUNK and connection.vendor == "postgresql":
            _analyse()
            self.analysed_at = self.written

    def finish(self, result: ImportResult) -> None:
        if self.declarations:
            detail = {"created": self.declarations}
            audit.log_event(
                action="declarations.sync", actor=self.actor, court=self.court, detail=detail
            )
        detail = result.counts()
        audit.log_event(action="cases.import", actor=self.actor, court=self.court, detail=detail)


ANALYSED_TABLES = (Case, Participant, Assignment)


def _analyse() -> None:
    """Refresh PostgreSQL's statistics of the tables the import is filling, each time they
    have doubled: within the import's own transaction autovacuum cannot see the new rows, and
    with statistics of near-empty tables the planner scans whole tables for each chunk, which
    made a million cases quadratic. ANALYZE needs the table's owner; as the application role
    it is skipped with a warning (run the import as the owner role for files this large)."""
    tables = [model._meta.db_table for model in (*ANALYSED_TABLES, CaseDeclaration)]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(connection.ops.quote_name(t) for t in tables)}")


def _save_new_departments(rows: list[CaseRow]) -> None:
    """Departments planned under `create_departments`, only those a written row uses."""
    planned: dict[Any, Any] = {}
    for row in rows:
        department = row.values.get("department")
        if isinstance(department, Department) and department.pk is None:
            planned[department.name] = department
    for department in planned.values():
        department.save()


def _write_chunk(
    court: Court, rows: Sequence[CaseRow], result: ImportResult, stamp: object
) -> tuple[set[int], set[tuple[int, int]]]:
    """Write one chunk; returns the ids of the existing cases that were given new handlers,
    and the (case id, person id) pairs of the new cases' handlers."""
    existing = _existing_cases(court, [row.number for row in rows])
    new, changed = _plan_cases(rows, existing)
    _insert(
        Case,
        ("court_id", "number", *CASE_FIELDS, "updated_at"),
        [(court.pk, number, *values, stamp) for number, values in new],
    )
    _update(Case, (*CASE_FIELDS, "updated_at"), [(*values, stamp, pk) for pk, values in changed])
    ids = {number: case["id"] for number, case in existing.items()}
    if new:
        created = Case.objects.filter(court=court, number__in=[number for number, _ in new])
        ids |= dict(created.values_list("number", "id"))
    held = [case["id"] for case in existing.values()]  # new cases have nothing yet
    assigned = _sync_assignments(rows, ids, held)
    touched = _sync_participants(rows, ids, held) | assigned
    _count(rows, ids, {number for number, _ in new}, {pk for pk, _ in changed} | touched, result)
    held_ids = set(held)
    new_pairs = {
        (ids[row.number], person_id)
        for row in rows
        if ids[row.number] not in held_ids
        for person_id, _ in row.assignments
    }
    return assigned & held_ids, new_pairs


def _existing_cases(court: Court, numbers: list[str]) -> dict[str, dict]:
    cases = Case.objects.filter(court=court, number__in=numbers)
    return {case["number"]: case for case in cases.values("id", "number", *CASE_FIELDS)}


def _count(
    rows: Sequence[CaseRow],
    ids: dict[str, int],
    created: set[str],
    updated: set[int],
    result: ImportResult,
) -> None:
    for row in rows:
        if row.number in created:
            result.created += 1
        elif ids[row.number] in updated:
            result.updated += 1
        else:
            result.unchanged += 1


def _plan_cases(
    rows: Sequence[CaseRow], existing: dict[str, dict]
) -> tuple[list[tuple[str, tuple]], list[tuple[int, tuple]]]:
    """(number, field values) of the new cases, (id, field values) of the changed ones."""
    new, changed = [], []
    for row in rows:
        current = existing.get(row.number)
        values = _case_values(row, current)
        if current is None:
            defaults = {"cause": "", "department_id": None, "filed_on": None, "closed_on": None}
            merged = defaults | values
            new.append((row.number, tuple(merged[name] for name in CASE_FIELDS)))
        elif any(current[name] != value for name, value in values.items()):
            merged = current | values
            changed.append((current["id"], tuple(merged[name] for name in CASE_FIELDS)))
    return new, changed


def _case_values(row: CaseRow, current: dict | None) -> dict[str, object]:
    values = {name: value for name, value in row.values.items() if name != "department"}
    if "department" in row.values:
        values["department_id"] = row.values["department"].pk  # type: ignore[attr-defined]
    values["stage"] = _stage_for(row, current["stage"] if current else None)
    return values


def _stage_for(row: CaseRow, current: str | None) -> str:
    """A blank 阶段 keeps the stage, except that a 结案日期 closes a case still open."""
    if row.stage:
        return row.stage
    closed = row.values.get("closed_on") is not None
    if current is None:
        return CaseStage.CLOSED if closed else CaseStage.FILED
    if closed and current in (CaseStage.FILED, CaseStage.TRIAL):
        return CaseStage.CLOSED
    return current


def _sync_participants(
    rows: Sequence[CaseRow], ids: dict[str, int], held_ids: list[int]
) -> set[int]:
    """Add missing participants and fill in law firms; returns the ids of cases touched."""
    fields = ("id", "case_id", "role", "name", "law_firm")
    held = {
        (case_id, role, name): (pk, firm)
        for pk, case_id, role, name, firm in Participant.objects.filter(
            case_id__in=held_ids
        ).values_list(*fields)
    }
    new, changed, touched = [], [], set()
    for row in rows:
        case_id = ids[row.number]
        for (role, name), firm in row.participants.items():
            have = held.get((case_id, role, name))
            if have is None:
                new.append((case_id, role, name, firm))
            elif firm and firm != have[1]:
                changed.append((firm, have[0]))
            else:
                continue
            touched.add(case_id)
    _insert(Participant, ("case_id", "role", "name", "law_firm"), new)
    _update(Participant, ("law_firm",), changed)
    return touched


def _sync_assignments(
    rows: Sequence[CaseRow], ids: dict[str, int], held_ids: list[int]
) -> set[int]:
    """Add missing handlers and set a given 分案日期; returns the ids of cases touched."""
    fields = ("id", "case_id", "person_id", "role", "assigned_on")
    held = {
        (case_id, person_id, role): (pk, assigned_on)
        for pk, case_id, person_id, role, assigned_on in Assignment.objects.filter(
            case_id__in=held_ids
        ).values_list(*fields)
    }
    new, changed, touched = [], [], set()
    for row in rows:
        case_id = ids[row.number]
        for person_id, role in row.assignments:
            have = held.get((case_id, person_id, role))
            if have is None:
                new.append((case_id, person_id, role, row.assigned_on))
            elif row.assigned_on and row.assigned_on != have[1]:
                changed.append((row.assigned_on, have[0]))
            else:
                continue
            touched.add(case_id)
    _insert(Assignment, ("case_id", "person_id", "role", "assigned_on"), new)
    _update(Assignment, ("assigned_on",), changed)
    return touched


def _insert(model: type[Model], fields: Sequence[str], rows: list[tuple]) -> None:
    """COPY on PostgreSQL; elsewhere (SQLite) one prepared INSERT run for every row."""
    if not rows:
        return
    table, columns = _table(model, fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def _update(model: type[Model], fields: Sequence[str], rows: list[tuple]) -> None:
    """UPDATE by primary key; each row is the new values in `fields` order, then the key."""
    if rows:
        table, columns = _table(model, [*fields, model._meta.pk.attname])
        assignments = ", ".join(f"{column} = %s" for column in columns[:-1])
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {columns[-1]} = %s", rows)


def _table(model: type[Model], fields: Sequence[str]) -> tuple[str, list[str]]:
    quote = connection.ops.quote_name
    meta = model._meta
    columns = [meta.get_field(name).column for name in fields]  # type: ignore[union-attr]
    return quote(meta.db_table), [quote(column) for column in columns]  # type: ignore[arg-type]
