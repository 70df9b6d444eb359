"""一案一表: case declarations (DESIGN.md sections 2 and 4; seed 三(一)).

Every person assigned to a case owes a declaration for it: either the records he made about
the case, or an explicit "no such situation". Rows are expected (`pending`) from the moment
of assignment, declared by the handler himself, and bound (`bound`) into the case's secondary
file at closing. Services (`declaration_*`, `declarations_*`) write and log; selectors take
the actor and return only what he may see. Which records a declaration covers is computed
live from Record.cases, so a record submitted later is never missing from the form.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mingjing.cases import selectors as case_selectors
from mingjing.cases.models import Assignment, Case, CaseStage
from mingjing.declarations.models import CaseDeclaration, DeclarationStatus
from mingjing.org.models import Court, Person
from mingjing.records.models import Record
from mingjing.records.selectors import SUBMITTED
from mingjing.security import audit, policy, transitions
from mingjing.security.actor import Actor

SYNC_BATCH = 900  # case ids per round: keeps every IN (...) under SQLite's old 999 limit
NONE_TEXT = gettext_noop("本人在办理该案过程中无过问、干预、不当接触交往等情况。")
CLOSED_STAGES = (CaseStage.CLOSED, CaseStage.ARCHIVED)


# --- Expecting declarations ------------------------------------------------------------------


def assignment_saved(
    sender: Any, instance: Assignment, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    """post_save of cases.Assignment: the newly assigned person owes a declaration."""
    if created and not raw:
        declaration_expect(case_id=instance.case_id, person_id=instance.person_id)


def declaration_expect(*, case_id: int, person_id: int) -> CaseDeclaration:
    """The person's declaration for the case, created pending (and logged) if missing."""
    declaration, created = CaseDeclaration.objects.get_or_create(
        case_id=case_id, person_id=person_id
    )
    if created:
        court = Case.objects.select_related("court").get(pk=case_id).court
        detail = {"case": case_id, "person": person_id}
        audit.log_event(action="declaration.expect", court=court, obj=declaration, detail=detail)
    return declaration


def declarations_sync(
    *,
    court: Court | None = None,
    case_ids: Iterable[int] | None = None,
    actor: Actor | None = None,
    log: bool = True,
) -> int:
    """Create the missing pending declarations in bulk (imports write assignments by SQL).

    Limited to `case_ids` (in rounds of SYNC_BATCH) or else to `court` (else everything);
    returns how many were created and logs one event when any were (unless not `log`: an
    import syncing chunk by chunk logs the total once). Each round is one
    INSERT … SELECT … WHERE NOT EXISTS, so the database compares the keys: measured on 50,000
    imported cases, fetching keys and bulk_create spent about ten times as long in Python.
    """
    if case_ids is None:
        created = _sync_round("c.court_id = %s" if court else "1 = 1", [court.pk] if court else [])
    else:
        ids = sorted(set(case_ids))
        created = 0
        for start in range(0, len(ids), SYNC_BATCH):
            chunk = ids[start : start + SYNC_BATCH]
            created += _sync_round(f"a.case_id IN ({', '.join(['%s'] * len(chunk))})", chunk)
    if created and log:
        detail = {"created": created}
        audit.log_event(action="declarations.sync", actor=actor, court=court, detail=detail)
    return created


def declarations_for_new_cases(pairs: Iterable[tuple[int, int]]) -> int:
    """Pending declarations for (case id, person id) pairs of cases created a moment ago, which
    have none yet: an import's new cases, without declarations_sync's comparison against the
    table (each pair once; COPY on PostgreSQL). Returns how many; logs nothing (the caller's
    event carries the count)."""
    unique = sorted(set(pairs))
    if not unique:
        return 0
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    pending = DeclarationStatus.PENDING
    rows = [(case_id, person_id, pending, False, now) for case_id, person_id in unique]
    table = connection.ops.quote_name(CaseDeclaration._meta.db_table)
    columns = "case_id, person_id, status, none_to_report, created_at"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s)"
            cursor.executemany(sql, rows)
    return len(rows)


