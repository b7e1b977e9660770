"""A user's open streams close when their access ends or changes.

The streams are django-eventstream's real listeners, registered with its
real listener manager in this process, as the stream view registers them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django_eventstream.views import Listener, get_listener_manager

from dash.broadcast.revocation import close_streams_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_stream() -> Iterator[tuple[User, Listener]]:
    user = User.objects.create_user("watcher", password="pw", is_staff=True)
    loop = asyncio.new_event_loop()
    listener = Listener()
    listener.loop = loop
    listener.user_id = user.pk
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
