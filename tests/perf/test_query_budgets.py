"""Query budgets: each page a user opens every day makes at most so many SQL queries, and
that number does not grow with the records on it. Timing stays in bench/bench_pages.py;
these fail CI on a regression (an N+1, a lost select_related, a per-request lookup).

Budgets are a little above what was measured when they were set (the measured count is in
the comment beside each): a page may lose queries freely, but one that gains them must
either be fixed or raise its budget here, on purpose.
"""

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mingjing.security.authn import api_token_create
from tests.conftest import SECRET_CONTENT, login_as, make_record


@dataclass(frozen=True)
class Budget:
    user: str
    url: str
    budget: int
    shows: str  # text the page must show (so that a 200 is the real page)


def _pages(cast, record) -> dict[str, Budget]:
    civil, department = cast.departments["civil"].pk, cast.departments["civil"].name
    return {
        # Measured when set (SQLite, this cast, one record): home 16, record form 7, my records
        # 10, record detail 19, department month 17, court month 16, compliance 11; each
        # budget is that plus three.
        "home": Budget("staff", reverse("web:home"), 19, "我的待办"),
        "record form": Budget("staff", reverse("records:new"), 10, "<form"),
        "my records": Budget("staff", reverse("records:list"), 13, "<table"),
        "record detail": Budget(
            "staff", reverse("records:detail", args=[record.pk]), 22, SECRET_CONTENT
        ),
        "department month": Budget(
            "head", reverse("reporting:department", args=[civil]), 20, department
        ),
        "court month": Budget("custodian", reverse("court_reporting:month"), 19, "<table"),
        "compliance": Budget("custodian", reverse("court_reporting:compliance"), 14, "<table"),
    }


PAGES = [
    "home",
    "record form",
    "my records",
    "record detail",
    "department month",
    "court month",
    "compliance",
]


def _count(client, url: str) -> tuple[int, str]:
    client.get(url)  # the first request may renew the session; the budget is for the next
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response.content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_each_page_stays_within_its_query_budget(page, cast, client, django_assert_max_num_queries):
    record = make_record(cast.people["staff"], case=cast.case)
    budget = _pages(cast, record)[page]
    login_as(client, cast.users[budget.user])
    client.get(budget.url)
    with django_assert_max_num_queries(budget.budget):
        response = client.get(budget.url)
    assert response.status_code == 200
    assert budget.shows in response.content.decode()


@pytest.mark.parametrize("page", ["home", "my records", "department month", "court month"])
def test_the_query_count_does_not_grow_with_the_records(page, cast, client):
    record = make_record(cast.people["staff"], case=cast.case)
    budget = _pages(cast, record)[page]
    login_as(client, cast.users[budget.user])
    few, _ = _count(client, budget.url)
    for _ in range(8):
        make_record(cast.people["staff"], case=cast.case)
        make_record(cast.people["staff2"])
    many, text = _count(client, budget.url)
    assert many == few, f"{page}: {few} queries with one record, {many} with seventeen"
    assert budget.shows in text


def test_the_api_records_list_stays_within_its_budget(cast, client, django_assert_max_num_queries):
    for _ in range(5):
        make_record(cast.people["staff"], case=cast.case)
    _, secret = api_token_create(user=cast.users["staff"], name="budget")
    url = "/api/v1/records"
    headers = {"Authorization": f"Bearer {secret}"}
    client.get(url, headers=headers)
    with django_assert_max_num_queries(11):  # measured when set: 8
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    assert len(response.json()["results"]) == 5
