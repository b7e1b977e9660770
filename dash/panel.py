"""The panel-style callbacks that earlier plans promised, over dash's dispatcher.

``from dash import panel`` keeps code written against that API working::

    panel.on_model_created(notify, model="library.book").on_model_deleted(audit)

New code listens to the model events themselves, which also carry the
changes and the causer.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.apps import apps
from django.db import models

from dash.events.dispatcher import EventDispatcher, dispatcher
from dash.events.model import ModelCreated, ModelDeleted, ModelEvent, ModelUpdated

__all__ = ["Panel", "panel"]

InstanceCallback = Callable[[models.Model], object]
ModelTarget = type[models.Model] | str | None


class _InstanceListener:
    """Call ``fn`` with the event's instance.

    Equal when ``fn`` is, so that registering the same callback twice is
    harmless, and named after ``fn`` in logs and in ``dash_listeners``.
    """

    def __init__(self, fn: InstanceCallback) -> None:
        functools.update_wrapper(self, fn)
        self.fn = fn

    def __call__(self, event: ModelEvent) -> None:
        # A name pattern also hears any other event that borrows a model
        # event's name; only model events have an instance to pass on.
        if isinstance(event, ModelEvent):
            self.fn(event.instance)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _InstanceListener) and other.fn == self.fn

    def __hash__(self) -> int:
        return hash(self.fn)


def _label(model: type[models.Model] | str) -> str:
    if isinstance(model, str):
        # Raises LookupError, naming the app or model that is missing.
        model = apps.get_model(model)
    if isinstance(model, type) and issubclass(model, models.Model):
        return model._meta.label_lower
    raise TypeError(
        f"model must be a model class or an 'app_label.model_name' label, "
        f"not {model!r}."
    )


class Panel:
    """Register callbacks that receive the created, updated or deleted instance.

    Every method returns the panel, so calls chain. Without ``model`` the
    callback hears every tracked model. The callbacks run when the model
    event is dispatched, inside the save's transaction, with the dispatcher's
    error handling. Register them in ``AppConfig.ready()``: a label is looked
    up in the app registry then, and an unknown one raises ``LookupError``.
    """

    def __init__(self, on: EventDispatcher = dispatcher) -> None:
        self._dispatcher = on

    def on_model_created(
        self, fn: InstanceCallback, model: ModelTarget = None
    ) -> Panel:
        """Call ``fn(instance)`` after an instance of ``model`` is inserted."""
        return self._listen(ModelCreated, fn, model)

    def on_model_updated(
        self, fn: InstanceCallback, model: ModelTarget = None
    ) -> Panel:
        """Call ``fn(instance)`` after an instance of ``model`` is saved again."""
        return self._listen(ModelUpdated, fn, model)

    def on_model_deleted(
        self, fn: InstanceCallback, model: ModelTarget = None
    ) -> Panel:
        """Call ``fn(instance)`` after an instance of ``model`` is deleted.

        The instance still has its primary key and its last field values.
        """
        return self._listen(ModelDeleted, fn, model)

    def _listen(
        self, event_class: type[ModelEvent], fn: InstanceCallback, model: ModelTarget
    ) -> Panel:
        if not callable(fn):
            raise TypeError(f"A panel callback must be callable, not {fn!r}.")
        target: type[ModelEvent] | str = event_class
        if model is not None:
            # A model event's name is "<label>.<action>", so an exact name
            # pattern selects one model's events.
            target = f"{_label(model)}.{event_class.action}"
        self._dispatcher.listen(target, _InstanceListener(fn))
        return self


#: The panel over dash's process-wide dispatcher.
panel = Panel()
