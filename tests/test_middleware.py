"""The middleware makes the request's user the causer of the events it causes,
however the user authenticated, in sync and async views, and only while the
request is served."""

from typing import Any

import pytest
from asgiref.sync import async_to_sync, iscoroutinefunction
from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.test import AsyncClient, Client, RequestFactory, override_settings

from dash.context import get_causer
from dash.events import ModelCreated, ModelCreating
from dash.middleware import ScopeMiddleware
from dash.testing import capture_events
from tests.testapp.models import Category

pytestmark = pytest.mark.django_db

API_KEYS = {"key-of-bob": "bob"}
API_KEY_BACKEND = "tests.test_middleware.ApiKeyBackend"


class ApiKeyBackend(BaseBackend):
    """A project's own backend: users sign in with an API key."""

    def authenticate(  # type: ignore[override]
        self, request: HttpRequest | None, api_key: str | None = None, **kwargs: Any
    ) -> User | None:
        username = API_KEYS.get(api_key or "")
        return User.objects.filter(username=username).first() if username else None

    def get_user(self, user_id: int) -> User | None:
        return User.objects.filter(pk=user_id).first()


@pytest.fixture
def alice() -> User:
    return User.objects.create_user("alice")


@pytest.fixture
def bob() -> User:
    return User.objects.create_user("bob")


def causers(events: Any) -> list[Any]:
    return [
        event.causer
        for event in events
        if isinstance(event, ModelCreating | ModelCreated)
    ]


def test_sync_view_names_the_signed_in_user(client: Client, alice: User) -> None:
    client.force_login(alice)

    with capture_events() as events:
        response = client.post("/testapp/categories/", {"name": "SF"})

    assert response.status_code == 200
    assert events.names == ["testapp.category.creating", "testapp.category.created"]
    assert causers(events) == [alice, alice]


def test_async_view_names_the_signed_in_user(alice: User) -> None:
    client = AsyncClient()
    client.force_login(alice)

    with capture_events() as events:
        response = async_to_sync(client.post)(
            "/testapp/categories/async/", {"name": "SF"}
        )

    assert response.status_code == 200
    assert causers(events) == [alice, alice]


@override_settings(AUTHENTICATION_BACKENDS=[API_KEY_BACKEND])
def test_user_authenticated_inside_the_view_is_the_causer(
    client: Client, bob: User
) -> None:
    with capture_events() as events:
        response = client.post(
            "/testapp/categories/token/",
            {"name": "SF"},
            headers={"Authorization": "Token key-of-bob"},
        )

    assert response.status_code == 200
    assert causers(events) == [bob, bob]


@override_settings(AUTHENTICATION_BACKENDS=[API_KEY_BACKEND])
def test_session_of_a_custom_backend_names_its_user(
    client: Client, alice: User
) -> None:
    client.force_login(alice, backend=API_KEY_BACKEND)

    with capture_events() as events:
        client.post("/testapp/categories/", {"name": "SF"})

    assert causers(events) == [alice, alice]


def test_anonymous_request_has_no_causer(client: Client) -> None:
    with capture_events() as events:
        client.post("/testapp/categories/", {"name": "SF"})

    assert causers(events) == [None, None]


def test_save_after_the_request_on_the_same_thread_has_no_causer(
    client: Client, alice: User
) -> None:
    client.force_login(alice)
    client.post("/testapp/categories/", {"name": "During"})

    with capture_events() as events:
        Category.objects.create(name="After")

    assert causers(events) == [None, None]
    assert get_causer() is None


def test_request_that_fails_leaves_no_causer_behind(
    client: Client, alice: User
) -> None:
    client.force_login(alice)
    with capture_events() as events, pytest.raises(RuntimeError):
        client.post("/testapp/categories/fail/", {"name": "During"})
    assert causers(events) == [alice, alice]

    with capture_events() as events:
        Category.objects.create(name="After")

    assert causers(events) == [None, None]


class _Tagged:
    """A plugin's per-request context: the request is tagged while served."""

    def __init__(self, request: HttpRequest, seen: list[str]) -> None:
        self.request, self.seen = request, seen

    def __enter__(self) -> None:
        self.seen.append(f"enter {self.request.path}")

    def __exit__(self, *exc_info: object) -> None:
        self.seen.append(f"exit {self.request.path}")


def test_a_plugin_middleware_serves_sync_requests_in_its_scope() -> None:
    seen: list[str] = []

    class TaggingMiddleware(ScopeMiddleware):
        def scope(self, request: HttpRequest) -> _Tagged:
            return _Tagged(request, seen)

    def view(request: HttpRequest) -> HttpResponse:
        seen.append("view")
        return HttpResponse("ok")

    response = TaggingMiddleware(view)(RequestFactory().get("/books/"))

    assert response.status_code == 200
    assert seen == ["enter /books/", "view", "exit /books/"]


def test_a_plugin_middleware_serves_async_requests_in_its_scope() -> None:
    seen: list[str] = []

    class TaggingMiddleware(ScopeMiddleware):
        def scope(self, request: HttpRequest) -> _Tagged:
            return _Tagged(request, seen)

    async def view(request: HttpRequest) -> HttpResponse:
        seen.append("view")
        return HttpResponse("ok")

    middleware = TaggingMiddleware(view)
    response = async_to_sync(middleware)(RequestFactory().get("/loans/"))

    assert iscoroutinefunction(middleware)
    assert response.status_code == 200
    assert seen == ["enter /loans/", "view", "exit /loans/"]


def test_a_middleware_without_a_scope_says_what_is_missing() -> None:
    class Unfinished(ScopeMiddleware):
        pass

    with pytest.raises(NotImplementedError, match=r"Unfinished must define scope"):
        Unfinished(lambda request: HttpResponse())(RequestFactory().get("/"))
