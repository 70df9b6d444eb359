from django.urls import path

from mingjing.org import views

app_name = "org"
urlpatterns = [
    path("role-grants/", views.grant_list, name="grant_list"),
    path("role-grants/<int:grant_id>/", views.grant_detail, name="grant_detail"),
]
