"""一案一表 pages, at /declarations/."""

from django.urls import path

from mingjing.declarations import views

app_name = "declarations"
urlpatterns = [
    path("cases/<int:case_id>/declare/", views.declare, name="declare"),
    path("cases/<int:case_id>/bind/", views.bind, name="bind"),
    path("cases/<int:case_id>/form.pdf", views.form_pdf, name="form_pdf"),
    path("cases/<int:case_id>/form.docx", views.form_docx, name="form_docx"),
    path(
        "cases/<int:case_id>/handlers/<int:person_id>/form.pdf",
        views.binding_pdf,
        name="binding_pdf",
    ),
    path(
        "cases/<int:case_id>/handlers/<int:person_id>/form.docx",
        views.binding_docx,
        name="binding_docx",
    ),
    path("cases/<int:case_id>/close-check/", views.close_check, name="close_check"),
    path("report/", views.report, name="report"),
    path("report.xlsx", views.report_xlsx, name="report_xlsx"),
]
