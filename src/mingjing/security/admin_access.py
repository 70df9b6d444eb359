"""The Django admin answers to the policy, not to Django's per-model permissions."""

from django.contrib import admin

from mingjing.security import policy


class SysadminModelAdmin(admin.ModelAdmin):
    """Full access for the sysadmin role; nobody else (superuser flag or not)."""

    def _allowed(self, request) -> bool:
        return policy.may_administer(request.actor)

    def has_module_permission(self, request) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._allowed(request)


class SysadminInline:
    """Same rule for inlines (mix in before TabularInline/StackedInline)."""

    def has_view_permission(self, request, obj=None) -> bool:
        return policy.may_administer(request.actor)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission
