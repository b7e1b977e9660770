"""Record dash's model events as ``Activity`` rows, as the settings allow.

A creation keeps ``{"new": fields}``, an update ``{"changes": changes}``
exactly as dash describes them (``{"old", "new"}`` per field, or
``{"added", "removed"}`` for a many-to-many field) and a deletion
``{"old": fields}``, the last state. Excluded models are never recorded and
excluded fields never stored. The listeners run when the event is
dispatched, before the transaction commits; ``store.record`` puts the row in
that transaction. If the write fails, dash's dispatcher logs the error and
the change goes on (unless ``DASH["RAISE_LISTENER_ERRORS"]`` is set).
"""

from __future__ import annotations

import functools
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import DEFAULT_DB_ALIAS, models
from django.utils.text import capfirst
from django.utils.translation import get_language

from dash.events import ModelCreated, ModelDeleted, ModelEvent, ModelUpdated, dispatcher
from dash.logins import is_login_update
from dash_activity_log import store
from dash_activity_log.conf import ActivityLogSettings, activity_log_settings

__all__ = ["connect", "describe"]


def describe(event: ModelEvent) -> str:
    """Return a sentence such as ``Book “Dune” updated`` for ``event``.

    It is written in the language active when the change is recorded.
    """
    model = event.model
    # A name Django made from the class name is plain text: no language.
    language = None if isinstance(model._meta.verbose_name, str) else get_language()
    return f"{_verbose_name(model, language)} “{event.object_repr}” {event.action}"


@functools.lru_cache(maxsize=1024)
def _verbose_name(model: type[models.Model], language: str | None) -> str:
    # Every logged change asks for its model's name; translating it each
    # time was a measurable part of what logging a save costs.
    return capfirst(str(model._meta.verbose_name))


def _logged(event: ModelEvent, conf: ActivityLogSettings) -> bool:
    opts = event.model._meta
    return not conf.excludes_model(opts.app_label, opts.label_lower)


def _without_excluded(
    event: ModelEvent, values: dict[str, Any], conf: ActivityLogSettings
) -> dict[str, Any]:
    excluded = conf.exclude_fields.get(event.model._meta.label_lower)
    if not excluded:
        return values
    return {name: value for name, value in values.items() if name not in excluded}


def _is_auto_now(model: type[models.Model], name: str) -> bool:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return bool(getattr(field, "auto_now", False))


def _record(event: ModelEvent, properties: dict[str, Any]) -> None:
    # A user deleting their own account: the row is already gone when
    # post_delete runs, and a foreign key to it would fail at commit. Note: a
    # causer removed by the same cascade as the subject is not caught; that
    # delete fails with an IntegrityError at commit.
    deleting_self = isinstance(event, ModelDeleted) and event.instance == event.causer
    store.record(
        using=event.using or DEFAULT_DB_ALIAS,
        name=event.name,
        description=describe(event),
        subject=(event.model, event.pk),
        causer=event.causer,
        properties=properties,
        link_causer=not deleting_self,
        created_at=event.timestamp,
    )


def _on_created(event: ModelCreated) -> None:
    conf = activity_log_settings()
    if conf.log_creates and _logged(event, conf):
        _record(event, {"new": _without_excluded(event, event.fields, conf)})


def _on_updated(event: ModelUpdated) -> None:
    conf = activity_log_settings()
    if not (conf.log_updates and _logged(event, conf)) or is_login_update(event):
        # A sign-in moves last_login: it is not an edit of the user.
        return
    changes = _without_excluded(event, event.changes, conf)
    # A hidden field (a password) is recorded as changed, never its value.
    hidden = _without_excluded(
        event, {name: {"hidden": True} for name in event.hidden_changes}, conf
    )
    # auto_now fields change on every save, so on their own they are no news.
    if (
        conf.keep_empty_updates
        or hidden
        or any(not _is_auto_now(event.model, name) for name in changes)
    ):
        _record(event, {"changes": {**changes, **hidden}})


def _on_deleted(event: ModelDeleted) -> None:
    conf = activity_log_settings()
    if conf.log_deletes and _logged(event, conf):
        _record(event, {"old": _without_excluded(event, event.fields, conf)})


def connect() -> None:
    """Record model creations, updates and deletions; connecting twice is harmless."""
    dispatcher.listen(ModelCreated, _on_created)
    dispatcher.listen(ModelUpdated, _on_updated)
    dispatcher.listen(ModelDeleted, _on_deleted)
