from django.urls import path

from mingjing.oversight import screening_views, views

app_name = "oversight"
urlpatterns = [
    path("disclosures/", views.disclosure_list, name="disclosure_list"),
    path("disclosures/new/", views.disclosure_new, name="disclosure_new"),
    path("disclosures/<int:disclosure_id>/", views.disclosure_detail, name="disclosure_detail"),
    path(
        "disclosures/<int:disclosure_id>/revoke/",
        views.disclosure_revoke,
        name="disclosure_revoke",
    ),
    path("screening/", screening_views.screening_queue, name="screening_queue"),
    path(
        "screening/<int:record_id>/",
        screening_views.screening_detail,
        name="screening_detail",
    ),
]
