import pytest

from dash.events import Event, ModelCreated, dispatcher
from dash.testing import capture_events
from tests.testapp.models import Category


class Ping(Event):
    name = "net.ping"


def test_records_events_in_order_and_stops_recording_on_exit() -> None:
    with capture_events() as events:
        first = dispatcher.dispatch(Ping())
        second = dispatcher.dispatch(Ping())
    dispatcher.dispatch(Ping())

    assert list(events) == [first, second]
    assert events.names == ["net.ping", "net.ping"]


def test_records_even_when_a_listener_stops_propagation() -> None:
    def stopper(event: Event) -> None:
        event.stop_propagation()

    dispatcher.listen(Ping, stopper, priority=10_000)
    try:
        with capture_events() as events:
            dispatcher.dispatch(Ping())
    finally:
        dispatcher.remove_listener(stopper)

    assert events.names == ["net.ping"]


@pytest.mark.django_db
def test_assert_dispatched_matches_class_pattern_and_attributes() -> None:
    with capture_events() as events:
        category = Category.objects.create(name="SF")

    found = events.assert_dispatched(ModelCreated, pk=category.pk)
    assert found.name == "testapp.category.created"
    assert events.assert_dispatched("testapp.*.created", count=1) is found


@pytest.mark.django_db
def test_assert_dispatched_explains_what_was_dispatched() -> None:
    with capture_events() as events:
        Category.objects.create(name="SF")

    with pytest.raises(AssertionError) as raised:
        events.assert_dispatched("*.deleted")

    assert str(raised.value) == (
        "Expected at least one event '*.deleted', found 0. Dispatched: "
        "['testapp.category.creating', 'testapp.category.created']"
    )


def test_assert_dispatched_checks_the_count() -> None:
    with capture_events() as events:
        dispatcher.dispatch(Ping())
        dispatcher.dispatch(Ping())

    with pytest.raises(AssertionError, match=r"Expected 1 event 'net\.ping', found 2"):
        events.assert_dispatched("net.ping", count=1)


def test_assert_not_dispatched() -> None:
    with capture_events() as events:
        dispatcher.dispatch(Ping())

    events.assert_not_dispatched("shop.*")
    with pytest.raises(AssertionError, match=r"Expected no event 'net\.\*'"):
        events.assert_not_dispatched("net.*")
