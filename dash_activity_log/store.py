"""Write ``Activity`` rows: the one place that fills causer, batch and metadata.

Every row is written through the database alias of what it describes, in
the transaction that is open there, so a rollback takes the row away with
the change. On PostgreSQL the insert runs in its own savepoint: if it
fails, only the row is rolled back and the surrounding transaction stays
usable, which PostgreSQL would otherwise refuse until it ends.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import connections, models, transaction
from django.utils import timezone

from dash_activity_log import batches, context, metadata
from dash_activity_log._insert import insert
from dash_activity_log.conf import activity_log_settings
from dash_activity_log.models import Activity

__all__ = ["causer_name", "write"]

logger = logging.getLogger(__name__)

_NAME_LENGTH = Activity._meta.get_field("causer_name").max_length or 255


def causer_name(causer: Any, command: BaseCommand | None) -> str:
    """Return the name an activity keeps of who caused it.

    That is the user's username, else ``"system: <command>"`` while a
    management command runs, else ``""``.
    """
    if causer is not None:
        get_username = getattr(causer, "get_username", None)
        name = str(get_username() if callable(get_username) else causer)
        return name[:_NAME_LENGTH]
    if command is not None:
        return f"system: {context.command_name(command)}"[:_NAME_LENGTH]
    return ""


def _linked(causer: Any) -> Any:
    # Only a saved user can be the foreign key; a stand-in user object from a
    # custom authentication backend is kept by name alone.
    if isinstance(causer, get_user_model()) and causer.pk is not None:
        return causer
    return None


def _stored_time(moment: datetime.datetime | None) -> datetime.datetime:
    if moment is None:
        return timezone.now()
    # dash stamps events in aware UTC; without time zone support Django
    # refuses aware values, so store it as local time the way now() would.
    if not settings.USE_TZ and timezone.is_aware(moment):
        return timezone.make_naive(moment)
    return moment


def _own_savepoint(using: str) -> contextlib.AbstractContextManager[Any]:
    # Only PostgreSQL aborts the whole transaction when a statement fails;
    # SQLite and MySQL undo just the statement, so they skip the savepoint
    # and its two round trips.
    if connections[using].vendor == "postgresql":
        return transaction.atomic(using=using)
    return contextlib.nullcontext()


def write(
    *,
    using: str,
    name: str,
    description: str,
    subject: tuple[type[models.Model], Any] | None,
    causer: Any,
    properties: dict[str, Any],
    link_causer: bool = True,
    created_at: datetime.datetime | None = None,
) -> Activity:
    """Insert one activity into database ``using`` and return it.

    ``subject`` is a model and a primary key, or ``None`` for an activity
    that is about no model. With ``link_causer=False`` only the causer's
    name is kept (a user deleting their own account). Raise whatever the
    insert raises; the surrounding transaction survives it.
    """
    scope = context.current_scope()
    command = None if scope.request is not None else context.running_command()
    batch = batches.batch_for(using, scope, command)
    request = scope.request if activity_log_settings().request_metadata else None
    subject_type, subject_id = None, ""
    if subject is not None:
        model, pk = subject
        subject_type = ContentType.objects.db_manager(using).get_for_model(model)
        subject_id = str(pk)

    activity = Activity(
        event=name,
        description=description,
        subject_type=subject_type,
        subject_id=subject_id,
        causer=_linked(causer) if link_causer else None,
        causer_name=causer_name(causer, command),
        properties=properties,
        batch=batch,
        ip_address=None if request is None else metadata.client_ip(request),
        user_agent="" if request is None else metadata.user_agent(request),
        created_at=_stored_time(created_at),
    )
    with _own_savepoint(using):
        insert(activity, using)
    logger.debug("Recorded %s as activity %s", name, activity.pk)
    return activity
