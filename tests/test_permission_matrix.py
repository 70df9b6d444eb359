"""Every URL, as every role: the status each must get (DESIGN.md section 3).

A new URL pattern without a row here fails `test_every_url_pattern_is_in_the_matrix`.
Another court's object must answer 404, never 403.
"""

import io
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mingjing.accounts.services import api_token_create
from mingjing.oversight.services import disclosure_request
from mingjing.security.actor import actor_for
from tests.conftest import ROLE_USERS, login_as
from tests.matrix import merged, named_subjects
from tests.matrix.helpers import ALL

WEB_MATRIX = merged("WEB")
API_MATRIX = merged("API")


@pytest.fixture
def world(cast, records):
    """The cast, its records and one pending disclosure request by the inspector."""
    cast.records = records
    cast.disclosure = disclosure_request(
        actor=actor_for(cast.inspector),
        kind="view",
        reason="核查举报线索，需要查阅该记录",
        record_ids=[records.own.id],
    )
    return cast


# Django's own admin sub-pages are all guarded by admin.site.has_permission (sysadmin only),
# which `admin:index` exercises; listing each of them here would add nothing.
EXEMPT_NAMESPACES = {"admin"}


def _pattern_names(resolver, prefix: str = "") -> set[str]:
    names = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names |= _pattern_names(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(prefix + entry.name)
    return names


def test_every_url_pattern_is_in_the_matrix():
    covered = set(WEB_MATRIX) | set(API_MATRIX)
    listed = {
        name
        for name in _pattern_names(get_resolver())
        if name.split(":")[0] not in EXEMPT_NAMESPACES or name == "admin:index"
    }
    assert listed - covered == set(), "URL patterns missing from the permission matrix"


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
