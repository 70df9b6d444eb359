"""The monthly cycle (seed 三(二)): personal reports (or zero reports), department review by
the due day, the inspection office's court report, the president's review."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mingjing.org.models import Court, Department, Person
from mingjing.records.models import Record
from mingjing.security.sealed_text import SealedText, SealedTextModel


class ReportingCalendar(models.Model):
    """A court's due day for monthly reports (the 25th unless configured)."""

    court = models.OneToOneField(
        Court, verbose_name="法院", on_delete=models.CASCADE, related_name="reporting_calendar"
    )
    due_day = models.PositiveSmallIntegerField("每月报告截止日", default=25)
    remind_days_before = models.PositiveSmallIntegerField("提前提醒天数", default=3)

    class Meta:
        verbose_name = "报告日历"
        verbose_name_plural = "报告日历"

    def __str__(self) -> str:
        return f"{self.court} · {self.due_day}日"


class Holiday(models.Model):
    """A court's holiday, or (is_workday) a weekend day worked in exchange (调休上班)."""

    court = models.ForeignKey(
        Court, verbose_name="法院", on_delete=models.CASCADE, related_name="holidays"
    )
    date = models.DateField("日期")
    name = models.CharField("名称", max_length=30, blank=True)
    is_workday = models.BooleanField("调休上班日", default=False)

    class Meta:
        verbose_name = "节假日"
        verbose_name_plural = "节假日"
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["court", "date"], name="holiday_once")]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class ReportKind(models.TextChoices):
    REGULAR = "regular", _("月报告")
    SUPPLEMENTARY = "supplementary", _("补充报告")
    # 信息直报: records the staff member sends straight to the inspection office, around his
    # department's review (docs/reporting.md).
    DIRECT = "direct", _("直报督察室")


class PersonalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已报告")
    APPROVED = "approved", _("已审核")
    RETURNED = "returned", _("已退回")


class MonthlyReport(SealedTextModel):
    """One person's report for a month: his submitted records of the month, or zero.

    No row means "not reported" — never the same as a zero report. A record submitted after
    the month's report went in belongs to a supplementary report, never to the closed one.
    """

    court = models.ForeignKey(
        Court, verbose_name="法院", on_delete=models.PROTECT, related_name="monthly_reports"
    )
    person = models.ForeignKey(
        Person, verbose_name="报告人", on_delete=models.PROTECT, related_name="monthly_reports"
    )
    # The department he reported in: a transfer mid-month does not move a filed report.
    department = models.ForeignKey(
        Department,
        verbose_name="部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="monthly_reports",
    )
    month = models.DateField("月份（该月1日）")
    kind = models.CharField("类型", max_length=20, choices=ReportKind, default=ReportKind.REGULAR)
    is_zero = models.BooleanField("零报告", default=False)
    records = models.ManyToManyField(
        Record, verbose_name="记录", blank=True, related_name="reports"
    )
    status = models.CharField(
        "状态", max_length=20, choices=PersonalStatus, default=PersonalStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField("报告时间")
    is_late = models.BooleanField("逾期", default=False)
    reviewed_by = models.ForeignKey(
        Person,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviewed_monthly_reports",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    # A zero report speaks for the days up to `zero_through`: filed before the month ended it
    # says "so far" (截至目前) and is final only once re-confirmed after the month's end.
    zero_through = models.DateField("零报告截至日期", null=True, blank=True)
    zero_confirmed_at = models.DateTimeField("零报告确认时间", null=True, blank=True)
    declaration = models.TextField("声明文本", blank=True, default="")
    declaration_version = models.CharField("声明版本", max_length=20, blank=True, default="")
    # When the report reached the inspection office: in the department report, or as its own
    # item (补报) approved and forwarded after the department report was sent.
    forwarded_at = models.DateTimeField("报送督察室时间", null=True, blank=True)
    forwarded_late = models.BooleanField("补报", default=False)
    # Free text about the records: sealed, bound to the row (security/sealing.py).
    sealed_return_reason = models.BinaryField("密封的退回原因", blank=True, default=b"")
    return_reason = SealedText("sealed_return_reason", purpose="return-reason")

    class Meta:
        verbose_name = "个人月报告"
        verbose_name_plural = "个人月报告"
        ordering = ["-month", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "month"],
                condition=models.Q(kind="regular"),
                name="one_regular_report_per_month",
            ),
        ]
        indexes = [models.Index(fields=["court", "month", "department"], name="report_month_idx")]

    def __str__(self) -> str:
        return f"{self.person.name} {self.month:%Y-%m} {self.get_kind_display()}"

    @property
    def zero_unconfirmed(self) -> bool:
        """A "so far" zero report still waiting for its re-confirmation after the month."""
        return self.is_zero and self.zero_confirmed_at is None

    @property
    def is_final(self) -> bool:
        """Counts as the month's report: anything but an unconfirmed "so far" zero report."""
        return not self.zero_unconfirmed


class DepartmentStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已报督察室")
    RETURNED = "returned", _("督察室退回")


class DepartmentReport(models.Model):
    """The head's department report for a month, sent to the inspection office."""

    court = models.ForeignKey(
        Court, verbose_name="法院", on_delete=models.PROTECT, related_name="department_reports"
    )
    department = models.ForeignKey(
        Department, verbose_name="部门", on_delete=models.PROTECT, related_name="reports"
    )
    month = models.DateField("月份（该月1日）")
    status = models.CharField(
        "状态", max_length=20, choices=DepartmentStatus, default=DepartmentStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        Person, verbose_name="报送人", on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("报送时间")
    is_late = models.BooleanField("逾期", default=False)
    figures = models.JSONField("统计数字", default=dict)

    class Meta:
        verbose_name = "部门月报告"
        verbose_name_plural = "部门月报告"
        ordering = ["-month", "department"]
        constraints = [
            models.UniqueConstraint(fields=["department", "month"], name="department_report_once"),
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.month:%Y-%m}"


class CourtStatus(models.TextChoices):
    ASSEMBLED = "assembled", _("已汇总，待院长审查")
    REVIEWED = "reviewed", _("院长已审查")


class CourtReport(SealedTextModel):
    """The inspection office's court report for a month, reviewed by the president."""

    court = models.ForeignKey(
        Court, verbose_name="法院", on_delete=models.PROTECT, related_name="court_reports"
    )
    month = models.DateField("月份（该月1日）")
    status = models.CharField(
        "状态", max_length=20, choices=CourtStatus, default=CourtStatus.ASSEMBLED
    )
    figures = models.JSONField("统计数字", default=dict)
    assembled_by = models.ForeignKey(
        Person, verbose_name="汇总人", on_delete=models.PROTECT, related_name="+"
    )
    assembled_at = models.DateTimeField("汇总时间")
    reviewed_by = models.ForeignKey(
        Person,
        verbose_name="审查人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审查时间", null=True, blank=True)
    sealed_review_note = models.BinaryField("密封的审查意见", blank=True, default=b"")
    review_note = SealedText("sealed_review_note", purpose="review-note")

    class Meta:
        verbose_name = "全院月报告"
        verbose_name_plural = "全院月报告"
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["court", "month"], name="court_report_once"),
        ]

    def __str__(self) -> str:
        return f"{self.court} {self.month:%Y-%m}"
