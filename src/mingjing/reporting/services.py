"""Writes for the monthly cycle (seed 三(二)): personal reports, review, department reports.

Which month a record is reported in — the rule:

* A record belongs to the month it was **submitted** in (``submitted_at`` in the court's time
  zone), whatever month the inquiry happened in: a record submitted on 3 December about a
  November call is part of December's report. Nothing already reported ever moves.
* A person's regular report for a month gathers his submitted records of that month that are
  in no report yet. Once it is in, a record submitted later in the same month is **not**
  added to it: filing again for that month makes a supplementary report (kind
  ``supplementary``) gathering exactly those records. A supplementary report is never zero.
* A zero report is refused while he has submitted records for the month.
* A returned report is resubmitted by its person: it gathers its records again together with
  any unreported records of the month, and goes back to the department it was filed in.
* A zero report is a statement about the days it covers, with the declaration text (and its
  version) the person affirmed stored on it. Filed after the month ended it is final. Filed
  for the current month before its end it says "so far" (截至目前, ``zero_through`` = that
  day) and must be re-confirmed after the month ends; until then the month counts as not
  finally reported. A record submitted later in the month turns the "so far" report into a
  report of that record (reviewed again), never a supplementary one beside a zero.
* A staff member may send submitted records straight to the inspection office (信息直报, kind
  ``direct``): they form their own report, which the department's review never shows.
* A report reaches the inspection office with the department report, or, when it was filed,
  returned or supplemented after the department report was sent, as its own item (补报) the
  head approves and forwards. Reports that go around the head (policy.goes_around_head) reach
  the office when the custodian approves them.
* A report is late when filed after the month's due moment (calendar.due_at); lateness is
  that of the first filing (a return is the reviewer's doing, not the reporter's).

Every mutation is atomic and in the audit chain, with identifiers and counts only.
"""

from collections.abc import Collection
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from mingjing.org.models import Court, Department, Person
from mingjing.records.models import Record, RecordStatus
from mingjing.reporting import calendar, events
from mingjing.reporting.models import (
    DepartmentReport,
    DepartmentStatus,
    MonthlyReport,
    PersonalStatus,
    ReportKind,
)
from mingjing.security import audit, policy, transitions
from mingjing.security.actor import Actor, known_or_403

ZERO_DECLARATION = "本人本月无过问、干预、不当接触交往等需要记录报告的情况。"
# "So far" wording of the same statement, for a zero report filed before the month's end.
ZERO_DECLARATION_SO_FAR = "截至%(day)s，本人本月无过问、干预、不当接触交往等需要记录报告的情况。"
DECLARATION_VERSION = "2026-1"
SUBMITTED_RECORDS = [RecordStatus.SUBMITTED, RecordStatus.SCREENED, RecordStatus.DISPOSED]


# --- Months --------------------------------------------------------------------------------


def current_month(now: datetime | None = None) -> date:
    """The first day of the court's current month (in the court's time zone)."""
    return calendar.month_start(timezone.localdate(now or timezone.now()))


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """[start, end) of a month as aware datetimes in the court's time zone."""
    start = datetime.combine(month, datetime.min.time())
    end = datetime.combine(calendar.next_month(month), datetime.min.time())
    return timezone.make_aware(start), timezone.make_aware(end)


def records_of_month(person: Person, month: date) -> QuerySet[Record]:
    """His submitted records whose submission falls in `month` (the rule above)."""
    start, end = month_bounds(month)
    return Record.objects.filter(
        recorder=person,
        status__in=SUBMITTED_RECORDS,
        submitted_at__gte=start,
        submitted_at__lt=end,
    )


def unreported_records(person: Person, month: date) -> QuerySet[Record]:
    """His records of `month` that no report has gathered yet."""
    return records_of_month(person, month).filter(reports__isnull=True)


def is_late(court: Court, month: date, when: datetime) -> bool:
    return when >= calendar.due_at(court, month)


# --- Personal reports --------------------------------------------------------------------


def _check_month(month: date, now: datetime) -> None:
    if month > current_month(now):
        raise ValidationError(_("不能提前报告以后月份的情况。"))


