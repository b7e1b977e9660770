"""``manage.py activitylog_prune``: delete activities older than the retention."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import QuerySet
from django.utils import timezone

from dash_activity_log.conf import activity_log_settings
from dash_activity_log.management.arguments import database_alias
from dash_activity_log.models import Activity

#: Rows deleted per transaction, so that no lock is held for long.
DEFAULT_BATCH_SIZE = 1000
#: The largest batch: a batch's ids are one query's parameters, of which
#: PostgreSQL takes at most 65,535 and SQLite, as usually built, 32,766.
MAX_BATCH_SIZE = 10_000
#: The oldest cutoff. A day after ``datetime.min``, so that the database
#: adapter's conversion to any time zone stays in range.
_EARLIEST_CUTOFF = datetime.datetime(1, 1, 2)


def _whole_number(value: Any, option: str, most: int, reach: str = "") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= most:
        raise CommandError(
            f"{option} must be a whole number from 1 to {most}{reach}; got {value}."
        )
    return value


def _cutoff(days: Any, source: str) -> datetime.datetime:
    now = timezone.now()
    earliest = _EARLIEST_CUTOFF.replace(tzinfo=now.tzinfo)
    days = _whole_number(days, source, (now - earliest).days, " (back to the year 1)")
    return now - datetime.timedelta(days=days)


class Command(BaseCommand):
    help = (
        "Delete activities older than DASH_ACTIVITY_LOG['RETENTION_DAYS'] days, "
        "or than --days, in batches, and say how many."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            help="Keep this many days of history, whatever the setting says.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would be deleted and delete nothing.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=(
                f"Activities deleted per transaction, 1 to {MAX_BATCH_SIZE} "
                f"(default {DEFAULT_BATCH_SIZE})."
            ),
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="The database to prune (default 'default').",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days, source = options["days"], "--days"
        if days is None:
            days = activity_log_settings().retention_days
            source = "DASH_ACTIVITY_LOG['RETENTION_DAYS']"
        if days is None:
            raise CommandError(
                "No retention to apply: pass --days N or set "
                "DASH_ACTIVITY_LOG['RETENTION_DAYS']."
            )
        cutoff = _cutoff(days, source)
        batch_size = _whole_number(
            options["batch_size"], "--batch-size", MAX_BATCH_SIZE
        )
        using = database_alias(options["database"])
        old = Activity.objects.using(using).filter(created_at__lt=cutoff)

        if options["dry_run"]:
            count = old.count()
            verb = "Would delete"
        else:
            count = self._delete(old, batch_size, options["verbosity"])
            verb = "Deleted"

        if options["verbosity"] >= 1:
            self.stdout.write(
                f"{verb} {count} {'activity' if count == 1 else 'activities'} "
                f"older than {cutoff.isoformat(timespec='seconds')}."
            )

    def _delete(self, old: QuerySet[Activity], batch_size: int, verbosity: int) -> int:
        deleted = 0
        while True:
            with transaction.atomic(using=old.db):
                ids = list(old.values_list("pk", flat=True)[:batch_size])
                if not ids:
                    return deleted
                deleted += old.filter(pk__in=ids).delete()[0]
            if verbosity >= 2:
                self.stdout.write(f"Deleted {deleted} so far.")
