"""Create an author, then run ``import_authors`` for more, as a nightly job would."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from example_project.library.models import Author
from tests.dash_activity_log.commands import import_authors


class Command(BaseCommand):
    help = "Create an author and import two more."

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.inner = import_authors.Command()

    def handle(self, *args: Any, **options: Any) -> None:
        Author.objects.create(name="Nightly")
        call_command(self.inner, "Imported 1", "Imported 2")
