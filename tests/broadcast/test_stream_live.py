"""End to end: the example project under daphne, its real SSE stream read by
a real HTTP client while another admin session saves through the admin."""

from __future__ import annotations

import httpx
import pytest

from tests.support.live_site import LiveSite, admin_client, admin_post, manage
from tests.support.sse import SSEReader

pytestmark = pytest.mark.live

STREAM = "/admin/events/stream"


def test_staff_receives_a_change_made_in_another_session(live_site: LiveSite) -> None:
    watcher = admin_client(live_site, "admin", "admin")
    editor = admin_client(live_site, "editor", "editor")

    with SSEReader(watcher, STREAM) as stream:
        assert stream.status_code == 200
        stream.wait_for(lambda message: message.type == "stream-open")
        response = admin_post(
            editor,
            "/admin/library/genre/add/",
            {"name": "Solarpunk", "slug": "solarpunk", "_save": "Save"},
        )
        assert response.status_code == 302
        message = stream.next_event().json()

    assert set(message) == {"id", "name", "payload", "timestamp"}
    assert message["name"] == "library.genre.created"
    payload = message["payload"]
    assert payload["object_repr"] == "Solarpunk"
    assert payload["verbose_name"] == "genre"
    assert payload["causer"]["name"] == "editor"
    assert payload["fields"]["slug"] == "solarpunk"


def test_update_carries_the_changed_fields(live_site: LiveSite) -> None:
    watcher = admin_client(live_site, "admin", "admin")
    editor = admin_client(live_site, "editor", "editor")
    admin_post(
        editor,
        "/admin/library/genre/add/",
        {"name": "Cli-fi", "slug": "cli-fi", "_save": "Save"},
    )
    pk = manage(
        live_site,
        "shell",
        "-c",
        "from example_project.library.models import Genre;"
        "print(Genre.objects.get(slug='cli-fi').pk)",
    ).split()[-1]

    with SSEReader(watcher, STREAM) as stream:
        admin_post(
            editor,
            f"/admin/library/genre/{pk}/change/",
            {"name": "Climate fiction", "slug": "cli-fi", "_save": "Save"},
        )
        message = stream.next_event().json()

    assert message["name"] == "library.genre.updated"
    assert message["payload"]["changes"] == {
        "name": {"old": "Cli-fi", "new": "Climate fiction"}
    }


def test_anonymous_stream_is_refused_with_the_reason(live_site: LiveSite) -> None:
    response = httpx.get(f"{live_site.url}{STREAM}", timeout=10)

    assert response.status_code == 403
    assert response.text == "The event stream needs a signed-in staff user.\n"


def test_staff_without_permission_does_not_receive_that_models_events(
    live_site: LiveSite,
) -> None:
    manage(
        live_site,
        "shell",
        "-c",
        "from django.contrib.auth.models import Permission, User;"
        "u = User.objects.create_user('authors', password='authors', is_staff=True);"
        "u.user_permissions.add(Permission.objects.get(codename='view_author'))",
    )
    limited = admin_client(live_site, "authors", "authors")
    editor = admin_client(live_site, "editor", "editor")

    with SSEReader(limited, STREAM) as stream:
        admin_post(
            editor,
            "/admin/library/genre/add/",
            {"name": "Hidden", "slug": "hidden", "_save": "Save"},
        )
        admin_post(
            editor, "/admin/library/author/add/", {"name": "Visible", "_save": "Save"}
        )
        message = stream.next_event().json()

    # The genre was created first, yet only the author reaches this user.
    assert message["name"] == "library.author.created"
    assert message["payload"]["object_repr"] == "Visible"


def test_reconnect_with_last_event_id_receives_what_was_missed(
    live_site: LiveSite,
) -> None:
    watcher = admin_client(live_site, "admin", "admin")
    editor = admin_client(live_site, "editor", "editor")
    with SSEReader(watcher, STREAM) as stream:
        admin_post(
            editor,
            "/admin/library/genre/add/",
            {"name": "Before drop", "slug": "before-drop", "_save": "Save"},
        )
        last_id = stream.next_event().id
    assert last_id

    # While the browser is away, another change lands.
    admin_post(
        editor,
        "/admin/library/genre/add/",
        {"name": "During drop", "slug": "during-drop", "_save": "Save"},
    )

    with SSEReader(watcher, STREAM, headers={"Last-Event-ID": last_id}) as stream:
        message = stream.next_event().json()

    assert message["payload"]["object_repr"] == "During drop"
