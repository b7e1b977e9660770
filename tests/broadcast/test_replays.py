"""A stream never sends the same message twice; everything else passes."""

import asyncio
from collections.abc import AsyncGenerator

import pytest
from django_eventstream.utils import sse_encode_event

from dash.broadcast.replays import drop_replays
from tests.support.live_site import LiveSite, admin_client, admin_post, manage
from tests.support.sse import SSEReader

STREAM = "/admin/events/stream"
OPEN = "event: stream-open\ndata:\n\n"
KEEP_ALIVE = "event: keep-alive\ndata:\n\n"


def message(data: str, event_id: str) -> str:
    return str(sse_encode_event("message", data, event_id=event_id))


def through(chunks: list[str], **options: int) -> list[str]:
    async def source() -> AsyncGenerator[str, None]:
        for chunk in chunks:
            yield chunk

    async def collect() -> list[str]:
        return [chunk async for chunk in drop_replays(source(), **options)]

    return asyncio.run(collect())


def test_messages_and_bookkeeping_pass_untouched() -> None:
    chunks = [
        ":" + " " * 2048 + "\n\n" + OPEN,
        message('{"id": "a"}', "dash:1") + message('{"id": "b"}', "dash:2"),
        KEEP_ALIVE,
    ]

    assert through(chunks) == chunks


def test_message_sent_again_is_dropped_from_its_chunk() -> None:
    first = message('{"id": "a"}', "dash:1,model.x.y:4")
    second = message('{"id": "b"}', "dash:2,model.x.y:4")
    # The replay of "a" carries another id: eventstream computes it anew.
    replay = message('{"id": "a"}', "dash:1,model.x.y:5")

    assert through([first + second, replay + KEEP_ALIVE, replay]) == [
        first + second,
        KEEP_ALIVE,
    ]


def test_multiline_data_is_compared_whole() -> None:
    one = message("line\nA", "dash:1")
    other = message("line\nB", "dash:2")

    assert through([one, other, one]) == [one, other]


def test_only_the_latest_messages_are_remembered() -> None:
    a, b, c = (message(f'{{"id": "{x}"}}', f"dash:{n}") for n, x in enumerate("abc"))

    assert through([a, b, c, a], recent=2) == [a, b, c, a]
    assert through([a, b, a], recent=2) == [a, b]


def test_closing_closes_the_stream_it_reads() -> None:
    closed: list[str] = []

    async def source() -> AsyncGenerator[str, None]:
        try:
            yield OPEN
            yield KEEP_ALIVE
        finally:
            closed.append("source")

    async def read_one_then_close() -> str:
        chunks = drop_replays(source())
        chunk = await anext(chunks)
        await chunks.aclose()
        return chunk

    assert asyncio.run(read_one_then_close()) == OPEN
    assert closed == ["source"]


@pytest.mark.live
def test_rapid_changes_reach_an_open_stream_once_each(live_site: LiveSite) -> None:
    # The site's watcher queues a second copy of each event the site sent.
    watcher = admin_client(live_site, "admin", "admin")
    editor = admin_client(live_site, "editor", "editor")
    names = [f"Rapid {n}" for n in range(40)]

    with SSEReader(watcher, STREAM) as stream:
        stream.wait_for(lambda message: message.type == "stream-open")
        for name in names:
            admin_post(
                editor,
                "/admin/library/genre/add/",
                {"name": name, "slug": name.lower().replace(" ", "-"), "_save": "Save"},
            )
        # Another process's event comes last, after at least one re-read.
        manage(live_site, "dash_emit", "test.done", "--broadcast", "--verbosity", "0")
        received = []
        while (message := stream.next_event().json())["name"] != "test.done":
            received.append(message)

    assert [m["payload"]["object_repr"] for m in received] == names
    assert len({m["id"] for m in received}) == len(names)
