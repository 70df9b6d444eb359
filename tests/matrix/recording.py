"""逢问必录: the recording form, drafts, amendments, attachments, late contact reports and the
records API. Builders get the `world` fixture (the cast and its records)."""

from django.urls import reverse

from tests.matrix.helpers import every, only
from tests.recording.helpers import submitted_with_attachment

# Everyone who holds the staff role in a court records what he is asked.
RECORDERS = {
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
# Who reads the contents of staff's submitted record: himself, his head, custodian, approver.
CONTENT_READERS = {"staff", "head", "custodian", "approver"}
# Who sees staff's submitted record at all (contents or counts).
RECORD_VIEWERS = CONTENT_READERS | {"deptadmin", "leader", "inspector"}


def _attachment(world) -> str:
    record, attachment = submitted_with_attachment(world.people["staff"])
    return reverse("records:attachment", args=[record.id, attachment.id])


WEB = {
    "records:new": (lambda c: reverse("records:new"), only(RECORDERS), 302),
    "records:late": (lambda c: reverse("records:late"), only({"custodian", "inspector"}), 302),
    # A draft is its recorder's alone; the others do not learn that it exists.
    "records:edit": (
        lambda c: reverse("records:edit", args=[c.records.draft.id]),
        only({"staff"}, no=404),
        302,
    ),
    "records:amend": (
        lambda c: reverse("records:amend", args=[c.records.own.id]),
        only({"staff"}, no=404),
        302,
    ),
    "records:attachment": (_attachment, only(CONTENT_READERS, no=404), 302),
    "records:attachment_delete": (
        lambda c: reverse("records:attachment_delete", args=[c.records.draft.id, 1]),
        every(405),
        302,
    ),
}

API = {
    "api:records_list": (lambda c: reverse("api:records_list"), every(200), 401),
    "api:records_detail": (
        lambda c: reverse("api:records_detail", args=[c.records.own.id]),
        only(RECORD_VIEWERS, no=404),
        401,
    ),
    "api:records_submit": (
        lambda c: reverse("api:records_submit", args=[c.records.draft.id]),
        every(405),
        405,
    ),
    "api:records_amendments": (
        lambda c: reverse("api:records_amendments", args=[c.records.own.id]),
        only(CONTENT_READERS, no=404),
        401,
    ),
}
