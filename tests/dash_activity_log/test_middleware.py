"""A request's activities share a batch, know their user and, if asked, the client."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from django.contrib.auth.models import User
from django.test import AsyncClient, Client
from pytest_django.fixtures import Settings

from dash_activity_log.context import current_scope
from dash_activity_log.models import Activity
from example_project.library.models import Author
from tests.dash_activity_log.factories import UserFactory

pytestmark = pytest.mark.django_db

MIDDLEWARE = "dash_activity_log.middleware.ActivityLogMiddleware"


@pytest.fixture(autouse=True)
def _site(settings: Settings) -> None:
    settings.ROOT_URLCONF = "tests.dash_activity_log.urls"
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE]


@pytest.fixture
def alice() -> User:
    return UserFactory(username="alice")


def _rows() -> list[tuple[str, object, str]]:
    # Leave out the user's creation and sign-in, which are history too.
    return list(
        Activity.objects.exclude(event__startswith="auth.user.")
        .order_by("id")
        .values_list("event", "batch", "causer_name")
    )


def test_one_requests_changes_share_a_batch(client: Client, alice: User) -> None:
    client.force_login(alice)

    client.post("/authors/two/")
    client.post("/authors/two/")

    rows = _rows()
    assert [(event, name) for event, _, name in rows] == [
        ("library.author.created", "alice")
    ] * 4
    batches = [batch for _, batch, _ in rows]
    assert batches[0] == batches[1]
    assert batches[2] == batches[3]
    assert batches[0] != batches[2]


def test_an_async_views_activities_share_a_batch_and_user(alice: User) -> None:
    client = AsyncClient()
    client.force_login(alice)

    response = async_to_sync(client.post)("/authors/two/async/")

    assert response.status_code == 200
    rows = _rows()
    assert [(event, name) for event, _, name in rows] == [
        ("library.author.created", "alice"),
        ("library.author.created", "alice"),
        ("library.catalogue.grown", "alice"),
    ]
    assert len({batch for _, batch, _ in rows}) == 1
    assert (
        Activity.objects.filter(causer=alice, event__startswith="library.").count() == 3
    )


def test_a_user_signed_in_by_the_view_is_the_causer(
    client: Client, settings: Settings
) -> None:
    settings.AUTHENTICATION_BACKENDS = ["tests.dash_activity_log.views.ApiKeyBackend"]
    bob = UserFactory(username="bob")

    response = client.post(
        "/authors/token/", headers={"Authorization": "Token key-of-bob"}
    )

    assert response.status_code == 201
    activity = Activity.objects.get(event="library.author.created")
    assert (activity.causer, activity.causer_name) == (bob, "bob")


def test_an_anonymous_request_names_no_one(client: Client) -> None:
    client.post("/authors/two/")

    assert set(Activity.objects.values_list("causer", "causer_name")) == {(None, "")}


def test_request_metadata_is_off_by_default(client: Client) -> None:
    client.post("/authors/two/", headers={"User-Agent": "Lynx/2.9"})

    assert set(Activity.objects.values_list("ip_address", "user_agent")) == {(None, "")}


def test_request_metadata_is_kept_when_enabled(
    client: Client, settings: Settings
) -> None:
    settings.DASH_ACTIVITY_LOG = {"REQUEST_METADATA": True}

    client.post(
        "/authors/two/", headers={"User-Agent": "Lynx/2.9"}, REMOTE_ADDR="192.0.2.7"
    )
    client.post("/signed-in/", headers={"User-Agent": "Lynx/2.9"})

    assert list(
        Activity.objects.order_by("id").values_list("event", "ip_address", "user_agent")
    ) == [
        ("library.author.created", "192.0.2.7", "Lynx/2.9"),
        ("library.author.created", "192.0.2.7", "Lynx/2.9"),
        ("auth.signed_in", "127.0.0.1", "Lynx/2.9"),
    ]


def test_request_metadata_reads_the_configured_proxy_header(
    client: Client, settings: Settings
) -> None:
    settings.DASH_ACTIVITY_LOG = {
        "REQUEST_METADATA": True,
        "CLIENT_IP_HEADER": "HTTP_X_FORWARDED_FOR",
    }

    client.post("/signed-in/", headers={"X-Forwarded-For": "203.0.113.9, 10.0.0.1"})

    assert Activity.objects.get().ip_address == "203.0.113.9"


@pytest.mark.django_db(databases="__all__")
@pytest.mark.parametrize("forwarded", ["fe80::1%evil", "not an address"])
def test_a_clients_odd_forwarding_header_loses_no_activity(
    client: Client, settings: Settings, db_alias: str, forwarded: str
) -> None:
    # Any client can write this header when the proxy appends to it.
    settings.DASH_ACTIVITY_LOG = {
        "REQUEST_METADATA": True,
        "CLIENT_IP_HEADER": "HTTP_X_FORWARDED_FOR",
    }

    client.post(
        f"/authors/?using={db_alias}",
        {"name": "Le Guin"},
        headers={"X-Forwarded-For": f"{forwarded}, 10.0.0.1"},
    )

    activity = Activity.objects.using(db_alias).get(event="library.author.created")
    assert activity.ip_address == ("fe80::1" if "%" in forwarded else None)


def test_the_request_scope_ends_with_the_response(
    client: Client, settings: Settings
) -> None:
    settings.DASH_ACTIVITY_LOG = {"REQUEST_METADATA": True}
    client.post("/signed-in/")

    Author.objects.create(name="Butler")

    during, after = Activity.objects.order_by("id")
    assert current_scope().request is None
    assert during.batch != after.batch
    assert (after.ip_address, after.user_agent) == (None, "")
