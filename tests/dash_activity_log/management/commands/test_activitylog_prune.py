"""activitylog_prune deletes activities older than the retention, in batches."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from pytest_django.fixtures import Settings

from dash_activity_log.management.commands import activitylog_prune
from dash_activity_log.models import Activity
from tests.dash_activity_log.factories import ActivityFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)
DATABASES = ", ".join(settings.DATABASES)


def _days_ago(days: float, using: str = "default") -> Activity:
    activity: Activity = ActivityFactory.build(
        created_at=NOW - datetime.timedelta(days=days)
    )
    activity.save(using=using)
    return activity


@pytest.fixture(autouse=True)
def _frozen_now() -> Iterator[None]:
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


def _prune(*args: str, **options: Any) -> str:
    out = StringIO()
    call_command("activitylog_prune", *args, stdout=out, **options)
    return out.getvalue()


def test_days_deletes_older_activities_and_says_how_many() -> None:
    kept = [_days_ago(1), _days_ago(29.9)]
    _days_ago(30.1)
    _days_ago(400)

    output = _prune("--days", "30")

    assert output == "Deleted 2 activities older than 2026-05-02T12:00:00+00:00.\n"
    assert set(Activity.objects.all()) == set(kept)


def test_the_retention_setting_is_the_default(settings: Settings) -> None:
    settings.DASH_ACTIVITY_LOG = {"RETENTION_DAYS": 7}
    kept = _days_ago(6)
    _days_ago(8)

    output = _prune()

    assert output == "Deleted 1 activity older than 2026-05-25T12:00:00+00:00.\n"
    assert list(Activity.objects.all()) == [kept]


def test_days_overrides_the_setting(settings: Settings) -> None:
    settings.DASH_ACTIVITY_LOG = {"RETENTION_DAYS": 7}
    _days_ago(8)

    assert _prune("--days", "30").startswith("Deleted 0 activities older than")
    assert Activity.objects.count() == 1


def test_dry_run_counts_and_deletes_nothing() -> None:
    _days_ago(31)
    _days_ago(32)

    output = _prune("--days", "30", "--dry-run")

    assert output == (
        "Would delete 2 activities older than 2026-05-02T12:00:00+00:00.\n"
    )
    assert Activity.objects.count() == 2


def test_deletes_in_batches_and_reports_progress_when_verbose() -> None:
    for days in range(31, 36):
        _days_ago(days)

    output = _prune("--days", "30", "--batch-size", "2", verbosity=2)

    assert output == (
        "Deleted 2 so far.\n"
        "Deleted 4 so far.\n"
        "Deleted 5 so far.\n"
        "Deleted 5 activities older than 2026-05-02T12:00:00+00:00.\n"
    )
    assert Activity.objects.count() == 0


def test_verbosity_zero_is_silent() -> None:
    _days_ago(31)

    assert _prune("--days", "30", verbosity=0) == ""
    assert Activity.objects.count() == 0


@pytest.mark.django_db(databases="__all__")
def test_prunes_the_named_database(db_alias: str) -> None:
    _days_ago(31, using=db_alias)
    _days_ago(1, using=db_alias)

    _prune("--days", "30", "--database", db_alias)

    assert Activity.objects.using(db_alias).count() == 1


def test_without_any_retention_it_refuses() -> None:
    _days_ago(400)

    with pytest.raises(CommandError) as raised:
        _prune()

    assert str(raised.value) == (
        "No retention to apply: pass --days N or set "
        "DASH_ACTIVITY_LOG['RETENTION_DAYS']."
    )
    assert Activity.objects.count() == 1


#: The most --days at NOW: back to 2 January of the year 1, a day inside the
#: range of datetime in every time zone.
MOST_DAYS = 739766
DAYS_REFUSED = (
    f"--days must be a whole number from 1 to {MOST_DAYS} (back to the year 1); got"
)
BATCH_SIZE_REFUSED = "--batch-size must be a whole number from 1 to 10000; got"
REFUSALS = [
    (("--days", "0"), f"{DAYS_REFUSED} 0."),
    (("--days", "-5"), f"{DAYS_REFUSED} -5."),
    (("--days", str(MOST_DAYS + 1)), f"{DAYS_REFUSED} {MOST_DAYS + 1}."),
    # timedelta's own limit, and beyond what a C int holds.
    (("--days", "999999999"), f"{DAYS_REFUSED} 999999999."),
    (("--days", "99999999999"), f"{DAYS_REFUSED} 99999999999."),
    (("--days", "3", "--batch-size", "-1"), f"{BATCH_SIZE_REFUSED} -1."),
    (("--days", "3", "--batch-size", "0"), f"{BATCH_SIZE_REFUSED} 0."),
    (("--days", "3", "--batch-size", "10001"), f"{BATCH_SIZE_REFUSED} 10001."),
    (
        ("--days", "3", "--batch-size", "99999999999999999999999"),
        f"{BATCH_SIZE_REFUSED} 99999999999999999999999.",
    ),
    (
        ("--days", "3", "--database", "nope"),
        "--database must name one of this project's databases "
        f"({DATABASES}); got 'nope'.",
    ),
    (
        ("--days", "3", "--dry-run", "--database", ""),
        f"--database must name one of this project's databases ({DATABASES}); got ''.",
    ),
]


@pytest.mark.parametrize(("args", "message"), REFUSALS)
def test_values_out_of_range_are_refused_and_nothing_is_deleted(
    args: tuple[str, ...], message: str
) -> None:
    _days_ago(400)

    with pytest.raises(CommandError) as raised:
        _prune(*args)

    assert str(raised.value) == message
    assert Activity.objects.count() == 1


def test_an_absurd_retention_setting_is_refused_by_name(settings: Settings) -> None:
    settings.DASH_ACTIVITY_LOG = {"RETENTION_DAYS": 99999999999}
    _days_ago(400)

    with pytest.raises(CommandError) as raised:
        _prune()

    assert str(raised.value) == (
        "DASH_ACTIVITY_LOG['RETENTION_DAYS'] must be a whole number from 1 to "
        f"{MOST_DAYS} (back to the year 1); got 99999999999."
    )
    assert Activity.objects.count() == 1


def test_the_most_days_reach_back_to_the_year_1() -> None:
    kept = _days_ago(MOST_DAYS - 1)
    _days_ago(MOST_DAYS + 0.25)

    output = _prune("--days", str(MOST_DAYS))

    assert output == "Deleted 1 activity older than 0001-01-02T12:00:00+00:00.\n"
    assert list(Activity.objects.all()) == [kept]


def test_the_largest_batch_is_accepted() -> None:
    _days_ago(31)

    assert _prune("--days", "30", "--batch-size", "10000").startswith("Deleted 1 ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            (),
            "No retention to apply: pass --days N or set "
            "DASH_ACTIVITY_LOG['RETENTION_DAYS'].",
        ),
        *REFUSALS,
    ],
)
def test_a_refusal_exits_with_status_one_and_no_traceback(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    _days_ago(400)
    command = activitylog_prune.Command()

    with pytest.raises(SystemExit) as exited:
        command.run_from_argv(
            ["manage.py", "activitylog_prune", "--skip-checks", *args]
        )

    assert exited.value.code == 1
    assert capsys.readouterr() == ("", f"CommandError: {message}\n")
    assert Activity.objects.count() == 1
