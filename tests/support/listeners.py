"""Take away the listeners that hear every event, for tests that count queries."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from dash.broadcast import relay
from dash.events import dispatcher
from dash_activity_log import recorder


@contextlib.contextmanager
def without_default_listeners() -> Iterator[None]:
    """Remove the broadcast relay and the activity log's recorder in the block.

    The relay hears every event and the recorder every created, updated and
    deleted one, so while they listen dash always has someone to read the
    before state for. Both are connected again on exit.
    """
    dispatcher.remove_listener(relay._relay)
    for listener in (recorder._on_created, recorder._on_updated, recorder._on_deleted):
        dispatcher.remove_listener(listener)
    try:
        yield
    finally:
        relay.connect()
        recorder.connect()
