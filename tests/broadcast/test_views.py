"""The stream refuses, with a reason, everyone but active staff users."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

STREAM = "/admin/events/stream"


def test_stream_url_sits_under_the_admin_prefix() -> None:
    assert reverse("dash:event-stream") == STREAM


def test_anonymous_request_is_refused_with_the_reason(client: Client) -> None:
    response = client.get(STREAM)

    assert response.status_code == 403
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content == b"The event stream needs a signed-in staff user.\n"


def test_non_staff_user_is_refused_with_the_reason(client: Client) -> None:
    client.force_login(User.objects.create_user("member"))

    response = client.get(STREAM)

    assert response.status_code == 403
    assert response.content == b"The event stream is for active staff users only.\n"


def test_only_get_is_allowed(admin_client: Client) -> None:
    assert admin_client.post(STREAM).status_code == 405
