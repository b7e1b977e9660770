"""dash's events: the ``Event`` base, model events and the dispatcher."""

from dash.events.base import Event
from dash.events.custom import CustomEvent
from dash.events.dispatcher import EventDispatcher, Listener, dispatcher
from dash.events.model import (
    ModelCreated,
    ModelCreating,
    ModelDeleted,
    ModelDeleting,
    ModelEvent,
    ModelUpdated,
    ModelUpdating,
)

__all__ = [
    "CustomEvent",
    "Event",
    "EventDispatcher",
    "Listener",
    "ModelCreated",
    "ModelCreating",
    "ModelDeleted",
    "ModelDeleting",
    "ModelEvent",
    "ModelUpdated",
    "ModelUpdating",
    "dispatcher",
]
