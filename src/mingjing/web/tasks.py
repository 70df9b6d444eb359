""" "My tasks": what each role must do now. Later issues add tasks; each says why it is there."""

from dataclasses import dataclass
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, ngettext

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
    """`label` and `empty_text` are Chinese msgids; home.html translates them."""

    role: str
    label: str
    tasks: list[Task]
    empty_text: str


def _account_tasks(actor: Actor) -> list[Task]:
    from mingjing.security import policy

    if policy.needs_second_factor(actor) and actor.user is not None and not actor.user.has_totp:
        return [
            Task(
                gettext("启用动态口令"),
                gettext("您的角色须使用动态口令（TOTP）二次验证。"),
                reverse("accounts:totp_enrol"),
                urgent=True,
            )
        ]
    return []


def _drafts_task(actor: Actor) -> list[Task]:
    from mingjing.records.selectors import own_drafts

    drafts = own_drafts(actor)
    count = drafts.count()
    if not count:
        return []
    soon = timezone.now() + timedelta(hours=24)
    urgent = drafts.filter(report_due_at__lte=soon).exists()
    detail = ngettext(
        "您有 %(count)d 份记录草稿未提交。", "您有 %(count)d 份记录草稿未提交。", count
    ) % {"count": count}
    return [Task(gettext("继续填写记录"), detail, reverse("records:list"), urgent=urgent)]


def _monthly_task(actor: Actor) -> list[Task]:
    """The month's report: due, overdue, returned, or records waiting for a supplement."""
    from mingjing.reporting.selectors import personal_month
    from mingjing.reporting.services import current_month
    from mingjing.security import policy

    if not policy.may_file_monthly_report(actor):
        return []
    month = personal_month(actor, current_month())
    url = reverse("reporting:personal")
    due = month.due_date.strftime("%Y-%m-%d")
    if month.state in ("open", "overdue", "returned"):
        detail = gettext("截止 %(due)s。无相关情况也须零报告。") % {"due": due}
        if month.state == "overdue":
            detail = gettext("已超过截止日期 %(due)s，请尽快报送（无相关情况也须零报告）。") % {
                "due": due
            }
        if month.state == "returned" and month.regular is not None:
            detail = gettext("月报告被退回：%(reason)s") % {"reason": month.regular.return_reason}
        title = gettext("报送本月月报告")
        return [Task(title, detail, url, urgent=month.state != "open")]
    if month.pending:
        count = len(month.pending)
        detail = ngettext(
            "有 %(count)d 条记录待作补充报告。", "有 %(count)d 条记录待作补充报告。", count
        ) % {"count": count}
        return [Task(gettext("补充报告"), detail, url)]
    return []


def _head_tasks(actor: Actor) -> list[Task]:
    """Reports to review and the department report to send, for the head's department."""
    from mingjing.org.models import Department
    from mingjing.reporting.selectors import department_month
    from mingjing.reporting.services import current_month

    if actor.department_id is None:
        return []
    department = Department.objects.filter(pk=actor.department_id).first()
    if department is None:
        return []
    month = department_month(actor, department, current_month())
    url = reverse("reporting:department", args=[department.id])
    tasks = []
    unreviewed = month.counts.get("unreviewed", 0)
    if unreviewed:
        detail = ngettext(
            "%(count)d 份个人月报告待审核。", "%(count)d 份个人月报告待审核。", unreviewed
        ) % {"count": unreviewed}
        tasks.append(Task(gettext("审核月报告"), detail, url))
    if month.department_report is None:
        due = month.due_date.strftime("%Y-%m-%d")
        detail = gettext("截止 %(due)s 前审核并报送督察室。") % {"due": due}
        if month.overdue:
            detail = gettext("已超过截止日期 %(due)s，请尽快审核并报送督察室。") % {"due": due}
        tasks.append(Task(gettext("报送部门月报告"), detail, url, urgent=month.overdue))
    return tasks


