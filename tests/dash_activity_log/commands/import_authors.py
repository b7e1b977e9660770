"""Create one author per name, each in its own transaction, as imports do."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from dash_activity_log.context import running_command
from example_project.library.models import Author


class Command(BaseCommand):
    help = "Create an author for each name."

    #: The command ``running_command()`` saw while this one handled its names.
    seen: BaseCommand | None = None

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("names", nargs="*")

    def handle(self, *args: Any, **options: Any) -> None:
        self.seen = running_command()
        for name in options["names"]:
            with transaction.atomic():
                Author.objects.create(name=name)
