"""Close a user's open streams when their access ends or changes.

A stream's channels are chosen when it opens, so without this a user who
signs out in one tab, is deleted or deactivated, gets a new password, or
whose staff status or permissions are taken away, would go on receiving
events in the tabs still open. Closing the stream makes the browser ask
again, and the stream view then answers with what the user may read now (or
refuses them, saying why).

A new password signs the user's other sessions out because it changes their
session auth hash (Django's ``get_session_auth_hash()``); a stream therefore
remembers the hash it opened with, and a save of the user that changes it
closes all their streams. Those of the session that made the change, which
``update_session_auth_hash()`` keeps signed in, open again at once.

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
from dash.events.model import ModelDeleted, ModelUpdated

__all__ = ["close_streams_of", "connect", "register_stream"]

logger = logging.getLogger(__name__)

#: User fields whose change can change what the user may read.
_ACCESS_FIELDS = frozenset(
    {"is_active", "is_staff", "is_superuser", "groups", "user_permissions"}
)
#: The listener attribute holding the session auth hash its stream opened with.
_HASH_ATTR = "dash_session_auth_hash"


def _session_auth_hash(user: Any) -> str | None:
    # Django verifies sessions only for user models that have this method.
    get_hash = getattr(user, "get_session_auth_hash", None)
    return None if get_hash is None else str(get_hash())


def register_stream(listener: Any, user: Any) -> None:
    """Mark django-eventstream's ``listener`` as a stream of the signed-in ``user``.

    ``close_streams_of(user.pk)`` then ends it, and so does a later save of
    the user that changes their session auth hash.
    """
    listener.user_id = user.pk
    setattr(listener, _HASH_ATTR, _session_auth_hash(user))


def _streams_of(user_id: Any) -> list[Any]:
    from django_eventstream.views import get_listener_manager

    manager = get_listener_manager()
    with manager.lock:
        return [
            listener
            for listeners in manager.listeners_by_channel.values()
            for listener in listeners
            if listener.user_id == user_id
        ]


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


def _has_signed_out_streams(user: Any) -> bool:
    """Whether a stream of ``user`` opened with a session auth hash now stale."""
    opened_with = {
        getattr(listener, _HASH_ATTR, None) for listener in _streams_of(user.pk)
    }
    opened_with.discard(None)
    # The hash is an HMAC, so it is computed only for a user with open streams.
    return bool(opened_with) and bool(opened_with - {_session_auth_hash(user)})


def _on_logged_out(sender: Any, user: Any = None, **kwargs: Any) -> None:
    if user is not None and user.pk is not None:
        close_streams_of(user.pk)


def _on_user_updated(event: ModelUpdated) -> None:
    # A new password is a hidden field, absent from ``changes``; the session
    # auth hash shows it.
    if _ACCESS_FIELDS & set(event.changes) or _has_signed_out_streams(event.instance):
        close_streams_of(event.pk)


def _on_user_deleted(event: ModelDeleted) -> None:
    close_streams_of(event.pk)


def connect() -> None:
    """Wire the sign-out signal and the user listeners; twice is harmless."""
    user_logged_out.connect(_on_logged_out, dispatch_uid="dash.revocation.logout")
    label = get_user_model()._meta.label_lower
    dispatcher.listen(f"{label}.updated", _on_user_updated, after_commit=True)
    dispatcher.listen(f"{label}.deleted", _on_user_deleted, after_commit=True)
