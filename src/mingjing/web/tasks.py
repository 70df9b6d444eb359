""" "My tasks": what each role must do now. Later issues add tasks; each says why it is there."""

from dataclasses import dataclass

from django.urls import reverse

from mingjing.org.roles import Role
from mingjing.security.actor import Actor


@dataclass(frozen=True)
class Task:
    title: str
    detail: str
    url: str = ""
    urgent: bool = False


@dataclass(frozen=True)
class RoleSection:
    role: str
    label: str
    tasks: list[Task]
    empty_text: str


def _account_tasks(actor: Actor) -> list[Task]:
    from mingjing.security import policy

    if policy.needs_second_factor(actor) and not actor.user.has_totp:
        return [
            Task(
                "启用动态口令",
                "您的角色须使用动态口令（TOTP）二次验证。",
                reverse("accounts:totp_enrol"),
                urgent=True,
            )
        ]
    return []


def _staff_tasks(actor: Actor) -> list[Task]:
    from mingjing.cases.selectors import cases_handled_by

    count = cases_handled_by(actor).count()
    if not count:
        return []
    return [
        Task(
            "我承办/参与的案件",
            f"您当前参与办理 {count} 件案件；逢问必录，一案一表。",
            reverse("cases:search") + "?mine=1",
        )
    ]


_EMPTY = {
    Role.STAFF: "暂无待办。如有人过问案件，请如实记录（逢问必录）。",
    Role.DEPT_HEAD: "本部门暂无待审核事项。",
    Role.DEPT_ADMIN: "本部门暂无待办。您只能看到填报数量，不能查看填报内容。",
    Role.LEADER: "分管部门暂无待办。",
    Role.CUSTODIAN: "暂无待甄别的记录。",
    Role.INSPECTOR: "暂无待处理的监督事项。",
    Role.APPROVER: "暂无待审批事项。",
    Role.PERSONNEL: "暂无待办。",
    Role.SUPERVISOR: "下级法院暂无待审阅的报送。",
    Role.SYSADMIN: "暂无待办。系统管理员不接触任何填报内容。",
}

_SECTION_TASKS = {Role.STAFF: _staff_tasks}


def tasks_for(actor: Actor) -> list[RoleSection]:
    """One section per role the actor holds, in the order of DESIGN.md section 3."""
    sections = []
    account = _account_tasks(actor)
    if account:
        sections.append(RoleSection("account", "账号", account, ""))
    for role in Role:
        if role in actor.roles:
            tasks = _SECTION_TASKS.get(role, lambda a: [])(actor)
            sections.append(RoleSection(role.value, role.label, tasks, _EMPTY[role]))
    return sections
