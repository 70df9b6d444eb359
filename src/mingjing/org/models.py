from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mingjing.org.roles import CONTENT_ROLES, Role


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


class CourtScoped(models.Model):
    """A row that belongs to one court: the court foreign key its models share.

    The reverse name is the model's name in the plural (`court.departments`, `court.cases`,
    `court.records`); a model whose reverse name is not that declares its own court.
    """

    court = models.ForeignKey(
        Court, verbose_name="法院", on_delete=models.PROTECT, related_name="%(class)ss"
    )

    class Meta:
        abstract = True


class Department(CourtScoped):
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
        "状态", max_length=20, choices=PersonStatus, default=PersonStatus.SERVING
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
    # For a role that opens contents: the confirmed grant behind it (used once).
    grant = models.OneToOneField(
        "RoleGrant",
        verbose_name="授予确认",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignment",
    )

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        constraints = [
            models.UniqueConstraint(fields=["person", "court", "role"], name="role_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} · {self.get_role_display()} · {self.court.short_name}"

    def save(self, *args, **kwargs) -> None:
        # The last line of defence, whoever saves (admin, shell, a future page): a role that
        # opens contents needs its own confirmed grant, and never joins the sysadmin role.
        problem = assignment_problem(self.person, self.court_id, self.role, self.grant, self.pk)
        if problem:
            raise ValidationError(problem)
        super().save(*args, **kwargs)


def role_conflict(person: Person, role: str, exclude_pk: int | None = None) -> str | None:
    """Why `role` may not sit on `person` beside his other roles (三员分立), else None."""
    others = RoleAssignment.objects.filter(person=person)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    held = set(others.values_list("role", flat=True))
    if role == Role.SYSADMIN and held & CONTENT_ROLES:
        return _("该人员持有可查看填报内容的角色，不能同时担任系统管理员（三员分立）。")
    if role in CONTENT_ROLES and Role.SYSADMIN in held:
        return _(
            "系统管理员不能同时持有院管理员、院长或部门负责人等可查看填报内容的角色（三员分立）。"
        )
    return None


def assignment_problem(person, court_id, role, grant, pk=None) -> str | None:
    """Why this role assignment may not be saved, else None."""
    conflict = role_conflict(person, role, exclude_pk=pk)
    if conflict or role not in CONTENT_ROLES:
        return conflict
    confirmed = grant is not None and grant.status in GRANTING_STATUSES
    same = confirmed and (grant.person_id, grant.court_id, grant.role) == (
        person.pk,
        court_id,
        role,
    )
    if not same:
        return _("院管理员、院长、部门负责人等角色须经另一位院领导以动态口令确认后方可授予。")
    return None


class GrantStatus(models.TextChoices):
    PENDING = "pending", gettext_noop("待确认")
    CONFIRMED = "confirmed", gettext_noop("已确认")
    REFUSED = "refused", gettext_noop("已拒绝")
    BOOTSTRAPPED = "bootstrapped", gettext_noop("服务器端授予")
    REVOKED = "revoked", gettext_noop("已撤销")


# The outcomes that let a role be assigned.
GRANTING_STATUSES = frozenset({GrantStatus.CONFIRMED, GrantStatus.BOOTSTRAPPED})


class RoleGrant(models.Model):
    """A request to give a person a role that opens contents, and its outcome.

    The sysadmin requests; an approver of the court (never the person receiving the role,
    never the requester) confirms with a fresh TOTP code. The operator on the server may
    grant the first approver of a new court (`mingjing grant_role`), recorded as
    `bootstrapped`. Every step lands in the audit chain.
    """

    court = models.ForeignKey(
        Court, verbose_name="法院", on_delete=models.PROTECT, related_name="role_grants"
    )
    person = models.ForeignKey(
        Person, verbose_name="授予对象", on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    status = models.CharField(
        "状态", max_length=20, choices=GrantStatus, default=GrantStatus.PENDING
    )
    reason = models.CharField("事由", max_length=200, blank=True)
    requested_by = models.ForeignKey(
        Person,
        verbose_name="申请人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        Person,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)
    decision_note = models.CharField("确认意见", max_length=200, blank=True)

    class Meta:
        verbose_name = "角色授予申请"
        verbose_name_plural = "角色授予申请"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "court", "role"],
                condition=models.Q(status="pending"),
                name="one_pending_grant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} · {self.get_role_display()} · {self.get_status_display()}"
