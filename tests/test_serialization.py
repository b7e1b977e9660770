"""Field values become JSON that says exactly what is stored, and never a secret."""

from __future__ import annotations

import datetime
import decimal
import enum
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import models
from django.utils.translation import gettext_lazy
from pytest_django.fixtures import Settings

from dash.serialization import (
    field_values,
    is_hidden_field,
    logged_fields,
    normalized,
    same_value,
    shown_values,
    to_json_safe,
)
from tests.testapp.models import Article, Category


class Size(enum.IntEnum):
    LARGE = 3


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (True, True),
        (7, 7),
        (1.5, 1.5),
        ("text", "text"),
        (Article.Status.PUBLISHED, "published"),
        (Size.LARGE, 3),
        (
            datetime.datetime(2026, 3, 1, 9, 30, 0, 250000, tzinfo=datetime.UTC),
            "2026-03-01T09:30:00.250000+00:00",
        ),
        (datetime.date(2026, 3, 1), "2026-03-01"),
        (datetime.time(9, 30), "09:30:00"),
        (datetime.timedelta(days=1, seconds=5), "P1DT00H00M05S"),
        (decimal.Decimal("12.50"), "12.50"),
        (uuid.UUID(int=1), "00000000-0000-0000-0000-000000000001"),
        (b"\x00\xff", "AP8="),
        (memoryview(b"ab"), "YWI="),
        (gettext_lazy("Yes"), "Yes"),
        ({1: decimal.Decimal("1.0")}, {"1": "1.0"}),
        ({"b", "a"}, ["a", "b"]),
        ((1, datetime.date(2026, 1, 2)), [1, "2026-01-02"]),
    ],
)
def test_values_become_exact_json(value: Any, expected: Any) -> None:
    converted = to_json_safe(value)

    assert converted == expected
    assert json.loads(json.dumps(converted)) == expected


def test_a_file_becomes_its_name_or_none() -> None:
    article = Article(attachment="attachments/dune.pdf")
    empty = Article()

    assert to_json_safe(article.attachment) == "attachments/dune.pdf"
    assert to_json_safe(empty.attachment) is None


def test_anything_else_becomes_its_text() -> None:
    class Point:
        def __str__(self) -> str:
            return "(1, 2)"

    assert to_json_safe(Point()) == "(1, 2)"


def test_secret_looking_fields_are_never_shown() -> None:
    names = {field.name for field in logged_fields(Article)}

    assert {"api_token", "client_secret"}.isdisjoint(names)
    assert {"title", "rating", "category"} <= names
    assert is_hidden_field("PASSWORD")


def test_projects_hide_more_fields(settings: Settings) -> None:
    settings.DASH = {"HIDDEN_FIELDS": ["body"]}

    assert "body" not in shown_values(Article(title="Dune", body="long"))
    assert "api_token" not in shown_values(Article(title="Dune"))


def test_shown_values_are_the_field_values_of_the_shown_fields() -> None:
    article = Article(
        pk=4,
        title="Dune",
        rating=decimal.Decimal("4.5"),
        due_on=datetime.date(2026, 3, 1),
        category=Category(pk=2, name="SF"),
        api_token="t0ken",
    )

    shown = shown_values(article)

    assert shown == field_values(article, logged_fields(Article))
    assert shown["category"] == 2
    # A decimal shows as the database keeps it, with the field's places.
    assert (shown["rating"], shown["due_on"]) == ("4.50", "2026-03-01")


class _Shouting(models.CharField):  # type: ignore[type-arg]
    """A field that reads its value its own way."""

    def value_from_object(self, obj: models.Model) -> str:
        return str(super().value_from_object(obj)).upper()


class Notice(models.Model):
    title = models.CharField(max_length=20)
    code = _Shouting(max_length=20)

    class Meta:
        app_label = "testapp"
        managed = False

    def __str__(self) -> str:
        return self.title


def test_a_field_that_reads_its_own_way_is_asked() -> None:
    assert shown_values(Notice(pk=1, title="t", code="abc")) == {
        "id": 1,
        "title": "t",
        "code": "ABC",
    }


def test_a_decimal_is_normalised_to_the_places_the_database_keeps() -> None:
    rating = Article._meta.get_field("rating")

    assert str(normalized(rating, "1e2")) == "100.00"
    assert str(normalized(rating, decimal.Decimal("2.5"))) == "2.50"
    assert normalized(rating, "not a number") == "not a number"
    assert normalized(rating, decimal.Decimal("NaN")).is_nan()


def test_stored_and_new_values_compare_as_stored() -> None:
    rating = Article._meta.get_field("rating")
    due_on = Article._meta.get_field("due_on")

    assert same_value(rating, decimal.Decimal("100.00"), "1e2")
    assert same_value(due_on, datetime.date(2026, 3, 1), "2026-03-01")
    assert not same_value(rating, decimal.Decimal("1.00"), "1.01")


@pytest.mark.django_db
def test_content_files_compare_by_name(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    article = Article.objects.create(title="Dune")
    article.attachment.save("dune.txt", ContentFile(b"spice"), save=False)
    field = Article._meta.get_field("attachment")

    assert same_value(field, article.attachment.name, article.attachment)
    assert not same_value(field, "other.txt", article.attachment)


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        (decimal.Decimal("1.50"), "1.50"),
        (decimal.Decimal("-0.50"), "-0.50"),
        (decimal.Decimal("1.5"), "1.50"),
        (decimal.Decimal("1.500"), "1.50"),
        (decimal.Decimal("1E+2"), "100.00"),
        (decimal.Decimal("12"), "12.00"),
        ("3.1", "3.10"),
        (0, "0.00"),
    ],
)
def test_a_decimal_field_shows_the_fields_places(given: Any, shown: str) -> None:
    assert shown_values(Article(pk=1, title="Dune", rating=given))["rating"] == shown


def test_a_small_or_large_decimal_is_written_in_fixed_point() -> None:
    assert to_json_safe(decimal.Decimal("1E-8")) == "0.00000001"
    assert to_json_safe(decimal.Decimal("0E-20")) == "0.00000000000000000000"
    assert to_json_safe(decimal.Decimal("1E+2")) == "100"
    assert to_json_safe(decimal.Decimal("NaN")) == "NaN"


def test_a_wide_decimal_field_keeps_all_its_digits() -> None:
    wide = models.DecimalField(max_digits=40, decimal_places=20)
    given = decimal.Decimal("12345678901234567890.000000000000000000004")

    assert str(normalized(wide, given)) == "12345678901234567890.00000000000000000000"
    assert same_value(wide, decimal.Decimal("12345678901234567890.00"), given)
    assert str(normalized(wide, decimal.Decimal("1.5"))) == "1.50000000000000000000"
