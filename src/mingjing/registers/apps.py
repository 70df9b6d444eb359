from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "mingjing.registers"
    verbose_name = "台账"
