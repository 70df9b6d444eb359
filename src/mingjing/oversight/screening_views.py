"""Pages of screening and disposition: the custodian's queue and one page per record."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mingjing.oversight import screening, selectors
from mingjing.oversight.models import Screening
from mingjing.oversight.screening_forms import ClassifyForm, DisposeForm
from mingjing.records import selectors as record_selectors
from mingjing.records.models import Record, RecordStatus
from mingjing.security import policy
from mingjing.security.http import AuthedHttpRequest

# The form each status calls for, the service it feeds, and the field it decides.
STEPS: dict[str, tuple[type[forms.Form], Callable[..., Screening], str]] = {
    RecordStatus.SUBMITTED: (ClassifyForm, screening.screening_classify, "classification"),
    RecordStatus.SCREENED: (DisposeForm, screening.screening_dispose, "disposition"),
}


@login_required
def screening_queue(request: AuthedHttpRequest) -> HttpResponse:
    """Records awaiting classification or disposition: metadata only, contents on the page."""
    if not policy.may_screen(request.actor):
        raise PermissionDenied(_("只有院管理员可以甄别处置记录。"))
    queue = list(selectors.screening_queue(request.actor))
    context = {
        "in_place_of_custodian": policy.screens_in_place_of_custodian(request.actor),
        "to_classify": [r for r in queue if r.status == RecordStatus.SUBMITTED],
        "to_dispose": [r for r in queue if r.status == RecordStatus.SCREENED],
    }
    return render(request, "oversight/screening_queue.html", context)


def _record_to_screen(request: AuthedHttpRequest, record_id: int) -> Record:
    """The record, when the actor may screen it; 404 otherwise (nobody learns it exists)."""
    record = record_selectors.record_for(request.actor, record_id)
    if not policy.may_screen_record(request.actor, record):
        raise Http404("记录不存在")
    return record


def _decide(request: AuthedHttpRequest, record: Record, form) -> bool:
    """Run the step's service; True when it went through, else errors on the form."""
    _form_class, service, field = STEPS[record.status]
    try:
        service(
            actor=request.actor,
            record=record,
            note=form.cleaned_data["note"],
            request=request,
            **{field: form.cleaned_data[field]},
        )
    except ValidationError as error:
        for name, errors in getattr(error, "message_dict", {None: error.messages}).items():
            form.add_error(name if name in form.fields else None, errors)
        return False
    return True


@login_required
def screening_detail(request: AuthedHttpRequest, record_id: int) -> HttpResponse:
    """One record: its contents, corrections, attachments and cases (one logged read per
    visit), its outcome so far, the next step."""
    actor = request.actor
    record = _record_to_screen(request, record_id)
    step = STEPS.get(record.status)
    form = step[0](request.POST or None) if step else None
    if request.method == "POST":
        if form is None:
            messages.error(request, _("该记录已经处置完毕，不能再更改。"))
            return redirect("oversight:screening_detail", record.id)
        if form.is_valid() and _decide(request, record, form):
            messages.success(request, _("已保存。"))
            return redirect("oversight:screening_detail", record.id)
    # Everything the decision rests on; reloads and the redirect after a save are one visit.
    dossier = record_selectors.record_dossier(actor, record, request=request, once_per_visit=True)
    context = {
        "record": record,
        "contents": dossier["contents"],
        "dossier": dossier,
        "cases": record.cases.order_by("number"),
        "outcome": selectors.screening_outcome_for(actor, record),
        "notes": selectors.screening_notes_for(actor, record, request=request),
        "form": form,
    }
    return render(request, "oversight/screening_detail.html", context)
