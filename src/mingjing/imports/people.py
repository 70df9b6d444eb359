"""Importing a court's people from its personnel system's export (see docs/imports.md)."""

import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

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
    date_cell,
    normalise,
    parse_bool,
    run_import,
    split_list,
    text_cell,
)
from mingjing.org.models import (
    Court,
    Department,
    GrantStatus,
    Person,
    PersonStatus,
    RoleAssignment,
    RoleGrant,
)
from mingjing.org.roles import CONTENT_ROLES, Role
from mingjing.security import audit
from mingjing.security.actor import Actor
from mingjing.security.grants import role_grant_request

BATCH = 500

PEOPLE_COLUMNS = (
    Column("staff_no", "工号", ("人员编号", "工作证号", "staff no"), required=True),
    Column("name", "姓名", ("name",), required=True),
    Column("department", "部门", ("所在部门", "所属部门", "dept")),
    Column("position", "职务", ("职位", "title")),
    Column("is_leader", "是否院领导", ("院领导", "是否班子成员", "班子成员", "leader")),
    Column("status", "状态", ("人员状态", "在职状态")),
    Column("status_date", "状态日期", ("离任日期", "状态变更日期", "变动日期")),
    Column("oversees", "分管部门", ()),
    Column("roles", "角色", ("系统角色",)),
)

# A leader's department cell often says "院领导" rather than naming a department.
NO_DEPARTMENT = frozenset({"院领导", "院领导班子", "班子成员", "院领导（班子成员）", "无"})
# System administration is granted by hand, never by a file someone else exported.
NOT_IMPORTABLE_ROLES = frozenset({Role.SYSADMIN})
SEPARATION_MESSAGE = (
    "该人员是系统管理员，不能同时授予院管理员、院长或部门负责人等可查看填报内容的角色（三员分立）。"
)


def choice_key(text: str) -> str:
    """Choices compare without width, case or spaces."""
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def choice_table(pairs: Iterable[tuple[str, str]], extra: dict[str, str]) -> dict[str, str]:
    """choice_key -> value, for each value, its label, the parts of "a / b" labels and the
    label without its "（…）" remark, plus `extra` aliases."""
    table = {}
    for value, label in pairs:
        names = [value, label, *label.split("/"), label.split("（")[0]]
        table.update({choice_key(name): value for name in names if name.strip()})
    table.update({choice_key(name): value for name, value in extra.items()})
    return table


_STATUSES = choice_table(
    PersonStatus.choices,
    {"在岗": "serving", "调出": "transferred", "已退休": "retired", "辞职": "departed"},
)
_ROLES = choice_table(Role.choices, {"院领导": Role.LEADER})


class Departments:
    """A court's departments by name or code (exports give either); can plan new ones."""

    def __init__(self, court: Court, *, create: bool = False) -> None:
        self.court = court
        self.create = create
        self._by_key: dict[str, Department] = {}
        existing = list(Department.objects.filter(court=court))
        self._codes = {department.code for department in existing}
        for department in existing:  # names first: they win over a code spelled the same
            self._remember(department.name, department)
        for department in existing:
            self._remember(department.code, department)

    def _remember(self, key: str, department: Department) -> None:
        self._by_key.setdefault(key, department)
        self._by_key.setdefault(choice_key(key), department)

    def get(self, text: str) -> Department | None:
        return self._by_key.get(text) or self._by_key.get(choice_key(text))

    def find(self, text: str, column: str) -> Department:
        """The department `text` names, or a new unsaved one when creating is allowed."""
        department = self.get(text)
        if department is not None:
            return department
        if not self.create:
            raise CellError(f"{column}“{text}”不是本院的部门（请填写部门名称或代码）。")
        department = Department(
            court=self.court, name=checked_length(text, 50, column), code=self._next_code()
        )
        self._remember(text, department)
        return department

    def _next_code(self) -> str:
        number = len(self._codes) + 1
        while f"D{number:03d}" in self._codes:
            number += 1
        self._codes.add(f"D{number:03d}")
        return f"D{number:03d}"


@dataclass(slots=True)
class PersonRow:
    line: int
    staff_no: str
    values: dict[str, object]  # model attribute -> value, for the row's non-blank cells only
    roles: frozenset[str] | None
    oversees: frozenset[int] | None


