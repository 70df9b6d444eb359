"""Records naming colleagues, both ways (issue 8, DESIGN.md section 3: named-subject exclusion).

The staff member records, about the cast's case and with one attachment, an inquiry by the
department head, the custodian and the president, each once picked from the staff list and
once typed as free text (full-width, with spaces, in traditional characters). For each of
those records' pages, API detail, attachment and 一案一表 form, the colleague it names must
fare exactly as with a record that does not exist, while the recorder reads it.

This module adds no URL to the matrix (WEB/API stay with their areas); it holds the records
that tests/test_permission_matrix.py checks those URLs against.
"""

from dataclasses import dataclass

from mingjing.declarations.services import declaration_declare
from mingjing.records.services import attachment_add, record_save_draft, record_submit
from mingjing.security.actor import actor_for
from tests.recording.helpers import record_input

# The president gets a name with a traditional form, so that it can be typed that way.
APPROVER_NAME = "陈建国"
SUBJECTS = ("head", "custodian", "approver")
WAYS = ("picked", "typed")


def typed_name(username: str, name: str) -> str:
    """How a hurried clerk types the colleague's name: never exactly as the staff list has it."""
    if username == "head":
        return "".join(chr(ord(ch) + 0xFEE0) if ch.isascii() else ch for ch in name)
    if username == "custodian":
        return " ".join(name)
    return "陳建國"


def content_of(username: str, way: str) -> str:
    return f"询问开庭时间-{username}-{way}-标记"


@dataclass
class Named:
    record: object
    attachment: object
    content: str
    data: bytes


def make_named_records(cast) -> dict[tuple[str, str], Named]:
    """(subject username, way) -> the staff member's submitted record naming that colleague."""
    approver = cast.people["approver"]
    approver.name = APPROVER_NAME
    approver.save(update_fields=["name"])
    actor = actor_for(cast.staff)
    made = {}
    for username in SUBJECTS:
        person = cast.people[username]
        for way in WAYS:
            content = content_of(username, way)
            data = record_input(
                category="leader_interference",
                subject_name=typed_name(username, person.name) if way == "typed" else "",
                subject_person_id=person.id if way == "picked" else None,
                content=content,
                case_numbers=[cast.case.number],
            )
            record = record_save_draft(actor=actor, data=data)
            body = f"附件-{username}-{way}".encode()
            attachment = attachment_add(actor=actor, record=record, name="记录.txt", data=body)
            record, _ = record_submit(actor=actor, record=record, require_case=True)
            made[(username, way)] = Named(record, attachment, content, body)
    declaration_declare(actor=actor, case=cast.case, none_to_report=False)
    return made
