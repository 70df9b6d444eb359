"""On PostgreSQL the audit table refuses UPDATE, DELETE and TRUNCATE in the database itself."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION mingjing_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'security_auditevent is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER security_auditevent_no_update_delete
    BEFORE UPDATE OR DELETE ON security_auditevent
    FOR EACH ROW EXECUTE FUNCTION mingjing_audit_append_only();
CREATE TRIGGER security_auditevent_no_truncate
    BEFORE TRUNCATE ON security_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION mingjing_audit_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS security_auditevent_no_truncate ON security_auditevent;
DROP TRIGGER IF EXISTS security_auditevent_no_update_delete ON security_auditevent;
DROP FUNCTION IF EXISTS mingjing_audit_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # params=None: the SQL holds a literal `%` (RAISE's placeholder), not a query parameter.
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("security", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
