"""Reading an API request body: one JSON object, or a Chinese reason why not.

api.v1 reads every body with `parse_object`, refusing before any schema looks at it: what
is not UTF-8 JSON, what is not an object, nesting deeper than MAX_DEPTH (a deeply nested body
must not reach Python's recursion limit), integers beyond 64 bits, NUL characters (refused on
the web too) and lone surrogates in any string or key.
"""

import json

MAX_DEPTH = 20
MAX_INT = 2**63 - 1
NOT_AN_OBJECT = "请求体必须是 JSON 对象。"
TOO_DEEP = f"请求体嵌套过深（最多 {MAX_DEPTH} 层）。"
NUL_REFUSED = "文本中不能含有空字符（\\u0000）。"
INT_TOO_BIG = "整数超出范围。"
BAD_UNICODE = "文本中含有无效的 Unicode 字符。"


class BodyError(ValueError):
    """A request body the API refuses; `message` is the Chinese reason (answered with 400)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _raw_depth(text: str) -> int:
    """Deepest bracket nesting outside strings, found without recursion."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def check_value(value) -> None:
    """BodyError if any string or key holds NUL or any integer exceeds 64 bits."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise BodyError(NUL_REFUSED)
            if not item.isascii():
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError as exc:  # a lone surrogate such as "\ud800"
                    raise BodyError(BAD_UNICODE) from exc
        elif isinstance(item, bool):
            continue
        elif isinstance(item, int):
            if abs(item) > MAX_INT:
                raise BodyError(INT_TOO_BIG)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def parse_object(raw: bytes) -> dict:
    """The JSON object in `raw` (an empty body is `{}`), or BodyError."""
    try:
        text = raw.decode("utf-8") if raw else "{}"
    except UnicodeDecodeError as exc:
        raise BodyError("请求体必须是 UTF-8 编码的 JSON 对象。") from exc
    if _raw_depth(text) > MAX_DEPTH:
        raise BodyError(TOO_DEEP)
    try:
        body = json.loads(text, parse_constant=_no_constant)
    except RecursionError as exc:  # pragma: no cover - the depth check comes first
        raise BodyError(TOO_DEEP) from exc
    except ValueError as exc:
        raise BodyError(NOT_AN_OBJECT) from exc
    if not isinstance(body, dict):
        raise BodyError(NOT_AN_OBJECT)
    check_value(body)
    return body


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")
