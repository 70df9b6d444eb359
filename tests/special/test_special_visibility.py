"""Who sees a special report (DESIGN.md section 3, as for records; no named subject here)."""

import pytest
from django.urls import reverse

from mingjing.security.models import AuditEvent
from tests.conftest import ROLE_USERS
from tests.matrix.roles import REPORT_READERS
from tests.special.factories import (
    SECRET_CONCERN,
    SECRET_RELATIVE,
    make_deputy_report,
    make_relatives_report,
)

READERS = REPORT_READERS


@pytest.mark.parametrize("username", ROLE_USERS)
def test_contents_only_for_reporter_head_custodian_and_approver(cast, login, username):
    report = make_relatives_report(cast.people["staff"])
    response = login(cast.users[username]).get(reverse("special:detail", args=[report.id]))
    if username in READERS:
        assert response.status_code == 200
        assert SECRET_RELATIVE in response.content.decode()
    else:
        assert response.status_code == 404
        assert SECRET_RELATIVE not in response.content.decode()


@pytest.mark.parametrize("username", ["head", "custodian", "approver"])
def test_a_draft_is_the_reporters_alone(cast, login, username):
    report = make_relatives_report(cast.people["staff"], submit=False)
    response = login(cast.users[username]).get(reverse("special:detail", args=[report.id]))
    assert response.status_code == 404


def test_another_courts_report_is_not_found(cast, login):
    report = make_relatives_report(cast.people["other_court"])
    for username in ("custodian", "approver", "head"):
        response = login(cast.users[username]).get(reverse("special:detail", args=[report.id]))
        assert response.status_code == 404


def test_the_head_of_another_department_does_not_see_it(cast, login):
    report = make_relatives_report(cast.people["inspector"])  # office, not civil
    response = login(cast.head).get(reverse("special:detail", args=[report.id]))
    assert response.status_code == 404


def test_every_read_of_contents_is_logged(cast, login):
    report = make_relatives_report(cast.people["staff"])
    login(cast.custodian).get(reverse("special:detail", args=[report.id]))
    reads = AuditEvent.objects.filter(action="special.read", object_id=str(report.pk))
    assert reads.filter(actor_id=cast.custodian.pk).count() == 1


def test_my_list_shows_only_my_reports(cast, login):
    mine = make_relatives_report(cast.people["staff"])
    theirs = make_relatives_report(cast.people["staff2"])
    page = login(cast.staff).get(reverse("special:list")).content.decode()
    assert f"#{mine.id}<" in page and f"#{theirs.id}<" not in page


def test_the_overview_is_court_wide_for_the_custodian_without_contents(cast, login):
    civil = make_deputy_report(cast.people["staff"], cast.case)
    office = make_relatives_report(cast.people["inspector"])
    draft = make_relatives_report(cast.people["staff2"], submit=False)
    page = login(cast.custodian).get(reverse("special:overview")).content.decode()
    assert f"#{civil.id}<" in page and f"#{office.id}<" in page and f"#{draft.id}<" not in page
    assert SECRET_CONCERN not in page and SECRET_RELATIVE not in page


def test_the_overview_is_one_department_for_its_head(cast, login):
    civil = make_relatives_report(cast.people["staff"])
    office = make_relatives_report(cast.people["inspector"])
    page = login(cast.head).get(reverse("special:overview")).content.decode()
    assert f"#{civil.id}<" in page and f"#{office.id}<" not in page


def test_the_relatives_register_lists_relatives_for_recusal(cast, login):
    report = make_relatives_report(cast.people["staff"])
    make_relatives_report(cast.people["staff2"], submit=False)
    page = login(cast.custodian).get(reverse("special:relatives")).content.decode()
    assert SECRET_RELATIVE in page and cast.people["staff"].name in page
    assert page.count(SECRET_RELATIVE) == 1
    assert AuditEvent.objects.filter(action="special.read", object_id=str(report.pk)).exists()


@pytest.mark.parametrize("username", ["staff", "head", "inspector", "deptadmin"])
def test_the_relatives_register_is_closed_to_others(cast, login, username):
    response = login(cast.users[username]).get(reverse("special:relatives"))
    assert response.status_code == 403
