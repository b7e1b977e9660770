"""Custom dash events are logged once registered, by class or by name pattern."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pytest

from dash.context import acting_as
from dash.events import Event, dispatcher
from dash_activity_log import log_events, stop_logging_events
from dash_activity_log.models import Activity
from tests.dash_activity_log.factories import AuthorFactory, UserFactory

pytestmark = pytest.mark.django_db


@dataclass
class OrderShipped(Event):
    name = "shop.order.shipped"

    order_id: int
    total: Decimal


@dataclass
class ExpressOrderShipped(OrderShipped):
    name = "shop.order.shipped_express"


class DeployNotice(Event):
    name = "deploy.notice"

    def to_payload(self) -> dict[str, str]:
        return {"version": "2.4.1"}


@pytest.fixture(autouse=True)
def _forget_registrations() -> Iterator[None]:
    yield
    for target in (OrderShipped, ExpressOrderShipped, "deploy.*", "shop.*", "*"):
        stop_logging_events(target)


def _logged() -> list[tuple[str, str, dict[str, object]]]:
    return list(
        Activity.objects.exclude(event__startswith="auth.")
        .order_by("id")
        .values_list("event", "description", "properties")
    )


def test_unregistered_events_are_not_logged() -> None:
    dispatcher.dispatch(DeployNotice())

    assert _logged() == []


def test_a_registered_class_is_logged_with_its_payload() -> None:
    log_events(OrderShipped)
    user = UserFactory(username="clerk")

    with acting_as(user):
        event = dispatcher.dispatch(OrderShipped(order_id=7, total=Decimal("10.50")))

    activity = Activity.objects.get(event="shop.order.shipped")
    assert activity.description == "shop.order.shipped"
    assert activity.properties == {"order_id": 7, "total": "10.50"}
    assert (activity.causer, activity.causer_name) == (user, "clerk")
    assert (activity.subject_type, activity.subject_id) == (None, "")
    assert activity.created_at == event.timestamp


def test_a_registered_class_covers_its_subclasses() -> None:
    log_events(OrderShipped)

    dispatcher.dispatch(ExpressOrderShipped(order_id=8, total=Decimal("1")))

    assert [event for event, _, _ in _logged()] == ["shop.order.shipped_express"]


def test_a_registered_pattern_is_logged() -> None:
    log_events("deploy.*")

    dispatcher.dispatch(DeployNotice())

    assert _logged() == [("deploy.notice", "deploy.notice", {"version": "2.4.1"})]


def test_log_events_decorates_an_event_class() -> None:
    @log_events
    @dataclass
    class Refunded(Event):
        name = "shop.order.refunded"

        order_id: int

    try:
        dispatcher.dispatch(Refunded(order_id=3))
    finally:
        stop_logging_events(Refunded)

    assert _logged() == [
        ("shop.order.refunded", "shop.order.refunded", {"order_id": 3})
    ]


def test_an_event_heard_through_several_registrations_is_logged_once() -> None:
    log_events(OrderShipped)
    log_events(ExpressOrderShipped)
    log_events("shop.*")
    log_events(OrderShipped)

    dispatcher.dispatch(ExpressOrderShipped(order_id=8, total=Decimal("1")))

    assert len(_logged()) == 1


def test_model_events_are_left_to_the_recorder() -> None:
    log_events("*")

    AuthorFactory()

    assert [event for event, _, _ in _logged()] == ["library.author.created"]


def test_stopping_ends_the_logging_and_says_whether_it_did() -> None:
    log_events("deploy.*")

    assert stop_logging_events("deploy.*") is True
    assert stop_logging_events("deploy.*") is False

    dispatcher.dispatch(DeployNotice())
    assert _logged() == []


@pytest.mark.django_db(databases="__all__")
def test_an_event_is_logged_in_its_database(db_alias: str) -> None:
    log_events("deploy.*")
    event = DeployNotice()
    event.using = db_alias

    dispatcher.dispatch(event)

    assert Activity.objects.using(db_alias).get().event == "deploy.notice"


def test_an_invalid_target_is_refused() -> None:
    with pytest.raises(ValueError, match="Invalid event name pattern 'Deploy!'"):
        log_events("Deploy!")
    with pytest.raises(TypeError, match="takes an Event subclass or a name pattern"):
        log_events(datetime.date)  # type: ignore[type-var]

    assert stop_logging_events("Deploy!") is False
