"""The monthly reports' routing rule (issue 10 point 5) agrees with its query forms: for every
cast member, every report — ordinary, naming the head, direct, a head's own, another court's,
naming the head and the custodian."""

from datetime import date

import pytest
from django.utils import timezone

from mingjing.reporting.models import MonthlyReport
from mingjing.security import policy
from tests.conftest import make_record
from tests.security.test_policy_agreement import actors
from tests.security.test_policy_agreement import world as world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _report(person, records=(), kind="regular"):
    report = MonthlyReport.objects.create(
        court=person.court,
        person=person,
        department=person.department,
        month=date(2025, 1, 1),  # a month the crawl world leaves empty
        kind=kind,
        is_zero=not records,
        submitted_at=timezone.now(),
    )
    report.records.set(records)
    return report


@pytest.fixture
def reports(cast, world):  # noqa: F811
    people = cast.people
    return [
        _report(people["staff"], [make_record(people["staff"])]),
        _report(people["staff2"], [make_record(people["staff2"], subject_person=people["head"])]),
        _report(people["staff2"], [make_record(people["staff2"])], kind="direct"),
        _report(people["head"]),
        _report(people["deptadmin"], [make_record(people["deptadmin"])], kind="supplementary"),
        _report(people["other_court"]),
        _report(
            people["staff2"],
            [
                make_record(people["staff2"], subject_person=people["head"]),
                make_record(people["staff2"], subject_person=people["custodian"]),
            ],
            kind="supplementary",
        ),
    ]


def test_monthly_report_rules_agree_with_their_queries(cast, world, reports):  # noqa: F811
    everything = MonthlyReport.objects.all()
    for name, actor in actors(cast, world):
        court = everything.filter(court=actor.court) if actor.court else everything.none()
        visible = set(policy.monthly_reports_visible(actor, court).values_list("pk", flat=True))
        reviewable = set(
            policy.reviewable_monthly_reports(actor, everything).values_list("pk", flat=True)
        )
        for report in everything.prefetch_related("records"):
            seen = policy.may_see_monthly_report(actor, report)
            assert seen == (report.pk in visible), (name, report.pk, "see")
            may = policy.may_review_monthly_report(actor, report)
            assert may == (report.pk in reviewable), (name, report.pk, "review")


def test_the_routing_sends_each_report_to_one_reviewer(cast, reports):
    ordinary, naming_head, direct, heads_own = reports[:4]
    head, custodian = policy_actor(cast.head), policy_actor(cast.custodian)
    assert policy.may_review_monthly_report(head, ordinary)
    assert not policy.may_review_monthly_report(custodian, ordinary)
    for report in (naming_head, direct, heads_own):
        assert policy.goes_around_head(report)
        assert not policy.may_review_monthly_report(head, report)
        assert policy.may_review_monthly_report(custodian, report)
    assert not policy.may_see_monthly_report(head, naming_head)
    assert not policy.may_see_monthly_report(head, direct)


def policy_actor(user):
    from mingjing.security.actor import actor_for

    return actor_for(user)


def test_a_report_naming_the_head_and_the_custodian_goes_to_the_approver(cast, reports):
    naming_both = reports[-1]
    approver, custodian = policy_actor(cast.approver), policy_actor(cast.custodian)
    assert policy.goes_around_head(naming_both) and policy.names_custodian(naming_both)
    assert policy.may_review_monthly_report(approver, naming_both)
    assert not policy.may_review_monthly_report(custodian, naming_both)
    assert not policy.may_review_monthly_report(policy_actor(cast.head), naming_both)
