"""The context tells activities their explicit batch, request and running command."""

from __future__ import annotations

import uuid

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from pytest_django.fixtures import Settings

from dash_activity_log import batch
from dash_activity_log.context import (
    command_name,
    current_scope,
    request_scope,
    running_command,
)
from tests.dash_activity_log.commands import import_authors, nightly_sync


def test_outside_everything_there_is_no_batch_or_request() -> None:
    scope = current_scope()

    assert (scope.batch, scope.request) == (None, None)


def test_batch_yields_a_new_id_for_the_block() -> None:
    with batch() as batch_id:
        assert isinstance(batch_id, uuid.UUID)
        assert current_scope().batch == batch_id

    assert current_scope().batch is None


def test_batch_continues_a_given_id() -> None:
    earlier = uuid.UUID("8c1f6bd4-64cd-4d36-a1b5-2b7e4c3c0a51")

    with batch(earlier) as batch_id:
        assert batch_id == earlier
        assert current_scope().batch == earlier


def test_nested_batches_restore_the_outer_one() -> None:
    with batch() as outer:
        with batch() as inner:
            assert current_scope().batch == inner
        assert current_scope().batch == outer

    assert inner != outer


def test_a_request_scope_has_its_own_batch_and_the_request() -> None:
    request = RequestFactory().get("/")

    with request_scope(request):
        scope = current_scope()
        with batch() as batch_id:
            inner = current_scope()

    assert scope.request is request
    assert isinstance(scope.batch, uuid.UUID)
    # An explicit batch inside a request still knows the request.
    assert (inner.batch, inner.request) == (batch_id, request)
    assert current_scope().request is None


def test_a_batch_is_restored_when_its_block_raises() -> None:
    with pytest.raises(RuntimeError), batch():
        raise RuntimeError("abandon the script")

    assert current_scope().batch is None


def test_no_command_runs_outside_management_commands() -> None:
    assert running_command() is None


@pytest.mark.django_db
def test_the_running_command_is_found_from_call_command() -> None:
    command = import_authors.Command()

    call_command(command)

    assert command.seen is command


@pytest.mark.django_db
def test_the_outermost_command_is_the_one_running() -> None:
    outer = nightly_sync.Command()

    call_command(outer)

    assert outer.inner.seen is outer


@pytest.mark.django_db
def test_server_commands_count_as_no_command(settings: Settings) -> None:
    settings.DASH_ACTIVITY_LOG = {"SERVER_COMMANDS": ["import_authors"]}
    command = import_authors.Command()

    call_command(command)

    assert command.seen is None


def test_a_command_is_named_after_its_module() -> None:
    assert command_name(import_authors.Command()) == "import_authors"
