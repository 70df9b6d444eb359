"""Helpers for the 一案一表 tests: the cast's case is handled by `staff` (承办法官)."""

import pytest

from mingjing.declarations.models import CaseDeclaration
from mingjing.security.actor import actor_for


def actor(user):
    return actor_for(user)


def declaration_of(case, person) -> CaseDeclaration:
    return CaseDeclaration.objects.get(case=case, person=person)


@pytest.fixture
def own_record(cast):
    """staff's submitted record about the cast's case (contents secret)."""
    from tests.conftest import make_record

    return make_record(cast.people["staff"], case=cast.case)
