"""Model signals become dash model events, on SQLite and on PostgreSQL."""

import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings

from dash.context import acting_as
from dash.events import (
    ModelCreated,
    ModelCreating,
    ModelDeleted,
    ModelDeleting,
    ModelUpdated,
    ModelUpdating,
    dispatcher,
)
from dash.testing import capture_events
from tests.testapp.models import (
    Article,
    Category,
    Comment,
    Draft,
    Feature,
    Quiet,
    Ticket,
    Token,
)

pytestmark = pytest.mark.django_db(databases="__all__")


def test_create_dispatches_creating_then_created(db_alias: str) -> None:
    with capture_events() as events:
        article = Article.objects.using(db_alias).create(title="Dune")

    assert events.names == ["testapp.article.creating", "testapp.article.created"]
    creating, created = events
    assert isinstance(creating, ModelCreating)
    assert isinstance(created, ModelCreated)
    assert created.pk == article.pk
    assert created.using == db_alias
    assert created.fields["title"] == "Dune"
    assert (created.broadcast, creating.broadcast) == (True, False)


def test_update_changes_compare_with_the_database_row(db_alias: str) -> None:
    article = Article.objects.using(db_alias).create(
        title="Dune", rating=Decimal("1.5")
    )
    stale = Article.objects.using(db_alias).get(pk=article.pk)
    # Someone else changes the row after `stale` was loaded.
    Article.objects.using(db_alias).filter(pk=article.pk).update(title="Dune II")
    stale.rating = Decimal("4.25")

    with capture_events() as events:
        stale.save()

    assert events.names == ["testapp.article.updating", "testapp.article.updated"]
    updating, updated = events
    assert isinstance(updating, ModelUpdating)
    assert isinstance(updated, ModelUpdated)
    # The title goes back from the row's "Dune II" to the stale "Dune".
    assert updated.changes == {
        "title": {"old": "Dune II", "new": "Dune"},
        "rating": {"old": "1.50", "new": "4.25"},
    }
    assert updating.changes == updated.changes


def test_save_that_changes_nothing_has_empty_changes(db_alias: str) -> None:
    article = Article.objects.using(db_alias).create(title="Dune", rating="2.50")
    article.rating = Decimal("2.5")  # equal as stored

    with capture_events() as events:
        article.save()

    assert events.assert_dispatched(ModelUpdated).changes == {}  # type: ignore[attr-defined]


@pytest.mark.parametrize("given", ["1.005", "1.015", "1.025"])
def test_a_decimal_with_more_places_shows_as_the_database_rounds_it(
    db_alias: str, given: str
) -> None:
    article = Article.objects.using(db_alias).create(title="Dune", rating="1.00")
    article.rating = Decimal(given)

    with capture_events() as events:
        article.save()

    stored = Article.objects.using(db_alias).get(pk=article.pk).rating
    changes = events.assert_dispatched(ModelUpdated).changes  # type: ignore[attr-defined]
    if stored == Decimal("1.00"):
        # Rounded back to what it was (Django rounds half to even): no change.
        assert changes == {}
    else:
        assert changes == {"rating": {"old": "1.00", "new": str(stored)}}


def test_update_fields_limits_changes_to_those_fields(db_alias: str) -> None:
    article = Article.objects.using(db_alias).create(title="Dune", body="old")
    article.title = "Dune II"
    article.body = "new"

    with capture_events() as events:
        article.save(update_fields=["body"])

    updated = events.assert_dispatched(ModelUpdated)
    assert updated.changes == {"body": {"old": "old", "new": "new"}}  # type: ignore[attr-defined]


def test_deferred_fields_are_not_reported_as_changed(db_alias: str) -> None:
    Article.objects.using(db_alias).create(title="Dune", body="text")
    article = Article.objects.using(db_alias).only("title").get()
    article.title = "Dune II"

    with capture_events() as events:
        article.save()

    updated = events.assert_dispatched(ModelUpdated)
    assert updated.changes == {"title": {"old": "Dune", "new": "Dune II"}}  # type: ignore[attr-defined]


