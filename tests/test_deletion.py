"""Rows that Django rewrites while deleting another row emit update events."""

import pytest
from django.contrib.auth.models import User
from django.db import connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from dash.context import acting_as
from dash.events import ModelUpdated, dispatcher
from dash.testing import capture_events
from tests.testapp.models import (
    Article,
    Category,
    Feature,
    Person,
    Pin,
    Post,
    Quiet,
    Tag,
    Token,
)

pytestmark = pytest.mark.django_db(databases="__all__")


def _pin(db_alias: str, label: str, **links: object) -> Pin:
    return Pin.objects.using(db_alias).create(label=label, **{"holder": None, **links})


def test_set_null_emits_an_update_per_rewritten_row(db_alias: str) -> None:
    article = Article.objects.using(db_alias).create(title="Dune")
    first = _pin(db_alias, "first", article=article)
    second = _pin(db_alias, "second", article=article)
    _pin(db_alias, "elsewhere")
    pk = article.pk
    user = User.objects.db_manager(db_alias).create_user("ann")

    with capture_events() as events, acting_as(user):
        article.delete()

    assert events.names == [
        "testapp.article.deleting",
        "testapp.article.deleted",
        "testapp.pin.updated",
        "testapp.pin.updated",
    ]
    updated = events.matching(ModelUpdated)
    assert [(event.pk, event.object_repr) for event in updated] == [  # type: ignore[attr-defined]
        (first.pk, "first"),
        (second.pk, "second"),
    ]
    for event in updated:
        assert event.changes == {"article": {"old": pk, "new": None}}  # type: ignore[attr-defined]
        assert event.fields["article"] is None  # type: ignore[attr-defined]
        assert (event.using, event.causer) == (db_alias, user)
    deleted = events.matching("testapp.article.deleted")[0]
    assert (deleted.pk, deleted.object_repr) == (pk, "Dune")  # type: ignore[attr-defined]


def test_set_default_and_set_report_the_value_django_wrote(db_alias: str) -> None:
    tokens = Token.objects.using(db_alias)
    gone = tokens.create(key="gone", label="gone")
    tokens.create(key="spare", label="spare")
    both = _pin(db_alias, "both", holder=gone, backup_holder=gone)
    backup = _pin(db_alias, "backup", backup_holder=gone)

    with capture_events() as events:
        gone.delete()

    assert [(e.pk, e.changes) for e in events.matching(ModelUpdated)] == [  # type: ignore[attr-defined]
        (
            both.pk,
            {
                "holder": {"old": "gone", "new": "spare"},
                "backup_holder": {"old": "gone", "new": "spare"},
            },
        ),
        (backup.pk, {"backup_holder": {"old": "gone", "new": "spare"}}),
    ]


def test_queryset_delete_announces_each_parents_rows(db_alias: str) -> None:
    dune = Article.objects.using(db_alias).create(title="Dune")
    emma = Article.objects.using(db_alias).create(title="Emma")
    first = _pin(db_alias, "first", article=dune)
    second = _pin(db_alias, "second", article=emma)

    with capture_events() as events:
        Article.objects.using(db_alias).filter(title__in=["Dune", "Emma"]).delete()

    assert sorted(
        (e.pk, e.changes["article"]["old"]) for e in events.matching(ModelUpdated)
    ) == [  # type: ignore[attr-defined]
        (first.pk, dune.pk),
        (second.pk, emma.pk),
    ]


def test_rows_rewritten_by_a_cascaded_delete_are_announced(db_alias: str) -> None:
    category = Category.objects.using(db_alias).create(name="SF")
    article = Article.objects.using(db_alias).create(title="Dune", category=category)
    pin = _pin(db_alias, "pin", article=article)
    article_pk = article.pk

    with capture_events() as events:
        category.delete()

    assert events.names == [
        "testapp.category.deleting",
        "testapp.article.deleting",
        "testapp.category.deleted",
        "testapp.article.deleted",
        "testapp.pin.updated",
    ]
    updated = events.assert_dispatched(ModelUpdated, count=1)
    assert (updated.pk, updated.changes) == (  # type: ignore[attr-defined]
        pin.pk,
        {"article": {"old": article_pk, "new": None}},
    )


