from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "mingjing.security"
    verbose_name = "安全"
