"""The notification list: one's own only, unread first, mark read, unread count."""

from django.urls import reverse

from mingjing.notify.context_processors import unread_notifications
from mingjing.notify.models import Notification
from mingjing.notify.services import notify
from tests.conftest import login_as


def _note(user, key: str, url: str = "/records/") -> Notification:
    return notify(user=user, key=key, kind="test", title=f"通知{key}", url=url)[0]


def test_each_user_sees_only_his_own(cast, client):
    _note(cast.staff, "mine")
    _note(cast.staff2, "theirs")
    login_as(client, cast.staff)
    page = client.get(reverse("notify:list")).content.decode()
    assert "通知mine" in page and "通知theirs" not in page


def test_unread_come_first(cast, client):
    old = _note(cast.staff, "old")
    _note(cast.staff, "new")
    Notification.objects.filter(key="new").update(read_at=old.created_at)
    login_as(client, cast.staff)
    page = client.get(reverse("notify:list")).content.decode()
    assert page.index("通知old") < page.index("通知new")


def test_another_users_notification_is_not_found(cast, client):
    theirs = _note(cast.staff2, "theirs")
    login_as(client, cast.staff)
    response = client.post(reverse("notify:open", args=[theirs.id]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_marks_read_and_follows_the_link(cast, client):
    note = _note(cast.staff, "go", url="/records/")
    login_as(client, cast.staff)
    response = client.post(reverse("notify:open", args=[note.id]))
    assert response.status_code == 302 and response["Location"] == "/records/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_an_outside_link_is_not_followed(cast, client):
    note = _note(cast.staff, "evil", url="https://evil.example/")
    login_as(client, cast.staff)
    response = client.post(reverse("notify:open", args=[note.id]))
    assert response["Location"] == reverse("notify:list")


def test_unread_count_and_mark_all_read(cast, client, rf):
    _note(cast.staff, "a")
    _note(cast.staff, "b")
    _note(cast.staff2, "c")
    login_as(client, cast.staff)
    assert client.get(reverse("notify:unread_count")).json() == {"unread": 2}
    request = rf.get("/")
    request.user = cast.staff
    assert unread_notifications(request) == {"unread_notifications": 2}
    client.post(reverse("notify:read_all"))
    assert client.get(reverse("notify:unread_count")).json() == {"unread": 0}
    assert Notification.objects.get(key="c").read_at is None


def test_notify_is_idempotent(cast):
    first, created = notify(user=cast.staff, key="k", kind="test", title="一")
    again, created_again = notify(user=cast.staff, key="k", kind="test", title="二")
    assert created and not created_again and first.id == again.id
    assert again.title == "一"
