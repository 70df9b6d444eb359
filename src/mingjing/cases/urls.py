from django.urls import path

from mingjing.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.search, name="search"),
    path("<int:case_id>/", views.detail, name="detail"),
]
