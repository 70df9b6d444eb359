"""/api/v1/records: record an inquiry from another system, with the web's policy.

Lists give metadata only; contents come from reading one record, which is logged. Bad input
answers 400 with a Chinese message per field and changes nothing; another court's record, or
one the caller may not see, answers 404.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from mingjing.api.auth import error, ok, token_required
from mingjing.api.body import json_object
from mingjing.api.limits import AMENDMENT_FIELDS, CASE_NUMBER_CHARS, MAX_CASE_NUMBERS, TEXT_FIELDS
from mingjing.api.records_openapi import OPENAPI_PATHS, OPENAPI_SCHEMAS
from mingjing.oversight.selectors import granted_record_ids
from mingjing.records import selectors, services
from mingjing.records.models import Behaviour, Category, Manner, Record, SubjectKind
from mingjing.records.occurred import occurred_at_problem
from mingjing.security import policy, receipts
from mingjing.security.actor import Actor

MAX_LIST = 100
CHOICE_FIELDS = {
    "category": Category,
    "behaviour": Behaviour,
    "manner": Manner,
    "subject_kind": SubjectKind,
}
BOOL_FIELDS = ("not_about_a_case", "off_hours_contact")
INPUT_FIELDS = {*CHOICE_FIELDS, "occurred_at", *TEXT_FIELDS, *BOOL_FIELDS}
INPUT_FIELDS |= {"subject_person_id", "case_numbers"}
BAD_REQUEST = "请求内容有误，请按字段说明修改。"


# --- Input --------------------------------------------------------------------------------


def _body(request: HttpRequest) -> dict:
    """The JSON object; a bad body raises BodyError, answered 400 by the API middleware."""
    return json_object(request)


def _choice_errors(body: dict) -> dict[str, str]:
    errors = {}
    for name, choices in CHOICE_FIELDS.items():
        if body.get(name) not in choices.values:
            errors[name] = "必填，可选值：" + "、".join(choices.values) + "。"
    return errors


def _text_errors(body: dict) -> dict[str, str]:
    errors = {}
    for name, limit in TEXT_FIELDS.items():
        value = body.get(name, "")
        if not isinstance(value, str):
            errors[name] = "应为字符串。"
        elif len(value) > limit:
            errors[name] = f"不能超过 {limit} 个字。"
    return errors


def _other_errors(body: dict) -> dict[str, str]:
    errors = {name: "应为 true 或 false。" for name in BOOL_FIELDS if _not(bool, body, name)}
    person = body.get("subject_person_id")
    if person is not None and (not isinstance(person, int) or isinstance(person, bool)):
        errors["subject_person_id"] = "应为本院人员的 ID（整数）或 null。"
    numbers = body.get("case_numbers", [])
    if not isinstance(numbers, list) or not all(isinstance(n, str) for n in numbers):
        errors["case_numbers"] = '应为案号字符串的数组，如 ["（2026）豫9001民初123号"]。'
    elif len(numbers) > MAX_CASE_NUMBERS or any(len(n) > CASE_NUMBER_CHARS for n in numbers):
        errors["case_numbers"] = (
            f"至多 {MAX_CASE_NUMBERS} 个案号，每个不超过 {CASE_NUMBER_CHARS} 个字。"
        )
    for name in sorted(set(body) - INPUT_FIELDS):
        errors[name] = "未知字段。"
    return errors


def _not(kind: type, body: dict, name: str) -> bool:
    return name in body and not isinstance(body[name], kind)


def _occurred_at(body: dict):
    """The parsed time, or None when missing or not a real date-time (2026-02-30 is not)."""
    value = body.get("occurred_at")
    try:
        parsed = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:
        return None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def parse_record_input(body: dict) -> tuple[services.RecordInput | None, dict[str, str]]:
    """A RecordInput from a JSON object, or the errors, one Chinese message per field."""
    errors = {**_choice_errors(body), **_text_errors(body), **_other_errors(body)}
    occurred_at = _occurred_at(body)
    if occurred_at is None:
        errors["occurred_at"] = "必填，ISO 8601 日期时间，如 2026-03-02T09:30:00+08:00。"
    elif problem := occurred_at_problem(occurred_at):
        errors["occurred_at"] = problem
    if errors:
        return None, errors
    texts = {name: body.get(name, "") for name in TEXT_FIELDS}
    flags = {name: body.get(name, False) for name in BOOL_FIELDS}
    return services.RecordInput(
        **{name: body[name] for name in CHOICE_FIELDS},
        occurred_at=occurred_at,
        subject_person_id=body.get("subject_person_id"),
        case_numbers=list(body.get("case_numbers", [])),
        **texts,
        **flags,
    ), {}


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


def record_detail(actor: Actor, record: Record, request: HttpRequest) -> dict:
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


def _found(actor: Actor, record_id: int) -> Record | None:
    try:
        return selectors.record_for(actor, record_id)
    except Http404:
        return None


def _list(request: HttpRequest) -> JsonResponse:
    actor = request.actor
    found = (
        selectors.records_with_metadata(actor)
        .prefetch_related("cases")
        .order_by("-occurred_at")[:MAX_LIST]
    )
    granted = granted_record_ids(actor)
    return ok({"results": [record_summary(actor, r, granted_ids=granted) for r in found]})


def _create(request: HttpRequest) -> JsonResponse:
    if not policy.may_record(request.actor):
        return error(403, "只有本院干警可以填写记录。")
    return _write(request, None, status=201)


def _write(request: HttpRequest, record: Record | None, *, status: int) -> JsonResponse:
    body = _body(request)
    if body is None:
        return error(400, "请求体必须是 JSON 对象。")
    data, errors = parse_record_input(body)
    if errors:
        return error(400, BAD_REQUEST, fields=errors)
    try:
        record = services.record_save_draft(
            actor=request.actor, data=data, record=record, request=request
        )
    except ValidationError as exc:
        if record is not None and services.submitted_since(record):
            return error(409, "记录已提交，不能修改；如需更正请追加更正说明。")
        return _invalid(exc)
    except PermissionDenied:
        return error(403, "无权修改该记录。")
    return ok(record_summary(request.actor, record), status=status)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@token_required
def records_list(request: HttpRequest) -> JsonResponse:
    """GET: the records the caller may see (metadata). POST: a new draft."""
    return _list(request) if request.method == "GET" else _create(request)


@csrf_exempt
@require_http_methods(["GET", "PUT"])
@token_required
def records_detail(request: HttpRequest, record_id: int) -> JsonResponse:
    """GET: one record (contents when allowed, logged). PUT: replace one's own draft."""
    record = _found(request.actor, record_id)
    if record is None:
        return error(404, "记录不存在。")
    if request.method == "GET":
        return ok(record_detail(request.actor, record, request))
    if not policy.may_edit_record(request.actor, record):
        return error(409 if policy.is_recorder(request.actor, record) else 404, _locked(record))
    return _write(request, record, status=200)


