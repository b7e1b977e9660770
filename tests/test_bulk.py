"""Bulk writes through EventQuerySet emit the same per-row events as saves."""

import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connections
from django.db.models import F
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from dash.bulk import EventManager, EventQuerySet
from dash.context import acting_as
from dash.events import (
    ModelCreated,
    ModelCreating,
    ModelDeleted,
    ModelUpdated,
    ModelUpdating,
    dispatcher,
)
from dash.testing import capture_events
from tests.testapp.factories import ItemFactory, TicketFactory
from tests.testapp.models import Category, Item, Ticket

pytestmark = pytest.mark.django_db(databases="__all__")


def _items(db_alias: str, *quantities: int) -> list[Item]:
    items = ItemFactory.build_batch(len(quantities))
    for item, quantity in zip(items, quantities, strict=True):
        item.quantity = quantity
    return Item.objects.using(db_alias).bulk_create(items)


def _statements(queries: CaptureQueriesContext) -> list[str]:
    return [query["sql"].split()[0] for query in queries]


def test_the_manager_hands_out_event_querysets() -> None:
    assert isinstance(Item.objects, EventManager)
    assert isinstance(Item.objects.filter(pk=1), EventQuerySet)
    assert isinstance(Category(pk=1).item_set.all(), EventQuerySet)


def test_update_emits_updating_then_updated_per_row(db_alias: str) -> None:
    first, second, _ = _items(db_alias, 1, 5, 9)
    user = User.objects.db_manager(db_alias).create_user("ann")

    with capture_events() as events, acting_as(user):
        count = (
            Item.objects.using(db_alias)
            .filter(quantity__lt=9)
            .update(quantity=F("quantity") + 1, price=Decimal("2.50"))
        )

    assert count == 2
    assert events.names == [
        "testapp.item.updating",
        "testapp.item.updating",
        "testapp.item.updated",
        "testapp.item.updated",
    ]
    assert all(isinstance(e, ModelUpdating) for e in events[:2])
    updated = events.matching(ModelUpdated)
    assert [(event.pk, event.changes) for event in updated] == [  # type: ignore[attr-defined]
        (
            first.pk,
            {"quantity": {"old": 1, "new": 2}, "price": {"old": "0.00", "new": "2.50"}},
        ),
        (
            second.pk,
            {"quantity": {"old": 5, "new": 6}, "price": {"old": "0.00", "new": "2.50"}},
        ),
    ]
    assert updated[0].fields["quantity"] == 2  # type: ignore[attr-defined]
    assert {(event.using, event.causer) for event in events} == {(db_alias, user)}  # type: ignore[attr-defined]


def test_after_commit_listeners_hear_the_write_on_its_database(
    db_alias: str, django_capture_on_commit_callbacks: Any
) -> None:
    _items(db_alias, 1, 2)
    heard: list[ModelUpdated] = []
    dispatcher.listen("testapp.item.updated", heard.append, after_commit=True)

    try:
        with django_capture_on_commit_callbacks(using=db_alias) as callbacks:
            Item.objects.using(db_alias).update(quantity=3)
        assert heard == []
        for callback in callbacks:
            callback()
    finally:
        dispatcher.remove_listener(heard.append)

    assert [event.changes for event in heard] == [
        {"quantity": {"old": 1, "new": 3}},
        {"quantity": {"old": 2, "new": 3}},
    ]


def test_update_by_foreign_key_attname(db_alias: str) -> None:
    _items(db_alias, 1)
    category = Category.objects.using(db_alias).create(name="SF")

    with capture_events() as events:
        Item.objects.using(db_alias).update(category_id=category.pk)

    assert events.assert_dispatched(ModelUpdated).changes == {  # type: ignore[attr-defined]
        "category": {"old": None, "new": category.pk}
    }


def test_update_of_hidden_fields_reports_no_values(db_alias: str) -> None:
    _items(db_alias, 1)

    with capture_events() as events:
        Item.objects.using(db_alias).update(secret_note="psst")

    updated = events.assert_dispatched(ModelUpdated)
    assert updated.changes == {}  # type: ignore[attr-defined]
    assert "secret_note" not in updated.fields  # type: ignore[attr-defined]


def test_update_matching_nothing_emits_nothing(db_alias: str) -> None:
    _items(db_alias, 1)

    with capture_events() as events:
        count = Item.objects.using(db_alias).filter(quantity=7).update(quantity=8)

    assert (count, events.names) == (0, [])


def test_related_managers_emit_too(db_alias: str) -> None:
    category = Category.objects.using(db_alias).create(name="SF")
    Item.objects.using(db_alias).create(name="a", category=category)

    with capture_events() as events:
        category.item_set.update(quantity=3)

    assert events.names == ["testapp.item.updating", "testapp.item.updated"]


def test_bulk_create_emits_creating_before_and_created_after(db_alias: str) -> None:
    items = ItemFactory.build_batch(2)

    with capture_events() as events:
        created = Item.objects.using(db_alias).bulk_create(items)

    assert created == items
    assert events.names == [
        "testapp.item.creating",
        "testapp.item.creating",
        "testapp.item.created",
        "testapp.item.created",
    ]
    assert [type(event) for event in events] == [ModelCreating] * 2 + [ModelCreated] * 2
    assert [event.pk for event in events] == [None, None, items[0].pk, items[1].pk]  # type: ignore[attr-defined]
    assert events[2].fields == {  # type: ignore[attr-defined]
        "id": items[0].pk,
        "name": items[0].name,
        "quantity": 1,
        "price": "0.00",
        "category": None,
    }
    assert {event.using for event in events} == {db_alias}


