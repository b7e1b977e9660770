"""Which models emit, who hears them, and how changes are described."""

from decimal import Decimal

import pytest

from dash._tracking import changes, is_heard, state
from dash.events import ModelCreated, ModelEvent, ModelUpdated, dispatcher
from tests.testapp.models import Article, Item

# Nothing listens but what the test registers.
pytestmark = pytest.mark.usefixtures("no_default_listeners")


def _ignore(event: ModelEvent) -> None:
    return None


@pytest.mark.parametrize(
    ("target", "heard"),
    [
        (ModelUpdated, True),
        (ModelEvent, True),
        ("testapp.item.updated", True),
        ("testapp.*", True),
        ("*.updated", True),
        (ModelCreated, False),
        ("testapp.article.updated", False),
    ],
)
def test_is_heard_asks_for_class_and_name(
    target: type[ModelEvent] | str, heard: bool
) -> None:
    dispatcher.listen(target, _ignore)
    try:
        assert is_heard(Item, ModelUpdated) is heard
    finally:
        dispatcher.remove_listener(_ignore)


def test_nothing_is_heard_without_listeners() -> None:
    assert is_heard(Item, ModelCreated, ModelUpdated) is False


def test_changes_compare_stored_and_new_values() -> None:
    article = Article(title="Dune II", rating=Decimal("2.5"), body="same")
    fields = [Article._meta.get_field(name) for name in ("title", "rating", "body")]

    found = changes(
        article,
        fields,  # type: ignore[arg-type]
        {"title": "Dune", "rating": Decimal("2.50"), "body": "same"},
    )

    assert found == {"title": {"old": "Dune", "new": "Dune II"}}


def test_a_changed_decimal_shows_as_the_database_keeps_it() -> None:
    article = Article(title="Dune", rating="1e2", body="same")
    rating = Article._meta.get_field("rating")

    found = changes(article, [rating], {"rating": Decimal("4.50")})  # type: ignore[list-item]

    assert found == {"rating": {"old": "4.50", "new": "100.00"}}


def test_state_leaves_hidden_fields_out() -> None:
    item = Item(pk=3, name="a", quantity=2, secret_note="psst")

    assert state(item) == {
        "id": 3,
        "name": "a",
        "quantity": 2,
        "price": "0.00",
        "category": None,
    }
