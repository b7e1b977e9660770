"""``dash_listeners`` lists every listener by what it hears."""

from io import StringIO

import pytest
from django.core.management import call_command

from dash.events import Event, EventDispatcher
from dash.management.commands import dash_listeners


class Ping(Event):
    name = "net.ping"


def on_ping(event: Event) -> None: ...


def on_net(event: Event) -> None: ...


def on_anything(event: Event) -> None: ...


def listing() -> str:
    out = StringIO()
    call_command("dash_listeners", stdout=out, no_color=True)
    return out.getvalue()


@pytest.fixture
def bus(monkeypatch: pytest.MonkeyPatch) -> EventDispatcher:
    """A dispatcher of the test's own in place of the process-wide one."""
    bus = EventDispatcher()
    monkeypatch.setattr(dash_listeners, "dispatcher", bus)
    return bus


def test_lists_classes_then_patterns_then_every_event(bus: EventDispatcher) -> None:
    bus.listen_all(on_anything, priority=-1000)
    bus.listen("net.*", on_net, priority=5)
    bus.listen(Ping, on_ping, after_commit=True)
    bus.listen(Ping, on_net, priority=10)

    assert listing() == (
        "Event class tests.management.test_dash_listeners.Ping\n"
        "     10  tests.management.test_dash_listeners.on_net\n"
        "      0  tests.management.test_dash_listeners.on_ping (after commit)\n"
        "Name pattern net.*\n"
        "      5  tests.management.test_dash_listeners.on_net\n"
        "Every event\n"
        "  -1000  tests.management.test_dash_listeners.on_anything\n"
    )


def test_says_so_when_nothing_listens(bus: EventDispatcher) -> None:
    assert listing() == "No dash listeners are registered.\n"


def test_lists_the_listeners_dash_registers_itself() -> None:
    lines = [line.strip() for line in listing().splitlines()]

    assert "-1000  dash.broadcast.relay._relay" in lines[lines.index("Every event") :]
