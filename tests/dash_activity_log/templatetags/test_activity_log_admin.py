"""The timeline tag needs a request and a known admin site; else it gives nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from tests.dash_activity_log.factories import AuthorFactory

pytestmark = pytest.mark.django_db

TIMELINE = Template(
    "{% load activity_log_admin %}{% activity_timeline object as timeline %}"
    "{% if timeline is None %}none{% else %}{{ timeline.entries|length }}{% endif %}"
)


def _request(user: Any, current_app: str | None) -> Any:
    request = RequestFactory().get("/")
    request.user = user
    if current_app is not None:
        request.current_app = current_app
    return request


def test_the_timeline_of_the_current_admin_site(admin_user: Any) -> None:
    context = Context(
        {"object": AuthorFactory(), "request": _request(admin_user, "admin")}
    )

    assert TIMELINE.render(context) == "1"


def test_the_default_admin_site_without_a_current_app(admin_user: Any) -> None:
    context = Context(
        {"object": AuthorFactory(), "request": _request(admin_user, None)}
    )

    assert TIMELINE.render(context) == "1"


def test_no_timeline_without_a_request() -> None:
    assert TIMELINE.render(Context({"object": AuthorFactory()})) == "none"


def test_no_timeline_for_an_unknown_admin_site(admin_user: Any) -> None:
    context = Context(
        {"object": AuthorFactory(), "request": _request(admin_user, "elsewhere")}
    )

    assert TIMELINE.render(context) == "none"
