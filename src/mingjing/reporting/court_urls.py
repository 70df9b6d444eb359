from django.urls import path  # noqa: F401

app_name = "court_reporting"
urlpatterns: list = []
