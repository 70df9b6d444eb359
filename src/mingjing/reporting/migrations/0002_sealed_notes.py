# Sealed means sealed (issue 8.5): a monthly report's return reason and the president's
# review note are sealed, bound to their row and column (security/sealing.py).

from django.db import migrations, models

TEXTS = (
    ("MonthlyReport", "return_reason", "sealed_return_reason", "return-reason"),
    ("CourtReport", "review_note", "sealed_review_note", "review-note"),
)


def forwards(apps, schema_editor):
    from mingjing.security import reseal

    for name, plain, column, purpose in TEXTS:
        reseal.seal_plain(apps.get_model("reporting", name), plain, column, purpose)
    reseal.settle(schema_editor)


def backwards(apps, schema_editor):
    from mingjing.security import reseal

    for name, plain, column, purpose in TEXTS:
        reseal.unseal_plain(apps.get_model("reporting", name), plain, column, purpose)
    reseal.settle(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0001_initial'),
        ('security', '0003_receipt'),
    ]

    operations = [
        migrations.AddField(
            model_name='courtreport',
            name='sealed_review_note',
            field=models.BinaryField(blank=True, default=b'', verbose_name='密封的审查意见'),
        ),
        migrations.AddField(
            model_name='monthlyreport',
            name='sealed_return_reason',
            field=models.BinaryField(blank=True, default=b'', verbose_name='密封的退回原因'),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(
            model_name='courtreport',
            name='review_note',
        ),
        migrations.RemoveField(
            model_name='monthlyreport',
            name='return_reason',
        ),
    ]
