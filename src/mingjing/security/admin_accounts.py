from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from mingjing.accounts.models import User
from mingjing.security import authn as services
from mingjing.security import policy
from mingjing.security.admin_access import SysadminModelAdmin
from mingjing.security.http import actor_of


def _admin_may_enter(request: HttpRequest) -> bool:
    """Only the sysadmin role enters the admin; it lists no confidential model."""
    user = request.user
    return user.is_active and user.is_staff and policy.may_administer(actor_of(request))


def _admin_login(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    """The admin has no password form of its own.

    Django's would log in past the lockout counter; everyone signs in through
    `accounts:login`, which counts failures and leads on to the second factor.
    """
    if not request.user.is_authenticated:
        target = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
        return redirect_to_login(target, login_url=reverse("accounts:login"))
    if _admin_may_enter(request):
        return redirect("admin:index")
    raise PermissionDenied(_("您的角色无权进入系统管理。"))


# Why the sysadmin cannot set the password or reset the second factor of such an account.
TAKEOVER_MESSAGE = _(
    "该账号持有可查看填报内容的角色（院管理员、院长、部门负责人），系统管理员不能为其设置密码、"
    "重置动态口令或更换关联账号；须由本人办理，或先撤销该角色。"
)

admin.site.has_permission = _admin_may_enter  # type: ignore[method-assign]
admin.site.login = _admin_login  # type: ignore[method-assign]
admin.site.site_header = "明镜 系统管理"
admin.site.site_title = "明镜 系统管理"
admin.site.index_title = "账号、组织与设置"


@admin.register(User)
class UserAdmin(SysadminModelAdmin, BaseUserAdmin):  # type: ignore[type-arg]
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

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        user = self.get_object(request, id)
        if user is not None and not policy.may_take_over_account(actor_of(request), user):
            raise PermissionDenied(TAKEOVER_MESSAGE)
        return super().user_change_password(request, id, form_url)

    @admin.action(description="解除锁定")
    def unlock(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            services.account_unlock(actor=actor_of(request), user=user)
        messages.success(request, f"已解除 {queryset.count()} 个账号的锁定。")

    @admin.action(description="重置动态口令（须重新绑定）")
    def reset_totp(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        actor = actor_of(request)
        allowed = [u for u in queryset if policy.may_take_over_account(actor, u)]
        for user in allowed:
            services.totp_reset(actor=actor, user=user)
        messages.success(request, f"已重置 {len(allowed)} 个账号的动态口令。")
        if len(allowed) < queryset.count():
            messages.error(request, TAKEOVER_MESSAGE)
