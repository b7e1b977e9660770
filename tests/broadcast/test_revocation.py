"""A user's open streams close when their access ends or changes.

The streams are django-eventstream's real listeners, registered with its
real listener manager in this process, as the stream view registers them.
``test_revocation_live.py`` closes real streams read by a real client.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Permission, User
from django.db import transaction
from django.test import Client
from django_eventstream.views import Listener, get_listener_manager

from dash.broadcast.revocation import close_streams_of, register_stream

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_stream() -> Iterator[tuple[User, Listener]]:
    user = User.objects.create_user("watcher", password="pw", is_staff=True)
    loop = asyncio.new_event_loop()
    listener = Listener()
    listener.loop = loop
    register_stream(listener, user)
    listener.channels = {"dash", "model.testapp.article"}
    manager = get_listener_manager()
    manager.add_listener(listener)
    try:
        yield user, listener
    finally:
        manager.remove_listener(listener)
        loop.close()


def test_close_streams_of_ends_only_that_users_streams(
    open_stream: tuple[User, Listener],
) -> None:
    user, listener = open_stream

    assert close_streams_of(user.pk + 1) == 0
    assert listener.error == ""
    assert close_streams_of(user.pk) == 2
    assert listener.error["condition"] == "forbidden"


def test_signing_out_closes_the_users_streams(
    open_stream: tuple[User, Listener],
) -> None:
    user, listener = open_stream
    client = Client()
    client.force_login(user)

    client.post("/admin/logout/")

    assert listener.error["condition"] == "forbidden"


@pytest.mark.parametrize(
    "change",
    [
        lambda user: setattr(user, "is_staff", False),
        lambda user: setattr(user, "is_active", False),
        lambda user: setattr(user, "is_superuser", True),
    ],
)
def test_access_changes_close_the_users_streams(
    open_stream: tuple[User, Listener], change: object
) -> None:
    user, listener = open_stream

    change(user)  # type: ignore[operator]
    user.save()

    assert listener.error["condition"] == "forbidden"


def test_permission_changes_close_the_users_streams(
    open_stream: tuple[User, Listener],
) -> None:
    user, listener = open_stream

    user.user_permissions.add(Permission.objects.get(codename="view_article"))

    assert listener.error["condition"] == "forbidden"


def test_other_changes_leave_the_streams_open(
    open_stream: tuple[User, Listener],
) -> None:
    user, listener = open_stream

    user.first_name = "Ann"
    user.save()

    assert listener.error == ""


def test_deleting_the_user_closes_their_streams(
    open_stream: tuple[User, Listener],
) -> None:
    user, listener = open_stream

    user.delete()

    assert listener.error["condition"] == "forbidden"


@pytest.mark.parametrize(
    "change",
    [
        lambda user: user.set_password("new-pw"),
        lambda user: user.set_unusable_password(),
    ],
    ids=["set_password", "set_unusable_password"],
)
def test_a_new_password_closes_the_users_streams(
    open_stream: tuple[User, Listener], change: object
) -> None:
    user, listener = open_stream

    change(user)  # type: ignore[operator]
    user.save()

    assert listener.error["condition"] == "forbidden"


def test_a_password_saved_alone_closes_the_users_streams(
    open_stream: tuple[User, Listener],
) -> None:
    user, listener = open_stream

    user.set_password("new-pw")
    # As Django saves a password whose hash it upgrades at sign-in.
    user.save(update_fields=["password"])

    assert listener.error["condition"] == "forbidden"


def test_a_rolled_back_password_change_leaves_the_streams_open(
    open_stream: tuple[User, Listener],
) -> None:
    user, listener = open_stream

    with pytest.raises(RuntimeError), transaction.atomic():
        user.set_password("new-pw")
        user.save()
        raise RuntimeError("rolled back")

    assert listener.error == ""


def test_an_admin_password_reset_closes_the_users_streams(
    open_stream: tuple[User, Listener],
) -> None:
    user, listener = open_stream
    admin = Client()
    admin.force_login(User.objects.create_superuser("boss", password="pw"))

    response = admin.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"usable_password": "true", "password1": "new-pw", "password2": "new-pw"},
    )

    assert response.status_code == 302
    assert listener.error["condition"] == "forbidden"


def test_changing_ones_own_password_closes_the_streams_and_keeps_the_session(
    open_stream: tuple[User, Listener],
) -> None:
    user, listener = open_stream
    client = Client()
    client.force_login(user)

    response = client.post(
        "/admin/password_change/",
        {"old_password": "pw", "new_password1": "new-pw", "new_password2": "new-pw"},
    )

    assert response.status_code == 302
    assert listener.error["condition"] == "forbidden"
    assert client.get("/admin/").status_code == 200


def test_signing_in_again_leaves_the_streams_open(
    open_stream: tuple[User, Listener],
) -> None:
    user, listener = open_stream

    # Signing in saves last_login, which leaves the session auth hash alone.
    assert Client().login(username=user.username, password="pw")

    assert listener.error == ""
