# CaseDeclaration moved to the declarations app (issue 9.3): state only, the table
# records_casedeclaration and its rows stay where they are (declarations 0001).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('declarations', '0001_initial'),
        ('records', '0004_sealed_late_reason'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='CaseDeclaration')],
            database_operations=[],
        ),
    ]
