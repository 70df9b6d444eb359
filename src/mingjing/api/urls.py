from mingjing.api.v1 import api

app_name = "api"
# Ninja's own root page is left out: /api/v1/ answers 404 like any unknown path.
urlpatterns = [entry for entry in api.urls[0] if getattr(entry, "name", None) != "api-root"]
