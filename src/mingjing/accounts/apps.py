from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mingjing.accounts"
    verbose_name = "账号"