def _sync_round(where: str, params: list[Any]) -> int:
    """Insert a pending declaration for every assigned (case, person) pair that has none."""
    quote = connection.ops.quote_name
    declarations, assignments = CaseDeclaration._meta.db_table, Assignment._meta.db_table
    cases = Case._meta.db_table
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    sql = (
        f"INSERT INTO {quote(declarations)} (case_id, person_id, status, none_to_report, "
        f"created_at) SELECT DISTINCT a.case_id, a.person_id, %s, %s, %s "
        f"FROM {quote(assignments)} a JOIN {quote(cases)} c ON c.id = a.case_id "
        f"WHERE {where} AND NOT EXISTS (SELECT 1 FROM {quote(declarations)} d "
        f"WHERE d.case_id = a.case_id AND d.person_id = a.person_id)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [DeclarationStatus.PENDING, False, now, *params])
        return max(int(cursor.rowcount), 0)


# --- Declaring and binding -------------------------------------------------------------------


def handler_ids(case: Case) -> frozenset[int]:
    """The ids of the people assigned to the case (each owes a declaration)."""
    return frozenset(Assignment.objects.filter(case=case).values_list("person_id", flat=True))


def own_case_records(person: Person | None, case: Case) -> QuerySet[Record]:
    """The submitted records `person` made that are linked to `case` (his own: he may read)."""
    if person is None:
        return Record.objects.none()
    return Record.objects.filter(
        court_id=case.court_id, recorder=person, cases=case, status__in=SUBMITTED
    ).order_by("occurred_at")


def declaration_declare(
    *, actor: Actor, case: Case, none_to_report: bool, request: HttpRequest | None = None
) -> CaseDeclaration:
    """The handler declares his records about the case, or that there was none.

    He may declare again (after recording something new) until the declarations are bound.
    Declaring records needs at least one submitted record linked to the case; declaring
    "none" is refused while he has such records. Raises PermissionDenied for anyone but the
    case's handler, ValidationError (Chinese message) for the rest; nothing changes then.
    """
    with transaction.atomic():
        declaration = _own_declaration(actor, case)
        if declaration.status == DeclarationStatus.BOUND:
            raise ValidationError(_("本案的一案一表已入卷，不能再修改。"))
        count = own_case_records(actor.person, case).count()
        _check_choice(none_to_report, count)
        again = declaration.status == DeclarationStatus.DECLARED
        declaration.status = DeclarationStatus.DECLARED
        declaration.none_to_report = none_to_report
        declaration.declared_at = timezone.now()
        transitions.save_if(
            declaration,
            _("本案的一案一表已入卷，不能再修改。"),
            fields=["status", "none_to_report", "declared_at"],
            status__in=[DeclarationStatus.PENDING, DeclarationStatus.DECLARED],
        )
        detail = {"case": case.id, "none_to_report": none_to_report, "records": count}
        detail["again"] = again
        log: dict[str, Any] = {
            "actor": actor,
            "obj": declaration,
            "detail": detail,
            "request": request,
        }
        audit.log_event(action="declaration.declare", **log)
    return declaration


def _own_declaration(actor: Actor, case: Case) -> CaseDeclaration:
    person_id = actor.person.id if actor.person else None
    declaration = (
        CaseDeclaration.objects.select_for_update()
        .filter(case=case, person_id=person_id)  # type: ignore[misc]  # None: IS NULL
        .first()
    )
    if declaration is None and person_id in handler_ids(case):
        expected = declaration_expect(case_id=case.id, person_id=person_id)
        declaration = CaseDeclaration.objects.select_for_update().get(pk=expected.pk)
    if declaration is None or not policy.may_declare(actor, case, declaration):
        raise PermissionDenied(_("只有本案的办案人员才能填报本人的一案一表。"))
    return declaration


def _check_choice(none_to_report: bool, count: int) -> None:
    if not none_to_report and count == 0:
        raise ValidationError(
            _(
                "您还没有提交与本案有关的记录。请先填写并提交记录（在记录中选择本案），"
                "再填报；如确无相关情况，请选择“无相关情况”。"
            )
        )
    if none_to_report and count:
        raise ValidationError(
            _("您已提交 %(count)s 条与本案有关的记录，不能声明无相关情况。") % {"count": count}
        )


def declarations_bind(*, actor: Actor, case: Case, request: HttpRequest | None = None) -> int:
    """Mark the case's declarations bound into the secondary file (副卷) at closing.

    Allowed to the case's handlers and the head of the handling department
    (policy.may_bind_declarations). Refused while any declaration is pending. Returns how
    many declarations were bound.
    """
    if not policy.may_bind_declarations(actor, case, handler_ids=handler_ids(case)):
        raise PermissionDenied(_("只有本案的办案人员或承办部门负责人才能将一案一表入卷。"))
    with transaction.atomic():
        declarations_sync(case_ids=[case.id], actor=actor)  # rows owed but never created
        rows = CaseDeclaration.objects.select_for_update().filter(case=case)
        pending = [d.person.name for d in rows.select_related("person") if d.status == "pending"]
        if pending:
            raise ValidationError(
                _("尚有 %(count)s 人未填报（%(names)s），不能入卷。")
                % {"count": len(pending), "names": "、".join(pending)}
            )
        bound = rows.filter(status=DeclarationStatus.DECLARED).update(
            status=DeclarationStatus.BOUND, bound_at=timezone.now()
        )
        if not bound:
            raise ValidationError(_("没有可入卷的一案一表。"))
        detail = {"case": case.id, "bound": bound}
        audit.log_event(
            action="declarations.bind", actor=actor, obj=case, detail=detail, request=request
        )
    return bound


# --- Reading -----------------------------------------------------------------------------


@dataclass
class DeclarationRow:
    """One handler's declaration as the viewer may see it: counts, never contents."""

    declaration: CaseDeclaration
    roles: list[str]
    record_count: int | None  # None when the viewer may not see counts

    @property
    def person(self) -> Person:
        return self.declaration.person

    @property
    def is_pending(self) -> bool:
        return self.declaration.status == DeclarationStatus.PENDING

    @property
    def stale(self) -> bool:
        """Declared 'none' but a record about the case was submitted since."""
        return bool(self.declaration.none_to_report and self.record_count)


def _handlers(case: Case) -> dict[int, tuple[Person, list[str]]]:
    """person id -> (person, role labels) for everyone assigned to the case."""
    handlers: dict[int, tuple[Person, list[str]]] = {}
    for assignment in Assignment.objects.filter(case=case).select_related("person").order_by("id"):
        person, roles = handlers.setdefault(assignment.person_id, (assignment.person, []))
        roles.append(str(assignment.get_role_display()))
    return handlers


def case_records_for(actor: Actor, case: Case) -> QuerySet[Record]:
    """Submitted records linked to the case, minus those naming the viewer as their subject."""
    records = Record.objects.filter(court_id=case.court_id, cases=case, status__in=SUBMITTED)
    visible: QuerySet[Record] = policy.without_named_subject(actor, records)
    return visible


def declaration_rows(actor: Actor, case: Case) -> list[DeclarationRow]:
    """Every handler's declaration for a case the actor may view (the caller fetched it).

    A handler whose row is missing (assigned before declarations existed) shows as pending.
    """
    if not policy.may_view_case(actor, case):
        raise Http404("案件不存在")
    handlers = _handlers(case)
    counts = None
    if policy.may_view_declaration_counts(actor, case, handler_ids=frozenset(handlers)):
        per = case_records_for(actor, case).values("recorder_id").annotate(n=Count("id"))
        counts = {row["recorder_id"]: row["n"] for row in per}
    declarations = {d.person_id: d for d in case.declarations.select_related("person")}
    rows = []
    for person_id, (person, roles) in handlers.items():
        declaration = declarations.pop(person_id, None) or CaseDeclaration(case=case, person=person)
        rows.append(DeclarationRow(declaration, roles, _count(counts, person_id)))
    # Declarations of people no longer assigned stay visible: they were owed once.
    rows += [DeclarationRow(d, [], _count(counts, pid)) for pid, d in declarations.items()]
    return rows


def _count(counts: dict[int, int] | None, person_id: int) -> int | None:
    return None if counts is None else counts.get(person_id, 0)


@dataclass
class CloseCheck:
    """Whether the case may be reported closed-and-complete, and who has not declared."""

    case: Case
    pending: list[DeclarationRow] = field(default_factory=list)

    @property
    def may_close(self) -> bool:
        return not self.pending

    def as_json(self) -> dict[str, Any]:
        return {
            "case_id": self.case.id,
            "case_number": self.case.number,
            "may_close": self.may_close,
            "pending": [
                {"name": row.person.name, "staff_no": row.person.staff_no, "roles": row.roles}
                for row in self.pending
            ],
        }


def close_check(actor: Actor, case: Case) -> CloseCheck:
    """May this case be closed? Only when no declaration of its handlers is pending."""
    if not policy.may_ask_may_close(actor):
        raise PermissionDenied(_("您的角色无权查询案件。"))
    return CloseCheck(case, [row for row in declaration_rows(actor, case) if row.is_pending])


def case_by_number(actor: Actor, raw: str) -> Case:
    """The actor's court's case with that number (full, or short and unambiguous, as the
    forms read it: cases.selectors.case_by_number), or 404."""
    try:
        return case_selectors.case_by_number(actor, raw)
    except ValidationError as exc:
        raise Http404("案件不存在") from exc


# --- The report of closed cases with missing declarations ------------------------------------


@dataclass
class HandlerMissing:
    name: str
    staff_no: str
    cases: list[tuple[str, date | None]]  # (case number, closed_on)

    @property
    def count(self) -> int:
        return len(self.cases)


@dataclass
class DepartmentMissing:
    name: str
    handlers: list[HandlerMissing]

    @property
    def count(self) -> int:
        return sum(handler.count for handler in self.handlers)


def closed_missing_declarations(actor: Actor) -> QuerySet[CaseDeclaration]:
    """Pending declarations of closed cases, scoped by policy.department_ids_for_counts."""
    if not policy.may_view_declaration_report(actor) or actor.court is None:
        raise PermissionDenied(_("您的角色无权查看该报表。"))
    closed = Q(case__stage__in=CLOSED_STAGES) | Q(case__closed_on__isnull=False)
    pending = CaseDeclaration.objects.filter(
        closed, status=DeclarationStatus.PENDING, case__court=actor.court
    )
    departments = policy.department_ids_for_counts(actor)
    if departments is not None:
        pending = pending.filter(case__department_id__in=departments)
    return pending.select_related("case__department", "person").order_by(
        "case__department__name", "person__name", "person__staff_no", "case__number"
    )


def missing_by_department(actor: Actor) -> list[DepartmentMissing]:
    """The report, grouped by the cases' department and then by handler."""
    groups: dict[str, dict[tuple[str, str], HandlerMissing]] = {}
    for row in closed_missing_declarations(actor):
        department = row.case.department.name if row.case.department else _("未指定部门")
        handlers = groups.setdefault(department, {})
        key = (row.person.name, row.person.staff_no)
        handler = handlers.setdefault(key, HandlerMissing(*key, cases=[]))
        handler.cases.append((row.case.number, row.case.closed_on))
    return [DepartmentMissing(name, list(h.values())) for name, h in groups.items()]
