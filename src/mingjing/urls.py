from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("mingjing.web.urls")),
    path("accounts/", include("mingjing.security.authn_urls")),
    path("cases/", include("mingjing.cases.urls")),
    path("records/", include("mingjing.records.urls")),
    path("declarations/", include("mingjing.declarations.urls")),
    path("special-reports/", include("mingjing.records.special_urls")),
    path("reports/", include("mingjing.reporting.urls")),
    path("reports/court/", include("mingjing.reporting.court_urls")),
    path("notifications/", include("mingjing.notify.urls")),
    path("oversight/", include("mingjing.oversight.urls")),
    path("org/", include("mingjing.web.org_urls")),
    path("security/", include("mingjing.security.urls")),
    path("api/v1/", include("mingjing.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler400 = "mingjing.web.views.bad_request"
handler403 = "mingjing.web.views.forbidden"
handler404 = "mingjing.web.views.not_found"
handler500 = "mingjing.web.views.server_error"
