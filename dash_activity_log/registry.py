"""Opt custom dash events in to the activity log, by class or by name pattern.

Model events are the recorder's; any other event is logged once its class
(subclasses included) or a pattern matching its name is registered::

    log_events(DeployNotice)
    log_events("deploy.*")

    @log_events
    class OrderShipped(Event): ...

Such an activity keeps the event's name (also as its description), its
``to_payload()`` as properties, the acting user from ``dash.context`` and
the event's timestamp, and has no subject; for a subject or a sentence of
your own, call ``log_activity`` from a listener instead. It is written to
the event's ``using`` database, else where the router writes activities.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import router

from dash.context import get_causer
from dash.events import Event, ModelEvent, dispatcher
from dash_activity_log import store
from dash_activity_log.models import Activity

__all__ = ["log_events", "stop_logging_events"]

Target = TypeVar("Target", bound=type[Event] | str)


class _EventRecorder:
    """The listener of one registration; records what it hears unless another did."""

    def __init__(self, target: type[Event] | str) -> None:
        self.target = target
        # dash names listeners by __module__ and __qualname__ in its logs.
        self.__qualname__ = f"log_events({target!r})"

    def __call__(self, event: Event) -> None:
        if isinstance(event, ModelEvent):
            return
        # Several registrations may hear one event (a class and a pattern);
        # the first of them in calling order records it, the others let go.
        first = next(
            (
                listener.fn
                for listener in dispatcher.listeners_for(event)
                if isinstance(listener.fn, _EventRecorder)
            ),
            None,
        )
        if first is not self:
            return
        store.record(
            using=event.using or router.db_for_write(Activity),
            name=event.name,
            description=event.name,
            subject=None,
            causer=get_causer(),
            properties=event.to_payload(),
            created_at=event.timestamp,
            channel=event.channel,
        )


_recorders: dict[type[Event] | str, _EventRecorder] = {}


def log_events(target: Target) -> Target:
    """Log every event of class ``target``, or whose name matches the pattern.

    Return ``target``, so that it also decorates an event class. Registering
    a target again changes nothing; an event heard through several targets
    is logged once. Raise ``TypeError`` or ``ValueError`` for a target that
    is neither an ``Event`` subclass nor a valid name pattern.
    """
    if target not in _recorders:
        recorder = _EventRecorder(target)
        dispatcher.listen(target, recorder)
        _recorders[target] = recorder
    return target


def stop_logging_events(target: type[Event] | str) -> bool:
    """Stop logging what ``log_events(target)`` logged; return whether it did."""
    recorder = _recorders.pop(target, None)
    if recorder is None:
        return False
    dispatcher.remove_listener(recorder, target)
    return True
