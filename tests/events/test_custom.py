"""CustomEvent carries a name, a JSON payload and a channel given at run time."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from dash.events import Event, EventDispatcher
from dash.events.custom import CustomEvent


def test_name_payload_channel_and_broadcast_are_the_given_ones() -> None:
    event = CustomEvent(
        "deploy.notice", {"message": "Deploying"}, channel="ops", broadcast=True
    )

    assert event.name == "deploy.notice"
    assert event.to_payload() == {"message": "Deploying"}
    assert (event.channel, event.broadcast) == ("ops", True)
    assert isinstance(event, Event)


def test_defaults_are_an_empty_payload_on_the_default_channel_not_broadcast() -> None:
    event = CustomEvent("deploy.notice")

    assert event.to_payload() == {}
    assert (event.channel, event.broadcast) == ("dash", False)


def test_payload_is_copied_as_json_safe_values() -> None:
    payload = {"at": datetime(2026, 1, 2, 3, 4, tzinfo=UTC), "cost": Decimal("1.50")}

    event = CustomEvent("deploy.notice", payload)
    payload["cost"] = Decimal("9")
    event.to_payload()["extra"] = True

    assert event.to_payload() == {"at": "2026-01-02T03:04:00+00:00", "cost": "1.50"}


def test_listeners_hear_it_by_name_pattern_and_by_class() -> None:
    bus = EventDispatcher()
    heard: list[str] = []
    bus.listen("deploy.*", lambda event: heard.append(f"pattern {event.name}"))
    bus.listen(CustomEvent, lambda event: heard.append(f"class {event.name}"))

    bus.dispatch(CustomEvent("deploy.notice"))
    bus.dispatch(CustomEvent("backup.done"))

    assert heard == [
        "pattern deploy.notice",
        "class deploy.notice",
        "class backup.done",
    ]


def test_invalid_name_raises_value_error() -> None:
    with pytest.raises(ValueError) as raised:
        CustomEvent("Deploy Notice")

    assert str(raised.value) == (
        "Invalid event name 'Deploy Notice': use lowercase dotted words such as "
        "'library.book.updated' (letters, digits, '_' and '-')."
    )


def test_payload_that_is_not_a_mapping_raises_type_error() -> None:
    with pytest.raises(TypeError) as raised:
        CustomEvent("deploy.notice", ["Deploying"])  # type: ignore[arg-type]

    assert str(raised.value) == (
        "A custom event's payload must be a mapping (a JSON object), not list."
    )


def test_empty_channel_raises_value_error() -> None:
    with pytest.raises(ValueError) as raised:
        CustomEvent("deploy.notice", channel="")

    assert str(raised.value) == (
        "A broadcast channel must be a non-empty string, not ''."
    )
