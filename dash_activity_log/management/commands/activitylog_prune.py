"""``manage.py activitylog_prune``: delete activities older than the retention."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import QuerySet
from django.utils import timezone

from dash_activity_log.conf import activity_log_settings
from dash_activity_log.models import Activity

#: Rows deleted per transaction, so that no lock is held for long.
DEFAULT_BATCH_SIZE = 1000


def _positive(value: Any, option: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise CommandError(f"{option} must be a whole number, 1 or more; got {value}.")
    return value


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
            help=f"Activities deleted per transaction (default {DEFAULT_BATCH_SIZE}).",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="The database to prune (default 'default').",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days is None:
            days = activity_log_settings().retention_days
        if days is None:
            raise CommandError(
                "No retention to apply: pass --days N or set "
                "DASH_ACTIVITY_LOG['RETENTION_DAYS']."
            )
        days = _positive(days, "--days")
        batch_size = _positive(options["batch_size"], "--batch-size")
        cutoff = timezone.now() - datetime.timedelta(days=days)
        old = Activity.objects.using(options["database"]).filter(created_at__lt=cutoff)

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
