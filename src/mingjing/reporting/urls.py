from django.urls import path

from mingjing.reporting import views

app_name = "reporting"
urlpatterns = [
    path("mine/", views.personal_month, name="personal"),
    path("mine/submit/", views.personal_submit, name="personal_submit"),
    path("mine/confirm/", views.personal_confirm, name="personal_confirm"),
    path("mine/direct/", views.personal_direct, name="personal_direct"),
    path("departments/", views.department_overview, name="departments"),
    path("departments/<int:department_id>/", views.department_month, name="department"),
    path(
        "departments/<int:department_id>/submit/",
        views.department_submit,
        name="department_submit",
    ),
    path("departments/<int:department_id>/nudge/", views.department_nudge, name="department_nudge"),
    path("review/<int:report_id>/", views.report_review, name="review"),
]
