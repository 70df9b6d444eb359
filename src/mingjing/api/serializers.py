"""Plain-dict shapes of API objects. Field names match the OpenAPI document."""

from mingjing.cases.models import Case
from mingjing.security.actor import Actor


def _date(value) -> str | None:
    return value.isoformat() if value else None


def me(actor: Actor) -> dict:
    person = actor.person
    return {
        "username": actor.user.username if actor.user else "",
        "name": person.name if person else None,
        "court": actor.court.code if actor.court else None,
        "department": person.department.name if person and person.department else None,
        "roles": sorted(actor.roles),
    }


def case_summary(case: Case) -> dict:
    return {
        "id": case.id,
        "number": case.number,
        "cause": case.cause,
        "kind": case.kind,
        "department": case.department.name if case.department else None,
        "filed_on": _date(case.filed_on),
        "closed_on": _date(case.closed_on),
        "stage": case.stage,
    }


def case_detail(case: Case) -> dict:
    return {
        **case_summary(case),
        "participants": [
            {"role": p.role, "name": p.name, "law_firm": p.law_firm}
            for p in case.participants.all()
        ],
        "assignments": [
            {"role": a.role, "person": a.person.name, "staff_no": a.person.staff_no}
            for a in case.assignments.all()
        ],
    }
