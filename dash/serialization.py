"""Turn model field values into JSON-safe payload values, hiding secrets."""

from __future__ import annotations

import base64
import datetime
import decimal
import fnmatch
import functools
import operator
import uuid
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models.fields.files import FieldFile
from django.utils.duration import duration_iso_string
from django.utils.functional import Promise

from dash.conf import dash_settings

__all__ = [
    "field_values",
    "hidden_fields",
    "is_hidden_field",
    "logged_fields",
    "normalized",
    "same_stored",
    "same_value",
    "shown_values",
    "to_json_safe",
]


# Exact types answered before the isinstance() chain below: nearly every
# field value is one of them, and every save converts all of its fields.
_AS_IS = frozenset({type(None), bool, int, float, str})
_ISO_FORMATTED = frozenset({datetime.datetime, datetime.date, datetime.time})


def to_json_safe(value: Any) -> Any:
    """Return ``value`` as something ``json.dumps`` accepts, losing nothing.

    Datetimes, dates and times become ISO 8601 strings, Decimals exact
    strings, UUIDs strings, bytes base64 text, files their name, and
    durations ISO 8601 durations. Containers are converted item by item.
    """
    kind = type(value)
    if kind in _AS_IS:
        return value
    if kind in _ISO_FORMATTED:
        return value.isoformat()
    if kind is decimal.Decimal:
        return _decimal_text(value)
    if kind is uuid.UUID:
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, decimal.Decimal):
        return _decimal_text(value)
    if isinstance(value, uuid.UUID | Promise):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, dict):
        return {str(key): to_json_safe(item) for key, item in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((to_json_safe(item) for item in value), key=str)
    if isinstance(value, Iterable):
        return [to_json_safe(item) for item in value]
    return str(value)


def _decimal_text(value: decimal.Decimal) -> str:
    # Fixed-point, as the database shows it: "0.00000001", not "1E-8".
    text = str(value)
    return format(value, "f") if "E" in text else text


def is_hidden_field(name: str) -> bool:
    """Return whether a field of this name must never appear in a payload."""
    return _is_hidden(name, dash_settings().hidden_fields)


def _is_hidden(name: str, patterns: tuple[str, ...]) -> bool:
    lowered = name.lower()
    return any(fnmatch.fnmatchcase(lowered, pattern.lower()) for pattern in patterns)


def logged_fields(model: type[models.Model]) -> tuple[models.Field[Any, Any], ...]:
    """Return the concrete fields of ``model`` whose values may be shown."""
    return _logged_fields(model, dash_settings().hidden_fields)


def hidden_fields(model: type[models.Model]) -> tuple[models.Field[Any, Any], ...]:
    """Return the concrete fields of ``model`` whose values are never shown."""
    return _hidden_fields(model, dash_settings().hidden_fields)


@functools.cache
def _hidden_fields(
    model: type[models.Model], patterns: tuple[str, ...]
) -> tuple[models.Field[Any, Any], ...]:
    shown = _logged_fields(model, patterns)
    return tuple(field for field in model._meta.concrete_fields if field not in shown)


@functools.cache
def _logged_fields(
    model: type[models.Model], patterns: tuple[str, ...]
) -> tuple[models.Field[Any, Any], ...]:
    # Cached per model and pattern set: every save asks, and matching the
    # patterns was a tenth of a save's cost. New patterns make a new key.
    return tuple(
        field
        for field in model._meta.concrete_fields
        if not _is_hidden(field.name, patterns)
        and not _is_hidden(field.attname, patterns)
    )


def field_values(
    instance: models.Model,
    fields: Iterable[models.Field[Any, Any]],
    using: str | None = None,
) -> dict[str, Any]:
    """Return ``{field name: JSON-safe value}``; foreign keys give the id.

    A decimal shows as database ``using`` keeps it (``normalized()``): a
    new instance's ``Decimal`` field left at its default ``0`` shows
    ``"0.00"``, as it reads back.
    """
    return {
        field.name: _shown(field, field.value_from_object(instance), using)
        for field in fields
    }


def _shown(field: models.Field[Any, Any], value: Any, using: str | None) -> Any:
    if isinstance(field, models.DecimalField):
        if type(value) is decimal.Decimal:
            # Most decimals already have the field's places: their text says so.
            text = str(value)
            if "E" not in text and len(text.partition(".")[2]) == field.decimal_places:
                return text
        value = normalized(field, value, using)
    return to_json_safe(value)


def shown_values(instance: models.Model, using: str | None = None) -> dict[str, Any]:
    """Return ``field_values()`` of ``instance``'s ``logged_fields()``."""
    model = type(instance)
    reader = _reader(model, dash_settings().hidden_fields)
    if reader is None:
        return field_values(instance, logged_fields(model), using)
    values = reader.read(instance)
    shown = dict(zip(reader.names, map(to_json_safe, values), strict=True))
    for position, field in reader.decimals:
        shown[field.name] = _shown(field, values[position], using)
    return shown


class _Reader(NamedTuple):
    names: tuple[str, ...]
    read: Callable[[models.Model], tuple[Any, ...]]
    decimals: tuple[tuple[int, models.DecimalField[Any, Any]], ...]


@functools.cache
def _reader(model: type[models.Model], patterns: tuple[str, ...]) -> _Reader | None:
    # Every save reads all its shown fields; one attrgetter reads them in C.
    # Fields that read their value their own way keep field_values()'s loop.
    fields = _logged_fields(model, patterns)
    if len(fields) < 2 or any(
        type(field).value_from_object is not models.Field.value_from_object
        for field in fields
    ):
        return None
    return _Reader(
        names=tuple(field.name for field in fields),
        read=operator.attrgetter(*(field.attname for field in fields)),
        decimals=tuple(
            (position, field)
            for position, field in enumerate(fields)
            if isinstance(field, models.DecimalField)
        ),
    )


def same_value(
    field: models.Field[Any, Any], old: Any, new: Any, using: str | None = None
) -> bool:
    """Return whether a stored ``old`` and an in-memory ``new`` are equal.

    ``new`` is normalised the way the field would store it in database
    ``using``, so that ``Decimal("1.50")`` equals ``"1.5"`` and a date
    string equals its date.
    """
    return same_stored(old, normalized(field, new, using))


def same_stored(old: Any, stored: Any) -> bool:
    """Return whether ``old`` equals ``stored``, a value already ``normalized()``."""
    if isinstance(old, memoryview):
        old = bytes(old)
    if isinstance(stored, memoryview):
        stored = bytes(stored)
    if isinstance(old, FieldFile) or isinstance(stored, FieldFile):
        return _file_name(old) == _file_name(stored)
    return bool(old == stored)


def normalized(
    field: models.Field[Any, Any], value: Any, using: str | None = None
) -> Any:
    """Return ``value`` converted the way ``field`` stores it, when it can be.

    A decimal is also given the field's decimal places, as database
    ``using`` keeps it: ``"1e2"`` saved to a two-place field reads back as
    ``100.00``, and ``1.005`` as ``1.00`` on SQLite (half to even) or
    ``1.01`` on PostgreSQL (half away from zero). Without ``using``, half
    to even.
    """
    try:
        value = field.to_python(value)
    except ValidationError:
        return value
    if isinstance(field, models.DecimalField) and isinstance(value, decimal.Decimal):
        return _to_places(value, field, using)
    return value


def _to_places(
    value: decimal.Decimal, field: models.DecimalField[Any, Any], using: str | None
) -> decimal.Decimal:
    places = field.decimal_places
    if places is None or not value.is_finite():
        return value
    quantum = decimal.Decimal(1).scaleb(-places)
    exponent = value.as_tuple().exponent
    # Adding zeros is exact; only dropping places asks how to round.
    rounding = (
        decimal.ROUND_HALF_EVEN
        if isinstance(exponent, int) and exponent >= -places
        else _rounding(using)
    )
    # The field's own precision: Python's default 28 digits is too few for a
    # wide field.
    context = decimal.Context(prec=max(field.max_digits or 0, 28))
    try:
        return value.quantize(quantum, rounding=rounding, context=context)
    except decimal.InvalidOperation:
        # More digits than the context holds; the database will say so.
        return value


def _rounding(using: str | None) -> str:
    # Django hands the database the decimal as given; the database rounds
    # it to the column's places. SQLite keeps a number, and Django's reader
    # rounds it half to even; PostgreSQL, MySQL and Oracle round half away
    # from zero.
    if using is None or connections[using].vendor == "sqlite":
        return decimal.ROUND_HALF_EVEN
    return decimal.ROUND_HALF_UP


def _file_name(value: Any) -> str | None:
    return (value.name if isinstance(value, FieldFile) else value) or None
