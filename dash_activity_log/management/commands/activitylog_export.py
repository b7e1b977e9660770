"""``manage.py activitylog_export``: stream activities to stdout for auditors."""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import sys
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from dash_activity_log.management.arguments import database_alias
from dash_activity_log.models import Activity

#: Rows fetched from the database at a time; memory stays flat however many.
CHUNK_SIZE = 2000

COLUMNS = (
    "id",
    "created_at",
    "event",
    "description",
    "subject_type",
    "subject_id",
    "causer_id",
    "causer_name",
    "batch",
    "ip_address",
    "user_agent",
    "channel",
    "properties",
)
# What is read for them: the subject type as its two parts.
_QUERY_COLUMNS = tuple(
    part
    for column in COLUMNS
    for part in (
        ("subject_type__app_label", "subject_type__model")
        if column == "subject_type"
        else (column,)
    )
)


def parse_since(value: str) -> datetime.datetime:
    """Return the moment ``--since`` names; a bare date means its midnight.

    Values without an offset are read in the current time zone. The moment
    is returned in UTC (in the current time zone when ``USE_TZ`` is off),
    the zone the database is sent. Raise ``CommandError`` for anything
    that is not an ISO 8601 date or date-time, or that falls outside the
    years 1 to 9999 in that zone.
    """
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            if day is not None:
                moment = datetime.datetime.combine(day, datetime.time())
    except ValueError:
        moment = None
    if moment is None:
        raise CommandError(
            f"--since must be an ISO 8601 date or date and time, such as "
            f"2026-01-31 or 2026-01-31T08:00:00+00:00; got {value!r}."
        )
    try:
        if settings.USE_TZ:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            return moment.astimezone(datetime.UTC)
        if timezone.is_aware(moment):
            return timezone.make_naive(moment)
        return moment
    except OverflowError:
        zone = "UTC" if settings.USE_TZ else timezone.get_current_timezone_name()
        raise CommandError(
            f"--since must fall within the years 1 to 9999 once converted to "
            f"{zone}; got {value!r}."
        ) from None


def _record(row: tuple[Any, ...]) -> dict[str, Any]:
    values = dict(zip(_QUERY_COLUMNS, row, strict=True))
    app_label = values.pop("subject_type__app_label")
    model = values.pop("subject_type__model")
    batch = values["batch"]
    values.update(
        created_at=values["created_at"].isoformat(),
        subject_type=None if app_label is None else f"{app_label}.{model}",
        batch=None if batch is None else str(batch),
    )
    return {column: values[column] for column in COLUMNS}


def _jsonl_line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


def _csv_line(values: Iterable[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(values)
    return buffer.getvalue()


def _csv_record_line(record: dict[str, Any]) -> str:
    record["properties"] = json.dumps(record["properties"], ensure_ascii=False)
    return _csv_line(
        "" if record[column] is None else record[column] for column in COLUMNS
    )


class Command(BaseCommand):
    help = (
        "Write activities to stdout, oldest first, as JSON lines or CSV, for "
        "auditors. Values are written as stored; import CSV into a "
        "spreadsheet as text."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--since",
            help="Only activities at or after this ISO 8601 date or date-time.",
        )
        parser.add_argument(
            "--format",
            choices=["jsonl", "csv"],
            default="jsonl",
            help="jsonl (one JSON object a line, the default) or csv.",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="The database to read (default 'default').",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        using = database_alias(options["database"])
        activities = Activity.objects.using(using).order_by("created_at", "id")
        if options["since"] is not None:
            activities = activities.filter(
                created_at__gte=parse_since(options["since"])
            )
        rows = activities.values_list(*_QUERY_COLUMNS).iterator(chunk_size=CHUNK_SIZE)
        as_csv = options["format"] == "csv"
        line = _csv_record_line if as_csv else _jsonl_line

        count = 0
        try:
            if as_csv:
                self.stdout.write(_csv_line(COLUMNS), ending="")
            for row in rows:
                self.stdout.write(line(_record(row)), ending="")
                count += 1
        except BrokenPipeError:
            # The reader has had enough (``| head``): stop quietly, as Unix
            # tools do. Python flushes stdout again at exit, so point it at
            # /dev/null first, unless the caller gave a stream of its own.
            if options.get("stdout") is None:
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return

        if options["verbosity"] >= 2:
            self.stderr.write(f"Exported {count} activities.")
