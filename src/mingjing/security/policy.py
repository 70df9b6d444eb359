"""The one place that decides who may see and do what (DESIGN.md section 3).

Views, the API, exports and downloads ask these functions; nothing else re-implements them.
Objects of another court are simply not found (404), never forbidden (403).
"""

from __future__ import annotations

import operator
from collections.abc import Collection, Iterable
from functools import reduce
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Q, QuerySet

from mingjing.org.roles import SECOND_FACTOR_ROLES, Role
from mingjing.security.actor import Actor

if TYPE_CHECKING:  # annotations only: the policy sits below the apps whose objects it judges
    from mingjing.accounts.models import User
    from mingjing.cases.models import Case
    from mingjing.org.models import Court, Department, Person, RoleAssignment, RoleGrant
    from mingjing.oversight.models import DisclosureRequest
    from mingjing.records.models import Record, SpecialReport
    from mingjing.reporting.models import CourtReport, MonthlyReport

_QS = TypeVar("_QS", bound=QuerySet[Any])

# Each rule is a predicate (for one object in hand) and, beside it, its query form (for
# selectors): `<rule>_q(actor)` returns the Q that keeps exactly the objects the predicate
# allows, within the actor's court. tests/security/test_policy_agreement.py checks that the
# two agree for every cast member and every fixture object.
NOTHING = Q(pk__in=[])

# Roles that work with the court's cases day to day and may look a case up.
CASE_LOOKUP_ROLES = frozenset(
    {
        Role.STAFF,
        Role.DEPT_HEAD,
        Role.DEPT_ADMIN,
        Role.LEADER,
        Role.CUSTODIAN,
        Role.INSPECTOR,
        Role.APPROVER,
    }
)
# Roles that see people and departments of the court (who is who, not what they recorded).
DIRECTORY_ROLES = CASE_LOOKUP_ROLES | {Role.PERSONNEL}


def same_court(actor: Actor, obj: Any) -> bool:
    """True when `obj` (anything with `court_id`) belongs to the actor's court."""
    return actor.court is not None and getattr(obj, "court_id", None) == actor.court.id


def may_look_up_cases(actor: Actor) -> bool:
    return actor.has(*CASE_LOOKUP_ROLES)


def may_view_case(actor: Actor, case: Case) -> bool:
    """Case metadata (number, cause, parties, handlers) is not a record's substance."""
    return same_court(actor, case) and may_look_up_cases(actor)


def may_view_directory(actor: Actor) -> bool:
    return actor.has(*DIRECTORY_ROLES)


def may_administer(actor: Actor) -> bool:
    """Accounts, settings and keys; never contents (the sysadmin sees no record)."""
    return actor.has(Role.SYSADMIN)


# Models the admin shows whole: not a court's (Django's groups and permissions).
ADMIN_UNSCOPED = frozenset({"auth.Group", "auth.Permission"})


def admin_scope(actor: Actor, model: type[Any]) -> Q:
    """Query form of what a sysadmin administers of `model`: his own court's rows only (its
    people, departments, cases, grants, accounts; the court itself), never another court's,
    the higher court's or a lower one's. Accounts not yet linked to a person belong to no
    court and are in every sysadmin's scope. A model with no known court: nothing."""
    court = actor.court
    label = model._meta.label
    if court is None or not may_administer(actor):
        return Q(pk__in=[])
    if label in ADMIN_UNSCOPED:
        return Q()
    if label == "org.Court":
        return Q(pk=court.pk)
    if label == "accounts.User":
        return Q(person__court=court) | Q(person__isnull=True)
    names = {f.name for f in model._meta.get_fields()}
    for path in ("court", "case__court", "person__court"):
        if path.split("__")[0] in names:
            return Q(**{path: court})
    return Q(pk__in=[])


def may_import(actor: Actor) -> bool:
    """People and cases come in from the personnel and case-management systems."""
    return actor.has(Role.SYSADMIN)


def needs_second_factor(actor: Actor) -> bool:
    return bool(actor.roles & SECOND_FACTOR_ROLES)


def department_ids_for_counts(actor: Actor) -> frozenset[int] | None:
    """Departments whose counts and statuses the actor sees; None means the whole court."""
    if actor.has(Role.CUSTODIAN, Role.INSPECTOR, Role.APPROVER):
        return None
    ids: set[int] = set(actor.overseen_department_ids)
    if actor.has(Role.DEPT_HEAD, Role.DEPT_ADMIN) and actor.department_id:
        ids.add(actor.department_id)
    return frozenset(ids)


