"""Broadcast events reach django-eventstream only after the commit.

What django-eventstream received is read back from its own database storage
(the example project's setting), so nothing here is mocked.
"""

import json
import logging
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_eventstream.models import Event as StoredEvent

from dash.events import Event, ModelUpdated, dispatcher
from dash.testing import capture_events
from tests.testapp.models import Category


def stored(channel: str) -> list[dict[str, Any]]:
    """The messages django-eventstream stored for ``channel``, decoded."""
    rows = StoredEvent.objects.filter(channel=channel, type="message").order_by("eid")
    # The storage JSON-encodes the message text that dash already encoded.
    return [json.loads(json.loads(row.data)) for row in rows]


class Notice(Event):
    name = "ops.notice"
    broadcast = True
    channel = "ops"

    def to_payload(self) -> dict[str, Any]:
        return {"message": "deploying"}


class Private(Event):
    name = "ops.private"


@pytest.mark.django_db(transaction=True)
def test_model_event_is_sent_after_commit_as_the_documented_message() -> None:
    with transaction.atomic():
        category = Category.objects.create(name="SF")
        assert stored("model.testapp.category") == []

    [message] = stored("model.testapp.category")
    assert set(message) == {"id", "name", "payload", "timestamp"}
    assert message["name"] == "testapp.category.created"
    assert message["payload"]["pk"] == category.pk
    assert message["payload"]["object_repr"] == "SF"
    assert message["payload"]["verbose_name"] == "category"


@pytest.mark.django_db(transaction=True)
def test_rolled_back_transaction_broadcasts_nothing() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        Category.objects.create(name="SF")
        dispatcher.dispatch(Notice())
        raise RuntimeError("roll back")

    assert stored("model.testapp.category") == []
    assert stored("ops") == []


@pytest.mark.django_db(transaction=True)
def test_custom_event_goes_to_its_channel_and_unbroadcast_ones_nowhere() -> None:
    dispatcher.dispatch(Notice())
    dispatcher.dispatch(Private())

    [message] = stored("ops")
    assert (message["name"], message["payload"]) == (
        "ops.notice",
        {"message": "deploying"},
    )
    assert (
        StoredEvent.objects.filter(type="message").exclude(channel="ops").count() == 0
    )


@pytest.mark.django_db(transaction=True)
def test_message_is_serialized_when_dispatched_not_at_commit() -> None:
    with transaction.atomic():
        category = Category.objects.create(name="before")
        category.name = "mutated in memory"

    [message] = stored("model.testapp.category")
    assert message["payload"]["object_repr"] == "before"


class BrokenStorage:
    """Stands in for a storage outage, which cannot be staged in-process."""

    def append_event(self, channel: str, event_type: str, data: str) -> None:
        raise ConnectionError("storage is down")


@pytest.mark.django_db(transaction=True)
@override_settings(EVENTSTREAM_STORAGE_CLASS="tests.broadcast.test_relay.BrokenStorage")
def test_failed_send_is_logged_and_the_change_stays(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with (
        caplog.at_level(logging.ERROR, logger="dash.broadcast.relay"),
        transaction.atomic(),
    ):
        Category.objects.create(name="kept")

    assert Category.objects.filter(name="kept").exists()
    [record] = caplog.records
    assert record.getMessage() == (
        "Broadcast of testapp.category.created on channel model.testapp.category failed"
    )
    assert str(record.exc_info[1]) == "storage is down"  # type: ignore[index]


def _sign_in(client: Client, username: str) -> None:
    response = client.post(
        reverse("admin:login"),
        {"username": username, "password": "not-a-secret", "next": "/admin/"},
    )
    assert (response.status_code, response["Location"]) == (302, "/admin/")


@pytest.mark.django_db(transaction=True)
def test_signing_in_is_dispatched_but_not_broadcast(client: Client) -> None:
    user = User.objects.create_user("editor", password="not-a-secret", is_staff=True)
    created = stored("model.auth.user")

    with capture_events() as events:
        _sign_in(client, "editor")
        client.logout()
        _sign_in(client, "editor")

    first, second = events.matching(ModelUpdated)
    assert (first.pk, list(first.changes)) == (user.pk, ["last_login"])
    assert first.changes["last_login"]["old"] is None
    assert (second.pk, list(second.changes)) == (user.pk, ["last_login"])
    assert stored("model.auth.user") == created


@pytest.mark.django_db(transaction=True)
def test_a_user_update_beyond_the_last_login_is_broadcast() -> None:
    user = User.objects.create_user("editor", is_staff=True)

    user.last_login = timezone.now()
    user.first_name = "Eddie"
    user.save()

    updated = [m for m in stored("model.auth.user") if m["name"] == "auth.user.updated"]
    assert [sorted(m["payload"]["changes"]) for m in updated] == [
        ["first_name", "last_login"]
    ]


@pytest.mark.django_db(transaction=True)
def test_a_last_login_field_of_another_model_is_broadcast() -> None:
    category = Category.objects.create(name="SF")
    changes = {"last_login": {"old": None, "new": "2026-03-01T09:00:00+00:00"}}

    dispatcher.dispatch(
        ModelUpdated(category, fields={}, changes=changes, using="default")
    )

    assert [m["name"] for m in stored("model.testapp.category")] == [
        "testapp.category.created",
        "testapp.category.updated",
    ]
