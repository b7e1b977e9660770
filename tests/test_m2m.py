"""Many-to-many changes become update events of the model that owns the field."""

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from dash.context import acting_as
from dash.events import ModelUpdated, ModelUpdating, dispatcher
from dash.testing import capture_events
from tests.testapp.models import Category, Person, Post, Tag

pytestmark = pytest.mark.django_db(databases="__all__")


def _tags(db_alias: str, *names: str) -> list[Tag]:
    return [Tag.objects.using(db_alias).create(name=name) for name in names]


def _change(field: str, added: list[int] = [], removed: list[int] = []) -> dict:  # noqa: B006
    return {field: {"added": added, "removed": removed}}


def test_add_emits_updating_then_updated_for_the_owner(db_alias: str) -> None:
    post = Post.objects.using(db_alias).create(title="Dune")
    red, blue = _tags(db_alias, "red", "blue")
    user = User.objects.db_manager(db_alias).create_user("ann")

    with capture_events() as events, acting_as(user):
        post.tags.add(blue, red)

    assert events.names == ["testapp.post.updating", "testapp.post.updated"]
    updating, updated = events
    assert isinstance(updating, ModelUpdating)
    assert isinstance(updated, ModelUpdated)
    assert updated.changes == _change("tags", added=[red.pk, blue.pk])
    assert updating.changes == updated.changes
    assert (updated.pk, updated.using, updated.causer) == (post.pk, db_alias, user)
    assert updated.fields == {"id": post.pk, "title": "Dune"}


def test_add_lists_only_the_ids_not_linked_yet(db_alias: str) -> None:
    post = Post.objects.using(db_alias).create(title="Dune")
    red, blue = _tags(db_alias, "red", "blue")
    post.tags.add(red)

    with capture_events() as events:
        post.tags.add(red, blue)
        post.tags.add(red)

    assert events.matching(ModelUpdated)[0].changes == _change("tags", [blue.pk])  # type: ignore[attr-defined]
    assert len(events) == 2


def test_remove_lists_only_the_ids_that_were_linked(db_alias: str) -> None:
    post = Post.objects.using(db_alias).create(title="Dune")
    red, blue, green = _tags(db_alias, "red", "blue", "green")
    post.tags.add(red, blue)

    with capture_events() as events:
        post.tags.remove(blue, green)
        post.tags.remove(green)

    assert events.names == ["testapp.post.updating", "testapp.post.updated"]
    assert events[1].changes == _change("tags", removed=[blue.pk])  # type: ignore[attr-defined]


def test_clear_lists_every_linked_id_as_removed(db_alias: str) -> None:
    post = Post.objects.using(db_alias).create(title="Dune")
    red, blue = _tags(db_alias, "red", "blue")
    post.tags.add(red, blue)

    with capture_events() as events:
        post.tags.clear()
        post.tags.clear()

    assert events.names == ["testapp.post.updating", "testapp.post.updated"]
    assert events[1].changes == _change("tags", removed=[red.pk, blue.pk])  # type: ignore[attr-defined]


def test_set_emits_the_removals_then_the_additions(db_alias: str) -> None:
    post = Post.objects.using(db_alias).create(title="Dune")
    red, blue, green = _tags(db_alias, "red", "blue", "green")
    post.tags.add(red, blue)

    with capture_events() as events:
        post.tags.set([blue, green])

    assert [event.changes for event in events.matching(ModelUpdated)] == [  # type: ignore[attr-defined]
        _change("tags", removed=[red.pk]),
        _change("tags", added=[green.pk]),
    ]


def test_reverse_add_emits_for_each_owner(db_alias: str) -> None:
    first = Post.objects.using(db_alias).create(title="first")
    second = Post.objects.using(db_alias).create(title="second")
    (red,) = _tags(db_alias, "red")

    with capture_events() as events:
        red.posts.add(second, first)

    assert events.names == [
        "testapp.post.updating",
        "testapp.post.updating",
        "testapp.post.updated",
        "testapp.post.updated",
    ]
    updated = events.matching(ModelUpdated)
    assert [(event.pk, event.changes) for event in updated] == [  # type: ignore[attr-defined]
        (first.pk, _change("tags", added=[red.pk])),
        (second.pk, _change("tags", added=[red.pk])),
    ]
    assert [event.object_repr for event in updated] == ["first", "second"]  # type: ignore[attr-defined]


