"""Pages of the special reports: file, edit the draft, submit, download the receipt, lists."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from mingjing.records import special, special_selectors
from mingjing.records.models import Manner, SpecialReport, SpecialReportKind
from mingjing.records.special_forms import (
    RELATIVES_PREFIX,
    DeputyConcernForm,
    RelativeFormSet,
    RelativesReportForm,
)
from mingjing.security import policy, receipts
from mingjing.security.http import AuthedHttpRequest

ADD_ROW = "add_row"


def _require_filer(request: AuthedHttpRequest) -> None:
    if not policy.may_file_special_report(request.actor):
        raise PermissionDenied(_("只有本院干警可以填写专项报告。"))


def _add_service_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, errors in error.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@login_required
def special_list(request: AuthedHttpRequest) -> HttpResponse:
    """我的专项报告: the actor's own reports and the two forms to start one."""
    _require_filer(request)
    context = {
        "reports": special_selectors.my_special_reports(request.actor),
        "kinds": SpecialReportKind.choices,
        "may_overview": policy.may_list_special_reports(request.actor),
        "may_register": policy.may_view_relatives_register(request.actor),
    }
    return render(request, "special/list.html", context)


# --- the form page, for a new report and for a draft -----------------------------------------


def _with_added_row(post):
    data = post.copy()
    key = f"{RELATIVES_PREFIX}-TOTAL_FORMS"
    try:
        total = int(data.get(key, "1"))
    except ValueError:
        total = 1
    data[key] = str(min(total + 1, special.MAX_RELATIVES))
    return data


def _relatives_forms(request: AuthedHttpRequest, contents: dict | None):
    if request.method != "POST":
        initial = (contents or {}).get("relatives") or None
        form = RelativesReportForm(initial=contents)
        return form, RelativeFormSet(prefix=RELATIVES_PREFIX, initial=initial)
    data = _with_added_row(request.POST) if ADD_ROW in request.POST else request.POST
    return RelativesReportForm(data), RelativeFormSet(data, prefix=RELATIVES_PREFIX)


def _valid_input(kind: str, form, formset):
    """The service input when the forms are valid, else None."""
    if kind == SpecialReportKind.RELATIVES:
        if form.is_valid() and formset.is_valid():
            return form.to_input(formset)
        return None
    return form.to_input() if form.is_valid() else None


def _save(request: AuthedHttpRequest, kind: str, form, formset, report):
    """Save the draft through the service; the saved report, or None with errors on the form."""
    data = _valid_input(kind, form, formset)
    if data is None:
        return None
    try:
        return special.special_report_save_draft(
            actor=request.actor, kind=kind, data=data, report=report, request=request
        )
    except ValidationError as error:
        _add_service_errors(form, error)
        return None


def _form_page(request: AuthedHttpRequest, kind: str, report=None, contents=None) -> HttpResponse:
    formset = None
    if kind == SpecialReportKind.RELATIVES:
        form, formset = _relatives_forms(request, contents)
    else:
        form = DeputyConcernForm(request.POST or None, initial=contents)
    if request.method == "POST" and ADD_ROW not in request.POST:
        saved = _save(request, kind, form, formset, report)
        if saved is not None:
            messages.success(request, _("草稿已保存。核对无误后请提交；提交后不能再修改。"))
            return redirect("special:detail", saved.id)
    context = {
        "form": form,
        "formset": formset,
        "kind": kind,
        "kind_label": SpecialReportKind(kind).label,
        "report": report,
    }
    return render(request, "special/form.html", context)


@login_required
def special_new(request: AuthedHttpRequest, kind: str) -> HttpResponse:
    _require_filer(request)
    if kind not in SpecialReportKind.values:
        raise Http404("没有这种报告表")
    return _form_page(request, kind)


@login_required
def special_edit(request: AuthedHttpRequest, report_id: int) -> HttpResponse:
    """The reporter's draft; a submitted report sends him back to read it."""
    report = _own_report(request, report_id)
    if not policy.may_edit_special_report(request.actor, report):
        messages.error(request, _("该报告已提交，不能修改。"))
        return redirect("special:detail", report.id)
    contents = None
    if request.method != "POST":
        contents = special_selectors.special_report_contents(request.actor, report, request=request)
    return _form_page(request, report.kind, report, contents)


def _own_report(request: AuthedHttpRequest, report_id: int) -> SpecialReport:
    report = special_selectors.special_report_for(request.actor, report_id)
    if not policy.is_reporter(request.actor, report):
        raise Http404("报告不存在")
    return report


# --- reading, submitting, the receipt --------------------------------------------------------


@login_required
def special_detail(request: AuthedHttpRequest, report_id: int) -> HttpResponse:
    actor = request.actor
    report = special_selectors.special_report_for(actor, report_id)
    contents = special_selectors.special_report_contents(actor, report, request=request)
    context = {
        "report": report,
        "contents": _displayed(contents),
        "may_edit": policy.may_edit_special_report(actor, report),
        "is_reporter": policy.is_reporter(actor, report),
    }
    return render(request, "special/detail.html", context)


LABELS = {
    "relationship": dict(special.RELATIONSHIPS),
    "occupation": dict(special.OCCUPATIONS),
    "body": dict(special.BODIES),
    "level": dict(special.LEVELS),
    "manner": dict(Manner.choices),
}


def _labelled(entry: dict) -> dict:
    """`entry` plus `<field>_label` for each sealed choice it holds (codes stay codes)."""
    labelled = dict(entry)
    for name, labels in LABELS.items():
        if name in entry:
            labelled[f"{name}_label"] = labels.get(entry[name], entry[name])
    return labelled


def _displayed(contents: dict) -> dict:
    shown = _labelled(contents)
    shown["relatives"] = [_labelled(r) for r in contents.get("relatives", [])]
    return shown


@login_required
@require_POST
def special_submit(request: AuthedHttpRequest, report_id: int) -> HttpResponse:
    report = _own_report(request, report_id)
    try:
        special.special_report_submit(actor=request.actor, report=report, request=request)
    except ValidationError as error:
        messages.error(request, pgettext("message separator", "；").join(error.messages))
    else:
        messages.success(request, _("报告已提交，可下载提交回执留存。"))
    return redirect("special:detail", report.id)


@login_required
def special_receipt(request: AuthedHttpRequest, report_id: int) -> HttpResponse:
    """The signed receipt, downloadable by the reporter only."""
    report = special_selectors.special_report_for(request.actor, report_id)
    receipt = special_selectors.special_report_receipt(request.actor, report)
    response = JsonResponse(
        receipts.receipt_document(receipt),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    filename = f"special-report-receipt-{report.pk}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- lists for the custodian, the approver and department heads -------------------------------


@login_required
def special_overview(request: AuthedHttpRequest) -> HttpResponse:
    """Submitted reports: form, reporter, department, dates; contents only on the report page."""
    if not policy.may_list_special_reports(request.actor):
        raise PermissionDenied(_("您的角色不涉及专项报告汇总。"))
    reports = special_selectors.special_reports_overview(request.actor)
    return render(request, "special/overview.html", {"reports": reports})


@login_required
def special_relatives(request: AuthedHttpRequest) -> HttpResponse:
    """Relatives in the legal profession, by staff member, for recusal checks (reads logged)."""
    if not policy.may_view_relatives_register(request.actor):
        raise PermissionDenied(_("只有院管理员和院长可以查看近亲属从业登记。"))
    rows = special_selectors.relatives_register(request.actor, request=request)
    rows = [_labelled(row) for row in rows]
    return render(request, "special/relatives.html", {"rows": rows})
