from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class User(AbstractUser):
    """A login. Who the person is lives in `org.Person` (`user.person`)."""

    failed_login_count = models.PositiveSmallIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    # Wrapped by the master key (security.secretbox), bound to this row; never plain.
    totp_secret = models.CharField("动态口令密钥（已封装）", max_length=200, blank=True)
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


class TokenBucket(models.Model):
    """A rate limit's state for one key (scope + client, hashed), as in healthchecks.

    `tokens` is the fraction of the bucket left (1.0 = full); each spend takes 1/capacity and
    it refills linearly over the limit's period. Two concurrent spends may overwrite each
    other: the limit is approximate, which is all a throttle needs.
    """

    value = models.CharField("键", max_length=80, unique=True)
    tokens = models.FloatField("余量", default=1.0)
    updated = models.DateTimeField("更新时间", default=timezone.now)
    refusals = models.PositiveIntegerField("连续拒绝次数", default=0)

    class Meta:
        verbose_name = "访问频率限制"
        verbose_name_plural = "访问频率限制"

    def __str__(self) -> str:
        return self.value.split(":", 1)[0]
