"""Send broadcast events to django-eventstream once their transaction commits."""

from __future__ import annotations

import functools
import json
import logging
from typing import Any

from django.db import transaction

from dash.events.base import Event
from dash.events.custom import CustomEvent
from dash.events.dispatcher import dispatcher
from dash.logins import is_login_update

__all__ = ["connect", "to_message"]

logger = logging.getLogger(__name__)

#: The SSE event type of every message; browsers read it with ``onmessage``.
SSE_EVENT_TYPE = "message"


def to_message(event: Event) -> dict[str, Any]:
    """Return the JSON message browsers receive for ``event``."""
    return {
        "id": event.id,
        "name": event.name,
        "payload": event.to_payload(),
        "timestamp": event.timestamp.isoformat(),
    }


def _send(name: str, channel: str, data: str) -> None:
    # django-eventstream reads settings at import time, so import it late.
    from django_eventstream import send_event

    try:
        send_event(channel, SSE_EVENT_TYPE, data, json_encode=False)
    except Exception:
        # The change is committed; a broadcast that fails must not undo or
        # break it. Browsers that reconnect later reload what they show.
        logger.exception("Broadcast of %s on channel %s failed", name, channel)


def _relay(event: Event) -> None:
    if not event.broadcast:
        return
    if is_login_update(event):
        # A sign-in is no news to the other admins: broadcast, it toasts
        # "X updated user X" and warns an open change form of that user
        # that someone else changed it. Listeners still hear it.
        logger.debug("%s only records a sign-in; not broadcast", event.name)
        return
    # Serialize now: the instance may change again before the commit.
    data = json.dumps(to_message(event))
    logger.debug("Broadcast of %s on %s waits for commit", event.name, event.channel)
    transaction.on_commit(
        functools.partial(_send, event.name, event.channel, data), using=event.using
    )


def connect() -> None:
    """Listen to every broadcast event; connecting twice is harmless."""
    # Only broadcast classes: the others then cost nothing, and a model
    # nobody else listens to skips the work of describing its changes.
    dispatcher.listen_all(_relay, priority=-1000, where=_is_broadcast)


def _is_broadcast(event_class: type[Event]) -> bool:
    # A CustomEvent chooses per instance whether it is broadcast.
    return event_class.broadcast or issubclass(event_class, CustomEvent)
