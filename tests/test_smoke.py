from django.urls import reverse


def test_home_shows_staff_their_tasks(cast, login):
    client = login(cast.staff)
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    assert "我的待办" in response.content.decode()


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
