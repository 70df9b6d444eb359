from django.urls import path

from mingjing.web import org_views as views

app_name = "org"
urlpatterns = [
    path("role-grants/", views.grant_list, name="grant_list"),
    path("role-grants/<int:grant_id>/", views.grant_detail, name="grant_detail"),
]