# --- Records: contents versus counts -------------------------------------------------------
#
# Contents (who asked, what was said, how it was handled, attachments) are seen by the
# recorder, his department head for review, the custodian and the approver; anyone else only
# through an approved, unexpired, unrevoked disclosure. Whatever the roles, a person named as
# a record's subject never sees it. Drafts are the recorder's alone.

CONTENT_ROLES_COURTWIDE = frozenset({Role.CUSTODIAN, Role.APPROVER})


def subject_indexes_of(actor: Actor) -> tuple[str, ...]:
    """The blind indexes that would name this actor as a record's subject: his person id and
    his name (so a subject typed instead of picked, or a homonym, counts too).

    Computed once per actor (one request): the index key never rotates, and a listing asks
    this for every row.
    """
    if actor.person is None or actor.court is None:
        return ()
    cached = actor.__dict__.get("_subject_indexes")
    if cached is None:
        from mingjing.security.sealing import blind_index

        person = blind_index(actor.court, str(actor.person.id), kind="person")
        name = blind_index(actor.court, actor.person.name, kind="name")
        cached = tuple(index for index in (person, name) if index)
        object.__setattr__(actor, "_subject_indexes", cached)
    return cached


def names_as_subject(indexes: Iterable[str], record: Record) -> bool:
    """True when any of `indexes` is among the record's named-subject indexes."""
    named = record.named_indexes or ""
    return any(f" {index} " in named for index in indexes)


def is_named_subject(actor: Actor, record: Record) -> bool:
    return names_as_subject(subject_indexes_of(actor), record)


def naming_any_q(indexes: Iterable[str], *, prefix: str = "") -> Q:
    """Query form of names_as_subject: rows (records, or through `prefix` what holds them)
    naming any of `indexes`; NOTHING for none."""
    queries = [Q(**{f"{prefix}named_indexes__contains": f" {index} "}) for index in indexes]
    return reduce(operator.or_, queries) if queries else NOTHING


def _naming(actor: Actor, *, prefix: str = "", keep_own: bool = True) -> Q | None:
    """The Q matching records that name the actor (None when he has no index)."""
    indexes = subject_indexes_of(actor)
    if not indexes:
        return None
    query = naming_any_q(indexes, prefix=prefix)
    if keep_own and actor.person is not None:
        query &= ~Q(**{f"{prefix}recorder_id": actor.person.id})
    return query


def without_named_subject(actor: Actor, records: _QS, *, keep_own: bool = True) -> _QS:
    """The query form of `names_actor`: `records` less those naming the actor, except his own
    (`keep_own=False`: the query form of `is_named_subject`, his own ones go too)."""
    query = _naming(actor, keep_own=keep_own)
    return records if query is None else records.exclude(query)


def without_records_naming(actor: Actor, objects: _QS, *, via: str = "records") -> _QS:
    """`objects` (disclosures, reports...) less any linked through `via` to a record naming the
    actor: a whole item that contains such a record goes around him (DESIGN.md section 3)."""
    query = _naming(actor)
    if query is None:
        return objects
    records = objects.model._meta.get_field(via).related_model.objects
    naming = records.filter(court=actor.court).filter(query).values("pk")
    return objects.exclude(**{f"{via}__in": naming})


def names_actor(actor: Actor, record: Record) -> bool:
    """A record naming the actor (picked, typed, or a homonym) that he did not record himself.

    The recorder always keeps his own record: a clerk named 张伟 who records an inquiry by an
    outside 张伟 must not lose it.
    """
    return is_named_subject(actor, record) and not is_recorder(actor, record)


def is_recorder(actor: Actor, record: Record) -> bool:
    return actor.person is not None and record.recorder_id == actor.person.id


def reviews_a_department(actor: Actor) -> bool:
    """A department head with a department (a head without one reviews nothing)."""
    return actor.has(Role.DEPT_HEAD) and actor.department_id is not None


def _reviews_department(actor: Actor, record: Record | SpecialReport) -> bool:
    return reviews_a_department(actor) and record.department_id == actor.department_id


