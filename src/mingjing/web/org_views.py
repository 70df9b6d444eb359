"""Pages for the second person of a role grant: the approver confirms or refuses with a code."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mingjing.accounts.throttle import limit_code_posts
from mingjing.org.forms import GrantDecisionForm
from mingjing.org.models import RoleGrant
from mingjing.security import grants, policy
from mingjing.security.http import AuthedHttpRequest


def _grant_for(actor, grant_id: int) -> RoleGrant:
    """The grant, fetched within the approver's court (another court's answers 404)."""
    if not policy.may_list_role_grants(actor):
        raise PermissionDenied(_("只有院长或党组书记确认角色授予。"))
    grant = (
        RoleGrant.objects.select_related("person", "requested_by", "decided_by")
        .filter(pk=grant_id, court=actor.court)
        .first()
    )
    if grant is None:
        raise Http404
    return grant


@login_required
def grant_list(request: AuthedHttpRequest) -> HttpResponse:
    actor = request.actor
    if not policy.may_list_role_grants(actor):
        raise PermissionDenied(_("只有院长或党组书记确认角色授予。"))
    recent = RoleGrant.objects.filter(court=actor.court).exclude(status="pending")
    context = {
        "pending": grants.pending_grants_for(actor),
        "recent": recent.select_related("person", "decided_by")[:20],
    }
    return render(request, "org/grant_list.html", context)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
@limit_code_posts
def grant_detail(request: AuthedHttpRequest, grant_id: int) -> HttpResponse:
    actor = request.actor
    grant = _grant_for(actor, grant_id)
    decide = policy.may_confirm_role_grant(actor, grant) and grant.status == "pending"
    form = GrantDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not decide:
            raise PermissionDenied(_("您不能确认该授予（授予本人或本人申请的不能由自己确认）。"))
        if form.is_valid():
            try:
                grants.role_grant_decide(
                    actor=actor,
                    grant=grant,
                    confirm=form.cleaned_data["decision"] == "confirm",
                    otp=form.cleaned_data["otp"],
                    note=form.cleaned_data["note"],
                    request=request,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("确认意见已保存。"))
                return redirect("org:grant_detail", grant.id)
    context = {"grant": grant, "form": form if decide else None}
    return render(request, "org/grant_detail.html", context)
