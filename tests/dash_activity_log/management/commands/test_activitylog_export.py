"""activitylog_export streams activities, oldest first, as JSON lines or CSV."""

from __future__ import annotations

import datetime
import json
import uuid
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import QuerySet
from pytest_django.fixtures import Settings

from dash_activity_log.management.commands import activitylog_export
from dash_activity_log.models import Activity
from tests.dash_activity_log.factories import (
    ActivityFactory,
    AuthorFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BATCH = uuid.UUID("0b5e6f4a-8a5f-4c36-9a51-9f1c1b7a3e01")


def _at(day: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, hour, 0, tzinfo=datetime.UTC)


def _export(*args: str, **options: Any) -> str:
    out = StringIO()
    call_command("activitylog_export", *args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def history() -> tuple[Activity, Activity]:
    """A deploy notice on 2 March and an author's creation on 1 March."""
    author = AuthorFactory(name="Frank Herbert")
    created = Activity.objects.get(event="library.author.created")
    created.created_at = _at(1)
    created.batch = BATCH
    created.causer = UserFactory(username="editor")
    created.causer_name = "editor"
    created.ip_address = "192.0.2.7"
    created.user_agent = "Lynx/2.9"
    created.save()
    Activity.objects.exclude(pk=created.pk).delete()
    assert created.subject_id == str(author.pk)
    notice = ActivityFactory(
        created_at=_at(2),
        description='Deployed "2.4", with, commas',
        properties={"version": "2.4"},
        batch=BATCH,
    )
    return created, notice


def test_jsonl_is_the_default_one_object_a_line(
    history: tuple[Activity, Activity],
) -> None:
    created, notice = history

    lines = _export().splitlines()

    assert [json.loads(line) for line in lines] == [
        {
            "id": created.pk,
            "created_at": "2026-03-01T09:00:00+00:00",
            "event": "library.author.created",
            "description": "Author “Frank Herbert” created",
            "subject_type": "library.author",
            "subject_id": created.subject_id,
            "causer_id": created.causer_id,
            "causer_name": "editor",
            "batch": str(BATCH),
            "ip_address": "192.0.2.7",
            "user_agent": "Lynx/2.9",
            "channel": "",
            "properties": created.properties,
        },
        {
            "id": notice.pk,
            "created_at": "2026-03-02T09:00:00+00:00",
            "event": "deploy.notice",
            "description": 'Deployed "2.4", with, commas',
            "subject_type": None,
            "subject_id": "",
            "causer_id": None,
            "causer_name": "",
            "batch": str(BATCH),
            "ip_address": None,
            "user_agent": "",
            "channel": "",
            "properties": {"version": "2.4"},
        },
    ]
    # Text stays readable rather than \\u-escaped.
    assert "“Frank Herbert”" in lines[0]


def test_csv_has_a_header_and_one_row_per_activity(
    history: tuple[Activity, Activity],
) -> None:
    _, notice = history

    output = _export("--format", "csv")

    header, first, second = output.split("\r\n")[:3]
    assert header == (
        "id,created_at,event,description,subject_type,subject_id,causer_id,"
        "causer_name,batch,ip_address,user_agent,channel,properties"
    )
    assert first.startswith(
        f"{history[0].pk},2026-03-01T09:00:00+00:00,library.author.created,"
    )
    assert second == (
        f"{notice.pk},2026-03-02T09:00:00+00:00,deploy.notice,"
        '"Deployed ""2.4"", with, commas",,,,,'
        f'{BATCH},,,,"{{""version"": ""2.4""}}"'
    )
    assert output.endswith("\r\n")


def test_csv_of_nothing_is_the_header() -> None:
    assert _export("--format", "csv") == (
        "id,created_at,event,description,subject_type,subject_id,causer_id,"
        "causer_name,batch,ip_address,user_agent,channel,properties\r\n"
    )


def test_jsonl_of_nothing_is_empty() -> None:
    assert _export() == ""


@pytest.mark.parametrize(
    ("since", "events"),
    [
        ("2026-03-02", ["deploy.notice"]),
        ("2026-03-01T09:00:00+00:00", ["library.author.created", "deploy.notice"]),
        ("2026-03-01T09:00:01Z", ["deploy.notice"]),
        ("2026-03-01T10:00:01+01:00", ["deploy.notice"]),
        ("2026-03-03", []),
    ],
)
@pytest.mark.usefixtures("history")
def test_since_keeps_activities_at_or_after_it(since: str, events: list[str]) -> None:
    lines = _export("--since", since).splitlines()

    assert [json.loads(line)["event"] for line in lines] == events


@pytest.mark.usefixtures("history")
def test_a_naive_since_is_read_in_the_current_time_zone(settings: Settings) -> None:
    settings.TIME_ZONE = "Europe/Paris"

    lines = _export("--since", "2026-03-01T10:00").splitlines()

    assert [json.loads(line)["event"] for line in lines] == [
        "library.author.created",
        "deploy.notice",
    ]


@pytest.mark.parametrize("since", ["yesterday", "2026-02-30", "01/03/2026", ""])
def test_a_malformed_since_is_refused(since: str) -> None:
    with pytest.raises(CommandError) as raised:
        _export("--since", since)

    assert str(raised.value) == (
        "--since must be an ISO 8601 date or date and time, such as 2026-01-31 "
        f"or 2026-01-31T08:00:00+00:00; got {since!r}."
    )


@pytest.mark.parametrize(
    "since",
    [
        # In range where written, out of range in UTC.
        "9999-12-31T23:59:59-01:00",
        "0001-01-01T00:00:00+01:00",
    ],
)
def test_a_since_beyond_the_calendar_in_utc_is_refused(since: str) -> None:
    with pytest.raises(CommandError) as raised:
        _export("--since", since)

    assert str(raised.value) == (
        "--since must fall within the years 1 to 9999 once converted to UTC; "
        f"got {since!r}."
    )


def test_a_naive_since_beyond_the_calendar_in_utc_is_refused(
    settings: Settings,
) -> None:
    settings.TIME_ZONE = "Europe/Paris"

    with pytest.raises(CommandError) as raised:
        _export("--since", "0001-01-01")

    assert str(raised.value) == (
        "--since must fall within the years 1 to 9999 once converted to UTC; "
        "got '0001-01-01'."
    )


def test_an_aware_since_beyond_the_calendar_without_time_zones_is_refused(
    settings: Settings,
) -> None:
    settings.USE_TZ = False
    settings.TIME_ZONE = "America/New_York"

    with pytest.raises(CommandError) as raised:
        _export("--since", "0001-01-01T00:00:00+00:00")

    assert str(raised.value) == (
        "--since must fall within the years 1 to 9999 once converted to "
        "America/New_York; got '0001-01-01T00:00:00+00:00'."
    )


@pytest.mark.usefixtures("history")
def test_the_first_day_of_the_calendar_is_a_since_like_any_other() -> None:
    lines = _export("--since", "0001-01-01T00:00:00Z").splitlines()

    assert [json.loads(line)["event"] for line in lines] == [
        "library.author.created",
        "deploy.notice",
    ]


@pytest.mark.parametrize("database", ["nope", ""])
def test_an_unknown_database_is_refused(database: str) -> None:
    with pytest.raises(CommandError) as raised:
        _export("--database", database)

    assert str(raised.value) == (
        "--database must name one of this project's databases "
        f"({', '.join(settings.DATABASES)}); got {database!r}."
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--since", "yesterday"),
            "--since must be an ISO 8601 date or date and time, such as "
            "2026-01-31 or 2026-01-31T08:00:00+00:00; got 'yesterday'.",
        ),
        (
            ("--since", "9999-12-31T23:59:59-01:00"),
            "--since must fall within the years 1 to 9999 once converted to UTC; "
            "got '9999-12-31T23:59:59-01:00'.",
        ),
        (
            ("--database", "nope"),
            "--database must name one of this project's databases "
            f"({', '.join(settings.DATABASES)}); got 'nope'.",
        ),
    ],
)
def test_a_refusal_exits_with_status_one_and_no_traceback(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    command = activitylog_export.Command()

    with pytest.raises(SystemExit) as exited:
        command.run_from_argv(
            ["manage.py", "activitylog_export", "--skip-checks", *args]
        )

    assert exited.value.code == 1
    assert capsys.readouterr() == ("", f"CommandError: {message}\n")


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(CommandError, match="invalid choice: 'xml'"):
        _export("--format", "xml")


def test_every_activity_is_streamed_in_chunks() -> None:
    count = activitylog_export.CHUNK_SIZE * 2 + 1
    Activity.objects.bulk_create(
        Activity(event="deploy.notice", description=str(n)) for n in range(count)
    )
    err = StringIO()

    output = _export(stderr=err, verbosity=2)

    lines = output.splitlines()
    assert len(lines) == count
    assert [json.loads(line)["description"] for line in lines[:3]] == ["0", "1", "2"]
    assert err.getvalue() == f"Exported {count} activities.\n"


def test_rows_are_never_all_loaded_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # A queryset that loads every row goes through _fetch_all; a stream does not.
    count = activitylog_export.CHUNK_SIZE + 1
    Activity.objects.bulk_create(
        Activity(event="deploy.notice", description=str(n)) for n in range(count)
    )

    def load_all(queryset: QuerySet[Any]) -> None:
        raise AssertionError(f"{queryset.model.__name__} rows were loaded at once")

    monkeypatch.setattr(QuerySet, "_fetch_all", load_all)

    for export_format in ("jsonl", "csv"):
        lines = _export("--format", export_format).splitlines()
        assert len(lines) == count + (export_format == "csv")


@pytest.mark.django_db(databases="__all__")
def test_exports_the_named_database(db_alias: str) -> None:
    Activity.objects.using(db_alias).create(event="deploy.notice", description="x")

    lines = _export("--database", db_alias).splitlines()

    assert [json.loads(line)["event"] for line in lines] == ["deploy.notice"]


class _ClosedPipe(StringIO):
    """stdout whose reader stops after the first line, as ``| head -1`` does."""

    def write(self, text: str) -> int:
        if self.getvalue():
            raise BrokenPipeError(32, "Broken pipe")
        return super().write(text)


def test_a_reader_that_stops_early_ends_the_export_quietly() -> None:
    ActivityFactory.create_batch(3)
    out, err = _ClosedPipe(), StringIO()

    call_command("activitylog_export", stdout=out, stderr=err, verbosity=2)

    assert len(out.getvalue().splitlines()) == 1
    assert err.getvalue() == ""
