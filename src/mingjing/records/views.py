from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from mingjing.records import selectors
from mingjing.security import policy, receipts
from mingjing.security.models import Receipt


@login_required
def record_list(request: HttpRequest) -> HttpResponse:
    """Records the actor may see at least the category and status of; never contents here."""
    records = selectors.records_with_metadata(request.actor).order_by("-occurred_at")
    page = Paginator(records, 30).get_page(request.GET.get("page"))
    context = {"page": page, "may_request": policy.may_request_disclosure(request.actor)}
    return render(request, "records/list.html", context)


@login_required
def record_detail(request: HttpRequest, record_id: int) -> HttpResponse:
    actor = request.actor
    record = selectors.record_for(actor, record_id)
    contents = None
    if selectors.may_read(actor, record):
        contents = selectors.record_contents(actor, record, request=request)
    readers = selectors.readers_of(actor, record) if policy.is_recorder(actor, record) else None
    context = {"record": record, "contents": contents, "readers": readers}
    return render(request, "records/detail.html", context)


@login_required
def record_receipt(request: HttpRequest, record_id: int) -> HttpResponse:
    """The signed receipt, downloadable by the recorder only."""
    record = selectors.record_for(request.actor, record_id)
    receipt = Receipt.objects.filter(
        object_type=record._meta.label, object_id=str(record.pk)
    ).first()
    if receipt is None or not policy.is_recorder(request.actor, record):
        raise Http404("回执不存在")
    response = JsonResponse(
        receipts.receipt_document(receipt),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = f'attachment; filename="receipt-{record.pk}.json"'
    return response
