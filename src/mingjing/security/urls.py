from django.urls import path

from mingjing.security import views

app_name = "security"
urlpatterns = [
    path("receipts/verify/", views.receipt_verify, name="receipt_verify"),
    path("keys/<str:court_code>.pem", views.public_keys, name="public_keys"),
]
