"""What the API accepts beyond a record's fields: the request schemas (api.schemas) validate
with these, and the OpenAPI document (api.v1) is generated from those schemas."""

# A record's fields (texts, case numbers, amendments) follow records/rules.py, which the web
# form reads too.

# Years 2000–2099, months 01–12.
MONTH_PATTERN = r"^20\d{2}-(0[1-9]|1[0-2])$"
# `?number=` on the case lookups: longer input is cut to this many characters.
NUMBER_QUERY_CHARS = 60
