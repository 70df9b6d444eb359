"""Reads of cases. Every function takes the actor and returns only what he may see."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from mingjing.cases.models import Case
from mingjing.cases.numbers import normalise_case_number, parse_short_case_number
from mingjing.security import policy
from mingjing.security.actor import Actor


def visible_cases(actor: Actor) -> QuerySet[Case]:
    if not policy.may_look_up_cases(actor):
        return Case.objects.none()
    return Case.objects.filter(court=actor.court).select_related("department")


def search_cases(actor: Actor, query: str, *, mine: bool = False) -> QuerySet[Case]:
    """Cases matching `query`: a short form (民初123, 2026民初123号) as the forms read it
    (cases_numbered), anything else as part of the number (brackets and widths normalised)."""
    cases = cases_handled_by(actor) if mine else visible_cases(actor)
    needle = normalise_case_number(query)
    if parse_short_case_number(needle) is not None:
        cases = _numbered(cases, needle)
    elif needle:
        cases = cases.filter(number__contains=needle)
    return cases.order_by("-year", "-filed_on", "number")


def _numbered(cases: QuerySet[Case], raw: str) -> QuerySet[Case]:
    """The cases `raw` names: the full number exactly, or every case a short form fits."""
    number = normalise_case_number(raw)
    short = parse_short_case_number(number)
    if short is None:
        return cases.filter(number=number)
    cases = cases.filter(kind=short["kind"], number__endswith=f"{short['kind']}{short['seq']}号")
    return cases.filter(year=int(short["year"])) if short["year"] else cases


def cases_numbered(actor: Actor, raw: str) -> QuerySet[Case]:
    """The visible cases a typed number names (full, or short: several when ambiguous)."""
    if not normalise_case_number(raw):
        return Case.objects.none()
    return _numbered(visible_cases(actor), raw)


def case_by_number(actor: Actor, raw: str) -> Case:
    """The one visible case a typed number names; a ValidationError with a Chinese message
    when there is none, or when a short form fits several (then the full form is needed)."""
    found = list(cases_numbered(actor, raw).order_by("-year", "number")[:4])
    if not found:
        message = _("本院没有案号为“%(number)s”的案件，请核对后重新填写。")
        raise ValidationError(message % {"number": raw}, code="unknown_case")
    if len(found) > 1:
        message = _("“%(number)s”对应多个案件（%(cases)s），请填写完整案号。")
        cases = "、".join(case.number for case in found[:3]) + ("…" if len(found) > 3 else "")
        raise ValidationError(message % {"number": raw, "cases": cases}, code="ambiguous_case")
    return found[0]


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
