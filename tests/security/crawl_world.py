"""A court full of records whose sealed contents carry unique marker strings, for the crawler
(tests/security/test_crawler.py).

Each record is made through the real services (sealed, indexed, audited, receipted). Its
markers are short ASCII tokens, ``QZ<key><field>X``, one per sealed place: content, handling,
the subject's unit, position and place (and name, when the subject is an outsider), the
attachment's name and bytes, amendment reason and correction, the late-report reason. Short,
so that a PDF line never breaks one in two; ASCII, so that text extraction finds them whatever
the font.

Records name colleagues both ways: picked from the staff list, and typed as free text (exact,
full-width, with spaces, traditional characters), and in an amendment. `allowed` is who may
read each record's contents by DESIGN.md section 3; everyone else must never see a marker.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from mingjing.declarations.services import declaration_declare
from mingjing.oversight.models import DisclosureRequest, DisclosureStatus
from mingjing.oversight.services import disclosure_request
from mingjing.records.services import (
    RecordInput,
    amendment_add,
    attachment_add,
    record_save_draft,
    record_submit,
)
from mingjing.reporting import services as monthly
from mingjing.security.actor import actor_for

MARKER_FIELDS = {
    "C": "content",
    "H": "handling",
    "U": "subject unit",
    "P": "subject position",
    "L": "place",
    "S": "subject name",
    "N": "attachment name",
    "B": "attachment bytes",
    "A": "amendment reason",
    "K": "amendment correction",
    "R": "late-report reason",
}
# The president's name, so that a traditional-character spelling can be typed (陳建國).
APPROVER_NAME = "陈建国"


def marker(key: str, letter: str) -> str:
    return f"QZ{key}{letter}X"


@dataclass
class Spec:
    key: str
    recorder: str
    about: str  # what the record is, for messages
    picked: str | None = None  # username of the subject picked from the staff list
    typed: str = ""  # subject name as typed (a colleague's name, a variant of it, or "")
    amend_typed: str = ""  # subject name given in an amendment
    on_case: bool = False  # linked to the cast's case (so it is printed in 一案一表)
    submit: bool = True
    late: bool = False
    disclosed_to: str | None = None  # an approved disclosure for this user
    allowed: frozenset = frozenset()  # who may read its contents
    markers: list[str] = field(default_factory=list)
    record: object = None


def specs(cast) -> list[Spec]:
    head, custodian, staff = (cast.people[n].name for n in ("head", "custodian", "staff"))
    readers = {"custodian", "approver"}
    civil = readers | {"head"}
    rows = [
        Spec("01", "staff2", "names the head, picked", picked="head", on_case=True),
        Spec("02", "staff", "names the head, typed full-width", typed=_full_width(head)),
        Spec("03", "staff2", "names the head, typed with spaces", typed=" ".join(head)),
        Spec("04", "staff", "names the custodian, picked", picked="custodian", on_case=True),
        Spec("05", "staff2", "names the custodian, typed", typed=custodian),
        Spec("06", "staff", "names the president, picked", picked="approver", on_case=True),
        Spec("07", "staff2", "names the president, typed 陳建國", typed="陳建國", on_case=True),
        Spec("08", "staff", "names a staff member, picked", picked="staff2", on_case=True),
        Spec("09", "staff2", "names a staff member, typed", typed=staff),
        Spec("10", "staff", "an amendment names the head", amend_typed=head, on_case=True),
        Spec("11", "personnel", "by staff of another department (政治部)"),
        Spec("12", "inspector", "by staff of the inspection office"),
        Spec("13", "custodian", "the custodian's own"),
        Spec("14", "staff", "a draft", submit=False, on_case=True),
        Spec("15", "staff2", "a late contact report", late=True),
        Spec("16", "other_court", "another court's"),
        Spec("17", "staff", "disclosed to the inspector", disclosed_to="inspector", on_case=True),
        Spec("18", "head", "the head's own, about a namesake of his", typed=head),
        Spec("19", "staff", "names the head in full-width, on the case", typed=_full_width(head)),
    ]
    subjects = {"head": head, "custodian": custodian, "approver": APPROVER_NAME, "staff": staff}
    for spec in rows:
        allowed = {spec.recorder}
        if spec.submit and spec.recorder != "other_court":
            allowed |= readers
            if cast.people[spec.recorder].department_id == cast.departments["civil"].id:
                allowed |= civil
        if spec.disclosed_to:
            allowed.add(spec.disclosed_to)
        named = {spec.picked} if spec.picked else set()
        for name in (spec.typed, spec.amend_typed):
            named |= {who for who, theirs in subjects.items() if _same(name, theirs)}
        spec.allowed = frozenset(allowed - (named - {spec.recorder}))
    return rows


def _full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def _same(typed: str, name: str) -> bool:
    from mingjing.security.sealing import normalise_name

    return bool(typed) and normalise_name(typed) == normalise_name(name)


def build(cast) -> list[Spec]:
    """Rename the president, make every record, declare the case's records; return the specs."""
    approver = cast.people["approver"]
    approver.name = APPROVER_NAME
    approver.save(update_fields=["name"])
    from mingjing.cases.models import Assignment, AssignmentRole

    Assignment.objects.create(
        case=cast.case, person=cast.people["staff2"], role=AssignmentRole.CLERK
    )
    rows = specs(cast)
    for spec in rows:
        _make(cast, spec)
    for handler in ("staff", "staff2"):
        declaration_declare(
            actor=actor_for(cast.users[handler]), case=cast.case, none_to_report=False
        )
    # Their monthly reports, so that the head's review and the court's pages list the records.
    month = monthly.current_month()
    for username in ("staff", "staff2", "personnel", "inspector", "custodian", "head"):
        monthly.monthly_report_submit(
            actor=actor_for(cast.users[username]), month=month, zero=False
        )
    return rows


