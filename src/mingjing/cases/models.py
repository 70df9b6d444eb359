from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from mingjing.org.models import CourtScoped, Department, Person


class CaseStage(models.TextChoices):
    # Labels stay plain Chinese strings (gettext_noop only marks them for the catalogue): the
    # spreadsheet imports match cells against them. Pages translate them when shown.
    FILED = "filed", gettext_noop("已立案")
    TRIAL = "trial", gettext_noop("审理中")
    CLOSED = "closed", gettext_noop("已结案")
    ARCHIVED = "archived", gettext_noop("已归档")


class Case(CourtScoped):
    number = models.CharField("案号", max_length=60)
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("案件类型", max_length=20, help_text="如 民初、刑终、执")
    cause = models.CharField("案由", max_length=100, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name="承办部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    filed_on = models.DateField("立案日期", null=True, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    stage = models.CharField("阶段", max_length=20, choices=CaseStage, default=CaseStage.FILED)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "案件"
        verbose_name_plural = "案件"
        ordering = ["-year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["court", "number"], name="case_number_per_court"),
        ]
        indexes = [
            models.Index(fields=["court", "department", "stage"], name="case_dept_stage_idx")
        ]

    def __str__(self) -> str:
        return self.number


class ParticipantRole(models.TextChoices):
    # Labels stay plain Chinese strings (gettext_noop only marks them for the catalogue): the
    # spreadsheet imports match cells against them. Pages translate them when shown.
    PLAINTIFF = "plaintiff", gettext_noop("原告")
    DEFENDANT = "defendant", gettext_noop("被告")
    THIRD_PARTY = "third_party", gettext_noop("第三人")
    APPLICANT = "applicant", gettext_noop("申请人")
    RESPONDENT = "respondent", gettext_noop("被申请人")
    APPELLANT = "appellant", gettext_noop("上诉人")
    APPELLEE = "appellee", gettext_noop("被上诉人")
    PROSECUTOR = "prosecutor", gettext_noop("公诉机关")
    ACCUSED = "accused", gettext_noop("被告人")
    VICTIM = "victim", gettext_noop("被害人")
    AGENT = "agent", gettext_noop("委托诉讼代理人")
    LAWYER = "lawyer", gettext_noop("律师")
    DEFENDER = "defender", gettext_noop("辩护人")
    OTHER = "other", gettext_noop("其他")


class Participant(models.Model):
    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.CASCADE, related_name="participants"
    )
    role = models.CharField("诉讼地位", max_length=20, choices=ParticipantRole)
    name = models.CharField("姓名/名称", max_length=100)
    law_firm = models.CharField("律师事务所/单位", max_length=100, blank=True)

    class Meta:
        verbose_name = "诉讼参与人"
        verbose_name_plural = "诉讼参与人"
        constraints = [
            models.UniqueConstraint(fields=["case", "role", "name"], name="participant_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"


class AssignmentRole(models.TextChoices):
    PRESIDING = "presiding", _("审判长")
    JUDGE = "judge", _("承办法官")
    MEMBER = "member", _("合议庭成员")
    ASSISTANT = "assistant", _("法官助理")
    CLERK = "clerk", _("书记员")


class Assignment(models.Model):
    """A staff member's role on a case; each assigned handler owes a declaration (一案一表)."""

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.CASCADE, related_name="assignments"
    )
    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField("办案角色", max_length=20, choices=AssignmentRole)
    assigned_on = models.DateField("分配日期", null=True, blank=True)

    class Meta:
        verbose_name = "办案人员"
        verbose_name_plural = "办案人员"
        constraints = [
            models.UniqueConstraint(fields=["case", "person", "role"], name="assignment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_role_display()} {self.person.name}"