def people_import(
    *,
    actor: Actor | None = None,
    court: Court,
    source: Source,
    skip_errors: bool = False,
    dry_run: bool = False,
    progress: Progress = NO_PROGRESS,
) -> ImportResult:
    """Create or update the court's people from a personnel export (CSV or XLSX).

    People are matched by 工号 within the court, so importing the same file again changes
    nothing. A blank cell leaves the field as it is; a non-blank 分管部门 replaces the
    departments overseen; 角色 only adds roles (revoking one is done by hand). Every row is
    validated first; with any bad row nothing is imported, unless `skip_errors`. The import
    is one transaction and one audit event, `people.import`, carrying the counts; `actor` is
    whoever runs it (None on the command line).
    """
    return run_import(
        source=source,
        columns=PEOPLE_COLUMNS,
        validator=lambda: _PeopleValidator(court),
        write=partial(_write_people, court, actor=actor, progress=progress),
        skip_errors=skip_errors,
        dry_run=dry_run,
        progress=progress,
    )


class _PeopleValidator:
    def __init__(self, court: Court) -> None:
        self.departments = Departments(court)
        self.seen: dict[str, int] = {}
        self.sysadmins = set(
            RoleAssignment.objects.filter(court=court, role=Role.SYSADMIN).values_list(
                "person__staff_no", flat=True
            )
        )
        self.parsers: dict[str, tuple[str, Callable]] = {
            "name": ("name", partial(text_cell, column="姓名", limit=50)),
            "department": ("department_id", self._department),
            "position": ("position", partial(text_cell, column="职务", limit=50)),
            "is_leader": ("is_leader", _is_leader),
            "status": ("status", _status),
            "status_date": ("status_date", partial(date_cell, column="状态日期")),
        }

    def __call__(self, row: Row) -> PersonRow:
        problems = Problems()
        staff_no = self._staff_no(row, problems)
        if "name" not in row.cells:
            problems.add("姓名不能为空。")
        values = self._values(row.cells, problems)
        roles = (
            problems.check(partial(_roles, row.cells["roles"])) if "roles" in row.cells else None
        )
        if roles and roles & CONTENT_ROLES and staff_no in self.sysadmins:
            problems.add(SEPARATION_MESSAGE)
        oversees = None
        if "oversees" in row.cells:
            oversees = problems.check(partial(self._oversees, row.cells["oversees"]))
        problems.raise_any()
        return PersonRow(row.line, staff_no, values, roles, oversees)

    def _staff_no(self, row: Row, problems: Problems) -> str:
        staff_no = normalise(row.cells.get("staff_no"))
        if not staff_no:
            problems.add("工号不能为空。")
        elif len(staff_no.split()) > 1 or len(staff_no) > 30:
            problems.add(f"工号“{staff_no}”无效（不能含空格，最多 30 个字符）。")
        elif staff_no in self.seen:
            problems.add(f"工号 {staff_no} 与第 {self.seen[staff_no]} 行重复。")
        else:
            self.seen[staff_no] = row.line
        return staff_no

    def _values(self, cells: dict, problems: Problems) -> dict[str, object]:
        return problems.parse_cells(cells, self.parsers)

    def _department(self, value: object) -> int | None:
        text = cell_text(value)
        if text in NO_DEPARTMENT and self.departments.get(text) is None:
            return None
        return self.departments.find(text, "部门").pk

    def _oversees(self, value: object) -> frozenset[int]:
        names = [name for name in split_list(value) if name not in NO_DEPARTMENT]  # type: ignore[arg-type]
        unknown = [name for name in names if self.departments.get(name) is None]
        if unknown:
            raise CellError(f"分管部门“{'、'.join(unknown)}”不是本院的部门。")
        return frozenset(self.departments.get(name).pk for name in names)  # type: ignore[union-attr]


def _is_leader(value: object) -> bool:
    try:
        return parse_bool(value)  # type: ignore[arg-type]
    except ValueError:
        raise CellError(f"是否院领导“{cell_text(value)}”无法识别（应为“是”或“否”）。") from None


def _status(value: object) -> str:
    status = _STATUSES.get(choice_key(cell_text(value)))
    if status is None:
        labels = "、".join(PersonStatus.labels)
        raise CellError(f"状态“{cell_text(value)}”无法识别（应为 {labels} 之一）。")
    return status


def _roles(value: object) -> frozenset[str]:
    names = [name for name in split_list(value) if name != "无"]  # type: ignore[arg-type]
    unknown = [name for name in names if choice_key(name) not in _ROLES]
    if unknown:
        labels = "、".join(
            label for role, label in Role.choices if role not in NOT_IMPORTABLE_ROLES
        )
        raise CellError(f"角色“{'、'.join(unknown)}”无法识别（可用：{labels}）。")
    roles = frozenset(_ROLES[choice_key(name)] for name in names)
    if roles & NOT_IMPORTABLE_ROLES:
        raise CellError("系统管理员角色不能通过导入授予，请由系统管理员在管理界面中设置。")
    return roles


