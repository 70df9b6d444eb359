"""The Django admin answers to the policy, not to Django's per-model permissions, and shows
a sysadmin his own court only (policy.admin_scope): lists, forms' choices and object pages;
another court's object answers 404, as everywhere else."""

from typing import Any, NoReturn

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from mingjing.security import policy
from mingjing.security.http import actor_of


def _scoped(request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset.filter(policy.admin_scope(actor_of(request), queryset.model))


class CourtScopedAdmin:
    """Lists and choices limited to the sysadmin's court (mix in before Django's classes)."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return _scoped(request, super().get_queryset(request))  # type: ignore[misc]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        return _limited(request, field)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
        return _limited(request, field)


def _limited(request: HttpRequest, field: Any) -> Any:
    if field is not None and getattr(field, "queryset", None) is not None:
        field.queryset = _scoped(request, field.queryset)
    return field


class SysadminModelAdmin(CourtScopedAdmin, admin.ModelAdmin):  # type: ignore[type-arg]
    """Full access for the sysadmin role within his court; nobody else (superuser or not)."""

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

    def _get_obj_does_not_exist_redirect(
        self, request: HttpRequest, opts: Any, object_id: str
    ) -> NoReturn:
        """Another court's object (or none): 404, not Django's "perhaps it was deleted"."""
        raise Http404("对象不存在")


class SysadminInline(CourtScopedAdmin):
    """Same rule for inlines (mix in before TabularInline/StackedInline)."""

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return policy.may_administer(actor_of(request))

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission
