"""Decide which models emit events, and describe an instance's state and changes.

Every adapter (save and delete signals, many-to-many changes, bulk writes)
goes through these helpers, so that they agree on which models count, which
fields show and what a change looks like.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypedDict

from django.db import models

from dash import serialization
from dash.conf import dash_settings
from dash.events.dispatcher import dispatcher
from dash.events.model import ModelEvent

__all__ = [
    "ChangeSet",
    "change_set",
    "changes",
    "emit",
    "hidden_changes",
    "is_heard",
    "is_tracked",
    "state",
]


def is_tracked(model: type[models.Model]) -> bool:
    """Return whether changes to ``model`` emit events.

    A model is left out when it sets ``dash_events = False`` or when its app
    label or model label is in ``DASH["IGNORE_MODELS"]``.
    """
    return _is_tracked(model, dash_settings().ignore_models)


@functools.cache
def _is_tracked(model: type[models.Model], ignored: frozenset[str]) -> bool:
    # Asked twice per save; the answer depends on the model and the setting.
    if not getattr(model, "dash_events", True):
        return False
    opts = model._meta
    return opts.app_label not in ignored and opts.label_lower not in ignored


@functools.cache
def _event_names(
    model: type[models.Model], event_classes: tuple[type[ModelEvent], ...]
) -> tuple[tuple[type[ModelEvent], str], ...]:
    label = model._meta.label_lower
    return tuple(
        (event_class, f"{label}.{event_class.action}") for event_class in event_classes
    )


def is_heard(model: type[models.Model], *event_classes: type[ModelEvent]) -> bool:
    """Return whether a listener would hear any of these events for ``model``.

    Adapters ask before any query they would make only to describe a change,
    so that a model nobody listens to costs nothing.
    """
    for event_class, name in _event_names(model, event_classes):
        if dispatcher.has_listeners(event_class, name):
            return True
    return False


def state(
    instance: models.Model,
    fields: Iterable[models.Field[Any, Any]] | None = None,
    *,
    using: str | None = None,
) -> dict[str, Any]:
    """Return the JSON-safe values of ``instance``'s shown fields.

    Bulk writes pass ``fields`` (``serialization.logged_fields`` of the
    model) so that the hidden-field patterns are matched once, not per row.
    """
    if fields is None:
        return serialization.shown_values(instance, using)
    return serialization.field_values(instance, fields, using)


def changes(
    instance: models.Model,
    fields: Iterable[models.Field[Any, Any]],
    before: Mapping[str, Any],
    *,
    using: str | None = None,
) -> dict[str, dict[str, Any]]:
    """Return ``{name: {"old", "new"}}`` for the fields whose value differs.

    ``before`` maps attnames to the values read from the database; the new
    values are ``instance``'s, normalised the way the fields store them.
    """
    found = {}
    for field in fields:
        old = before[field.attname]
        new = field.value_from_object(instance)
        # Equal as they are is the same stored value; only a difference may
        # be one of representation ("1.50" against Decimal("1.5")).
        if type(old) is type(new) and old == new:
            continue
        stored = serialization.normalized(field, new, using)
        if not serialization.same_stored(old, stored):
            found[field.name] = {
                "old": serialization.to_json_safe(old),
                "new": serialization.to_json_safe(stored),
            }
    # A save that only moved auto_now timestamps changed nothing a person
    # did; reporting it would warn other editors about nothing.
    if all(
        getattr(field, "auto_now", False) for field in fields if field.name in found
    ):
        return {}
    return found


def hidden_changes(
    instance: models.Model,
    fields: Iterable[models.Field[Any, Any]],
    before: Mapping[str, Any],
    *,
    using: str | None = None,
) -> tuple[str, ...]:
    """Return the names of the hidden ``fields`` whose value differs.

    Only the fact is told, never a value: a new password hash is news to an
    audit trail, the hash itself is a secret.
    """
    return tuple(
        field.name
        for field in fields
        if not serialization.same_value(
            field, before[field.attname], field.value_from_object(instance), using
        )
    )


class ChangeSet(TypedDict):
    """What an update event says changed: ``changes`` and ``hidden_changes``."""

    changes: dict[str, dict[str, Any]]
    hidden_changes: tuple[str, ...]


def change_set(
    instance: models.Model,
    fields: Iterable[models.Field[Any, Any]],
    hidden: Iterable[models.Field[Any, Any]],
    before: Mapping[str, Any] | None,
    *,
    using: str | None = None,
) -> ChangeSet:
    """Compare ``instance`` with the row as it was; nothing changed without one."""
    if before is None:
        return {"changes": {}, "hidden_changes": ()}
    return {
        "changes": changes(instance, fields, before, using=using),
        "hidden_changes": hidden_changes(instance, hidden, before, using=using),
    }


def emit(
    event_class: Callable[..., ModelEvent],
    instance: models.Model,
    *,
    using: str,
    causer: Any,
    shown: Iterable[models.Field[Any, Any]] | None = None,
    **change: Any,
) -> None:
    """Dispatch ``event_class`` for ``instance`` with its shown state.

    ``shown`` is passed on to ``state()``; ``change`` holds an update's
    ``changes`` and ``hidden_changes``.
    """
    dispatcher.dispatch(
        event_class(
            instance,
            fields=state(instance, shown, using=using),
            using=using,
            causer=causer,
            **change,
        )
    )
