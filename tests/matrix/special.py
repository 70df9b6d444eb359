"""Special reports and screening. Builders make what they need through the services."""

from django.urls import reverse

from tests.matrix.helpers import every, only
from tests.special.factories import make_relatives_report

# Every serving staff member files special reports (court A's cast, and court B's user).
FILERS = {
    "staff",
    "staff2",
    "head",
    "deptadmin",
    "leader",
    "custodian",
    "inspector",
    "approver",
    "personnel",
    "other_court",
}
# Who may open staff's submitted report: he, his department head, custodian, approver.
REPORT_READERS = {"staff", "head", "custodian", "approver"}


def _submitted(world):
    return make_relatives_report(world.people["staff"])


def _draft(world):
    return make_relatives_report(world.people["staff"], submit=False)


WEB = {
    "special:list": (lambda c: reverse("special:list"), only(FILERS), 302),
    "special:new": (lambda c: reverse("special:new", args=["relatives"]), only(FILERS), 302),
    "special:overview": (
        lambda c: reverse("special:overview"),
        only({"head", "custodian", "approver", "other_court"}),
        302,
    ),
    "special:relatives": (
        lambda c: reverse("special:relatives"),
        only({"custodian", "approver"}),
        302,
    ),
    # Others, including another court, do not learn that the report exists.
    "special:detail": (
        lambda c: reverse("special:detail", args=[_submitted(c).id]),
        only(REPORT_READERS, no=404),
        302,
    ),
    "special:edit": (
        lambda c: reverse("special:edit", args=[_draft(c).id]),
        only({"staff"}, no=404),
        302,
    ),
    "special:submit": (
        lambda c: reverse("special:submit", args=[_draft(c).id]),
        every(405),
        302,
    ),
    "special:receipt": (
        lambda c: reverse("special:receipt", args=[_submitted(c).id]),
        only({"staff"}, no=404),
        302,
    ),
    # The approver's queue holds the records naming a custodian (issue 8.7).
    "oversight:screening_queue": (
        lambda c: reverse("oversight:screening_queue"),
        only({"custodian", "approver"}),
        302,
    ),
    "oversight:screening_detail": (
        lambda c: reverse("oversight:screening_detail", args=[c.records.own.id]),
        only({"custodian"}, no=404),
        302,
    ),
}