def test_bulk_create_with_uuid_keys_knows_them_before(db_alias: str) -> None:
    tickets = TicketFactory.build_batch(2)

    with capture_events() as events:
        Ticket.objects.using(db_alias).bulk_create(tickets)

    pks = [event.pk for event in events]  # type: ignore[attr-defined]
    assert all(isinstance(pk, uuid.UUID) for pk in pks)
    assert pks == [tickets[0].pk, tickets[1].pk] * 2


@pytest.mark.parametrize(
    "options",
    [
        {"ignore_conflicts": True},
        {"update_conflicts": True, "unique_fields": ["id"], "update_fields": ["label"]},
    ],
)
def test_bulk_create_with_conflict_handling_emits_nothing(
    db_alias: str, options: dict[str, object]
) -> None:
    with capture_events() as events:
        Ticket.objects.using(db_alias).bulk_create(
            TicketFactory.build_batch(2),
            **options,  # type: ignore[arg-type]
        )

    assert events.names == []
    assert Ticket.objects.using(db_alias).count() == 2


def test_bulk_update_limits_changes_to_the_fields_given(db_alias: str) -> None:
    first, second = _items(db_alias, 1, 2)
    first.quantity, first.name = 10, "renamed"
    second.quantity = 2

    with capture_events() as events:
        count = Item.objects.using(db_alias).bulk_update([first, second], ["quantity"])

    assert count == 2
    assert events.names == [
        "testapp.item.updating",
        "testapp.item.updating",
        "testapp.item.updated",
        "testapp.item.updated",
    ]
    assert [(e.pk, e.changes) for e in events.matching(ModelUpdated)] == [  # type: ignore[attr-defined]
        (first.pk, {"quantity": {"old": 1, "new": 10}}),
        (second.pk, {}),
    ]
    assert Item.objects.using(db_alias).get(pk=first.pk).quantity == 10


def test_bulk_update_skips_objects_without_a_row(db_alias: str) -> None:
    (item,) = _items(db_alias, 1)
    ghost = Item(pk=item.pk + 1000, name="ghost", quantity=3)
    item.quantity = 4

    with capture_events() as events:
        count = Item.objects.using(db_alias).bulk_update([item, ghost], ["quantity"])

    assert count == 1
    assert [event.pk for event in events] == [item.pk, item.pk]  # type: ignore[attr-defined]


def test_queryset_delete_emits_per_row_without_opting_in(db_alias: str) -> None:
    first, second = _items(db_alias, 1, 2)

    with capture_events() as events:
        Item.objects.using(db_alias).all().delete()

    assert sorted(event.pk for event in events.matching(ModelDeleted)) == [  # type: ignore[attr-defined]
        first.pk,
        second.pk,
    ]
    assert len(events.matching("testapp.item.deleting")) == 2


@override_settings(DASH={"IGNORE_MODELS": ["testapp.item"]})
def test_ignored_models_write_without_events(db_alias: str) -> None:
    with capture_events() as events:
        (item,) = _items(db_alias, 1)
        Item.objects.using(db_alias).update(quantity=2)
        item.quantity = 3
        Item.objects.using(db_alias).bulk_update([item], ["quantity"])

    assert events.names == []


@pytest.mark.usefixtures("no_default_listeners")
def test_unheard_bulk_writes_run_as_djangos_own(db_alias: str) -> None:
    items = ItemFactory.build_batch(2)
    manager = Item.objects.using(db_alias)

    with CaptureQueriesContext(connections[db_alias]) as queries:
        manager.bulk_create(items)
        manager.update(quantity=2)
        manager.bulk_update(items, ["name"])

    assert _statements(queries) == ["INSERT", "UPDATE", "UPDATE"]


@pytest.mark.usefixtures("no_default_listeners")
def test_heard_bulk_writes_read_the_rows_around_the_write(db_alias: str) -> None:
    items = ItemFactory.build_batch(2)
    manager = Item.objects.using(db_alias)
    heard: list[object] = []

    dispatcher.listen("testapp.item.*", heard.append)
    try:
        with CaptureQueriesContext(connections[db_alias]) as queries:
            manager.bulk_create(items)
            manager.update(quantity=2)
            manager.bulk_update(items, ["name"])
    finally:
        dispatcher.remove_listener(heard.append)

    assert _statements(queries) == [
        "INSERT",
        "SELECT",
        "UPDATE",
        "SELECT",
        "SELECT",
        "UPDATE",
    ]
    assert len(heard) == 12


def test_a_hidden_field_written_in_bulk_is_named_without_its_values(
    db_alias: str,
) -> None:
    items = Item.objects.using(db_alias)
    kept = items.create(name="Pen", secret_note="same")
    changed = items.create(name="Ink", secret_note="old note")

    with capture_events() as events:
        items.filter(pk__in=[kept.pk, changed.pk]).update(secret_note="same")

    updated = {
        event.pk: event  # type: ignore[attr-defined]
        for event in events
        if isinstance(event, ModelUpdated)
    }
    assert updated[changed.pk].hidden_changes == ("secret_note",)
    assert updated[changed.pk].changes == {}
    assert updated[kept.pk].hidden_changes == ()
    assert all("note" not in str(e.to_payload()["fields"]) for e in events)

    changed.secret_note, changed.name = "newer note", "Ink II"
    with capture_events() as events:
        items.bulk_update([changed], ["secret_note", "name"])

    updated_again = events.assert_dispatched(ModelUpdated)  # type: ignore[attr-defined]
    assert updated_again.hidden_changes == ("secret_note",)
    assert updated_again.changes == {"name": {"old": "Ink", "new": "Ink II"}}
