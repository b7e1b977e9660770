"""factory-boy factories for the activity log's tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from example_project.library.models import Author, Book

__all__ = ["AuthorFactory", "BookFactory", "UserFactory"]


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
