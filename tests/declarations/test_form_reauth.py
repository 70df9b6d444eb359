"""Contents leave only after re-authentication (issue 8, point 8): the 一案一表 PDF and DOCX
ask for the password again, like the counts-only XLSX exports."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from mingjing.declarations.services import declaration_declare
from tests.conftest import PASSWORD, SECRET_CONTENT, login_as
from tests.declarations.conftest import actor


@pytest.fixture
def declared(cast, own_record):
    declaration_declare(actor=actor(cast.staff), case=cast.case, none_to_report=False)
    return own_record


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_form_download_asks_for_the_password_first(cast, declared, client, fmt):
    login_as(client, cast.head, reauthenticated=False)
    url = reverse(f"declarations:form_{fmt}", args=[cast.case.id])
    response = client.get(url)
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("accounts:reauth")
    assert SECRET_CONTENT.encode() not in response.content


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_after_reauthentication_the_form_downloads(cast, declared, client, fmt):
    login_as(client, cast.head, reauthenticated=False)
    url = reverse(f"declarations:form_{fmt}", args=[cast.case.id])
    response = client.post(reverse("accounts:reauth"), {"password": PASSWORD, "next": url})
    assert response["Location"] == url
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_a_wrong_password_gets_no_form(cast, declared, client):
    login_as(client, cast.head, reauthenticated=False)
    url = reverse("declarations:form_pdf", args=[cast.case.id])
    client.post(reverse("accounts:reauth"), {"password": "not-it", "next": url})
    assert client.get(url).status_code == 302
