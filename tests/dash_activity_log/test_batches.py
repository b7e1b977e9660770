"""Batches group what one transaction, command run or explicit block changed."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections, transaction
from pytest_django.fixtures import Settings

from dash_activity_log import batch, log_activity
from dash_activity_log.models import Activity
from example_project.library.models import Author
from tests.dash_activity_log.commands import import_authors, nightly_sync

pytestmark = pytest.mark.django_db(transaction=True, databases="__all__")


def _batches(using: str = "default") -> dict[str, object]:
    return dict(
        Activity.objects.using(using).values_list("subject_id", "batch").order_by("id")
    )


def _author_batches() -> dict[str, object]:
    return dict(
        Activity.objects.filter(event="library.author.created")
        .values_list("description", "batch")
        .order_by("id")
    )


def test_changes_in_one_transaction_share_a_batch(db_alias: str) -> None:
    with transaction.atomic(using=db_alias):
        first = Author.objects.using(db_alias).create(name="Le Guin")
        second = Author.objects.using(db_alias).create(name="Herbert")

    batches = _batches(db_alias)
    assert batches[str(first.pk)] is not None
    assert batches[str(first.pk)] == batches[str(second.pk)]


def test_separate_transactions_get_separate_batches(db_alias: str) -> None:
    with transaction.atomic(using=db_alias):
        first = Author.objects.using(db_alias).create(name="Le Guin")
    with transaction.atomic(using=db_alias):
        second = Author.objects.using(db_alias).create(name="Herbert")

    batches = _batches(db_alias)
    assert batches[str(first.pk)] != batches[str(second.pk)]


def test_each_write_outside_a_transaction_is_its_own_batch(db_alias: str) -> None:
    first = Author.objects.using(db_alias).create(name="Le Guin")
    second = Author.objects.using(db_alias).create(name="Herbert")

    batches = _batches(db_alias)
    assert None not in batches.values()
    assert batches[str(first.pk)] != batches[str(second.pk)]


def test_nested_atomic_blocks_share_the_outer_batch(db_alias: str) -> None:
    with transaction.atomic(using=db_alias):
        first = log_activity("deploy.started", using=db_alias)
        with transaction.atomic(using=db_alias):
            second = log_activity("deploy.migrated", using=db_alias)
        third = log_activity("deploy.finished", using=db_alias)

    assert first.batch == second.batch == third.batch


def test_a_rolled_back_savepoint_keeps_the_batch_begun_before_it(
    db_alias: str,
) -> None:
    with transaction.atomic(using=db_alias):
        before = log_activity("deploy.started", using=db_alias)
        with pytest.raises(RuntimeError), transaction.atomic(using=db_alias):
            log_activity("deploy.migrated", using=db_alias)
            raise RuntimeError("abandon the migration")
        after = log_activity("deploy.finished", using=db_alias)

    assert before.batch == after.batch
    assert list(
        Activity.objects.using(db_alias).order_by("id").values_list("event", flat=True)
    ) == ["deploy.started", "deploy.finished"]


def test_a_batch_begun_in_a_rolled_back_savepoint_is_not_reused(
    db_alias: str,
) -> None:
    with transaction.atomic(using=db_alias):
        with pytest.raises(RuntimeError), transaction.atomic(using=db_alias):
            abandoned = log_activity("deploy.migrated", using=db_alias)
            raise RuntimeError("abandon the migration")
        first = log_activity("deploy.started", using=db_alias)
        second = log_activity("deploy.finished", using=db_alias)

    assert first.batch == second.batch
    assert first.batch != abandoned.batch


def test_a_rolled_back_transaction_leaves_its_batch_behind(db_alias: str) -> None:
    with pytest.raises(RuntimeError), transaction.atomic(using=db_alias):
        abandoned = log_activity("deploy.started", using=db_alias)
        raise RuntimeError("abandon the deploy")
    with transaction.atomic(using=db_alias):
        kept = log_activity("deploy.started", using=db_alias)

    assert kept.batch != abandoned.batch
    assert Activity.objects.using(db_alias).count() == 1


def test_each_database_has_its_own_transaction_batch() -> None:
    if "postgres" not in connections:
        pytest.skip(settings.POSTGRES_UNAVAILABLE)

    with transaction.atomic(), transaction.atomic(using="postgres"):
        on_default = log_activity("deploy.started")
        on_postgres = log_activity("deploy.started", using="postgres")
        again_on_default = log_activity("deploy.finished")

    assert on_default.batch == again_on_default.batch
    assert on_default.batch != on_postgres.batch


def test_an_explicit_batch_spans_transactions(db_alias: str) -> None:
    with batch() as batch_id:
        with transaction.atomic(using=db_alias):
            first = log_activity("deploy.started", using=db_alias)
        with transaction.atomic(using=db_alias):
            second = log_activity("deploy.finished", using=db_alias)

    assert first.batch == second.batch == batch_id


def test_a_command_run_is_one_batch_across_its_transactions() -> None:
    call_command(import_authors.Command(), "Le Guin", "Herbert")
    call_command(import_authors.Command(), "Butler")

    batches = _author_batches()
    assert batches["Author “Le Guin” created"] == batches["Author “Herbert” created"]
    assert batches["Author “Le Guin” created"] != batches["Author “Butler” created"]


def test_a_command_run_includes_the_commands_it_calls() -> None:
    call_command(nightly_sync.Command())

    assert len(set(_author_batches().values())) == 1
    assert Activity.objects.count() == 3


def test_server_commands_are_batched_by_transaction(settings: Settings) -> None:
    settings.DASH_ACTIVITY_LOG = {"SERVER_COMMANDS": ["import_authors"]}

    call_command(import_authors.Command(), "Le Guin", "Herbert")

    assert len(set(_author_batches().values())) == 2
