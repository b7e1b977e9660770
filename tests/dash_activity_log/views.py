"""Views that change the library the ways projects do, for the request tests."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.backends import BaseBackend
from django.http import HttpRequest, HttpResponse, JsonResponse

from dash_activity_log import alog_activity, log_activity
from example_project.library.models import Author

#: The API keys ``ApiKeyBackend`` knows, and whose they are.
API_KEYS = {"key-of-bob": "bob"}


class ApiKeyBackend(BaseBackend):
    """A project's own backend: clients sign in with an API key."""

    def authenticate(  # type: ignore[override]
        self, request: HttpRequest | None, api_key: str | None = None, **kwargs: Any
    ) -> Any:
        username = API_KEYS.get(api_key or "")
        users = get_user_model()._default_manager
        return users.filter(username=username).first() if username else None


def add_two_authors(request: HttpRequest) -> JsonResponse:
    first = Author.objects.create(name="Le Guin")
    second = Author.objects.create(name="Herbert")
    return JsonResponse({"pks": [first.pk, second.pk]})


async def aadd_two_authors(request: HttpRequest) -> JsonResponse:
    first = await Author.objects.acreate(name="Le Guin")
    second = await Author.objects.acreate(name="Herbert")
    await alog_activity("library.catalogue.grown")
    return JsonResponse({"pks": [first.pk, second.pk]})


def add_author(request: HttpRequest) -> HttpResponse:
    """Add the posted author to the database ``?using=`` names."""
    using = request.GET.get("using", "default")
    Author.objects.using(using).create(name=request.POST["name"])
    return HttpResponse(status=201)


def token_add_author(request: HttpRequest) -> HttpResponse:
    # Authenticates inside the view, after every middleware has run, the way
    # token authentication in an API framework sets request.user.
    key = request.headers.get("Authorization", "").removeprefix("Token ")
    user = authenticate(request, api_key=key)
    if user is None:
        return HttpResponse(status=401)
    request.user = user
    Author.objects.create(name="Butler")
    return HttpResponse(status=201)


def sign_in_notice(request: HttpRequest) -> HttpResponse:
    log_activity("auth.signed_in", description="Signed in")
    return HttpResponse(status=204)
