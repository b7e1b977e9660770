"""Adapt Django's model signals into dash's model events.

The before state of an update is read from the database in ``pre_save``,
so it is right even when the instance was changed in memory after it was
loaded; the read is skipped when nothing listens to that model's update
events. Fixture loading (``raw`` saves) emits nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import models
from django.db.models import signals

from dash import serialization
from dash.conf import dash_settings
from dash.context import get_causer
from dash.events.dispatcher import dispatcher
from dash.events.model import (
    ModelCreated,
    ModelCreating,
    ModelDeleted,
    ModelDeleting,
    ModelUpdated,
    ModelUpdating,
)

__all__ = ["connect", "is_tracked"]

logger = logging.getLogger(__name__)

# The row as it was before the save, kept on the instance between pre_save
# and post_save of the same save() call.
_BEFORE_ATTR = "_dash_before"


def is_tracked(model: type[models.Model]) -> bool:
    """Return whether changes to ``model`` emit events.

    A model is left out when it sets ``dash_events = False`` or when its app
    label or model label is in ``DASH["IGNORE_MODELS"]``.
    """
    if not getattr(model, "dash_events", True):
        return False
    opts = model._meta
    ignored = dash_settings().ignore_models
    return opts.app_label not in ignored and opts.label_lower not in ignored


def _saved_fields(
    instance: models.Model, update_fields: frozenset[str] | None
) -> list[models.Field[Any, Any]]:
    deferred = instance.get_deferred_fields()
    fields = serialization.logged_fields(type(instance))
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
    manager = type(instance)._base_manager.using(using)
    return (
        manager.filter(pk=instance.pk)
        .values(*(field.attname for field in fields))
        .first()
    )


def _changes(
    instance: models.Model, fields: list[models.Field[Any, Any]], before: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    changes = {}
    for field in fields:
        old = before[field.attname]
        new = field.value_from_object(instance)
        if not serialization.same_value(field, old, new):
            changes[field.name] = {
                "old": serialization.to_json_safe(old),
                "new": serialization.to_json_safe(serialization.normalized(field, new)),
            }
    return changes


def _fields(instance: models.Model) -> dict[str, Any]:
    return serialization.field_values(
        instance, serialization.logged_fields(type(instance))
    )


def _wants_before(sender: type[models.Model]) -> bool:
    label = sender._meta.label_lower
    return dispatcher.has_listeners(
        ModelUpdating, f"{label}.updating"
    ) or dispatcher.has_listeners(ModelUpdated, f"{label}.updated")


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
    causer = get_causer()
    if instance._state.adding or instance.pk is None:
        dispatcher.dispatch(
            ModelCreating(
                instance, fields=_fields(instance), using=using, causer=causer
            )
        )
        return
    if not _wants_before(sender):
        return
    fields = _saved_fields(instance, update_fields)
    before = _read_before(instance, fields, using)
    setattr(instance, _BEFORE_ATTR, (fields, before))
    if before is not None:
        dispatcher.dispatch(
            ModelUpdating(
                instance,
                fields=_fields(instance),
                changes=_changes(instance, fields, before),
                using=using,
                causer=causer,
            )
        )


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
    fields, before = instance.__dict__.pop(_BEFORE_ATTR, ((), None))
    causer = get_causer()
    if created:
        dispatcher.dispatch(
            ModelCreated(instance, fields=_fields(instance), using=using, causer=causer)
        )
        return
    changes = _changes(instance, fields, before) if before is not None else {}
    dispatcher.dispatch(
        ModelUpdated(
            instance,
            fields=_fields(instance),
            changes=changes,
            using=using,
            causer=causer,
        )
    )


def _on_pre_delete(
    sender: type[models.Model], instance: models.Model, using: str, **kwargs: Any
) -> None:
    if not is_tracked(sender):
        return
    dispatcher.dispatch(
        ModelDeleting(
            instance, fields=_fields(instance), using=using, causer=get_causer()
        )
    )


def _on_post_delete(
    sender: type[models.Model], instance: models.Model, using: str, **kwargs: Any
) -> None:
    if not is_tracked(sender):
        return
    # Django clears the pk only after every post_delete has been sent, so the
    # instance still shows its last state here.
    dispatcher.dispatch(
        ModelDeleted(
            instance, fields=_fields(instance), using=using, causer=get_causer()
        )
    )


def connect() -> None:
    """Connect the model signals for every model; connecting twice is harmless."""
    signals.pre_save.connect(_on_pre_save, dispatch_uid="dash.pre_save")
    signals.post_save.connect(_on_post_save, dispatch_uid="dash.post_save")
    signals.pre_delete.connect(_on_pre_delete, dispatch_uid="dash.pre_delete")
    signals.post_delete.connect(_on_post_delete, dispatch_uid="dash.post_delete")
