from django.urls import path

from mingjing.records import views

app_name = "records"
urlpatterns = [
    path("", views.record_list, name="list"),
    path("<int:record_id>/", views.record_detail, name="detail"),
    path("<int:record_id>/receipt.json", views.record_receipt, name="receipt"),
]
