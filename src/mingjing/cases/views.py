from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from mingjing.cases import selectors
from mingjing.security import policy
from mingjing.security.http import AuthedHttpRequest

# What higher apps add to the case page (declarations: 一案一表), registered from their
# AppConfig.ready: cases sit below them and do not import them (DESIGN.md section 6).
_DETAIL_CONTEXT: list[Callable[[AuthedHttpRequest, object], dict]] = []


def register_detail_context(provider: Callable[[AuthedHttpRequest, object], dict]) -> None:
    if provider not in _DETAIL_CONTEXT:
        _DETAIL_CONTEXT.append(provider)


def _detail_context(request: AuthedHttpRequest, case) -> dict:
    context: dict = {}
    for provider in _DETAIL_CONTEXT:
        context.update(provider(request, case))
    return context


@login_required
def search(request: AuthedHttpRequest) -> HttpResponse:
    if not policy.may_look_up_cases(request.actor):
        raise PermissionDenied(_("您的角色无权查询案件。"))
    query = request.GET.get("q", "").strip()[:60]
    mine = request.GET.get("mine") == "1"
    cases = selectors.search_cases(request.actor, query, mine=mine)
    page = Paginator(cases, 25).get_page(request.GET.get("page"))
    return render(request, "cases/search.html", {"page": page, "q": query, "mine": mine})


@login_required
def detail(request: AuthedHttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_for(request.actor, case_id)
    return render(request, "cases/detail.html", {"case": case, **_detail_context(request, case)})
