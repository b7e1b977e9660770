"""``log_activity``: record something that is not a model change."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from asgiref.sync import sync_to_async
from django.db import models, router

from dash.context import get_causer
from dash_activity_log import store
from dash_activity_log.models import Activity

__all__ = ["alog_activity", "log_activity"]

_CURRENT: Any = object()
_NAME_LENGTH = 255


def log_activity(
    name: str,
    *,
    subject: models.Model | None = None,
    causer: Any = _CURRENT,
    properties: Mapping[str, Any] | None = None,
    description: str | None = None,
    using: str | None = None,
) -> Activity:
    """Record an activity such as ``"auth.login"`` and return it.

    ``causer`` defaults to dash's current causer (the request's user, or the
    one of ``acting_as``); ``None`` records no one, which reads as
    ``"system: <command>"`` inside a management command. ``properties`` may
    hold anything ``DjangoJSONEncoder`` takes, and enums; not-a-number and
    infinite floats are stored as ``null``. ``description`` defaults to
    ``name``. The row goes to ``using``, else to the router's choice for the
    subject, in the transaction open there; the settings' exclusions apply
    to model events, not to what is logged here on purpose. Raise
    ``ValueError`` for an empty or over-long name or an unsaved subject, and
    whatever the insert raises, leaving the caller's transaction usable.
    """
    if not isinstance(name, str) or not name or len(name) > _NAME_LENGTH:
        raise ValueError(
            f"An activity name must be a non-empty string of at most "
            f"{_NAME_LENGTH} characters, not {name!r}."
        )
    if subject is not None and subject.pk is None:
        raise ValueError(f"The subject {subject!r} must be saved before it is logged.")
    if using is None:
        using = router.db_for_write(Activity, instance=subject)
    return store.write(
        using=using,
        name=name,
        description=name if description is None else description,
        subject=None if subject is None else (type(subject), subject.pk),
        causer=get_causer() if causer is _CURRENT else causer,
        properties=dict(properties or {}),
    )


async def alog_activity(
    name: str,
    *,
    subject: models.Model | None = None,
    causer: Any = _CURRENT,
    properties: Mapping[str, Any] | None = None,
    description: str | None = None,
    using: str | None = None,
) -> Activity:
    """Do what ``log_activity`` does, from async code."""
    return await sync_to_async(log_activity)(
        name,
        subject=subject,
        causer=causer,
        properties=properties,
        description=description,
        using=using,
    )
