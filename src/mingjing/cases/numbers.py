"""Case numbers (案号) such as （2026）豫9001民初123号: validation and normalisation."""

import re
import unicodedata

from django.core.exceptions import ValidationError

_PATTERN = re.compile(
    r"^（(?P<year>(19|20)\d{2})）"  # （2026）
    r"(?P<court>[\u4e00-\u9fff]{1,3}\d{0,4})"  # 豫9001, 最高法
    r"(?P<kind>[\u4e00-\u9fff]{1,6})"  # 民初, 刑终, 执保
    r"(?P<seq>\d{1,6})号$"
)
_BRACKETS = str.maketrans({"(": "（", ")": "）", "〔": "（", "〕": "）", "[": "（", "]": "）"})


def normalise_case_number(raw: str) -> str:
    """Full-width brackets, half-width digits, no spaces; a leading-zero sequence kept as is."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = "".join(text.split()).translate(_BRACKETS)
    return text


def parse_case_number(raw: str) -> dict[str, str]:
    """The parts of a valid case number, or a ValidationError with a Chinese message."""
    number = normalise_case_number(raw)
    if not number:
        raise ValidationError("案号不能为空。")
    match = _PATTERN.match(number)
    if not match:
        raise ValidationError(
            "案号格式不正确：%(value)s（应如“（2026）豫9001民初123号”）",
            params={"value": raw},
            code="invalid_case_number",
        )
    return {"number": number, **match.groupdict()}


def validate_case_number(raw: str) -> str:
    return parse_case_number(raw)["number"]


# The short form people type: the kind and sequence, with or without the year and 号, as in
# 民初123, 民初123号, 2026民初123, （2026）民初123号. Without the court code (豫9001): the
# court is the reader's own. One parser for the search box, the forms and the API.
_SHORT = re.compile(
    r"^(?:（?(?P<year>(19|20)\d{2})）?)?"
    r"(?P<kind>[\u4e00-\u9fff]{1,6})"
    r"(?P<seq>\d{1,6})号?$"
)


def parse_short_case_number(raw: str) -> dict[str, str] | None:
    """The parts of a short case number (year may be ''), or None when it is not one."""
    match = _SHORT.match(normalise_case_number(raw))
    if not match:
        return None
    return {"year": match["year"] or "", "kind": match["kind"], "seq": match["seq"]}
