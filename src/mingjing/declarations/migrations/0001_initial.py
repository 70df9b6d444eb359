# CaseDeclaration moved here from records (issue 9.3): the table keeps its name and its
# rows; only Django's state changes (records 0005 removes it there).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cases', '0001_initial'),
        ('org', '0001_initial'),
        ('records', '0004_sealed_late_reason'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CaseDeclaration',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('pending', '待填报'), ('declared', '已填报'), ('bound', '已入卷')], default='pending', max_length=10, verbose_name='状态')),
                        ('none_to_report', models.BooleanField(default=False, verbose_name='无相关情况')),
                        ('declared_at', models.DateTimeField(blank=True, null=True, verbose_name='填报时间')),
                        ('bound_at', models.DateTimeField(blank=True, null=True, verbose_name='入卷时间')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                        ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='declarations', to='cases.case', verbose_name='案件')),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='declarations', to='org.person', verbose_name='办案人员')),
                    ],
                    options={
                        'verbose_name': '一案一表',
                        'verbose_name_plural': '一案一表',
                        'db_table': 'records_casedeclaration',
                        'indexes': [models.Index(fields=['status', 'case'], name='declaration_status_idx')],
                        'constraints': [models.UniqueConstraint(fields=('case', 'person'), name='declaration_once')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