def _reviewable_q(actor: Actor) -> Q:
    """Query form of the content roles' part: court-wide, or the head's department."""
    if actor.has(*CONTENT_ROLES_COURTWIDE):
        return Q()
    if reviews_a_department(actor):
        return Q(department_id=actor.department_id)
    return NOTHING


def may_view_record_contents(
    actor: Actor, record: Record, *, granted_ids: Collection[int] = frozenset()
) -> bool:
    """The one rule for reading a record's substance (DESIGN.md section 3)."""
    if not same_court(actor, record) or names_actor(actor, record):
        return False
    if is_recorder(actor, record):
        return True
    if record.status == "draft":
        return False
    if actor.has(*CONTENT_ROLES_COURTWIDE):
        return True
    if _reviews_department(actor, record) and not sent_direct(record):
        return True
    return record.id in granted_ids


def sent_direct(record: Record) -> bool:
    """信息直报: the recorder sent the record straight to the inspection office, around his
    department's review; his head no longer reads it by reviewing (docs/reporting.md)."""
    return record.reports.filter(kind="direct").exists()


def _record_reviewable_q(actor: Actor) -> Q:
    """Query form of the content roles' part for records: as `_reviewable_q`, less the
    records sent direct (`sent_direct`) for the head."""
    if actor.has(*CONTENT_ROLES_COURTWIDE):
        return Q()
    return _reviewable_q(actor) & ~Q(reports__kind="direct")


def record_contents_q(actor: Actor, *, granted_ids: Collection[int] = frozenset()) -> Q:
    """Query form of may_view_record_contents, less named-subject exclusion (which
    `visible_records` adds): own records, or submitted ones by role or by grant."""
    if actor.person is None:
        return NOTHING
    submitted = ~Q(status="draft")
    visible = Q(recorder_id=actor.person.id) | (submitted & _record_reviewable_q(actor))
    if granted_ids:
        visible |= submitted & Q(id__in=granted_ids)
    return visible


def visible_records(actor: Actor, records: _QS, rule: Q) -> _QS:
    """`records` of the actor's court that `rule` keeps, less those naming the actor."""
    if actor.court is None:
        return records.none()
    mine = records.filter(court_id=actor.court.id).filter(rule)
    return without_named_subject(actor, mine)


def may_view_record_metadata(actor: Actor, record: Record) -> bool:
    """Category, dates, department and status, never the substance: the counts roles."""
    if not same_court(actor, record) or names_actor(actor, record):
        return False
    if is_recorder(actor, record):
        return True
    if record.status == "draft":
        return False
    departments = department_ids_for_counts(actor)
    if departments is None:
        return True
    return record.department_id in departments and not sent_direct(record)


def record_metadata_q(actor: Actor) -> Q:
    """Query form of may_view_record_metadata (with `visible_records`)."""
    if actor.person is None:
        return NOTHING
    departments = department_ids_for_counts(actor)
    submitted = ~Q(status="draft")
    if departments is not None:  # a department's view never shows what went direct
        submitted &= Q(department_id__in=departments) & ~Q(reports__kind="direct")
    return Q(recorder_id=actor.person.id) | submitted


def may_list_records(actor: Actor) -> bool:
    """The records page: everyone of a court who records or sees records' figures; not the
    sysadmin, the higher court's supervisor or the personnel office (figures elsewhere)."""
    others = actor.roles - {Role.SYSADMIN, Role.SUPERVISOR, Role.PERSONNEL}
    return actor.person is not None and bool(others)


def may_record(actor: Actor) -> bool:
    """Every serving member of a court's staff records what he was asked (逢问必录)."""
    return actor.person is not None and actor.court is not None and actor.has(Role.STAFF)


def may_edit_record(actor: Actor, record: Record) -> bool:
    """Drafts are the recorder's alone to change; a submitted record never changes."""
    return same_court(actor, record) and is_recorder(actor, record) and record.status == "draft"


def may_amend_record(actor: Actor, record: Record) -> bool:
    """Corrections to a submitted record are appended by its recorder, and by nobody else."""
    return same_court(actor, record) and is_recorder(actor, record) and record.status != "draft"


def may_view_late_reports(actor: Actor) -> bool:
    """The inspection office follows late contact reports: metadata only, never contents."""
    return actor.has(Role.CUSTODIAN, Role.INSPECTOR)


def may_request_disclosure(actor: Actor) -> bool:
    return actor.has(Role.INSPECTOR, Role.CUSTODIAN)


