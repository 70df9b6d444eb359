# Screening moved to the oversight app (issue 9.3): state only, the table records_screening
# and its rows stay where they are (oversight 0004).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('oversight', '0004_screening_moved'),
        ('records', '0005_casedeclaration_moved'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Screening')],
            database_operations=[],
        ),
    ]
