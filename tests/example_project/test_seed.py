"""Tests for the example site's ``seed_demo`` command."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import CommandError, call_command

from example_project.library.models import (
    Author,
    Book,
    Genre,
    Loan,
    Member,
    Publisher,
)

pytestmark = pytest.mark.django_db

SEEDED_COUNTS = {
    Author: 8,
    Publisher: 4,
    Genre: 6,
    Book: 40,
    Member: 15,
    Loan: 30,
}
LIBRARY_PERMISSIONS = {
    f"library.{action}_{model}"
    for action in ("add", "change", "delete", "view")
    for model in ("author", "publisher", "genre", "book", "member", "loan")
}
TAIL = (
    "\n"
    "Admin: http://127.0.0.1:8000/admin/\n"
    "  admin / admin  (superuser)\n"
    "  editor / editor  (staff, library only)\n"
    "Tip: open two browser windows, log in as admin in one and editor in the "
    "other, edit a book and watch the toast.\n"
)


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[type, int]:
    return {model: model.objects.count() for model in SEEDED_COUNTS}


def library_snapshot() -> list[tuple[object, ...]]:
    return [
        (
            book.title,
            book.isbn,
            book.author.name,
            str(book.publisher),
            book.status,
            sorted(genre.slug for genre in book.genres.all()),
            sorted(loan.member.name for loan in book.loans.all()),
        )
        for book in Book.objects.order_by("isbn")
    ]


def test_seed_creates_superuser() -> None:
    seed()

    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert admin.is_staff
    assert admin.check_password("admin")


def test_seed_creates_editor_as_staff_with_library_permissions_only() -> None:
    seed()

    editor = User.objects.get(username="editor")
    assert editor.is_staff
    assert not editor.is_superuser
    assert editor.check_password("editor")
    assert editor.get_all_permissions() == LIBRARY_PERMISSIONS
    assert not editor.has_perm("auth.view_user")


def test_seed_creates_library_rows() -> None:
    seed()

    assert counts() == SEEDED_COUNTS
    assert User.objects.count() == 2


def test_seed_keeps_book_status_in_step_with_loans() -> None:
    seed()

    open_loans = Loan.objects.filter(returned_at__isnull=True)
    assert open_loans.count() == 12
    assert set(open_loans.values_list("book", flat=True)) == set(
        Book.objects.filter(status=Book.Status.ON_LOAN).values_list("pk", flat=True)
    )
    assert Book.objects.filter(status=Book.Status.LOST).count() == 2
    assert Book.objects.filter(status=Book.Status.AVAILABLE).count() == 26


def test_seed_twice_adds_nothing() -> None:
    seed()
    snapshot = library_snapshot()

    output = seed()

    assert counts() == SEEDED_COUNTS
    assert User.objects.count() == 2
    assert library_snapshot() == snapshot
    assert output == (
        'The user "admin" exists already; left it as it was.\n'
        'The user "editor" exists already; left it as it was.\n'
        "The library has books already; seeded nothing.\n" + TAIL
    )


def test_seed_is_reproducible() -> None:
    seed()
    snapshot = library_snapshot()
    Book.objects.all().delete()
    for model in (Member, Author, Publisher):
        model.objects.all().delete()

    seed()

    assert library_snapshot() == snapshot


def test_seed_leaves_existing_accounts_alone() -> None:
    User.objects.create_user("admin", password="changed")
    User.objects.create_user("editor", password="changed")

    seed()

    admin = User.objects.get(username="admin")
    editor = User.objects.get(username="editor")
    assert not admin.is_superuser
    assert admin.check_password("changed")
    assert not editor.is_staff
    assert editor.get_all_permissions() == set()


def test_seed_reports_what_it_did() -> None:
    assert seed() == (
        'Created the superuser "admin".\n'
        'Created the staff user "editor", who may view, add, change and delete '
        "the library's records and nothing else.\n"
        "Seeded the library: 8 authors, 4 publishers, 6 genres, 40 books, "
        "15 members, 30 loans.\n" + TAIL
    )


def test_seed_is_silent_at_verbosity_zero() -> None:
    assert seed("--verbosity", "0") == ""
    assert counts() == SEEDED_COUNTS


def test_seed_fails_without_library_permissions() -> None:
    Permission.objects.filter(content_type__app_label="library").delete()

    with pytest.raises(CommandError) as excinfo:
        seed()

    assert str(excinfo.value) == (
        "The library's permissions are missing; run `python manage.py migrate` first."
    )
    assert not User.objects.exists()
    assert counts() == dict.fromkeys(SEEDED_COUNTS, 0)


@pytest.mark.django_db
def test_prints_the_admin_url_it_is_given() -> None:
    out = StringIO()

    call_command("seed_demo", "--admin-url", "http://127.0.0.1:8801/admin/", stdout=out)

    assert "Admin: http://127.0.0.1:8801/admin/\n" in out.getvalue()
