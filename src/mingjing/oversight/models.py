from django.db import models
from django.utils.translation import gettext_lazy as _

from mingjing.org.models import Court, Person
from mingjing.records.models import Record
from mingjing.security.sealed_text import SealedText, SealedTextModel


class DisclosureKind(models.TextChoices):
    VIEW = "view", _("查阅")
    DISCLOSE = "disclose", _("对外提供")


class DisclosureStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("不予批准")
    REVOKED = "revoked", _("已撤销")


class DisclosureRequest(SealedTextModel):
    """查阅审批: a request to see specific contents, decided by the president or party secretary.

    An approved request is a grant: scoped to its records, until `expires_at`, revocable.
    The reason and the decision note speak of the records: both sealed, bound to the row.
    """

    court = models.ForeignKey(
        Court, verbose_name="法院", on_delete=models.PROTECT, related_name="disclosures"
    )
    requester = models.ForeignKey(
        Person, verbose_name="申请人", on_delete=models.PROTECT, related_name="disclosure_requests"
    )
    kind = models.CharField("类型", max_length=10, choices=DisclosureKind.choices)
    sealed_reason = models.BinaryField("密封的事由", blank=True, default=b"")
    reason = SealedText("sealed_reason", purpose="disclosure-reason")
    records = models.ManyToManyField(Record, verbose_name="查阅范围", related_name="disclosures")
    days = models.PositiveSmallIntegerField("有效天数", default=7)
    status = models.CharField(
        "状态", max_length=10, choices=DisclosureStatus.choices, default=DisclosureStatus.PENDING
    )
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        Person,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disclosure_decisions",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    sealed_decision_note = models.BinaryField("密封的审批意见", blank=True, default=b"")
    decision_note = SealedText("sealed_decision_note", purpose="decision-note")
    expires_at = models.DateTimeField("到期时间", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "查阅审批"
        verbose_name_plural = "查阅审批"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"查阅申请 #{self.pk}"
