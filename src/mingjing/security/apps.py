from typing import Any

from django.apps import AppConfig
from django.core import checks


def _spend_grant(sender: Any, instance: Any, **kwargs: Any) -> None:
    # However a role goes (admin, cascade, shell), the grant behind it is spent.
    from mingjing.security.grants import grant_revoked

    grant_revoked(instance)


class SecurityConfig(AppConfig):
    name = "mingjing.security"
    verbose_name = "安全"

    def ready(self) -> None:
        # Before the audit's receivers, as when org connected it.
        from django.db.models.signals import post_delete

        from mingjing.org.models import RoleAssignment
        from mingjing.security import signals
        from mingjing.security.masterkey import check_master_key

        post_delete.connect(_spend_grant, sender=RoleAssignment, dispatch_uid="org-spend-grant")
        signals.connect()

        # On PostgreSQL the audit table keeps no UPDATE/DELETE/TRUNCATE grant after migrating.
        from django.db.models.signals import post_migrate

        from mingjing.security.dbroles import tighten_audit_grants

        post_migrate.connect(tighten_audit_grants, sender=self)

        # A missing or malformed master key should stop the server at start, not at first seal.
        checks.register(check_master_key)
