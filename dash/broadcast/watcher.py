"""Deliver to this process's streams the events that other processes stored.

django-eventstream pushes an event live only to the streams of the process
that sends it: ``send_event`` appends the event to the storage, then queues
it for the listeners of its own process. An event sent by ``manage.py
dash_emit``, a task worker or another server process is stored, and the
streams served here never hear of it. So, while streams are open, the
serving process reads eventstream's per-channel counters (one query) every
``DASH["BROADCAST_POLL_INTERVAL"]`` seconds; for each channel that moved on
and has listeners here, it reads the new events from the storage and queues
them for those listeners, as eventstream's own Redis listener queues the
events that Redis brings.

This happens with django-eventstream's ``DjangoModelStorage`` only. With
``EVENTSTREAM_REDIS``, eventstream fans events out through Redis itself and
nothing here runs.

The events that this process sent are queued a second time; the stream
drops the copies (``dash.broadcast.replays``). Queueing rather than making
the streams read the storage matters: a stream that has sent a newer local
event reads the storage only after it, and would never send an older event
of another process.

Note: this is the one module of dash that reaches into django-eventstream's
internals (the ``ListenerManager``'s lock and table of listeners,
``Listener.overflow`` and ``wake_threadsafe()``), as of 5.3: eventstream has
no public way to list or wake its listeners.

Note: where queueing is not possible, streams read the storage from the
last event they sent, and an event of another process that is older than
that one is lost for them. That happens when a listener already has ten
events pending on the channel (as with Redis), and when the watcher gives
up queueing: over ``MAX_QUEUED`` new events in one look, events already
trimmed from the storage, a failed read.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from collections.abc import AsyncGenerator, Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from django.conf import settings
from django.db import close_old_connections, connections

from dash.conf import dash_settings

__all__ = ["follow", "reaches_other_processes"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: Looks that find no open stream before the watcher stops: a browser that
#: moves from one admin page to the next closes a stream and opens another.
IDLE_LOOKS = 20
#: New events of one channel read and queued in one look; beyond this, the
#: channel's streams read the storage themselves, page by page.
MAX_QUEUED = 50

# The running watcher; asyncio keeps only a weak reference to its task.
_running: _Watcher | None = None


def _uses_redis() -> bool:
    # The same test django-eventstream applies when it is imported.
    return hasattr(settings, "EVENTSTREAM_REDIS")


def _watches_storage() -> bool:
    # django-eventstream reads settings at import time, so import it late.
    from django_eventstream.storage import DjangoModelStorage
    from django_eventstream.utils import get_storage

    return not _uses_redis() and isinstance(get_storage(), DjangoModelStorage)


def reaches_other_processes() -> bool:
    """Return whether an event broadcast here reaches streams served elsewhere.

    True with ``EVENTSTREAM_REDIS``, or with django-eventstream's
    ``DjangoModelStorage``, which the serving process watches.
    """
    return _uses_redis() or _watches_storage()


async def follow(chunks: AsyncGenerator[str, None]) -> AsyncGenerator[str, None]:
    """Yield the chunks of an event stream, watching storage while it is open.

    The first open stream of an event loop starts the watcher. Every stream
    has the watcher look at the counters before it reads the storage
    itself: what was stored until then is not for it, and what is stored
    after reaches it. The watcher stops by itself once no stream has been
    open for ``IDLE_LOOKS`` looks (10 seconds at the default interval).
    Closing this generator closes ``chunks``.
    """
    if _watches_storage():
        while True:
            watcher = _watching()
            await watcher.look()
            # It may have stopped during the look, before this stream
            # listens; from here on it cannot, before ``chunks`` starts.
            if not watcher.task.done():
                break
    async with contextlib.aclosing(chunks):
        async for chunk in chunks:
            yield chunk


def _watching() -> _Watcher:
    global _running
    loop = asyncio.get_running_loop()
    running = _running
    if running is None or running.task.done() or running.task.get_loop() is not loop:
        running = _running = _Watcher(dash_settings().broadcast_poll_interval, loop)
    return running


class _Watcher:
    """One run of the watcher, from the first open stream to the last."""

    def __init__(self, interval: float, loop: asyncio.AbstractEventLoop) -> None:
        self.interval = interval
        # Looks come from the watcher's loop and from opening streams.
        self.lock = asyncio.Lock()
        #: The counters as of the last look; None until one succeeds.
        self.seen: dict[str, int] | None = None
        self.failing = False
        # A thread of its own: Django's connections are per thread, so the
        # watcher holds one connection at most, and closes it when it stops.
        self.executor = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="dash-watcher"
        )
        # An empty context: the watcher outlives the request that starts it
        # and must hold on to nothing of it (the request, asgiref's
        # per-request thread).
        self.task = loop.create_task(
            self.run(), name="dash-storage-watcher", context=contextvars.Context()
        )

    async def run(self) -> None:
        """Look at the counters while streams are open; return once none is."""
        logger.info(
            "Watching django-eventstream's storage every %ss for events sent by "
            "other processes",
            self.interval,
        )
        idle = 0
        try:
            while True:
                await asyncio.sleep(self.interval)
                if _listened_channels():
                    idle = 0
                    await self.look()
                else:
                    idle += 1
                    # Decided with no await since the look at the listeners,
                    # so that no stream opens unwatched in between.
                    if idle >= IDLE_LOOKS:
                        break
            logger.info(
                "Stopped watching django-eventstream's storage: no stream is open"
            )
        finally:
            self.executor.submit(connections.close_all)
            self.executor.shutdown(wait=False)

    async def look(self) -> None:
        """Queue the events stored since the last look for their listeners.

        The first look only notes the counters, unless reading them failed
        before: then what the streams missed meanwhile is unknown, and each
        reads the storage from where it is.
        """
        async with self.lock:
            await self._look()

    async def _look(self) -> None:
        counters = await self._read(_counters)
        if counters is None:
            return
        recovered, self.failing = self.failing, False
        if recovered:
            logger.info("Reading django-eventstream's storage again")
        seen, self.seen = self.seen, counters
        if seen is None:
            if recovered:
                _wake(_listened_channels())
            return
        listened = set(_listened_channels())
        for channel, value in counters.items():
            after = seen.get(channel, 0)
            if value != after and channel in listened:
                events = await self._read(_stored_between, channel, after, value)
                if events is None:
                    _wake([channel])
                else:
                    _queue(channel, events)

    async def _read(self, read: Callable[..., T], *args: Any) -> T | None:
        """Return ``read(*args)`` run in the watcher's thread; None if it fails."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self.executor, read, *args)
        except Exception:
            if not self.failing:
                logger.exception(
                    "Could not read django-eventstream's storage; retrying every %ss",
                    self.interval,
                )
            self.failing = True
            return None


