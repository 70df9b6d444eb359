"""/api/v1/records: record an inquiry from another system, with the web's policy.

Lists give metadata only; contents come from reading one record, which is logged. Bad input
answers 400 with a Chinese message per field and changes nothing; another court's record, or
one the caller may not see, answers 404. Field rules: api.schemas (RecordInput and others).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from ninja import Router, Status

from mingjing.api import schemas as s
from mingjing.api.auth import error
from mingjing.oversight.selectors import granted_record_ids
from mingjing.records import selectors, services
from mingjing.records.models import Record
from mingjing.security import policy, receipts
from mingjing.security.actor import Actor
from mingjing.security.http import AuthedHttpRequest

MAX_LIST = 100
BAD_REQUEST = "请求内容有误，请按字段说明修改。"
router = Router(tags=["records"])


# --- Input --------------------------------------------------------------------------------


def parse_record_input(data: s.RecordInput) -> services.RecordInput:
    """The service's RecordInput from the validated body."""
    values = data.model_dump()
    return services.RecordInput(**{**values, "case_numbers": list(data.case_numbers)})


def _invalid(exc: ValidationError) -> JsonResponse:
    if hasattr(exc, "error_dict"):
        fields = {key: " ".join(messages) for key, messages in exc.message_dict.items()}
        return error(400, BAD_REQUEST, fields=fields)
    return error(400, " ".join(exc.messages))


# --- Output -------------------------------------------------------------------------------


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def record_summary(actor: Actor, record: Record, *, granted_ids=None) -> dict:
    """Metadata only: what the counts roles may see, and whether the caller may read more.

    A listing passes `granted_ids` once (and prefetches cases) so rows cost no queries.
    """
    if granted_ids is None:
        granted_ids = granted_record_ids(actor)
    readable = policy.may_view_record_contents(actor, record, granted_ids=granted_ids)
    return {
        "id": record.id,
        "status": record.status,
        "category": record.category,
        "behaviour": record.behaviour,
        "manner": record.manner,
        "subject_kind": record.subject_kind,
        "occurred_at": _iso(record.occurred_at),
        "submitted_at": _iso(record.submitted_at),
        "department": record.department.name if record.department else None,
        "cases": sorted(case.number for case in record.cases.all()),
        "not_about_a_case": record.not_about_a_case,
        "off_hours_contact": record.off_hours_contact,
        "report_due_at": _iso(record.report_due_at),
        "is_late": record.is_late,
        "mine": policy.is_recorder(actor, record),
        "contents_readable": readable,
    }


def _amendment_out(amendment: dict) -> dict:
    return {
        "id": amendment["id"],
        "created_at": _iso(amendment["created_at"]),
        "reason": amendment["reason"],
        "correction": amendment["correction"],
        "subject_name": amendment.get("subject_name", ""),
    }


def _attachment_out(attachment: dict) -> dict:
    return {
        "id": attachment["id"],
        "name": attachment["name"],
        "content_type": attachment["content_type"],
        "size": attachment["size"],
    }


def record_detail(actor: Actor, record: Record, request: AuthedHttpRequest) -> dict:
    """Metadata, and the contents when the policy allows (a logged read)."""
    out = {**record_summary(actor, record), "contents": None}
    out.update(attachments=[], amendments=[])
    if out["contents_readable"]:
        dossier = selectors.record_dossier(actor, record, request=request)
        out["contents"] = {**dossier["contents"], "late_reason": record.late_reason}
        out["attachments"] = [_attachment_out(a) for a in dossier["attachments"]]
        out["amendments"] = [_amendment_out(a) for a in dossier["amendments"]]
        if out["mine"]:
            colleagues = selectors.subject_colleagues(actor, dossier["contents"])
            out["subject_colleagues"] = [_colleague_out(person) for person in colleagues]
    return out


def _colleague_out(person) -> dict:
    department = person.department.name if person.department_id else None
    return {"id": person.id, "name": person.name, "department": department}


# --- Endpoints ----------------------------------------------------------------------------

ID = "/records/{int:record_id}"
DENIED = {401: s.Error, 403: s.Error}
MISSING = {404: s.Error}
BAD = {400: s.FieldErrors}
# Contents that fail to unseal (tampered, or copied from another record): security middleware.
SEALED = {409: s.Error}


def _found(actor: Actor, record_id: int) -> Record | None:
    try:
        return selectors.record_for(actor, record_id)
    except Http404:
        return None


@router.get(
    "/records",
    url_name="records_list",
    summary="我可见的记录（元数据，最新的 100 条）",
    response={200: s.RecordList, **DENIED},
)
def records_list(request: AuthedHttpRequest):
    """The records the caller may see (metadata)."""
    actor = request.actor
    found = (
        selectors.records_with_metadata(actor)
        .prefetch_related("cases")
        .order_by("-occurred_at")[:MAX_LIST]
    )
    granted = granted_record_ids(actor)
    return {"results": [record_summary(actor, r, granted_ids=granted) for r in found]}


