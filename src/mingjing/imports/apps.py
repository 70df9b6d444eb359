from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "mingjing.imports"
    verbose_name = "导入"
