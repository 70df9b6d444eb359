"""Writes for the national platform's special report forms, sealed and receipted like records.

近亲属从事律师职业报告表: the staff member's relatives who practise law or work for an
intermediary. 人大代表、政协委员关注案件报告表: a deputy or committee member showing concern
for a case. Everything filled in is sealed (purpose "special-report"); only the form, the
reporter, his department, the case link and the dates stay plain.
"""

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from mingjing.cases.models import Case
from mingjing.cases.selectors import case_by_number
from mingjing.records.models import Manner, RecordStatus, SpecialReport, SpecialReportKind
from mingjing.security import audit, policy, receipts, transitions
from mingjing.security.actor import Actor, known_or_403
from mingjing.security.crypto import family_of, keyed_hash
from mingjing.security.keys import current_key
from mingjing.security.models import KeyPurpose, Receipt
from mingjing.security.sealing import binding, seal_json, unseal_json

PURPOSE = "special-report"
MAX_RELATIVES = 20
MAX_TEXT = 2000

RELATIONSHIPS = [
    ("spouse", gettext_lazy("配偶")),
    ("child", gettext_lazy("子女")),
    ("parent", gettext_lazy("父母")),
    ("sibling", gettext_lazy("兄弟姐妹")),
    ("other", pgettext_lazy("relationship", "其他")),
]
OCCUPATIONS = [
    ("lawyer", gettext_lazy("律师")),
    ("firm_staff", gettext_lazy("律师事务所其他人员")),
    ("intermediary", gettext_lazy("中介组织人员")),
]
BODIES = [
    ("npc", gettext_lazy("人大代表")),
    ("cppcc", gettext_lazy("政协委员")),
]
LEVELS = [
    ("national", gettext_lazy("全国")),
    ("provincial", gettext_lazy("省级")),
    ("city", gettext_lazy("市级")),
    ("county", gettext_lazy("县（区）级")),
    ("township", gettext_lazy("乡（镇）级")),
]


@dataclass
class RelativeInput:
    name: str
    relationship: str
    occupation: str
    organisation: str
    practice_area: str
    licence_no: str = ""
    acted_here: bool = False
    acted_note: str = ""


@dataclass
class RelativesInput:
    """近亲属从事律师职业报告表: one entry per relative."""

    relatives: list[RelativeInput] = field(default_factory=list)
    note: str = ""


@dataclass
class DeputyConcernInput:
    """人大代表、政协委员关注案件报告表: one deputy or member, one case."""

    deputy_name: str
    body: str
    level: str
    case_number: str
    concerned_on: date
    manner: str
    content: str
    handling: str
    deputy_unit: str = ""


KIND_INPUTS: dict[str, type[Any]] = {
    SpecialReportKind.RELATIVES: RelativesInput,
    SpecialReportKind.DEPUTY_CONCERN: DeputyConcernInput,
}


def _values(choices: list) -> set[str]:
    return {value for value, _label in choices}


def _text(value: str) -> str:
    return (value or "").strip()


# --- validation: every problem at once, in Chinese, nothing saved ----------------------------


def _relative_errors(number: int, relative: RelativeInput) -> list[str]:
    problems = []
    if not _text(relative.name):
        problems.append(_("请填写姓名"))
    if relative.relationship not in _values(RELATIONSHIPS):
        problems.append(_("请选择与本人的关系"))
    if relative.occupation not in _values(OCCUPATIONS):
        problems.append(_("请选择从业类别"))
    if not _text(relative.organisation):
        problems.append(_("请填写执业机构或所在单位"))
    if not _text(relative.practice_area):
        problems.append(_("请填写执业地域或主要执业法院"))
    if relative.acted_here and not _text(relative.acted_note):
        problems.append(_("在本院代理过案件的，请写明案件或情况"))
    return [
        _("第 %(number)d 名亲属：%(problem)s。") % {"number": number, "problem": problem}
        for problem in problems
    ]


def _check_relatives(data: RelativesInput) -> None:
    if not data.relatives:
        raise ValidationError({"relatives": _("请至少填写一名从事律师职业或中介工作的近亲属。")})
    if len(data.relatives) > MAX_RELATIVES:
        message = _("一份报告最多填写 %(max)d 名亲属。") % {"max": MAX_RELATIVES}
        raise ValidationError({"relatives": message})
    errors = []
    for number, relative in enumerate(data.relatives, 1):
        errors += _relative_errors(number, relative)
    if errors:
        raise ValidationError({"relatives": errors})


def _deputy_errors(data: DeputyConcernInput) -> dict[str, str]:
    errors = {}
    if not _text(data.deputy_name):
        errors["deputy_name"] = _("请填写代表或委员的姓名。")
    if data.body not in _values(BODIES):
        errors["body"] = _("请选择人大代表或政协委员。")
    if data.level not in _values(LEVELS):
        errors["level"] = _("请选择级别。")
    if data.manner not in Manner.values:
        errors["manner"] = _("请选择有效的选项。")
    if not isinstance(data.concerned_on, date) or data.concerned_on > timezone.localdate():
        errors["concerned_on"] = _("关注日期不能晚于今天。")
    if not _text(data.content):
        errors["content"] = _("请填写关注的内容。")
    if not _text(data.handling):
        errors["handling"] = _("请填写处理情况。")
    return errors


