"""Special reports and screening. Builders make what they need through the services."""

from django.urls import reverse

from mingjing.records.models import Record, SpecialReport
from tests.matrix.helpers import Sent, Write, audited, counted, every, only
from tests.matrix.roles import REPORT_READERS, STAFF_ROLE_HOLDERS
from tests.special.factories import ROW, make_relatives_report, relatives_post

# Every serving staff member files special reports (court A's cast, and court B's user).
FILERS = STAFF_ROLE_HOLDERS


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


# --- Writes -------------------------------------------------------------------------------
#
# Every filer starts a report of his own; only staff edits or submits his draft, and the
# others do not learn that it exists.


def _new(world, username) -> Sent:
    url = reverse("special:new", args=["relatives"])
    return Sent(url, relatives_post(ROW), counted(SpecialReport.objects.all()))


def _edit(world, username) -> Sent:
    draft = _draft(world)
    url = reverse("special:edit", args=[draft.id])
    return Sent(url, relatives_post(ROW), audited("special.draft"))


def _submit(world, username) -> Sent:
    draft = _draft(world)
    submitted = SpecialReport.objects.filter(pk=draft.id, status="submitted")
    url = reverse("special:submit", args=[draft.id])
    return Sent(url, {}, lambda response: submitted.exists())


WEB_POST = {
    "special:new": Write(_new, FILERS),
    "special:edit": Write(_edit, {"staff"}, no=404),
    "special:submit": Write(_submit, {"staff"}, no=404),
}


def _classify(world, username) -> Sent:
    record = world.records.own
    screened = Record.objects.filter(pk=record.id, status="screened")
    url = reverse("oversight:screening_detail", args=[record.id])
    return Sent(url, {"classification": "normal_duty"}, lambda response: screened.exists())


# Only the custodian screens staff's record; nobody else learns that it awaits screening.
WEB_POST["oversight:screening_detail"] = Write(_classify, {"custodian"}, no=404)