def _make(cast, spec: Spec) -> None:
    person = cast.people[spec.recorder]
    actor = actor_for(person.user)
    m = lambda letter: marker(spec.key, letter)  # noqa: E731
    external = not spec.picked and not spec.typed
    data = RecordInput(
        category="improper_contact" if spec.late else "leader_interference",
        behaviour="contact" if spec.late else "plea",
        manner="in_person",
        subject_kind="lawyer" if spec.late else "internal_staff",
        occurred_at=timezone.now() - timedelta(days=6 if spec.late else 1),
        subject_name=spec.typed or (f"欧阳{m('S')}" if external else ""),
        subject_person_id=cast.people[spec.picked].id if spec.picked else None,
        subject_unit=f"某局{m('U')}",
        subject_position=f"副局长{m('P')}",
        place=f"办公室{m('L')}",
        content=f"请托关照 {m('C')} 许诺事后重谢",
        handling=f"当场拒绝 {m('H')} 如实记录",
        case_numbers=[cast.case.number] if spec.on_case else [],
        not_about_a_case=not spec.on_case,
        off_hours_contact=spec.late,
    )
    record = record_save_draft(actor=actor, data=data)
    attachment_add(
        actor=actor,
        record=record,
        name=f"录音整理{m('N')}.txt",
        data=f"通话记录：{m('B')}，对方要求关照。".encode(),
    )
    markers = [m(letter) for letter in "CHUPLNB"] + ([m("S")] if external else [])
    if spec.submit:
        reason = f"逾期原因 {m('R')} 出差在外" if spec.late else None
        record, _ = record_submit(actor=actor, record=record, late_reason=reason)
        markers += [m("R")] if spec.late else []
    if spec.amend_typed:
        amendment_add(
            actor=actor,
            record=record,
            reason=f"补充过问人 {m('A')}",
            correction=f"过问人实为本院同事 {m('K')}",
            subject_name=spec.amend_typed,
        )
        markers += [m("A"), m("K")]
    if spec.disclosed_to:
        _grant(cast, spec.disclosed_to, record)
    spec.markers = markers
    spec.record = record


def _grant(cast, username: str, record) -> None:
    """An approved disclosure (the decision itself, with its code, is tested elsewhere)."""
    disclosure = disclosure_request(
        actor=actor_for(cast.users[username]),
        kind="view",
        reason="核查举报线索，需要查阅该记录",
        record_ids=[record.id],
    )
    now = timezone.now()
    DisclosureRequest.objects.filter(pk=disclosure.pk).update(
        status=DisclosureStatus.APPROVED,
        decided_by=cast.people["approver"],
        decided_at=now,
        expires_at=now + timedelta(days=7),
    )