# Writing ----------------------------------------------------------------------------------


def _write_people(
    court: Court,
    rows: list[PersonRow],
    result: ImportResult,
    *,
    actor: Actor | None,
    progress: Progress,
) -> None:
    progress.start("写入", len(rows))
    existing = {person.staff_no: person for person in Person.objects.filter(court=court)}
    new, changed = _apply_fields(court, rows, existing)
    Person.objects.bulk_create(new, batch_size=BATCH)
    if changed:
        fields = sorted(set().union(*changed.values()))
        Person.objects.bulk_update(list(changed), fields, batch_size=BATCH)
    people = existing | {person.staff_no: person for person in new}
    touched = _grant_roles(court, rows, people) | _set_oversees(rows, people)
    result.pending_grants = _request_content_roles(court, rows, people, actor)
    new_ids = {person.pk for person in new}
    for row in rows:
        person = people[row.staff_no]
        if person.pk in new_ids:
            result.created += 1
        elif person in changed or person.pk in touched:
            result.updated += 1
        else:
            result.unchanged += 1
    audit.log_event(action="people.import", actor=actor, court=court, detail=result.counts())
    progress.advance(len(rows))
    progress.finish()


def _apply_fields(
    court: Court, rows: list[PersonRow], existing: dict[str, Person]
) -> tuple[list[Person], dict[Person, set[str]]]:
    new: list[Person] = []
    changed: dict[Person, set[str]] = {}
    for row in rows:
        person = existing.get(row.staff_no)
        if person is None:
            new.append(Person(court=court, staff_no=row.staff_no, **row.values))
            continue
        diff = {name for name, value in row.values.items() if getattr(person, name) != value}
        for name in diff:
            setattr(person, name, row.values[name])
        if diff:
            changed[person] = diff
    return new, changed


def _grant_roles(court: Court, rows: list[PersonRow], people: dict[str, Person]) -> set[int]:
    held = set(
        RoleAssignment.objects.filter(court=court, person__court=court).values_list(
            "person_id", "role"
        )
    )
    grants = [
        RoleAssignment(person=people[row.staff_no], court=court, role=role)
        for row in rows
        for role in sorted((row.roles or frozenset()) - CONTENT_ROLES)
        if (people[row.staff_no].pk, role) not in held
    ]
    RoleAssignment.objects.bulk_create(grants, batch_size=BATCH)
    return {grant.person_id for grant in grants}


def _request_content_roles(
    court: Court, rows: list[PersonRow], people: dict[str, Person], actor: Actor | None
) -> int:
    """Roles that open contents are only asked for: each becomes a pending grant that an
    approver confirms with a code (security.grants); held or already asked ones are skipped."""
    held = set(
        RoleAssignment.objects.filter(court=court, role__in=CONTENT_ROLES).values_list(
            "person_id", "role"
        )
    )
    pending = set(
        RoleGrant.objects.filter(court=court, status=GrantStatus.PENDING).values_list(
            "person_id", "role"
        )
    )
    count = 0
    for row in rows:
        person = people[row.staff_no]
        for role in sorted((row.roles or frozenset()) & CONTENT_ROLES):
            if (person.pk, role) in held | pending:
                continue
            reason = f"人员导入第 {row.line} 行"
            role_grant_request(actor=actor, person=person, role=role, reason=reason)
            count += 1
    return count


def _set_oversees(rows: list[PersonRow], people: dict[str, Person]) -> set[int]:
    """Make each given 分管部门 cell the whole truth for that person; others are left alone."""
    through = Person.oversees.through
    wanted = {people[row.staff_no].pk: row.oversees for row in rows if row.oversees is not None}
    held: dict[int, set[int]] = defaultdict(set)
    pairs = through.objects.filter(person_id__in=wanted).values_list("person_id", "department_id")
    for person_id, department_id in pairs:
        held[person_id].add(department_id)
    added = [
        through(person_id=person_id, department_id=department_id)
        for person_id, departments in wanted.items()
        for department_id in departments - held[person_id]
    ]
    through.objects.bulk_create(added, batch_size=BATCH)
    touched = {link.person_id for link in added}
    for person_id, departments in wanted.items():
        extra = held[person_id] - departments
        if extra:
            through.objects.filter(person_id=person_id, department_id__in=extra).delete()
            touched.add(person_id)
    return touched
