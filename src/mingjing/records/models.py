"""Records of interference, inquiries and contacts (DESIGN.md sections 2 and 4).

Only what statistics need stays plain: category, behaviour, manner, subject kind, dates,
department, case links. Everything about the substance (who, what, how it was handled) is in
`sealed`, encrypted per court before it reaches the database. Who the subject is can be
matched only through keyed blind indexes, never read.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mingjing.cases.models import Case
from mingjing.org.models import Court, Department, Person


class Category(models.TextChoices):
    LEADER_INTERFERENCE = "leader_interference", _("领导干部干预司法活动、插手具体案件处理")
    INTERNAL_INQUIRY = "internal_inquiry", _("司法机关内部人员过问案件")
    IMPROPER_CONTACT = "improper_contact", _("司法人员与当事人、律师、特殊关系人、中介组织接触交往")


class Behaviour(models.TextChoices):
    PROGRESS = "progress", _("了解案件进展")
    RELAY = "relay", _("反映情况/转达意见")
    SUPERVISION = "supervision", _("依法监督/履职过问")
    PLEA = "plea", _("请托说情")
    MATERIALS = "materials", _("转递涉案材料")
    PROBING = "probing", _("打探案情")
    MEDDLING = "meddling", _("干预插手")
    CONTACT = "contact", _("不当接触交往")
    OTHER = "other", _("其他")


class Manner(models.TextChoices):
    IN_PERSON = "in_person", _("当面")
    PHONE = "phone", _("电话")
    MESSAGE = "message", _("短信/微信")
    WRITTEN = "written", _("书面/批条/来函")
    OTHER = "other", _("其他")


class SubjectKind(models.TextChoices):
    EXTERNAL_CADRE = "external_cadre", _("外部领导干部")
    INTERNAL_STAFF = "internal_staff", _("本院或其他司法机关内部人员")
    PARTY = "party", _("当事人")
    LAWYER = "lawyer", _("律师/代理人")
    SPECIAL_RELATION = "special_relation", _("特殊关系人")
    INTERMEDIARY = "intermediary", _("中介组织")
    DEPUTY = "deputy", _("人大代表/政协委员")
    OTHER = "other", _("其他")


class RecordStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    SCREENED = "screened", _("已甄别")
    DISPOSED = "disposed", _("已处置")


class Record(models.Model):
    court = models.ForeignKey(
        Court, verbose_name="法院", on_delete=models.PROTECT, related_name="records"
    )
    recorder = models.ForeignKey(
        Person, verbose_name="记录人", on_delete=models.PROTECT, related_name="records"
    )
    department = models.ForeignKey(
        Department,
        verbose_name="记录人部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
    )
    category = models.CharField("类别", max_length=30, choices=Category.choices)
    behaviour = models.CharField("行为", max_length=20, choices=Behaviour.choices)
    manner = models.CharField("方式", max_length=20, choices=Manner.choices)
    subject_kind = models.CharField("过问人类型", max_length=20, choices=SubjectKind.choices)
    occurred_at = models.DateTimeField("发生时间")
    cases = models.ManyToManyField(
        Case, verbose_name="涉及案件", blank=True, related_name="records"
    )
    status = models.CharField(
        "状态", max_length=20, choices=RecordStatus.choices, default=RecordStatus.DRAFT
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    # HMAC of the subject's Person id when the subject works here: named-subject exclusion.
    subject_person_index = models.CharField(max_length=64, blank=True, db_index=True)
    # HMAC of the normalised subject name: spotting one person in many records.
    subject_name_index = models.CharField(max_length=64, blank=True, db_index=True)
    sealed = models.BinaryField("密封内容")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "记录"
        verbose_name_plural = "记录"
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["court", "status", "occurred_at"], name="record_court_status_idx"),
            models.Index(fields=["court", "department", "occurred_at"], name="record_dept_idx"),
        ]

    def __str__(self) -> str:
        return f"记录 #{self.pk}"


class Attachment(models.Model):
    """Material kept with a record (letters, messages, recordings); name and bytes sealed."""

    record = models.ForeignKey(
        Record, verbose_name="记录", on_delete=models.CASCADE, related_name="attachments"
    )
    size = models.PositiveIntegerField("大小（字节）")
    sealed_meta = models.BinaryField("密封的文件信息")
    sealed_content = models.BinaryField("密封的文件内容")
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"

    def __str__(self) -> str:
        return f"附件 #{self.pk}"
