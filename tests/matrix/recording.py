"""逢问必录: the recording form, drafts, amendments, attachments, late contact reports and the
records API. Builders get the `world` fixture (the cast and its records)."""

from django.urls import reverse

from mingjing.records.models import Amendment, Attachment, Record, RecordStatus
from mingjing.records.services import attachment_add, draft_version, record_save_draft
from mingjing.security.actor import actor_for
from tests.matrix.helpers import Sent, Write, counted, every, only
from tests.matrix.roles import CONTENT_READERS, RECORD_VIEWERS, STAFF_ROLE_HOLDERS
from tests.recording.conftest import form_data
from tests.recording.helpers import (
    PNG,
    api_record_body,
    record_input,
    submitted_with_attachment,
)

# Everyone who holds the staff role in a court records what he is asked.
RECORDERS = STAFF_ROLE_HOLDERS


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
    "records:confirm": (
        lambda c: reverse("records:confirm", args=[c.records.draft.id]),
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


# --- Writes -------------------------------------------------------------------------------
#
# Every write aims at staff's record: only he saves, submits, amends or deletes from it; the
# others, who read it or not, get 404 (a draft is nobody else's business) or 403.


def _own_case(world, username) -> str:
    """A case of the user's court: court B's user records about court B's case."""
    return (world.other_case if username == "other_court" else world.case).number


def _new_record(world, username) -> Sent:
    data = form_data(case_numbers=_own_case(world, username))
    return Sent(reverse("records:new"), data, counted(Record.objects.all()))


def _submitted(record_id: int):
    submitted = Record.objects.filter(pk=record_id).exclude(status=RecordStatus.DRAFT)
    return lambda response: submitted.exists()


def _edit_draft(world, username) -> Sent:
    draft = world.records.draft
    url = reverse("records:edit", args=[draft.id])
    saved = Record.objects.filter(pk=draft.id, manner="in_person")
    return Sent(url, form_data(manner="in_person"), lambda response: saved.exists())


def _confirm_draft(world, username) -> Sent:
    draft = record_save_draft(actor=actor_for(world.staff), data=record_input())
    url = reverse("records:confirm", args=[draft.id])
    return Sent(url, {"version": draft_version(draft)}, _submitted(draft.id))


def _amend(world, username) -> Sent:
    record = world.records.own
    data = {"reason": "时间记错", "correction": "应为上午十时"}
    url = reverse("records:amend", args=[record.id])
    return Sent(url, data, counted(Amendment.objects.filter(record=record)))


def _draft_with_attachment(world):
    actor = actor_for(world.staff)
    draft = record_save_draft(actor=actor, data=record_input())
    return draft, attachment_add(actor=actor, record=draft, name="照片.png", data=PNG)


def _delete_attachment(world, username) -> Sent:
    draft, attachment = _draft_with_attachment(world)
    url = reverse("records:attachment_delete", args=[draft.id, attachment.id])
    gone = Attachment.objects.filter(pk=attachment.id)
    return Sent(url, {}, lambda response: not gone.exists())


def _api_create(world, username) -> Sent:
    body = api_record_body(case_numbers=[_own_case(world, username)])
    return Sent(reverse("api:records_list"), body, counted(Record.objects.all()))


def _api_submit(world, username) -> Sent:
    draft, _ = _draft_with_attachment(world)
    return Sent(reverse("api:records_submit", args=[draft.id]), {}, _submitted(draft.id))


def _api_amend(world, username) -> Sent:
    record = world.records.own
    data = {"reason": "时间记错", "correction": "应为上午十时"}
    url = reverse("api:records_amendments", args=[record.id])
    return Sent(url, data, counted(Amendment.objects.filter(record=record)))


WEB_POST = {
    "records:new": Write(_new_record, RECORDERS),
    "records:edit": Write(_edit_draft, {"staff"}, no=404),
    "records:confirm": Write(_confirm_draft, {"staff"}, no=404),
    "records:amend": Write(_amend, {"staff"}, no=404),
    "records:attachment_delete": Write(_delete_attachment, {"staff"}, no=404),
}

API_POST = {
    "api:records_list": Write(_api_create, RECORDERS, yes=201, anonymous=401),
    "api:records_submit": Write(_api_submit, {"staff"}, yes=200, no=404, anonymous=401),
    # Readers of the contents learn only that the recorder alone corrects it.
    "api:records_amendments": Write(
        _api_amend,
        {"staff"},
        yes=201,
        no=404,
        others=dict.fromkeys(CONTENT_READERS - {"staff"}, 403),
        anonymous=401,
    ),
}
