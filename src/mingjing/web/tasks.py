""" "My tasks": what each role must do now. Later issues add tasks; each says why it is there.

The monthly cycle's obligations are every open one, across months (issue 10 point 2,
reporting/obligations.py): each links to the page where it is acted on. The page costs a
fixed number of queries whatever the number of months or items.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

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


def _month_url(name: str, owed_month: str, *args: int) -> str:
    return reverse(name, args=list(args)) + f"?month={owed_month}"


def _personal_task(owed: Any) -> Task:
    """One month's report owed (reporting/obligations.py): missing, overdue, returned, or
    records waiting for a supplementary report."""
    url = _month_url("reporting:personal", owed.label)
    values = {"month": owed.label, "due": owed.due.strftime("%Y-%m-%d"), "count": owed.count}
    if owed.state == "returned":
        title = gettext("修改并重新报送 %(month)s 月报告") % values
        detail = gettext("月报告已被退回，退回原因见月报告页面。")
        return Task(title, detail, url, urgent=True)
    if owed.state == "supplement":
        title = gettext("%(month)s 补充报告") % values
        detail = (
            ngettext(
                "有 %(count)d 条记录待作补充报告。", "有 %(count)d 条记录待作补充报告。", owed.count
            )
            % values
        )
        return Task(title, detail, url)
    title = gettext("报送 %(month)s 月报告") % values
    if owed.state == "overdue":
        detail = gettext("已超过截止日期 %(due)s，请尽快报送（无相关情况也须零报告）。") % values
        return Task(title, detail, url, urgent=True)
    return Task(title, gettext("截止 %(due)s。无相关情况也须零报告。") % values, url)


def _monthly_task(actor: Actor) -> list[Task]:
    """Every report he owes, newest month first: this month's, an overdue earlier one, a
    returned one, supplements (issue 10 point 2)."""
    from mingjing.reporting import obligations

    owed = [_personal_task(item) for item in obligations.personal(actor)]
    return _zero_confirm_tasks(actor, reverse("reporting:personal")) + owed


def _zero_confirm_tasks(actor: Actor, url: str) -> list[Task]:
    """A "so far" zero report of an ended month waits for its re-confirmation."""
    from mingjing.reporting.selectors import zero_confirmations_due

    return [
        Task(
            gettext("确认 %(month)s 全月零报告") % {"month": f"{report.month:%Y-%m}"},
            gettext("该月零报告是“截至目前”作出的；确认前该月不计为已报告。"),
            f"{url}?month={report.month:%Y-%m}",
            urgent=True,
        )
        for report in zero_confirmations_due(actor)
    ]


def _review_tasks(actor: Actor) -> list[Task]:
    """Monthly reports awaiting his review, one task per month, any month."""
    from mingjing.reporting import obligations

    tasks = []
    for month in obligations.pending_reviews(actor):
        values = {"month": month.label, "count": month.count}
        detail = (
            ngettext(
                "%(count)d 份个人月报告待审核。", "%(count)d 份个人月报告待审核。", month.count
            )
            % values
        )
        if actor.has(Role.DEPT_HEAD) and actor.department_id is not None:
            url = _month_url("reporting:department", month.label, actor.department_id)
        else:  # the custodian reviews the heads' reports in the departments' overview
            url = _month_url("reporting:departments", month.label)
        tasks.append(Task(gettext("审核 %(month)s 月报告") % values, detail, url))
    return tasks


def _department_report_tasks(actor: Actor) -> list[Task]:
    from mingjing.reporting import obligations

    assert actor.department_id is not None  # only heads with a department owe one
    tasks = []
    for owed in obligations.department_reports_owed(actor):
        values = {"month": owed.label, "due": owed.due.strftime("%Y-%m-%d")}
        url = _month_url("reporting:department", owed.label, actor.department_id)
        title = gettext("报送 %(month)s 部门月报告") % values
        if owed.state == "returned":
            detail = gettext("督察室退回了部门月报告，请处理后重新报送。")
        elif owed.state == "overdue":
            detail = gettext("已超过截止日期 %(due)s，请尽快审核并报送督察室。") % values
        else:
            detail = gettext("截止 %(due)s 前审核并报送督察室。") % values
        tasks.append(Task(title, detail, url, urgent=owed.state != "open"))
    return tasks


def _head_tasks(actor: Actor) -> list[Task]:
    """Reports to review (any month) and the department reports to send (open months)."""
    if actor.department_id is None:
        return []
    return [*_review_tasks(actor), *_department_report_tasks(actor)]


def _received_tasks(actor: Actor) -> list[Task]:
    """Department reports received for months whose court report is not yet assembled."""
    from mingjing.reporting import obligations

    tasks = []
    for month in obligations.received_department_reports(actor):
        values = {"month": month.label, "count": month.count}
        detail = (
            ngettext(
                "已收到 %(count)d 个部门的月报告，待汇总全院月度报告。",
                "已收到 %(count)d 个部门的月报告，待汇总全院月度报告。",
                month.count,
            )
            % values
        )
        url = _month_url("court_reporting:month", month.label)
        tasks.append(Task(gettext("%(month)s 部门月报告") % values, detail, url))
    return tasks


def _court_review_tasks(actor: Actor) -> list[Task]:
    """The court report awaiting the president's review."""
    from mingjing.reporting import obligations

    return [
        Task(
            gettext("审查全院月度报告"),
            gettext("%(month)s 全院月度报告已汇总，待您审查。") % {"month": month.label},
            _month_url("court_reporting:month", month.label),
            urgent=True,
        )
        for month in obligations.court_reports_to_review(actor)
    ]


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
    office = [*_review_tasks(actor), *_received_tasks(actor), *_late_task(actor)]
    if not count:
        return office
    detail = ngettext("%(count)d 条记录待甄别或处置。", "%(count)d 条记录待甄别或处置。", count) % {
        "count": count
    }
    task = Task(gettext("甄别处置"), detail, reverse("oversight:screening_queue"))
    return [task, *office]


def _inspector_tasks(actor: Actor) -> list[Task]:
    return [*_received_tasks(actor), *_late_task(actor)]


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

    # Monthly reports that go around a head and name a custodian are his to review.
    others = [*_review_tasks(actor), *_court_review_tasks(actor), *_grant_tasks(actor)]
    count = pending_for_approver(actor).count()
    if not count:
        return others
    detail = ngettext("%(count)d 件查阅申请待您审批。", "%(count)d 件查阅申请待您审批。", count) % {
        "count": count
    }
    url = reverse("oversight:disclosure_list")
    decisions = Task(gettext("查阅审批"), detail, url, urgent=True)
    return [decisions, *others]


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
    Role.INSPECTOR: _inspector_tasks,
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
