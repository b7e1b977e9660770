"""Rows keep who caused them, by name too, and when, with or without time zones."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.management import call_command
from pytest_django.fixtures import Settings

from dash.context import acting_as
from dash_activity_log import store
from dash_activity_log.models import Activity
from tests.dash_activity_log.commands import import_authors
from tests.dash_activity_log.factories import UserFactory

pytestmark = pytest.mark.django_db


class ServiceAccount:
    """What a custom backend may put in ``request.user``: no user row at all."""

    is_authenticated = True

    def get_username(self) -> str:
        return "billing-service"


def _write(causer: object, **kwargs: object) -> Activity:
    kwargs.setdefault("using", "default")
    return store.write(
        name="deploy.notice",
        description="Deployed",
        subject=None,
        causer=causer,
        properties={},
        **kwargs,  # type: ignore[arg-type]
    )


def test_a_user_is_linked_and_named() -> None:
    user = UserFactory(username="editor")

    activity = _write(user)

    assert (activity.causer, activity.causer_name) == (user, "editor")


def test_a_user_can_be_kept_by_name_alone() -> None:
    activity = _write(UserFactory(username="leaving"), link_causer=False)

    assert (activity.causer, activity.causer_name) == (None, "leaving")


def test_a_causer_that_is_no_user_row_is_kept_by_name() -> None:
    activity = _write(ServiceAccount())

    assert (activity.causer, activity.causer_name) == (None, "billing-service")


def test_no_causer_outside_a_command_is_an_empty_name() -> None:
    assert store.causer_name(None, None) == ""


def test_no_causer_in_a_command_is_the_system() -> None:
    assert store.causer_name(None, import_authors.Command()) == "system: import_authors"


def test_a_user_acting_in_a_command_is_named_as_the_user() -> None:
    assert (
        store.causer_name(UserFactory(username="ops"), import_authors.Command())
        == "ops"
    )


def test_changes_made_by_a_command_are_the_systems() -> None:
    call_command(import_authors.Command(), "Le Guin")

    activity = Activity.objects.get(event="library.author.created")
    assert (activity.causer, activity.causer_name) == (None, "system: import_authors")


def test_a_script_user_in_a_command_is_the_causer() -> None:
    user = UserFactory(username="ops")

    with acting_as(user):
        call_command(import_authors.Command(), "Le Guin")

    activity = Activity.objects.get(event="library.author.created")
    assert (activity.causer, activity.causer_name) == (user, "ops")


def test_server_commands_are_not_the_system(settings: Settings) -> None:
    settings.DASH_ACTIVITY_LOG = {"SERVER_COMMANDS": ["import_authors"]}

    call_command(import_authors.Command(), "Le Guin")

    assert Activity.objects.get(event="library.author.created").causer_name == ""


def test_the_given_moment_is_stored() -> None:
    moment = datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.UTC)

    activity = _write(None, created_at=moment)

    activity.refresh_from_db()
    assert activity.created_at == moment


@pytest.mark.django_db(databases="__all__")
@pytest.mark.parametrize(
    "zone", [datetime.UTC, zoneinfo.ZoneInfo("Europe/Paris")], ids=str
)
def test_a_moment_in_any_zone_is_stored_as_that_instant(
    db_alias: str, zone: datetime.tzinfo
) -> None:
    moment = datetime.datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=zone)

    activity = _write(None, created_at=moment, using=db_alias)

    stored = Activity.objects.using(db_alias).get(pk=activity.pk).created_at
    assert stored == moment
    assert stored.utcoffset() == datetime.timedelta(0)


def test_an_aware_moment_is_stored_as_local_time_without_time_zones(
    settings: Settings,
) -> None:
    settings.USE_TZ = False
    settings.TIME_ZONE = "Europe/Paris"
    moment = datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.UTC)

    activity = _write(None, created_at=moment)

    activity.refresh_from_db()
    assert activity.created_at == datetime.datetime(2026, 3, 1, 10, 30)


def test_without_a_moment_now_is_stored(settings: Settings) -> None:
    before = datetime.datetime.now(datetime.UTC)

    activity = _write(None)

    assert before <= activity.created_at <= datetime.datetime.now(datetime.UTC)
