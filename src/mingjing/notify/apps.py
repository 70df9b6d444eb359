from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "mingjing.notify"
    verbose_name = "通知"