def test_reverse_clear_emits_a_removal_for_each_owner(db_alias: str) -> None:
    first = Post.objects.using(db_alias).create(title="first")
    second = Post.objects.using(db_alias).create(title="second")
    red, blue = _tags(db_alias, "red", "blue")
    first.tags.add(red, blue)
    second.tags.add(red)

    with capture_events() as events:
        red.posts.clear()

    assert [(e.pk, e.changes) for e in events.matching(ModelUpdated)] == [  # type: ignore[attr-defined]
        (first.pk, _change("tags", removed=[red.pk])),
        (second.pk, _change("tags", removed=[red.pk])),
    ]
    assert list(first.tags.values_list("name", flat=True)) == ["blue"]


def test_symmetrical_relations_emit_for_both_ends(db_alias: str) -> None:
    ann = Person.objects.using(db_alias).create(name="ann")
    bob = Person.objects.using(db_alias).create(name="bob")

    with capture_events() as events:
        ann.friends.add(bob)
        bob.friends.remove(ann)

    assert [(e.pk, e.changes) for e in events.matching(ModelUpdated)] == [  # type: ignore[attr-defined]
        (ann.pk, _change("friends", added=[bob.pk])),
        (bob.pk, _change("friends", added=[ann.pk])),
        (bob.pk, _change("friends", removed=[ann.pk])),
        (ann.pk, _change("friends", removed=[bob.pk])),
    ]


def test_reverse_side_of_a_relation_to_self_emits_for_the_owner(
    db_alias: str,
) -> None:
    ann = Person.objects.using(db_alias).create(name="ann")
    bob = Person.objects.using(db_alias).create(name="bob")

    with capture_events() as events:
        bob.followers.add(ann)

    assert [(e.pk, e.changes) for e in events.matching(ModelUpdated)] == [  # type: ignore[attr-defined]
        (ann.pk, _change("follows", added=[bob.pk]))
    ]


def test_custom_through_models_are_named_by_their_field(db_alias: str) -> None:
    post = Post.objects.using(db_alias).create(title="Dune")
    category = Category.objects.using(db_alias).create(name="SF")

    with capture_events() as events:
        post.categories.add(category, through_defaults={"note": "first"})

    assert events.names == ["testapp.post.updating", "testapp.post.updated"]
    assert events[1].changes == _change("categories", added=[category.pk])  # type: ignore[attr-defined]


@override_settings(DASH={"IGNORE_MODELS": ["testapp.post"]})
def test_ignored_owners_emit_nothing(db_alias: str) -> None:
    post = Post.objects.using(db_alias).create(title="Dune")
    (red,) = _tags(db_alias, "red")

    with capture_events() as events:
        post.tags.add(red)
        red.posts.remove(post)

    assert events.names == []


@pytest.mark.usefixtures("no_default_listeners")
def test_nothing_is_read_when_nothing_hears_the_owner(db_alias: str) -> None:
    post = Post.objects.using(db_alias).create(title="Dune")
    (red,) = _tags(db_alias, "red")
    post.tags.add(red)

    with CaptureQueriesContext(connections[db_alias]) as queries:
        post.tags.remove(red)

    # Django's delete collector reads the through rows: dash's delete
    # receivers turn its fast delete off.
    assert [query["sql"].split()[0] for query in queries] == ["SELECT", "DELETE"]
    assert 'FROM "testapp_post_tags"' in queries[0]["sql"]


@pytest.mark.usefixtures("no_default_listeners")
def test_removal_reads_the_links_once_something_hears_the_owner(
    db_alias: str,
) -> None:
    post = Post.objects.using(db_alias).create(title="Dune")
    (red,) = _tags(db_alias, "red")
    post.tags.add(red)
    heard: list[ModelUpdated] = []

    dispatcher.listen("testapp.post.updated", heard.append)
    try:
        with CaptureQueriesContext(connections[db_alias]) as queries:
            post.tags.remove(red)
    finally:
        dispatcher.remove_listener(heard.append)

    assert [query["sql"].split()[0] for query in queries] == [
        "SELECT",
        "SELECT",
        "DELETE",
    ]
    assert [event.changes for event in heard] == [_change("tags", removed=[red.pk])]


def test_a_hidden_many_to_many_field_is_named_without_its_ids(
    db_alias: str, settings: Any
) -> None:
    settings.DASH = {"HIDDEN_FIELDS": ["tags"]}
    post = Post.objects.using(db_alias).create(title="Dune")
    [red] = _tags(db_alias, "red")

    with capture_events() as events:
        post.tags.add(red)

    updating, updated = events
    for event in (updating, updated):
        assert event.changes == {}  # type: ignore[attr-defined]
        assert event.hidden_changes == ("tags",)  # type: ignore[attr-defined]
        assert str(red.pk) not in json.dumps(event.to_payload()["changes"])
