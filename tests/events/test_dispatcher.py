import asyncio
import logging
import threading

import pytest
from django.db import transaction
from django.test import override_settings

from dash.events import Event, EventDispatcher


class Ping(Event):
    name = "net.ping"


class LoudPing(Ping):
    name = "net.ping.loud"


class Other(Event):
    name = "shop.order.placed"


@pytest.fixture
def bus() -> EventDispatcher:
    return EventDispatcher()


def test_class_listener_hears_its_class_and_subclasses(bus: EventDispatcher) -> None:
    heard: list[str] = []
    bus.listen(Ping, lambda event: heard.append(event.name))

    bus.dispatch(Ping())
    bus.dispatch(LoudPing())
    bus.dispatch(Other())

    assert heard == ["net.ping", "net.ping.loud"]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("net.*", ["net.ping", "net.ping.loud"]),
        ("*.placed", ["shop.order.placed"]),
        ("net.ping", ["net.ping"]),
        ("*", ["net.ping", "net.ping.loud", "shop.order.placed"]),
    ],
)
def test_pattern_listener_hears_matching_names(
    bus: EventDispatcher, pattern: str, expected: list[str]
) -> None:
    heard: list[str] = []
    bus.listen(pattern, lambda event: heard.append(event.name))

    for event in (Ping(), LoudPing(), Other()):
        bus.dispatch(event)

    assert heard == expected


def test_listen_all_hears_everything(bus: EventDispatcher) -> None:
    heard: list[str] = []
    bus.listen_all(lambda event: heard.append(event.name))

    bus.dispatch(Ping())
    bus.dispatch(Other())

    assert heard == ["net.ping", "shop.order.placed"]


def test_decorator_form_registers_and_returns_the_function(
    bus: EventDispatcher,
) -> None:
    heard: list[Event] = []

    @bus.listen(Ping)
    def on_ping(event: Event) -> None:
        heard.append(event)

    event = bus.dispatch(Ping())

    assert heard == [event]
    assert callable(on_ping)


def test_higher_priority_first_then_registration_order(bus: EventDispatcher) -> None:
    order: list[str] = []
    bus.listen(Ping, lambda e: order.append("low"), priority=-5)
    bus.listen(Ping, lambda e: order.append("first-zero"))
    bus.listen_all(lambda e: order.append("high"), priority=10)
    bus.listen("net.*", lambda e: order.append("second-zero"))

    bus.dispatch(Ping())

    assert order == ["high", "first-zero", "second-zero", "low"]


def test_registering_the_same_function_twice_runs_it_once(bus: EventDispatcher) -> None:
    calls: list[Event] = []

    def on_ping(event: Event) -> None:
        calls.append(event)

    bus.listen(Ping, on_ping)
    bus.listen(Ping, on_ping)
    bus.dispatch(Ping())

    assert len(calls) == 1


def test_remove_listener_removes_it_from_every_target(bus: EventDispatcher) -> None:
    calls: list[Event] = []

    def on_event(event: Event) -> None:
        calls.append(event)

    bus.listen(Ping, on_event)
    bus.listen("shop.*", on_event)
    bus.listen_all(on_event)

    assert bus.remove_listener(on_event) is True
    bus.dispatch(Ping())
    bus.dispatch(Other())

    assert calls == []
    assert bus.remove_listener(on_event) is False


def test_remove_listener_from_one_target_keeps_the_others(bus: EventDispatcher) -> None:
    heard: list[str] = []

    def on_event(event: Event) -> None:
        heard.append(event.name)

    bus.listen(Ping, on_event)
    bus.listen("shop.*", on_event)
    bus.remove_listener(on_event, Ping)

    bus.dispatch(Ping())
    bus.dispatch(Other())

    assert heard == ["shop.order.placed"]


def test_removal_applies_to_an_already_resolved_event(bus: EventDispatcher) -> None:
    calls: list[Event] = []
    bus.listen(Ping, calls.append)
    bus.dispatch(Ping())

    bus.remove_listener(calls.append)
    bus.dispatch(Ping())

    assert len(calls) == 1


def test_failing_listener_is_logged_and_the_others_still_run(
    bus: EventDispatcher, caplog: pytest.LogCaptureFixture
) -> None:
    heard: list[str] = []

    def broken(event: Event) -> None:
        raise RuntimeError("boom")

    bus.listen(Ping, broken, priority=1)
    bus.listen(Ping, lambda e: heard.append("after"))

    with caplog.at_level(logging.ERROR, logger="dash.events"):
        bus.dispatch(Ping())

    assert heard == ["after"]
    [record] = caplog.records
    assert record.getMessage().startswith(
        "Listener tests.events.test_dispatcher."
        "test_failing_listener_is_logged_and_the_others_still_run.<locals>.broken "
        "failed on event net.ping ("
    )
    assert record.exc_info is not None
    assert str(record.exc_info[1]) == "boom"