def _locked(record: Record) -> str:
    if record.status != "draft":
        return "记录已提交，不能修改；如需更正请追加更正说明。"
    return "记录不存在。"


@csrf_exempt
@require_POST
@token_required
def records_submit(request: HttpRequest, record_id: int) -> JsonResponse:
    """Submit one's own draft; answers the signed receipt. Body: {"late_reason": "..."}."""
    record = _found(request.actor, record_id)
    if record is None or not policy.is_recorder(request.actor, record):
        return error(404, "记录不存在。")
    body = _body(request)
    late_reason = body.get("late_reason")
    if not isinstance(late_reason, str | None):
        return error(400, BAD_REQUEST, fields={"late_reason": "应为字符串。"})
    limit = TEXT_FIELDS["late_reason"]
    if late_reason is not None and len(late_reason) > limit:
        return error(400, BAD_REQUEST, fields={"late_reason": f"不能超过 {limit} 个字。"})
    if unknown := sorted(set(body) - {"late_reason"}):
        return error(400, BAD_REQUEST, fields={name: "未知字段。" for name in unknown})
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
    return ok({"record": record_summary(request.actor, record), "receipt": document})


@csrf_exempt
@require_http_methods(["GET", "POST"])
@token_required
def records_amendments(request: HttpRequest, record_id: int) -> JsonResponse:
    """GET: the corrections, in order (a logged read). POST: append one (the recorder only)."""
    actor = request.actor
    record = _found(actor, record_id)
    if record is None or not selectors.may_read(actor, record):
        return error(404, "记录不存在。")
    if request.method == "GET":
        dossier = selectors.record_dossier(actor, record, request=request)
        return ok({"results": [_amendment_out(a) for a in dossier["amendments"]]})
    return _amend(request, record)


def _amend(request: HttpRequest, record: Record) -> JsonResponse:
    if not policy.may_amend_record(request.actor, record):
        return error(403, "只有记录人可以更正已提交的记录。")
    body = _body(request)
    if body is None:
        return error(400, "请求体必须是 JSON 对象。")
    values = {name: body.get(name, "") for name in AMENDMENT_FIELDS}
    bad = {name: "应为字符串。" for name, value in values.items() if not isinstance(value, str)}
    bad |= {
        name: f"不能超过 {AMENDMENT_FIELDS[name]} 个字。"
        for name, value in values.items()
        if name not in bad and len(value) > AMENDMENT_FIELDS[name]
    }
    bad |= {name: "未知字段。" for name in sorted(set(body) - set(AMENDMENT_FIELDS))}
    if bad:
        return error(400, BAD_REQUEST, fields=bad)
    try:
        amendment = services.amendment_add(
            actor=request.actor, record=record, request=request, **values
        )
    except ValidationError as exc:
        return _invalid(exc)
    texts = {name: value.strip() for name, value in values.items()}
    return ok({"id": amendment.id, "created_at": _iso(amendment.created_at), **texts}, status=201)


__all__ = ["OPENAPI_PATHS", "OPENAPI_SCHEMAS", "urlpatterns"]
urlpatterns = [
    path("records", records_list, name="records_list"),
    path("records/<int:record_id>", records_detail, name="records_detail"),
    path("records/<int:record_id>/submit", records_submit, name="records_submit"),
    path("records/<int:record_id>/amendments", records_amendments, name="records_amendments"),
]
