from django.apps import AppConfig
from django.db.models.signals import post_delete


def _spend_grant(sender, instance, **kwargs) -> None:
    # However a role goes (admin, cascade, shell), the grant behind it is spent.
    from mingjing.org.grants import grant_revoked

    grant_revoked(instance)


class OrgConfig(AppConfig):
    name = "mingjing.org"
    verbose_name = "组织机构"

    def ready(self) -> None:
        from mingjing.org.models import RoleAssignment

        post_delete.connect(_spend_grant, sender=RoleAssignment, dispatch_uid="org-spend-grant")
