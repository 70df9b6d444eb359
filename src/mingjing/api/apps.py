from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "mingjing.api"
    verbose_name = "API"
