from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "mingjing.records"
    verbose_name = "记录报告"
