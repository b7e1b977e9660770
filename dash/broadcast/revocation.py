"""Close a user's open streams when their access ends or changes.

A stream's channels are chosen when it opens, so without this a user who
signs out in one tab, or whose staff status or permissions are taken away,
would go on receiving events in the tabs still open. Closing the stream
makes the browser ask again, and the stream view then answers with what
the user may read now (or refuses them, saying why).

Only the streams served by this process are closed: a change made in
another process (a shell, a worker) takes effect when those streams next
reconnect.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out

from dash.events.dispatcher import dispatcher
from dash.events.model import ModelUpdated

__all__ = ["close_streams_of", "connect"]

logger = logging.getLogger(__name__)

#: User fields whose change can change what the user may read.
_ACCESS_FIELDS = frozenset(
    {"is_active", "is_staff", "is_superuser", "groups", "user_permissions"}
)


def close_streams_of(user_id: Any) -> int:
    """End every stream this process serves to ``user_id``; return how many channels.

    Each stream receives django-eventstream's ``stream-error`` with the
    condition ``forbidden`` and ends.
    """
    from django_eventstream.views import get_listener_manager

    manager = get_listener_manager()
    with manager.lock:
        channels = [
            channel
            for channel, listeners in manager.listeners_by_channel.items()
            if any(listener.user_id == user_id for listener in listeners)
        ]
    for channel in channels:
        manager.kick(user_id, channel)
    if channels:
        logger.info("Closed the event streams of user %s", user_id)
    return len(channels)


def _on_logged_out(sender: Any, user: Any = None, **kwargs: Any) -> None:
    if user is not None and user.pk is not None:
        close_streams_of(user.pk)


def _on_user_updated(event: ModelUpdated) -> None:
    if _ACCESS_FIELDS & set(event.changes):
        close_streams_of(event.pk)


def connect() -> None:
    """Wire the sign-out signal and the user listener; twice is harmless."""
    user_logged_out.connect(_on_logged_out, dispatch_uid="dash.revocation.logout")
    label = get_user_model()._meta.label_lower
    dispatcher.listen(f"{label}.updated", _on_user_updated, after_commit=True)
