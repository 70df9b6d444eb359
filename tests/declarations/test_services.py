"""一案一表 services: expected on assignment, synced after imports, declared, bound."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mingjing.cases.models import Assignment, AssignmentRole, Case
from mingjing.declarations.models import CaseDeclaration, DeclarationStatus
from mingjing.declarations.services import (
    declaration_declare,
    declaration_rows,
    declarations_bind,
    declarations_sync,
)
from mingjing.imports.cases import cases_import
from mingjing.security.models import AuditEvent
from tests.conftest import SECRET_CONTENT, SECRET_SUBJECT, make_record
from tests.declarations.conftest import actor, declaration_of
from tests.imports.test_cases_import import CASE_5, HEADER
from tests.imports.test_people_import import csv_bytes


def events(action: str):
    return AuditEvent.objects.filter(action=action)


def test_assigning_a_handler_expects_a_pending_declaration(cast):
    assert declaration_of(cast.case, cast.people["staff"]).status == DeclarationStatus.PENDING
    Assignment.objects.create(case=cast.case, person=cast.people["staff2"], role="clerk")
    assert declaration_of(cast.case, cast.people["staff2"]).status == DeclarationStatus.PENDING
    assert events("declaration.expect").count() == 3  # staff, other_court's judge, staff2


def test_a_second_role_on_the_same_case_owes_one_declaration(cast):
    Assignment.objects.create(case=cast.case, person=cast.people["staff"], role="presiding")
    assert CaseDeclaration.objects.filter(case=cast.case).count() == 1


def test_an_import_expects_declarations_from_every_handler(cast):
    result = cases_import(court=cast.courts["a"], source=csv_bytes([HEADER, CASE_5]))
    assert result.created == 1
    case = Case.objects.get(number="（2026）豫9001民初5号")
    pending = CaseDeclaration.objects.filter(case=case, status=DeclarationStatus.PENDING)
    assert set(pending.values_list("person__staff_no", flat=True)) == {"T0001", "T0002"}
    assert events("declarations.sync").get().detail == {"created": 2}


def test_reimporting_creates_no_more_declarations(cast):
    source = [HEADER, CASE_5]
    cases_import(court=cast.courts["a"], source=csv_bytes(source))
    cases_import(court=cast.courts["a"], source=csv_bytes(source))
    assert CaseDeclaration.objects.filter(case__number="（2026）豫9001民初5号").count() == 2
    assert events("declarations.sync").count() == 1


def test_sync_fills_in_only_the_missing_rows_of_the_court(cast):
    CaseDeclaration.objects.all().delete()
    assert declarations_sync(court=cast.courts["a"]) == 1
    assert not CaseDeclaration.objects.filter(case=cast.other_case).exists()
    assert declarations_sync(court=cast.courts["a"]) == 0
    assert declarations_sync(case_ids=[cast.other_case.id]) == 1


def test_a_handler_declares_none(cast):
    declaration = declaration_declare(actor=actor(cast.staff), case=cast.case, none_to_report=True)
    assert declaration.status == DeclarationStatus.DECLARED
    assert declaration.none_to_report and declaration.declared_at
    event = events("declaration.declare").get()
    assert event.detail == {
        "case": cast.case.id,
        "none_to_report": True,
        "records": 0,
        "again": False,
    }


def test_declaring_records_without_any_is_refused_and_changes_nothing(cast):
    with pytest.raises(ValidationError, match="还没有提交与本案有关的记录"):
        declaration_declare(actor=actor(cast.staff), case=cast.case, none_to_report=False)
    assert declaration_of(cast.case, cast.people["staff"]).status == DeclarationStatus.PENDING
    assert not events("declaration.declare").exists()


def test_a_draft_about_the_case_is_not_enough(cast):
    make_record(cast.people["staff"], case=cast.case, submit=False)
    with pytest.raises(ValidationError):
        declaration_declare(actor=actor(cast.staff), case=cast.case, none_to_report=False)


def test_a_handler_declares_his_records(cast, own_record):
    declaration = declaration_declare(actor=actor(cast.staff), case=cast.case, none_to_report=False)
    assert declaration.status == DeclarationStatus.DECLARED
    assert not declaration.none_to_report
    detail = str(events("declaration.declare").get().detail)
    assert SECRET_CONTENT not in detail and SECRET_SUBJECT not in detail


def test_declaring_none_while_having_records_is_refused(cast, own_record):
    with pytest.raises(ValidationError, match="不能声明无相关情况"):
        declaration_declare(actor=actor(cast.staff), case=cast.case, none_to_report=True)


def test_someone_not_handling_the_case_cannot_declare(cast):
    with pytest.raises(PermissionDenied):
        declaration_declare(actor=actor(cast.staff2), case=cast.case, none_to_report=True)
    assert not CaseDeclaration.objects.filter(person=cast.people["staff2"]).exists()


def test_he_may_declare_again_after_recording_something_new(cast):
    staff = actor(cast.staff)
    declaration_declare(actor=staff, case=cast.case, none_to_report=True)
    make_record(cast.people["staff"], case=cast.case)
    row = declaration_rows(staff, cast.case)[0]
    assert row.stale  # said "none", then recorded something about the case
    declaration = declaration_declare(actor=staff, case=cast.case, none_to_report=False)
    assert not declaration.none_to_report
    assert events("declaration.declare").last().detail["again"] is True


def test_binding_waits_for_every_declaration(cast):
    with pytest.raises(ValidationError, match="尚有 1 人未填报"):
        declarations_bind(actor=actor(cast.head), case=cast.case)


def test_the_department_head_binds_and_then_nothing_changes(cast):
    declaration_declare(actor=actor(cast.staff), case=cast.case, none_to_report=True)
    assert declarations_bind(actor=actor(cast.head), case=cast.case) == 1
    declaration = declaration_of(cast.case, cast.people["staff"])
    assert declaration.status == DeclarationStatus.BOUND and declaration.bound_at
    assert events("declarations.bind").get().detail == {"case": cast.case.id, "bound": 1}
    with pytest.raises(ValidationError, match="已入卷"):
        declaration_declare(actor=actor(cast.staff), case=cast.case, none_to_report=True)


def test_a_handler_may_bind_but_a_colleague_may_not(cast):
    declaration_declare(actor=actor(cast.staff), case=cast.case, none_to_report=True)
    with pytest.raises(PermissionDenied):
        declarations_bind(actor=actor(cast.staff2), case=cast.case)
    assert declarations_bind(actor=actor(cast.staff), case=cast.case) == 1


def test_a_handler_assigned_without_a_row_still_counts_as_pending(cast):
    Assignment.objects.bulk_create(  # no signal, as an import by SQL
        [Assignment(case=cast.case, person=cast.people["staff2"], role=AssignmentRole.CLERK)]
    )
    rows = declaration_rows(actor(cast.head), cast.case)
    assert [row.is_pending for row in rows] == [True, True]
    declaration_declare(actor=actor(cast.staff), case=cast.case, none_to_report=True)
    with pytest.raises(ValidationError, match="尚有 1 人未填报"):
        declarations_bind(actor=actor(cast.head), case=cast.case)
