import json
import os
import random
from dataclasses import dataclass
from datetime import UTC, date
from decimal import Decimal

import pytest

from dash.events import Event
from dash.events.base import validate_event_name


@dataclass
class OrderShipped(Event):
    name = "shop.order.shipped"
    broadcast = True
    channel = "orders"

    order_id: int
    total: Decimal
    ship_date: date


class DeployNotice(Event):
    pass


def test_dataclass_event_gets_id_name_and_aware_utc_timestamp() -> None:
    event = OrderShipped(order_id=7, total=Decimal("10.50"), ship_date=date(2026, 1, 2))

    assert event.name == "shop.order.shipped"
    assert len(event.id) == 32
    assert event.timestamp.tzinfo is UTC
    assert (event.broadcast, event.channel) == (True, "orders")


def test_each_event_has_its_own_id() -> None:
    first, second = DeployNotice(), DeployNotice()

    assert first.id != second.id


def test_ids_do_not_repeat_when_a_test_suite_reseeds_random() -> None:
    random.seed(0)
    first = DeployNotice()
    random.seed(0)

    assert DeployNotice().id != first.id


def test_a_forked_worker_makes_ids_of_its_own() -> None:
    # Servers such as gunicorn fork workers from one loaded process; ids made
    # in the workers must not repeat each other's.
    DeployNotice()
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the forked child
        os.write(write_end, DeployNotice().id.encode())
        os._exit(0)
    os.close(write_end)
    os.waitpid(child, 0)
    with os.fdopen(read_end) as pipe:
        child_id = pipe.read()

    assert len(child_id) == 32
    assert child_id != DeployNotice().id


def test_dataclass_payload_is_json_safe_and_exact() -> None:
    event = OrderShipped(order_id=7, total=Decimal("10.50"), ship_date=date(2026, 1, 2))

    payload = event.to_payload()

    assert payload == {"order_id": 7, "total": "10.50", "ship_date": "2026-01-02"}
    assert json.loads(json.dumps(payload)) == payload


def test_name_defaults_to_snake_case_class_name() -> None:
    assert DeployNotice.name == "deploy_notice"
    assert (DeployNotice.broadcast, DeployNotice.channel) == (False, "dash")


def test_invalid_name_is_refused_when_the_class_is_defined() -> None:
    with pytest.raises(ValueError, match="Invalid event name 'Shop Order'"):

        class Bad(Event):
            name = "Shop Order"


@pytest.mark.parametrize("name", ["a", "library.book.updated", "deploy-notice.v2"])
def test_valid_names(name: str) -> None:
    assert validate_event_name(name) == name


@pytest.mark.parametrize("name", ["", "Library", "a..b", ".a", "a.", "a b", "a*"])
def test_invalid_names(name: str) -> None:
    with pytest.raises(ValueError, match="Invalid event name"):
        validate_event_name(name)


def test_dataclass_fields_may_not_shadow_event_attributes() -> None:
    with pytest.raises(TypeError) as raised:

        @dataclass
        class MemberJoined(Event):
            id: int
            name: str

    assert str(raised.value) == (
        "MemberJoined declares id, name, which every event already has; "
        "name those fields differently."
    )
