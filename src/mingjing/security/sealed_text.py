"""Free text kept sealed in a model's BinaryField, read and written like a plain attribute.

    class Record(SealedTextModel):
        sealed_late_reason = models.BinaryField(blank=True, default=b"")
        late_reason = SealedText("sealed_late_reason", purpose="late-reason")

`record.late_reason` opens the column (bound to the row's court, the purpose, the row and the
column: see sealing.py) and caches the text; a value copied from another row or column raises
SealError, which the web answers with a Chinese error page (security/middleware.py), never
the other row's text. Assigning on a saved row seals at once into the column (so a
conditional UPDATE of the row's columns writes it too); on a new row the text waits until
`save()`, which inserts the row with the column empty, then seals and writes it, in one
transaction (the binding needs the primary key). `save(update_fields=[...])` accepts the
attribute's name for its column. An empty text is stored as an empty column. Rows must have
a `court`.
"""

from typing import Any

from django.db import models, transaction

_CACHE = "_sealed_text_cache"
_PENDING = "_sealed_text_pending"


class SealedText(property):
    """A model attribute whose text lives sealed in the BinaryField `column`."""

    def __init__(self, column: str, *, purpose: str) -> None:
        self.column = column
        self.purpose = purpose
        self.name = column
        super().__init__(self._get, self._set)

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def _get(self, instance: Any) -> str:
        pending = instance.__dict__.get(_PENDING, {})
        if self.name in pending:
            return str(pending[self.name])
        blob = getattr(instance, self.column)
        key = bytes(blob) if blob is not None else b""
        cached = instance.__dict__.get(_CACHE, {}).get(self.name)
        if cached is not None and cached[0] == key:
            return str(cached[1])
        text = self.open(instance, key)
        instance.__dict__.setdefault(_CACHE, {})[self.name] = (key, text)
        return text

    def _set(self, instance: Any, value: object) -> None:
        text = str(value or "")
        if instance.pk is None or instance._state.adding:
            instance.__dict__.setdefault(_PENDING, {})[self.name] = text
            return
        # A saved row: sealed at once, so that any way of writing the row (save(), an
        # UPDATE of its columns) writes the sealed column.
        blob = self.seal(instance, text)
        setattr(instance, self.column, blob)
        instance.__dict__.setdefault(_CACHE, {})[self.name] = (blob, text)
        instance.__dict__.get(_PENDING, {}).pop(self.name, None)

    def open(self, instance: Any, blob: bytes) -> str:
        from mingjing.security.sealing import binding, unseal_text

        if not blob:
            return ""
        bind = binding(instance, self.column)
        return unseal_text(instance.court, blob, purpose=self.purpose, bind=bind)

    def seal(self, instance: Any, text: str) -> bytes:
        from mingjing.security.sealing import binding, seal_text

        bind = binding(instance, self.column)
        return seal_text(instance.court, text, purpose=self.purpose, bind=bind)


def sealed_texts(model: type) -> dict[str, SealedText]:
    """Attribute name -> SealedText of a model class."""
    found: dict[str, SealedText] = {}
    for klass in reversed(model.__mro__):
        for name, value in vars(klass).items():
            if isinstance(value, SealedText):
                found[name] = value
    return found


class SealedTextModel(models.Model):
    """Base of models with `SealedText` attributes: seals pending texts on save."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        texts = sealed_texts(type(self))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = [
                texts[name].column if name in texts else name for name in update_fields
            ]
        pending = self.__dict__.get(_PENDING)
        if not pending:
            return super().save(*args, **kwargs)
        with transaction.atomic(using=kwargs.get("using")):
            if self._state.adding or self.pk is None:
                for name in pending:
                    setattr(self, texts[name].column, b"")
                super().save(*args, **kwargs)
                sealed = {column: getattr(self, column) for column in self._seal_pending(texts)}
                manager = type(self)._base_manager.using(kwargs.get("using") or self._state.db)
                manager.filter(pk=self.pk).update(**sealed)
                return None
            columns = self._seal_pending(texts)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = list(dict.fromkeys([*kwargs["update_fields"], *columns]))
            return super().save(*args, **kwargs)

    def _seal_pending(self, texts: dict[str, SealedText]) -> list[str]:
        pending = self.__dict__.pop(_PENDING)
        columns = []
        for name, text in pending.items():
            sealed_text = texts[name]
            blob = sealed_text.seal(self, text)
            setattr(self, sealed_text.column, blob)
            self.__dict__.setdefault(_CACHE, {})[name] = (blob, text)
            columns.append(sealed_text.column)
        return columns
