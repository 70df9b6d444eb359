from django.urls import path

from mingjing.notify import views

app_name = "notify"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read-all/", views.notification_read_all, name="read_all"),
    path("unread-count/", views.notification_unread_count, name="unread_count"),
    path("<int:notification_id>/open/", views.notification_open, name="open"),
]