def _case_by_number(actor: Actor, raw: str) -> Case:
    try:
        return case_by_number(actor, raw)
    except ValidationError as exc:
        raise ValidationError({"case_number": exc.messages}) from exc


def _check_deputy_concern(actor: Actor, data: DeputyConcernInput) -> Case | None:
    errors: dict[str, Any] = _deputy_errors(data)
    try:
        case = _case_by_number(actor, data.case_number)
    except ValidationError as error:
        errors.update(error.message_dict)
        case = None
    if errors:
        raise ValidationError(errors)
    return case


def _checked(actor: Actor, kind: str, data) -> tuple[dict, Case | None]:
    """The contents to seal and the case link, or a ValidationError listing every problem."""
    expected = KIND_INPUTS.get(kind)
    if expected is None or not isinstance(data, expected):
        raise ValidationError({"kind": _("请选择有效的报告表。")})
    if kind == SpecialReportKind.RELATIVES:
        _check_relatives(data)
        return _clean(asdict(data)), None
    case = _check_deputy_concern(actor, data)
    assert case is not None  # a deputy concern without its case raised above
    contents = _clean(asdict(data))
    contents["case_number"] = case.number
    return contents, case


def _clean(value):
    """Strip text and cap its length, all the way down."""
    if isinstance(value, str):
        return value.strip()[:MAX_TEXT]
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value


# --- writes ----------------------------------------------------------------------------------


def _check_may_file(actor: Actor) -> None:
    if not policy.may_file_special_report(actor):
        raise PermissionDenied(_("只有本院干警可以填写专项报告。"))


@transaction.atomic
def special_report_save_draft(
    *, actor: Actor, kind: str, data, report: SpecialReport | None = None, request=None
) -> SpecialReport:
    """Create or update the actor's own draft; submitted reports are never changed."""
    _check_may_file(actor)
    if report is not None:
        report = SpecialReport.objects.select_for_update().get(pk=report.pk)
        if not policy.may_edit_special_report(actor, report) or report.kind != kind:
            raise ValidationError(_("该报告已提交，不能修改。"))
    contents, case = _checked(actor, kind, data)
    if report is None:
        report = SpecialReport(court=actor.court, reporter=actor.person, kind=kind)
    report.department = known_or_403(actor).person.department
    report.case = case
    if report.pk is None:  # sealed values are bound to their row: the row first, then seal
        report.sealed = b""
        report.save()
        report.sealed = _seal(report, contents)
        SpecialReport.objects.filter(pk=report.pk).update(sealed=report.sealed)
    else:  # written only while it is still a draft (re-checked above, under the lock)
        report.sealed = _seal(report, contents)
        transitions.save_if(report, _("该报告已提交，不能修改。"), status=RecordStatus.DRAFT)
    detail = {"kind": kind, "relatives": len(contents.get("relatives", []))}
    audit.log_event(action="special.draft", actor=actor, obj=report, detail=detail, request=request)
    return report


def _seal(report: SpecialReport, contents: dict) -> bytes:
    return seal_json(report.court, contents, purpose=PURPOSE, bind=binding(report, "sealed"))


def special_report_digest(report: SpecialReport) -> str:
    """Keyed digest (the court's index key) of the plaintext contents, as for records."""
    contents = unseal_json(
        report.court, report.sealed, purpose=PURPOSE, bind=binding(report, "sealed")
    )
    canonical = json.dumps(contents, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    row, key = current_key(report.court, KeyPurpose.INDEX)
    payload = f"special:{report.kind}:".encode() + canonical.encode()
    return keyed_hash(family_of(row.algorithm), key, payload)


@transaction.atomic
def special_report_submit(
    *, actor: Actor, report: SpecialReport, request=None
) -> tuple[SpecialReport, Receipt]:
    """Submit a draft: immutable from now on, logged, and a signed receipt for the reporter."""
    report = SpecialReport.objects.select_for_update().get(pk=report.pk)
    if not (policy.same_court(actor, report) and policy.is_reporter(actor, report)):
        raise PermissionDenied(_("只能提交本人的报告。"))
    if report.status != RecordStatus.DRAFT:
        raise ValidationError(_("该报告已经提交过了，无需重复提交。"))
    report.status = RecordStatus.SUBMITTED
    report.submitted_at = timezone.now()
    transitions.save_if(
        report,
        _("该报告已经提交过了，无需重复提交。"),
        fields=["status", "submitted_at"],
        status=RecordStatus.DRAFT,
    )
    detail = {"kind": report.kind, "digest": special_report_digest(report)}
    event = audit.log_event(
        action="special.submit", actor=actor, obj=report, detail=detail, request=request
    )
    receipt = receipts.issue_receipt(
        court=report.court, obj=report, digest=detail["digest"], event=event
    )
    return report, receipt