def may_list_disclosures(actor: Actor) -> bool:
    """The disclosure pages: those who ask (inspection office) and those who decide."""
    return may_request_disclosure(actor) or actor.has(Role.APPROVER)


def decides_disclosures(actor: Actor) -> bool:
    """The approver's queue of pending disclosure requests."""
    return actor.has(Role.APPROVER)


def may_decide_disclosure(actor: Actor, disclosure: DisclosureRequest) -> bool:
    return same_court(actor, disclosure) and actor.has(Role.APPROVER)


def may_view_disclosure(actor: Actor, disclosure: DisclosureRequest) -> bool:
    """The requester, and the approver and custodian; never one holding a record naming him."""
    if not same_court(actor, disclosure):
        return False
    if any(names_actor(actor, record) for record in disclosure.records.all()):
        return False
    mine = actor.person is not None and disclosure.requester_id == actor.person.id
    return mine or actor.has(Role.APPROVER, Role.CUSTODIAN)


def disclosures_q(actor: Actor) -> Q:
    """Query form of may_view_disclosure, less the named-subject part (which
    `without_records_naming` adds)."""
    if actor.person is None:
        return NOTHING
    if actor.has(Role.APPROVER, Role.CUSTODIAN):
        return Q()
    return Q(requester_id=actor.person.id)


def may_revoke_disclosure(actor: Actor, disclosure: DisclosureRequest) -> bool:
    mine = actor.person is not None and disclosure.requester_id == actor.person.id
    return same_court(actor, disclosure) and (mine or actor.has(Role.APPROVER))


# --- Case declarations (一案一表) ----------------------------------------------------------
#
# A declaration's status (待填报/已填报/已入卷) is case metadata, seen by whoever may look the
# case up. Whether it says "none" or "N records" is a count about records, so it is seen only
# by the case's own handlers and by those who see counts for the case's department; the
# records' contents follow may_view_record_contents as everywhere. The handler declares for
# himself alone. At closing, the declarations are bound into the secondary file (副卷) by one
# of the case's handlers (usually the clerk) or the head of the handling department; nobody
# else touches a case's file.

DECLARATION_REPORT_ROLES = frozenset(
    {
        Role.CUSTODIAN,
        Role.INSPECTOR,
        Role.APPROVER,
        Role.DEPT_HEAD,
        Role.DEPT_ADMIN,
        Role.LEADER,
    }
)


def is_case_handler(actor: Actor, handler_ids: Collection[int]) -> bool:
    """True when the actor's person is among `handler_ids` (the case's assigned people)."""
    return actor.person is not None and actor.person.id in handler_ids


def may_view_declaration_counts(actor: Actor, case: Case, *, handler_ids: Collection[int]) -> bool:
    """'None' or 'N records' per handler (never contents): handlers and the counts roles."""
    if not may_view_case(actor, case):
        return False
    if is_case_handler(actor, handler_ids):
        return True
    departments = department_ids_for_counts(actor)
    return departments is None or case.department_id in departments


def may_print_declarations(actor: Actor, case: Case, *, handler_ids: Collection[int]) -> bool:
    """The printable form states counts, so it follows may_view_declaration_counts."""
    return may_view_declaration_counts(actor, case, handler_ids=handler_ids)


def may_print_binding_copy(
    actor: Actor, case: Case, *, person_id: int, handler_ids: Collection[int]
) -> bool:
    """One handler's complete 一案一表 for the case file (入卷件, docs/declarations.md): printed
    by that handler (whose records they are) or, when he cannot, by the court-wide content
    roles (custodian, approver: they read them all, each read logged). A record naming the
    printer is left out without a hint, as everywhere."""
    if not may_view_case(actor, case) or person_id not in handler_ids:
        return False
    return is_case_handler(actor, {person_id}) or actor.has(*CONTENT_ROLES_COURTWIDE)


def may_declare(actor: Actor, case: Case, declaration: Any) -> bool:
    """Only the handler himself declares, on a case of his court, until it is bound."""
    mine = actor.person is not None and declaration.person_id == actor.person.id
    return mine and may_view_case(actor, case) and declaration.case_id == case.id


def may_bind_declarations(actor: Actor, case: Case, *, handler_ids: Collection[int]) -> bool:
    """The case's handlers or the head of the handling department bind at closing."""
    if not may_view_case(actor, case):
        return False
    heads_department = actor.has(Role.DEPT_HEAD) and case.department_id == actor.department_id
    return is_case_handler(actor, handler_ids) or heads_department


