"""API endpoints for monthly reports. Exposes `urlpatterns`, `OPENAPI_PATHS` and
`OPENAPI_SCHEMAS`, merged by mingjing.api.urls and mingjing.api.openapi."""

urlpatterns: list = []
OPENAPI_PATHS: dict = {}
OPENAPI_SCHEMAS: dict = {}
