"""Events for the lifecycle of model instances, adapted from Django signals."""

from __future__ import annotations

import logging
from typing import Any

from django.db import models

from dash.events.base import Event
from dash.serialization import to_json_safe

__all__ = [
    "ModelCreated",
    "ModelCreating",
    "ModelDeleted",
    "ModelDeleting",
    "ModelEvent",
    "ModelUpdated",
    "ModelUpdating",
]

_REPR_LIMIT = 200
logger = logging.getLogger(__name__)


def _describe(instance: models.Model) -> str:
    # A model's __str__ is project code; one that fails must not fail the
    # save whose event it would describe.
    try:
        return str(instance)[:_REPR_LIMIT]
    except Exception:
        logger.warning(
            "str() of %s %s failed; its events describe it by pk",
            instance._meta.label,
            instance.pk,
            exc_info=True,
        )
        return f"{instance._meta.object_name} object ({instance.pk})"


class ModelEvent(Event):
    """A change to one model instance, named ``"<app_label>.<model_name>.<action>"``.

    ``fields`` holds the instance's JSON-safe field values (hidden fields
    left out): the new state for created and updated, the last state for
    deleting and deleted. ``causer`` is the acting user or ``None``.
    Model events broadcast on the channel ``"model.<app_label>.<model_name>"``,
    which only users allowed to view that model can read.
    """

    action: str = "changed"

    def __init__(
        self,
        instance: models.Model,
        *,
        fields: dict[str, Any],
        using: str,
        causer: Any = None,
    ) -> None:
        opts = instance._meta
        self.instance = instance
        self.model = type(instance)
        self.label = opts.label_lower
        self.pk = instance.pk
        self.object_repr = _describe(instance)
        self.fields = fields
        self.using = using
        self.causer = causer
        self.name = f"{self.label}.{self.action}"
        self.channel = f"model.{self.label}"

    def to_payload(self) -> dict[str, Any]:
        opts = self.model._meta
        causer = self.causer
        return {
            "model": self.label,
            "verbose_name": str(opts.verbose_name),
            "action": self.action,
            "pk": to_json_safe(self.pk),
            "object_repr": self.object_repr,
            "fields": self.fields,
            "causer": (
                None
                if causer is None
                else {"id": to_json_safe(causer.pk), "name": causer.get_username()}
            ),
        }


class _ChangeSetEvent(ModelEvent):
    """A model event that carries ``changes``, keyed by field name.

    A concrete field's entry is ``{"old": ..., "new": ...}``; a many-to-many
    field's is ``{"added": [ids], "removed": [ids]}``. ``hidden_changes``
    names the hidden fields (a password) whose value changed, never the
    values.
    """

    def __init__(
        self,
        instance: models.Model,
        *,
        fields: dict[str, Any],
        changes: dict[str, dict[str, Any]],
        using: str,
        causer: Any = None,
        hidden_changes: tuple[str, ...] = (),
    ) -> None:
        super().__init__(instance, fields=fields, using=using, causer=causer)
        self.changes = changes
        self.hidden_changes = hidden_changes

    def to_payload(self) -> dict[str, Any]:
        return {
            **super().to_payload(),
            "changes": self.changes,
            "hidden_changes": list(self.hidden_changes),
        }


class ModelCreating(ModelEvent):
    """An instance is about to be inserted; not broadcast."""

    action = "creating"


class ModelCreated(ModelEvent):
    """An instance was inserted; broadcast after commit."""

    action = "created"
    broadcast = True


class ModelUpdating(_ChangeSetEvent):
    """An instance is about to be updated; ``changes`` is what the save will write."""

    action = "updating"


class ModelUpdated(_ChangeSetEvent):
    """An instance was updated; ``changes`` compares it with the row as it was.

    A save that changed nothing still dispatches it, with empty ``changes``.
    """

    action = "updated"
    broadcast = True


class ModelDeleting(ModelEvent):
    """An instance is about to be deleted; not broadcast."""

    action = "deleting"


class ModelDeleted(ModelEvent):
    """An instance was deleted; ``pk`` and ``fields`` are as they were before."""

    action = "deleted"
    broadcast = True
