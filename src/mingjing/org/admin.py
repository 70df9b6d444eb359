from django.contrib import admin

from mingjing.org.models import Court, Department, Person, RoleAssignment
from mingjing.security.admin_access import SysadminInline, SysadminModelAdmin


@admin.register(Court)
class CourtAdmin(SysadminModelAdmin):
    list_display = ["code", "name", "parent"]
    search_fields = ["code", "name"]

    def get_readonly_fields(self, request, obj=None):
        # Sealed contents and wrapped keys are bound to the court code: it never changes.
        return ["code"] if obj is not None else []


@admin.register(Department)
class DepartmentAdmin(SysadminModelAdmin):
    list_display = ["code", "name", "court", "is_active"]
    list_filter = ["court", "is_active"]
    search_fields = ["code", "name"]


class RoleInline(SysadminInline, admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(Person)
class PersonAdmin(SysadminModelAdmin):
    list_display = ["staff_no", "name", "department", "position", "is_leader", "status"]
    list_filter = ["court", "status", "is_leader", "department"]
    search_fields = ["staff_no", "name"]
    filter_horizontal = ["oversees"]
    raw_id_fields = ["user"]
    inlines = [RoleInline]
