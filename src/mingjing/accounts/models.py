from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A login. Who the person is lives in `org.Person` (`user.person`)."""

    failed_login_count = models.PositiveSmallIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    totp_secret = models.CharField("动态口令密钥", max_length=64, blank=True)
    totp_confirmed_at = models.DateTimeField("动态口令启用时间", null=True, blank=True)
    totp_last_step = models.BigIntegerField("最近使用的口令时间片", default=0)

    class Meta:
        verbose_name = "账号"
        verbose_name_plural = "账号"

    @property
    def has_totp(self) -> bool:
        return bool(self.totp_secret and self.totp_confirmed_at)


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 digest is stored; the secret is shown once."""

    user = models.ForeignKey(
        User, verbose_name="账号", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("用途", max_length=50)
    prefix = models.CharField("前缀", max_length=12, db_index=True)
    digest = models.CharField("摘要", max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    expires_at = models.DateTimeField("过期时间")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"
