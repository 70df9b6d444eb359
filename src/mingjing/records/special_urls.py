from django.urls import path

from mingjing.records import special_views as views

app_name = "special"
urlpatterns = [
    path("", views.special_list, name="list"),
    path("new/<str:kind>/", views.special_new, name="new"),
    path("overview/", views.special_overview, name="overview"),
    path("relatives/", views.special_relatives, name="relatives"),
    path("<int:report_id>/", views.special_detail, name="detail"),
    path("<int:report_id>/edit/", views.special_edit, name="edit"),
    path("<int:report_id>/submit/", views.special_submit, name="submit"),
    path("<int:report_id>/receipt.json", views.special_receipt, name="receipt"),
]
