from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "mingjing.cases"
    verbose_name = "案件"
