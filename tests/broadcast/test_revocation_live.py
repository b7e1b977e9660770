"""End to end: the example project under daphne closes a user's real open
stream when an admin deletes, deactivates or resets the password of that
user, or when the user changes their own password in another session; the
stream asked again, as dash-wire.js asks, is refused with the reason."""

from __future__ import annotations

import itertools
import re

import httpx
import pytest

from tests.support.live_site import LiveSite, admin_client, admin_post, manage
from tests.support.sse import SSEReader

pytestmark = pytest.mark.live

STREAM = "/admin/events/stream"
SIGNED_OUT = "The event stream needs a signed-in staff user."

_names = itertools.count(1)


def _staff_user(site: LiveSite) -> tuple[str, str]:
    """Create a staff user with no permissions; return their name and pk."""
    username = f"revoked{next(_names)}"
    output = manage(
        site,
        "shell",
        "-c",
        "from django.contrib.auth.models import User;"
        f"print(User.objects.create_user({username!r}, password='pw',"
        " is_staff=True).pk)",
    )
    return username, output.split()[-1]


def _closed_with(stream: SSEReader) -> dict[str, object]:
    message = stream.wait_for(lambda message: message.type == "stream-error")
    error: dict[str, object] = message.json()
    return error


def _ask_again(client: httpx.Client) -> tuple[int, str]:
    """Ask for the stream as dash-wire.js does after a close; return the answer."""
    with client.stream("GET", STREAM) as response:
        if response.status_code == 200:
            return 200, response.headers["Content-Type"]
        return response.status_code, response.read().decode()


def test_deleting_the_user_closes_their_stream(live_site: LiveSite) -> None:
    username, pk = _staff_user(live_site)
    watcher = admin_client(live_site, username, "pw")
    admin = admin_client(live_site, "admin", "admin")

    with SSEReader(watcher, STREAM) as stream:
        stream.wait_for(lambda message: message.type == "stream-open")
        response = admin_post(admin, f"/admin/auth/user/{pk}/delete/", {"post": "yes"})
        assert response.status_code == 302
        error = _closed_with(stream)

    assert error["condition"] == "forbidden"
    assert _ask_again(watcher) == (403, f"{SIGNED_OUT}\n")


def test_an_admin_setting_a_new_password_closes_the_users_stream(
    live_site: LiveSite,
) -> None:
    username, pk = _staff_user(live_site)
    watcher = admin_client(live_site, username, "pw")
    admin = admin_client(live_site, "admin", "admin")

    with SSEReader(watcher, STREAM) as stream:
        stream.wait_for(lambda message: message.type == "stream-open")
        response = admin_post(
            admin,
            f"/admin/auth/user/{pk}/password/",
            {"usable_password": "true", "password1": "new-pw", "password2": "new-pw"},
        )
        assert response.status_code == 302
        error = _closed_with(stream)

    assert error["condition"] == "forbidden"
    assert _ask_again(watcher) == (403, f"{SIGNED_OUT}\n")


def test_changing_ones_own_password_closes_the_streams_of_every_session(
    live_site: LiveSite,
) -> None:
    username, _ = _staff_user(live_site)
    other_session = admin_client(live_site, username, "pw")
    this_session = admin_client(live_site, username, "pw")

    with (
        SSEReader(other_session, STREAM) as other_stream,
        SSEReader(this_session, STREAM) as this_stream,
    ):
        other_stream.wait_for(lambda message: message.type == "stream-open")
        this_stream.wait_for(lambda message: message.type == "stream-open")
        response = admin_post(
            this_session,
            "/admin/password_change/",
            {
                "old_password": "pw",
                "new_password1": "new-pw",
                "new_password2": "new-pw",
            },
        )
        assert response.status_code == 302
        other_error = _closed_with(other_stream)
        this_error = _closed_with(this_stream)

    assert other_error["condition"] == this_error["condition"] == "forbidden"
    # Django signed the other session out; this one stays signed in and its
    # stream opens again with the session's new key.
    assert _ask_again(other_session) == (403, f"{SIGNED_OUT}\n")
    assert _ask_again(this_session) == (200, "text/event-stream")


_DATE_JOINED = re.compile(r'name="(date_joined_[01])"[^>]* value="([^"]*)"')


def test_deactivating_the_user_closes_their_stream(live_site: LiveSite) -> None:
    username, pk = _staff_user(live_site)
    watcher = admin_client(live_site, username, "pw")
    admin = admin_client(live_site, "admin", "admin")
    change_url = f"/admin/auth/user/{pk}/change/"
    date_joined = dict(_DATE_JOINED.findall(admin.get(change_url).text))
    assert set(date_joined) == {"date_joined_0", "date_joined_1"}

    with SSEReader(watcher, STREAM) as stream:
        stream.wait_for(lambda message: message.type == "stream-open")
        # is_active is left out of the form, as an unticked box is.
        response = admin_post(
            admin,
            change_url,
            {"username": username, "is_staff": "on", **date_joined, "_save": "Save"},
        )
        assert response.status_code == 302
        error = _closed_with(stream)

    assert error["condition"] == "forbidden"
    assert _ask_again(watcher) == (403, f"{SIGNED_OUT}\n")
