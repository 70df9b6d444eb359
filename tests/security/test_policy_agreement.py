"""Each visibility rule is a predicate and a query in security/policy.py; they must agree.

For every cast member (and a department head without a department), every fixture object:
records naming colleagues picked, typed and in amendments, drafts, other departments, another
court's, a disclosed one; special reports; disclosures; the screening queue.
"""

import pytest

from mingjing.org.models import Person
from mingjing.org.roles import Role
from mingjing.oversight.models import DisclosureRequest
from mingjing.oversight.selectors import disclosures_for, granted_record_ids, screening_queue
from mingjing.oversight.services import disclosure_request
from mingjing.records.models import Record, RecordStatus, SpecialReport
from mingjing.records.selectors import records_with_contents, records_with_metadata
from mingjing.records.special_selectors import special_reports_visible
from mingjing.security import policy
from mingjing.security.actor import actor_for
from tests.conftest import CAST_SPEC, grant_role
from tests.security import crawl_world
from tests.special.factories import make_deputy_report, make_relatives_report

REASON = "核查举报线索：反映该案承办人受到请托，需核实记录"


@pytest.fixture
def world(cast):
    crawl_world.build(cast)
    headless = Person.objects.create(
        court=cast.courts["a"], staff_no="T0099", name="测试无部门负责人", department=None
    )
    grant_role(headless, Role.STAFF)
    grant_role(headless, Role.DEPT_HEAD)
    for username in ("staff", "head", "custodian", "other_court"):
        make_relatives_report(cast.people[username])
    make_deputy_report(cast.people["staff2"], cast.case, submit=False)
    naming_president = Record.objects.filter(named_indexes__contains=" ").exclude(
        status=RecordStatus.DRAFT
    )
    inspector = actor_for(cast.inspector)
    for record in naming_president.filter(court=cast.courts["a"])[:6]:
        disclosure_request(actor=inspector, kind="view", reason=REASON, record_ids=[record.id])
    Record.objects.create(
        court=cast.courts["a"],
        recorder=cast.people["staff"],
        department=None,
        category="internal_inquiry",
        behaviour="progress",
        manner="phone",
        subject_kind="other",
        occurred_at="2026-01-05T10:00:00+08:00",
        status=RecordStatus.SUBMITTED,
        sealed=b"",
    )
    _send_one_direct(cast)
    return headless


def _send_one_direct(cast):
    """信息直报: one of the staff member's submitted department records goes straight to the
    inspection office, so his head's department rules must leave it out."""
    from django.utils import timezone

    from mingjing.reporting.models import MonthlyReport

    staff = cast.people["staff"]
    record = Record.objects.filter(
        recorder=staff, department=staff.department, status=RecordStatus.SUBMITTED
    ).first()
    assert record is not None
    report = MonthlyReport.objects.create(
        court=staff.court,
        person=staff,
        department=staff.department,
        month=timezone.localdate().replace(day=1),
        kind="direct",
        status="submitted",
        submitted_at=timezone.now(),
    )
    report.records.add(record)
    head = actor_for(cast.head)
    assert not policy.may_view_record_contents(head, record)
    assert not policy.may_view_record_metadata(head, record)


def actors(cast, headless):
    people = [cast.people[name] for name in CAST_SPEC] + [headless]
    return [(person.name, _actor(person)) for person in people]


def _actor(person):
    if person.user is not None:
        return actor_for(person.user)
    from mingjing.security.actor import Actor

    roles = frozenset(person.roles.values_list("role", flat=True))
    return Actor(user=None, person=person, court=person.court, roles=roles)


def test_record_contents_and_metadata_rules_agree_with_their_queries(cast, world):
    records = list(Record.objects.all())
    assert len(records) >= 20
    for name, actor in actors(cast, world):
        granted = granted_record_ids(actor)
        contents = set(records_with_contents(actor).values_list("pk", flat=True))
        metadata = set(records_with_metadata(actor).values_list("pk", flat=True))
        for record in records:
            allowed = policy.may_view_record_contents(actor, record, granted_ids=granted)
            assert allowed == (record.pk in contents), (name, record.pk, "contents")
            shown = policy.may_view_record_metadata(actor, record)
            assert shown == (record.pk in metadata), (name, record.pk, "metadata")


def test_a_head_without_a_department_reviews_nothing(cast, world):
    actor = _actor(world)
    headless_record = Record.objects.get(department=None, recorder=cast.people["staff"])
    assert not policy.may_view_record_contents(actor, headless_record)
    assert not records_with_contents(actor).exists()


def test_special_report_rule_agrees_with_its_query(cast, world):
    reports = list(SpecialReport.objects.all())
    assert len(reports) >= 5
    for name, actor in actors(cast, world):
        visible = set(special_reports_visible(actor).values_list("pk", flat=True))
        for report in reports:
            assert policy.may_view_special_report(actor, report) == (report.pk in visible), (
                name,
                report.pk,
            )


def test_disclosure_rule_agrees_with_its_query(cast, world):
    disclosures = list(DisclosureRequest.objects.prefetch_related("records"))
    assert len(disclosures) >= 3
    for name, actor in actors(cast, world):
        visible = set(disclosures_for(actor).values_list("pk", flat=True))
        for disclosure in disclosures:
            allowed = policy.may_view_disclosure(actor, disclosure)
            assert allowed == (disclosure.pk in visible), (name, disclosure.pk)


def test_screening_rule_agrees_with_the_queues(cast, world):
    pending = list(
        Record.objects.filter(status__in=[RecordStatus.SUBMITTED, RecordStatus.SCREENED])
    )
    for name, actor in actors(cast, world):
        queue = set(screening_queue(actor).values_list("pk", flat=True))
        for record in pending:
            assert policy.may_screen_record(actor, record) == (record.pk in queue), (
                name,
                record.pk,
            )
