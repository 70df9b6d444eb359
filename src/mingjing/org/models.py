from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_noop

from mingjing.org.roles import Role


class Court(models.Model):
    """A court; `parent` is the higher court, so a province can be modelled."""

    code = models.CharField("法院代码", max_length=20, unique=True)
    name = models.CharField("法院名称", max_length=100)
    short_name = models.CharField("简称", max_length=20, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级法院",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = "法院"
        verbose_name_plural = "法院"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    court = models.ForeignKey(
        Court, verbose_name="法院", on_delete=models.PROTECT, related_name="departments"
    )
    code = models.CharField("部门代码", max_length=20)
    name = models.CharField("部门名称", max_length=50)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["court", "code"]
        constraints = [
            models.UniqueConstraint(fields=["court", "code"], name="department_code_per_court"),
            models.UniqueConstraint(fields=["court", "name"], name="department_name_per_court"),
        ]

    def __str__(self) -> str:
        return self.name


class PersonStatus(models.TextChoices):
    # Labels stay plain Chinese strings (gettext_noop only marks them for the catalogue): the
    # spreadsheet imports match cells against them. Pages translate them when shown.
    SERVING = "serving", gettext_noop("在职")
    TRANSFERRED = "transferred", gettext_noop("调离")
    RETIRED = "retired", gettext_noop("退休")
    DEPARTED = "departed", gettext_noop("离职")


class Person(models.Model):
    """A member of a court's staff; an account, when he has one, points here."""

    court = models.ForeignKey(
        Court, verbose_name="法院", on_delete=models.PROTECT, related_name="people"
    )
    staff_no = models.CharField("工号", max_length=30)
    name = models.CharField("姓名", max_length=50)
    position = models.CharField("职务", max_length=50, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name="部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    is_leader = models.BooleanField("院领导（班子成员）", default=False)
    status = models.CharField(
        "状态", max_length=20, choices=PersonStatus.choices, default=PersonStatus.SERVING
    )
    status_date = models.DateField("状态变更日期", null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    oversees = models.ManyToManyField(
        Department, verbose_name="分管部门", blank=True, related_name="overseen_by"
    )

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["court", "staff_no"]
        constraints = [
            models.UniqueConstraint(fields=["court", "staff_no"], name="staff_no_per_court"),
        ]
        indexes = [models.Index(Lower("name"), name="person_name_idx")]

    def __str__(self) -> str:
        return f"{self.name}（{self.staff_no}）"

    @property
    def is_serving(self) -> bool:
        return self.status == PersonStatus.SERVING


class RoleAssignment(models.Model):
    """A role a person holds in a court (usually his own; a supervisor's in a lower one)."""

    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.CASCADE, related_name="roles"
    )
    court = models.ForeignKey(
        Court, verbose_name="法院", on_delete=models.PROTECT, related_name="role_assignments"
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField("授予时间", auto_now_add=True)

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        constraints = [
            models.UniqueConstraint(fields=["person", "court", "role"], name="role_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} · {self.get_role_display()} · {self.court.short_name}"
