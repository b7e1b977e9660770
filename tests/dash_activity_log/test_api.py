"""log_activity records what is not a model change, in the caller's transaction."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest
from asgiref.sync import async_to_sync
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connections, transaction

import dash_activity_log
from dash.context import acting_as
from dash_activity_log import alog_activity, log_activity
from dash_activity_log.models import Activity
from example_project.library.models import Author
from tests.dash_activity_log.factories import AuthorFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_package_exports_the_public_api() -> None:
    assert dash_activity_log.__all__ == [
        "alog_activity",
        "batch",
        "log_activity",
        "log_events",
        "stop_logging_events",
    ]
    assert dash_activity_log.log_activity is log_activity


def test_an_unknown_name_is_no_attribute() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'record'"):
        dash_activity_log.record  # noqa: B018


def test_defaults_record_the_name_and_the_current_causer() -> None:
    user = UserFactory(username="clerk")

    with acting_as(user):
        activity = log_activity("auth.signed_in")

    activity.refresh_from_db()
    assert activity.event == "auth.signed_in"
    assert activity.description == "auth.signed_in"
    assert (activity.causer, activity.causer_name) == (user, "clerk")
    assert (activity.subject_type, activity.subject_id) == (None, "")
    assert activity.properties == {}
    assert isinstance(activity.batch, uuid.UUID)


def test_everything_can_be_given() -> None:
    author = AuthorFactory(name="Frank Herbert")
    user = UserFactory(username="auditor")

    activity = log_activity(
        "library.author.exported",
        subject=author,
        causer=user,
        properties={
            "format": "pdf",
            "on": datetime.date(2026, 3, 1),
            "fee": Decimal("1.50"),
        },
        description="Frank Herbert's record was exported",
    )

    activity.refresh_from_db()
    assert activity.subject == author
    assert activity.subject_type == ContentType.objects.get_for_model(Author)
    assert activity.subject_id == str(author.pk)
    assert (activity.causer, activity.causer_name) == (user, "auditor")
    assert activity.properties == {"format": "pdf", "on": "2026-03-01", "fee": "1.50"}
    assert activity.description == "Frank Herbert's record was exported"


def test_an_explicit_none_records_no_one() -> None:
    with acting_as(UserFactory()):
        activity = log_activity("deploy.notice", causer=None)

    assert (activity.causer, activity.causer_name) == (None, "")


@pytest.mark.parametrize("name", ["", "x" * 256])
def test_an_empty_or_over_long_name_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="non-empty string of at most 255"):
        log_activity(name)

    assert Activity.objects.count() == 0


def test_an_unsaved_subject_is_refused() -> None:
    with pytest.raises(ValueError, match="must be saved before it is logged"):
        log_activity("library.author.exported", subject=Author(name="Nobody"))


@pytest.mark.django_db(databases="__all__")
def test_the_subjects_database_is_used(db_alias: str) -> None:
    author = Author.objects.using(db_alias).create(name="Ursula K. Le Guin")

    log_activity("library.author.exported", subject=author)

    assert (
        Activity.objects.using(db_alias)
        .filter(event="library.author.exported")
        .exists()
    )


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_a_rollback_takes_the_activity_away(db_alias: str) -> None:
    with pytest.raises(RuntimeError), transaction.atomic(using=db_alias):
        log_activity("deploy.notice", using=db_alias)
        raise RuntimeError("abandon the deploy")

    assert Activity.objects.using(db_alias).count() == 0


@pytest.mark.django_db(databases="__all__")
def test_a_failed_write_leaves_the_callers_transaction_usable() -> None:
    if "postgres" not in connections:
        pytest.skip(settings.POSTGRES_UNAVAILABLE)
    # A constraint makes one insert fail for real; the test's transaction
    # takes it away again.
    with connections["postgres"].cursor() as cursor:
        cursor.execute(
            "ALTER TABLE dash_activity_log_activity ADD CONSTRAINT refuse_one "
            "CHECK (event <> 'deploy.refused') NOT VALID"
        )

    with transaction.atomic(using="postgres"):
        with pytest.raises(IntegrityError):
            log_activity("deploy.refused", using="postgres")
        # Without the savepoint this would fail: "current transaction is aborted".
        log_activity("deploy.finished", using="postgres")

    assert list(Activity.objects.using("postgres").values_list("event", flat=True)) == [
        "deploy.finished"
    ]


def test_a_worker_task_continues_a_requests_batch_as_its_user() -> None:
    user = UserFactory(username="clerk")
    request_batch = uuid.UUID("5d0c3a56-1b0e-4a5e-9d7b-3f4f1c2e9a10")

    # What a task runner does with the ids a request handed it.
    with acting_as(user), dash_activity_log.batch(request_batch):
        activity = log_activity("library.report.sent")

    assert (activity.batch, activity.causer, activity.causer_name) == (
        request_batch,
        user,
        "clerk",
    )


def test_alog_activity_records_from_async_code() -> None:
    user = UserFactory(username="clerk")

    async def sign_in() -> Activity:
        with acting_as(user):
            return await alog_activity("auth.signed_in", properties={"via": "sso"})

    activity = async_to_sync(sign_in)()

    activity.refresh_from_db()
    assert (activity.event, activity.causer, activity.properties) == (
        "auth.signed_in",
        user,
        {"via": "sso"},
    )
