from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from mingjing.cases import selectors
from mingjing.records import declarations
from mingjing.security import policy


@login_required
def search(request: HttpRequest) -> HttpResponse:
    if not policy.may_look_up_cases(request.actor):
        raise PermissionDenied(_("您的角色无权查询案件。"))
    query = request.GET.get("q", "").strip()[:60]
    mine = request.GET.get("mine") == "1"
    cases = selectors.search_cases(request.actor, query, mine=mine)
    page = Paginator(cases, 25).get_page(request.GET.get("page"))
    return render(request, "cases/search.html", {"page": page, "q": query, "mine": mine})


@login_required
def detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_for(request.actor, case_id)
    return render(request, "cases/detail.html", {"case": case, **_declarations(request, case)})


def _declarations(request: HttpRequest, case) -> dict:
    """一案一表 on the case page: everyone's status; the handler's own buttons and records."""
    actor = request.actor
    rows = declarations.declaration_rows(actor, case)
    handlers = frozenset(row.declaration.person_id for row in rows)
    mine = next((row for row in rows if policy.is_case_handler(actor, {row.person.id})), None)
    return {
        "declaration_rows": rows,
        "my_declaration": mine,
        "my_records": declarations.own_case_records(actor.person, case) if mine else [],
        "none_text": _(declarations.NONE_TEXT),
        "may_print": policy.may_print_declarations(actor, case, handler_ids=handlers),
        "may_bind": policy.may_bind_declarations(actor, case, handler_ids=handlers),
    }
