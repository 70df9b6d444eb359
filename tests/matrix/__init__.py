"""The permission matrix, one module per area; each defines WEB and API dicts (GET) and
WEB_POST and API_POST dicts (writes, see helpers.Write).

`tests/test_permission_matrix.py` merges every module listed in MODULES and fails when a URL
pattern has no entry, or takes POST and has no write row. Role sets live in roles.py.
"""

import importlib
import pkgutil

MODULES = sorted(
    name for _, name, _ in pkgutil.iter_modules(__path__) if name not in {"helpers", "roles"}
)


def merged(kind: str) -> dict:
    result: dict = {}
    for name in MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        entries = getattr(module, kind, {})
        overlap = set(result) & set(entries)
        assert not overlap, f"URL names listed twice in the matrix: {overlap}"
        result.update(entries)
    return result
