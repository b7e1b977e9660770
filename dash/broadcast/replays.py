"""Drop the messages that an event stream would send twice.

A stream can be given the same event twice. ``dash.broadcast.watcher``
queues every event it finds in the storage, this process's own included,
which django-eventstream has queued already. And eventstream sends an event
twice when a stream reads the storage while its own process is sending that
event: the read finds the stored event, and the sender then queues it as
well (eventstream's "FIXME: reconcile without re-reading from db"). Every
dash message is unique (it carries its event's id and time), so one whose
data this stream has sent lately is a replay.

Note: a message that another sender puts on dash's channels is dropped too
when its data equals that of one of the stream's recent messages. A dropped
replay can leave the stream's last event id behind what the browser has
seen; after a reconnect, dash-wire.js ignores the messages it already
showed.
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import AsyncGenerator

from dash.broadcast.relay import SSE_EVENT_TYPE

__all__ = ["drop_replays"]

#: How many of a stream's latest messages a replay is looked for among; a
#: replay follows its original within one look of the watcher.
RECENT_MESSAGES = 1000

_MESSAGE_LINE = f"event: {SSE_EVENT_TYPE}"
_EVENT_END = "\n\n"


class _Recent:
    """The data of the last ``size`` messages, as hashes."""

    def __init__(self, size: int) -> None:
        self._order: deque[int] = deque()
        self._hashes: set[int] = set()
        self._size = size

    def add(self, data: str) -> bool:
        """Remember ``data``; return whether it was already there."""
        key = hash(data)
        if key in self._hashes:
            return True
        if len(self._order) == self._size:
            self._hashes.discard(self._order.popleft())
        self._order.append(key)
        self._hashes.add(key)
        return False


def _is_replay(event: str, recent: _Recent) -> bool:
    lines = event.split("\n")
    if lines[0] != _MESSAGE_LINE:
        return False
    return recent.add("\n".join(line for line in lines if line.startswith("data:")))


async def drop_replays(
    chunks: AsyncGenerator[str, None], *, recent: int = RECENT_MESSAGES
) -> AsyncGenerator[str, None]:
    """Yield the chunks of an event stream without its replayed messages.

    A chunk holds whole SSE events, as django-eventstream's stream yields
    them; one left with no event is not yielded. Other events (stream-open,
    keep-alive, errors) pass untouched. Closing this generator closes
    ``chunks``.
    """
    seen = _Recent(recent)
    async with contextlib.aclosing(chunks):
        async for chunk in chunks:
            events = chunk.split(_EVENT_END)
            kept = [event for event in events[:-1] if not _is_replay(event, seen)]
            if kept or events[-1]:
                yield _EVENT_END.join([*kept, events[-1]])