def may_ask_may_close(actor: Actor) -> bool:
    """ "May this case be closed?" is asked by the case-management roles of the court."""
    return may_look_up_cases(actor)


def may_view_declaration_report(actor: Actor) -> bool:
    """The report of closed cases with missing declarations; scoped by department_ids_for_counts."""
    return actor.has(*DECLARATION_REPORT_ROLES)


# --- Special reports (近亲属从事律师职业报告表, 人大代表政协委员关注案件报告表) ------------------
#
# Contents are seen as a record's are: the reporter, his department head, the custodian and the
# approver. Nobody is the "subject" of a special report, so named-subject exclusion does not
# apply; others see nothing at all, not even that a report exists.


def may_file_special_report(actor: Actor) -> bool:
    """Every serving staff member files his own special reports."""
    return actor.person is not None and actor.has(Role.STAFF)


def is_reporter(actor: Actor, report: SpecialReport) -> bool:
    return actor.person is not None and report.reporter_id == actor.person.id


def may_view_special_report(actor: Actor, report: SpecialReport) -> bool:
    """The one rule for a special report's contents (and its existence): drafts are private."""
    if not same_court(actor, report):
        return False
    if is_reporter(actor, report):
        return True
    if report.status == "draft":
        return False
    return actor.has(*CONTENT_ROLES_COURTWIDE) or _reviews_department(actor, report)


def special_reports_q(actor: Actor) -> Q:
    """Query form of may_view_special_report (within the actor's court)."""
    if actor.person is None:
        return NOTHING
    return Q(reporter_id=actor.person.id) | (~Q(status="draft") & _reviewable_q(actor))


def may_edit_special_report(actor: Actor, report: SpecialReport) -> bool:
    """Only the reporter, and only while it is a draft: submitted reports are immutable."""
    return same_court(actor, report) and is_reporter(actor, report) and report.status == "draft"


def may_list_special_reports(actor: Actor) -> bool:
    """The overview of submitted reports: court-wide, or one department for its head."""
    return actor.has(*CONTENT_ROLES_COURTWIDE, Role.DEPT_HEAD)


def may_view_relatives_register(actor: Actor) -> bool:
    """Relatives in the legal profession, with names, for recusal checks."""
    return actor.has(*CONTENT_ROLES_COURTWIDE)


# --- Screening and disposition (甄别处置) ----------------------------------------------------
#
# The custodian classifies each submitted record and decides what follows. He never screens a
# record naming him. The recorder learns the outcome (classification and disposition) of his
# own records; the custodian's note stays with the custodian and the approver.


def may_screen(actor: Actor) -> bool:
    """Whether the actor works a screening queue at all: the custodian, and the approver for
    the records that name a custodian (which the custodian can never screen)."""
    return actor.person is not None and actor.has(Role.CUSTODIAN, Role.APPROVER)


def screens_in_place_of_custodian(actor: Actor) -> bool:
    """The approver's queue: only the records that name a custodian."""
    return may_screen(actor) and not actor.has(Role.CUSTODIAN)


def custodian_indexes(court: Court) -> tuple[str, ...]:
    """The subject indexes (person id and name) of every custodian of the court."""
    from mingjing.org.models import Person
    from mingjing.security.sealing import blind_index

    people = Person.objects.filter(roles__court=court, roles__role=Role.CUSTODIAN).distinct()
    indexes = []
    for person in people.only("id", "name"):
        indexes.append(blind_index(court, str(person.id), kind="person"))
        indexes.append(blind_index(court, person.name, kind="name"))
    return tuple(index for index in indexes if index)


def may_screen_record(actor: Actor, record: Record) -> bool:
    """Never a draft, never a record naming the actor. The custodian screens the rest; the
    approver screens those naming a custodian (seed 四(五): nobody screens his own case)."""
    if not may_screen(actor) or not same_court(actor, record) or record.status == "draft":
        return False
    if is_named_subject(actor, record):
        return False
    if not screens_in_place_of_custodian(actor):
        return True
    court = actor.court
    return court is not None and names_as_subject(custodian_indexes(court), record)


