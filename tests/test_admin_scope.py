"""The admin in Chinese, scoped to the sysadmin's own court (issue 10 point 12): lists,
choices and object pages; another court's object answers 404. As the sysadmin of the basic
court and of the higher court."""

import re

import pytest
from django.urls import reverse

from mingjing.accounts.models import User
from mingjing.org.models import Department, Person
from mingjing.org.roles import Role
from tests.conftest import PASSWORD, grant_role, login_as


@pytest.fixture
def higher_sysadmin(cast):
    user = User.objects.create_user(username="h_sysadmin", password=PASSWORD, is_staff=True)
    person = Person.objects.create(
        court=cast.courts["h"], staff_no="H0001", name="中院系统管理员", user=user
    )
    grant_role(person, Role.SYSADMIN)
    return user


@pytest.fixture
def higher_people(cast):
    office = Department.objects.create(court=cast.courts["h"], code="DC", name="中院督察室")
    return Person.objects.create(
        court=cast.courts["h"], staff_no="H0002", name="中院督察员", department=office
    )


def page(client, name, *args, **query) -> str:
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200, (name, response.status_code)
    return response.content.decode()


def test_the_admin_speaks_chinese(cast, client):
    login_as(client, cast.sysadmin)
    html = page(client, "admin:index")
    assert "明镜 系统管理" in html and "模型名称" in html and "添加链接" in html
    for english in ("Model name", "Add link", "Change or view list link", "Site administration"):
        assert english not in html, english
    people = page(client, "admin:org_person_changelist")
    assert "人员" in people and "Select" not in people


def test_the_basic_courts_sysadmin_sees_only_his_court(cast, client, higher_people):
    login_as(client, cast.sysadmin)
    people = page(client, "admin:org_person_changelist")
    assert "测试staff" in people and "测试other_court" not in people
    assert "测试supervisor" not in people and "中院督察员" not in people
    departments = page(client, "admin:org_department_changelist")
    assert "刑事审判庭" in departments and "中院督察室" not in departments
    assert departments.count(">民事审判第一庭<") == 1  # court B's namesake is not listed
    cases = page(client, "admin:cases_case_changelist")
    assert cast.case.number in cases and cast.other_case.number not in cases
    courts = page(client, "admin:org_court_changelist")
    assert "济源市人民法院（测试）" in courts and "邻县人民法院（测试）" not in courts
    accounts = page(client, "admin:accounts_user_changelist")
    assert (
        ">staff<" in accounts and ">other_court<" not in accounts and ">supervisor<" not in accounts
    )


@pytest.mark.parametrize(
    "name, key",
    [
        ("admin:org_person_change", lambda c, h: c.people["other_court"].pk),
        ("admin:org_person_change", lambda c, h: h.pk),
        ("admin:org_person_delete", lambda c, h: c.people["supervisor"].pk),
        ("admin:org_person_history", lambda c, h: c.people["other_court"].pk),
        ("admin:org_department_change", lambda c, h: c.departments["civil_b"].pk),
        ("admin:cases_case_change", lambda c, h: c.other_case.pk),
        ("admin:org_court_change", lambda c, h: c.courts["h"].pk),
        ("admin:accounts_user_change", lambda c, h: c.other_court.pk),
    ],
)
def test_another_courts_object_answers_404(cast, client, higher_people, name, key):
    login_as(client, cast.sysadmin)
    url = reverse(name, args=[key(cast, higher_people)])
    assert client.get(url).status_code == 404
    assert client.post(url, {"post": "yes"}).status_code == 404
    assert Person.objects.filter(pk=cast.people["supervisor"].pk).exists()


def test_his_own_courts_objects_open(cast, client):
    login_as(client, cast.sysadmin)
    html = page(client, "admin:org_person_change", cast.people["staff"].pk)
    assert "测试staff" in html


def choices(html: str, name: str) -> set[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    return set(re.findall(r"<option[^>]*>([^<]+)</option>", select.group(1))) - {"---------"}


def test_form_choices_are_his_courts_only(cast, client, higher_people):
    login_as(client, cast.sysadmin)
    html = page(client, "admin:org_person_add")
    assert choices(html, "court") == {"济源市人民法院（测试）"}
    departments = choices(html, "department")
    assert "刑事审判庭" in departments and "中院督察室" not in departments
    assert len([d for d in departments if d.startswith("民事审判第一庭")]) == 1
    case_form = page(client, "admin:cases_case_add")
    assert choices(case_form, "court") == {"济源市人民法院（测试）"}


def test_a_person_cannot_be_put_in_another_court_by_a_forged_post(cast, client):
    login_as(client, cast.sysadmin)
    data = {
        "court": cast.courts["b"].pk,
        "staff_no": "X9",
        "name": "伪造",
        "status": "serving",
        "roleassignment_set-TOTAL_FORMS": "0",
        "roleassignment_set-INITIAL_FORMS": "0",
        "roles-TOTAL_FORMS": "0",
        "roles-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:org_person_add"), data)
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert not Person.objects.filter(name="伪造").exists()


def test_the_higher_courts_sysadmin_sees_only_the_higher_court(
    cast, client, higher_sysadmin, higher_people
):
    login_as(client, higher_sysadmin)
    people = page(client, "admin:org_person_changelist")
    assert "中院督察员" in people and "测试supervisor" in people
    assert "测试staff" not in people and "测试other_court" not in people
    assert cast.case.number not in page(client, "admin:cases_case_changelist")
    courts = page(client, "admin:org_court_changelist")
    assert "济源中级人民法院（测试）" in courts and "济源市人民法院（测试）" not in courts
    url = reverse("admin:org_person_change", args=[cast.people["staff"].pk])
    assert client.get(url).status_code == 404
    html = page(client, "admin:org_person_add")
    assert choices(html, "court") == {"济源中级人民法院（测试）"}
