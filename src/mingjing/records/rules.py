"""The field rules of a record, written once (issue 9): the web form (records.forms), the
API's request schemas (api.schemas, and so the OpenAPI document) and the services read them.

Lengths are in characters. When an inquiry happened is checked by records.occurred.
"""

from django.db.models import TextChoices
from django.utils.translation import gettext as _

from mingjing.records.models import Behaviour, Category, Manner, SubjectKind

# Required, one of these values each.
CHOICE_FIELDS: dict[str, type[TextChoices]] = {
    "category": Category,
    "behaviour": Behaviour,
    "manner": Manner,
    "subject_kind": SubjectKind,
}
# Required: the choices and when it happened. Everything else may be left empty in a draft.
REQUIRED_FIELDS = (*CHOICE_FIELDS, "occurred_at")

# The free texts of a record, each optional, at most this long.
TEXT_FIELDS = {
    "subject_name": 100,
    "subject_unit": 200,
    "subject_position": 100,
    "subject_contact": 100,
    "place": 200,
    "content": 5000,
    "handling": 5000,
    "late_reason": 2000,
}

# Case numbers: the API takes a list, at most this many numbers of at most this length; the
# form takes them typed into one box (records.services.split_case_numbers) of this length.
MAX_CASE_NUMBERS = 50
CASE_NUMBER_CHARS = 60
CASE_NUMBERS_BOX_CHARS = 1000

# An amendment: reason and correction are required; the corrected subject's name is optional.
AMENDMENT_FIELDS = {"reason": 5000, "correction": 5000, "subject_name": 100}


def not_about_a_case_problem(*, not_about_a_case: bool, has_case_numbers: bool) -> str | None:
    """The "不涉及具体案件" rule: once ticked, no case number may be given (at submission one
    of the two is required: records.services.record_submit)."""
    if not_about_a_case and has_case_numbers:
        return _("已勾选“不涉及具体案件”，请不要再填写案号。")
    return None
