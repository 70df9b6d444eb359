from io import StringIO

from django.core.management import call_command


def test_there_are_no_pending_migrations(db):
    out = StringIO()
    # --check exits with SystemExit(1) when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=StringIO())
    assert "No changes detected" in out.getvalue()
