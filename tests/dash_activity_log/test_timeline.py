"""Every History page shows the object's activities to those who may see them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.admin import AdminSite
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dash.context import acting_as
from dash_activity_log import log_activity, timeline
from dash_activity_log.models import Activity
from dash_activity_log.timeline import admin_site_named, timeline_for
from example_project.library.models import Author
from tests.dash_activity_log.factories import AuthorFactory, UserFactory

pytestmark = pytest.mark.django_db

#: What Django's own History page says of an object without log entries.
NO_HISTORY = "doesn\u2019t have a change history"


@pytest.fixture(autouse=True)
def _users_unlogged(settings: Any) -> None:
    # The users the tests sign in with would add activities of their own.
    settings.DASH_ACTIVITY_LOG = {"EXCLUDE_MODELS": ["auth"]}


def _history_url(author: Author) -> str:
    return reverse("admin:library_author_history", args=[author.pk])


def _renamed(author: Author, *names: str) -> None:
    for name in names:
        author.name = name
        author.save()


def _entries(html: str) -> list[str]:
    return re.findall(
        r'<a href="/admin/dash_activity_log/activity/\d+/change/">(.*?)</a>', html
    )


def _staff_with(*codenames: str) -> Any:
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return staff


def test_history_shows_the_objects_activities_newest_first(
    admin_client: Client,
) -> None:
    author = AuthorFactory(name="Frank Herbert")
    AuthorFactory(name="Someone else")
    with acting_as(UserFactory(username="editor")):
        _renamed(author, "F. Herbert")

    response = admin_client.get(_history_url(author))

    assert response.status_code == 200
    assert _entries(response.text) == [
        "Author “F. Herbert” updated",
        "Author “Frank Herbert” created",
    ]
    assert (
        '<tr><th scope="row">Name</th><td class="dash-activity-old">Frank Herbert'
        '</td><td aria-hidden="true">→</td><td class="dash-activity-new">F. Herbert'
        "</td></tr>"
    ) in response.text
    assert '<span class="dash-activity-causer">editor</span>' in response.text
    assert "dash-activity-entry--updated" in response.text
    assert "dash_activity_log/activity-admin.css" in response.text


def _cut(text: str, length: str) -> str:
    return (
        f'{text}…<span class="dash-activity-cut">(the first 500 of {length} '
        "characters)</span>"
    )


def test_history_cuts_each_long_value_and_says_how_long_it_was(
    admin_client: Client,
) -> None:
    author = AuthorFactory(name="Frank Herbert", bio="x" * 1_000_000)
    for letter in "yz":
        author.bio = letter * 1_000_000
        author.save()

    response = admin_client.get(_history_url(author))

    assert response.status_code == 200
    assert _entries(response.text) == [
        "Author “Frank Herbert” updated",
        "Author “Frank Herbert” updated",
        "Author “Frank Herbert” created",
    ]
    assert (
        '<tr><th scope="row">Biography</th><td class="dash-activity-old">'
        f"{_cut('y' * 500, '1,000,000')}</td>"
        '<td aria-hidden="true">→</td><td class="dash-activity-new">'
        f"{_cut('z' * 500, '1,000,000')}</td></tr>"
    ) in response.text
    assert (
        f'<tr><th scope="row">Biography</th><td>{_cut("x" * 500, "1,000,000")}'
        "</td></tr>"
    ) in response.text
    # Six megabytes of values make a page of a few kilobytes.
    assert len(response.content) < 30_000


def test_history_cuts_a_long_description(admin_client: Client) -> None:
    author = AuthorFactory(name="Frank Herbert")
    log_activity("library.author.checked", subject=author, description="D" * 2_000_000)

    response = admin_client.get(_history_url(author))

    assert _entries(response.text) == [
        f"{'D' * 200}…",
        "Author “Frank Herbert” created",
    ]
    assert len(response.content) < 30_000


def test_history_links_to_the_objects_full_activity_list(
    admin_client: Client,
) -> None:
    author = AuthorFactory(name="Frank Herbert")
    AuthorFactory(name="Someone else")
    author_type = ContentType.objects.get_for_model(Author)

    response = admin_client.get(_history_url(author))

    list_url = (
        f"/admin/dash_activity_log/activity/?subject_type__id__exact={author_type.pk}"
        f"&amp;subject_id={author.pk}"
    )
    assert f'<a href="{list_url}" class="dash-activity-all">' in response.text
    listed = admin_client.get(list_url.replace("&amp;", "&"))
    assert [a.description for a in listed.context["cl"].result_list] == [
        "Author “Frank Herbert” created"
    ]


def test_history_shows_the_newest_activities_up_to_the_limit(
    admin_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timeline, "TIMELINE_LIMIT", 2)
    author = AuthorFactory(name="One")
    _renamed(author, "Two", "Three")

    response = admin_client.get(_history_url(author))

    assert _entries(response.text) == [
        "Author “Three” updated",
        "Author “Two” updated",
    ]
    assert "The 2 newest activities." in response.text


def test_history_queries_do_not_grow_with_the_activities(
    admin_client: Client,
) -> None:
    author = AuthorFactory(name="Start")

    def page_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(_history_url(author))
        assert response.status_code == 200
        return len(queries)

    _renamed(author, "A")
    few = page_queries()
    _renamed(author, *(f"Name {n}" for n in range(30)))
    many = page_queries()

    assert many == few


def test_history_keeps_the_admins_own_log_below(admin_client: Client) -> None:
    author = AuthorFactory(name="Frank Herbert")
    LogEntry.objects.log_actions(
        user_id=UserFactory().pk,
        queryset=[author],
        action_flag=CHANGE,
        change_message="Changed name.",
        single_object=True,
    )

    response = admin_client.get(_history_url(author))

    assert '<h2 class="dash-activity-admin-log">Admin log</h2>' in response.text
    assert "<td>Changed name.</td>" in response.text


def test_history_without_admin_log_omits_it(admin_client: Client) -> None:
    author = AuthorFactory()

    response = admin_client.get(_history_url(author))

    assert "Admin log" not in response.text
    assert NO_HISTORY not in response.text


def test_users_who_may_not_view_activities_get_djangos_history(
    client: Client,
) -> None:
    author = AuthorFactory()
    client.force_login(_staff_with("view_author"))

    response = client.get(_history_url(author))

    assert response.status_code == 200
    assert 'id="dash-activity-timeline"' not in response.text
    assert NO_HISTORY in response.text


def test_users_who_may_view_activities_get_the_timeline(client: Client) -> None:
    author = AuthorFactory(name="Frank Herbert")
    client.force_login(_staff_with("view_author", "view_activity"))

    response = client.get(_history_url(author))

    assert _entries(response.text) == ["Author “Frank Herbert” created"]


def test_an_object_without_activities_says_so(admin_client: Client) -> None:
    author = AuthorFactory()
    Activity.objects.all().delete()

    response = admin_client.get(_history_url(author))

    assert "No activity has been recorded for this object." in response.text


def test_no_timeline_where_the_site_does_not_register_activities(
    admin_user: Any,
) -> None:
    request = RequestFactory().get("/")
    request.user = admin_user

    assert timeline_for(AuthorFactory(), request, AdminSite(name="bare")) is None


def test_admin_site_named_finds_sites_by_name() -> None:
    site = AdminSite(name="elsewhere")

    assert admin_site_named("elsewhere") is site
    assert admin_site_named("nowhere") is None


@pytest.mark.django_db(databases="__all__")
def test_the_objects_database_holds_its_timeline(
    admin_user: Any, db_alias: str
) -> None:
    author = Author.objects.using(db_alias).create(name="Frank Herbert")
    request = RequestFactory().get("/")
    request.user = admin_user
    site = admin_site_named("admin")
    assert site is not None

    found = timeline_for(author, request, site)

    assert found is not None
    assert [entry.activity.description for entry in found.entries] == [
        "Author “Frank Herbert” created"
    ]
    assert [entry.activity._state.db for entry in found.entries] == [db_alias]