def _staff_tasks(actor: Actor) -> list[Task]:
    from mingjing.cases.selectors import cases_handled_by

    record = Task(
        gettext("记录过问"),
        gettext("有人过问案件、打听案情或与您接触交往，请如实记录。"),
        reverse("records:new"),
    )
    tasks = [record, *_drafts_task(actor), *_monthly_task(actor)]
    count = cases_handled_by(actor).count()
    if not count:
        return tasks
    return tasks + [
        Task(
            gettext("我承办/参与的案件"),
            ngettext(
                "您当前参与办理 %(count)d 件案件；逢问必录，一案一表。",
                "您当前参与办理 %(count)d 件案件；逢问必录，一案一表。",
                count,
            )
            % {"count": count},
            reverse("cases:search") + "?mine=1",
        )
    ]


def _custodian_tasks(actor: Actor) -> list[Task]:
    from mingjing.oversight.selectors import screening_queue

    count = screening_queue(actor).count()
    if not count:
        return _late_task(actor)
    detail = ngettext("%(count)d 条记录待甄别或处置。", "%(count)d 条记录待甄别或处置。", count) % {
        "count": count
    }
    task = Task(gettext("甄别处置"), detail, reverse("oversight:screening_queue"))
    return [task, *_late_task(actor)]


def _late_task(actor: Actor) -> list[Task]:
    from mingjing.records.selectors import late_contact_reports

    count = late_contact_reports(actor).count()
    if not count:
        return []
    detail = ngettext(
        "%(count)d 件接触报告超过三日期限。", "%(count)d 件接触报告超过三日期限。", count
    ) % {"count": count}
    return [Task(gettext("逾期接触报告"), detail, reverse("records:late"))]


def _grant_tasks(actor: Actor) -> list[Task]:
    """Content roles wait for a second person: the approver's confirmation with a code."""
    from mingjing.security.grants import pending_grants_for

    count = pending_grants_for(actor).count()
    if not count:
        return []
    detail = ngettext("%(count)d 项角色授予待您确认。", "%(count)d 项角色授予待您确认。", count) % {
        "count": count
    }
    return [Task(gettext("角色授予确认"), detail, reverse("org:grant_list"), urgent=True)]


def _approver_tasks(actor: Actor) -> list[Task]:
    from mingjing.oversight.selectors import pending_for_approver

    count = pending_for_approver(actor).count()
    if not count:
        return _grant_tasks(actor)
    detail = ngettext("%(count)d 件查阅申请待您审批。", "%(count)d 件查阅申请待您审批。", count) % {
        "count": count
    }
    url = reverse("oversight:disclosure_list")
    return [Task(gettext("查阅审批"), detail, url, urgent=True), *_grant_tasks(actor)]


_EMPTY = {
    Role.STAFF: gettext_noop("暂无待办。如有人过问案件，请如实记录（逢问必录）。"),
    Role.DEPT_HEAD: gettext_noop("本部门暂无待审核事项。"),
    Role.DEPT_ADMIN: gettext_noop("本部门暂无待办。您只能看到填报数量，不能查看填报内容。"),
    Role.LEADER: gettext_noop("分管部门暂无待办。"),
    Role.CUSTODIAN: gettext_noop("暂无待甄别的记录。"),
    Role.INSPECTOR: gettext_noop("暂无待处理的监督事项。"),
    Role.APPROVER: gettext_noop("暂无待审批事项。"),
    Role.PERSONNEL: gettext_noop("暂无待办。"),
    Role.SUPERVISOR: gettext_noop("下级法院暂无待审阅的报送。"),
    Role.SYSADMIN: gettext_noop("暂无待办。系统管理员不接触任何填报内容。"),
}

_SECTION_TASKS = {
    Role.STAFF: _staff_tasks,
    Role.DEPT_HEAD: _head_tasks,
    Role.CUSTODIAN: _custodian_tasks,
    Role.INSPECTOR: _late_task,
    Role.APPROVER: _approver_tasks,
}


def tasks_for(actor: Actor) -> list[RoleSection]:
    """One section per role the actor holds, in the order of DESIGN.md section 3."""
    sections = []
    account = _account_tasks(actor)
    if account:
        sections.append(RoleSection("account", gettext_noop("账号"), account, ""))
    for role in Role:
        if role in actor.roles:
            tasks = _SECTION_TASKS.get(role, lambda a: [])(actor)
            sections.append(RoleSection(role.value, role.label, tasks, _EMPTY[role]))
    return sections
