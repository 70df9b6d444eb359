from django.apps import AppConfig
from django.core import checks


class SecurityConfig(AppConfig):
    name = "mingjing.security"
    verbose_name = "安全"

    def ready(self) -> None:
        from mingjing.security import signals
        from mingjing.security.masterkey import check_master_key

        signals.connect()

        # A missing or malformed master key should stop the server at start, not at first seal.
        checks.register(check_master_key)
