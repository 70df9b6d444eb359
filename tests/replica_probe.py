"""Run by tests/test_replica.py in a process of its own, with MINGJING_DATABASE_URL on a
primary and MINGJING_REPLICA_DATABASE_URL on its streaming replica: migrates, builds a
small court, and serves the court month page while the replica replays, then while its
replay is paused after a write on the primary, then after it resumes. Prints what each
page showed, as JSON on the last line."""

import json
import sys
import time


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    custodian = _court()
    client = _client(custodian)
    seen = {"before": _page(client)}
    _pause_replay(True)
    _new_department(custodian)
    seen["paused"] = _page(client)
    seen["paused_primary_has_it"] = _primary_has_new_department()
    _pause_replay(False)
    _wait_for_replica()
    seen["resumed"] = _page(client)
    print(json.dumps(seen, ensure_ascii=False))


def _court():
    import secrets

    from mingjing.accounts.models import User
    from mingjing.org.models import Court, Department, Person, RoleAssignment
    from mingjing.org.roles import Role

    court = Court.objects.create(code="豫9001", name="副本测试法院", short_name="副本")
    office = Department.objects.create(court=court, code="ZH", name="综合办公室（督察室）")
    Department.objects.create(court=court, code="MY1", name="民事审判第一庭")
    user = User.objects.create_user(username="replica-custodian", password=secrets.token_hex(8))
    person = Person.objects.create(
        court=court, staff_no="R001", name="督察", department=office, user=user
    )
    # Roles written directly (bulk_create skips the grant check), as the benchmarks do.
    RoleAssignment.objects.bulk_create(
        RoleAssignment(person=person, court=court, role=role)
        for role in (Role.STAFF, Role.CUSTODIAN)
    )
    _wait_for_replica()
    return person


def _client(person):
    from django.test import Client

    from mingjing.accounts.middleware import SESSION_KEY

    client = Client()
    client.force_login(person.user)
    session = client.session
    session[SESSION_KEY] = True
    session.save()
    return client


def _page(client) -> dict:
    from django.db import connections
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    with CaptureQueriesContext(connections["replica"]) as replica:
        response = client.get(reverse("court_reporting:month") + "?month=2026-09")
    html = response.content.decode()
    return {
        "status": response.status_code,
        "civil": "民事审判第一庭" in html,
        "new": "新设审判庭" in html,
        "replica_queries": len(replica.captured_queries),
    }


def _new_department(person) -> None:
    from mingjing.org.models import Department

    Department.objects.create(court=person.court, code="NEW", name="新设审判庭")


def _primary_has_new_department() -> bool:
    from mingjing.org.models import Department

    return Department.objects.using("default").filter(code="NEW").exists()


def _pause_replay(pause: bool) -> None:
    from django.db import connections

    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()" if pause else "SELECT pg_wal_replay_resume()")
        if pause:  # pausing takes effect at the next record: wait until it is paused
            for _ in range(100):
                cursor.execute("SELECT pg_get_wal_replay_pause_state()")
                if cursor.fetchone()[0] == "paused":
                    return
                time.sleep(0.05)


def _wait_for_replica(seconds: float = 30) -> None:
    from django.db import connections

    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + seconds
    with connections["replica"].cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    sys.exit("the replica did not catch up")


if __name__ == "__main__":
    main()
