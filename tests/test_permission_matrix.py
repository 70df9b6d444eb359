"""Every URL, as every role: the status each must get (DESIGN.md section 3).

A new URL pattern without a row here fails `test_every_url_pattern_is_in_the_matrix`; one
whose view takes POST also needs a write row (WEB_POST/API_POST: a minimal valid body, who
succeeds and changes the state, what the others get), else
`test_every_url_pattern_taking_post_has_a_write_row` fails. Another court's object must answer
404, never 403.
"""

import inspect
import io
import json
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mingjing.oversight.services import disclosure_request
from mingjing.security.actor import actor_for
from mingjing.security.authn import api_token_create
from tests.conftest import ROLE_USERS, login_as, make_records
from tests.matrix import merged, named_subjects
from tests.matrix.helpers import ALL

WEB_MATRIX = merged("WEB")
API_MATRIX = merged("API")
# Writes: url name -> Write (tests/matrix/helpers.py), one row per endpoint accepting POST.
WEB_WRITES = merged("WEB_POST")
API_WRITES = merged("API_POST")


@pytest.fixture
def world(cast, records):
    """The cast, its records and one pending disclosure request by the inspector."""
    cast.records = records
    cast.disclosure = _pending_disclosure(cast, records)
    return cast


def _pending_disclosure(cast, records):
    return disclosure_request(
        actor=actor_for(cast.inspector),
        kind="view",
        reason="核查举报线索，需要查阅该记录",
        record_ids=[records.own.id],
    )


class LazyWorld:
    """The `world`, but its records and disclosure are made when a row first asks for them:
    most writes need neither, and each write case builds its own."""

    def __init__(self, cast):
        self._cast = cast

    def __getattr__(self, name):
        if name == "records":
            value = make_records(self._cast)
        elif name == "disclosure":
            value = _pending_disclosure(self._cast, self.records)
        else:
            return getattr(self._cast, name)
        setattr(self, name, value)
        return value


@pytest.fixture
def lazy_world(cast):
    return LazyWorld(cast)


# Django's own admin sub-pages are all guarded by admin.site.has_permission (sysadmin only),
# which `admin:index` exercises; listing each of them here would add nothing.
EXEMPT_NAMESPACES = {"admin"}


def _routes() -> dict[str, str]:
    """URL name -> route, for every named pattern outside the exempt namespaces."""
    return {
        name: route
        for name, route, _ in _callbacks(get_resolver())
        if name.split(":")[0] not in EXEMPT_NAMESPACES or name == "admin:index"
    }


def _uncovered(routes: dict[str, str], covered: set[str]) -> set[str]:
    """Names whose route no row covers. By route: django-ninja names one path once per
    operation (GET and POST of /api/v1/records), and one row covers them all."""
    covered_routes = {routes[name] for name in covered if name in routes}
    return {name for name, route in routes.items() if route not in covered_routes}


def test_every_url_pattern_is_in_the_matrix():
    assert _uncovered(_routes(), set(WEB_MATRIX) | set(API_MATRIX)) == set(), (
        "URL patterns missing from the permission matrix"
    )


def _accepts_post(callback) -> bool:
    """Whether the view takes POST: by its method decorator, else by what its body reads."""
    methods = _declared_methods(callback)
    if methods is not None:
        return "POST" in methods
    return _reads_post(inspect.unwrap(callback), set())


def _reads_post(function, seen: set) -> bool:
    """Whether the function, or a helper of its module that it calls, reads the method or POST."""
    seen.add(function)
    source = inspect.getsource(function)
    if re.search(r"request\.method\b|request\.POST\b", source):
        return True
    module = inspect.getmodule(function)
    for name in re.findall(r"\b(\w+)\(", source):
        helper = getattr(module, name, None)
        if inspect.isfunction(helper) and helper.__module__ == module.__name__:
            if helper not in seen and _reads_post(helper, seen):
                return True
    return False


def _declared_methods(callback) -> set[str] | None:
    """The methods allowed by require_http_methods (or a django-ninja operation), if any."""
    function = callback
    while function is not None:
        for cell in getattr(function, "__closure__", None) or ():
            value = cell.cell_contents
            operations = getattr(value, "operations", None)  # ninja's PathView
            if isinstance(operations, list):
                return {m.upper() for op in operations for m in op.methods}
            if isinstance(value, list | tuple | set) and value and set(value) <= HTTP_METHODS:
                return set(value)
        function = getattr(function, "__wrapped__", None)
    return None


