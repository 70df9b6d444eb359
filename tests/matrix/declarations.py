"""一案一表: who may declare, bind, print, ask whether a case may close, and see the report."""

from urllib.parse import quote

from django.urls import reverse

from tests.matrix.core import LOOKUP
from tests.matrix.helpers import every, only

# Counts per handler ("none" / "N records"), hence the printable form: the case's handler
# (staff), the counts roles for its department (civil) and the court-wide ones.
PRINTERS = {"staff", "head", "deptadmin", "leader", "custodian", "inspector", "approver"}
# Lookup roles without counts get 403; those who cannot look the case up at all get 404.
NOT_FOUND = {"supervisor", "sysadmin", "outsider", "other_court"}
# The report is of the actor's own court: court B's department head sees court B's.
REPORTERS = {"head", "deptadmin", "leader", "custodian", "inspector", "approver", "other_court"}


def _printers() -> dict[str, int]:
    return {**only(PRINTERS), **dict.fromkeys(NOT_FOUND, 404)}


def _by_number(c) -> str:
    return reverse("api:declarations_close_check_by_number") + "?number=" + quote(c.case.number)


WEB = {
    "declarations:declare": (
        lambda c: reverse("declarations:declare", args=[c.case.id]),
        every(405),
        302,
    ),
    "declarations:bind": (
        lambda c: reverse("declarations:bind", args=[c.case.id]),
        every(405),
        302,
    ),
    "declarations:form_pdf": (
        lambda c: reverse("declarations:form_pdf", args=[c.case.id]),
        _printers(),
        302,
    ),
    "declarations:form_docx": (
        lambda c: reverse("declarations:form_docx", args=[c.case.id]),
        _printers(),
        302,
    ),
    "declarations:close_check": (
        lambda c: reverse("declarations:close_check", args=[c.case.id]),
        only(LOOKUP, no=404),
        302,
    ),
    "declarations:report": (lambda c: reverse("declarations:report"), only(REPORTERS), 302),
    "declarations:report_xlsx": (
        lambda c: reverse("declarations:report_xlsx"),
        only(REPORTERS),
        302,
    ),
}

API = {
    "api:declarations_case": (
        lambda c: reverse("api:declarations_case", args=[c.case.id]),
        only(LOOKUP, no=404),
        401,
    ),
    "api:declarations_declare": (
        lambda c: reverse("api:declarations_declare", args=[c.case.id]),
        every(405),
        405,
    ),
    "api:declarations_close_check": (
        lambda c: reverse("api:declarations_close_check", args=[c.case.id]),
        only(LOOKUP, no=404),
        401,
    ),
    # By number: roles without case lookup are refused; another court does not find it.
    "api:declarations_close_check_by_number": (
        _by_number,
        {**only(LOOKUP), "other_court": 404},
        401,
    ),
}
