"""Record dash's model events as ``Activity`` rows.

The listeners run when the event is dispatched, before the transaction
commits, and write through the event's database alias: the row belongs to
the same transaction as the change it describes, so a rollback takes both
away. The write runs in its own savepoint: if it fails, only the row is
rolled back, dash's dispatcher logs the error and the change goes on
(unless ``DASH["RAISE_LISTENER_ERRORS"]`` is set). Without the savepoint a
failed insert would abort the surrounding PostgreSQL transaction and break
the save it describes.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.text import capfirst

from dash.events import ModelCreated, ModelDeleted, ModelEvent, ModelUpdated, dispatcher
from dash_activity_log.models import Activity

__all__ = ["connect", "describe"]

logger = logging.getLogger(__name__)


def describe(event: ModelEvent) -> str:
    """Return a sentence such as ``Book “Dune” updated`` for ``event``."""
    verbose_name = capfirst(str(event.model._meta.verbose_name))
    return f"{verbose_name} “{event.object_repr}” {event.action}"


def _linkable_causer(event: ModelEvent) -> Any:
    # A user deleting their own account: the row is already gone when
    # post_delete runs, and a foreign key to it fails when the transaction
    # commits. Note: a causer removed by the same cascade as the subject is
    # not caught; that delete fails with an IntegrityError at commit.
    if isinstance(event, ModelDeleted) and event.instance == event.causer:
        return None
    return event.causer


def _record(event: ModelEvent, properties: dict[str, Any]) -> None:
    causer = event.causer
    subject_types = ContentType.objects.db_manager(event.using)
    with transaction.atomic(using=event.using):
        activity = Activity.objects.using(event.using).create(
            event=event.name,
            description=describe(event),
            subject_type=subject_types.get_for_model(event.model),
            subject_id=str(event.pk),
            causer=_linkable_causer(event),
            causer_name="" if causer is None else causer.get_username(),
            properties=properties,
        )
    logger.debug("Recorded %s as activity %s", event.name, activity.pk)


def _on_created(event: ModelCreated) -> None:
    _record(event, {"new": event.fields})


def _on_updated(event: ModelUpdated) -> None:
    # A save that changed nothing is not history.
    if event.changes:
        _record(event, {"changes": event.changes})


def _on_deleted(event: ModelDeleted) -> None:
    _record(event, {"old": event.fields})


def connect() -> None:
    """Record model creations, updates and deletions; connecting twice is harmless."""
    dispatcher.listen(ModelCreated, _on_created)
    dispatcher.listen(ModelUpdated, _on_updated)
    dispatcher.listen(ModelDeleted, _on_deleted)
