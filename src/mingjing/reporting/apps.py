from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "mingjing.reporting"
    verbose_name = "月报告"
