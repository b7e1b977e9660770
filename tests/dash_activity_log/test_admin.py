"""The activity admin shows history and refuses to add, change or delete it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from dash.context import acting_as
from dash_activity_log.models import Activity
from example_project.library.models import Author
from tests.dash_activity_log.factories import AuthorFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:dash_activity_log_activity_changelist"


def _change_url(activity: Activity) -> str:
    return reverse("admin:dash_activity_log_activity_change", args=[activity.pk])


def test_changelist_lists_activities_with_subject_links(admin_client: Client) -> None:
    author = AuthorFactory(name="Frank Herbert")

    response = admin_client.get(reverse(CHANGELIST))

    assert response.status_code == 200
    author_url = reverse("admin:library_author_change", args=[author.pk])
    assert f'<a href="{author_url}">Author {author.pk}</a>' in response.text
    assert "Author “Frank Herbert” created" in response.text


def test_changelist_filters_and_searches(admin_client: Client) -> None:
    AuthorFactory(name="Frank Herbert")
    author_type = ContentType.objects.get_for_model(Author)

    response = admin_client.get(
        reverse(CHANGELIST),
        {
            "event": "library.author.created",
            "subject_type__id__exact": author_type.pk,
            "q": "library",
        },
    )

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_detail_shows_changes_as_old_to_new(admin_client: Client) -> None:
    author = AuthorFactory(name="Frank Herbert")
    with acting_as(UserFactory(username="editor")):
        author.name = "F. Herbert"
        author.save()
    activity = Activity.objects.get(event="library.author.updated")

    response = admin_client.get(_change_url(activity))

    assert response.status_code == 200
    assert (
        "<tr><th>name</th><td>Frank Herbert</td><td>→</td><td>F. Herbert</td></tr>"
        in response.text
    )
    assert "editor" in response.text


def test_detail_shows_the_fields_of_a_creation(admin_client: Client) -> None:
    AuthorFactory(name="Frank Herbert")
    activity = Activity.objects.get(event="library.author.created")

    response = admin_client.get(_change_url(activity))

    assert response.status_code == 200
    assert "<tr><th>name</th><td>Frank Herbert</td></tr>" in response.text
    assert "<tr><th>born_on</th><td>null</td></tr>" in response.text


def test_detail_escapes_recorded_values(admin_client: Client) -> None:
    author = AuthorFactory(name="<b>Frank</b>")
    author.name = "<script>alert(1)</script>"
    author.save()
    activity = Activity.objects.get(event="library.author.updated")

    response = admin_client.get(_change_url(activity))

    assert "<script>alert(1)</script>" not in response.text
    assert (
        "<td>&lt;b&gt;Frank&lt;/b&gt;</td><td>→</td>"
        "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"
    ) in response.text


def test_add_is_forbidden(admin_client: Client) -> None:
    response = admin_client.get(reverse("admin:dash_activity_log_activity_add"))

    assert response.status_code == 403


def test_change_is_forbidden(admin_client: Client) -> None:
    AuthorFactory()
    activity = Activity.objects.get(event="library.author.created")

    response = admin_client.post(_change_url(activity), {"event": "forged"})

    assert response.status_code == 403
    activity.refresh_from_db()
    assert activity.event == "library.author.created"


def test_delete_is_forbidden(admin_client: Client) -> None:
    AuthorFactory()
    activity = Activity.objects.get(event="library.author.created")

    response = admin_client.post(
        reverse("admin:dash_activity_log_activity_delete", args=[activity.pk]),
        {"post": "yes"},
    )

    assert response.status_code == 403
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_view_permission_is_needed_to_browse(client: Client) -> None:
    staff = UserFactory(is_staff=True)
    client.force_login(staff)

    assert client.get(reverse(CHANGELIST)).status_code == 403

    staff.user_permissions.add(Permission.objects.get(codename="view_activity"))

    assert client.get(reverse(CHANGELIST)).status_code == 200
