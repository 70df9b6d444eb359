from django.urls import path

from mingjing.records import views

app_name = "records"
urlpatterns = [
    path("", views.record_list, name="list"),
    path("new/", views.record_new, name="new"),
    path("late/", views.late_reports, name="late"),
    path("<int:record_id>/", views.record_detail, name="detail"),
    path("<int:record_id>/edit/", views.record_edit, name="edit"),
    path("<int:record_id>/confirm/", views.record_confirm, name="confirm"),
    path("<int:record_id>/amend/", views.record_amend, name="amend"),
    path("<int:record_id>/receipt.json", views.record_receipt, name="receipt"),
    path("<int:record_id>/receipt/", views.record_receipt_page, name="receipt_page"),
    path("<int:record_id>/receipt.pdf", views.record_receipt_pdf, name="receipt_pdf"),
    path(
        "<int:record_id>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "<int:record_id>/attachments/<int:attachment_id>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
]
