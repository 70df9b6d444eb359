"""一案一表: who may declare, bind, print, ask whether a case may close, and see the report."""

from urllib.parse import quote

from django.urls import reverse

from mingjing.declarations.services import declaration_declare
from mingjing.security.actor import actor_for
from tests.matrix.helpers import Sent, Write, every, only
from tests.matrix.roles import COURT_STAFF as LOOKUP

# Counts per handler ("none" / "N records"), hence the printable form: the case's handler
# (staff), the counts roles for its department (civil) and the court-wide ones.
PRINTERS = {"staff", "head", "deptadmin", "leader", "custodian", "inspector", "approver"}
# Lookup roles without counts get 403; those who cannot look the case up at all get 404.
NOT_FOUND = {"supervisor", "sysadmin", "outsider", "other_court"}
# The report is of the actor's own court: court B's department head sees court B's.
REPORTERS = {"head", "deptadmin", "leader", "custodian", "inspector", "approver", "other_court"}


def _printers(allowed: set[str] = PRINTERS) -> dict[str, int]:
    return {**only(allowed), **dict.fromkeys(NOT_FOUND, 404)}


# The binding copy (入卷件) of staff's declaration: staff himself, or the court-wide readers.
BINDERS = {"staff", "custodian", "approver"}


def _binding(fmt: str):
    def url(c) -> str:
        return reverse(f"declarations:binding_{fmt}", args=[c.case.id, c.people["staff"].id])

    return url


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
    "declarations:binding_pdf": (_binding("pdf"), _printers(BINDERS), 302),
    "declarations:binding_docx": (_binding("docx"), _printers(BINDERS), 302),
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


# --- Writes -------------------------------------------------------------------------------
#
# Staff handles the cast's case (and has recorded about it): he declares; he and the civil
# department's head bind. Lookup roles are refused; those who cannot find the case get 404.


def _recorded(world) -> None:
    """Staff's submitted record about the case (made when first asked for)."""
    assert world.records.own.cases.filter(pk=world.case.pk).exists()


def _declared(world):
    _recorded(world)
    declared = world.case.declarations.filter(person=world.people["staff"], status="declared")
    return lambda response: declared.exists()


def _declare(world, username) -> Sent:
    url = reverse("declarations:declare", args=[world.case.id])
    return Sent(url, {"choice": "records"}, _declared(world))


def _bind(world, username) -> Sent:
    _recorded(world)
    declaration_declare(actor=actor_for(world.staff), case=world.case, none_to_report=False)
    bound = world.case.declarations.filter(status="bound")
    return Sent(reverse("declarations:bind", args=[world.case.id]), {}, lambda r: bound.exists())


def _api_declare(world, username) -> Sent:
    url = reverse("api:declarations_declare", args=[world.case.id])
    return Sent(url, {"none_to_report": False}, _declared(world))


def _handled(allowed: set[str], **statuses) -> dict:
    return dict(allowed=allowed, others=dict.fromkeys(NOT_FOUND, 404), **statuses)


WEB_POST = {
    "declarations:declare": Write(_declare, **_handled({"staff"})),
    "declarations:bind": Write(_bind, **_handled({"staff", "head"})),
}

API_POST = {
    "api:declarations_declare": Write(_api_declare, **_handled({"staff"}, yes=200, anonymous=401)),
}
