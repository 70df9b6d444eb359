"""The ten roles of DESIGN.md section 3, held per court."""

from django.db import models


class Role(models.TextChoices):
    STAFF = "staff", "干警"
    DEPT_HEAD = "dept_head", "部门负责人"
    DEPT_ADMIN = "dept_admin", "部门管理员"
    LEADER = "leader", "班子成员"
    CUSTODIAN = "custodian", "院管理员（督察室）"
    INSPECTOR = "inspector", "督察室工作人员"
    APPROVER = "approver", "院长 / 党组书记"
    PERSONNEL = "personnel", "政治部"
    SUPERVISOR = "supervisor", "上级法院督察"
    SYSADMIN = "sysadmin", "系统管理员"


# Roles whose accounts must use a TOTP second factor (DESIGN.md section 5).
SECOND_FACTOR_ROLES = frozenset({Role.CUSTODIAN, Role.APPROVER, Role.SYSADMIN})
