"""``manage.py dash_listeners``: what hears which dash event."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby
from typing import Any

from django.core.management.base import BaseCommand

from dash.events.dispatcher import Listener, dispatcher

# Listing order of the groups: event classes, then name patterns, then the
# listeners of every event.
_CLASS, _PATTERN, _EVERY = range(3)


def _group_key(listener: Listener) -> tuple[int, str]:
    target = listener.target
    if target is None:
        return _EVERY, ""
    if isinstance(target, str):
        return _PATTERN, target
    return _CLASS, f"{target.__module__}.{target.__qualname__}"


def _heading(key: tuple[int, str]) -> str:
    kind, target = key
    if kind == _CLASS:
        return f"Event class {target}"
    if kind == _PATTERN:
        return f"Name pattern {target}"
    return "Every event"


def _grouped(listeners: list[Listener]) -> Iterator[tuple[str, list[Listener]]]:
    # sorted() is stable: each group keeps the dispatcher's calling order.
    ordered = sorted(listeners, key=_group_key)
    for key, group in groupby(ordered, key=_group_key):
        yield _heading(key), list(group)


class Command(BaseCommand):
    help = (
        "List every dash listener under the event class or name pattern it "
        "hears, in calling order, with its priority and dotted path."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        listeners = dispatcher.listeners()
        if not listeners:
            self.stdout.write("No dash listeners are registered.")
            return
        width = max(len(str(listener.priority)) for listener in listeners)
        for heading, group in _grouped(listeners):
            self.stdout.write(self.style.MIGRATE_HEADING(heading))
            for listener in group:
                when = " (after commit)" if listener.after_commit else ""
                self.stdout.write(
                    f"  {listener.priority:>{width}}  {listener.path}{when}"
                )