def _counters() -> dict[str, int]:
    from django_eventstream.models import EventCounter

    try:
        # Every channel, listened to or not: a stream that opens later must
        # not receive what was stored long before it.
        counters: dict[str, int] = dict(
            EventCounter.objects.values_list("name", "value")
        )
    finally:
        # Honour CONN_MAX_AGE and drop a broken connection, as Django does
        # around each request.
        close_old_connections()
    return counters


def _stored_between(channel: str, after: int, until: int) -> list[Any] | None:
    """Return the stored events ``after < id <= until``; None if unsure of them."""
    from django_eventstream.storage import EventDoesNotExist
    from django_eventstream.utils import get_storage

    if not 0 <= until - after <= MAX_QUEUED:
        return None
    try:
        events: list[Any] = get_storage().get_events(
            channel, after, limit=until - after
        )
    except EventDoesNotExist:
        # Trimmed from the storage: only the streams know where they are.
        return None
    finally:
        close_old_connections()
    return events


def _listened_channels() -> list[str]:
    from django_eventstream.views import get_listener_manager

    manager = get_listener_manager()
    with manager.lock:
        return list(manager.listeners_by_channel)


def _queue(channel: str, events: list[Any]) -> None:
    from django_eventstream.views import get_listener_manager

    manager = get_listener_manager()
    for event in events:
        manager.add_to_queues(channel, event)
    logger.debug("Queued %d stored events of %s", len(events), channel)


def _wake(channels: Collection[str]) -> None:
    from django_eventstream.views import get_listener_manager

    manager = get_listener_manager()
    with manager.lock:
        listeners = {
            listener
            for channel in channels
            for listener in manager.listeners_by_channel.get(channel, ())
        }
        for listener in listeners:
            # The stream loop answers an overflow by reading the storage
            # from the last event it sent.
            listener.overflow = True
            listener.wake_threadsafe()
    logger.debug("Woke %d listeners to read %s", len(listeners), channels)
