"""The recorder writes one activity per model change, in the change's transaction."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from dash.context import acting_as
from dash.testing import capture_events
from dash_activity_log import recorder
from dash_activity_log.models import Activity
from example_project.library.models import Author, Loan, Member, Publisher
from tests.dash_activity_log.factories import (
    AuthorFactory,
    BookFactory,
    GenreFactory,
    LoanFactory,
    MemberFactory,
    UserFactory,
    creating_in,
)
from tests.testapp.models import Item, Ticket, Token

pytestmark = pytest.mark.django_db


def _events() -> list[str]:
    return list(Activity.objects.order_by("id").values_list("event", flat=True))


def _activities_of(instance: object, using: str = "default") -> list[Activity]:
    subject_type = ContentType.objects.db_manager(using).get_for_model(type(instance))
    return list(
        Activity.objects.using(using)
        .filter(subject_type=subject_type, subject_id=str(getattr(instance, "pk", "")))
        .order_by("id")
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
    assert isinstance(activity.batch, uuid.UUID)


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


@pytest.mark.django_db(databases="__all__")
def test_uuid_primary_keys_are_kept_as_text(db_alias: str) -> None:
    ticket = Ticket.objects.using(db_alias).create(label="Lost card")

    [activity] = _activities_of(ticket, db_alias)
    assert activity.subject_id == str(ticket.pk)
    assert activity.subject == ticket
    assert activity.properties["new"]["id"] == str(ticket.pk)


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


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_rollback_leaves_no_activity(db_alias: str) -> None:
    with pytest.raises(RuntimeError), transaction.atomic(using=db_alias):
        author = Author.objects.using(db_alias).create(name="Frank Herbert")
        author.name = "F. Herbert"
        author.save()
        assert Activity.objects.using(db_alias).count() == 2
        raise RuntimeError("abandon the change")

    assert Author.objects.using(db_alias).count() == 0
    assert Activity.objects.using(db_alias).count() == 0


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_commit_keeps_the_change_and_its_activity(db_alias: str) -> None:
    with transaction.atomic(using=db_alias):
        author = Author.objects.using(db_alias).create(name="Frank Herbert")

    activity = Activity.objects.using(db_alias).get()
    assert activity.subject_id == str(author.pk)


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


def test_a_sign_in_is_not_an_edit_of_the_user(client: Client) -> None:
    User.objects.create_superuser("editor", password="editor-pass")

    response = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": "editor-pass", "next": "/admin/"},
    )

    assert response.status_code == 302
    assert User.objects.get(username="editor").last_login is not None
    assert not Activity.objects.filter(event="auth.user.updated").exists()


def test_a_sign_in_with_a_real_edit_is_logged_with_the_edit() -> None:
    user = User.objects.create_user("editor", first_name="Ed")
    user.first_name = "Edith"
    user.last_login = timezone.now()

    user.save()

    changes = Activity.objects.get(event="auth.user.updated").properties["changes"]
    assert set(changes) == {"first_name", "last_login"}


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_a_user_deleting_themselves_with_rows_that_point_at_them(db_alias: str) -> None:
    # Deleting the user rewrites their membership (SET_NULL), an update
    # whose causer is the user the same delete removes.
    user = User.objects.db_manager(db_alias).create_user("leaving")
    member = Member.objects.using(db_alias).create(
        user=user, name="Leaving Reader", email="leaving@example.org"
    )
    user_pk = user.pk

    with acting_as(user):
        user.delete()

    assert not User.objects.using(db_alias).filter(username="leaving").exists()
    activities = Activity.objects.using(db_alias).filter(
        event__in=["auth.user.deleted", "library.member.updated"]
    )
    assert sorted(activities.values_list("event", "causer_id", "causer_name")) == [
        ("auth.user.deleted", None, "leaving"),
        ("library.member.updated", None, "leaving"),
    ]
    updated = activities.get(event="library.member.updated")
    assert updated.subject_id == str(member.pk)
    assert updated.properties["changes"]["user"] == {"old": user_pk, "new": None}


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
        pytest.skip(settings.POSTGRES_UNAVAILABLE)
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


def test_the_activity_keeps_the_events_timestamp() -> None:
    with capture_events() as events:
        author = AuthorFactory()

    [activity] = _activities_of(author)
    created = events.assert_dispatched("library.author.created")
    assert activity.created_at == created.timestamp


def test_excluded_apps_are_never_recorded(settings: Any) -> None:
    settings.DASH_ACTIVITY_LOG = {"EXCLUDE_MODELS": ["library"]}

    author = AuthorFactory()
    author.name = "Renamed"
    author.save()
    author.delete()

    assert _events() == []


def test_excluded_models_are_never_recorded(settings: Any) -> None:
    settings.DASH_ACTIVITY_LOG = {"EXCLUDE_MODELS": ["library.Author"]}

    BookFactory()

    assert _events() == ["library.book.created"]


def test_excluded_fields_are_never_stored(settings: Any) -> None:
    settings.DASH_ACTIVITY_LOG = {
        "EXCLUDE_FIELDS": {"library.book": ["cover_notes", "price"]}
    }
    book = BookFactory(title="Dune", cover_notes="Spice")

    book.title = "Dune Messiah"
    book.price = "12.50"
    book.save()
    book.delete()

    created, updated, deleted = Activity.objects.filter(
        event__startswith="library.book."
    ).order_by("id")
    assert (
        set(created.properties["new"])
        == set(deleted.properties["old"])
        == {
            "id",
            "title",
            "isbn",
            "author",
            "publisher",
            "published_on",
            "pages",
            "status",
            "updated_at",
        }
    )
    assert (created.properties["new"]["title"], deleted.properties["old"]["title"]) == (
        "Dune",
        "Dune Messiah",
    )
    assert set(updated.properties["changes"]) == {"title", "updated_at"}


def test_an_update_of_excluded_fields_only_records_nothing(settings: Any) -> None:
    settings.DASH_ACTIVITY_LOG = {"EXCLUDE_FIELDS": {"library.author": ["bio"]}}
    author = AuthorFactory()

    author.bio = "Wrote Dune."
    author.save()

    assert [a.event for a in _activities_of(author)] == ["library.author.created"]


@pytest.mark.parametrize(
    ("key", "missing"),
    [
        ("LOG_CREATES", "library.author.created"),
        ("LOG_UPDATES", "library.author.updated"),
        ("LOG_DELETES", "library.author.deleted"),
    ],
)
def test_each_kind_of_change_can_be_left_out(
    settings: Any, key: str, missing: str
) -> None:
    settings.DASH_ACTIVITY_LOG = {key: False}

    author = AuthorFactory()
    author.name = "Renamed"
    author.save()
    author.delete()

    everything = [
        "library.author.created",
        "library.author.updated",
        "library.author.deleted",
    ]
    assert _events() == [event for event in everything if event != missing]


def test_empty_updates_are_kept_when_asked(settings: Any) -> None:
    settings.DASH_ACTIVITY_LOG = {"KEEP_EMPTY_UPDATES": True}
    author = AuthorFactory()

    author.save()

    activity = _activities_of(author)[-1]
    assert activity.event == "library.author.updated"
    assert activity.properties == {"changes": {}}


def test_a_save_that_only_touches_auto_now_records_nothing() -> None:
    book = BookFactory()

    book.save()

    assert [a.event for a in _activities_of(book)] == ["library.book.created"]


def test_auto_now_changes_go_along_with_real_ones() -> None:
    book = BookFactory(title="Dune")

    book.title = "Dune Messiah"
    book.save()

    changes = _activities_of(book)[-1].properties["changes"]
    assert changes["title"] == {"old": "Dune", "new": "Dune Messiah"}
    assert set(changes) == {"title", "updated_at"}


@pytest.mark.django_db(databases="__all__")
def test_many_to_many_changes_are_recorded_as_added_and_removed(db_alias: str) -> None:
    with creating_in(db_alias):
        book = BookFactory()
        sf, classic = GenreFactory(name="SF"), GenreFactory(name="Classic")

    book.genres.add(sf, classic)
    book.genres.remove(classic)
    classic.books.add(book)

    updates = [a.properties for a in _activities_of(book, db_alias)[1:]]
    assert updates == [
        {"changes": {"genres": {"added": sorted([sf.pk, classic.pk]), "removed": []}}},
        {"changes": {"genres": {"added": [], "removed": [classic.pk]}}},
        {"changes": {"genres": {"added": [classic.pk], "removed": []}}},
    ]
    assert [a.event for a in _activities_of(book, db_alias)[1:]] == [
        "library.book.updated"
    ] * 3


def test_many_to_many_changes_of_an_excluded_field_record_nothing(
    settings: Any,
) -> None:
    settings.DASH_ACTIVITY_LOG = {"EXCLUDE_FIELDS": {"library.book": ["genres"]}}
    book = BookFactory()

    book.genres.add(GenreFactory())

    assert [a.event for a in _activities_of(book)] == ["library.book.created"]


@pytest.mark.django_db(databases="__all__")
def test_cascade_deletes_keep_each_rows_last_state(db_alias: str) -> None:
    with creating_in(db_alias):
        member = MemberFactory(name="Ada")
        first, second = LoanFactory(member=member), LoanFactory(member=member)
    member_pk = member.pk
    Activity.objects.using(db_alias).all().delete()

    member.delete()

    deleted = (
        Activity.objects.using(db_alias)
        .filter(event__endswith=".deleted")
        .select_related("subject_type")
        .order_by("id")
    )
    assert sorted(a.event for a in deleted) == [
        "library.loan.deleted",
        "library.loan.deleted",
        "library.member.deleted",
    ]
    by_subject = {(a.subject_type.model, a.subject_id): a for a in deleted}
    for loan in (first, second):
        old = by_subject[("loan", str(loan.pk))].properties["old"]
        assert old == {
            "id": loan.pk,
            "book": loan.book_id,
            "member": member_pk,
            "borrowed_at": "2026-02-01T10:00:00+00:00",
            "due_on": "2026-02-22",
            "returned_at": None,
        }
    assert by_subject[("member", str(member_pk))].properties["old"]["name"] == "Ada"
    assert len({a.batch for a in deleted}) == 1
    assert Loan.objects.using(db_alias).count() == 0
    assert Member.objects.using(db_alias).count() == 0


@pytest.mark.django_db(databases="__all__")
def test_set_null_on_delete_is_recorded_as_an_update(db_alias: str) -> None:
    publisher = Publisher.objects.using(db_alias).create(name="Chilton")
    with creating_in(db_alias):
        book = BookFactory(publisher=publisher)
    publisher_pk = publisher.pk

    publisher.delete()

    activity = _activities_of(book, db_alias)[-1]
    assert activity.event == "library.book.updated"
    assert activity.properties == {
        "changes": {"publisher": {"old": publisher_pk, "new": None}}
    }


@pytest.mark.django_db(databases="__all__")
def test_bulk_writes_are_recorded_like_single_ones(db_alias: str) -> None:
    items = Item.objects.using(db_alias)

    created = items.bulk_create([Item(name="Pen"), Item(name="Ink")])
    items.filter(name="Pen").update(quantity=3)
    created[1].price = "2.50"
    items.bulk_update([created[1]], ["price"])
    items.filter(name="Ink").delete()

    activities = Activity.objects.using(db_alias).order_by("id")
    assert [(a.event, a.subject_id, a.properties) for a in activities] == [
        (
            "testapp.item.created",
            str(created[0].pk),
            {
                "new": {
                    "id": created[0].pk,
                    "name": "Pen",
                    "quantity": 0,
                    "price": "0.00",
                    "category": None,
                }
            },
        ),
        (
            "testapp.item.created",
            str(created[1].pk),
            {
                "new": {
                    "id": created[1].pk,
                    "name": "Ink",
                    "quantity": 0,
                    "price": "0.00",
                    "category": None,
                }
            },
        ),
        (
            "testapp.item.updated",
            str(created[0].pk),
            {"changes": {"quantity": {"old": 0, "new": 3}}},
        ),
        (
            "testapp.item.updated",
            str(created[1].pk),
            {"changes": {"price": {"old": "0.00", "new": "2.50"}}},
        ),
        (
            "testapp.item.deleted",
            str(created[1].pk),
            {
                "old": {
                    "id": created[1].pk,
                    "name": "Ink",
                    "quantity": 0,
                    "price": "2.50",
                    "category": None,
                }
            },
        ),
    ]


def test_descriptions_name_the_model_in_the_active_language() -> None:
    with translation.override("fr"):
        user = User.objects.create_user("editor")
        item = Item.objects.create(name="Pen")
    with translation.override("de"):
        user.first_name = "Ed"
        user.save()

    assert [a.description for a in _activities_of(user)] == [
        "Utilisateur “editor” created",
        "Benutzer “editor” updated",
    ]
    # A name Django made from the class name has no translation.
    assert _activities_of(item)[0].description == "Item “Pen” created"


def test_an_admin_setting_a_password_is_logged_without_the_hash(
    admin_client: Client,
) -> None:
    user = User.objects.create_user("reader", password="old-pw")

    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": "A-new-pass-9", "password2": "A-new-pass-9"},
    )

    assert response.status_code == 302
    activity = _activities_of(user)[-1]
    assert (activity.event, activity.causer_name) == ("auth.user.updated", "admin")
    assert activity.properties == {"changes": {"password": {"hidden": True}}}
    user.refresh_from_db()
    assert user.password.split("$")[-1] not in json.dumps(activity.properties)

    detail = admin_client.get(
        reverse("admin:dash_activity_log_activity_change", args=[activity.pk])
    )
    assert "changed (not shown)" in detail.text
