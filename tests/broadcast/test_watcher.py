"""The watcher queues, for this process's listeners, the events that other
processes stored, while streams are open, and only on their channels.

The listeners are django-eventstream's own, registered with its real
listener manager; "another process" is a thread that appends to the real
database storage without queueing, as ``manage.py dash_emit`` does from its
own process.
"""

import asyncio
import logging
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Coroutine
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import User
from django.db import OperationalError, connection
from django.test import AsyncClient, override_settings
from django_eventstream import send_event
from django_eventstream.event import Event as StoredEvent
from django_eventstream.storage import DjangoModelStorage
from django_eventstream.views import Listener, get_listener_manager
from pytest_django.fixtures import Settings

from dash.broadcast import watcher
from dash.broadcast.watcher import follow, reaches_other_processes

pytestmark = pytest.mark.django_db(transaction=True)

INTERVAL = 0.05
WAIT = 5.0
STARTED = (
    "Watching django-eventstream's storage every 0.05s for events sent by "
    "other processes"
)
STOPPED = "Stopped watching django-eventstream's storage: no stream is open"


@pytest.fixture(autouse=True)
def _fast_looks(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.DASH = {"BROADCAST_POLL_INTERVAL": INTERVAL}
    monkeypatch.setattr(watcher, "IDLE_LOOKS", 1)


def _retried_while_locked(write: Callable[[], object]) -> None:
    # The tests' in-memory SQLite shares one cache between threads, whose
    # table locks fail at once instead of waiting as a database file's do:
    # a write that meets the watcher's read is tried again.
    for _ in range(100):
        try:
            write()
            return
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            time.sleep(0.01)
    write()


def store(channel: str, data: str = "{}") -> None:
    """Append an event to the storage, as another process does."""
    try:
        _retried_while_locked(
            lambda: DjangoModelStorage().append_event(channel, "message", data)
        )
    finally:
        connection.close()


def listening(*channels: str) -> Listener:
    listener = Listener()
    listener.channels = set(channels)
    return listener


class FakeStream:
    """Stand in for django-eventstream's stream: listen until closed."""

    def __init__(self, *listeners: Listener) -> None:
        self.listeners = listeners
        self.opened = asyncio.Event()
        self.closed = asyncio.Event()

    async def chunks(self) -> AsyncGenerator[str, None]:
        manager = get_listener_manager()
        for listener in self.listeners:
            listener.assign_loop()
            manager.add_listener(listener)
        self.opened.set()
        try:
            await self.closed.wait()
            yield "last chunk"
        finally:
            for listener in self.listeners:
                manager.remove_listener(listener)


async def opened(*listeners: Listener) -> tuple[FakeStream, asyncio.Task[list[str]]]:
    """Open a stream for ``listeners`` through ``follow``; return it and its reader."""
    stream = FakeStream(*listeners)
    reader = asyncio.create_task(collect(follow(stream.chunks())))
    await asyncio.wait_for(stream.opened.wait(), WAIT)
    return stream, reader


async def close(stream: FakeStream, reader: asyncio.Task[list[str]]) -> None:
    stream.closed.set()
    assert await reader == ["last chunk"]


async def queued(listener: Listener, channel: str, count: int = 1) -> list[StoredEvent]:
    """Wait until ``listener`` was given ``count`` events; return and clear them."""
    items: list[StoredEvent] = []
    while len(items) < count:
        await asyncio.wait_for(listener.aevent.wait(), WAIT)
        listener.aevent.clear()
        assert listener.overflow is False
        items += listener.channel_items.pop(channel, [])
    return items


async def woken_to_read(listener: Listener) -> bool:
    """Wait for ``listener`` to be woken; return whether it must read storage."""
    await asyncio.wait_for(listener.aevent.wait(), WAIT)
    listener.aevent.clear()
    overflow: bool = listener.overflow
    listener.overflow = False
    return overflow


async def collect(chunks: AsyncIterator[str]) -> list[str]:
    return [chunk async for chunk in chunks]


async def watcher_stopped() -> None:
    assert watcher._running is not None
    await asyncio.wait_for(watcher._running.task, WAIT)


def run(scenario: Callable[[], Coroutine[Any, Any, None]]) -> None:
    asyncio.run(scenario())


def test_database_storage_and_redis_reach_other_processes(settings: Settings) -> None:
    assert reaches_other_processes() is True

    del settings.EVENTSTREAM_STORAGE_CLASS
    assert reaches_other_processes() is False

    settings.EVENTSTREAM_REDIS = {"host": "127.0.0.1", "port": 6379}
    assert reaches_other_processes() is True


def test_event_stored_elsewhere_is_queued_for_its_channels_listeners(
    caplog: pytest.LogCaptureFixture,
) -> None:
    dash_listener = listening("dash")
    model_listener = listening("model.testapp.category")
    store("dash", '"before"')

    async def scenario() -> None:
        stream = await opened(dash_listener, model_listener)
        await asyncio.to_thread(store, "dash", '"after"')

        # Not what was stored before the stream opened.
        assert await queued(dash_listener, "dash") == [
            StoredEvent("dash", "message", '"after"', id=2)
        ]
        assert not model_listener.aevent.is_set()
        await close(*stream)
        await watcher_stopped()

    with caplog.at_level(logging.INFO, logger="dash.broadcast.watcher"):
        run(scenario)

    assert caplog.messages == [STARTED, STOPPED]


def test_stream_is_not_given_what_was_stored_before_it_opened() -> None:
    early, late = listening("dash"), listening("dash")

    async def scenario() -> None:
        early_stream = await opened(early)
        await asyncio.to_thread(store, "dash", '"before"')
        late_stream = await opened(late)
        await asyncio.to_thread(store, "dash", '"after"')

        assert [event.data for event in await queued(late, "dash")] == ['"after"']
        assert [event.data for event in await queued(early, "dash", 2)] == [
            '"before"',
            '"after"',
        ]
        await close(*late_stream)
        await close(*early_stream)
        await watcher_stopped()

    run(scenario)


def test_first_event_of_a_channel_is_queued() -> None:
    listener = listening("model.testapp.category")

    async def scenario() -> None:
        stream = await opened(listener)

        await asyncio.to_thread(store, "model.testapp.category")

        assert await queued(listener, "model.testapp.category") == [
            StoredEvent("model.testapp.category", "message", "{}", id=1)
        ]
        await close(*stream)
        await watcher_stopped()

    run(scenario)


def test_streams_share_one_watcher_that_stops_after_the_last() -> None:
    first, second = listening("dash"), listening("dash")

    async def scenario() -> None:
        first_stream, second_stream = await opened(first), await opened(second)
        await asyncio.to_thread(store, "dash")
        assert [event.id for event in await queued(first, "dash")] == [1]
        assert [event.id for event in await queued(second, "dash")] == [1]
        running = watcher._running

        await close(*first_stream)
        await asyncio.to_thread(store, "dash")

        assert [event.id for event in await queued(second, "dash")] == [2]
        assert not first.aevent.is_set()
        assert watcher._running is running
        assert running is not None and not running.task.done()
        await close(*second_stream)
        await watcher_stopped()

    run(scenario)


def test_stream_that_opens_soon_after_the_last_closed_keeps_the_watcher(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(watcher, "IDLE_LOOKS", 1000)
    leaving, arriving = listening("dash"), listening("dash")
    looked_at_no_stream: list[asyncio.Event] = []
    listened_channels = watcher._listened_channels

    def noting_idle_looks() -> list[str]:
        channels = listened_channels()
        if not channels and looked_at_no_stream:
            looked_at_no_stream[0].set()
        return channels

    monkeypatch.setattr(watcher, "_listened_channels", noting_idle_looks)

    async def scenario() -> None:
        looked_at_no_stream.append(asyncio.Event())
        await close(*await opened(leaving))
        running = watcher._running
        await asyncio.wait_for(looked_at_no_stream[0].wait(), WAIT)
        # The next page's stream opens after the watcher saw none open.
        stream = await opened(arriving)
        await asyncio.to_thread(store, "dash")

        assert [event.id for event in await queued(arriving, "dash")] == [1]
        assert watcher._running is running
        monkeypatch.setattr(watcher, "IDLE_LOOKS", 1)
        await close(*stream)
        await watcher_stopped()

    with caplog.at_level(logging.INFO, logger="dash.broadcast.watcher"):
        run(scenario)

    assert caplog.messages == [STARTED, STOPPED]


def test_more_new_events_than_are_queued_make_the_streams_read_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(watcher, "MAX_QUEUED", 1)
    listener = listening("dash")

    async def scenario() -> None:
        stream = await opened(listener)

        await asyncio.to_thread(lambda: [store("dash") for _ in range(2)])

        assert await woken_to_read(listener) is True
        assert listener.channel_items == {}
        await close(*stream)
        await watcher_stopped()

    run(scenario)


def test_failed_first_looks_are_logged_once_then_streams_read_storage(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    listener = listening("dash")
    real_counters = watcher._counters
    failures = iter([True, True])

    def flaky_counters() -> dict[str, int]:
        if next(failures, False):
            raise OperationalError("database is locked")
        return real_counters()

    monkeypatch.setattr(watcher, "_counters", flaky_counters)

    async def scenario() -> None:
        stream = await opened(listener)
        # What was stored while the counters could not be read is unknown.
        assert await woken_to_read(listener) is True
        await close(*stream)
        await watcher_stopped()

    with caplog.at_level(logging.INFO, logger="dash.broadcast.watcher"):
        run(scenario)

    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("INFO", STARTED),
        (
            "ERROR",
            "Could not read django-eventstream's storage; retrying every 0.05s",
        ),
        ("INFO", "Reading django-eventstream's storage again"),
        ("INFO", STOPPED),
    ]
    assert str(caplog.records[1].exc_info[1]) == "database is locked"  # type: ignore[index]


async def pump(content: AsyncIterator[bytes], messages: asyncio.Queue[str]) -> None:
    """Read the stream without pause, queueing the data of each message."""
    async for chunk in content:
        for event in chunk.decode().split("\n\n"):
            if event.startswith("event: message\n"):
                messages.put_nowait(event.partition("data: ")[2])


def test_newer_local_event_does_not_hide_an_older_one_from_elsewhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Through dash's view and django-eventstream's real stream loop."""
    client = AsyncClient()
    client.force_login(User.objects.create_user("staff", is_staff=True))
    gate: list[asyncio.Event] = []
    noted: list[asyncio.Event] = []
    look = watcher._Watcher.look

    async def look_when_let(self: Any) -> None:
        if self.seen is not None:
            await gate[0].wait()
        await look(self)
        if self.seen is not None:
            noted[0].set()

    def send(data: str) -> None:
        _retried_while_locked(
            lambda: send_event("dash", "message", data, json_encode=False)
        )

    async def send_here(data: str) -> None:
        await sync_to_async(send)(data)

    monkeypatch.setattr(watcher._Watcher, "look", look_when_let)

    async def scenario() -> list[str]:
        gate.append(asyncio.Event())
        noted.append(asyncio.Event())
        messages: asyncio.Queue[str] = asyncio.Queue()
        response = await client.get(
            "/admin/events/stream", headers={"Last-Event-ID": "dash:0"}
        )
        reader = asyncio.create_task(pump(response.streaming_content, messages))  # type: ignore[attr-defined]

        async def received() -> str:
            return await asyncio.wait_for(messages.get(), WAIT)

        # Once this arrives, the stream waits for its next event.
        await send_here('"warm-up"')
        found = [await received()]
        # The watcher's first look notes the counters. One that failed (the
        # in-memory test database locks a table a write holds) is retried;
        # the scenario starts once the counters are noted.
        await asyncio.wait_for(noted[0].wait(), WAIT)
        # Stored by another process, then sent by this one, which delivers
        # it at once, before the watcher looks.
        await asyncio.to_thread(store, "dash", '"elsewhere"')
        await send_here('"here"')
        found.append(await received())
        gate[0].set()
        found.append(await received())
        # Last, so that a copy of "here" would come before it.
        await asyncio.to_thread(store, "dash", '"last"')
        found.append(await received())
        reader.cancel()
        await asyncio.gather(reader, return_exceptions=True)
        return found

    found = asyncio.run(scenario())

    # "here" comes first, delivered at once; "elsewhere" comes when the
    # watcher is let look. Either way it arrives, and "last" after both.
    assert found[0] == '"warm-up"'
    assert sorted(found[1:3]) == ['"elsewhere"', '"here"']
    assert found[3] == '"last"'


def assert_passed_through_unwatched(caplog: pytest.LogCaptureFixture) -> None:
    async def chunks() -> AsyncGenerator[str, None]:
        yield "a"
        yield "b"

    with caplog.at_level(logging.INFO, logger="dash.broadcast.watcher"):
        assert asyncio.run(collect(follow(chunks()))) == ["a", "b"]

    assert caplog.messages == []


def test_with_redis_nothing_is_watched(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    settings.EVENTSTREAM_REDIS = {"host": "127.0.0.1", "port": 6379}

    assert_passed_through_unwatched(caplog)


def test_without_storage_nothing_is_watched(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    del settings.EVENTSTREAM_STORAGE_CLASS

    assert_passed_through_unwatched(caplog)


def test_closing_the_stream_closes_the_chunks_it_follows() -> None:
    closed: list[str] = []

    async def chunks() -> AsyncGenerator[str, None]:
        try:
            yield "a"
            yield "b"
        finally:
            closed.append("chunks")

    async def scenario() -> None:
        followed = follow(chunks())
        assert await anext(followed) == "a"
        await followed.aclose()

    with override_settings(EVENTSTREAM_REDIS={"host": "127.0.0.1"}):
        run(scenario)

    assert closed == ["chunks"]
