"""Every /api/v1 answer a test receives is checked against the generated OpenAPI document, as
zulip's validate_against_openapi_schema does: the status must be documented for the operation
and the body must match its schema, with no property the schema does not name."""

import copy
import functools
import json
import re

import jsonschema

API = "/api/v1/"


class ContractError(AssertionError):
    """An API answer the OpenAPI document does not describe."""


@functools.cache
def _document() -> dict:
    from mingjing.api.v1 import openapi_document

    document = copy.deepcopy(openapi_document())
    for schema in document["components"]["schemas"].values():
        _closed(schema)
    return document


def _closed(schema) -> None:
    """Objects admit only the properties they name, unless they say otherwise."""
    if isinstance(schema, dict):
        if "properties" in schema:
            schema.setdefault("additionalProperties", False)
        for value in schema.values():
            _closed(value)
    elif isinstance(schema, list):
        for value in schema:
            _closed(value)


@functools.cache
def _templates() -> list[tuple[re.Pattern, str]]:
    return [
        (re.compile("^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(path)) + "$"), path)
        for path in _document()["paths"]
    ]


def _operation(method: str, path: str) -> dict | None:
    for pattern, template in _templates():
        if pattern.match(path):
            return _document()["paths"][template].get(method.lower(), {})
    return None


def _error_schema() -> dict:
    return {"$ref": "#/components/schemas/Error"}


def _response_schema(method: str, path: str, status: int) -> dict:
    operation = _operation(method, path)
    if operation is None:
        _expect(status == 404, f"{path} is not in the OpenAPI document but answered {status}")
        return _error_schema()
    if not operation:
        _expect(status == 405, f"{method} {path} is not documented but answered {status}")
        return _error_schema()
    responses = operation["responses"]
    _expect(str(status) in responses, f"{method} {path}: status {status} is not documented")
    content = responses[str(status)].get("content", {})
    return content.get("application/json", {}).get("schema", {})


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise ContractError(message)


def validate_against_openapi_schema(method: str, path: str, status: int, content: bytes) -> None:
    """ContractError unless the answer is documented JSON of the documented shape."""
    schema = _response_schema(method, path, status)
    try:
        body = json.loads(content)
    except ValueError as exc:
        raise ContractError(f"{method} {path} answered {status} without JSON") from exc
    root = {**schema, "components": _document()["components"]}
    try:
        jsonschema.Draft202012Validator(root).validate(body)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(part) for part in exc.absolute_path)
        raise ContractError(f"{method} {path} → {status}: {where}: {exc.message}") from exc


def checked(request):
    """Client.request, checking each /api/v1 answer against the OpenAPI document."""

    @functools.wraps(request)
    def wrapper(self, **environ):
        response = request(self, **environ)
        path = environ.get("PATH_INFO", "")
        if path.startswith(API) and not getattr(response, "streaming", False):
            method = environ.get("REQUEST_METHOD", "GET")
            validate_against_openapi_schema(method, path, response.status_code, response.content)
        return response

    wrapper.openapi_checked = True
    return wrapper
