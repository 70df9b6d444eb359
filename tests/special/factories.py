"""Special reports made through the real services (sealed, audited, receipted)."""

from datetime import timedelta

from django.utils import timezone

from mingjing.records.special import (
    DeputyConcernInput,
    RelativeInput,
    RelativesInput,
    special_report_save_draft,
    special_report_submit,
)
from mingjing.security.actor import actor_for

SECRET_RELATIVE = "司马律明"
SECRET_FIRM = "某某明镜律师事务所"
SECRET_DEPUTY = "诸葛代表"
SECRET_CONCERN = "询问（2026）豫9001民初123号何时开庭并转达当事人诉求"


def relative(**overrides) -> RelativeInput:
    values = {
        "name": SECRET_RELATIVE,
        "relationship": "spouse",
        "occupation": "lawyer",
        "organisation": SECRET_FIRM,
        "practice_area": "本市两级法院",
        "licence_no": "14101200910000001",
        "acted_here": True,
        "acted_note": "2025 年代理过本院民事案件两件",
    }
    return RelativeInput(**{**values, **overrides})


def relatives_input(*relatives: RelativeInput) -> RelativesInput:
    return RelativesInput(relatives=list(relatives) or [relative()], note="")


def deputy_input(case_number: str, **overrides) -> DeputyConcernInput:
    values = {
        "deputy_name": SECRET_DEPUTY,
        "body": "npc",
        "level": "city",
        "deputy_unit": "某市人大常委会",
        "case_number": case_number,
        "concerned_on": timezone.localdate() - timedelta(days=2),
        "manner": "phone",
        "content": SECRET_CONCERN,
        "handling": "告知依法审理，如实记录",
    }
    return DeputyConcernInput(**{**values, **overrides})


def make_relatives_report(person, *, submit: bool = True, data=None):
    actor = actor_for(person.user)
    report = special_report_save_draft(
        actor=actor, kind="relatives", data=data or relatives_input()
    )
    if submit:
        report, _receipt = special_report_submit(actor=actor, report=report)
    return report


def make_deputy_report(person, case, *, submit: bool = True):
    actor = actor_for(person.user)
    report = special_report_save_draft(
        actor=actor, kind="deputy_concern", data=deputy_input(case.number)
    )
    if submit:
        report, _receipt = special_report_submit(actor=actor, report=report)
    return report


# What the relatives form posts: one row of ROW-like fields per relative.
def relatives_post(*rows: dict, total: int | None = None, **extra) -> dict:
    data = {
        "relatives-TOTAL_FORMS": str(total if total is not None else len(rows)),
        "relatives-INITIAL_FORMS": "0",
        "relatives-MIN_NUM_FORMS": "1",
        "relatives-MAX_NUM_FORMS": "20",
        "note": "",
        **extra,
    }
    for index, row in enumerate(rows):
        data.update({f"relatives-{index}-{key}": value for key, value in row.items()})
    return data


ROW = {
    "name": "上官律师",
    "relationship": "child",
    "occupation": "lawyer",
    "organisation": "某某律师事务所",
    "practice_area": "省内各级法院",
    "licence_no": "",
    "acted_note": "",
}
