"""The recorder writes one activity per model change, in the change's transaction."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import connections, transaction

from dash.context import acting_as
from dash_activity_log import recorder
from dash_activity_log.models import Activity
from example_project.library.models import Author, Book
from tests.dash_activity_log.factories import AuthorFactory, BookFactory, UserFactory
from tests.testapp.models import Token

pytestmark = pytest.mark.django_db


def _activities_of(instance: object) -> list[Activity]:
    subject_type = ContentType.objects.get_for_model(type(instance))
    return list(
        Activity.objects.filter(
            subject_type=subject_type, subject_id=str(getattr(instance, "pk", ""))
        ).order_by("id")
    )


def test_create_records_new_fields_and_causer() -> None:
    user = UserFactory()
    with acting_as(user):
        author = Author.objects.create(name="Frank Herbert", bio="Wrote Dune.")

    [activity] = _activities_of(author)
    assert activity.event == "library.author.created"
    assert activity.description == "Author “Frank Herbert” created"
    assert activity.subject == author
    assert activity.causer == user
    assert activity.causer_name == user.username
    assert activity.properties == {
        "new": {
            "id": author.pk,
            "name": "Frank Herbert",
            "born_on": None,
            "bio": "Wrote Dune.",
        }
    }
    assert activity.batch is None


def test_create_records_foreign_keys_by_id() -> None:
    book = BookFactory(title="Dune")

    [activity] = _activities_of(book)
    assert activity.description == "Book “Dune” created"
    assert activity.properties["new"]["author"] == book.author_id
    assert activity.properties["new"]["price"] == "9.99"


def test_update_records_changes_and_causer() -> None:
    author = AuthorFactory(name="Frank Herbert")
    user = UserFactory()

    with acting_as(user):
        author.name = "F. Herbert"
        author.save()

    activity = _activities_of(author)[-1]
    assert activity.event == "library.author.updated"
    assert activity.description == "Author “F. Herbert” updated"
    assert activity.causer == user
    assert activity.properties == {
        "changes": {"name": {"old": "Frank Herbert", "new": "F. Herbert"}}
    }


def test_update_that_changes_nothing_records_nothing() -> None:
    author = AuthorFactory()

    author.save()

    assert [a.event for a in _activities_of(author)] == ["library.author.created"]


def test_delete_records_old_fields_under_the_old_pk() -> None:
    author = AuthorFactory(name="Frank Herbert")
    pk = author.pk
    user = UserFactory()

    with acting_as(user):
        author.delete()

    activity = Activity.objects.get(event="library.author.deleted")
    assert activity.description == "Author “Frank Herbert” deleted"
    assert activity.subject_type == ContentType.objects.get_for_model(Author)
    assert activity.subject_id == str(pk)
    assert activity.subject is None
    assert activity.causer == user
    assert activity.properties == {
        "old": {"id": pk, "name": "Frank Herbert", "born_on": None, "bio": ""}
    }


def test_without_causer_records_an_empty_name() -> None:
    author = AuthorFactory()

    [activity] = _activities_of(author)
    assert activity.causer is None
    assert activity.causer_name == ""


def test_string_primary_keys_are_kept_as_text() -> None:
    token = Token.objects.create(key="abc-1", label="Front desk")

    [activity] = _activities_of(token)
    assert activity.subject_id == "abc-1"
    assert activity.subject == token


def test_hidden_fields_are_never_recorded() -> None:
    user = UserFactory(username="reader")

    [activity] = _activities_of(user)
    assert "password" not in activity.properties["new"]
    assert activity.properties["new"]["username"] == "reader"


def test_connecting_twice_records_once() -> None:
    recorder.connect()
    recorder.connect()

    author = AuthorFactory()

    assert len(_activities_of(author)) == 1


def test_the_activity_log_does_not_record_itself() -> None:
    AuthorFactory()

    assert Activity.objects.filter(event__startswith="dash_activity_log.").count() == 0


@pytest.mark.django_db(transaction=True)
def test_rollback_leaves_no_activity() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        BookFactory(title="Dune")
        raise RuntimeError("abandon the change")

    assert Book.objects.count() == 0
    assert Activity.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_user_deleting_themselves_is_recorded_without_a_link() -> None:
    user = UserFactory(username="leaving")
    pk = user.pk

    with acting_as(user):
        user.delete()

    activity = Activity.objects.get(event="auth.user.deleted")
    assert activity.subject_id == str(pk)
    assert activity.causer is None
    assert activity.causer_name == "leaving"


@pytest.mark.django_db(databases="__all__")
def test_writes_to_the_database_of_the_change(db_alias: str) -> None:
    user = User.objects.db_manager(db_alias).create_user("writer")

    with acting_as(user):
        author = Author.objects.using(db_alias).create(name="Ursula K. Le Guin")

    activity = Activity.objects.using(db_alias).get(event="library.author.created")
    assert activity.subject_id == str(author.pk)
    assert activity.subject_type == ContentType.objects.db_manager(
        db_alias
    ).get_for_model(Author)
    assert activity.causer_id == user.pk


@pytest.mark.django_db(databases="__all__")
def test_a_failed_activity_write_leaves_the_postgres_transaction_usable(
    settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    if "postgres" not in connections:
        pytest.skip("PostgreSQL is not answering on 127.0.0.1:5432")
    settings.DASH = {"RAISE_LISTENER_ERRORS": False}
    # A constraint no row can meet makes the activity insert fail for real;
    # the test's transaction takes it away again.
    with connections["postgres"].cursor() as cursor:
        cursor.execute(
            "ALTER TABLE dash_activity_log_activity "
            "ADD CONSTRAINT refuse_all CHECK (false) NOT VALID"
        )

    with transaction.atomic(using="postgres"):
        Token.objects.using("postgres").create(key="kept", label="saved")
        # Without a savepoint around the insert this query would fail with
        # "current transaction is aborted".
        assert Token.objects.using("postgres").filter(key="kept").exists()

    assert Activity.objects.using("postgres").count() == 0
    assert "Listener dash_activity_log.recorder._on_created failed" in caplog.text
