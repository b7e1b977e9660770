"""The causer context: requests, acting_as, threads and asyncio tasks."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from dash.context import _request_context, acting_as, get_causer

alice = User(username="alice")
bob = User(username="bob")


def test_outside_any_request_or_context_the_causer_is_none() -> None:
    assert get_causer() is None


def test_acting_as_nests_and_restores() -> None:
    with acting_as(alice):
        assert get_causer() is alice
        with acting_as(bob):
            assert get_causer() is bob
            with acting_as(None):
                assert get_causer() is None
            assert get_causer() is bob
        assert get_causer() is alice
    assert get_causer() is None


def test_acting_as_restores_when_the_block_raises() -> None:
    with pytest.raises(RuntimeError), acting_as(alice):
        raise RuntimeError("boom")

    assert get_causer() is None


def test_anonymous_user_is_no_causer() -> None:
    with acting_as(AnonymousUser()):
        assert get_causer() is None


def test_request_user_is_read_when_asked_not_when_recorded() -> None:
    looked_up: list[str] = []

    def load_user() -> User:
        looked_up.append("user")
        return alice

    request = HttpRequest()
    request.user = SimpleLazyObject(load_user)  # type: ignore[assignment]

    with _request_context(request):
        assert looked_up == []
        assert get_causer() == alice

    assert looked_up == ["user"]
    assert get_causer() is None


def test_user_set_on_the_request_later_is_the_causer() -> None:
    request = HttpRequest()

    with _request_context(request):
        assert get_causer() is None
        # As token authentication does, inside the view.
        request.user = bob
        assert get_causer() is bob


def test_acting_as_inside_a_request_takes_over_until_it_ends() -> None:
    request = HttpRequest()
    request.user = alice

    with _request_context(request):
        with acting_as(bob):
            assert get_causer() is bob
        assert get_causer() is alice


def test_concurrent_tasks_each_see_their_own_causer() -> None:
    async def act(user: User, ready: asyncio.Event, other: asyncio.Event) -> list[User]:
        with acting_as(user):
            ready.set()
            # Both tasks are inside their blocks before either looks.
            await other.wait()
            in_thread = await sync_to_async(get_causer)()
            return [get_causer(), in_thread]

    async def both() -> list[list[User]]:
        alice_ready, bob_ready = asyncio.Event(), asyncio.Event()
        return await asyncio.gather(
            act(alice, alice_ready, bob_ready), act(bob, bob_ready, alice_ready)
        )

    seen_by_alice, seen_by_bob = asyncio.run(both())

    assert seen_by_alice == [alice, alice]
    assert seen_by_bob == [bob, bob]
    assert get_causer() is None
