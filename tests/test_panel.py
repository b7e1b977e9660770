"""The panel-style callbacks receive instances through dash's dispatcher."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import models, transaction

import dash
from dash.events import EventDispatcher, dispatcher
from dash.events.custom import CustomEvent
from dash.panel import Panel, panel
from tests.testapp.models import Category, Comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def board() -> Iterator[Panel]:
    """A panel over the global dispatcher, whose listeners go away afterwards."""
    before = set(dispatcher.listeners())
    yield Panel()
    for listener in set(dispatcher.listeners()) - before:
        dispatcher.remove_listener(listener.fn, listener.target)


def test_dash_exports_the_panel() -> None:
    assert dash.panel is panel
    assert isinstance(panel, Panel)


def test_callbacks_receive_the_instance_of_each_action(board: Panel) -> None:
    seen: list[tuple[str, models.Model, int, str]] = []

    def on(action: str) -> Callable[[Any], None]:
        return lambda obj: seen.append((action, obj, obj.pk, obj.name))

    board.on_model_created(on("created"))
    board.on_model_updated(on("updated"))
    board.on_model_deleted(on("deleted"))
    category = Category.objects.create(name="SF")
    category.name = "Science fiction"
    category.save()
    pk = category.pk
    category.delete()

    assert seen == [
        ("created", category, pk, "SF"),
        ("updated", category, pk, "Science fiction"),
        ("deleted", category, pk, "Science fiction"),
    ]


def test_methods_chain(board: Panel) -> None:
    def noop(obj: models.Model) -> None: ...

    assert (
        board.on_model_created(noop).on_model_updated(noop).on_model_deleted(noop)
        is board
    )


@pytest.mark.parametrize("model", [Category, "testapp.category", "testapp.Category"])
def test_model_limits_the_callback_to_that_model(
    board: Panel, model: type[models.Model] | str
) -> None:
    created: list[models.Model] = []

    board.on_model_created(created.append, model=model)
    category = Category.objects.create(name="SF")
    Comment.objects.create(
        article=category.article_set.create(title="Dune"), text="Great"
    )

    assert created == [category]


def test_registering_the_same_callback_twice_calls_it_once(board: Panel) -> None:
    created: list[models.Model] = []

    board.on_model_created(created.append, model=Category)
    board.on_model_created(created.append, model="testapp.category")
    Category.objects.create(name="SF")

    assert len(created) == 1


def test_listings_name_the_callback() -> None:
    bus = EventDispatcher()

    def notify(obj: models.Model) -> None: ...

    Panel(bus).on_model_deleted(notify, model=Category)

    [listener] = bus.listeners()
    assert listener.target == "testapp.category.deleted"
    assert listener.path == (
        "tests.test_panel.test_listings_name_the_callback.<locals>.notify"
    )


def test_event_that_borrows_a_model_events_name_is_ignored(board: Panel) -> None:
    created: list[models.Model] = []
    board.on_model_created(created.append, model=Category)

    dispatcher.dispatch(CustomEvent("testapp.category.created"))

    assert created == []


def test_unknown_model_label_raises_lookup_error(board: Panel) -> None:
    with pytest.raises(LookupError, match="App 'testapp' doesn't have a 'nope' model"):
        board.on_model_created(print, model="testapp.nope")


@pytest.mark.parametrize("model", [3, object])
def test_model_of_another_type_raises_type_error(board: Panel, model: object) -> None:
    with pytest.raises(
        TypeError,
        match=r"^model must be a model class or an 'app_label.model_name' label, not",
    ):
        board.on_model_created(print, model=model)  # type: ignore[arg-type]


def test_callback_must_be_callable(board: Panel) -> None:
    with pytest.raises(
        TypeError, match=r"^A panel callback must be callable, not 3\.$"
    ):
        board.on_model_created(3)  # type: ignore[arg-type]


def test_dispatcher_removes_a_panel_callback_by_the_callback_itself() -> None:
    seen: list[object] = []

    def notify(instance: object) -> None:
        seen.append(instance)

    panel.on_model_created(notify, model="testapp.category")
    assert dispatcher.remove_listener(notify) is True

    with transaction.atomic():
        Category.objects.create(name="unheard")

    assert seen == []