def screenable(actor: Actor, records: _QS) -> _QS:
    """The query form of may_screen_record over `records` (already of the actor's court)."""
    if not may_screen(actor) or actor.court is None:
        return records.none()
    records = without_named_subject(actor, records, keep_own=False)
    if not screens_in_place_of_custodian(actor):
        return records
    return records.filter(naming_any_q(custodian_indexes(actor.court)))


def may_view_screening_outcome(actor: Actor, record: Record) -> bool:
    """Classification and disposition: the recorder, the custodian and the approver."""
    if not same_court(actor, record) or names_actor(actor, record):
        return False
    return is_recorder(actor, record) or actor.has(*CONTENT_ROLES_COURTWIDE)


def may_read_screening_note(actor: Actor, record: Record) -> bool:
    """The custodian's reasoning: custodian and approver only, never the recorder as such."""
    if not same_court(actor, record) or names_actor(actor, record):
        return False
    return actor.has(*CONTENT_ROLES_COURTWIDE)


# --- The court's monthly report and compliance (seed 三(二), 五(一)) -------------------------
#
# Counts and statuses only, never contents. The inspection office (custodian, inspector) and
# the president see the whole court: they follow departments' reports, remind the late ones
# and assemble the court report; only the president reviews it. Compliance figures (on-time
# rates, zero-report streaks, late contact reports) follow department_ids_for_counts: heads
# and department administrators their own department, leaders those they oversee.

COURT_REPORT_ROLES = frozenset({Role.CUSTODIAN, Role.INSPECTOR, Role.APPROVER})
INSPECTION_OFFICE_ROLES = frozenset({Role.CUSTODIAN, Role.INSPECTOR})
COMPLIANCE_ROLES = COURT_REPORT_ROLES | {Role.DEPT_HEAD, Role.DEPT_ADMIN, Role.LEADER}


def may_view_court_reports(actor: Actor) -> bool:
    """Every department's monthly status and counts, court-wide."""
    return actor.court is not None and actor.has(*COURT_REPORT_ROLES)


def may_remind_departments(actor: Actor) -> bool:
    """Reminding late departments is the inspection office's job."""
    return actor.court is not None and actor.has(*INSPECTION_OFFICE_ROLES)


def may_assemble_court_report(actor: Actor) -> bool:
    """The inspection office assembles the court's monthly report for the president."""
    return actor.person is not None and may_remind_departments(actor)


def may_review_court_report(actor: Actor, report: CourtReport) -> bool:
    """The president (approver) of the report's court reviews it."""
    return actor.person is not None and same_court(actor, report) and actor.has(Role.APPROVER)


def may_view_court_compliance(actor: Actor) -> bool:
    """The court-wide compliance page and its export."""
    return may_view_court_reports(actor)


def may_view_some_compliance(actor: Actor) -> bool:
    """Some department's compliance (which ones: department_ids_for_counts)."""
    return actor.court is not None and actor.has(*COMPLIANCE_ROLES)


def may_view_department_compliance(actor: Actor, department: Department) -> bool:
    """One department's compliance: court-wide roles, or its head, administrator, leader."""
    if not same_court(actor, department) or not actor.has(*COMPLIANCE_ROLES):
        return False
    departments = department_ids_for_counts(actor)
    return departments is None or department.id in departments


# --- Personal monthly reports and department review (seed 三(二)) ---------------------------
#
# Every serving staff member files his own monthly report (records, or an explicit zero). His
# department's head reviews (approves or returns) the department's reports, except his own,
# which moves up to the custodian, and sends the department report to the inspection office.
# A report's status, zero flag and lateness are counts, not contents: they are seen by those
# who see the department's counts (department_ids_for_counts); the records a report gathers
# follow may_view_record_contents as everywhere (records naming the viewer never show).

DEPARTMENT_REPORT_ROLES = frozenset(
    {
        Role.DEPT_HEAD,
        Role.DEPT_ADMIN,
        Role.LEADER,
        Role.CUSTODIAN,
        Role.INSPECTOR,
        Role.APPROVER,
    }
)


def may_view_department_overview(actor: Actor) -> bool:
    """The list of departments' monthly statuses (scoped by department_ids_for_counts)."""
    return actor.court is not None and actor.has(*DEPARTMENT_REPORT_ROLES)


def may_file_monthly_report(actor: Actor) -> bool:
    """Every serving member of a court's staff reports monthly, himself."""
    return may_record(actor)


