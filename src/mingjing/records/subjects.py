"""Who a record names as its subject, however the recorder named him (DESIGN.md section 3).

A subject may be picked from the court's people or typed as free text. Both count: the typed
name's blind index is kept beside the picked person's, and named-subject exclusion matches a
viewer's own name and person indexes against every one of them (`policy.is_named_subject`).
A homonym who is not the subject loses sight of the record too: the cheaper error, since the
review he would have done moves up (docs/threat-model.md).
"""

from collections.abc import Iterable
from typing import Any

from mingjing.org.models import Court, Person
from mingjing.records.models import Record
from mingjing.security.sealing import blind_index, normalise_name


def join_indexes(indexes: Iterable[str]) -> str:
    """The stored form of a set of indexes: " i1 i2 " (each found by " i ")."""
    kept = sorted({index for index in indexes if index})
    return f" {' '.join(kept)} " if kept else ""


def record_named_indexes(
    court: Court, *, name: str, person: Person | None, amendment_indexes: Iterable[str] = ()
) -> str:
    """Every index that names someone as the subject: picked person, typed name, amendments."""
    indexes = [blind_index(court, name, kind="name"), *amendment_indexes]
    if person is not None:
        indexes.append(blind_index(court, str(person.id), kind="person"))
        indexes.append(blind_index(court, person.name, kind="name"))
    return join_indexes(indexes)


def add_named_index(record: Record, index: str) -> None:
    """Add one more index (a name given in an amendment) to a record, in place and saved."""
    current = record.named_indexes.split()
    record.named_indexes = join_indexes([*current, index])
    Record.objects.filter(pk=record.pk).update(named_indexes=record.named_indexes)


def colleagues_named(court: Court, name: str) -> list[Person]:
    """The court's people (serving or not) whose name matches `name` once normalised."""
    wanted = normalise_name(name)
    if not wanted:
        return []
    people = Person.objects.filter(court=court).values_list("id", "name")
    ids = [pk for pk, person_name in people if normalise_name(person_name) == wanted]
    return list(Person.objects.filter(pk__in=ids).select_related("department").order_by("id"))


def reindex_records(batch: int = 500) -> int:
    """Recompute every record's subject indexes from its sealed contents and amendments.

    Run by migration records 0003 (existing records, typed subjects) and safe to run again.
    Reads only the columns it needs and writes with update(), so it keeps working after
    later migrations add columns.
    """
    from mingjing.records.models import Amendment

    done = 0
    records = Record.objects.select_related("court").only("id", "court", "sealed")
    for record in records.iterator(chunk_size=batch):
        contents = _open_json(record.court, Record, record.pk, record.sealed, "record")
        person_id = contents.get("subject_person_id")
        person = Person.objects.filter(pk=person_id).first() if person_id is not None else None
        extra = [
            blind_index(record.court, _amendment_name(record.court, pk, sealed), kind="name")
            for pk, sealed in Amendment.objects.filter(record_id=record.id).values_list(
                "id", "sealed"
            )
        ]
        name = contents.get("subject_name", "")
        Record.objects.filter(pk=record.pk).update(
            subject_name_index=blind_index(record.court, name, kind="name"),
            named_indexes=record_named_indexes(
                record.court, name=name, person=person, amendment_indexes=extra
            ),
        )
        done += 1
    return done


def _amendment_name(court: Court, pk: int, sealed: bytes | memoryview) -> str:
    from mingjing.records.models import Amendment

    return str(_open_json(court, Amendment, pk, sealed, "amendment").get("subject_name", ""))


def _open_json(
    court: Court, model: Any, pk: int, sealed: bytes | memoryview, purpose: str
) -> dict[str, Any]:
    """Contents bound to their row; under migration 0003, which runs before records 0004
    re-seals them, blobs may still predate the row binding (indexes only, never shown)."""
    from mingjing.security.sealing import (
        is_unbound,
        row_binding,
        unseal_json,
        unseal_json_unbound,
    )

    if is_unbound(sealed):
        return unseal_json_unbound(court, sealed, purpose=purpose)
    return unseal_json(court, sealed, purpose=purpose, bind=row_binding(model, pk, "sealed"))