def test_delete_keeps_the_id_and_last_state(db_alias: str) -> None:
    article = Article.objects.using(db_alias).create(title="Dune")
    pk = article.pk

    with capture_events() as events:
        article.delete()

    assert events.names == ["testapp.article.deleting", "testapp.article.deleted"]
    deleting, deleted = events
    assert isinstance(deleting, ModelDeleting)
    assert isinstance(deleted, ModelDeleted)
    assert (deleted.pk, deleted.object_repr, deleted.fields["title"]) == (
        pk,
        "Dune",
        "Dune",
    )
    assert article.pk is None


def test_cascade_emits_a_deleted_event_per_row(db_alias: str) -> None:
    article = Article.objects.using(db_alias).create(title="Dune")
    Comment.objects.using(db_alias).create(article=article, text="first")
    Comment.objects.using(db_alias).create(article=article, text="second")

    with capture_events() as events:
        article.delete()

    deleted = events.matching(ModelDeleted)
    assert sorted(event.name for event in deleted) == [
        "testapp.article.deleted",
        "testapp.comment.deleted",
        "testapp.comment.deleted",
    ]


def test_payload_is_json_safe_across_field_types(
    db_alias: str, settings: Settings, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    reference = uuid.UUID("12345678-1234-5678-1234-567812345678")
    category = Category.objects.using(db_alias).create(name="SF")
    article = Article(
        title="Dune",
        status=Article.Status.PUBLISHED,
        rating=Decimal("4.10"),
        published_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        due_on=date(2026, 2, 1),
        reference=reference,
        data={"tags": ["a", 1]},
        blob=b"\x00\x01",
        category=category,
    )
    article.attachment.save("notes.txt", ContentFile(b"x"), save=False)

    with capture_events() as events:
        article.save(using=db_alias)

    fields = events.assert_dispatched(ModelCreated).to_payload()["fields"]
    assert fields["status"] == "published"
    assert fields["rating"] == "4.10"
    assert fields["published_at"] == "2026-01-02T03:04:05+00:00"
    assert fields["due_on"] == "2026-02-01"
    assert fields["reference"] == str(reference)
    assert fields["data"] == {"tags": ["a", 1]}
    assert fields["blob"] == "AAE="
    assert fields["attachment"].startswith("attachments/notes")
    assert fields["category"] == category.pk


def test_hidden_fields_never_appear(db_alias: str) -> None:
    article = Article.objects.using(db_alias).create(
        title="Dune", api_token="t0k", client_secret="s3c"
    )
    article.api_token = "changed"
    article.title = "Dune II"

    with capture_events() as events:
        article.save()
        User.objects.db_manager(db_alias).create_user("ann", password="pw")

    for event in events:
        payload = event.to_payload()
        assert not {"api_token", "client_secret", "password"} & set(payload["fields"])
        assert not {"api_token", "client_secret"} & set(payload.get("changes", {}))


@override_settings(DASH={"HIDDEN_FIELDS": ["body"]})
def test_hidden_fields_setting_adds_to_the_defaults(db_alias: str) -> None:
    with capture_events() as events:
        Article.objects.using(db_alias).create(title="Dune", body="x", api_token="t")

    fields = events.assert_dispatched(ModelCreated).to_payload()["fields"]
    assert "body" not in fields
    assert "api_token" not in fields
    assert fields["title"] == "Dune"


def test_string_primary_keys_work(db_alias: str) -> None:
    with capture_events() as events:
        token = Token.objects.using(db_alias).create(key="abc", label="one")
        token.label = "two"
        token.save()

    assert events.assert_dispatched(ModelUpdated).pk == "abc"
    assert events.assert_dispatched(ModelUpdated).changes == {  # type: ignore[attr-defined]
        "label": {"old": "one", "new": "two"}
    }


def test_causer_is_the_acting_user_and_none_outside(db_alias: str) -> None:
    user = User.objects.db_manager(db_alias).create_user("ann")

    with capture_events() as events:
        with acting_as(user):
            Category.objects.using(db_alias).create(name="inside")
        Category.objects.using(db_alias).create(name="outside")

    inside, outside = events.matching(ModelCreated)
    assert inside.to_payload()["causer"] == {"id": user.pk, "name": "ann"}
    assert outside.to_payload()["causer"] is None


def test_ignored_models_emit_nothing(db_alias: str) -> None:
    with capture_events() as events:
        Quiet.objects.using(db_alias).create(name="x")

    assert events.names == []


@override_settings(DASH={"IGNORE_MODELS": ["testapp.category"]})
def test_ignore_models_setting_adds_to_the_defaults(db_alias: str) -> None:
    from django_eventstream.models import EventCounter

    with capture_events() as events:
        Category.objects.using(db_alias).create(name="x")
        Token.objects.using(db_alias).create(key="k", label="l")
        EventCounter.objects.using(db_alias).create(name="c")

    assert events.names == ["testapp.token.creating", "testapp.token.created"]


def test_raw_fixture_saves_emit_nothing(db_alias: str) -> None:
    category = Category(pk=99, name="fixture")

    with capture_events() as events:
        category.save_base(raw=True, using=db_alias)

    assert events.names == []


def test_a_failing_listener_never_breaks_the_save(db_alias: str) -> None:
    def broken(event: ModelCreated) -> None:
        raise RuntimeError("listener bug")

    dispatcher.listen(ModelCreated, broken)
    try:
        Category.objects.using(db_alias).create(name="saved")
    finally:
        dispatcher.remove_listener(broken)

    assert Category.objects.using(db_alias).filter(name="saved").exists()


@pytest.mark.usefixtures("no_default_listeners")
def test_save_reads_no_before_state_when_nothing_hears_updates(db_alias: str) -> None:
    article = Article.objects.using(db_alias).create(title="Dune")
    article.title = "Dune II"

    with CaptureQueriesContext(connections[db_alias]) as queries:
        article.save()

    assert [query["sql"].split()[0] for query in queries] == ["UPDATE"]


@pytest.mark.usefixtures("no_default_listeners")
def test_save_reads_the_before_state_once_something_hears_updates(
    db_alias: str,
) -> None:
    article = Article.objects.using(db_alias).create(title="Dune")
    article.title = "Dune II"
    heard: list[ModelUpdated] = []

    dispatcher.listen("testapp.article.updated", heard.append)
    try:
        with CaptureQueriesContext(connections[db_alias]) as queries:
            article.save()
    finally:
        dispatcher.remove_listener(heard.append)

    assert [query["sql"].split()[0] for query in queries] == ["SELECT", "UPDATE"]
    assert [event.changes for event in heard] == [
        {"title": {"old": "Dune", "new": "Dune II"}}
    ]


def test_uuid_primary_keys_work(db_alias: str) -> None:
    with capture_events() as events:
        ticket = Ticket.objects.using(db_alias).create(label="one")
        pk = ticket.pk
        ticket.label = "two"
        ticket.save()
        ticket.delete()

    assert events.names == [
        "testapp.ticket.creating",
        "testapp.ticket.created",
        "testapp.ticket.updating",
        "testapp.ticket.updated",
        "testapp.ticket.deleting",
        "testapp.ticket.deleted",
    ]
    assert isinstance(pk, uuid.UUID)
    assert {event.pk for event in events} == {pk}  # type: ignore[attr-defined]
    created = events.assert_dispatched(ModelCreated)
    assert created.to_payload()["pk"] == str(pk)
    assert created.fields == {"id": str(pk), "label": "one"}  # type: ignore[attr-defined]
    assert events.assert_dispatched(ModelUpdated).changes == {  # type: ignore[attr-defined]
        "label": {"old": "one", "new": "two"}
    }


def test_multi_table_child_saves_emit_the_child_events_only(db_alias: str) -> None:
    with capture_events() as events:
        feature = Feature.objects.using(db_alias).create(title="Dune", headline="a")
        feature.title = "Dune II"
        feature.headline = "b"
        feature.save()

    assert events.names == [
        "testapp.feature.creating",
        "testapp.feature.created",
        "testapp.feature.updating",
        "testapp.feature.updated",
    ]
    created = events.assert_dispatched(ModelCreated)
    assert created.pk == feature.pk == feature.article_ptr_id  # type: ignore[attr-defined]
    assert created.fields["title"] == "Dune"  # type: ignore[attr-defined]
    assert created.fields["headline"] == "a"  # type: ignore[attr-defined]
    assert created.fields["article_ptr"] == feature.pk  # type: ignore[attr-defined]
    assert events.assert_dispatched(ModelUpdated).changes == {  # type: ignore[attr-defined]
        "title": {"old": "Dune", "new": "Dune II"},
        "headline": {"old": "a", "new": "b"},
    }


def test_multi_table_child_delete_emits_for_the_child_and_its_parent_row(
    db_alias: str,
) -> None:
    feature = Feature.objects.using(db_alias).create(title="Dune", headline="a")
    pk = feature.pk

    with capture_events() as events:
        feature.delete()

    assert events.names == [
        "testapp.feature.deleting",
        "testapp.article.deleting",
        "testapp.feature.deleted",
        "testapp.article.deleted",
    ]
    assert {(event.pk, event.object_repr) for event in events} == {(pk, "Dune")}  # type: ignore[attr-defined]


def test_proxy_events_carry_the_proxy_label(db_alias: str) -> None:
    with capture_events() as events:
        draft = Draft.objects.using(db_alias).create(title="Dune")
        draft_pk = draft.pk
        draft.title = "Dune II"
        draft.save()
        draft.delete()

    assert events.names == [
        "testapp.draft.creating",
        "testapp.draft.created",
        "testapp.draft.updating",
        "testapp.draft.updated",
        "testapp.draft.deleting",
        "testapp.draft.deleted",
    ]
    created = events.assert_dispatched(ModelCreated)
    assert (created.pk, created.channel) == (draft_pk, "model.testapp.draft")  # type: ignore[attr-defined]
    assert created.fields["title"] == "Dune"  # type: ignore[attr-defined]
    assert set(created.fields) == {  # type: ignore[attr-defined]
        field.name for field in Article._meta.concrete_fields
    } - {"api_token", "client_secret"}


def test_a_failing_str_never_breaks_the_save(
    db_alias: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: Category) -> str:
        raise AttributeError("no name")

    monkeypatch.setattr(Category, "__str__", broken)

    with capture_events() as events:
        category = Category.objects.using(db_alias).create(name="SF")

    created = events.assert_dispatched(ModelCreated)
    assert created.object_repr == f"Category object ({category.pk})"


def test_a_save_that_only_moves_auto_now_fields_has_empty_changes() -> None:
    from example_project.library.factories import BookFactory

    book = BookFactory.create()

    with capture_events() as events:
        book.save()  # updated_at moves; nothing else does

    assert events.assert_dispatched(ModelUpdated).changes == {}  # type: ignore[attr-defined]


def test_a_hidden_field_is_named_as_changed_without_its_values(db_alias: str) -> None:
    user = User.objects.db_manager(db_alias).create_user("editor", password="old-pw")
    user.set_password("new-pw")

    with capture_events() as events:
        user.save()

    updated = events.assert_dispatched(ModelUpdated)  # type: ignore[attr-defined]
    assert updated.changes == {}
    assert updated.hidden_changes == ("password",)
    payload = json.dumps(updated.to_payload())
    assert '"hidden_changes": ["password"]' in payload
    assert user.password not in payload
    assert "pbkdf2" not in payload


def test_an_unchanged_hidden_field_is_not_named(db_alias: str) -> None:
    user = User.objects.db_manager(db_alias).create_user("editor", password="pw")
    user.first_name = "Ed"

    with capture_events() as events:
        user.save()

    updated = events.assert_dispatched(ModelUpdated)  # type: ignore[attr-defined]
    assert set(updated.changes) == {"first_name"}
    assert updated.hidden_changes == ()
