"""``CustomEvent``: an event named at run time, such as a deploy notice."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dash.events.base import Event, validate_event_name
from dash.serialization import to_json_safe

__all__ = ["CustomEvent"]


class CustomEvent(Event):
    """An event whose name, payload and channel are given when it is made.

    For events known when the code is written, subclass ``Event``; this
    class carries names that arrive from outside, such as those of
    ``manage.py dash_emit``. Listeners hear it by name pattern
    (``"deploy.*"``) or, all of them at once, by class. ``payload`` is
    copied into JSON-safe values when the event is made, so changing the
    mapping afterwards changes nothing. Raise ``ValueError`` for an invalid
    name or an empty channel and ``TypeError`` for a payload that is not a
    mapping.
    """

    def __init__(
        self,
        name: str,
        payload: Mapping[str, Any] | None = None,
        *,
        channel: str = Event.channel,
        broadcast: bool = False,
    ) -> None:
        validate_event_name(name)
        if payload is None:
            payload = {}
        if not isinstance(payload, Mapping):
            raise TypeError(
                "A custom event's payload must be a mapping (a JSON object), "
                f"not {type(payload).__name__}."
            )
        if not isinstance(channel, str) or not channel:
            raise ValueError(
                f"A broadcast channel must be a non-empty string, not {channel!r}."
            )
        self.name = name
        self.payload: dict[str, Any] = to_json_safe(dict(payload))
        self.channel = channel
        self.broadcast = broadcast

    def to_payload(self) -> dict[str, Any]:
        """Return a copy of the payload the event was made with."""
        return dict(self.payload)
