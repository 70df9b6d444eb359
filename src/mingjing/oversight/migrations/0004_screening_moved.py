# Screening moved here from records (issue 9.3): the table records_screening keeps its name
# and its rows; only Django's state changes (records 0006 removes it there). Sealed notes stay
# bound to "records.screening" (security/labels.py), so nothing is sealed again.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('oversight', '0003_sealed_reasons'),
        ('org', '0001_initial'),
        ('records', '0005_casedeclaration_moved'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Screening',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('classification', models.CharField(choices=[('normal_duty', '正常履职过问'), ('improper_inquiry', '违规过问'), ('illegal_interference', '违法干预'), ('improper_contact', '不正当接触交往'), ('out_of_scope', '不属于“三个规定”范围')], max_length=30, verbose_name='甄别结论')),
                        ('disposition', models.CharField(blank=True, choices=[('no_action', '不作处理'), ('reported_to_president', '报告院长'), ('referred_discipline', '移送纪检监察机关'), ('referred_subjects_unit', '通报过问人所在单位'), ('other', '其他')], max_length=30, verbose_name='处置')),
                        ('sealed_note', models.BinaryField(blank=True, default=b'', verbose_name='密封的说明')),
                        ('screened_at', models.DateTimeField(verbose_name='甄别时间')),
                        ('disposed_at', models.DateTimeField(blank=True, null=True, verbose_name='处置时间')),
                        ('record', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='screening', to='records.record', verbose_name='记录')),
                        ('screened_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='screenings', to='org.person', verbose_name='甄别人')),
                    ],
                    options={
                        'db_table': 'records_screening',
                        'verbose_name': '甄别处置',
                        'verbose_name_plural': '甄别处置',
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
