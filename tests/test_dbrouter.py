"""The database router: report pages read from the replica, everything else from the primary.

Here the replica is a second alias of the test database (tests/settings.py, `MIRROR`), so the
router's decisions are checked by which connection ran which query. tests/test_replica.py
checks the same against a real PostgreSQL streaming replica.
"""

import pytest
from django.contrib.sessions.models import Session
from django.db import connections, router, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mingjing.accounts.models import User
from mingjing.cases.models import Case
from mingjing.dbrouter import REPLICA, replica_reads
from mingjing.notify.models import Notification
from mingjing.org.models import Person
from mingjing.records.models import Record
from mingjing.reporting.models import DepartmentReport, MonthlyReport
from mingjing.security.models import AuditEvent, CourtKey
from tests.conftest import login_as

replica_on = override_settings(MINGJING_REPLICA_READS=True)
REPORT_MODELS = [MonthlyReport, DepartmentReport, Record, Case, Person]
PRIMARY_MODELS = [User, Session, AuditEvent, CourtKey, Notification]


@replica_on
@pytest.mark.parametrize("model", REPORT_MODELS)
def test_report_reads_go_to_the_replica_inside_replica_reads(model):
    assert router.db_for_read(model) == "default"
    with replica_reads():
        assert router.db_for_read(model) == REPLICA


@replica_on
@pytest.mark.parametrize("model", PRIMARY_MODELS)
def test_accounts_sessions_audit_keys_and_notifications_are_read_on_the_primary(model):
    with replica_reads():
        assert router.db_for_read(model) == "default"
        assert router.db_for_read(MonthlyReport) == REPLICA


@replica_on
@pytest.mark.django_db(transaction=True)
def test_every_write_goes_to_the_primary_and_later_reads_follow_it(cast):
    with replica_reads():
        assert router.db_for_read(Record) == REPLICA
        assert router.db_for_write(Record) == "default"
        assert router.db_for_read(Record) == REPLICA  # asking is not writing
        Notification.objects.create(recipient=cast.users["staff"], kind="test", title="t")
        assert router.db_for_read(Record) == "default"
    with replica_reads():  # a new scope outside any request starts clean
        assert router.db_for_read(Record) == REPLICA


def test_without_replica_reads_everything_is_read_on_the_primary():
    with replica_reads():
        assert router.db_for_read(MonthlyReport) == "default"


@replica_on
@pytest.mark.django_db
def test_reads_inside_a_transaction_stay_on_the_primary():
    with transaction.atomic(), replica_reads():
        assert router.db_for_read(MonthlyReport) == "default"


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate("default", "reporting", model_name="monthlyreport")
    assert not router.allow_migrate(REPLICA, "reporting", model_name="monthlyreport")


def _tables(captured) -> str:
    return " ".join(query["sql"] for query in captured.captured_queries)


@replica_on
@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_the_court_month_page_reads_its_figures_from_the_replica(cast, client):
    login_as(client, cast.custodian)
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        response = client.get(reverse("court_reporting:month") + "?month=2026-09")
    assert response.status_code == 200
    assert "民事审判第一庭" in response.content.decode()
    assert "reporting_monthlyreport" in _tables(replica)
    assert "org_department" in _tables(replica)
    assert "django_session" in _tables(primary)
    assert "reporting_monthlyreport" not in _tables(primary)
    assert "django_session" not in _tables(replica) and "accounts_user" not in _tables(replica)


@replica_on
@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_after_a_write_the_session_reads_report_pages_from_the_primary(cast, client):
    login_as(client, cast.custodian)
    remind = client.post(reverse("court_reporting:remind"), {"month": "2026-09"})
    assert remind.status_code == 302
    assert AuditEvent.objects.filter(action="reporting.departments_remind").exists()
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        response = client.get(reverse("court_reporting:month") + "?month=2026-09")
    assert response.status_code == 200
    assert "reporting_monthlyreport" in _tables(primary)
    assert len(replica.captured_queries) == 0


@replica_on
@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_pages_that_are_not_reports_read_on_the_primary(cast, client):
    login_as(client, cast.staff)
    with CaptureQueriesContext(connections[REPLICA]) as replica:
        response = client.get(reverse("records:list"))
    assert response.status_code == 200
    assert len(replica.captured_queries) == 0
