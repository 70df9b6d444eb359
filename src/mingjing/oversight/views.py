from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from mingjing.accounts.throttle import limit_code_posts
from mingjing.oversight import selectors, services
from mingjing.oversight.forms import DecisionForm, DisclosureRequestForm
from mingjing.security import policy
from mingjing.security.http import AuthedHttpRequest


def _add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def disclosure_list(request: AuthedHttpRequest) -> HttpResponse:
    actor = request.actor
    if not policy.may_list_disclosures(actor):
        raise PermissionDenied(_("您的角色不涉及查阅审批。"))
    context = {
        "disclosures": selectors.disclosures_for(actor).prefetch_related("records"),
        "may_request": policy.may_request_disclosure(actor),
    }
    return render(request, "oversight/disclosure_list.html", context)


@login_required
def disclosure_new(request: AuthedHttpRequest) -> HttpResponse:
    if not policy.may_request_disclosure(request.actor):
        raise PermissionDenied(_("只有督察室人员可以申请查阅。"))
    form = DisclosureRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            disclosure = services.disclosure_request(
                actor=request.actor,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
                record_ids=form.cleaned_data["records"],
                days=form.cleaned_data["days"],
                request=request,
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("查阅申请已提交，等待院长或党组书记审批。"))
            return redirect("oversight:disclosure_detail", disclosure.id)
    return render(request, "oversight/disclosure_new.html", {"form": form})


@login_required
@limit_code_posts
def disclosure_detail(request: AuthedHttpRequest, disclosure_id: int) -> HttpResponse:
    actor = request.actor
    disclosure = selectors.disclosure_for(actor, disclosure_id)
    decide = policy.may_decide_disclosure(actor, disclosure) and disclosure.status == "pending"
    form = DecisionForm(request.POST or None) if decide else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("您无权审批该申请。"))
        if form.is_valid():
            try:
                services.disclosure_decide(
                    actor=actor,
                    disclosure=disclosure,
                    approve=form.cleaned_data["decision"] == "approve",
                    otp=form.cleaned_data["otp"],
                    note=form.cleaned_data["note"],
                    request=request,
                )
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(request, _("审批意见已保存。"))
                return redirect("oversight:disclosure_detail", disclosure.id)
    context = {
        "disclosure": disclosure,
        "form": form,
        "may_revoke": policy.may_revoke_disclosure(actor, disclosure)
        and disclosure.status in ("approved", "pending"),
        "records": disclosure.records.all().order_by("id"),
    }
    return render(request, "oversight/disclosure_detail.html", context)


@login_required
@require_POST
def disclosure_revoke(request: AuthedHttpRequest, disclosure_id: int) -> HttpResponse:
    disclosure = selectors.disclosure_for(request.actor, disclosure_id)
    try:
        services.disclosure_revoke(actor=request.actor, disclosure=disclosure, request=request)
    except ValidationError as error:
        messages.error(request, pgettext("message separator", "；").join(error.messages))
    else:
        messages.success(request, _("查阅授权已撤销。"))
    return redirect("oversight:disclosure_detail", disclosure.id)
