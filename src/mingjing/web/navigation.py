"""The navigation each role sees. Entries are shown only when the policy allows the page."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_noop

from mingjing.security import policy
from mingjing.security.actor import Actor


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def _entries(actor: Actor) -> list[tuple[str, str]]:
    # Labels stay Chinese here; base.html translates them with {% translate item.label %}.
    entries = [(gettext_noop("我的待办"), "web:home")]
    if policy.may_look_up_cases(actor):
        entries.append((gettext_noop("案件查询"), "cases:search"))
    if policy.may_list_records(actor):
        entries.append((gettext_noop("记录"), "records:list"))
    if policy.may_file_monthly_report(actor):
        entries.append((gettext_noop("我的月报告"), "reporting:personal"))
    if policy.may_view_department_overview(actor):
        entries.append((gettext_noop("部门月报告"), "reporting:departments"))
    if policy.may_view_court_reports(actor):
        entries.append((gettext_noop("全院月报告"), "court_reporting:month"))
    if policy.may_view_court_compliance(actor):
        entries.append((gettext_noop("合规情况"), "court_reporting:compliance"))
    if policy.may_file_special_report(actor):
        entries.append((gettext_noop("专项报告"), "special:list"))
    if policy.may_view_declaration_report(actor):
        entries.append((gettext_noop("一案一表"), "declarations:report"))
    if policy.may_screen(actor):
        entries.append((gettext_noop("甄别处置"), "oversight:screening_queue"))
    if policy.may_list_disclosures(actor):
        entries.append((gettext_noop("查阅审批"), "oversight:disclosure_list"))
    if policy.may_list_role_grants(actor):
        entries.append((gettext_noop("角色授予确认"), "org:grant_list"))
    if policy.may_administer(actor):
        entries.append((gettext_noop("系统管理"), "admin:index"))
    entries.append((gettext_noop("账号安全"), "accounts:security"))
    return entries


def menu_for(actor: Actor, path: str) -> list[NavItem]:
    items = []
    for label, name in _entries(actor):
        url = reverse(name)
        active = path == url if url == "/" else path.startswith(url)
        items.append(NavItem(label=label, url=url, active=active))
    return items
