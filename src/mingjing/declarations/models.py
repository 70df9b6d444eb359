"""一案一表: one handler's declaration for one case (DESIGN.md sections 2 and 4).

The table kept its name (`records_casedeclaration`) when the model moved here from records
(declarations 0001, records 0005: state only, no data moved).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mingjing.cases.models import Case
from mingjing.org.models import Person


class DeclarationStatus(models.TextChoices):
    PENDING = "pending", _("待填报")
    DECLARED = "declared", _("已填报")
    BOUND = "bound", _("已入卷")


class CaseDeclaration(models.Model):
    """一案一表: one handler's declaration for one case, records or an explicit none."""

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.CASCADE, related_name="declarations"
    )
    person = models.ForeignKey(
        Person, verbose_name="办案人员", on_delete=models.PROTECT, related_name="declarations"
    )
    status = models.CharField(
        "状态", max_length=10, choices=DeclarationStatus, default=DeclarationStatus.PENDING
    )
    none_to_report = models.BooleanField("无相关情况", default=False)
    declared_at = models.DateTimeField("填报时间", null=True, blank=True)
    bound_at = models.DateTimeField("入卷时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        db_table = "records_casedeclaration"
        verbose_name = "一案一表"
        verbose_name_plural = "一案一表"
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="declaration_once"),
        ]
        indexes = [models.Index(fields=["status", "case"], name="declaration_status_idx")]

    def __str__(self) -> str:
        return f"{self.case.number} · {self.person.name}"
