"""`mingjing grant_role --court 豫9001 --staff-no 0001 --role approver --reason "…"`

The operator's server-side path for a court with nobody yet to confirm a role that opens
contents (a new court's first president). Refused as soon as the court has an approver who
can confirm: from then on the sysadmin asks and an approver confirms with a code. Audited as
`role.grant_bootstrap` with the operating-system user's name (docs/roles.md).
"""

import getpass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mingjing.org.models import Court, Person, PersonStatus, RoleAssignment
from mingjing.org.roles import CONTENT_ROLES, Role
from mingjing.security.grants import role_grant_bootstrap


def confirming_approvers(court: Court) -> int:
    """Serving approvers with an active account: people who could confirm a grant."""
    return (
        RoleAssignment.objects.filter(
            court=court,
            role=Role.APPROVER,
            person__status=PersonStatus.SERVING,
            person__user__is_active=True,
        )
        .exclude(person__roles__role=Role.SYSADMIN)
        .count()
    )


class Command(BaseCommand):
    help = "服务器端授予可查看内容的角色（仅用于新法院的第一位院长，须写明事由，记入审计）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--court", required=True, help="法院代码，如 豫9001")
        parser.add_argument("--staff-no", required=True, help="工号")
        roles = sorted(CONTENT_ROLES)
        parser.add_argument("--role", required=True, choices=roles, help="角色代码")
        parser.add_argument(
            "--reason", required=True, help="事由（如：新院长到任，院内无人可确认）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        court = Court.objects.filter(code=options["court"]).first()
        if court is None:
            raise CommandError(f"法院代码 {options['court']} 不存在。")
        person = Person.objects.filter(court=court, staff_no=options["staff_no"]).first()
        if person is None:
            raise CommandError(f"{court.name} 没有工号为 {options['staff_no']} 的人员。")
        if len(options["reason"].strip()) < 4:
            raise CommandError("请写明事由。")
        if confirming_approvers(court):
            raise CommandError(
                "本院已有可以确认的院长或党组书记：请由系统管理员在管理界面提出“角色授予申请”，"
                "再由院长或党组书记以动态口令确认。"
            )
        try:
            role_grant_bootstrap(
                person=person,
                role=options["role"],
                reason=options["reason"],
                operator=getpass.getuser(),
            )
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(f"已授予 {person.name}：{Role(options['role']).label}。")
        )
