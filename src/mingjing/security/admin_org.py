from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.db.models import Model
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from mingjing.org.models import (
    Court,
    Department,
    Person,
    RoleAssignment,
    RoleGrant,
    role_conflict,
)
from mingjing.org.roles import CONTENT_ROLES, Role
from mingjing.security import grants, policy
from mingjing.security.admin_access import SysadminInline, SysadminModelAdmin
from mingjing.security.http import actor_of


@admin.register(Court)
class CourtAdmin(SysadminModelAdmin):
    """His own court only: its name and short name. Courts are set up with the platform
    (`mingjing` commands), not by one court's sysadmin."""

    list_display = ["code", "name", "parent"]
    search_fields = ["code", "name"]
    # Sealed contents and wrapped keys are bound to the court code: it never changes; the
    # higher court is not his to choose.
    readonly_fields = ["code", "parent"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Department)
class DepartmentAdmin(SysadminModelAdmin):
    list_display = ["code", "name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]


CONTENT_ROLE_MESSAGE = (
    "院管理员、院长、部门负责人等可查看填报内容的角色不能在此直接添加："
    "请在“角色授予申请”中提出，由院长或党组书记以动态口令确认。"
)


class RoleFormSet(BaseInlineFormSet):  # type: ignore[type-arg]
    """Separation of duties in the admin: no content role, no role for oneself, never the
    sysadmin role beside a content role. The services check again when saving."""

    request: HttpRequest | None = None

    def clean(self) -> None:
        super().clean()
        for form in self.forms:
            deleted = self._should_delete_form(form)  # type: ignore[attr-defined]
            if not form.has_changed() or deleted or not form.is_valid():
                continue
            role = form.cleaned_data.get("role")
            problem = self._problem(role, form.instance)
            if problem:
                form.add_error("role", problem)

    def _problem(self, role: str | None, instance: RoleAssignment) -> str | None:
        actor = actor_of(self.request) if self.request is not None else None
        if instance.pk is not None:
            return "已授予的角色不能修改：请删除后重新授予。"
        if role in CONTENT_ROLES:
            return CONTENT_ROLE_MESSAGE
        if actor is not None and actor.person is not None and actor.person.pk == self.instance.pk:
            return "不能给自己授予角色，须由他人办理。"
        return role_conflict(self.instance, role) if role else None


class RoleInline(SysadminInline, admin.TabularInline):  # type: ignore[type-arg]
    model = RoleAssignment
    formset = RoleFormSet
    extra = 0
    fields = ["role", "court", "granted_at", "grant"]
    readonly_fields = ["granted_at", "grant"]

    def get_formset(
        self, request: HttpRequest, obj: Person | None = None, **kwargs: Any
    ) -> type[RoleFormSet]:
        formset = cast(type[RoleFormSet], super().get_formset(request, obj, **kwargs))
        formset.request = request
        return formset


@admin.register(Person)
class PersonAdmin(SysadminModelAdmin):
    list_display = ["staff_no", "name", "department", "position", "is_leader", "status"]
    list_filter = ["status", "is_leader", ("department", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["staff_no", "name"]
    filter_horizontal = ["oversees"]
    raw_id_fields = ["user"]
    inlines = [RoleInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        # Relinking the account of a person who opens contents would hand those contents to
        # whoever owns the new account (the sysadmin's own, say).
        readonly = list(super().get_readonly_fields(request, obj))
        if isinstance(obj, Person) and policy.holds_content_role(person=obj):
            readonly.append("user")
        return readonly

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not RoleAssignment:
            return super().save_formset(request, form, formset, change)
        # Through the services, so that each role given or taken is checked and audited.
        instances = formset.save(commit=False)
        for assignment in formset.deleted_objects:
            grants.role_revoke(actor=actor_of(request), assignment=assignment, request=request)
        for assignment in instances:
            if assignment.pk is None:
                grants.role_assign(
                    actor=actor_of(request),
                    person=form.instance,
                    role=assignment.role,
                    request=request,
                )


class RoleGrantForm(forms.ModelForm):  # type: ignore[type-arg]
    role = forms.ChoiceField(
        label="角色", choices=[(r.value, r.label) for r in Role if r in CONTENT_ROLES]
    )

    request: HttpRequest | None = None

    class Meta:
        model = RoleGrant
        fields = ["person", "role", "reason"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        person, role = data.get("person"), data.get("role")
        if person is not None and role and self.request is not None:
            grants.check_grant_request(actor_of(self.request), person, role)
        return data


@admin.register(RoleGrant)
class RoleGrantAdmin(SysadminModelAdmin):
    """The sysadmin's side of a content-role grant: he asks, an approver confirms elsewhere."""

    form = RoleGrantForm
    list_display = ["id", "person", "role", "status", "requested_by", "requested_at", "decided_by"]
    list_filter = ["status", "role"]
    raw_id_fields = ["person"]
    readonly_fields = ["status", "requested_by", "requested_at", "decided_by", "decided_at"]

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def get_form(
        self, request: HttpRequest, obj: Model | None = None, change: bool = False, **kwargs: Any
    ) -> type[RoleGrantForm]:
        form = cast(type[RoleGrantForm], super().get_form(request, obj, change=change, **kwargs))
        form.request = request
        return form

    def save_model(self, request: HttpRequest, obj: RoleGrant, form: Any, change: bool) -> None:
        saved = grants.role_grant_request(
            actor=actor_of(request),
            person=form.cleaned_data["person"],
            role=form.cleaned_data["role"],
            reason=form.cleaned_data.get("reason", ""),
            request=request,
        )
        obj.pk = saved.pk
        messages.info(request, "申请已提交，须由院长或党组书记以动态口令确认后生效。")
