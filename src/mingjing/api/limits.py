"""What the API accepts, in one place: the request schemas (api.schemas) validate with these,
and the OpenAPI document (api.v1) is generated from those schemas."""

# Text fields of a record (characters).
TEXT_FIELDS = {
    "subject_name": 100,
    "subject_unit": 200,
    "subject_position": 100,
    "subject_contact": 100,
    "place": 200,
    "content": 5000,
    "handling": 5000,
    "late_reason": 2000,
}
MAX_CASE_NUMBERS = 50
CASE_NUMBER_CHARS = 60
AMENDMENT_FIELDS = {"reason": 5000, "correction": 5000, "subject_name": 100}
# Years 2000–2099, months 01–12.
MONTH_PATTERN = r"^20\d{2}-(0[1-9]|1[0-2])$"
# `?number=` on the case lookups: longer input is cut to this many characters.
NUMBER_QUERY_CHARS = 60
