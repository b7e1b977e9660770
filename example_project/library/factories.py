"""factory-boy factories for the library, for the demo seed and for tests.

Random values come from ``factory.Faker``, so ``factory.random.reseed_random``
makes them repeatable; values that must be unique come from sequences.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import factory
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from example_project.library.models import (
    LOAN_PERIOD,
    Author,
    Book,
    Genre,
    Loan,
    Member,
    Publisher,
)

__all__ = [
    "AuthorFactory",
    "BookFactory",
    "GenreFactory",
    "LoanFactory",
    "MemberFactory",
    "PublisherFactory",
    "isbn13",
]

_GENRE_NAMES = (
    "Fantasy",
    "Science Fiction",
    "Mystery",
    "History",
    "Poetry",
    "Biography",
    "Romance",
    "Travel",
)


def isbn13(n: int) -> str:
    """Return a valid ISBN-13 for book number ``n``; each ``n`` gives its own."""
    body = f"978{n:09d}"
    total = sum(int(digit) * (3 if i % 2 else 1) for i, digit in enumerate(body))
    return f"{body}{-total % 10}"


def _genre_name(n: int) -> str:
    # Real genre names first; numbered ones once they run out keep slugs unique.
    name = _GENRE_NAMES[n % len(_GENRE_NAMES)]
    round_ = n // len(_GENRE_NAMES)
    return f"{name} {round_ + 1}" if round_ else name


class AuthorFactory(DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Faker("name")
    born_on = factory.Faker("date_of_birth", minimum_age=25, maximum_age=95)
    bio = factory.Faker("paragraph", nb_sentences=3)


class PublisherFactory(DjangoModelFactory):
    class Meta:
        model = Publisher

    name = factory.Faker("company")
    website = factory.Faker("url")


class GenreFactory(DjangoModelFactory):
    class Meta:
        model = Genre
        # Genres outlive the books that are seeded with them; a second seed
        # reuses them rather than tripping over their unique slugs.
        django_get_or_create = ("slug",)

    name = factory.Sequence(_genre_name)
    slug = factory.LazyAttribute(lambda genre: slugify(genre.name))


class BookFactory(DjangoModelFactory):
    """Make a book; pass ``genres=[...]`` to set its genres."""

    class Meta:
        model = Book
        skip_postgeneration_save = True

    class Params:
        sentence = factory.Faker("sentence", nb_words=3)

    title = factory.LazyAttribute(lambda book: book.sentence.rstrip("."))
    isbn = factory.Sequence(isbn13)
    author = factory.SubFactory(AuthorFactory)
    publisher = factory.SubFactory(PublisherFactory)
    published_on = factory.Faker("date_between", start_date="-60y", end_date="-30d")
    price = factory.Faker(
        "pydecimal", left_digits=2, right_digits=2, min_value=5, max_value=60
    )
    pages = factory.Faker("random_int", min=80, max=900)
    cover_notes = factory.Faker("paragraph", nb_sentences=2)

    @factory.post_generation
    def genres(
        self, create: bool, extracted: Iterable[Genre] | None, **kwargs: Any
    ) -> None:
        if create and extracted:
            self.genres.set(extracted)


class MemberFactory(DjangoModelFactory):
    class Meta:
        model = Member

    name = factory.Faker("name")
    email = factory.Faker("safe_email")
    joined_on = factory.Faker("date_between", start_date="-5y", end_date="today")
    # Faker's uuid4, unlike the model's default, follows reseed_random.
    membership = factory.Faker("uuid4", cast_to=None)


class LoanFactory(DjangoModelFactory):
    """Make an open loan of a book on loan; ``returned=True`` makes a past one.

    A new book's status follows the loan: on loan while it is open,
    available once it is returned.
    """

    class Meta:
        model = Loan

    class Params:
        kept_days = factory.Faker("random_int", min=3, max=28)
        returned = factory.Trait(
            # Long enough ago that it ended before any open loan began.
            borrowed_at=factory.Faker(
                "date_time_between",
                start_date="-400d",
                end_date="-60d",
                tzinfo=datetime.UTC,
            ),
            returned_at=factory.LazyAttribute(
                lambda loan: loan.borrowed_at + datetime.timedelta(days=loan.kept_days)
            ),
        )

    book = factory.SubFactory(
        BookFactory,
        status=factory.LazyAttribute(
            lambda book: (
                Book.Status.AVAILABLE
                if book.factory_parent.returned_at
                else Book.Status.ON_LOAN
            )
        ),
    )
    member = factory.SubFactory(MemberFactory)
    borrowed_at = factory.Faker(
        "date_time_between", start_date="-30d", end_date="now", tzinfo=datetime.UTC
    )
    due_on = factory.LazyAttribute(lambda loan: loan.borrowed_at.date() + LOAN_PERIOD)
    returned_at = None
