from django.contrib import admin

from mingjing.cases.models import Assignment, Case, Participant
from mingjing.security.admin_access import SysadminInline, SysadminModelAdmin


class ParticipantInline(SysadminInline, admin.TabularInline):
    model = Participant
    extra = 0


class AssignmentInline(SysadminInline, admin.TabularInline):
    model = Assignment
    extra = 0
    raw_id_fields = ["person"]


@admin.register(Case)
class CaseAdmin(SysadminModelAdmin):
    list_display = ["number", "cause", "department", "filed_on", "stage"]
    list_filter = ["stage", "kind"]
    search_fields = ["number"]
    inlines = [ParticipantInline, AssignmentInline]
