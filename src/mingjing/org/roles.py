"""The ten roles of DESIGN.md section 3, held per court."""

from django.db import models
from django.utils.translation import gettext_noop


class Role(models.TextChoices):
    # Labels stay plain Chinese strings (gettext_noop only marks them for the catalogue): the
    # spreadsheet imports match cells against them. Pages translate them when shown.
    STAFF = "staff", gettext_noop("干警")
    DEPT_HEAD = "dept_head", gettext_noop("部门负责人")
    DEPT_ADMIN = "dept_admin", gettext_noop("部门管理员")
    LEADER = "leader", gettext_noop("班子成员")
    CUSTODIAN = "custodian", gettext_noop("院管理员（督察室）")
    INSPECTOR = "inspector", gettext_noop("督察室工作人员")
    APPROVER = "approver", gettext_noop("院长 / 党组书记")
    PERSONNEL = "personnel", gettext_noop("政治部")
    SUPERVISOR = "supervisor", gettext_noop("上级法院督察")
    SYSADMIN = "sysadmin", gettext_noop("系统管理员")


# Roles whose accounts must use a TOTP second factor (DESIGN.md section 5).
SECOND_FACTOR_ROLES = frozenset({Role.CUSTODIAN, Role.APPROVER, Role.SYSADMIN})

# Roles that open record contents (DESIGN.md section 3, separation of duties): granted only
# with a second person's confirmation (`org.grants`), never on the sysadmin's person.
CONTENT_ROLES = frozenset({Role.CUSTODIAN, Role.APPROVER, Role.DEPT_HEAD})
