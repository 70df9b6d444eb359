"""一案一表 over the API: a case's declarations, declaring, and "may this case be closed?".

The same policy as the web: case lookups through cases.selectors (another court's case: 404),
counts only where policy.may_view_declaration_counts allows, never contents.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Query, Router

from mingjing.api import schemas as s
from mingjing.api.auth import error
from mingjing.cases import selectors as case_selectors
from mingjing.declarations import services as declarations
from mingjing.security import policy
from mingjing.security.http import AuthedHttpRequest

NOT_FOUND = "案件不存在。"
NO_LOOKUP = "您的角色无权查询案件。"
CASE = "/declarations/cases/{int:case_id}"
ERRORS = {401: s.Error, 403: s.Error, 404: s.Error}
router = Router(tags=["declarations"])


def _declaration_json(row: declarations.DeclarationRow) -> dict:
    declaration = row.declaration
    summary = None
    if row.record_count is not None and not row.is_pending:
        summary = {"none_to_report": declaration.none_to_report, "records": row.record_count}
    return {
        "name": row.person.name,
        "staff_no": row.person.staff_no,
        "roles": row.roles,
        "status": declaration.status,
        "declared_at": declaration.declared_at.isoformat() if declaration.declared_at else None,
        "bound_at": declaration.bound_at.isoformat() if declaration.bound_at else None,
        "summary": summary,
    }


def _case(request: AuthedHttpRequest, case_id: int):
    return case_selectors.case_for(request.actor, case_id)


@router.get(
    CASE,
    url_name="declarations_case",
    summary="案件的一案一表（各办案人员的填报状态）",
    response={200: s.CaseDeclarations, **ERRORS},
)
def case_declarations(request: AuthedHttpRequest, case_id: int):
    try:
        case = _case(request, case_id)
    except Http404:
        return error(404, NOT_FOUND)
    rows = declarations.declaration_rows(request.actor, case)
    data = {"case_id": case.id, "case_number": case.number}
    return {**data, "declarations": [_declaration_json(row) for row in rows]}


@router.post(
    CASE + "/declare",
    url_name="declarations_declare",
    summary="本人填报一案一表（无相关情况，或已记录相关情况）",
    response={200: s.Declaration, 400: s.FieldErrors, **ERRORS},
)
def declare(request: AuthedHttpRequest, case_id: int, data: s.DeclareInput):
    """The calling handler's declaration."""
    try:
        case = _case(request, case_id)
    except Http404:
        return error(404, NOT_FOUND)
    try:
        declarations.declaration_declare(
            actor=request.actor, case=case, none_to_report=data.none_to_report, request=request
        )
    except PermissionDenied as exc:
        return error(403, str(exc))
    except ValidationError as exc:
        return error(400, exc.messages[0])
    rows = declarations.declaration_rows(request.actor, case)
    mine = next(r for r in rows if policy.is_case_handler(request.actor, {r.person.id}))
    return _declaration_json(mine)


def _close_check(request: AuthedHttpRequest, find):
    try:
        case = find()
    except Http404:
        return error(404, NOT_FOUND)
    return declarations.close_check(request.actor, case).as_json()


@router.get(
    CASE + "/close-check",
    url_name="declarations_close_check",
    summary="能否报结（按案件 ID）",
    response={200: s.CloseCheck, **ERRORS},
)
def close_check(request: AuthedHttpRequest, case_id: int):
    """By id, like /cases/{id}: a case the caller may not look up is simply not found."""
    return _close_check(request, lambda: _case(request, case_id))


@router.get(
    "/declarations/close-check",
    url_name="declarations_close_check_by_number",
    summary="能否报结（按案号，全角半角括号、空格均可）",
    response={200: s.CloseCheck, 400: s.Error, **ERRORS},
)
def close_check_by_number(
    request: AuthedHttpRequest,
    number: str = Query("", description="完整案号，如（2026）豫9001民初123号"),
):
    """By 案号, like /cases?number=: roles without case lookup are refused outright."""
    if not policy.may_ask_may_close(request.actor):
        return error(403, NO_LOOKUP)
    number = number[:60]
    if not number.strip():
        return error(400, "请提供案号（number 参数）。")
    return _close_check(request, lambda: declarations.case_by_number(request.actor, number))
