from django.apps import AppConfig
from django.core import checks


class SecurityConfig(AppConfig):
    name = "mingjing.security"
    verbose_name = "安全"

    def ready(self) -> None:
        from mingjing.security import signals
        from mingjing.security.masterkey import check_master_key

        signals.connect()

        # On PostgreSQL the audit table keeps no UPDATE/DELETE/TRUNCATE grant after migrating.
        from django.db.models.signals import post_migrate

        from mingjing.security.dbroles import tighten_audit_grants

        post_migrate.connect(tighten_audit_grants, sender=self)

        # A missing or malformed master key should stop the server at start, not at first seal.
        checks.register(check_master_key)
