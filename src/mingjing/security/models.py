from django.db import models

from mingjing.org.models import Court


class KeyPurpose(models.TextChoices):
    DATA = "data", "内容加密密钥"
    INDEX = "index", "盲索引密钥"


class CourtKey(models.Model):
    """A court's data key (or blind-index key), stored only wrapped by the master key."""

    court = models.ForeignKey(
        Court, verbose_name="法院", on_delete=models.PROTECT, related_name="keys"
    )
    purpose = models.CharField("用途", max_length=10, choices=KeyPurpose)
    version = models.PositiveIntegerField("版本")
    algorithm = models.CharField("算法", max_length=20)
    master_key_id = models.CharField("主密钥标识", max_length=32)
    wrapped = models.BinaryField("封装后的密钥")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    retired_at = models.DateTimeField("停用时间", null=True, blank=True)

    class Meta:
        verbose_name = "法院密钥"
        verbose_name_plural = "法院密钥"
        constraints = [
            models.UniqueConstraint(
                fields=["court", "purpose", "version"], name="court_key_version_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.court_id}:{self.purpose}:v{self.version}"


class SigningKey(models.Model):
    """A court's receipt-signing key pair; the private half is sealed by the master key."""

    # No court: the system key that signs audit checkpoints.
    court = models.ForeignKey(
        Court,
        verbose_name="法院",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signing_keys",
    )
    algorithm = models.CharField("算法", max_length=20, default="ed25519")
    key_id = models.CharField("密钥标识", max_length=32, unique=True)
    public_key = models.TextField("公钥（PEM）")
    master_key_id = models.CharField("主密钥标识", max_length=32)
    wrapped_private = models.BinaryField("封装后的私钥")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    retired_at = models.DateTimeField("停用时间", null=True, blank=True)

    class Meta:
        verbose_name = "签名密钥"
        verbose_name_plural = "签名密钥"

    def __str__(self) -> str:
        return self.key_id


class AuditEvent(models.Model):
    """One link of the audit chain. Rows are never updated or deleted (PostgreSQL enforces it).

    No foreign keys on purpose: deleting a user or court must not rewrite history.
    """

    seq = models.BigIntegerField("序号", unique=True)
    at = models.DateTimeField("时间")
    court_code = models.CharField("法院代码", max_length=20, blank=True)
    actor_id = models.BigIntegerField("操作人账号ID", null=True, blank=True)
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    action = models.CharField("动作", max_length=50, db_index=True)
    object_type = models.CharField("对象类型", max_length=50, blank=True)
    object_id = models.CharField("对象ID", max_length=64, blank=True)
    ip = models.CharField("来源地址", max_length=64, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)
    algorithm = models.CharField("摘要算法", max_length=10)
    prev_hash = models.CharField("前一摘要", max_length=64)
    hash = models.CharField("摘要", max_length=64)

    class Meta:
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["actor_id", "at"], name="audit_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class Receipt(models.Model):
    """A signed receipt for a submitted item: proof that its recorder recorded, and when."""

    court = models.ForeignKey(
        Court, verbose_name="法院", on_delete=models.PROTECT, related_name="receipts"
    )
    object_type = models.CharField("对象类型", max_length=50)
    object_id = models.CharField("对象ID", max_length=64)
    payload = models.JSONField("回执内容")
    signature = models.CharField("签名", max_length=200)
    key_id = models.CharField("签名密钥标识", max_length=32)
    created_at = models.DateTimeField("签发时间", auto_now_add=True)

    class Meta:
        verbose_name = "回执"
        verbose_name_plural = "回执"
        constraints = [
            models.UniqueConstraint(fields=["object_type", "object_id"], name="receipt_once"),
        ]

    def __str__(self) -> str:
        return f"回执 {self.object_type}#{self.object_id}"
