"""Reads of special reports. Each takes the actor; contents come only through
`special_report_contents`, which logs the read."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from mingjing.records.models import RecordStatus, SpecialReport, SpecialReportKind
from mingjing.records.special import PURPOSE
from mingjing.security import audit, policy
from mingjing.security.actor import Actor
from mingjing.security.models import Receipt
from mingjing.security.receipts import receipt_for
from mingjing.security.sealing import binding, unseal_json


def _court_reports(actor: Actor) -> QuerySet[SpecialReport]:
    if actor.court is None or actor.person is None:
        return SpecialReport.objects.none()
    return SpecialReport.objects.filter(court=actor.court).select_related(
        "reporter", "department", "case"
    )


def special_reports_visible(actor: Actor) -> QuerySet[SpecialReport]:
    """Reports the actor may open (policy.special_reports_q)."""
    return _court_reports(actor).filter(policy.special_reports_q(actor))


def my_special_reports(actor: Actor) -> QuerySet[SpecialReport]:
    """The actor's own reports, drafts first."""
    return _court_reports(actor).filter(reporter=actor.person).order_by("status", "-created_at")


def special_reports_overview(actor: Actor) -> QuerySet[SpecialReport]:
    """Submitted reports, court-wide (custodian, approver) or one department (its head)."""
    if not policy.may_list_special_reports(actor):
        return SpecialReport.objects.none()
    submitted = special_reports_visible(actor).exclude(status=RecordStatus.DRAFT)
    return submitted.order_by("-submitted_at")


def special_report_for(actor: Actor, report_id: int) -> SpecialReport:
    """Fetch and authorize in one step: 404 for anything he may not see, whatever the court."""
    report = special_reports_visible(actor).filter(pk=report_id).first()
    if report is None or not policy.may_view_special_report(actor, report):
        raise Http404("报告不存在")
    return report


def special_report_contents(
    actor: Actor, report: SpecialReport, *, request: HttpRequest | None = None
) -> dict[str, Any]:
    """Unseal a report's contents for the actor, logging the read in the audit chain."""
    if not policy.may_view_special_report(actor, report):
        raise Http404("报告不存在")
    audit.log_event(action="special.read", actor=actor, obj=report, request=request)
    return unseal_json(report.court, report.sealed, purpose=PURPOSE, bind=binding(report, "sealed"))


def special_report_receipt(actor: Actor, report: SpecialReport) -> Receipt:
    """The signed receipt, for the reporter only; 404 otherwise."""
    receipt = receipt_for(report)
    if receipt is None or not policy.is_reporter(actor, report):
        raise Http404("回执不存在")
    return receipt


def relatives_register(actor: Actor, *, request: HttpRequest | None = None) -> list[dict[str, Any]]:
    """Every submitted relatives entry of the court, for recusal checks; each read is logged."""
    if not policy.may_view_relatives_register(actor):
        return []
    reports = special_reports_visible(actor).filter(kind=SpecialReportKind.RELATIVES)
    rows = []
    for report in reports.exclude(status=RecordStatus.DRAFT).order_by("reporter__name"):
        contents = special_report_contents(actor, report, request=request)
        for relative in contents.get("relatives", []):
            rows.append({"report": report, **relative})
    return rows
