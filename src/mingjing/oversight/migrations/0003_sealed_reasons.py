# Sealed means sealed (issue 8.5): a disclosure's reason and decision note speak of the
# records; both are sealed, bound to their row and column (security/sealing.py).

from django.db import migrations, models

TEXTS = (
    ("reason", "sealed_reason", "disclosure-reason"),
    ("decision_note", "sealed_decision_note", "decision-note"),
)


def forwards(apps, schema_editor):
    from mingjing.security import reseal

    model = apps.get_model("oversight", "DisclosureRequest")
    for plain, column, purpose in TEXTS:
        reseal.seal_plain(model, plain, column, purpose)
    reseal.settle(schema_editor)


def backwards(apps, schema_editor):
    from mingjing.security import reseal

    model = apps.get_model("oversight", "DisclosureRequest")
    for plain, column, purpose in TEXTS:
        reseal.unseal_plain(model, plain, column, purpose)
    reseal.settle(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('oversight', '0002_initial'),
        ('security', '0003_receipt'),
    ]

    operations = [
        migrations.AddField(
            model_name='disclosurerequest',
            name='sealed_decision_note',
            field=models.BinaryField(blank=True, default=b'', verbose_name='密封的审批意见'),
        ),
        migrations.AddField(
            model_name='disclosurerequest',
            name='sealed_reason',
            field=models.BinaryField(blank=True, default=b'', verbose_name='密封的事由'),
        ),
        migrations.RunPython(forwards, backwards),
        # So that unapplying can add the column back to existing rows (then filled in).
        migrations.AlterField(
            model_name='disclosurerequest',
            name='reason',
            field=models.TextField(blank=True, verbose_name='事由'),
        ),
        migrations.RemoveField(
            model_name='disclosurerequest',
            name='decision_note',
        ),
        migrations.RemoveField(
            model_name='disclosurerequest',
            name='reason',
        ),
    ]
