"""Subjects get a link to their change page while they exist and may be seen."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dash_activity_log.models import Activity
from dash_activity_log.subjects import link_subjects, subject_label, subject_url
from example_project.library.models import Author, Book
from tests.dash_activity_log.factories import (
    ActivityFactory,
    AuthorFactory,
    BookFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _request(user: Any) -> Any:
    request = RequestFactory().get("/")
    request.user = user
    return request


def _about(model: type[Any], subject_id: str) -> Activity:
    subject_type = ContentType.objects.get_for_model(model)
    activity: Activity = ActivityFactory(
        subject_type=subject_type, subject_id=subject_id
    )
    return activity


def test_one_query_per_model_finds_the_subjects_that_exist(admin_user: Any) -> None:
    authors = [AuthorFactory() for _ in range(3)]
    book = BookFactory(author=authors[0])
    activities = [_about(Author, str(author.pk)) for author in authors]
    activities += [_about(Author, "999999"), _about(Book, str(book.pk))]
    activities = list(
        Activity.objects.select_related("subject_type")
        .filter(pk__in=[a.pk for a in activities])
        .order_by("pk")
    )

    with CaptureQueriesContext(connection) as queries:
        link_subjects(activities, _request(admin_user), admin.site)

    assert [query["sql"].split(" FROM ")[1][:15] for query in queries] == [
        '"library_author',
        '"library_book" ',
    ]
    assert [subject_url(activity) for activity in activities] == [
        *(reverse("admin:library_author_change", args=[a.pk]) for a in authors),
        None,
        reverse("admin:library_book_change", args=[book.pk]),
    ]


def test_a_malformed_id_gets_no_link_and_spoils_nothing(admin_user: Any) -> None:
    author = AuthorFactory()
    good, bad = _about(Author, str(author.pk)), _about(Author, "not-a-number")

    link_subjects([good, bad], _request(admin_user), admin.site)

    assert subject_url(good) == reverse("admin:library_author_change", args=[author.pk])
    assert subject_url(bad) is None


def test_models_the_user_may_not_view_get_no_link(db: Any) -> None:
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_book"))
    book = BookFactory()
    on_author = _about(Author, str(book.author.pk))
    on_book = _about(Book, str(book.pk))

    link_subjects([on_author, on_book], _request(staff), admin.site)

    assert subject_url(on_author) is None
    assert subject_url(on_book) == reverse("admin:library_book_change", args=[book.pk])


def test_models_the_site_does_not_register_get_no_link(admin_user: Any) -> None:
    activity = _about(Author, str(AuthorFactory().pk))

    link_subjects([activity], _request(admin_user), admin.AdminSite(name="bare"))

    assert subject_url(activity) is None


def test_activities_without_a_subject_get_no_link(admin_user: Any) -> None:
    activity = ActivityFactory()

    with CaptureQueriesContext(connection) as queries:
        link_subjects([activity], _request(admin_user), admin.site)

    assert len(queries) == 0
    assert subject_url(activity) is None
    assert subject_label(activity) == ""


def test_an_activity_not_linked_has_no_url() -> None:
    assert subject_url(Activity()) is None


def test_the_label_names_the_model_and_the_id() -> None:
    assert subject_label(_about(Book, "12")) == "Book 12"


def test_a_stale_content_type_is_labelled_by_its_name() -> None:
    stale = ContentType.objects.create(app_label="gone", model="scroll")
    activity = ActivityFactory(subject_type=stale, subject_id="4")

    assert subject_label(activity) == "Scroll 4"