HTTP_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def _post_routes() -> dict[str, str]:
    """URL name -> route, for every pattern whose view takes POST."""
    return {
        name: route
        for name, route, callback in _callbacks(get_resolver())
        if name.split(":")[0] not in EXEMPT_NAMESPACES and _accepts_post(callback)
    }


def _callbacks(resolver, prefix: str = "", route: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _callbacks(entry, namespace, route + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name, route + str(entry.pattern), entry.callback


def test_every_url_pattern_taking_post_has_a_write_row():
    routes = _post_routes()
    covered = set(WEB_WRITES) | set(API_WRITES)
    assert covered <= set(routes), "write rows for URLs that do not take POST"
    assert _uncovered(routes, covered) == set(), "POST endpoints missing from the write matrix"


def test_matrix_lists_every_role_and_the_outsiders():
    for _, expected, _ in list(WEB_MATRIX.values()) + list(API_MATRIX.values()):
        assert set(expected) == ALL


WEB_CASES = [(name, user) for name in WEB_MATRIX for user in ROLE_USERS]
API_CASES = [(name, user) for name in API_MATRIX for user in ROLE_USERS]


@pytest.mark.parametrize(("url_name", "username"), WEB_CASES)
def test_web_page_answers_each_role_as_the_matrix_says(world, client, url_name, username):
    build, expected, _ = WEB_MATRIX[url_name]
    login_as(client, world.users[username])
    response = client.get(build(world))
    assert response.status_code == expected[username], (url_name, username)


@pytest.mark.parametrize("url_name", list(WEB_MATRIX))
def test_web_page_answers_anonymous_visitors_as_the_matrix_says(world, client, url_name):
    build, _, anonymous = WEB_MATRIX[url_name]
    assert client.get(build(world)).status_code == anonymous


@pytest.mark.parametrize(("url_name", "username"), API_CASES)
def test_api_endpoint_answers_each_role_as_the_matrix_says(world, client, url_name, username):
    build, expected, _ = API_MATRIX[url_name]
    _, secret = api_token_create(user=world.users[username], name="matrix")
    response = client.get(build(world), HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == expected[username], (url_name, username)


@pytest.mark.parametrize("url_name", list(API_MATRIX))
def test_api_endpoint_answers_anonymous_callers_as_the_matrix_says(world, client, url_name):
    build, _, anonymous = API_MATRIX[url_name]
    assert client.get(build(world)).status_code == anonymous


def test_another_courts_case_is_not_found_rather_than_forbidden(cast, client):
    login_as(client, cast.head)
    response = client.get(reverse("cases:detail", args=[cast.other_case.id]))
    assert response.status_code == 404


def test_case_search_never_lists_another_courts_cases(cast, client):
    login_as(client, cast.staff)
    page = client.get(reverse("cases:search"), {"q": "民初"}).content.decode()
    assert cast.case.number in page
    assert cast.other_case.number not in page


# --- Named subjects, picked and typed (issue 8) -------------------------------------------
#
# For each record naming a colleague (tests/matrix/named_subjects.py), the colleague gets
# exactly what a missing id gets, on the record page, its API detail and its attachment; his
# 一案一表 form opens but leaves the record out. The recorder gets 200 and the contents.

SUBJECT_CASES = [(who, way) for who in named_subjects.SUBJECTS for way in named_subjects.WAYS]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture
def named(cast):
    return named_subjects.make_named_records(cast)


def _missing_id(named) -> int:
    return max(n.record.id for n in named.values()) + 1000


def _same_page(client, url: str, missing_url: str) -> bool:
    """Both answer 404 with the same page (but for the CSRF token and the page's own URL)."""
    a, b = client.get(url), client.get(missing_url)
    pages = [
        CSRF.sub("", r.content.decode()).replace(u, "URL") for r, u in ((a, url), (b, missing_url))
    ]
    return a.status_code == b.status_code == 404 and pages[0] == pages[1]


@pytest.mark.parametrize(("subject", "way"), SUBJECT_CASES)
def test_record_page_answers_its_named_subject_as_a_missing_record(
    cast, named, client, subject, way
):
    record = named[(subject, way)].record
    login_as(client, cast.users[subject])
    url = reverse("records:detail", args=[record.id])
    assert _same_page(client, url, reverse("records:detail", args=[_missing_id(named)]))
    login_as(client, cast.staff)
    mine = client.get(reverse("records:detail", args=[record.id]))
    assert mine.status_code == 200
    assert named[(subject, way)].content in mine.content.decode()


@pytest.mark.parametrize(("subject", "way"), SUBJECT_CASES)
def test_api_detail_answers_its_named_subject_as_a_missing_record(
    cast, named, client, subject, way
):
    record = named[(subject, way)].record
    _, secret = api_token_create(user=cast.users[subject], name="matrix")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    response = client.get(reverse("api:records_detail", args=[record.id]), **auth)
    missing = client.get(reverse("api:records_detail", args=[_missing_id(named)]), **auth)
    assert response.status_code == 404
    assert response.json() == missing.json()
    _, mine = api_token_create(user=cast.staff, name="matrix")
    own = client.get(
        reverse("api:records_detail", args=[record.id]), HTTP_AUTHORIZATION=f"Bearer {mine}"
    )
    assert own.status_code == 200
    assert named[(subject, way)].content in own.content.decode()


@pytest.mark.parametrize(("subject", "way"), SUBJECT_CASES)
def test_attachment_answers_its_named_subject_as_a_missing_file(cast, named, client, subject, way):
    item = named[(subject, way)]
    url = reverse("records:attachment", args=[item.record.id, item.attachment.id])
    login_as(client, cast.users[subject])
    missing = reverse("records:attachment", args=[_missing_id(named), item.attachment.id + 1000])
    assert _same_page(client, url, missing)
    login_as(client, cast.staff)
    own = client.get(url)
    assert own.status_code == 200
    body = b"".join(own.streaming_content) if own.streaming else own.content
    assert body == item.data


def _form_text(response) -> str:
    if response["Content-Type"] == "application/pdf":
        from pypdf import PdfReader

        return "".join(
            p.extract_text() or "" for p in PdfReader(io.BytesIO(response.content)).pages
        )
    import docx

    document = docx.Document(io.BytesIO(response.content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.parametrize("fmt", ["form_pdf", "form_docx"])
@pytest.mark.parametrize("subject", named_subjects.SUBJECTS)
def test_case_form_leaves_out_the_records_naming_the_one_who_prints_it(
    cast, named, client, subject, fmt
):
    """The 一案一表 form opens for the head, the custodian and the president (they print it),
    with the records naming others and without the two naming them, picked or typed."""
    url = reverse(f"declarations:{fmt}", args=[cast.case.id])
    login_as(client, cast.users[subject])
    response = client.get(url)
    assert response.status_code == 200
    text = _form_text(response).replace("\n", "")
    for (who, way), item in named.items():
        assert (item.content in text) == (who != subject), (who, way)
    login_as(client, cast.staff)
    own = _form_text(client.get(url)).replace("\n", "")
    assert all(item.content in own for item in named.values())


# --- Writes (issue 9, point 6) --------------------------------------------------------------
#
# Each POST endpoint, with a minimal valid body, as each user: the allowed ones get the
# success status and the state changes; everyone else gets 403/404 and nothing changes. Every
# case builds its own cast (function-scoped fixtures), so no write leaks into the next.

WRITES = {"web": WEB_WRITES, "api": API_WRITES}
ANONYMOUS_WRITES = [(kind, name) for kind in WRITES for name in WRITES[kind]]
WRITE_CASES = [(kind, name, user) for kind, name in ANONYMOUS_WRITES for user in ROLE_USERS]


def _send(client, kind: str, row, sent, **extra):
    """A form post on the web; a JSON body on the API."""
    send = getattr(client, row.method)
    if kind == "web":
        return send(sent.url, sent.data, **extra)
    return send(sent.url, json.dumps(sent.data), content_type="application/json", **extra)


def _signed_in(client, kind: str, user) -> dict:
    if kind == "web":
        login_as(client, user)
        return {}
    _, secret = api_token_create(user=user, name="matrix")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.mark.parametrize(("kind", "url_name", "username"), WRITE_CASES)
def test_write_answers_each_role_as_the_matrix_says(lazy_world, client, kind, url_name, username):
    row = WRITES[kind][url_name]
    extra = _signed_in(client, kind, lazy_world.users[username])
    sent = row.build(lazy_world, username)
    response = _send(client, kind, row, sent, **extra)
    assert response.status_code == row.expected[username], (url_name, username)
    assert bool(sent.changed(response)) == (username in row.allowed), (url_name, username)


@pytest.mark.parametrize(("kind", "url_name"), ANONYMOUS_WRITES)
def test_write_answers_anonymous_callers_as_the_matrix_says(lazy_world, client, kind, url_name):
    row = WRITES[kind][url_name]
    sent = row.build(lazy_world, None)
    response = _send(client, kind, row, sent)
    assert response.status_code == row.anonymous, url_name
    assert bool(sent.changed(response)) == row.anonymous_allowed, url_name
