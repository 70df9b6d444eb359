"""Pages of 一案一表: declaring, binding, the printable form, "may this case be closed?" and
the report of closed cases with missing declarations. Thin: services and selectors decide."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mingjing.accounts.reauth import reauth_required
from mingjing.cases import selectors as case_selectors
from mingjing.declarations import documents as forms
from mingjing.declarations import services as declarations
from mingjing.security import audit, policy
from mingjing.security.http import AuthedHttpRequest
from mingjing.security.spreadsheet import append_row

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _back_to_case(case_id: int) -> HttpResponse:
    return redirect(reverse("cases:detail", args=[case_id]) + "#declarations")


@login_required
@require_POST
def declare(request: AuthedHttpRequest, case_id: int) -> HttpResponse:
    """The handler's one-click declaration: choice=none or choice=records."""
    case = case_selectors.case_for(request.actor, case_id)
    choice = request.POST.get("choice")
    if choice not in ("none", "records"):
        messages.error(request, _("请选择“无相关情况”或“我已记录相关情况”。"))
        return _back_to_case(case.id)
    try:
        declarations.declaration_declare(
            actor=request.actor, case=case, none_to_report=choice == "none", request=request
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("一案一表已填报。"))
    return _back_to_case(case.id)


@login_required
@require_POST
def bind(request: AuthedHttpRequest, case_id: int) -> HttpResponse:
    case = case_selectors.case_for(request.actor, case_id)
    try:
        count = declarations.declarations_bind(actor=request.actor, case=case, request=request)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("%(count)s 份一案一表已入卷。") % {"count": count})
    return _back_to_case(case.id)


def _form_response(
    request: AuthedHttpRequest, case_id: int, fmt: str, handler_id: int | None = None
) -> HttpResponse:
    case = case_selectors.case_for(request.actor, case_id)
    form = forms.build_form(request.actor, case, request=request, handler_id=handler_id)
    body = forms.render_pdf(form) if fmt == "pdf" else forms.render_docx(form)
    forms.log_print(request.actor, case, form, fmt, request=request)
    response = HttpResponse(body, content_type="application/pdf" if fmt == "pdf" else DOCX_TYPE)
    name = forms.filename(case, fmt, handler_id)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@reauth_required
def form_pdf(request: AuthedHttpRequest, case_id: int) -> HttpResponse:
    return _form_response(request, case_id, "pdf")


@login_required
@reauth_required
def form_docx(request: AuthedHttpRequest, case_id: int) -> HttpResponse:
    return _form_response(request, case_id, "docx")


@login_required
@reauth_required
def binding_pdf(request: AuthedHttpRequest, case_id: int, person_id: int) -> HttpResponse:
    """One handler's complete form for the case file (入卷件): the handler or the custodian."""
    return _form_response(request, case_id, "pdf", person_id)


@login_required
@reauth_required
def binding_docx(request: AuthedHttpRequest, case_id: int, person_id: int) -> HttpResponse:
    return _form_response(request, case_id, "docx", person_id)


@login_required
def close_check(request: AuthedHttpRequest, case_id: int) -> HttpResponse:
    case = case_selectors.case_for(request.actor, case_id)
    check = declarations.close_check(request.actor, case)
    return render(request, "declarations/close_check.html", {"check": check})


@login_required
def report(request: AuthedHttpRequest) -> HttpResponse:
    groups = declarations.missing_by_department(request.actor)
    total = sum(group.count for group in groups)
    return render(request, "declarations/report.html", {"groups": groups, "total": total})


@login_required
@reauth_required
def report_xlsx(request: AuthedHttpRequest) -> HttpResponse:
    groups = declarations.missing_by_department(request.actor)
    audit.log_event(
        action="declarations.report_export",
        actor=request.actor,
        detail={"departments": len(groups), "missing": sum(g.count for g in groups)},
        request=request,
    )
    response = HttpResponse(_workbook(groups), content_type=XLSX_TYPE)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="missing-declarations-{stamp}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


def _workbook(groups: list[declarations.DepartmentMissing]) -> bytes:
    """Sheet 1: counts by department and handler; sheet 2: the cases, one line each."""
    from openpyxl import Workbook

    book = Workbook()
    summary = book.active
    summary.title = _("汇总")
    append_row(summary, [_("部门"), _("办案人员"), _("工号"), _("未填报件数")])
    detail = book.create_sheet(_("明细"))
    append_row(detail, [_("部门"), _("办案人员"), _("工号"), _("案号"), _("结案日期")])
    for group in groups:
        for handler in group.handlers:
            append_row(summary, [group.name, handler.name, handler.staff_no, handler.count])
            for number, closed_on in handler.cases:
                append_row(detail, [group.name, handler.name, handler.staff_no, number, closed_on])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def case_detail_context(request: AuthedHttpRequest, case) -> dict:
    """一案一表 on the case page: everyone's status; the handler's own buttons and records."""
    actor = request.actor
    rows = declarations.declaration_rows(actor, case)
    handlers = frozenset(row.declaration.person_id for row in rows)
    mine = next((row for row in rows if policy.is_case_handler(actor, {row.person.id})), None)
    binding = [
        row
        for row in rows
        if policy.may_print_binding_copy(actor, case, person_id=row.person.id, handler_ids=handlers)
    ]
    return {
        "binding_rows": binding,
        "declaration_rows": rows,
        "my_declaration": mine,
        "my_records": declarations.own_case_records(actor.person, case) if mine else [],
        "none_text": _(declarations.NONE_TEXT),
        "may_print": policy.may_print_declarations(actor, case, handler_ids=handlers),
        "may_bind": policy.may_bind_declarations(actor, case, handler_ids=handlers),
    }
