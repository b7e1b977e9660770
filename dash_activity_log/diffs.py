"""Turn an activity's stored properties into rows a person can read.

The recorder stores ``{"changes": {field: {"old", "new"}}}`` for an update
(``{"added", "removed"}`` for a many-to-many field), ``{"new": values}``
for a creation and ``{"old": values}`` for a deletion; anything else came
from ``log_activity`` or a custom event. Fields are labelled with their
verbose names and choices with their labels while the model still has
them; a field since removed keeps its stored name. Each value is cut to
its first ``SHOWN_CHARACTERS`` characters, with its full length kept, so
that a page of megabyte-long text edits stays small; ``manage.py
activitylog_export`` writes values whole. An activity's description is
cut the same way where a page shows it in full, and to ``BRIEF_CHARACTERS``
where it stands for the activity (a list row, a title, a link): see
``brief``. Values stay plain text: the templates that show them escape
them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst

__all__ = [
    "BRIEF_CHARACTERS",
    "SHOWN_CHARACTERS",
    "Change",
    "Readable",
    "Text",
    "brief",
    "readable",
]

#: The most characters of one value a page shows.
SHOWN_CHARACTERS = 500

#: The most characters of a description that stands for its activity.
BRIEF_CHARACTERS = 200


def brief(text: str) -> str:
    """Return ``text`` cut to its first ``BRIEF_CHARACTERS`` characters.

    A cut text ends in "…", so it is one character longer than the limit.
    """
    if len(text) <= BRIEF_CHARACTERS:
        return text
    return f"{text[:BRIEF_CHARACTERS]}…"


@dataclass(frozen=True)
class Text:
    """A value's text as a page shows it: whole, or its first characters."""

    shown: str
    #: The length of the whole text, in characters.
    length: int

    @classmethod
    def of(cls, text: str) -> Text:
        """Return ``text`` cut to its first ``SHOWN_CHARACTERS`` characters."""
        return cls(text[:SHOWN_CHARACTERS], len(text))

    @property
    def cut(self) -> bool:
        """Whether ``shown`` is only the start of the text."""
        return len(self.shown) < self.length


@dataclass(frozen=True)
class Change:
    """One field's change from ``old`` to ``new``; ``None`` means empty.

    For a many-to-many field (``many``), ``old`` lists the ids removed and
    ``new`` the ids added.
    """

    label: str
    old: Text | None
    new: Text | None
    many: bool = False
    #: A hidden field (a password): changed, its values never recorded.
    hidden: bool = False


@dataclass(frozen=True)
class Readable:
    """An activity's properties as changes or as ``(label, value)`` pairs."""

    changes: list[Change] = field(default_factory=list)
    values: list[tuple[str, Text | None]] = field(default_factory=list)
    #: Whether the properties are a change set, even an empty one.
    is_update: bool = False


def _field(
    model: type[models.Model] | None, name: str
) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def _label(model_field: models.Field[Any, Any] | None, name: str) -> str:
    if model_field is None:
        return name
    return str(capfirst(model_field.verbose_name))


def _text(model_field: models.Field[Any, Any] | None, value: Any) -> Text | None:
    if value is None:
        return None
    if model_field is not None and model_field.choices:
        try:
            return Text.of(str(dict(model_field.flatchoices).get(value, value)))
        except TypeError:
            # An unhashable stored value cannot be a choice.
            pass
    if isinstance(value, str):
        return Text.of(value)
    return Text.of(json.dumps(value, ensure_ascii=False))


def _ids(value: Any) -> Text:
    items = value if isinstance(value, list) else [value]
    return Text.of(", ".join(str(item) for item in items))


def _change(model: type[models.Model] | None, name: str, change: Any) -> Change:
    model_field = _field(model, name)
    label = _label(model_field, name)
    if change.get("hidden") is True:
        return Change(label, None, None, hidden=True)
    if "added" in change or "removed" in change:
        return Change(
            label,
            _ids(change.get("removed", [])),
            _ids(change.get("added", [])),
            many=True,
        )
    return Change(
        label,
        _text(model_field, change.get("old")),
        _text(model_field, change.get("new")),
    )


def _values(
    model: type[models.Model] | None, values: Mapping[str, Any]
) -> list[tuple[str, Text | None]]:
    return [
        (_label(_field(model, name), name), _text(_field(model, name), value))
        for name, value in values.items()
    ]


def readable(properties: Any, model: type[models.Model] | None = None) -> Readable:
    """Return ``properties`` as rows, labelled after ``model``'s fields if given."""
    if not isinstance(properties, dict):
        return Readable(values=[("", _text(None, properties))])
    changes = properties.get("changes")
    if isinstance(changes, dict) and all(
        isinstance(change, dict) for change in changes.values()
    ):
        return Readable(
            changes=[_change(model, name, change) for name, change in changes.items()],
            is_update=True,
        )
    for key in ("new", "old"):
        values = properties.get(key)
        if isinstance(values, dict) and len(properties) == 1:
            return Readable(values=_values(model, values))
    return Readable(values=_values(None, properties))
