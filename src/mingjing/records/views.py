import uuid
from urllib.parse import unquote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mingjing.records import receipt_documents, selectors, services
from mingjing.records.forms import AmendmentForm, RecordForm, initial_for, local_now_text
from mingjing.records.models import Record, RecordStatus
from mingjing.security import policy, receipts
from mingjing.security.http import AuthedHttpRequest
from mingjing.security.models import Receipt

# Session key: form tokens of new-record forms already saved -> the record they made, so that
# posting the same form twice (a double tap, a resent request) never makes a second record.
TOKENS_KEY = "records_form_tokens"
MAX_TOKENS = 20


@login_required
def record_list(request: AuthedHttpRequest) -> HttpResponse:
    """My drafts first; then the records the actor may see the category and status of."""
    actor = request.actor
    records = selectors.records_with_metadata(actor).exclude(status=RecordStatus.DRAFT)
    page = Paginator(records.order_by("-occurred_at"), 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "drafts": selectors.own_drafts(actor),
        "may_record": policy.may_record(actor),
        "may_request": policy.may_request_disclosure(actor),
        "may_view_late": policy.may_view_late_reports(actor),
    }
    return render(request, "records/list.html", context)


def time_left_text(record: Record) -> str:
    """'距报告期限还有 2 天 5 小时', or that the deadline has passed; '' if there is none."""
    left = selectors.time_left(record)
    if left is None:
        return ""
    if left.total_seconds() <= 0:
        return _("已超过报告期限")
    hours = int(left.total_seconds() // 3600)
    return _("距报告期限还有 %(days)d 天 %(hours)d 小时") % {
        "days": hours // 24,
        "hours": hours % 24,
    }


def _overdue(record: Record | None) -> bool:
    left = selectors.time_left(record) if record else None
    return left is not None and left.total_seconds() <= 0


@login_required
def record_detail(request: AuthedHttpRequest, record_id: int) -> HttpResponse:
    actor = request.actor
    record = selectors.record_for(actor, record_id)
    dossier = None
    if selectors.may_read(actor, record):
        dossier = selectors.record_dossier(actor, record, request=request)
    mine = policy.is_recorder(actor, record)
    readers = selectors.readers_of(actor, record) if mine else None
    colleagues = []
    if dossier and mine:
        colleagues = selectors.subject_colleagues(actor, dossier["contents"])
    context = {
        "record": record,
        "colleagues_notice": colleagues_notice(colleagues) if colleagues else "",
        "contents": dossier["contents"] if dossier else None,
        "dossier": dossier,
        "readers": readers,
        "may_edit": policy.may_edit_record(actor, record),
        "may_amend": policy.may_amend_record(actor, record),
        "time_left": time_left_text(record) if record.status == RecordStatus.DRAFT else "",
        "overdue": _overdue(record),
        "days_late": selectors.days_late(record),
        "cases": record.cases.order_by("number"),
    }
    return render(request, "records/detail.html", context)


def _own_receipt(request: AuthedHttpRequest, record_id: int) -> tuple[Record, Receipt]:
    """The recorder's own record and its receipt; 404 for anyone else, or before submission."""
    record = selectors.record_for(request.actor, record_id)
    receipt = receipts.receipt_for(record)
    if receipt is None or not policy.is_recorder(request.actor, record):
        raise Http404("回执不存在")
    return record, receipt


def _summary(request: AuthedHttpRequest, record_id: int) -> receipt_documents.ReceiptSummary:
    record, receipt = _own_receipt(request, record_id)
    court_code = record.court.code
    return receipt_documents.receipt_summary(
        record,
        receipt,
        verify_url=request.build_absolute_uri(reverse("security:receipt_verify")),
        key_url=unquote(
            request.build_absolute_uri(reverse("security:public_keys", args=[court_code]))
        ),
    )


@login_required
def record_receipt(request: AuthedHttpRequest, record_id: int) -> HttpResponse:
    """The signed receipt as JSON, downloadable by the recorder only."""
    _record, receipt = _own_receipt(request, record_id)
    response = JsonResponse(
        receipts.receipt_document(receipt),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = f'attachment; filename="receipt-{record_id}.json"'
    return response


@login_required
def record_receipt_page(request: AuthedHttpRequest, record_id: int) -> HttpResponse:
    """The receipt as a page: local time, cases, recorder, digest, and how to verify it."""
    summary = _summary(request, record_id)
    context = {
        "summary": summary,
        "facts": receipt_documents.facts(summary),
        "steps": receipt_documents.verify_steps(summary),
    }
    return render(request, "records/receipt.html", context)


@login_required
def record_receipt_pdf(request: AuthedHttpRequest, record_id: int) -> HttpResponse:
    """The printable receipt; the file itself verifies on the verify page."""
    summary = _summary(request, record_id)
    response = HttpResponse(receipt_documents.render_pdf(summary), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{receipt_documents.filename(summary)}"'
    )
    return response


# --- Recording --------------------------------------------------------------------------------


def _saved_token(request: AuthedHttpRequest, token: str) -> int | None:
    return request.session.get(TOKENS_KEY, {}).get(token) if token else None


def _remember_token(request: AuthedHttpRequest, token: str, record: Record) -> None:
    if not token:
        return
    tokens = dict(list(request.session.get(TOKENS_KEY, {}).items())[-(MAX_TOKENS - 1) :])
    tokens[token] = record.pk
    request.session[TOKENS_KEY] = tokens


def _render_form(
    request: AuthedHttpRequest,
    form: RecordForm,
    record: Record | None,
    attachments=None,
    pending: list[str] | None = None,
) -> HttpResponse:
    if record is not None and attachments is None:
        attachments = selectors.draft_contents(request.actor, record)["attachments"]
    kept = services.pending_uploads(request.actor, pending or [])
    context = {
        "form": form,
        "record": record,
        "attachments": attachments or [],
        "pending": [
            {"token": p.token, "name": services.pending_name(p), "size": p.size} for p in kept
        ],
        "time_left": time_left_text(record) if record else "",
        "overdue": _overdue(record),
        "my_cases": _my_case_numbers(request),
    }
    return render(request, "records/form.html", context)


def _my_case_numbers(request: AuthedHttpRequest) -> list[str]:
    from mingjing.cases.selectors import cases_handled_by

    return list(cases_handled_by(request.actor).values_list("number", flat=True)[:50])


def _already_submitted(
    request: AuthedHttpRequest, record: Record, *, changes_lost: bool = False
) -> HttpResponse:
    if changes_lost:
        message = _(
            "该记录已经提交过了（可能是在其他页面提交的），本页的修改没有保存。"
            "提交后的记录不能再修改，如需更正请追加更正说明。"
        )
    else:
        message = _("该记录已经提交过了，无需重复提交。")
    messages.warning(request, message)
    return redirect("records:detail", record.pk)


def _save(request: AuthedHttpRequest, record: Record | None) -> HttpResponse:
    """Save the draft (with its new files). "核对并提交" saves it too and leads to the
    confirmation page: nothing is filed until the recorder has seen it and confirmed there."""
    form = RecordForm(request.POST, request.FILES, actor=request.actor)
    submit = request.POST.get("action") == "submit"
    pending = request.POST.getlist("pending")[: services.MAX_ATTACHMENTS]
    if form.is_valid():
        try:
            record, _receipt = services.record_save(
                actor=request.actor,
                data=form.to_input(),
                record=record,
                uploads=form.uploads,
                ready_to_submit=submit,
                request=request,
                pending=pending,
            )
        except ValidationError as exc:
            if record is not None and services.submitted_since(record):
                return _already_submitted(request, record, changes_lost=True)
            form.add_service_errors(exc)
        else:
            return _saved(request, form, record, submit)
    if request.FILES:
        pending += _keep_files(request, form, record)
    if record is not None:
        record.refresh_from_db()
        if record.status != RecordStatus.DRAFT:
            return _already_submitted(request, record, changes_lost=True)
    return _render_form(request, form, record, pending=pending)


def _keep_files(request: AuthedHttpRequest, form: RecordForm, record: Record | None) -> list[str]:
    """Files chosen with a form that has errors are kept: with the draft when there is one
    (listed under 已保存的附件), else sealed for the recorder under tokens the re-shown form
    carries (listed as 已选择); the tokens of the latter."""
    if "attachments" in form.errors or not form.uploads:
        return []  # a refused file: its own message says why
    try:
        if record is None:
            return [
                services.pending_upload_add(
                    actor=request.actor, name=name, data=content, request=request
                ).token
                for name, content in form.uploads
            ]
        for name, content in form.uploads:
            services.attachment_add(
                actor=request.actor, record=record, name=name, data=content, request=request
            )
    except ValidationError as exc:
        form.add_error("attachments", exc)
        return []
    names = "、".join(name for name, _content in form.uploads)
    messages.info(request, _("所选附件（%(names)s）已保存到草稿。") % {"names": names})
    return []


def _saved(
    request: AuthedHttpRequest, form: RecordForm, record: Record, submit: bool
) -> HttpResponse:
    _remember_token(request, form.cleaned_data.get("form_token", ""), record)
    _tell_about_colleagues(request, form)
    if submit:
        return redirect("records:confirm", record.pk)
    messages.success(request, _("草稿已保存，可以继续填写。"))
    return redirect("records:edit", record.pk)


def _tell_about_colleagues(request: AuthedHttpRequest, form: RecordForm) -> None:
    """A typed subject name that matches colleagues: say who, and that they lose sight."""
    contents = {
        "subject_person_id": form.cleaned_data.get("subject_person"),
        "subject_name": form.cleaned_data.get("subject_name", ""),
    }
    colleagues = selectors.subject_colleagues(request.actor, contents)
    if colleagues:
        messages.warning(request, colleagues_notice(colleagues))


def colleagues_notice(colleagues) -> str:
    names = "、".join(_person_text(person) for person in colleagues)
    return _(
        "过问人姓名与本院人员 %(names)s 同名。他们都将不能查看这条记录，其应审核的事项移交上级。"
        "如果过问人就是本院人员，请在“本院人员”一栏中选择他；如果只是同名，无需处理。"
    ) % {"names": names}


def _person_text(person) -> str:
    department = person.department.name if person.department_id else ""
    return f"{person.name}（{department}）" if department else person.name


@login_required
def record_new(request: AuthedHttpRequest) -> HttpResponse:
    """Record an interference, inquiry or contact: saved as a draft, or submitted at once."""
    if not policy.may_record(request.actor):
        raise PermissionDenied
    if request.method != "POST":
        initial = {"occurred_at": local_now_text(), "form_token": uuid.uuid4().hex}
        initial.update(_case_initial(request))
        return _render_form(request, RecordForm(actor=request.actor, initial=initial), None)
    earlier = _saved_token(request, request.POST.get("form_token", ""))
    if earlier is None:
        return _save(request, None)
    record = Record.objects.filter(pk=earlier, court=request.actor.court).first()
    if record is None or record.status != RecordStatus.DRAFT:
        if record is None:
            return redirect("records:list")
        return _already_submitted(request, record, changes_lost=True)
    return _save(request, record)


def _case_initial(request: AuthedHttpRequest) -> dict:
    """`?case=<id>` from a case page: that case filled in (404 if he may not see it)."""
    from mingjing.cases.selectors import case_for

    case_id = request.GET.get("case", "")
    if not case_id:
        return {}
    if not case_id.isdigit() or len(case_id) > 18:
        raise Http404("案件不存在")
    return {"case_numbers": case_for(request.actor, int(case_id)).number}


@login_required
def record_edit(request: AuthedHttpRequest, record_id: int) -> HttpResponse:
    """Continue filling in one's own draft; a submitted record is never edited."""
    actor = request.actor
    record = selectors.record_for(actor, record_id)
    if policy.may_amend_record(actor, record):
        return _already_submitted(request, record, changes_lost=request.method == "POST")
    if not policy.may_edit_record(actor, record):
        raise Http404("记录不存在")
    if request.method == "POST":
        return _save(request, record)
    dossier = selectors.draft_contents(actor, record)
    form = RecordForm(actor=actor, initial=initial_for(dossier["contents"], record))
    return _render_form(request, form, record, dossier["attachments"])


@login_required
def attachment_download(
    request: AuthedHttpRequest, record_id: int, attachment_id: int
) -> HttpResponse:
    """An attachment, for those who may read the record; every download is a logged read."""
    name, content_type, data = selectors.attachment_download(
        request.actor, record_id, attachment_id, request=request
    )
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def record_confirm(request: AuthedHttpRequest, record_id: int) -> HttpResponse:
    """The last step before filing: everything that will be submitted, and one button."""
    actor = request.actor
    record = selectors.record_for(actor, record_id)
    if policy.may_amend_record(actor, record):
        return _already_submitted(request, record, changes_lost=False)
    if not policy.may_edit_record(actor, record):
        raise Http404("记录不存在")
    if request.method == "POST":
        if request.POST.get("version") == services.draft_version(record):
            return _submit_confirmed(request, record)
        messages.warning(request, _("该草稿在其他页面修改过，请重新核对后再确认提交。"))
    dossier = selectors.draft_contents(actor, record)
    context = {
        "record": record,
        "contents": dossier["contents"],
        "attachments": dossier["attachments"],
        "cases": record.cases.order_by("number"),
        "version": services.draft_version(record),
        "time_left": time_left_text(record),
        "overdue": _overdue(record),
    }
    return render(request, "records/confirm.html", context)


def _submit_confirmed(request: AuthedHttpRequest, record: Record) -> HttpResponse:
    try:
        services.record_submit(
            actor=request.actor, record=record, request=request, require_case=True
        )
    except ValidationError as exc:
        if services.submitted_since(record):
            return _already_submitted(request, record)
        messages.error(request, " ".join(exc.messages))
        return redirect("records:edit", record.pk)
    messages.success(request, _("记录已提交，不能再修改。请下载并妥善保存提交回执。"))
    return redirect("records:detail", record.pk)


@login_required
@require_POST
def attachment_delete(
    request: AuthedHttpRequest, record_id: int, attachment_id: int
) -> HttpResponse:
    """Remove a file from one's own draft."""
    record = selectors.record_for(request.actor, record_id)
    if policy.may_amend_record(request.actor, record):  # submitted in another tab meanwhile
        return _already_submitted(request, record, changes_lost=True)
    record = selectors.draft_for(request.actor, record_id)
    attachment = record.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404("附件不存在")
    try:
        services.attachment_remove(actor=request.actor, attachment=attachment, request=request)
    except ValidationError:
        if services.submitted_since(record):
            return _already_submitted(request, record, changes_lost=True)
        messages.warning(request, _("该附件已经删除。"))
    else:
        messages.success(request, _("附件已删除。"))
    return redirect("records:edit", record.pk)


@login_required
def record_amend(request: AuthedHttpRequest, record_id: int) -> HttpResponse:
    """Append a correction to one's own submitted record (the record itself never changes)."""
    record = selectors.record_for(request.actor, record_id)
    if not policy.may_amend_record(request.actor, record):
        raise Http404("记录不存在")
    form = AmendmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.amendment_add(
                actor=request.actor, record=record, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("更正说明已追加。"))
            return redirect("records:detail", record.pk)
    return render(request, "records/amend.html", {"form": form, "record": record})


@login_required
def late_reports(request: AuthedHttpRequest) -> HttpResponse:
    """Contact reports submitted after the 3-day deadline: metadata only, for the office."""
    if not policy.may_view_late_reports(request.actor):
        raise PermissionDenied
    late = selectors.late_contact_reports(request.actor).select_related("department")
    page = Paginator(late, 50).get_page(request.GET.get("page"))
    rows = [(record, selectors.days_late(record)) for record in page.object_list]
    return render(request, "records/late.html", {"page": page, "rows": rows})
