"""Write ``Activity`` rows: the one place that fills causer, batch and metadata.

Every row is written through the database alias of what it describes, in
the transaction that is open there, so a rollback takes the row away with
the change. On PostgreSQL the insert runs in its own savepoint: if it
fails, only the row is rolled back and the surrounding transaction stays
usable, which PostgreSQL would otherwise refuse until it ends.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any, NamedTuple, NotRequired, TypedDict, Unpack

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType, ContentTypeManager
from django.core.management.base import BaseCommand
from django.db import connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from dash_activity_log import batches, context, metadata
from dash_activity_log._insert import insert
from dash_activity_log.conf import activity_log_settings
from dash_activity_log.models import Activity

__all__ = ["Fields", "causer_name", "record", "write"]

logger = logging.getLogger(__name__)

_managers: dict[str, ContentTypeManager] = {}

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


def _content_types(using: str) -> ContentTypeManager:
    # db_manager() copies the manager on every call; the copies share one
    # cache, so one per database is enough.
    manager = _managers.get(using)
    if manager is None:
        manager = _managers[using] = ContentType.objects.db_manager(using)
    return manager


def _linked(causer: Any) -> Any:
    # Only a saved user can be the foreign key; a stand-in user object from a
    # custom authentication backend is kept by name alone.
    if causer is None:
        return None
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


class Fields(TypedDict):
    """What ``record()`` and ``write()`` take.

    ``subject`` is a model and a primary key, or ``None`` for an activity
    that is about no model. With ``link_causer=False`` only the causer's
    name is kept (a user deleting their own account). ``created_at``
    defaults to now. ``channel`` is the broadcast channel of the custom
    event recorded, which decides who may read an activity about no model.
    """

    using: str
    name: str
    description: str
    subject: tuple[type[models.Model], Any] | None
    causer: Any
    properties: dict[str, Any]
    link_causer: NotRequired[bool]
    created_at: NotRequired[datetime.datetime | None]
    channel: NotRequired[str]


class _Row(NamedTuple):
    values: dict[str, Any]  # by attname, as the insert takes them
    subject_type: ContentType | None
    causer: Any


def _row(fields: Fields, connection: BaseDatabaseWrapper) -> _Row:
    scope = context.current_scope()
    command = None if scope.request is not None else context.running_command()
    batch = batches.batch_for(connection, scope, command)
    request = scope.request if activity_log_settings().request_metadata else None
    subject_type, subject_id = None, ""
    subject = fields["subject"]
    if subject is not None:
        model, pk = subject
        subject_type = _content_types(connection.alias).get_for_model(model)
        subject_id = str(pk)
    causer = fields["causer"]
    linked = _linked(causer) if fields.get("link_causer", True) else None
    values = {
        "event": fields["name"],
        "description": fields["description"],
        "subject_type_id": None if subject_type is None else subject_type.pk,
        "subject_id": subject_id,
        "causer_id": None if linked is None else linked.pk,
        "causer_name": causer_name(causer, command),
        "properties": fields["properties"],
        "batch": batch,
        "ip_address": None if request is None else metadata.client_ip(request),
        "user_agent": "" if request is None else metadata.user_agent(request),
        "created_at": _stored_time(fields.get("created_at")),
        "channel": fields.get("channel", ""),
    }
    return _Row(values, subject_type, linked)


def _insert(fields: Fields, *, returning_pk: bool) -> tuple[_Row, Any]:
    connection = connections[fields["using"]]
    row = _row(fields, connection)
    # Only PostgreSQL aborts the whole transaction when a statement fails;
    # SQLite and MySQL undo just the statement, so they skip the savepoint
    # and its two round trips.
    if connection.vendor == "postgresql":
        with transaction.atomic(using=connection.alias):
            return row, insert(row.values, connection, returning_pk=returning_pk)
    return row, insert(row.values, connection, returning_pk=returning_pk)


def record(**fields: Unpack[Fields]) -> None:
    """Insert one activity into database ``fields["using"]``, as listeners do.

    Raise whatever the insert raises; the surrounding transaction survives
    it. No ``Activity`` instance is built: this runs once per logged save.
    """
    _insert(fields, returning_pk=False)
    logger.debug("Recorded %s", fields["name"])


def write(**fields: Unpack[Fields]) -> Activity:
    """Insert one activity like ``record()`` and return it, saved."""
    row, pk = _insert(fields, returning_pk=True)
    activity = Activity(pk=pk, **row.values)
    # Keep the objects at hand, so reading them back costs no query.
    if row.subject_type is not None:
        activity.subject_type = row.subject_type
    if row.causer is not None:
        activity.causer = row.causer
    activity._state.adding = False
    activity._state.db = fields["using"]
    logger.debug("Recorded %s as activity %s", fields["name"], pk)
    return activity
