"""/reports/court/: the inspection office's and the president's pages, and compliance."""

from django.urls import path

from mingjing.reporting import court_views as views

app_name = "court_reporting"
urlpatterns = [
    path("", views.month, name="month"),
    path("departments/<int:department_id>/", views.department_month, name="department_month"),
    path("remind/", views.remind, name="remind"),
    path("assemble/", views.assemble, name="assemble"),
    path("<int:report_id>/review/", views.review, name="review"),
    path("compliance/", views.court_compliance, name="compliance"),
    path("compliance/export/", views.court_compliance_xlsx, name="compliance_xlsx"),
    path(
        "compliance/departments/<int:department_id>/",
        views.department_compliance,
        name="department_compliance",
    ),
    path(
        "compliance/departments/<int:department_id>/export/",
        views.department_compliance_xlsx,
        name="department_compliance_xlsx",
    ),
]
