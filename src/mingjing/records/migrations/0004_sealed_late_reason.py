# Sealed means sealed (issue 8.5): the late-report reason is sealed, and every sealed value of
# this app is bound to its row and column (security/sealing.py, security/reseal.py).

from django.db import migrations, models

# (model, column, purpose, path to the court id)
SEALED = (
    ("Record", "sealed", "record", "court_id"),
    ("Attachment", "sealed_meta", "attachment-meta", "record__court_id"),
    ("Attachment", "sealed_content", "attachment-content", "record__court_id"),
    ("Amendment", "sealed", "amendment", "record__court_id"),
    ("SpecialReport", "sealed", "special-report", "court_id"),
    ("Screening", "sealed_note", "screening-note", "record__court_id"),
)


def forwards(apps, schema_editor):
    from mingjing.security import reseal

    for name, column, purpose, court_path in SEALED:
        model = apps.get_model("records", name)
        reseal.reseal_unbound(model, column, purpose, court_path=court_path)
    record = apps.get_model("records", "Record")
    reseal.seal_plain(record, "late_reason", "sealed_late_reason", "late-reason")
    reseal.settle(schema_editor)


def backwards(apps, schema_editor):
    from mingjing.security import reseal

    record = apps.get_model("records", "Record")
    reseal.unseal_plain(record, "late_reason", "sealed_late_reason", "late-reason")
    for name, column, purpose, court_path in SEALED:
        model = apps.get_model("records", name)
        reseal.unbind(model, column, purpose, court_path=court_path)
    reseal.settle(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('records', '0003_named_subjects'),
        ('security', '0003_receipt'),
    ]

    operations = [
        migrations.AddField(
            model_name='record',
            name='sealed_late_reason',
            field=models.BinaryField(blank=True, default=b'', verbose_name='密封的逾期原因'),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(
            model_name='record',
            name='late_reason',
        ),
    ]
