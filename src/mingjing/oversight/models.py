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
    kind = models.CharField("类型", max_length=10, choices=DisclosureKind)
    sealed_reason = models.BinaryField("密封的事由", blank=True, default=b"")
    reason = SealedText("sealed_reason", purpose="disclosure-reason")
    records = models.ManyToManyField(Record, verbose_name="查阅范围", related_name="disclosures")
    days = models.PositiveSmallIntegerField("有效天数", default=7)
    status = models.CharField(
        "状态", max_length=10, choices=DisclosureStatus, default=DisclosureStatus.PENDING
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


class Classification(models.TextChoices):
    NORMAL_DUTY = "normal_duty", _("正常履职过问")
    IMPROPER_INQUIRY = "improper_inquiry", _("违规过问")
    ILLEGAL_INTERFERENCE = "illegal_interference", _("违法干预")
    IMPROPER_CONTACT = "improper_contact", _("不正当接触交往")
    OUT_OF_SCOPE = "out_of_scope", _("不属于“三个规定”范围")


class Disposition(models.TextChoices):
    NO_ACTION = "no_action", _("不作处理")
    REPORTED_TO_PRESIDENT = "reported_to_president", _("报告院长")
    REFERRED_DISCIPLINE = "referred_discipline", _("移送纪检监察机关")
    REFERRED_SUBJECTS_UNIT = "referred_subjects_unit", _("通报过问人所在单位")
    OTHER = "other", _("其他")


class Screening(models.Model):
    """甄别处置: the custodian's classification of a submitted record and what followed."""

    record = models.OneToOneField(
        Record, verbose_name="记录", on_delete=models.CASCADE, related_name="screening"
    )
    classification = models.CharField("甄别结论", max_length=30, choices=Classification)
    disposition = models.CharField("处置", max_length=30, choices=Disposition, blank=True)
    sealed_note = models.BinaryField("密封的说明", blank=True, default=b"")
    screened_by = models.ForeignKey(
        Person, verbose_name="甄别人", on_delete=models.PROTECT, related_name="screenings"
    )
    screened_at = models.DateTimeField("甄别时间")
    disposed_at = models.DateTimeField("处置时间", null=True, blank=True)

    class Meta:
        # Moved here from records (oversight 0004, records 0006: state only); the table kept
        # its name and sealed notes keep their binding label (security/labels.py).
        db_table = "records_screening"
        verbose_name = "甄别处置"
        verbose_name_plural = "甄别处置"

    def __str__(self) -> str:
        return f"甄别（记录 #{self.record_id}）"
