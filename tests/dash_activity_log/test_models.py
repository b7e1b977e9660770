"""The Activity model keeps history whatever happens to its subject or causer."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import ProtectedError

from dash.context import acting_as
from dash_activity_log.models import Activity
from example_project.library.models import Author
from tests.dash_activity_log.factories import AuthorFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_str_is_the_description() -> None:
    AuthorFactory(name="Frank Herbert")

    assert str(Activity.objects.get()) == "Author “Frank Herbert” created"


def test_deleting_the_causer_keeps_their_name() -> None:
    user = UserFactory(username="editor")
    with acting_as(user):
        AuthorFactory()

    user.delete()

    activity = Activity.objects.get(event="library.author.created")
    assert activity.causer is None
    assert activity.causer_name == "editor"


def test_a_subject_type_with_history_cannot_be_deleted() -> None:
    AuthorFactory()

    with pytest.raises(ProtectedError):
        ContentType.objects.get_for_model(Author).delete()


def test_newest_activities_come_first() -> None:
    first, second = AuthorFactory(), AuthorFactory()

    assert [a.subject_id for a in Activity.objects.all()] == [
        str(second.pk),
        str(first.pk),
    ]
