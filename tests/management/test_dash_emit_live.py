"""End to end: ``dash_emit --broadcast`` run from the shell reaches a staff
browser's open stream on the example site served by daphne, with the embedded
default (database storage, watched by the site) and with Redis."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator

import pytest
import redis

from tests.support.live_site import LiveSite, admin_client, manage, run_live_site
from tests.support.sse import SSEReader

pytestmark = pytest.mark.live

STREAM = "/admin/events/stream"
# CI and this machine run Redis on 6379; another port lets a run check
# that these tests skip, saying why, where no Redis answers.
REDIS_PORT = int(os.environ.get("DASH_TEST_REDIS_PORT", "6379"))
REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"
WATCHING = "Watching django-eventstream's storage every 0.5s"


def _redis() -> redis.Redis:
    return redis.Redis(host="127.0.0.1", port=REDIS_PORT, socket_timeout=1)


def _wait_until(condition: Callable[[], bool], what: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Gave up after {timeout}s waiting until {what}.")
        time.sleep(0.05)


def _subscribers() -> int:
    [(_, count)] = _redis().pubsub_numsub("events_channel")
    return int(count)


@pytest.fixture(scope="module")
def redis_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    """The example site with DASH_EXAMPLE_REDIS_URL set, for site and commands."""
    try:
        _redis().ping()
    except redis.ConnectionError:
        pytest.skip(f"Redis is not answering on 127.0.0.1:{REDIS_PORT}")
    with run_live_site(
        tmp_path_factory.mktemp("redis-site"),
        extra_env={"DASH_EXAMPLE_REDIS_URL": REDIS_URL},
    ) as site:
        yield site


def _emit_deploy_notice(site: LiveSite) -> str:
    return manage(
        site,
        "dash_emit",
        "deploy.notice",
        "--payload",
        '{"message": "Deploying"}',
        "--broadcast",
    )


def test_deploy_notice_reaches_open_streams_through_the_storage(
    live_site: LiveSite,
) -> None:
    admin = admin_client(live_site, "admin", "admin")
    editor = admin_client(live_site, "editor", "editor")

    with SSEReader(admin, STREAM) as first, SSEReader(editor, STREAM) as second:
        for stream in (first, second):
            stream.wait_for(lambda message: message.type == "stream-open")
        output = _emit_deploy_notice(live_site)
        messages = [stream.next_event().json() for stream in (first, second)]

    assert output == "Dispatched deploy.notice and broadcast on 'dash'.\n"
    for message in messages:
        assert message["name"] == "deploy.notice"
        assert message["payload"] == {"message": "Deploying"}
    assert messages[0]["id"] == messages[1]["id"]
    assert WATCHING in live_site.log()


def test_deploy_notice_reaches_open_streams_through_redis(
    redis_site: LiveSite,
) -> None:
    admin = admin_client(redis_site, "admin", "admin")

    with SSEReader(admin, STREAM) as stream:
        stream.wait_for(lambda message: message.type == "stream-open")
        # The site subscribes to Redis when its first stream opens; a message
        # published before that would be lost.
        _wait_until(lambda: _subscribers() >= 1, "the site subscribes to Redis")
        output = _emit_deploy_notice(redis_site)
        message = stream.next_event().json()

    assert output == "Dispatched deploy.notice and broadcast on 'dash'.\n"
    assert message["name"] == "deploy.notice"
    assert message["payload"] == {"message": "Deploying"}
    # Redis carries events between processes; nothing polls the storage.
    assert "Watching django-eventstream's storage" not in redis_site.log()