@override_settings(DASH={"RAISE_LISTENER_ERRORS": True})
def test_setting_makes_listener_errors_raise(bus: EventDispatcher) -> None:
    def broken(event: Event) -> None:
        raise RuntimeError("boom")

    bus.listen(Ping, broken)

    with pytest.raises(RuntimeError, match="boom"):
        bus.dispatch(Ping())


def test_stop_propagation_skips_later_listeners(bus: EventDispatcher) -> None:
    heard: list[str] = []
    bus.listen(Ping, lambda e: (heard.append("first"), e.stop_propagation()))
    bus.listen(Ping, lambda e: heard.append("second"))

    event = bus.dispatch(Ping())

    assert heard == ["first"]
    assert event.propagation_stopped is True


def test_listeners_for_lists_in_calling_order(bus: EventDispatcher) -> None:
    def on_ping(event: Event) -> None: ...

    def on_net(event: Event) -> None: ...

    def on_all(event: Event) -> None: ...

    bus.listen(Ping, on_ping)
    bus.listen("net.*", on_net, priority=5)
    bus.listen_all(on_all, after_commit=True)

    listeners = bus.listeners_for(Ping())

    assert [x.fn for x in listeners] == [on_net, on_ping, on_all]
    assert [x.priority for x in listeners] == [5, 0, 0]
    assert listeners[2].after_commit is True
    assert listeners[1].path.endswith(
        "test_listeners_for_lists_in_calling_order.<locals>.on_ping"
    )
    # A bare name cannot match a class listener.
    assert [x.fn for x in bus.listeners_for("net.ping")] == [on_net, on_all]


def test_listeners_lists_every_listener_in_calling_order(bus: EventDispatcher) -> None:
    def on_ping(event: Event) -> None: ...

    def on_shop(event: Event) -> None: ...

    def on_all(event: Event) -> None: ...

    bus.listen(Ping, on_ping)
    bus.listen("shop.*", on_shop, priority=5)
    bus.listen_all(on_all, priority=-1, after_commit=True)

    listeners = bus.listeners()

    assert [(x.fn, x.target, x.priority, x.after_commit) for x in listeners] == [
        (on_shop, "shop.*", 5, False),
        (on_ping, Ping, 0, False),
        (on_all, None, -1, True),
    ]
    # A copy: changing it leaves the dispatcher alone.
    listeners.clear()
    assert len(bus.listeners()) == 3


@pytest.mark.parametrize("target", [object, 3, Ping()])
def test_invalid_targets_are_refused(bus: EventDispatcher, target: object) -> None:
    with pytest.raises(TypeError, match="takes an Event subclass or a name pattern"):
        bus.listen(target, print)  # type: ignore[call-overload]


def test_invalid_pattern_is_refused(bus: EventDispatcher) -> None:
    with pytest.raises(ValueError, match="Invalid event name pattern 'Net Ping'"):
        bus.listen("Net Ping", print)


def test_async_listener_runs_from_sync_dispatch(bus: EventDispatcher) -> None:
    heard: list[str] = []

    async def on_ping(event: Event) -> None:
        await asyncio.sleep(0)
        heard.append(event.name)

    bus.listen(Ping, on_ping)
    bus.dispatch(Ping())

    assert heard == ["net.ping"]


def test_adispatch_runs_sync_listeners_off_the_event_loop(bus: EventDispatcher) -> None:
    threads: dict[str, int] = {}

    def sync_listener(event: Event) -> None:
        threads["sync"] = threading.get_ident()

    async def async_listener(event: Event) -> None:
        threads["async"] = threading.get_ident()

    bus.listen(Ping, sync_listener)
    bus.listen(Ping, async_listener)

    async def main() -> int:
        await bus.adispatch(Ping())
        return threading.get_ident()

    loop_thread = asyncio.run(main())

    assert threads["async"] == loop_thread
    assert threads["sync"] != loop_thread


@pytest.mark.django_db(transaction=True)
def test_after_commit_listener_waits_for_commit(bus: EventDispatcher) -> None:
    heard: list[str] = []
    bus.listen(Ping, lambda e: heard.append("committed"), after_commit=True)

    with transaction.atomic():
        bus.dispatch(Ping())
        assert heard == []

    assert heard == ["committed"]


@pytest.mark.django_db(transaction=True)
def test_after_commit_listener_never_runs_on_rollback(bus: EventDispatcher) -> None:
    heard: list[str] = []
    bus.listen(Ping, lambda e: heard.append("committed"), after_commit=True)

    with pytest.raises(RuntimeError), transaction.atomic():
        bus.dispatch(Ping())
        raise RuntimeError("roll back")

    assert heard == []
