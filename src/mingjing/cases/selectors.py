"""Reads of cases. Every function takes the actor and returns only what he may see."""

from django.db.models import QuerySet
from django.http import Http404

from mingjing.cases.models import Case
from mingjing.cases.numbers import normalise_case_number
from mingjing.security import policy
from mingjing.security.actor import Actor


def visible_cases(actor: Actor) -> QuerySet[Case]:
    if not policy.may_look_up_cases(actor):
        return Case.objects.none()
    return Case.objects.filter(court=actor.court).select_related("department")


def search_cases(actor: Actor, query: str, *, mine: bool = False) -> QuerySet[Case]:
    """Cases whose number contains `query` (brackets and widths normalised)."""
    cases = cases_handled_by(actor) if mine else visible_cases(actor)
    needle = normalise_case_number(query)
    if needle:
        cases = cases.filter(number__contains=needle)
    return cases.order_by("-year", "-filed_on", "number")


def cases_handled_by(actor: Actor) -> QuerySet[Case]:
    if actor.person is None:
        return Case.objects.none()
    return visible_cases(actor).filter(assignments__person=actor.person).distinct()


def case_for(actor: Actor, case_id: int) -> Case:
    """The case, fetched and authorized in one step; 404 when he may not see it."""
    try:
        return (
            visible_cases(actor)
            .prefetch_related("participants", "assignments__person")
            .get(pk=case_id)
        )
    except Case.DoesNotExist as exc:
        raise Http404("案件不存在") from exc