def may_view_department_reports(actor: Actor, department: Department) -> bool:
    """A department's monthly statuses and counts: heads and administrators their own
    department, leaders those they oversee, the inspection office and the president all."""
    if not same_court(actor, department) or not actor.has(*DEPARTMENT_REPORT_ROLES):
        return False
    departments = department_ids_for_counts(actor)
    return departments is None or department.id in departments


def heads_department(actor: Actor, department_id: int | None) -> bool:
    """The actor is the head of that department (of his own court)."""
    return (
        actor.person is not None
        and actor.has(Role.DEPT_HEAD)
        and department_id is not None
        and actor.department_id == department_id
    )


# Routing (信息直报, docs/reporting.md): a report goes around its department's head to the
# custodian when it is the head's own, when it is a direct report (kind "direct"), or when any
# of its records names a head of its department. The head then sees nothing of it: no row and
# no count (monthly_reports_visible), and a direct report is seen by the court-wide roles only.


def names_custodian(report: MonthlyReport) -> bool:
    """Any record of the report names a custodian: the approver takes it over when it goes
    around the head (the custodian would review a report about himself)."""
    indexes = custodian_indexes(report.court)
    return any(names_as_subject(indexes, record) for record in report.records.all())


def head_indexes(court: Court, department_ids: Iterable[int | None]) -> dict[int, tuple[str, ...]]:
    """{department id: subject indexes (person id and name) of its heads}, in one query."""
    from mingjing.org.models import Person
    from mingjing.security.sealing import blind_index

    ids = [i for i in department_ids if i is not None]
    heads = Person.objects.filter(
        court=court, department_id__in=ids, roles__court=court, roles__role=Role.DEPT_HEAD
    ).distinct()
    found: dict[int, list[str]] = {}
    for person in heads.only("id", "name", "department_id"):
        keys = found.setdefault(person.department_id or 0, [])
        keys.append(blind_index(court, str(person.id), kind="person"))
        keys.append(blind_index(court, person.name, kind="name"))
    return {key: tuple(i for i in values if i) for key, values in found.items()}


def names_reviewer(report: MonthlyReport) -> bool:
    """Any record of the report names a head of the report's department (not his own)."""
    indexes = head_indexes(report.court, [report.department_id]).get(report.department_id or 0)
    if not indexes:
        return False
    return any(names_as_subject(indexes, record) for record in report.records.all())


def naming_reviewer_q(court: Court, reports: QuerySet[Any]) -> Q:
    """Query form of names_reviewer: the Q keeping those of `reports` (MonthlyReport rows of
    `court`) with a record naming a head of their department."""
    department_ids = reports.order_by().values_list("department_id", flat=True).distinct()
    query = NOTHING
    for department_id, indexes in head_indexes(court, list(department_ids)).items():
        for index in indexes:
            query |= Q(department_id=department_id, records__named_indexes__contains=f" {index} ")
    if query == NOTHING:
        return NOTHING
    return Q(pk__in=reports.model.objects.filter(court=court).filter(query).values("pk"))


def goes_around_head(report: MonthlyReport) -> bool:
    """Reviewed by the custodian instead of the department's head (the rule above)."""
    return report.kind == "direct" or _filed_by_a_head(report) or names_reviewer(report)


def may_see_direct_reports(actor: Actor) -> bool:
    """Direct reports (直报) are the inspection office's and the president's."""
    return actor.has(*COURT_REPORT_ROLES)


def may_see_monthly_report(actor: Actor, report: MonthlyReport) -> bool:
    """A report's row and status on the department pages: never one whose record names the
    viewer, and a direct report only for the court-wide roles (and its reporter)."""
    if not same_court(actor, report):
        return False
    own = actor.person is not None and report.person_id == actor.person.id
    if report.kind == "direct" and not (own or may_see_direct_reports(actor)):
        return False
    return not any(names_actor(actor, record) for record in report.records.all())


def monthly_reports_visible(actor: Actor, reports: _QS) -> _QS:
    """Query form of may_see_monthly_report over `reports` (already of the actor's court)."""
    if not may_see_direct_reports(actor):
        mine = actor.person.id if actor.person is not None else 0
        reports = reports.exclude(Q(kind="direct") & ~Q(person_id=mine))
    return without_records_naming(actor, reports)