@router.post("/records", summary="新建草稿", response={201: s.RecordSummary, **BAD, **DENIED})
def records_create(request: AuthedHttpRequest, data: s.RecordInput):
    """A new draft."""
    if not policy.may_record(request.actor):
        return error(403, "只有本院干警可以填写记录。")
    return _write(request, data, None, status=201)


def _write(request: AuthedHttpRequest, data: s.RecordInput, record: Record | None, *, status: int):
    parsed = parse_record_input(data)
    try:
        record = services.record_save_draft(
            actor=request.actor, data=parsed, record=record, request=request
        )
    except ValidationError as exc:
        if record is not None and services.submitted_since(record):
            return error(409, "记录已提交，不能修改；如需更正请追加更正说明。")
        return _invalid(exc)
    except PermissionDenied:
        return error(403, "无权修改该记录。")
    return Status(status, record_summary(request.actor, record))


@router.get(
    ID,
    url_name="records_detail",
    summary="一条记录；有权时含内容（查阅记入审计）",
    response={200: s.RecordDetail, **SEALED, **MISSING, **DENIED},
    exclude_unset=True,
)
def records_detail(request: AuthedHttpRequest, record_id: int):
    """One record (contents when allowed, logged)."""
    record = _found(request.actor, record_id)
    if record is None:
        return error(404, "记录不存在。")
    return record_detail(request.actor, record, request)


@router.put(
    ID,
    summary="修改本人的草稿（整体替换）",
    response={200: s.RecordSummary, 409: s.Error, **BAD, **MISSING, **DENIED},
)
def records_replace(request: AuthedHttpRequest, record_id: int, data: s.RecordInput):
    """Replace one's own draft."""
    record = _found(request.actor, record_id)
    if record is None:
        return error(404, "记录不存在。")
    if not policy.may_edit_record(request.actor, record):
        return error(409 if policy.is_recorder(request.actor, record) else 404, _locked(record))
    return _write(request, data, record, status=200)


def _locked(record: Record) -> str:
    if record.status != "draft":
        return "记录已提交，不能修改；如需更正请追加更正说明。"
    return "记录不存在。"


@router.post(
    ID + "/submit",
    url_name="records_submit",
    summary="提交本人的草稿，返回签名回执",
    response={200: s.RecordSubmitted, 409: s.Error, **BAD, **MISSING, **DENIED},
)
def records_submit(request: AuthedHttpRequest, record_id: int, data: s.SubmitInput | None = None):
    """Submit one's own draft; answers the signed receipt."""
    record = _found(request.actor, record_id)
    if record is None or not policy.is_recorder(request.actor, record):
        return error(404, "记录不存在。")
    late_reason = data.late_reason if data else None
    try:
        record, receipt = services.record_submit(
            actor=request.actor,
            record=record,
            request=request,
            late_reason=late_reason,
            require_case=True,
        )
    except ValidationError as exc:
        return _invalid(exc) if hasattr(exc, "error_dict") else error(409, " ".join(exc.messages))
    document = receipts.receipt_document(receipt)
    return {"record": record_summary(request.actor, record), "receipt": document}


@router.get(
    ID + "/amendments",
    url_name="records_amendments",
    summary="更正说明，按时间顺序（查阅记入审计）",
    response={200: s.AmendmentList, **SEALED, **MISSING, **DENIED},
)
def records_amendments(request: AuthedHttpRequest, record_id: int):
    """The corrections, in order (a logged read)."""
    actor = request.actor
    record = _found(actor, record_id)
    if record is None or not selectors.may_read(actor, record):
        return error(404, "记录不存在。")
    dossier = selectors.record_dossier(actor, record, request=request)
    return {"results": [_amendment_out(a) for a in dossier["amendments"]]}


@router.post(
    ID + "/amendments",
    summary="追加更正说明（仅记录人，已提交的记录）",
    response={201: s.RecordAmendment, **SEALED, **BAD, **MISSING, **DENIED},
)
def records_amend(request: AuthedHttpRequest, record_id: int, data: s.AmendmentInput):
    """Append a correction (the recorder only)."""
    actor = request.actor
    record = _found(actor, record_id)
    if record is None or not selectors.may_read(actor, record):
        return error(404, "记录不存在。")
    if not policy.may_amend_record(actor, record):
        return error(403, "只有记录人可以更正已提交的记录。")
    values = data.model_dump()
    try:
        amendment = services.amendment_add(actor=actor, record=record, request=request, **values)
    except ValidationError as exc:
        return _invalid(exc)
    texts = {name: value.strip() for name, value in values.items()}
    return Status(201, {"id": amendment.id, "created_at": _iso(amendment.created_at), **texts})
