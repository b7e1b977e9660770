"""Adapt Django's model signals into dash's model events.

The before state of an update is read from the database in ``pre_save``,
so it is right even when the instance was changed in memory after it was
loaded; the read is skipped when nothing listens to that model's update
events. Fixture loading (``raw`` saves) emits nothing.

``connect()`` also wires the two adapters that live in their own modules:
``dash._m2m`` for many-to-many changes and ``dash._deletion`` for the rows
Django rewrites while deleting. Bulk writes, which send no signals, emit
events only through the opt-in ``dash.bulk.EventQuerySet``.

Note: multi-table inheritance follows Django's signals. Saving a child
emits the child's events only, with the parent's fields among its own;
deleting one emits ``deleting``/``deleted`` for the child and for its parent
row, because Django deletes and signals both. A proxy model's events carry
the proxy's label, as its signals name the proxy.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import signals

from dash import _deletion, _m2m, serialization
from dash._rows import stored_values
from dash._tracking import change_set, emit, is_heard, is_tracked
from dash.context import get_causer
from dash.events.model import (
    ModelCreated,
    ModelCreating,
    ModelDeleted,
    ModelDeleting,
    ModelUpdated,
    ModelUpdating,
)

__all__ = ["connect", "is_tracked"]

# The row as it was before the save, kept on the instance between pre_save
# and post_save of the same save() call.
_BEFORE_ATTR = "_dash_before"


def _saved_fields(
    instance: models.Model,
    update_fields: frozenset[str] | None,
    fields: tuple[models.Field[Any, Any], ...],
) -> list[models.Field[Any, Any]]:
    deferred = instance.get_deferred_fields()
    return [
        field
        for field in fields
        if field.attname not in deferred
        and (update_fields is None or field.name in update_fields)
        and not field.primary_key
    ]


def _read_before(
    instance: models.Model, fields: list[models.Field[Any, Any]], using: str
) -> dict[str, Any] | None:
    attnames = tuple(field.attname for field in fields)
    return stored_values(type(instance), attnames, instance.pk, using)


def _on_pre_save(
    sender: type[models.Model],
    instance: models.Model,
    raw: bool,
    using: str,
    update_fields: frozenset[str] | None,
    **kwargs: Any,
) -> None:
    if raw or not is_tracked(sender):
        return
    if instance._state.adding or instance.pk is None:
        if is_heard(sender, ModelCreating):
            emit(ModelCreating, instance, using=using, causer=get_causer())
        return
    if not is_heard(sender, ModelUpdating, ModelUpdated):
        return
    fields = _saved_fields(instance, update_fields, serialization.logged_fields(sender))
    secret = serialization.hidden_fields(sender)
    hidden = _saved_fields(instance, update_fields, secret) if secret else []
    before = _read_before(instance, [*fields, *hidden], using)
    setattr(instance, _BEFORE_ATTR, (fields, hidden, before))
    if before is not None and is_heard(sender, ModelUpdating):
        found = change_set(instance, fields, hidden, before, using=using)
        emit(ModelUpdating, instance, using=using, causer=get_causer(), **found)


def _on_post_save(
    sender: type[models.Model],
    instance: models.Model,
    created: bool,
    raw: bool,
    using: str,
    **kwargs: Any,
) -> None:
    if raw or not is_tracked(sender):
        return
    fields, hidden, before = instance.__dict__.pop(_BEFORE_ATTR, ((), (), None))
    if created:
        if is_heard(sender, ModelCreated):
            emit(ModelCreated, instance, using=using, causer=get_causer())
        return
    if is_heard(sender, ModelUpdated):
        found = change_set(instance, fields, hidden, before, using=using)
        emit(ModelUpdated, instance, using=using, causer=get_causer(), **found)


def _on_pre_delete(
    sender: type[models.Model], instance: models.Model, using: str, **kwargs: Any
) -> None:
    if is_tracked(sender) and is_heard(sender, ModelDeleting):
        emit(ModelDeleting, instance, using=using, causer=get_causer())


def _on_post_delete(
    sender: type[models.Model], instance: models.Model, using: str, **kwargs: Any
) -> None:
    # Django clears the pk only after every post_delete has been sent, so the
    # instance still shows its last state here.
    if is_tracked(sender) and is_heard(sender, ModelDeleted):
        emit(ModelDeleted, instance, using=using, causer=get_causer())


def connect() -> None:
    """Connect the model signals for every model; connecting twice is harmless."""
    signals.pre_save.connect(_on_pre_save, dispatch_uid="dash.pre_save")
    signals.post_save.connect(_on_post_save, dispatch_uid="dash.post_save")
    signals.pre_delete.connect(_on_pre_delete, dispatch_uid="dash.pre_delete")
    signals.post_delete.connect(_on_post_delete, dispatch_uid="dash.post_delete")
    # After the receivers above, so that a deleted row's own events come
    # before those of the rows its delete rewrites.
    _deletion.connect()
    _m2m.connect()