def test_a_multi_table_child_rewrites_its_parents_rows_once(db_alias: str) -> None:
    feature = Feature.objects.using(db_alias).create(title="Dune", headline="a")
    pin = _pin(db_alias, "pin", article=feature)

    with capture_events() as events:
        feature.delete()

    updated = events.assert_dispatched(ModelUpdated, count=1)
    assert updated.pk == pin.pk


def test_untracked_rows_deleting_still_announce_tracked_rewrites(
    db_alias: str,
) -> None:
    article = Article.objects.using(db_alias).create(title="Dune")
    pin = _pin(db_alias, "pin", article=article)

    ignore_articles = override_settings(DASH={"IGNORE_MODELS": ["testapp.article"]})
    with ignore_articles, capture_events() as events:
        article.delete()

    assert events.names == ["testapp.pin.updated"]
    assert events[0].pk == pin.pk  # type: ignore[attr-defined]


@override_settings(DASH={"IGNORE_MODELS": ["testapp.pin"]})
def test_untracked_rewritten_rows_emit_nothing(db_alias: str) -> None:
    article = Article.objects.using(db_alias).create(title="Dune")
    _pin(db_alias, "pin", article=article)

    with capture_events() as events:
        article.delete()

    assert events.names == ["testapp.article.deleting", "testapp.article.deleted"]


def test_many_to_many_owners_lose_the_deleted_row(db_alias: str) -> None:
    post = Post.objects.using(db_alias).create(title="Dune")
    red = Tag.objects.using(db_alias).create(name="red")
    blue = Tag.objects.using(db_alias).create(name="blue")
    post.tags.add(red, blue)
    red_pk = red.pk

    with capture_events() as events:
        red.delete()

    assert events.names == [
        "testapp.tag.deleting",
        "testapp.tag.deleted",
        "testapp.post.updated",
    ]
    assert (events[2].pk, events[2].changes) == (  # type: ignore[attr-defined]
        post.pk,
        {"tags": {"added": [], "removed": [red_pk]}},
    )


def test_relations_to_self_lose_the_deleted_person(db_alias: str) -> None:
    people = Person.objects.using(db_alias)
    ann, bob, cid = (people.create(name=name) for name in ("ann", "bob", "cid"))
    ann.friends.add(bob)
    ann.follows.add(cid)
    bob.follows.add(ann)
    ann_pk = ann.pk

    with capture_events() as events:
        ann.delete()

    # cid only lost a follower, which is ann's field, not cid's.
    assert [(e.pk, e.changes) for e in events.matching(ModelUpdated)] == [  # type: ignore[attr-defined]
        (bob.pk, {"friends": {"added": [], "removed": [ann_pk]}}),
        (bob.pk, {"follows": {"added": [], "removed": [ann_pk]}}),
    ]


@pytest.mark.usefixtures("no_default_listeners")
def test_nothing_is_read_when_nothing_hears_the_rewritten_rows(
    db_alias: str,
) -> None:
    article = Article.objects.using(db_alias).create(title="Dune")
    _pin(db_alias, "pin", article=article)

    with CaptureQueriesContext(connections[db_alias]) as queries:
        article.delete()

    assert not [q for q in queries if q["sql"].startswith('SELECT "testapp_pin"')]


@pytest.mark.usefixtures("no_default_listeners")
def test_rewritten_rows_are_read_before_and_after_once_heard(db_alias: str) -> None:
    article = Article.objects.using(db_alias).create(title="Dune")
    _pin(db_alias, "pin", article=article)
    heard: list[ModelUpdated] = []

    dispatcher.listen("testapp.pin.updated", heard.append)
    try:
        with CaptureQueriesContext(connections[db_alias]) as queries:
            article.delete()
    finally:
        dispatcher.remove_listener(heard.append)

    pin_reads = [q for q in queries if q["sql"].startswith('SELECT "testapp_pin"')]
    assert len(pin_reads) == 2
    assert len(heard) == 1


def test_quiet_models_deleting_do_not_break(db_alias: str) -> None:
    quiet = Quiet.objects.using(db_alias).create(name="x")

    with capture_events() as events:
        quiet.delete()

    assert events.names == []