def _check_zero(person: Person, month: date, zero: bool, records: list[Record]) -> None:
    if zero and records_of_month(person, month).exists():
        raise ValidationError(_("本月已有提交的记录，不能作零报告；请提交含记录的月报告。"))
    if not zero and not records:
        raise ValidationError(_("本月没有已提交的记录；如确无情况，请作零报告。"))


def _log(
    actor: Actor,
    action: str,
    report: MonthlyReport | DepartmentReport,
    request: HttpRequest | None,
    **detail: Any,
) -> None:
    detail = {"month": f"{report.month:%Y-%m}", **detail}
    audit.log_event(action=action, actor=actor, obj=report, detail=detail, request=request)


@transaction.atomic
def monthly_report_submit(
    *,
    actor: Actor,
    month: date,
    zero: bool,
    affirm: bool = False,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> MonthlyReport:
    """File the actor's report for `month`: regular (records or zero), a resubmission of a
    returned one, or a supplementary report of records submitted after it (module rule).

    A zero report needs `affirm`: the person ticked the declaration (the confirmation step)."""
    if not policy.may_file_monthly_report(actor):
        raise PermissionDenied(_("只有本院在职干警可以填报月报告。"))
    now = now or timezone.now()
    month = calendar.month_start(month)
    _check_month(month, now)
    if zero and not affirm:
        raise ValidationError(_("零报告须确认声明：请勾选“本人确认以上声明属实”后再提交。"))
    person = Person.objects.select_for_update().get(pk=known_or_403(actor).person.pk)
    regular = (
        MonthlyReport.objects.select_for_update()
        .filter(person=person, month=month, kind=ReportKind.REGULAR)
        .first()
    )
    pending = list(unreported_records(person, month))
    if regular is None:
        return _file_regular(actor, person, month, zero, pending, now, request)
    if regular.status == PersonalStatus.RETURNED:
        return _resubmit(actor, regular, zero, pending, now, request)
    if regular.is_zero and regular.zero_unconfirmed and pending and not zero:
        return _resubmit(actor, regular, zero, pending, now, request)
    return _file_supplementary(actor, person, month, zero, pending, now, request)


def _file_regular(
    actor: Actor,
    person: Person,
    month: date,
    zero: bool,
    pending: list[Record],
    now: datetime,
    request: HttpRequest | None,
) -> MonthlyReport:
    _check_zero(person, month, zero, pending)
    report = MonthlyReport.objects.create(
        court=person.court,
        person=person,
        department=person.department,
        month=month,
        kind=ReportKind.REGULAR,
        is_zero=zero,
        submitted_at=now,
        is_late=is_late(person.court, month, now),
        **(_zero_fields(month, now) if zero else {}),
    )
    report.records.set(pending)
    _log(actor, "monthly_report.submit", report, request, zero=zero, records=len(pending))
    return report


def _resubmit(
    actor: Actor,
    report: MonthlyReport,
    zero: bool,
    pending: list[Record],
    now: datetime,
    request: HttpRequest | None,
) -> MonthlyReport:
    records = list(report.records.all()) + pending
    _check_zero(report.person, report.month, zero, records)
    was = report.status
    report.is_zero = zero
    for name, value in _zero_fields(report.month, now, clear=not zero).items():
        setattr(report, name, value)
    report.forwarded_at, report.forwarded_late = None, False
    report.status = PersonalStatus.SUBMITTED
    report.submitted_at = now
    report.reviewed_by = None
    report.reviewed_at = None
    report.return_reason = ""
    transitions.save_if(report, REVIEWED_ALREADY, status=was)
    report.records.set(records)
    _log(actor, "monthly_report.resubmit", report, request, zero=zero, records=len(records))
    events.resubmitted(report)
    return report


def month_ended(month: date, now: datetime) -> bool:
    return now >= month_bounds(month)[1]


def _zero_fields(month: date, now: datetime, *, clear: bool = False) -> dict[str, Any]:
    """The declaration affirmed, and whether it is final (the month over) or "so far"."""
    if clear:
        return {
            "zero_through": None,
            "zero_confirmed_at": None,
            "declaration": "",
            "declaration_version": "",
        }
    if month_ended(month, now):
        last = calendar.next_month(month) - timedelta(days=1)
        return {
            "zero_through": last,
            "zero_confirmed_at": now,
            "declaration": ZERO_DECLARATION,
            "declaration_version": DECLARATION_VERSION,
        }
    today = timezone.localdate(now)
    return {
        "zero_through": today,
        "zero_confirmed_at": None,
        "declaration": ZERO_DECLARATION_SO_FAR % {"day": f"{today:%Y-%m-%d}"},
        "declaration_version": DECLARATION_VERSION,
    }


@transaction.atomic
def zero_report_confirm(
    *,
    actor: Actor,
    month: date,
    affirm: bool,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> MonthlyReport:
    """Re-confirm a "so far" zero report once its month has ended: it becomes final, with the
    full-month declaration affirmed now. Refused before the month's end, without the tick, or
    when records were submitted meanwhile (then the person files them instead)."""
    if not policy.may_file_monthly_report(actor):
        raise PermissionDenied(_("只有本院在职干警可以填报月报告。"))
    now = now or timezone.now()
    month = calendar.month_start(month)
    person = known_or_403(actor).person
    report = (
        MonthlyReport.objects.select_for_update()
        .filter(person=person, month=month, kind=ReportKind.REGULAR, is_zero=True)
        .first()
    )
    if report is None or not report.zero_unconfirmed:
        raise ValidationError(_("该月没有需要确认的零报告。"))
    if not month_ended(month, now):
        raise ValidationError(_("本月尚未结束，月末之后才能确认全月零报告。"))
    if not affirm:
        raise ValidationError(_("请勾选“本人确认以上声明属实”后再确认。"))
    if unreported_records(person, month).exists():
        raise ValidationError(_("本月又有已提交的记录，不能确认零报告；请提交含记录的月报告。"))
    for name, value in _zero_fields(month, now).items():
        setattr(report, name, value)
    report.save()
    _log(actor, "monthly_report.zero_confirm", report, request)
    return report


def zero_confirmations_due(person: Person, now: datetime | None = None) -> list[MonthlyReport]:
    """His "so far" zero reports whose month has ended: what his home asks him to confirm."""
    start = current_month(now)
    return list(
        MonthlyReport.objects.filter(
            person=person,
            kind=ReportKind.REGULAR,
            is_zero=True,
            zero_confirmed_at__isnull=True,
            month__lt=start,
        ).order_by("month")
    )


@transaction.atomic
def direct_report_submit(
    *,
    actor: Actor,
    month: date,
    record_ids: list[int],
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> MonthlyReport:
    """信息直报: send some of his unreported records of `month` straight to the inspection
    office, as their own report that the department's review never shows."""
    if not policy.may_file_monthly_report(actor):
        raise PermissionDenied(_("只有本院在职干警可以填报月报告。"))
    now = now or timezone.now()
    month = calendar.month_start(month)
    _check_month(month, now)
    person = Person.objects.select_for_update().get(pk=known_or_403(actor).person.pk)
    records = list(unreported_records(person, month).filter(pk__in=record_ids))
    if not records or len(records) != len(set(record_ids)):
        raise ValidationError(_("请选择本月尚未报告的记录直报督察室。"))
    report = _report_of_records(person, month, ReportKind.DIRECT, records, now)
    _log(actor, "monthly_report.direct", report, request, records=len(records))
    return report


def _report_of_records(
    person: Person, month: date, kind: str, records: list[Record], now: datetime
) -> MonthlyReport:
    """A report of `records` of its own (supplementary or direct), beside the regular one."""
    report = MonthlyReport.objects.create(
        court=person.court,
        person=person,
        department=person.department,
        month=month,
        kind=kind,
        submitted_at=now,
        is_late=is_late(person.court, month, now),
    )
    report.records.set(records)
    return report


def _file_supplementary(
    actor: Actor,
    person: Person,
    month: date,
    zero: bool,
    pending: list[Record],
    now: datetime,
    request: HttpRequest | None,
) -> MonthlyReport:
    if zero or not pending:
        raise ValidationError(_("本月报告已提交，没有需要补充报告的新记录。"))
    report = _report_of_records(person, month, ReportKind.SUPPLEMENTARY, pending, now)
    _log(actor, "monthly_report.supplement", report, request, records=len(pending))
    return report


# --- Review ------------------------------------------------------------------------------

REVIEWED_ALREADY = _lazy("该月报告已审核（可能已在其他页面处理），无需重复审核。")


@transaction.atomic
def monthly_report_review(
    *,
    actor: Actor,
    report: MonthlyReport,
    approve: bool,
    reason: str = "",
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> MonthlyReport:
    """Approve a submitted report, or return it with a reason (required) for resubmission."""
    report = transitions.locked(MonthlyReport, report.pk)
    if not policy.may_review_monthly_report(actor, report):
        raise PermissionDenied(_("无权审核该月报告。"))
    if report.status != PersonalStatus.SUBMITTED:
        raise ValidationError(REVIEWED_ALREADY)
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("退回时必须填写退回原因。")})
    now = now or timezone.now()
    report.status = PersonalStatus.APPROVED if approve else PersonalStatus.RETURNED
    report.return_reason = "" if approve else reason
    report.reviewed_by = actor.person
    report.reviewed_at = now
    forwarded = approve and _forward_on_approval(report, now)
    transitions.save_if(report, REVIEWED_ALREADY, status=PersonalStatus.SUBMITTED)
    action = "monthly_report.approve" if approve else "monthly_report.return"
    _log(actor, action, report, request, person=report.person_id, forwarded=forwarded)
    if not approve:
        events.returned(report)
    return report


def department_report_sent(department_id: int | None, month: date) -> bool:
    if department_id is None:
        return False
    return DepartmentReport.objects.filter(
        department_id=department_id, month=month, status=DepartmentStatus.SUBMITTED
    ).exists()


def _forward_on_approval(report: MonthlyReport, now: datetime) -> bool:
    """An approved report reaches the inspection office now when it went around the head
    (the custodian approved it) or when the department report was already sent (补报)."""
    if policy.goes_around_head(report):
        report.forwarded_at = now
        return True
    if department_report_sent(report.department_id, report.month):
        report.forwarded_at, report.forwarded_late = now, True
        return True
    return False


# --- Department reports -----------------------------------------------------------------


def expected_people(department: Department) -> QuerySet[Person]:
    """Who reports in a department now: its serving members holding the staff role."""
    return (
        Person.objects.filter(
            department=department,
            status="serving",
            roles__role="staff",
            roles__court_id=department.court_id,
        )
        .distinct()
        .order_by("staff_no")
    )


def department_reports(department: Department, month: date) -> QuerySet[MonthlyReport]:
    """Reports filed in the department for the month (where the person was when he filed)."""
    return MonthlyReport.objects.filter(department=department, month=month).select_related("person")


def missing_people(department: Department, month: date) -> list[Person]:
    """Current members with no regular report for the month, in whatever department."""
    reported = MonthlyReport.objects.filter(month=month, kind=ReportKind.REGULAR).values(
        "person_id"
    )
    return list(expected_people(department).exclude(pk__in=reported))


def unreviewed_reports(
    actor: Actor, department: Department, month: date
) -> QuerySet[MonthlyReport]:
    """Submitted reports awaiting the actor's review (those going around him are not his)."""
    pending = department_reports(department, month).filter(status=PersonalStatus.SUBMITTED)
    return policy.reviewable_monthly_reports(actor, pending)


def _breakdown(records: QuerySet[Record], field: str) -> dict[str, int]:
    rows = records.values(field).annotate(n=Count("id", distinct=True)).order_by(field)
    return {row[field]: row["n"] for row in rows}


def department_figures(department: Department, month: date) -> dict[str, Any]:
    """Counts for the inspection office: people, zero, late, missing (with names), records
    by category, behaviour and subject kind. Never a record's substance."""
    reports = department_reports(department, month)
    regular = reports.filter(kind=ReportKind.REGULAR)
    unconfirmed = Q(is_zero=True, zero_confirmed_at__isnull=True)
    records = Record.objects.filter(reports__in=reports).distinct()
    missing = missing_people(department, month)
    return {
        "month": f"{month:%Y-%m}",
        "reported": regular.exclude(unconfirmed).count(),
        "zero": regular.filter(is_zero=True).exclude(unconfirmed).count(),
        "so_far": regular.filter(unconfirmed).count(),
        "late": regular.filter(is_late=True).count(),
        "returned": regular.filter(status=PersonalStatus.RETURNED).count(),
        "supplementary": reports.filter(kind=ReportKind.SUPPLEMENTARY).count(),
        "missing": len(missing),
        "missing_people": [{"id": p.id, "name": p.name} for p in missing],
        "records": records.count(),
        "by_category": _breakdown(records, "category"),
        "by_behaviour": _breakdown(records, "behaviour"),
        "by_subject_kind": _breakdown(records, "subject_kind"),
    }


def _check_reviewed(actor: Actor, department: Department, month: date) -> None:
    waiting = list(unreviewed_reports(actor, department, month))
    if waiting:
        names = "、".join(sorted({r.person.name for r in waiting}))
        raise ValidationError(
            _("还有 %(n)d 份个人月报告未审核（%(names)s），请审核后再报送。")
            % {"n": len(waiting), "names": names}
        )


def check_ready(
    actor: Actor, department: Department, month: date, existing: DepartmentReport | None = None
) -> None:
    """Why the department report cannot be sent now (already sent, reports unreviewed)."""
    existing = (
        existing or DepartmentReport.objects.filter(department=department, month=month).first()
    )
    if existing is not None and existing.status == DepartmentStatus.SUBMITTED:
        raise ValidationError(_("本月部门报告已报送督察室。"))
    _check_reviewed(actor, department, month)


def _check_confirmed(
    department: Department, month: date, confirm: bool, missing_ids: Collection[int]
) -> None:
    missing = missing_people(department, month)
    if not confirm or {p.id for p in missing} != {int(i) for i in missing_ids}:
        names = "、".join(p.name for p in missing) or _("无")
        raise ValidationError(
            _("请确认后再报送：未报告的人员（%(names)s）将在部门报告中列为未报告。")
            % {"names": names}
        )


@transaction.atomic
def department_report_submit(
    *,
    actor: Actor,
    department: Department,
    month: date,
    confirm: bool = False,
    missing_ids: Collection[int] = (),
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> DepartmentReport:
    """The head sends the department's report for `month` to the inspection office.

    Refused while any submitted personal report he reviews is unreviewed, and unless he
    confirmed (`confirm`) having seen the people with no report by name (`missing_ids` must
    be exactly them; the list is in the figures). Once sent, again only if the office
    returned it. Approved reports sent with it reach the office now (forwarded_at).
    """
    if not policy.may_submit_department_report(actor, department):
        raise PermissionDenied(_("只有本部门负责人可以报送部门月报告。"))
    now = now or timezone.now()
    month = calendar.month_start(month)
    _check_month(month, now)
    # The first report of the month has no row to lock yet: two heads (or two tabs) sending
    # it at once are serialised on the department instead of colliding on the unique month.
    transitions.lock_parent(Department, department.pk)
    existing = (
        DepartmentReport.objects.select_for_update()
        .filter(department=department, month=month)
        .first()
    )
    head = known_or_403(actor).person
    check_ready(actor, department, month, existing)
    _check_confirmed(department, month, confirm, missing_ids)
    report = existing or DepartmentReport(court=department.court, department=department)
    report.month = month
    report.status = DepartmentStatus.SUBMITTED
    report.submitted_by = head
    report.submitted_at = now
    report.is_late = is_late(department.court, month, now)
    report.figures = department_figures(department, month)
    report.save()
    department_reports(department, month).filter(
        status=PersonalStatus.APPROVED, forwarded_at__isnull=True
    ).exclude(kind=ReportKind.DIRECT).update(forwarded_at=now)
    counts = {k: report.figures[k] for k in ("reported", "zero", "missing", "late")}
    _log(actor, "department_report.submit", report, request, **counts)
    events.department_sent(report)
    return report
