from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "mingjing.web"
    verbose_name = "界面"
