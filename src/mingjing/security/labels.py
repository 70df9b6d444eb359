"""The label a model's rows are known by in stored data: sealed bindings and audit references.

Both are part of what the database holds (a sealed value opens only with the binding it was
sealed under; audit events name their object by label), so a model that moves to another app
keeps the label it had: issue 9.3 moved Screening to oversight and CaseDeclaration to
declarations, with their tables (`db_table`) and their rows untouched.
"""

from typing import Any

# Model label now -> label its rows were stored under.
_STORED = {
    "oversight.Screening": "records.Screening",
    "declarations.CaseDeclaration": "records.CaseDeclaration",
}
_STORED_LOWER = {now.lower(): then.lower() for now, then in _STORED.items()}


def stored_label(model: Any) -> str:
    """`model._meta.label` ("app.Model"), as the rows of a moved model were stored."""
    label: str = model._meta.label
    return _STORED.get(label, label)


def stored_label_lower(model: Any) -> str:
    """`model._meta.label_lower`, as the rows of a moved model were stored."""
    label: str = model._meta.label_lower
    return _STORED_LOWER.get(label, label)
