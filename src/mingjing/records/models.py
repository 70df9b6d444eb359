"""Records of interference, inquiries and contacts (DESIGN.md sections 2 and 4).

Only what statistics need stays plain: category, behaviour, manner, subject kind, dates,
department, case links. Everything about the substance (who, what, how it was handled) is in
`sealed`, encrypted per court before it reaches the database, and so is every free-text
note about it (the late-report reason): each sealed value is bound to its row and column
(security/sealing.py). Who the subject is can be matched only through keyed blind indexes,
never read.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mingjing.cases.models import Case
from mingjing.org.models import Court, CourtScoped, Department, Person
from mingjing.security.sealed_text import SealedText, SealedTextModel


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


class Record(SealedTextModel, CourtScoped):
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
    category = models.CharField("类别", max_length=30, choices=Category)
    behaviour = models.CharField("行为", max_length=20, choices=Behaviour)
    manner = models.CharField("方式", max_length=20, choices=Manner)
    subject_kind = models.CharField("过问人类型", max_length=20, choices=SubjectKind)
    occurred_at = models.DateTimeField("发生时间")
    cases = models.ManyToManyField(
        Case, verbose_name="涉及案件", blank=True, related_name="records"
    )
    status = models.CharField(
        "状态", max_length=20, choices=RecordStatus, default=RecordStatus.DRAFT
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    not_about_a_case = models.BooleanField("不涉及具体案件", default=False)
    # Seed 四(一): off-hours or off-site contact with parties, lawyers, special-relation
    # persons or intermediaries is reported within three days; later ones need a reason.
    off_hours_contact = models.BooleanField("非工作时间或非工作场所接触", default=False)
    report_due_at = models.DateTimeField("应报告期限", null=True, blank=True)
    is_late = models.BooleanField("逾期报告", default=False)
    sealed_late_reason = models.BinaryField("密封的逾期原因", blank=True, default=b"")
    late_reason = SealedText("sealed_late_reason", purpose="late-reason")
    # HMAC of the subject's Person id when the subject works here: named-subject exclusion.
    subject_person_index = models.CharField(max_length=64, blank=True, db_index=True)
    # HMAC of the normalised subject name: spotting one person in many records.
    subject_name_index = models.CharField(max_length=64, blank=True, db_index=True)
    # Every blind index that names someone as this record's subject, space-delimited
    # (" i1 i2 "): the picked person's id index, the typed name's index and the names given in
    # amendments. Named-subject exclusion matches the viewer against all of them, so a
    # subject typed instead of picked (or a homonym) is excluded too (DESIGN.md section 3).
    named_indexes = models.TextField(blank=True, default="")
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


class PendingUpload(models.Model):
    """A file chosen with a new record's form that had errors: kept sealed for its owner,
    under a random token the form carries, until the form is saved (it then becomes an
    attachment of the draft) or PENDING_HOURS have passed (then it is deleted)."""

    court = models.ForeignKey(
        Court, verbose_name="法院", on_delete=models.CASCADE, related_name="+"
    )
    owner = models.ForeignKey(
        Person, verbose_name="上传人", on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField("凭据", max_length=64, unique=True)
    size = models.PositiveIntegerField("大小（字节）")
    sealed_meta = models.BinaryField("密封的文件信息")
    sealed_content = models.BinaryField("密封的文件内容")
    created_at = models.DateTimeField("上传时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "待保存的附件"
        verbose_name_plural = "待保存的附件"

    def __str__(self) -> str:
        return f"待保存的附件 #{self.pk}"


class Amendment(models.Model):
    """A correction appended to a submitted record; the record itself never changes."""

    record = models.ForeignKey(
        Record, verbose_name="记录", on_delete=models.CASCADE, related_name="amendments"
    )
    author = models.ForeignKey(
        Person, verbose_name="更正人", on_delete=models.PROTECT, related_name="amendments"
    )
    sealed = models.BinaryField("密封的更正内容（事由与更正）")
    # Blind index of a subject name given in the correction (kind "name"), or "".
    subject_name_index = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField("更正时间", auto_now_add=True)

    class Meta:
        verbose_name = "更正"
        verbose_name_plural = "更正"
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"更正 #{self.pk}（记录 #{self.record_id}）"


class SpecialReportKind(models.TextChoices):
    RELATIVES = "relatives", _("近亲属从事律师职业报告表")
    DEPUTY_CONCERN = "deputy_concern", _("人大代表、政协委员关注案件报告表")


class SpecialReport(models.Model):
    """The national platform's special report forms; contents sealed like records."""

    court = models.ForeignKey(
        Court, verbose_name="法院", on_delete=models.PROTECT, related_name="special_reports"
    )
    kind = models.CharField("表单", max_length=20, choices=SpecialReportKind)
    reporter = models.ForeignKey(
        Person, verbose_name="填报人", on_delete=models.PROTECT, related_name="special_reports"
    )
    department = models.ForeignKey(
        Department,
        verbose_name="部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="special_reports",
    )
    case = models.ForeignKey(
        Case,
        verbose_name="案件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="special_reports",
    )
    status = models.CharField(
        "状态", max_length=20, choices=RecordStatus, default=RecordStatus.DRAFT
    )
    sealed = models.BinaryField("密封内容")
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "专项报告"
        verbose_name_plural = "专项报告"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"
