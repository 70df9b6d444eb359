"""Login, logout, the second factor, re-authentication, password and API tokens (namespace
accounts; moved from accounts with their services, issue 9.2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import segno
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from mingjing.accounts import throttle
from mingjing.accounts.forms import ApiTokenForm, LoginForm, ReauthForm, TotpForm
from mingjing.accounts.middleware import SESSION_KEY
from mingjing.accounts.reauth import mark_reauthenticated
from mingjing.security import authn as services

if TYPE_CHECKING:
    from mingjing.security.http import AuthedHttpRequest


def _posted(request: HttpRequest) -> QueryDict | None:
    # `request.POST or None` would leave an empty submission unbound, with no error shown.
    return request.POST if request.method == "POST" else None


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


@sensitive_post_parameters("password")
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        result = services.login_attempt(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            request=request,
        )
        if result.user is not None:
            login(request, result.user)
            return redirect(_next_url(request))
        form.add_error(None, result.error)
        if result.throttled is not None:
            context = {"form": form, "next": _next_url(request)}
            response = render(request, "accounts/login.html", context, status=429)
            response["Retry-After"] = str(result.throttled.step_seconds)
            return response
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    services.logout_recorded(user=request.user, request=request)
    logout(request)
    messages.info(request, _("您已安全退出。"))
    return redirect("accounts:login")


@login_required
@throttle.limit_code_posts
@sensitive_post_parameters("password")
def reauth(request: AuthedHttpRequest) -> HttpResponse:
    """Confirm identity before an export; then back to where the user was going."""
    form = ReauthForm(_posted(request), with_code=request.user.has_totp)
    if request.method == "POST" and form.is_valid():
        error = services.reauthenticate(
            user=request.user,
            password=form.cleaned_data["password"],
            code=form.cleaned_data.get("code", ""),
            request=request,
        )
        if error is None:
            mark_reauthenticated(request)
            return redirect(_next_url(request))
        form.add_error(None, error)
    return render(request, "accounts/reauth.html", {"form": form, "next": _next_url(request)})


@login_required
@throttle.limit_code_posts
def totp_verify(request: AuthedHttpRequest) -> HttpResponse:
    if not request.user.has_totp:
        return redirect("accounts:totp_enrol")
    form = TotpForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if services.totp_verify(user=request.user, code=code, request=request):
            request.session[SESSION_KEY] = True
            request.session.cycle_key()
            return redirect(_next_url(request))
        locked = services.account_lock_message(request.user)
        if locked:
            logout(request)
            messages.error(request, locked)
            return redirect("accounts:login")
        form.add_error("code", _("动态口令不正确或已使用过，请输入验证器上新的 6 位数字。"))
    return render(request, "accounts/totp_verify.html", {"form": form, "next": _next_url(request)})


@login_required
@throttle.limit_code_posts
def totp_enrol(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    if user.has_totp and not request.session.get(SESSION_KEY):
        return redirect("accounts:totp_verify")
    form = TotpForm(_posted(request))
    if request.method == "POST" and user.totp_secret and not user.has_totp and form.is_valid():
        if services.totp_verify(user=user, code=form.cleaned_data["code"], request=request):
            request.session[SESSION_KEY] = True
            request.session.cycle_key()
            messages.success(request, _("动态口令已启用。以后登录时需要输入验证器上的 6 位数字。"))
            return redirect(_next_url(request))
        form.add_error("code", _("动态口令不正确，请确认手机时间准确后重新输入。"))
    context = {"form": form, "enrolled": user.has_totp, "next": _next_url(request)}
    if not user.has_totp:
        if not services.totp_secret_of(user) or request.method == "GET":
            services.totp_begin_enrolment(user=user)
        qr = segno.make(services.totp_provisioning_uri(user), error="m")
        secret = services.totp_secret_of(user)
        context.update(secret=secret, qr_svg=qr.svg_inline(scale=4, omitsize=True))
    return render(request, "accounts/totp_enrol.html", context)


def _security_page(request: AuthedHttpRequest, new_token: str | None = None) -> HttpResponse:
    context = {
        "tokens": request.user.api_tokens.filter(revoked_at=None),
        "token_form": ApiTokenForm(),
        "new_token": new_token,
    }
    response = render(request, "accounts/security.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def security(request: AuthedHttpRequest) -> HttpResponse:
    return _security_page(request)


@login_required
@sensitive_post_parameters()
def password_change(request: AuthedHttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, _posted(request))
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        revoked = services.api_tokens_revoke_all(user=user)
        if revoked:
            message = ngettext(
                "密码已修改，原有的 %(count)d 个 API 令牌已一并撤销。",
                "密码已修改，原有的 %(count)d 个 API 令牌已一并撤销。",
                revoked,
            ) % {"count": revoked}
        else:
            message = _("密码已修改。")
        messages.success(request, message)
        return redirect("accounts:security")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
@require_POST
def token_create(request: AuthedHttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写令牌用途（不超过 50 字）。"))
        return redirect("accounts:security")
    _token, secret = services.api_token_create(
        user=request.user, name=form.cleaned_data["name"], request=request
    )
    # Shown once, in this very response: the secret is never put in the session store.
    return _security_page(request, new_token=secret)


@login_required
@require_POST
def token_revoke(request: AuthedHttpRequest, token_id: int) -> HttpResponse:
    if services.api_token_revoke(user=request.user, token_id=token_id):
        messages.success(request, _("令牌已撤销。"))
    else:
        messages.error(request, _("该令牌不存在或已撤销。"))
    return redirect("accounts:security")
