from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "mingjing.oversight"
    verbose_name = "监督"
