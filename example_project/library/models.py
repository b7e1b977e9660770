"""The example site's domain: a small lending library of books, members and loans."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = [
    "LOAN_PERIOD",
    "Author",
    "Book",
    "Genre",
    "Loan",
    "Member",
    "Publisher",
    "default_due_on",
]

#: How long a member may keep a book.
LOAN_PERIOD = timedelta(days=21)


def default_due_on() -> date:
    """Return the due date of a loan that starts today."""
    return timezone.localdate() + LOAN_PERIOD


class Author(models.Model):
    name = models.CharField(_("name"), max_length=200)
    born_on = models.DateField(_("born on"), null=True, blank=True)
    bio = models.TextField(_("biography"), blank=True)

    class Meta:
        ordering = ("name",)
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self) -> str:
        return self.name


class Publisher(models.Model):
    name = models.CharField(_("name"), max_length=200)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ("name",)
        verbose_name = _("publisher")
        verbose_name_plural = _("publishers")

    def __str__(self) -> str:
        return self.name


class Genre(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ("name",)
        verbose_name = _("genre")
        verbose_name_plural = _("genres")

    def __str__(self) -> str:
        return self.name


class Book(models.Model):
    class Status(models.TextChoices):
        AVAILABLE = "available", _("available")
        ON_LOAN = "on_loan", _("on loan")
        LOST = "lost", _("lost")

    title = models.CharField(_("title"), max_length=300)
    isbn = models.CharField(_("ISBN"), max_length=13, unique=True)
    # An author with books on the shelf cannot vanish from the catalogue.
    author = models.ForeignKey(
        Author, models.PROTECT, related_name="books", verbose_name=_("author")
    )
    publisher = models.ForeignKey(
        Publisher,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="books",
        verbose_name=_("publisher"),
    )
    genres = models.ManyToManyField(
        Genre, blank=True, related_name="books", verbose_name=_("genres")
    )
    published_on = models.DateField(_("published on"))
    price = models.DecimalField(
        _("price"), max_digits=7, decimal_places=2, validators=[MinValueValidator(0)]
    )
    pages = models.PositiveIntegerField(_("pages"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.AVAILABLE
    )
    cover_notes = models.TextField(_("cover notes"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ("title",)
        verbose_name = _("book")
        verbose_name_plural = _("books")

    def __str__(self) -> str:
        return self.title


class Member(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="library_memberships",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    membership = models.UUIDField(
        _("membership number"), default=uuid.uuid4, unique=True, editable=False
    )

    class Meta:
        ordering = ("name",)
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self) -> str:
        return self.name


class Loan(models.Model):
    book = models.ForeignKey(
        Book, models.CASCADE, related_name="loans", verbose_name=_("book")
    )
    member = models.ForeignKey(
        Member, models.CASCADE, related_name="loans", verbose_name=_("member")
    )
    borrowed_at = models.DateTimeField(_("borrowed at"), default=timezone.now)
    due_on = models.DateField(_("due on"), default=default_due_on)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)

    class Meta:
        ordering = ("-borrowed_at",)
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        constraints = (
            models.UniqueConstraint(
                fields=["book"],
                condition=models.Q(returned_at__isnull=True),
                name="library_loan_one_open_per_book",
                violation_error_message=_("This book is already on loan."),
            ),
        )

    def __str__(self) -> str:
        return f"{self.book} → {self.member}"

    @property
    def is_overdue(self) -> bool:
        """Return whether the book is still out after its due date."""
        return self.returned_at is None and self.due_on < timezone.localdate()
