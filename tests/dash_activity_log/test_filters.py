"""The activity list's filters: by action, subject type and causer."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from dash.context import acting_as
from example_project.library.models import Author, Genre
from tests.dash_activity_log.factories import (
    ActivityFactory,
    AuthorFactory,
    GenreFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:dash_activity_log_activity_changelist"


@pytest.fixture(autouse=True)
def _users_unlogged(settings: Any) -> None:
    # The users the tests sign in with would add activities of their own.
    settings.DASH_ACTIVITY_LOG = {"EXCLUDE_MODELS": ["auth"]}


def _listed(response: Any) -> list[str]:
    return [activity.description for activity in response.context["cl"].result_list]


def _spec(response: Any, field_path: str) -> Any:
    return next(
        spec
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "field_path", "") == field_path
    )


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("created", ["Genre “Drama” created", "Author “Le Guin” created"]),
        ("updated", ["Author “Ursula K. Le Guin” updated"]),
        ("deleted", ["Genre “Drama” deleted"]),
        ("custom", ["Deploy finished"]),
    ],
)
def test_filters_by_action(
    admin_client: Client, action: str, expected: list[str]
) -> None:
    author = AuthorFactory(name="Le Guin")
    author.name = "Ursula K. Le Guin"
    author.save()
    GenreFactory(name="Drama").delete()
    ActivityFactory(event="deploy.finished", description="Deploy finished")

    response = admin_client.get(reverse(CHANGELIST), {"action": action})

    assert _listed(response) == expected


def test_filters_by_subject_type(admin_client: Client) -> None:
    AuthorFactory(name="Le Guin")
    GenreFactory(name="Drama")
    ActivityFactory(description="Deploy finished")
    genre_type = ContentType.objects.get_for_model(Genre)

    by_type = admin_client.get(
        reverse(CHANGELIST), {"subject_type__id__exact": genre_type.pk}
    )
    without = admin_client.get(reverse(CHANGELIST), {"subject_type__isnull": "True"})

    assert _listed(by_type) == ["Genre “Drama” created"]
    assert _listed(without) == ["Deploy finished"]
    assert "None (not about a model)" in by_type.text


def test_subject_types_are_listed_by_name(admin_client: Client) -> None:
    response = admin_client.get(reverse(CHANGELIST))

    spec = _spec(response, "subject_type")
    names = [name for _, name in spec.lookup_choices]
    assert names == sorted(names, key=str.lower)
    author_type = ContentType.objects.get_for_model(Author)
    assert (str(author_type.pk), "Library | author") in spec.lookup_choices


def test_filters_by_causer_and_lists_staff_only(
    admin_client: Client,
) -> None:
    editor = UserFactory(username="editor", is_staff=True)
    member = UserFactory(username="member")
    with acting_as(editor):
        AuthorFactory(name="By the editor")
    with acting_as(member):
        AuthorFactory(name="By a member")
    AuthorFactory(name="By nobody")

    by_editor = admin_client.get(reverse(CHANGELIST), {"causer__id__exact": editor.pk})
    by_member = admin_client.get(reverse(CHANGELIST), {"causer__id__exact": member.pk})
    by_nobody = admin_client.get(reverse(CHANGELIST), {"causer__isnull": "True"})

    assert _listed(by_editor) == ["Author “By the editor” created"]
    assert _listed(by_member) == ["Author “By a member” created"]
    assert _listed(by_nobody) == ["Author “By nobody” created"]
    spec = _spec(by_editor, "causer")
    assert spec.lookup_choices == [
        (str(user.pk), user.username)
        for user in type(editor).objects.filter(is_staff=True).order_by("username")
    ]
    assert "Nobody (system)" in by_editor.text
