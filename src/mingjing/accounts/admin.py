from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from mingjing.accounts import services
from mingjing.accounts.models import User
from mingjing.security import policy


def _admin_may_enter(request) -> bool:
    """Only the sysadmin role enters the admin; it lists no confidential model."""
    user = request.user
    return user.is_active and user.is_staff and policy.may_administer(request.actor)


admin.site.has_permission = _admin_may_enter
admin.site.site_header = "明镜 系统管理"
admin.site.site_title = "明镜 系统管理"
admin.site.index_title = "账号、组织与设置"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "is_active", "locked_until", "last_login"]
    readonly_fields = ["failed_login_count", "locked_until", "totp_confirmed_at", "last_login"]
    exclude = ["totp_secret", "totp_last_step"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("状态", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (
            "安全",
            {"fields": ("failed_login_count", "locked_until", "totp_confirmed_at", "last_login")},
        ),
    )
    actions = ["unlock", "reset_totp"]

    @admin.action(description="解除锁定")
    def unlock(self, request, queryset):
        for user in queryset:
            services.account_unlock(actor=request.actor, user=user)
        messages.success(request, f"已解除 {queryset.count()} 个账号的锁定。")

    @admin.action(description="重置动态口令（须重新绑定）")
    def reset_totp(self, request, queryset):
        for user in queryset:
            services.totp_reset(actor=request.actor, user=user)
        messages.success(request, f"已重置 {queryset.count()} 个账号的动态口令。")
