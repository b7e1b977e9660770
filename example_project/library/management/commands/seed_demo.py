"""Seed the example site with two accounts and a library's worth of rows."""

from __future__ import annotations

from typing import Any

import factory.random
from django.apps import apps
from django.contrib.auth import get_permission_codename, get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import Model

from example_project.library.factories import (
    AuthorFactory,
    BookFactory,
    GenreFactory,
    LoanFactory,
    MemberFactory,
    PublisherFactory,
)
from example_project.library.models import Book

ADMIN_URL = "http://127.0.0.1:8000/admin/"
# The demo runs on loopback only; its passwords are meant to be read aloud.
SUPERUSER = ("admin", "admin")
EDITOR = ("editor", "editor")
#: Fixed so that every fresh demo shows the same library.
RANDOM_SEED = 1873
_ACTIONS = ("add", "change", "delete", "view")
_FACTORIES = (
    AuthorFactory,
    PublisherFactory,
    GenreFactory,
    BookFactory,
    MemberFactory,
    LoanFactory,
)


def _library_models() -> list[type[Model]]:
    return list(apps.get_app_config("library").get_models())


class Command(BaseCommand):
    help = (
        "Create the demo accounts admin/admin and editor/editor unless they "
        "exist, and seed the library with books, members and loans unless it "
        "has books already."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--admin-url",
            default=ADMIN_URL,
            help=f"The admin's address to print (make demo passes its own). "
            f"Default: {ADMIN_URL}",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._check_tables()
        with transaction.atomic():
            created_superuser = self._ensure_superuser()
            created_editor = self._ensure_editor()
            seeded = not Book.objects.exists()
            if seeded:
                self._seed()
        if options["verbosity"] >= 1:
            self._report(
                created_superuser, created_editor, seeded, options["admin_url"]
            )

    def _check_tables(self) -> None:
        models = (*_library_models(), get_user_model(), Permission)
        tables = set(connection.introspection.table_names())
        missing = sorted({model._meta.db_table for model in models} - tables)
        if missing:
            raise CommandError(
                f"Missing database tables: {', '.join(missing)}; "
                "run `python manage.py migrate` first."
            )

    def _ensure_superuser(self) -> bool:
        username, password = SUPERUSER
        users = get_user_model()._default_manager
        if users.filter(username=username).exists():
            return False
        users.create_superuser(username, f"{username}@example.com", password)
        return True

    def _ensure_editor(self) -> bool:
        username, password = EDITOR
        users = get_user_model()._default_manager
        if users.filter(username=username).exists():
            return False
        permissions = self._library_permissions()
        editor = users.create_user(
            username, f"{username}@example.com", password, is_staff=True
        )
        editor.user_permissions.set(permissions)
        return True

    def _library_permissions(self) -> list[Permission]:
        codenames = {
            get_permission_codename(action, model._meta)
            for model in _library_models()
            for action in _ACTIONS
        }
        permissions = list(
            Permission.objects.filter(
                content_type__app_label="library", codename__in=codenames
            )
        )
        if len(permissions) != len(codenames):
            raise CommandError(
                "The library's permissions are missing; "
                "run `python manage.py migrate` first."
            )
        return permissions

    def _seed(self) -> None:
        # Sequences too, not only the random values: ISBNs and genre names
        # come from sequences, and one process (a test run) may seed twice.
        for model_factory in _FACTORIES:
            model_factory.reset_sequence()
        factory.random.reseed_random(RANDOM_SEED)
        rng = factory.random.randgen

        authors = AuthorFactory.create_batch(8)
        publishers = PublisherFactory.create_batch(4)
        genres = GenreFactory.create_batch(6)
        statuses = (
            [Book.Status.LOST] * 2
            + [Book.Status.ON_LOAN] * 12
            + [Book.Status.AVAILABLE] * 26
        )
        rng.shuffle(statuses)
        books = [
            BookFactory(
                status=status,
                author=rng.choice(authors),
                # One book in five has no publisher on record.
                publisher=rng.choice([*publishers, None]),
                genres=rng.sample(genres, rng.randint(1, 2)),
            )
            for status in statuses
        ]
        members = MemberFactory.create_batch(15)

        for book in rng.sample(books, 18):
            LoanFactory(book=book, member=rng.choice(members), returned=True)
        for book in books:
            if book.status == Book.Status.ON_LOAN:
                LoanFactory(book=book, member=rng.choice(members))

    def _report(
        self,
        created_superuser: bool,
        created_editor: bool,
        seeded: bool,
        admin_url: str,
    ) -> None:
        write = self.stdout.write
        write(
            f'Created the superuser "{SUPERUSER[0]}".'
            if created_superuser
            else f'The user "{SUPERUSER[0]}" exists already; left it as it was.'
        )
        write(
            f'Created the staff user "{EDITOR[0]}", who may view, add, change '
            "and delete the library's records and nothing else."
            if created_editor
            else f'The user "{EDITOR[0]}" exists already; left it as it was.'
        )
        if seeded:
            holdings = ", ".join(
                f"{model._default_manager.count()} {model._meta.verbose_name_plural}"
                for model in _library_models()
            )
            write(self.style.SUCCESS(f"Seeded the library: {holdings}."))
        else:
            write("The library has books already; seeded nothing.")
        write("")
        write(f"Admin: {admin_url}")
        write(f"  {SUPERUSER[0]} / {SUPERUSER[1]}  (superuser)")
        write(f"  {EDITOR[0]} / {EDITOR[1]}  (staff, library only)")
        write(
            "Tip: open two browser windows, log in as admin in one and editor "
            "in the other, edit a book and watch the toast."
        )
