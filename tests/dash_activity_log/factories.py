"""factory-boy factories for the activity log's tests."""

from __future__ import annotations

import contextlib
import datetime
import uuid
from collections.abc import Iterator
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from factory.django import DjangoModelFactory

from dash_activity_log.models import Activity
from example_project.library.models import Author, Book, Genre, Loan, Member

__all__ = [
    "ActivityFactory",
    "AuthorFactory",
    "BookFactory",
    "GenreFactory",
    "LoanFactory",
    "MemberFactory",
    "UserFactory",
    "creating_in",
]


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"reader{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("not-a-secret")


class AuthorFactory(DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Author {n}")


class BookFactory(DjangoModelFactory):
    class Meta:
        model = Book

    title = factory.Sequence(lambda n: f"Book {n}")
    isbn = factory.Sequence(lambda n: f"978{n:010d}")
    author = factory.SubFactory(AuthorFactory)
    published_on = datetime.date(1965, 8, 1)
    price = Decimal("9.99")
    pages = 412


class GenreFactory(DjangoModelFactory):
    class Meta:
        model = Genre

    name = factory.Sequence(lambda n: f"Genre {n}")
    slug = factory.Sequence(lambda n: f"genre-{n}")


class MemberFactory(DjangoModelFactory):
    class Meta:
        model = Member

    name = factory.Sequence(lambda n: f"Member {n}")
    email = factory.Sequence(lambda n: f"member{n}@example.com")
    joined_on = datetime.date(2026, 1, 5)


class LoanFactory(DjangoModelFactory):
    class Meta:
        model = Loan

    book = factory.SubFactory(BookFactory)
    member = factory.SubFactory(MemberFactory)
    borrowed_at = datetime.datetime(2026, 2, 1, 10, 0, tzinfo=datetime.UTC)
    due_on = datetime.date(2026, 2, 22)


class ActivityFactory(DjangoModelFactory):
    """An activity written directly, as history the prune and export commands read."""

    class Meta:
        model = Activity

    event = "deploy.notice"
    description = factory.Sequence(lambda n: f"Deploy {n}")
    properties = factory.LazyFunction(dict)
    batch = factory.LazyFunction(uuid.uuid4)
    created_at = factory.LazyFunction(timezone.now)


@contextlib.contextmanager
def creating_in(alias: str) -> Iterator[None]:
    """Make every factory here create its rows, sub-factories' too, in ``alias``."""
    factories = (
        UserFactory,
        AuthorFactory,
        BookFactory,
        GenreFactory,
        MemberFactory,
        LoanFactory,
        ActivityFactory,
    )
    before = [factory_class._meta.database for factory_class in factories]
    for factory_class in factories:
        factory_class._meta.database = alias
    try:
        yield
    finally:
        for factory_class, database in zip(factories, before, strict=True):
            factory_class._meta.database = database
