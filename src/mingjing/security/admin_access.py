"""The Django admin answers to the policy, not to Django's per-model permissions."""

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from mingjing.security import policy
from mingjing.security.http import actor_of


class SysadminModelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Full access for the sysadmin role; nobody else (superuser flag or not)."""

    def _allowed(self, request: HttpRequest) -> bool:
        return policy.may_administer(actor_of(request))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)


class SysadminInline:
    """Same rule for inlines (mix in before TabularInline/StackedInline)."""

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return policy.may_administer(actor_of(request))

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission
