"""Helpers for testing code that dispatches or listens to dash events."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator, Sequence
from typing import Any, overload

from dash.events.base import Event
from dash.events.dispatcher import EventDispatcher, Listener, dispatcher

__all__ = ["CapturedEvents", "capture_events"]


class CapturedEvents(Sequence[Event]):
    """The events dispatched inside ``capture_events()``, in order."""

    def __init__(self) -> None:
        self._events: list[Event] = []

    def _record(self, event: Event) -> None:
        self._events.append(event)

    @overload
    def __getitem__(self, index: int) -> Event: ...

    @overload
    def __getitem__(self, index: slice) -> list[Event]: ...

    def __getitem__(self, index: int | slice) -> Event | list[Event]:
        return self._events[index]

    def __len__(self) -> int:
        return len(self._events)

    @property
    def names(self) -> list[str]:
        """The names of the captured events, in dispatch order."""
        return [event.name for event in self._events]

    def matching(self, target: type[Event] | str) -> list[Event]:
        """Return the captured events of a class or matching a name pattern."""
        probe = Listener(lambda event: None, target, 0, False, 0)
        return [event for event in self._events if probe.hears(type(event), event.name)]

    def assert_dispatched(
        self, target: type[Event] | str, *, count: int | None = None, **attributes: Any
    ) -> Event:
        """Assert that a matching event was dispatched, and return the last one.

        ``attributes`` narrow the match (``pk=3``, ``changes={...}``);
        ``count`` demands exactly that many matches. Raise ``AssertionError``
        listing what was dispatched otherwise.
        """
        found = [
            event
            for event in self.matching(target)
            if all(
                getattr(event, key, None) == value for key, value in attributes.items()
            )
        ]
        wanted = f"{target!r}" + (f" with {attributes}" if attributes else "")
        if not found or (count is not None and len(found) != count):
            raise AssertionError(
                f"Expected {count if count is not None else 'at least one'} event "
                f"{wanted}, found {len(found)}. Dispatched: {self.names}"
            )
        return found[-1]

    def assert_not_dispatched(self, target: type[Event] | str) -> None:
        """Assert that no event of that class or name pattern was dispatched."""
        found = self.matching(target)
        if found:
            raise AssertionError(
                f"Expected no event {target!r}, found {[e.name for e in found]}."
            )


@contextlib.contextmanager
def capture_events(
    on: EventDispatcher = dispatcher,
) -> Iterator[CapturedEvents]:
    """Record every event dispatched inside the block.

    The recorder runs before any other listener, so an event whose
    propagation a listener stops is still recorded.
    """
    captured = CapturedEvents()
    on.listen_all(captured._record, priority=sys.maxsize)
    try:
        yield captured
    finally:
        on.remove_listener(captured._record)
