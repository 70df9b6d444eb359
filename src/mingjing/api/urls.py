from django.urls import path

from mingjing.api import declarations, records, reports, views

app_name = "api"
urlpatterns = [
    path("auth/token", views.auth_token, name="auth_token"),
    path("me", views.whoami, name="me"),
    path("cases", views.cases, name="cases"),
    path("cases/<int:case_id>", views.case, name="case"),
    path("openapi.json", views.openapi, name="openapi"),
    *records.urlpatterns,
    *declarations.urlpatterns,
    *reports.urlpatterns,
]