def may_review_monthly_report(actor: Actor, report: MonthlyReport) -> bool:
    """The head of the report's department reviews it; the custodian those that go around the
    head (his own, direct reports, reports naming him), and the approver those of them that
    name a custodian; nobody one naming himself."""
    if not same_court(actor, report) or actor.person is None:
        return False
    if report.person_id == actor.person.id or not may_see_monthly_report(actor, report):
        return False
    if goes_around_head(report):
        if names_custodian(report):
            return actor.has(Role.APPROVER)
        return actor.has(Role.CUSTODIAN)
    return heads_department(actor, report.department_id)


def reviewable_monthly_reports(actor: Actor, reports: _QS) -> _QS:
    """Query form of may_review_monthly_report over `reports` (any status)."""
    if actor.person is None or actor.court is None:
        return reports.none()
    from mingjing.org.models import RoleAssignment

    mine = reports.filter(court_id=actor.court.id).exclude(person_id=actor.person.id)
    heads = RoleAssignment.objects.filter(court_id=actor.court.id, role=Role.DEPT_HEAD)
    around = Q(kind="direct") | Q(person_id__in=heads.values("person_id"))
    around |= naming_reviewer_q(actor.court, mine)
    if actor.has(Role.CUSTODIAN, Role.APPROVER):
        naming = naming_any_q(custodian_indexes(actor.court), prefix="records__")
        naming_custodian = Q(pk__in=mine.filter(naming).values("pk"))
        office = NOTHING
        if actor.has(Role.CUSTODIAN):
            office |= around & ~naming_custodian
        if actor.has(Role.APPROVER):
            office |= around & naming_custodian
        scoped = mine.filter(office)
    elif actor.has(Role.DEPT_HEAD) and actor.department_id is not None:
        scoped = mine.filter(department_id=actor.department_id).exclude(around)
    else:
        return reports.none()
    return monthly_reports_visible(actor, scoped)


def _filed_by_a_head(report: MonthlyReport) -> bool:
    from mingjing.org.models import RoleAssignment

    return RoleAssignment.objects.filter(
        person_id=report.person_id, court_id=report.court_id, role=Role.DEPT_HEAD
    ).exists()


def may_submit_department_report(actor: Actor, department: Department) -> bool:
    """Only the department's head sends its monthly report to the inspection office."""
    return same_court(actor, department) and heads_department(actor, department.id)


# Roles (separation of duties, issue 8 point 2) ----------------------------------------------


def may_list_role_grants(actor: Actor) -> bool:
    """Approvers see the content-role grants waiting for a second person's confirmation."""
    return actor.has(Role.APPROVER) and actor.court is not None


def may_confirm_role_grant(actor: Actor, grant: RoleGrant) -> bool:
    """An approver of the grant's court confirms it: never a grant to himself, nor one he
    asked for (nobody grants himself contents)."""
    if not may_list_role_grants(actor) or actor.person is None:
        return False
    if actor.court is None or grant.court_id != actor.court.id:
        return False
    return actor.person.id not in (grant.person_id, grant.requested_by_id)


def may_revoke_role(actor: Actor, assignment: RoleAssignment) -> bool:
    """The sysadmin takes away any role in his court; an approver, content roles of others."""
    from mingjing.org.roles import CONTENT_ROLES

    if actor.court is None or assignment.court_id != actor.court.id:
        return False
    if may_administer(actor):
        return True
    own = actor.person is not None and assignment.person_id == actor.person.id
    return actor.has(Role.APPROVER) and assignment.role in CONTENT_ROLES and not own


def holds_content_role(user: User | None = None, *, person: Person | None = None) -> bool:
    """The account (or the person) holds a role that opens contents, in any court."""
    from mingjing.org.models import RoleAssignment
    from mingjing.org.roles import CONTENT_ROLES

    roles = RoleAssignment.objects.filter(role__in=CONTENT_ROLES)
    if person is not None and person.pk is not None:
        return roles.filter(person=person).exists()
    if user is None or user.pk is None:
        return False
    return roles.filter(person__user=user).exists()


def may_take_over_account(actor: Actor, user: User) -> bool:
    """Setting a password, resetting the second factor or relinking an account: the sysadmin,
    except for an account that opens contents. Otherwise he could become the custodian by
    taking over his account, so those go through the holder himself (DESIGN.md section 3)."""
    return may_administer(actor) and not holds_content_role(user)
